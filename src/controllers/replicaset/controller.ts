// The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps spec.replicas active
// pods matching the selector, adopting orphans and releasing pods that stop matching, and reports
// status. Creations use slow-start batches (1, 2, 4, ...) and expectations, so a lagging informer
// never causes double creates or deletes.
import { isNotFound } from '../../client/errors.js';
import { clone, controllerOf, deletionTimestamp, keyOf, labels, name, namespace, splitKey, uid } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';
import { labelSelectorFromObject, labelSelectorFromSet, matchesLabels } from '../../util/label-selector.js';
import type { LabelSelector } from '../../util/label-selector.js';
import type { WorkQueue } from '../../util/workqueue.js';
import { Expectations } from '../shared/expectations.js';
import { BY_CONTROLLER_UID, ownedResource } from '../shared/informers.js';
import type { OwnedResource } from '../shared/informers.js';
import { claim, controllerRef, podFromTemplate } from '../shared/owner-refs.js';
import { isPodActive, requeueWhenAvailable } from '../shared/pods.js';
import { PODS, REPLICASETS, REPLICATIONCONTROLLERS } from '../shared/resources.js';
import type { Gvr } from '../shared/resources.js';
import { omitZero, sameJson } from '../shared/status-util.js';
import { typed } from '../shared/events.js';
import type { WorkloadControllerDeps } from '../shared/types.js';
import { WorkloadControllerBase } from '../shared/workload-controller.js';
import { podsToDelete } from './pod-ranking.js';
import { calculateStatus } from './status.js';
import type { ManageError } from './status.js';

/** BurstReplicas upstream: the most pods created or deleted in one sync. */
const BURST_REPLICAS = 500;

/** What differs between ReplicaSets and ReplicationControllers (upstream runs one controller for both). */
export interface ReplicaSetKind {
  name: string;
  gvr: Gvr;
  apiVersion: string;
  kind: string;
  /** apps/v1 selectors are LabelSelectors; a ReplicationController's is a plain label map. */
  selector(spec: Record<string, unknown>): LabelSelector;
}

export const REPLICASET_KIND: ReplicaSetKind = {
  name: 'replicaset-controller',
  gvr: REPLICASETS,
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  selector: (spec) => labelSelectorFromObject(spec.selector),
};

export const REPLICATIONCONTROLLER_KIND: ReplicaSetKind = {
  name: 'replicationcontroller-controller',
  gvr: REPLICATIONCONTROLLERS,
  apiVersion: 'v1',
  kind: 'ReplicationController',
  selector: (spec) => {
    const sel = spec.selector as Record<string, string> | undefined;
    // An empty selector would select everything: treat it as selecting nothing.
    return sel && Object.keys(sel).length ? labelSelectorFromSet(sel) : { requirements: [], nothing: true };
  },
};

export class ReplicaSetController extends WorkloadControllerBase {
  readonly workers = 5;
  private readonly sets: OwnedResource;
  private readonly pods: OwnedResource;
  private readonly expectations: Expectations;

  constructor(
    deps: WorkloadControllerDeps,
    private readonly k: ReplicaSetKind = REPLICASET_KIND,
  ) {
    // Upstream's ReplicationManager records as "replication-controller".
    super(deps, k.name, k.kind === 'ReplicationController' ? 'replication-controller' : 'replicaset-controller');
    this.expectations = new Expectations(deps.clock);
    this.sets = ownedResource(deps, k.gvr);
    this.pods = ownedResource(deps, PODS);
  }

  protected watch(queue: WorkQueue<string>): void {
    this.sets.informer.addEventHandler({
      onAdd: (rs) => queue.add(keyOf(rs)),
      onUpdate: (_o, rs) => queue.add(keyOf(rs)),
      onDelete: (rs) => {
        this.expectations.delete(keyOf(rs));
        queue.add(keyOf(rs));
      },
    });
    this.pods.informer.addEventHandler({
      onAdd: (pod) => {
        const owner = this.ownerKey(pod);
        if (owner) {
          this.expectations.creationObserved(owner);
          queue.add(owner);
        } else this.enqueueMatching(pod);
      },
      onUpdate: (old, pod) => {
        const owner = this.ownerKey(pod);
        const oldOwner = this.ownerKey(old);
        if (deletionTimestamp(pod) && !deletionTimestamp(old) && owner) this.expectations.deletionObserved(owner, keyOf(pod));
        if (oldOwner && oldOwner !== owner) queue.add(oldOwner);
        if (owner) {
          queue.add(owner);
          requeueWhenAvailable(queue, owner, this.sets.informer.lister.getByKey(owner), old, pod);
        } else this.enqueueMatching(pod);
      },
      onDelete: (pod) => {
        const owner = this.ownerKey(pod);
        if (!owner) return;
        this.expectations.deletionObserved(owner, keyOf(pod));
        queue.add(owner);
      },
    });
  }

