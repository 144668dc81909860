// The one shape of a workload controller (DESIGN.md "Habits"): built from injected dependencies,
// a name, reconcile(key), and bind(queue) which registers the informer handlers that feed its
// queue. startWorkloadControllers (../index.ts) is the one place that wires them.
import type { Controller } from '../../client/controller.js';
import type { SharedInformerFactory } from '../../client/informer-factory.js';
import type { KubeClient } from '../../client/types.js';
import type { Clock } from '../../util/clock.js';
import type { EventRecorder } from '../events/recorder.js';
import type { WorkQueue } from '../../util/workqueue.js';

export interface ControllerDeps {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
}

/** What the workload controllers that record Events are built from. */
export interface WorkloadControllerDeps extends ControllerDeps {
  /** An event recorder for a component (source.component of its events), flushed on stop. */
  recorder(component: string): EventRecorder;
}

export interface WorkloadController extends Controller {
  /** Registers informer handlers feeding `queue` (also kept for delayed requeues). Called once. */
  bind(queue: WorkQueue<string>): void;
  /** Worker loops to run. */
  readonly workers?: number;
}
