// The StatefulSet controller (pkg/controller/statefulset/stateful_set_control.go): pods
// <set>-<ordinal> with stable hostnames and claims from volumeClaimTemplates; OrderedReady
// (create in order, each Running and Ready before the next; remove from the highest ordinal) or
// Parallel; RollingUpdate from the highest ordinal down to the partition, one pod at a time,
// or OnDelete; ControllerRevisions with currentRevision/updateRevision and the status counts.
import { isAlreadyExists, isConflict, isNotFound } from '../../client/errors.js';
import { clone, deletionTimestamp, generation, keyOf, labels, name, namespace, splitKey, uid } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';
import { labelSelectorFromObject } from '../../util/label-selector.js';
import type { WorkQueue } from '../../util/workqueue.js';
import { CONTROLLER_REVISION_HASH, currentRevisionCountingCollisions, truncateHistory } from '../shared/controller-revision.js';
import { BY_CONTROLLER_UID, informerOf, ownedResource } from '../shared/informers.js';
import { claim, controllerKey, controllerRef, podFromTemplate } from '../shared/owner-refs.js';
import { isPodAvailable, isPodReady, phase, requeueWhenAvailable } from '../shared/pods.js';
import { CONTROLLERREVISIONS, PODS, PVCS, STATEFULSETS, resourceClient } from '../shared/resources.js';
import { omitZero, sameJson } from '../shared/status-util.js';
import { typed } from '../shared/events.js';
import type { WorkloadControllerDeps } from '../shared/types.js';
import { WorkloadControllerBase } from '../shared/workload-controller.js';
import { addClaimVolumes, claimName, claimsFor, ordinalOf, POD_INDEX_LABEL, POD_NAME_LABEL, podName } from './identity.js';

function runningAndReady(p: Obj): boolean {
  return phase(p) === 'Running' && isPodReady(p);
}
function finished(p: Obj): boolean {
  return phase(p) === 'Failed' || phase(p) === 'Succeeded';
}

/** The pod template a revision recorded (its data without the "$patch" directive). */
function templateOf(rev: Obj): Obj {
  const t = structuredClone((((rev.data ?? {}) as Record<string, unknown>).spec as Record<string, unknown> | undefined)?.template ?? {}) as Obj;
  delete t.$patch;
  return t;
}

export class StatefulSetController extends WorkloadControllerBase {
  readonly workers = 2;
  private readonly statefulSets = ownedResource(this.deps, STATEFULSETS);
  private readonly pods = ownedResource(this.deps, PODS);
  private readonly revisions = ownedResource(this.deps, CONTROLLERREVISIONS);
  private readonly pvcClient = resourceClient(this.deps.client, PVCS);
  private readonly pvcInformer = informerOf(this.deps.informers, PVCS);

  constructor(deps: WorkloadControllerDeps) {
    super(deps, 'statefulset-controller');
  }

  protected watch(queue: WorkQueue<string>): void {
    this.statefulSets.informer.addEventHandler({ onAdd: (s) => queue.add(keyOf(s)), onUpdate: (_o, s) => queue.add(keyOf(s)) });
    const onPod = (p: Obj) => {
      const k = controllerKey(p, 'StatefulSet');
      if (k) queue.add(k);
    };
    this.pods.informer.addEventHandler({
      onAdd: onPod,
      onUpdate: (o, p) => {
        onPod(p);
        const k = controllerKey(p, 'StatefulSet');
        const set = k ? this.statefulSets.informer.lister.getByKey(k) : undefined;
        if (set) requeueWhenAvailable(queue, keyOf(set), set, o, p);
      },
      onDelete: onPod,
    });
  }

