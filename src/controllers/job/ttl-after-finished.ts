// The TTL-after-finished controller (pkg/controller/ttlafterfinished): deletes a finished Job
// (Complete or Failed) ttlSecondsAfterFinished after it finished, with Foreground propagation so
// its pods go first.
import { isNotFound } from '../../client/errors.js';
import type { Informer } from '../../client/informer.js';
import { deletionTimestamp, keyOf, splitKey, uid } from '../../client/objects.js';
import type { Obj, ResourceClient } from '../../client/types.js';
import type { WorkQueue } from '../../util/workqueue.js';
import { getCondition } from '../shared/conditions.js';
import { informerOf } from '../shared/informers.js';
import { JOBS } from '../shared/resources.js';
import type { ControllerDeps, WorkloadController } from '../shared/types.js';

/** When the Job finished: the lastTransitionTime of its Complete or Failed condition. */
export function finishTime(job: Obj): number | undefined {
  for (const t of ['Complete', 'Failed']) {
    const c = getCondition(job.status, t);
    if (c?.status === 'True') return Date.parse(c.lastTransitionTime ?? '');
  }
  return undefined;
}

export class TtlAfterFinishedController implements WorkloadController {
  readonly name = 'ttl-after-finished-controller';
  private readonly informer: Informer;
  private readonly client: ResourceClient;
  private queue: WorkQueue<string> | undefined;

  constructor(private readonly deps: ControllerDeps) {
    this.informer = informerOf(deps.informers, JOBS);
    this.client = deps.client.resource(JOBS.group, JOBS.version, JOBS.resource);
  }

  bind(queue: WorkQueue<string>): void {
    this.queue = queue;
    this.informer.addEventHandler({ onAdd: (j) => queue.add(keyOf(j)), onUpdate: (_o, j) => queue.add(keyOf(j)) });
  }

  async reconcile(key: string): Promise<void> {
    const job = this.informer.lister.getByKey(key);
    if (!job || deletionTimestamp(job)) return;
    const ttl = (job.spec as Record<string, unknown> | undefined)?.ttlSecondsAfterFinished;
    if (typeof ttl !== 'number') return;
    const finished = finishTime(job);
    if (finished === undefined || !Number.isFinite(finished)) return;
    const expireAt = finished + ttl * 1000;
    const now = this.deps.clock.now();
    if (expireAt > now) {
      this.queue?.addAfter(key, expireAt - now);
      return;
    }
    const { namespace, name } = splitKey(key);
    // Re-read: the TTL may have changed since the cache saw it.
    let fresh: Obj;
    try {
      fresh = await this.client.get(namespace, name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const freshTtl = (fresh.spec as Record<string, unknown> | undefined)?.ttlSecondsAfterFinished;
    if (typeof freshTtl !== 'number' || finished + freshTtl * 1000 > now) return this.queue?.add(key);
    await this.client.delete(namespace, name, { propagationPolicy: 'Foreground', preconditions: { uid: uid(fresh), resourceVersion: (fresh.metadata as Record<string, string>).resourceVersion } }).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  }
}
