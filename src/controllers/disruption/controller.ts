// The disruption controller (pkg/controller/disruption/disruption.go): PodDisruptionBudget status
// from the pods its selector matches and the scale of their controllers: expectedPods,
// desiredHealthy (from minAvailable or maxUnavailable, percentages rounded up), currentHealthy
// (ready pods not being deleted and not recently evicted), disruptionsAllowed, the
// DisruptionAllowed condition (SufficientPods / InsufficientPods), and disruptedPods entries
// expiring after two minutes. The eviction endpoint spends disruptionsAllowed.
import type { Informer } from '../../client/informer.js';
import { clone, controllerOf, deletionTimestamp, generation, keyOf, labels, name, namespace, splitKey } from '../../client/objects.js';
import type { Obj, ResourceClient } from '../../client/types.js';
import { labelSelectorFromObject, matchesLabels } from '../../util/label-selector.js';
import type { WorkQueue } from '../../util/workqueue.js';
import { rfc3339 } from '../shared/conditions.js';
import type { Condition } from '../shared/conditions.js';
import { informerOf } from '../shared/informers.js';
import { scaledValue } from '../shared/int-or-percent.js';
import { isPodReady } from '../shared/pods.js';
import { DEPLOYMENTS, PDBS, PODS, REPLICASETS, REPLICATIONCONTROLLERS, STATEFULSETS, resourceClient } from '../shared/resources.js';
import type { Gvr } from '../shared/resources.js';
import { sameJson } from '../shared/status-util.js';
import type { ControllerDeps, WorkloadController } from '../shared/types.js';

/** DeletionTimeout: an eviction recorded in disruptedPods counts for this long. */
const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

class SyncError extends Error {}

export class DisruptionController implements WorkloadController {
  readonly name = 'disruption-controller';
  readonly workers = 2;
  private readonly pdbInformer: Informer;
  private readonly podInformer: Informer;
  private readonly informers: Map<string, Informer>;
  private readonly pdbClient: ResourceClient;
  private queue: WorkQueue<string> | undefined;

  constructor(private readonly deps: ControllerDeps) {
    this.pdbInformer = informerOf(deps.informers, PDBS);
    this.podInformer = informerOf(deps.informers, PODS);
    const gvrs: [string, Gvr][] = [
      ['ReplicaSet', REPLICASETS],
      ['Deployment', DEPLOYMENTS],
      ['StatefulSet', STATEFULSETS],
      ['ReplicationController', REPLICATIONCONTROLLERS],
    ];
    this.informers = new Map(gvrs.map(([k, g]) => [k, informerOf(deps.informers, g)]));
    this.pdbClient = resourceClient(deps.client, PDBS);
  }

  bind(queue: WorkQueue<string>): void {
    this.queue = queue;
    this.pdbInformer.addEventHandler({ onAdd: (p) => queue.add(keyOf(p)), onUpdate: (_o, p) => queue.add(keyOf(p)) });
    const onPod = (pod: Obj) => {
      for (const pdb of this.pdbInformer.lister.list(namespace(pod))) {
        try {
          if (matchesLabels(labelSelectorFromObject((pdb.spec as Record<string, unknown>)?.selector), labels(pod))) queue.add(keyOf(pdb));
        } catch {
          // invalid selector: matches nothing
        }
      }
    };
    this.podInformer.addEventHandler({ onAdd: onPod, onUpdate: (o, p) => (onPod(o), onPod(p)), onDelete: onPod });
    // A controller's scale changes the expected pod count.
    for (const inf of this.informers.values()) {
      inf.addEventHandler({
        onUpdate: (o, n) => {
          if ((o.spec as Record<string, unknown>)?.replicas === (n.spec as Record<string, unknown>)?.replicas) return;
          for (const pdb of this.pdbInformer.lister.list(namespace(n))) queue.add(keyOf(pdb));
        },
      });
    }
  }

  /** getExpectedScale: the replicas of the distinct controllers of `pods`. */
  private expectedScale(pods: Obj[]): number {
    const seen = new Map<string, number>();
    for (const pod of pods) {
      const ref = controllerOf(pod);
      if (!ref) continue; // unmanaged pods are ignored (upstream warns with an event)
      let owner = this.informers.get(ref.kind)?.lister.get(namespace(pod), ref.name);
      if (!owner || (owner.metadata as Record<string, unknown>).uid !== ref.uid) throw new SyncError(`found no controllers for pod "${name(pod)}"`);
      if (ref.kind === 'ReplicaSet') {
        const dref = controllerOf(owner);
        const d = dref?.kind === 'Deployment' ? this.informers.get('Deployment')!.lister.get(namespace(pod), dref.name) : undefined;
        if (d) owner = d;
      }
      const uid = String((owner.metadata as Record<string, unknown>).uid);
      const r = (owner.spec as Record<string, unknown>)?.replicas;
      seen.set(uid, typeof r === 'number' ? r : 1);
    }
    return [...seen.values()].reduce((a, b) => a + b, 0);
  }