  async reconcile(key: string): Promise<void> {
    const cached = this.statefulSets.informer.lister.getByKey(key);
    if (!cached || deletionTimestamp(cached)) return;
    const set = clone(cached);
    const spec = (set.spec ?? {}) as Record<string, unknown>;
    const { namespace: ns } = splitKey(key);
    let selector;
    try {
      selector = labelSelectorFromObject(spec.selector);
    } catch {
      return;
    }
    const old = (set.status ?? {}) as Record<string, unknown>;
    const revisions = this.revisions.informer.lister.byIndex(BY_CONTROLLER_UID, uid(set));
    const update = await currentRevisionCountingCollisions(this.revisions.client, this.statefulSets.client, set, 'StatefulSet', revisions);
    const updateRev = update.revision;
    const allRevs = [...revisions.filter((r) => uid(r) !== uid(updateRev)), updateRev];
    const currentRev = allRevs.find((r) => name(r) === old.currentRevision) ?? updateRev;

    const pods = (
      await claim(
        { owner: set, apiVersion: 'apps/v1', kind: 'StatefulSet', selector, client: this.pods.client, fresh: async () => this.statefulSets.client.get(ns, name(set)).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e))) },
        this.pods.informer.lister.list(ns),
      )
    ).filter((p) => ordinalOf(set, p) !== undefined);

    const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
    const start = Number(((spec.ordinals ?? {}) as Record<string, unknown>).start ?? 0);
    const monotonic = spec.podManagementPolicy !== 'Parallel';
    const strategy = (spec.updateStrategy ?? {}) as Record<string, unknown>;
    const partition = Number(((strategy.rollingUpdate ?? {}) as Record<string, unknown>).partition ?? 0);
    const slots = new Map<number, Obj>();
    const condemned: Obj[] = [];
    for (const p of pods) {
      const ord = ordinalOf(set, p)!;
      if (ord >= start && ord < start + replicas) slots.set(ord, p);
      else condemned.push(p);
    }
    condemned.sort((a, b) => ordinalOf(set, b)! - ordinalOf(set, a)!);
    const revisionOfPod = (p: Obj) => labels(p)[CONTROLLER_REVISION_HASH];

    await this.claimRetention(set, pods, start, replicas);
    await this.act(set, start, replicas, slots, condemned, monotonic, strategy.type === 'OnDelete' ? undefined : partition, currentRev, updateRev);

    // Status over the pods as the cache now shows them (the next event brings the rest).
    let ready = 0;
    let available = 0;
    let current = 0;
    let updated = 0;
    const minReady = Number(spec.minReadySeconds ?? 0);
    const now = this.deps.clock.now();
    for (const p of pods) {
      if (isPodReady(p)) {
        ready++;
        if (isPodAvailable(p, minReady, now)) available++;
      }
      if (revisionOfPod(p) === name(currentRev) && !deletionTimestamp(p)) current++;
      if (revisionOfPod(p) === name(updateRev) && !deletionTimestamp(p)) updated++;
    }
    let currentRevName = name(currentRev);
    // completeRollingUpdate: once every replica is updated and ready, the update revision becomes current.
    if (updated === replicas && pods.length === replicas && ready === replicas) {
      currentRevName = name(updateRev);
      current = updated;
    }
    const status = omitZero(
      {
        observedGeneration: generation(set),
        replicas: pods.length,
        readyReplicas: ready,
        currentReplicas: current,
        updatedReplicas: updated,
        currentRevision: currentRevName,
        updateRevision: name(updateRev),
        collisionCount: old.collisionCount ?? 0,
        availableReplicas: available,
        conditions: old.conditions,
      },
      ['replicas', 'collisionCount', 'availableReplicas'],
    );
    if (!sameJson(status, old)) {
      set.status = status;
      await this.statefulSets.client.updateStatus(undefined, set);
    }
    const inUse = new Set([name(currentRev), name(updateRev), ...pods.map(revisionOfPod)]);
    await truncateHistory(this.revisions.client, allRevs.map((r) => ({ ...r, metadata: { ...(r.metadata as Obj), labels: { [CONTROLLER_REVISION_HASH]: name(r) } } })), Number(spec.revisionHistoryLimit ?? 10), inUse);
  }

  /** One pass of updateStatefulSet: at most one step at a time in OrderedReady mode. */
  private async act(set: Obj, start: number, replicas: number, slots: Map<number, Obj>, condemned: Obj[], monotonic: boolean, partition: number | undefined, currentRev: Obj, updateRev: Obj): Promise<void> {
    // Create missing pods, replace failed ones; in order, waiting on each.
    for (let ord = start; ord < start + replicas; ord++) {
      const pod = slots.get(ord);
      if (pod && finished(pod) && !deletionTimestamp(pod)) {
        await this.deletePod(set, pod);
        if (monotonic) return;
        continue;
      }
      if (!pod) {
        // Ordinals below the partition keep the current revision.
        const rev = partition !== undefined && ord - start < partition ? currentRev : updateRev;
        await this.createPod(set, ord, rev);
        if (monotonic) return;
        continue;
      }
      if (deletionTimestamp(pod) && monotonic) return;
      if (monotonic && !runningAndReady(pod)) return;
    }
    // Remove condemned pods from the highest ordinal.
    for (const pod of condemned) {
      if (deletionTimestamp(pod)) {
        if (monotonic) return;
        continue;
      }
      await this.deletePod(set, pod);
      if (monotonic) return;
    }
    if (partition === undefined) return;
    // RollingUpdate: from the highest ordinal down to the partition, one unhealthy pod at a time.
    const all = [...slots.values()];
    if (all.some((p) => deletionTimestamp(p) || !runningAndReady(p))) return;
    for (let ord = start + replicas - 1; ord >= start + partition; ord--) {
      const pod = slots.get(ord);
      if (!pod) return;
      if (labels(pod)[CONTROLLER_REVISION_HASH] !== name(updateRev)) {
        await this.deletePod(set, pod);
        return;
      }
    }
  }

  /**
   * persistentVolumeClaimRetentionPolicy (StatefulSetAutoDeletePVC): claims of condemned pods are
   * owned by their pod when whenScaled is Delete; other claims by the set when whenDeleted is
   * Delete; the garbage collector then removes them with their owner.
   */
  private async claimRetention(set: Obj, pods: Obj[], start: number, replicas: number): Promise<void> {
    const spec = (set.spec ?? {}) as Record<string, unknown>;
    const policy = (spec.persistentVolumeClaimRetentionPolicy ?? {}) as Record<string, unknown>;
    const templates = (Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : []) as Obj[];
    if (!templates.length) return;
    for (const pod of pods) {
      const ord = ordinalOf(set, pod)!;
      const condemned = ord < start || ord >= start + replicas;
      let owner: Obj | undefined;
      let kind = '';
      if (condemned && policy.whenScaled === 'Delete') [owner, kind] = [pod, 'Pod'];
      else if (policy.whenDeleted === 'Delete') [owner, kind] = [set, 'StatefulSet'];
      for (const t of templates) {
        const pvc = this.pvcInformer.lister.get(namespace(set), claimName(t, name(pod)));
        if (!pvc) continue;
        const refs = ((pvc.metadata as Record<string, unknown>).ownerReferences ?? []) as Obj[];
        const others = refs.filter((r) => r.uid !== uid(set) && r.uid !== uid(pod));
        const want = owner ? [...others, { apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1', kind, name: name(owner), uid: uid(owner), blockOwnerDeletion: true }] : others;
        if (sameJson(want, refs)) continue;
        const next = clone(pvc);
        const m = next.metadata as Record<string, unknown>;
        if (want.length) m.ownerReferences = want;
        else delete m.ownerReferences;
        await this.pvcClient.update(undefined, next).catch((e) => (isNotFound(e) || isConflict(e) ? undefined : Promise.reject(e)));
      }
    }
  }

  private async createPod(set: Obj, ordinal: number, rev: Obj): Promise<void> {
    const pn = podName(set, ordinal);
    const template = templateOf(rev);
    const pod = podFromTemplate(template, set, controllerRef(set, 'apps/v1', 'StatefulSet'), pn);
    const m = pod.metadata as Record<string, unknown>;
    m.labels = { ...((m.labels ?? {}) as Record<string, string>), [POD_NAME_LABEL]: pn, [POD_INDEX_LABEL]: String(ordinal), [CONTROLLER_REVISION_HASH]: name(rev) };
    const podSpec = pod.spec as Record<string, unknown>;
    podSpec.hostname = pn;
    const serviceName = (set.spec as Record<string, unknown>).serviceName;
    if (typeof serviceName === 'string' && serviceName) podSpec.subdomain = serviceName;
    addClaimVolumes(set, podSpec, pn);
    for (const pvc of claimsFor(set, pn)) {
      await this.pvcClient.create(namespace(set), pvc).catch((e) => (isAlreadyExists(e) ? undefined : Promise.reject(e)));
    }
    // recordPodEvent: only a create that happened is reported (AlreadyExists returns early upstream).
    const created = await this.pods.client.create(namespace(set), pod).catch((e) => (isAlreadyExists(e) ? undefined : Promise.reject(e)));
    if (created) this.events.event(typed(set, 'apps/v1', 'StatefulSet'), 'Normal', 'SuccessfulCreate', `create Pod ${pn} in StatefulSet ${name(set)} successful`);
  }

  private async deletePod(set: Obj, pod: Obj): Promise<void> {
    const deleted = await this.pods.client
      .delete(namespace(pod), name(pod), { preconditions: { uid: uid(pod) } })
      .then(() => true)
      .catch((e) => (isNotFound(e) || isConflict(e) ? false : Promise.reject(e)));
    if (deleted) this.events.event(typed(set, 'apps/v1', 'StatefulSet'), 'Normal', 'SuccessfulDelete', `delete Pod ${name(pod)} in StatefulSet ${name(set)} successful`);
  }
}
