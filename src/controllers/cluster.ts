// Wiring of the cluster plumbing controllers (endpoints, EndpointSlices, service accounts and the
// root CA publisher, node lifecycle with taint-based eviction, pod GC, resource quota): the one
// place they are built, bound to their queues and run.
import type { SharedInformerFactory } from '../client/informer-factory.js';
import type { KubeClient } from '../client/types.js';
import type { Clock } from '../util/clock.js';
import { EndpointsController } from './endpoints/controller.js';
import { EndpointSliceController } from './endpointslice/controller.js';
import { EventRecorder } from './events/recorder.js';
import { NodeLifecycleController } from './nodelifecycle/controller.js';
import { TaintEvictionController } from './nodelifecycle/taint-eviction.js';
import { PodGCController } from './podgc/controller.js';
import { ResourceQuotaController } from './resourcequota/controller.js';
import { RootCaPublisher } from './serviceaccount/root-ca-publisher.js';
import { ServiceAccountsController } from './serviceaccount/controller.js';
import { runControllers } from './shared/run-controllers.js';
import type { ControllerDeps, WorkloadController } from './shared/types.js';

export interface ClusterControllerDeps extends ControllerDeps {
  /** An event recorder for a component (source.component of its events). */
  recorder(component: string): EventRecorder;
  rootCaPem?: string;
}

export type ClusterControllerFactory = (deps: ClusterControllerDeps) => WorkloadController | undefined;

/** Every cluster plumbing controller, in start order. */
export const CLUSTER_CONTROLLERS: ClusterControllerFactory[] = [
  (d) => new EndpointsController(d),
  (d) => new EndpointSliceController(d),
  (d) => new ServiceAccountsController(d),
  (d) => (d.rootCaPem ? new RootCaPublisher(d, d.rootCaPem) : undefined),
  (d) => new NodeLifecycleController(d, d.recorder('node-controller')),
  (d) => new TaintEvictionController(d, d.recorder('taint-eviction-controller')),
  (d) => new PodGCController(d),
  (d) => new ResourceQuotaController(d),
];

export interface StartClusterControllersOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  /** The cluster CA (PEM) published as ConfigMap kube-root-ca.crt in every namespace. */
  rootCaPem?: string;
  /** Subset of controllers to run, by name; all when undefined. */
  only?: string[];
  /** Failed reconciles (they are retried with backoff). Default: console.error, except conflicts. */
  onError?: (err: unknown, key: string, controller: string) => void;
}

/**
 * Builds the controllers, starts the shared informers and, once they have synced, the workers.
 * stop() ends the workers and waits for pending event writes (the informers belong to the caller).
 */
export async function startClusterControllers(opts: StartClusterControllersOptions): Promise<{ stop(): Promise<void> }> {
  const recorders: EventRecorder[] = [];
  const deps: ClusterControllerDeps = {
    client: opts.client,
    informers: opts.informers,
    clock: opts.clock,
    rootCaPem: opts.rootCaPem,
    recorder(component) {
      const r = new EventRecorder({ client: opts.client, clock: opts.clock, component });
      recorders.push(r);
      return r;
    },
  };
  const controllers = CLUSTER_CONTROLLERS.map((f) => f(deps)).filter((c): c is WorkloadController => c !== undefined && (!opts.only || opts.only.includes(c.name)));
  return runControllers(controllers, { ...opts, afterStop: () => Promise.all(recorders.map((r) => r.flush())) });
}