  async reconcile(key: string): Promise<void> {
    const cached = this.pdbInformer.lister.getByKey(key);
    if (!cached || deletionTimestamp(cached)) return;
    const pdb = clone(cached);
    const spec = (pdb.spec ?? {}) as Record<string, unknown>;
    const { namespace: ns } = splitKey(key);
    const now = this.deps.clock.now();
    const old = (pdb.status ?? {}) as Record<string, unknown>;
    let status: Record<string, unknown>;
    let nextExpiry: number | undefined;
    try {
      const selector = labelSelectorFromObject(spec.selector);
      const pods = this.podInformer.lister.list(ns, selector);
      let expected: number;
      let desired: number;
      if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
        expected = this.expectedScale(pods);
        desired = Math.max(0, expected - scaledValue(spec.maxUnavailable, expected, true));
      } else if (typeof spec.minAvailable === 'number') {
        desired = spec.minAvailable;
        expected = pods.length;
      } else if (typeof spec.minAvailable === 'string') {
        expected = this.expectedScale(pods);
        desired = scaledValue(spec.minAvailable, expected, true);
      } else {
        expected = pods.length;
        desired = 0;
      }
      // disruptedPods: evictions not yet seen through; expire after DeletionTimeout.
      const disrupted: Record<string, string> = {};
      const byName = new Map(pods.map((p) => [name(p), p]));
      for (const [podName, at] of Object.entries((old.disruptedPods ?? {}) as Record<string, string>)) {
        const p = byName.get(podName);
        if (!p || deletionTimestamp(p)) continue;
        const expiry = Date.parse(at) + DELETION_TIMEOUT_MS;
        if (expiry < now) continue;
        disrupted[podName] = at;
        nextExpiry = Math.min(nextExpiry ?? expiry, expiry);
      }
      const healthy = pods.filter((p) => !deletionTimestamp(p) && isPodReady(p) && disrupted[name(p)] === undefined).length;
      const allowed = Math.max(0, healthy - desired);
      status = {
        ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
        disruptionsAllowed: allowed,
        currentHealthy: healthy,
        desiredHealthy: desired,
        expectedPods: expected,
        conditions: this.condition(old, allowed > 0 ? 'True' : 'False', allowed > 0 ? 'SufficientPods' : 'InsufficientPods', '', generation(pdb), now),
        observedGeneration: generation(pdb),
      };
    } catch (e) {
      if (!(e instanceof SyncError) && !(e instanceof Error && e.name === 'LabelSelectorError')) throw e;
      // failSafe: no disruptions while the budget cannot be computed.
      status = {
        ...(old.disruptedPods ? { disruptedPods: old.disruptedPods } : {}),
        disruptionsAllowed: 0,
        currentHealthy: Number(old.currentHealthy ?? 0),
        desiredHealthy: Number(old.desiredHealthy ?? 0),
        expectedPods: Number(old.expectedPods ?? 0),
        conditions: this.condition(old, 'False', 'SyncFailed', (e as Error).message, generation(pdb), now),
        observedGeneration: generation(pdb),
      };
    }
    if (!sameJson(status, old)) {
      pdb.status = status;
      await this.pdbClient.updateStatus(undefined, pdb);
    }
    if (nextExpiry !== undefined) this.queue?.addAfter(key, nextExpiry - now + 1);
  }

  /** meta.SetStatusCondition for DisruptionAllowed. */
  private condition(old: Record<string, unknown>, status: Condition['status'], reason: string, message: string, gen: number, now: number): Condition[] {
    const conds = (Array.isArray(old.conditions) ? old.conditions : []) as (Condition & { observedGeneration?: number })[];
    const cur = conds.find((c) => c.type === 'DisruptionAllowed');
    const next = { type: 'DisruptionAllowed', status, reason, message, observedGeneration: gen, lastTransitionTime: cur && cur.status === status ? cur.lastTransitionTime : rfc3339(now) };
    return [...conds.filter((c) => c.type !== 'DisruptionAllowed'), next];
  }
}
