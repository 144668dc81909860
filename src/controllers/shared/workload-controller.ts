// What the workload controllers share (the one shape of types.ts): their dependencies, their name,
// an Event recorder under their component name (the name unless upstream records under another),
// and the queue bind() gives them, kept for delayed requeues.
import type { WorkQueue } from '../../util/workqueue.js';
import type { EventRecorder } from '../events/recorder.js';
import type { WorkloadController, WorkloadControllerDeps } from './types.js';

export abstract class WorkloadControllerBase implements WorkloadController {
  /** Events as upstream's controller of this component records them. */
  readonly events: EventRecorder;
  protected queue: WorkQueue<string> | undefined;

  constructor(
    protected readonly deps: WorkloadControllerDeps,
    readonly name: string,
    component: string = name,
  ) {
    this.events = deps.recorder(component);
  }

  bind(queue: WorkQueue<string>): void {
    this.queue = queue;
    this.watch(queue);
  }

  /** Registers the informer handlers that feed `queue`. */
  protected abstract watch(queue: WorkQueue<string>): void;

  abstract reconcile(key: string): Promise<void>;
}
