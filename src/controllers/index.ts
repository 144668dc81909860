// Wiring of the workload controllers: the one place they are built, bound to their queues and run.
// Another engineer's controllers join by adding a factory to WORKLOAD_CONTROLLERS (or a list of
// their own started the same way).
import type { SharedInformerFactory } from '../client/informer-factory.js';
import type { KubeClient } from '../client/types.js';
import type { Clock } from '../util/clock.js';
import { CronJobController } from './cronjob/controller.js';
import { DaemonSetController } from './daemonset/controller.js';
import { DeploymentController } from './deployment/controller.js';
import { EventRecorder } from './events/recorder.js';
import { DisruptionController } from './disruption/controller.js';
import { GarbageCollector } from './garbagecollector/controller.js';
import { JobController } from './job/controller.js';
import { TtlAfterFinishedController } from './job/ttl-after-finished.js';
import { REPLICATIONCONTROLLER_KIND, ReplicaSetController } from './replicaset/controller.js';
import { StatefulSetController } from './statefulset/controller.js';
import { runControllers } from './shared/run-controllers.js';
import type { WorkloadController, WorkloadControllerDeps } from './shared/types.js';

export type { ControllerDeps, WorkloadController, WorkloadControllerDeps } from './shared/types.js';

export type ControllerFactory = (deps: WorkloadControllerDeps) => WorkloadController;

/** Every workload controller, in start order. */
export const WORKLOAD_CONTROLLERS: ControllerFactory[] = [
  (d) => new ReplicaSetController(d),
  (d) => new ReplicaSetController(d, REPLICATIONCONTROLLER_KIND),
  (d) => new DeploymentController(d),
  (d) => new StatefulSetController(d),
  (d) => new DaemonSetController(d),
  (d) => new JobController(d),
  (d) => new TtlAfterFinishedController(d),
  (d) => new CronJobController(d),
  (d) => new GarbageCollector(d),
  (d) => new DisruptionController(d),
];

export interface StartControllersOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  /** Subset of controllers to run, by name; all when undefined. */
  only?: string[];
  /** Failed reconciles (they are retried with backoff). Default: console.error, except conflicts. */
  onError?: (err: unknown, key: string, controller: string) => void;
}

/**
 * Builds every workload controller, starts the shared informers and, once they have synced, the
 * controllers' workers. stop() ends the workers and waits for pending event writes (the informers
 * belong to the caller).
 */
export async function startWorkloadControllers(opts: StartControllersOptions): Promise<{ stop(): Promise<void> }> {
  const recorders: EventRecorder[] = [];
  const deps: WorkloadControllerDeps = {
    client: opts.client,
    informers: opts.informers,
    clock: opts.clock,
    recorder(component) {
      const r = new EventRecorder({ client: opts.client, clock: opts.clock, component });
      recorders.push(r);
      return r;
    },
  };
  const controllers = WORKLOAD_CONTROLLERS.map((f) => f(deps)).filter((c) => !opts.only || opts.only.includes(c.name));
  return runControllers(controllers, { ...opts, afterStop: () => Promise.all(recorders.map((r) => r.flush())) });
}