  /** The key of the ReplicaSet controlling `pod`, if one in the cache does. */
  private ownerKey(pod: Obj): string | undefined {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== this.k.kind) return undefined;
    const rs = this.sets.informer.lister.get(namespace(pod), ref.name);
    if (!rs || uid(rs) !== ref.uid) return undefined;
    return keyOf(rs);
  }

  /** An orphan pod: every ReplicaSet whose selector matches may adopt it. */
  private enqueueMatching(pod: Obj): void {
    if (!this.queue) return;
    for (const rs of this.sets.informer.lister.list(namespace(pod))) {
      try {
        const sel = this.k.selector((rs.spec ?? {}) as Record<string, unknown>);
        if (matchesLabels(sel, labels(pod))) this.queue.add(keyOf(rs));
      } catch {
        // an invalid selector selects nothing
      }
    }
  }

  async reconcile(key: string): Promise<void> {
    const rs = this.sets.informer.lister.getByKey(key);
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    const spec = (rs.spec ?? {}) as Record<string, unknown>;
    let selector;
    try {
      selector = this.k.selector(spec);
    } catch {
      return; // invalid selectors are rejected by validation; nothing to do
    }
    const { namespace: ns } = splitKey(key);
    const candidates = this.pods.informer.lister.list(ns).filter(isPodActive);
    const pods = await claim(
      {
        owner: rs,
        apiVersion: this.k.apiVersion,
        kind: this.k.kind,
        selector,
        client: this.pods.client,
        fresh: async () => this.sets.client.get(ns, name(rs)).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e))),
      },
      candidates,
    );
    let manageErr: ManageError | undefined;
    if (needsSync && !deletionTimestamp(rs)) manageErr = await this.manageReplicas(key, rs, pods);
    await this.updateStatus(rs, pods, manageErr);
    if (manageErr) throw manageErr.err;
  }

  private async manageReplicas(key: string, rs: Obj, pods: Obj[]): Promise<ManageError | undefined> {
    const spec = (rs.spec ?? {}) as Record<string, unknown>;
    const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
    let diff = pods.length - replicas;
    if (diff < 0) {
      diff = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, diff);
      const template = (spec.template ?? {}) as Obj;
      const ref = controllerRef(rs, this.k.apiVersion, this.k.kind);
      const { created, err } = await slowStartBatch(diff, 1, async () => {
        const pod = await this.pods.client.create(namespace(rs), podFromTemplate(template, rs, ref));
        // RealPodControl.CreatePods
        this.events.event(typed(rs, this.k.apiVersion, this.k.kind), 'Normal', 'SuccessfulCreate', `Created pod: ${name(pod)}`);
      });
      // Creations that were never attempted or failed will never be observed.
      for (let i = created; i < diff; i++) this.expectations.creationObserved(key);
      return err ? { err, creating: true } : undefined;
    }
    if (diff > 0) {
      diff = Math.min(diff, BURST_REPLICAS);
      const related = this.relatedPods(rs);
      const victims = podsToDelete(pods, related, diff);
      this.expectations.expectDeletions(key, victims.map(keyOf));
      let firstErr: Error | undefined;
      await Promise.all(
        victims.map(async (p) => {
          try {
            await this.pods.client.delete(namespace(p), name(p), { preconditions: { uid: uid(p) } });
            this.events.event(typed(rs, this.k.apiVersion, this.k.kind), 'Normal', 'SuccessfulDelete', `Deleted pod: ${name(p)}`);
          } catch (e) {
            this.expectations.deletionObserved(key, keyOf(p));
            if (!isNotFound(e)) firstErr ??= e as Error;
          }
        }),
      );
      return firstErr ? { err: firstErr, creating: false } : undefined;
    }
    return undefined;
  }

  /** Active pods of ReplicaSets with the same controller (siblings under one Deployment), for ranking. */
  private relatedPods(rs: Obj): Obj[] {
    const owner = controllerOf(rs);
    const siblings = owner ? this.sets.informer.lister.byIndex(BY_CONTROLLER_UID, owner.uid) : [rs];
    const out: Obj[] = [];
    for (const s of siblings) for (const p of this.pods.informer.lister.byIndex(BY_CONTROLLER_UID, uid(s))) if (isPodActive(p)) out.push(p);
    return out;
  }

  private async updateStatus(rs: Obj, pods: Obj[], manageErr: ManageError | undefined): Promise<void> {
    const now = this.deps.clock.now();
    const status = omitZero(calculateStatus(rs, pods, manageErr, now), ['replicas']);
    if (sameJson(status, rs.status)) return;
    const next = clone(rs);
    next.status = status;
    try {
      await this.sets.client.updateStatus(undefined, next);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    // minReadySeconds: pods ready but not yet available are looked at again when they will be.
    const spec = (rs.spec ?? {}) as Record<string, unknown>;
    const minReady = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
    if (!manageErr && minReady > 0 && status.readyReplicas === spec.replicas && status.availableReplicas !== spec.replicas) {
      this.queue?.addAfter(keyOf(rs), minReady * 1000);
    }
  }
}

/**
 * controller.slowStartBatch: runs `count` calls in batches of initial, 2x, 4x, ... and stops after
 * the first batch with a failure. Returns how many succeeded and the first error.
 */
export async function slowStartBatch(count: number, initial: number, fn: () => Promise<void>): Promise<{ created: number; err?: Error }> {
  let remaining = count;
  let created = 0;
  for (let batch = Math.min(remaining, initial); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, fn));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    created += batch - failed.length;
    if (failed.length) return { created, err: failed[0].reason as Error };
    remaining -= batch;
  }
  return { created };
}
