// The Deployment controller (pkg/controller/deployment): owns ReplicaSets by pod-template-hash,
// rolls out with RollingUpdate (maxSurge/maxUnavailable) or Recreate, scales proportionally
// during a rollout, keeps revision annotations and revisionHistoryLimit, honours spec.paused and
// reports progress (progressDeadlineSeconds) through the Progressing and Available conditions.
// A rollback (kubectl rollout undo patches an old template back) finds the old ReplicaSet as the
// new one and moves its revision to the top.
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import { annotations, clone, controllerOf, keyOf, labels, name, namespace, splitKey, uid } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';
import { labelSelectorFromObject, matchesLabels } from '../../util/label-selector.js';
import type { WorkQueue } from '../../util/workqueue.js';
import { typed } from '../shared/events.js';
import { getCondition } from '../shared/conditions.js';
import { computeHash } from '../shared/hash.js';
import { BY_CONTROLLER_UID, ownedInformer, ownedResource } from '../shared/informers.js';
import { claim, controllerKey, controllerRef } from '../shared/owner-refs.js';
import { phase } from '../shared/pods.js';
import { DEPLOYMENTS, PODS, REPLICASETS } from '../shared/resources.js';
import { omitZero, sameJson } from '../shared/status-util.js';
import type { WorkloadControllerDeps } from '../shared/types.js';
import { WorkloadControllerBase } from '../shared/workload-controller.js';
import { calculateStatus, hasProgressDeadline, isComplete, newCondition, REASONS, rolloutConditions, setDeploymentCondition } from './status.js';
import type { DeploymentStatus } from './status.js';
import {
  availableOf,
  byCreation,
  copiedAnnotations,
  DESIRED_REPLICAS,
  findNewReplicaSet,
  isActive,
  isDeleting,
  isRollingUpdate,
  labelsWithHash,
  maxRevision,
  maxSurge,
  maxUnavailable,
  POD_TEMPLATE_HASH,
  replicasAnnotations,
  replicasOf,
  REVISION,
  REVISION_HISTORY,
  revisionOf,
  spec,
  statusNum,
  sumReplicas,
  sumStatus,
} from './util.js';

export class DeploymentController extends WorkloadControllerBase {
  readonly workers = 5;
  private readonly deployments = ownedResource(this.deps, DEPLOYMENTS);
  private readonly replicaSets = ownedResource(this.deps, REPLICASETS);
  private readonly podInformer = ownedInformer(this.deps.informers, PODS);

  constructor(deps: WorkloadControllerDeps) {
    super(deps, 'deployment-controller');
  }

  protected watch(queue: WorkQueue<string>): void {
    this.deployments.informer.addEventHandler({ onAdd: (d) => queue.add(keyOf(d)), onUpdate: (_o, d) => queue.add(keyOf(d)), onDelete: (d) => queue.add(keyOf(d)) });
    const onRS = (rs: Obj) => {
      const ref = controllerOf(rs);
      if (ref) {
        if (ref.kind === 'Deployment') queue.add(`${namespace(rs)}/${ref.name}`);
        return;
      }
      for (const d of this.deployments.informer.lister.list(namespace(rs))) {
        try {
          if (matchesLabels(labelSelectorFromObject(spec(d).selector), labels(rs))) queue.add(keyOf(d));
        } catch {
          // invalid selector: selects nothing
        }
      }
    };
    this.replicaSets.informer.addEventHandler({
      onAdd: onRS,
      onUpdate: (old, rs) => {
        const oldRef = controllerOf(old);
        if (oldRef && oldRef.uid !== controllerOf(rs)?.uid && oldRef.kind === 'Deployment') queue.add(`${namespace(old)}/${oldRef.name}`);
        onRS(rs);
      },
      onDelete: onRS,
    });
    // Recreate waits for old pods to be gone.
    this.podInformer.addEventHandler({
      onDelete: (pod) => {
        const ref = controllerOf(pod);
        if (ref?.kind !== 'ReplicaSet') return;
        const rs = this.replicaSets.informer.lister.get(namespace(pod), ref.name);
        const k = rs && controllerKey(rs, 'Deployment');
        if (k) queue.add(k);
      },
    });
  }

  async reconcile(key: string): Promise<void> {
    const cached = this.deployments.informer.lister.getByKey(key);
    if (!cached) return;
    const d = clone(cached);
    let selector;
    try {
      selector = labelSelectorFromObject(spec(d).selector);
    } catch {
      return;
    }
    // An empty selector would select every pod: upstream refuses to act on it.
    if (!selector.nothing && selector.requirements.length === 0) return;
    const { namespace: ns } = splitKey(key);
    const rsList = await claim(
      {
        owner: d,
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        selector,
        client: this.replicaSets.client,
        fresh: async () => this.deployments.client.get(ns, name(d)).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e))),
      },
      this.replicaSets.informer.lister.list(ns),
    );
    const run = new Sync(this, d, rsList);
    if (isDeleting(d)) return run.syncStatusOnly();
    await run.checkPausedConditions();
    if (spec(d).paused === true) return run.sync();
    if (await run.isScalingEvent()) return run.sync();
    if (isRollingUpdate(d)) return run.rolloutRolling();
    return run.rolloutRecreate();
  }

  /** Internals the per-sync helper uses. */
  get clients() {
    return { d: this.deployments.client, rs: this.replicaSets.client };
  }
  get clock() {
    return this.deps.clock;
  }
  podsOf(rs: Obj): Obj[] {
    return this.podInformer.lister.byIndex(BY_CONTROLLER_UID, uid(rs));
  }
  requeueAfter(key: string, ms: number): void {
    this.queue?.addAfter(key, ms);
  }
}

/** One sync of one Deployment: its ReplicaSets as this sync has last written them. */
class Sync {
  private rss: Obj[];

  constructor(
    private readonly c: DeploymentController,
    private d: Obj,
    rsList: Obj[],
  ) {
    this.rss = rsList.map((rs) => clone(rs));
  }

  private replace(rs: Obj): Obj {
    this.rss = this.rss.map((x) => (uid(x) === uid(rs) ? rs : x));
    if (!this.rss.some((x) => uid(x) === uid(rs))) this.rss.push(rs);
    return rs;
  }

  private split(): { newRS: Obj | undefined; oldRSs: Obj[] } {
    const newRS = findNewReplicaSet(this.d, this.rss);
    return { newRS, oldRSs: this.rss.filter((rs) => rs !== newRS) };
  }

  private async updateDeploymentStatus(status: DeploymentStatus): Promise<void> {
    const next = clone(this.d);
    next.status = omitZero(status as Record<string, unknown>);
    if (sameJson(next.status, this.d.status)) return;
    this.d = await this.c.clients.d.updateStatus(undefined, next);
  }

  /** SetDeploymentRevision, written as a metadata patch (annotations do not bump generation). */
  private async setDeploymentRevision(revision: number): Promise<void> {
    if (annotations(this.d)[REVISION] === String(revision)) return;
    this.d = await this.c.clients.d.patch(namespace(this.d), name(this.d), 'merge', { metadata: { annotations: { [REVISION]: String(revision) } } });
  }

  /** getAllReplicaSetsAndSyncRevision + getNewReplicaSet. */
  private async syncRevision(createIfMissing: boolean): Promise<{ newRS: Obj | undefined; oldRSs: Obj[] }> {
    const parts = this.split();
    let newRS = parts.newRS;
    const oldRSs = parts.oldRSs;
    const newRevision = maxRevision(oldRSs) + 1;
    const now = this.c.clock.now();
    if (newRS) {
      const copy = clone(newRS);
      const changed = setNewReplicaSetAnnotations(this.d, copy, newRevision, true);
      const minReady = spec(this.d).minReadySeconds ?? 0;
      if (changed || (spec(copy).minReadySeconds ?? 0) !== minReady) {
        (copy.spec as Record<string, unknown>).minReadySeconds = minReady;
        newRS = this.replace(await this.c.clients.rs.update(undefined, copy));
      }
      await this.setDeploymentRevision(revisionOf(newRS));
      if (hasProgressDeadline(this.d) && !getCondition(this.d.status, 'Progressing')) {
        const status = (this.d.status ?? {}) as DeploymentStatus;
        const conds = setDeploymentCondition(status.conditions ?? [], newCondition('Progressing', 'True', REASONS.foundNewRS, `Found new replica set "${name(newRS)}"`, now));
        await this.updateDeploymentStatus({ ...status, conditions: conds });
      }
      return { newRS, oldRSs };
    }
    if (!createIfMissing) return { newRS: undefined, oldRSs };

    const status = (this.d.status ?? {}) as DeploymentStatus;
    const template = structuredClone((spec(this.d).template ?? {}) as Obj);
    const hash = computeHash(template, status.collisionCount);
    const tmeta = (template.metadata ?? {}) as Record<string, unknown>;
    tmeta.labels = labelsWithHash((tmeta.labels ?? {}) as Record<string, string>, hash);
    template.metadata = tmeta;
    const selector = structuredClone((spec(this.d).selector ?? {}) as Record<string, unknown>);
    selector.matchLabels = { ...((selector.matchLabels ?? {}) as Record<string, string>), [POD_TEMPLATE_HASH]: hash };
    const rs: Obj = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `${name(this.d)}-${hash}`, namespace: namespace(this.d), ownerReferences: [controllerRef(this.d, 'apps/v1', 'Deployment')], labels: tmeta.labels },
      spec: { replicas: 0, minReadySeconds: spec(this.d).minReadySeconds ?? 0, selector, template },
    };
    (rs.spec as Record<string, unknown>).replicas = newRSNewReplicas(this.d, [...oldRSs, rs], rs);
    setNewReplicaSetAnnotations(this.d, rs, newRevision, false);
    let created: Obj;
    try {
      created = await this.c.clients.rs.create(namespace(this.d), rs);
    } catch (err) {
      if (!isAlreadyExists(err)) {
        const conds = setDeploymentCondition(status.conditions ?? [], newCondition('ReplicaFailure', 'True', REASONS.failedCreate, `Failed to create new replica set "${name(rs)}": ${(err as Error).message}`, now));
        await this.updateDeploymentStatus({ ...status, conditions: conds });
        throw err;
      }
      const existing = await this.c.clients.rs.get(namespace(this.d), name(rs));
      if (controllerOf(existing)?.uid === uid(this.d) && findNewReplicaSet(this.d, [existing])) return { newRS: this.replace(existing), oldRSs };
      // A hash collision: bump collisionCount so the next sync computes another name.
      await this.updateDeploymentStatus({ ...status, collisionCount: (status.collisionCount ?? 0) + 1 });
      throw err;
    }
    newRS = this.replace(created);
    const initial = replicasOf(created);
    if (initial > 0) this.c.events.event(typed(this.d, 'apps/v1', 'Deployment'), 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name(created)} from 0 to ${initial}`);
    if (hasProgressDeadline(this.d)) {
      const st = (this.d.status ?? {}) as DeploymentStatus;
      const conds = setDeploymentCondition(st.conditions ?? [], newCondition('Progressing', 'True', REASONS.newRSCreated, `Created new replica set "${name(newRS)}"`, now));
      await this.updateDeploymentStatus({ ...st, conditions: conds });
    }
    await this.setDeploymentRevision(newRevision);
    return { newRS, oldRSs };
  }

  /** scaleReplicaSet: replicas and the desired/max annotations. */
  private async scaleRS(rs: Obj, replicas: number): Promise<boolean> {
    const want = replicasAnnotations(this.d);
    const a = annotations(rs);
    const annotationsNeedUpdate = Object.entries(want).some(([k, v]) => a[k] !== v);
    if (replicasOf(rs) === replicas && !annotationsNeedUpdate) return false;
    const copy = clone(rs);
    (copy.spec as Record<string, unknown>).replicas = replicas;
    const m = copy.metadata as Record<string, unknown>;
    m.annotations = { ...a, ...want };
    this.replace(await this.c.clients.rs.update(undefined, copy));
    const old = replicasOf(rs);
    if (old === replicas) return false;
    // scaleReplicaSetAndRecordEvent (1.33 wording: "from <old> to <new>").
    const op = replicas > old ? 'up' : 'down';
    this.c.events.event(typed(this.d, 'apps/v1', 'Deployment'), 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${name(rs)} from ${old} to ${replicas}`);
    return true;
  }

  async syncStatusOnly(): Promise<void> {
    const { newRS, oldRSs } = await this.syncRevision(false);
    const status = calculateStatus(this.d, newRS ? [...oldRSs, newRS] : oldRSs, newRS, this.c.clock.now());
    await this.updateDeploymentStatus(status);
  }

  async checkPausedConditions(): Promise<void> {
    if (!hasProgressDeadline(this.d)) return;
    const cond = getCondition(this.d.status, 'Progressing');
    if (cond?.reason === REASONS.timedOut) return;
    const pausedExists = cond?.reason === REASONS.paused;
    const paused = spec(this.d).paused === true;
    const now = this.c.clock.now();
    let next;
    if (paused && !pausedExists) next = newCondition('Progressing', 'Unknown', REASONS.paused, 'Deployment is paused', now);
    else if (!paused && pausedExists) next = newCondition('Progressing', 'Unknown', REASONS.resumed, 'Deployment is resumed', now);
    else return;
    const status = (this.d.status ?? {}) as DeploymentStatus;
    await this.updateDeploymentStatus({ ...status, conditions: setDeploymentCondition(status.conditions ?? [], next) });
  }

  /** isScalingEvent: an active ReplicaSet was sized for a different replica count. */
  async isScalingEvent(): Promise<boolean> {
    const { newRS, oldRSs } = await this.syncRevision(false);
    const all = (newRS ? [...oldRSs, newRS] : oldRSs).filter(isActive);
    return all.some((rs) => {
      const desired = annotations(rs)[DESIRED_REPLICAS];
      return desired !== undefined && Number(desired) !== replicasOf(this.d);
    });
  }

  /** sync: scaling (proportional during a rollout) and status, without rolling anything out. */
  async sync(): Promise<void> {
    const { newRS, oldRSs } = await this.syncRevision(false);
    await this.scale(newRS, oldRSs);
    const after = this.split();
    if (spec(this.d).paused === true) await this.cleanup(after.oldRSs);
    const all = after.newRS ? [...after.oldRSs, after.newRS] : after.oldRSs;
    await this.updateDeploymentStatus(calculateStatus(this.d, all, after.newRS, this.c.clock.now()));
  }

  private async scale(newRS: Obj | undefined, oldRSs: Obj[]): Promise<void> {
    const replicas = replicasOf(this.d);
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      await this.scaleRS(activeOrLatest, replicas);
      return;
    }
    if (newRS && isSaturated(this.d, newRS)) {
      for (const rs of oldRSs.filter(isActive)) await this.scaleRS(rs, 0);
      return;
    }
    if (!isRollingUpdate(this.d)) return;
    let all = (newRS ? [...oldRSs, newRS] : oldRSs).filter(isActive);
    const allowed = replicas > 0 ? replicas + maxSurge(this.d) : 0;
    const toAdd = allowed - sumReplicas(all);
    // Larger first; ties: newer first when adding, older first when removing.
    all = [...all].sort((a, b) => replicasOf(b) - replicasOf(a) || (toAdd > 0 ? byCreation(b, a) : byCreation(a, b)));
    const sizes = new Map<string, number>();
    let added = 0;
    for (const rs of all) {
      if (toAdd !== 0) {
        const p = proportion(rs, this.d, toAdd, added);
        sizes.set(uid(rs), replicasOf(rs) + p);
        added += p;
      } else sizes.set(uid(rs), replicasOf(rs));
    }
    if (toAdd !== 0 && all.length > 0) {
      const first = uid(all[0]);
      sizes.set(first, Math.max(0, (sizes.get(first) ?? 0) + toAdd - added));
    }
    for (const rs of all) await this.scaleRS(rs, sizes.get(uid(rs)) ?? replicasOf(rs));
  }

  async rolloutRolling(): Promise<void> {
    const { newRS } = await this.syncRevision(true);
    // reconcileNewReplicaSet
    let scaled = false;
    if (newRS) {
      const replicas = replicasOf(this.d);
      if (replicasOf(newRS) > replicas) scaled = await this.scaleRS(newRS, replicas);
      else if (replicasOf(newRS) < replicas) scaled = await this.scaleRS(newRS, newRSNewReplicas(this.d, this.rss, newRS));
    }
    if (scaled) return this.syncRolloutStatus();
    if (await this.reconcileOldReplicaSets()) return this.syncRolloutStatus();
    if (isComplete(this.d, (this.d.status ?? {}) as DeploymentStatus)) await this.cleanup(this.split().oldRSs);
    return this.syncRolloutStatus();
  }

  /** reconcileOldReplicaSets: scale old ReplicaSets down without going below minAvailable. */
  private async reconcileOldReplicaSets(): Promise<boolean> {
    const { newRS, oldRSs } = this.split();
    if (sumReplicas(oldRSs) === 0) return false;
    const all = this.rss;
    const minAvailable = replicasOf(this.d) - maxUnavailable(this.d);
    const newUnavailable = newRS ? replicasOf(newRS) - availableOf(newRS) : 0;
    const maxScaledDown = sumReplicas(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    // cleanupUnhealthyReplicas: first remove old replicas that are not available anyway.
    let cleaned = 0;
    for (const rs of oldRSs.filter(isActive).sort(byCreation)) {
      if (cleaned >= maxScaledDown) break;
      const unhealthy = replicasOf(rs) - availableOf(rs);
      if (unhealthy <= 0) continue;
      const n = Math.min(maxScaledDown - cleaned, unhealthy);
      await this.scaleRS(rs, replicasOf(rs) - n);
      cleaned += n;
    }
    // scaleDownOldReplicaSetsForRollingUpdate
    const available = this.rss.reduce((n, rs) => n + availableOf(rs), 0);
    let scaledDown = 0;
    if (available > minAvailable) {
      const total = available - minAvailable;
      for (const rs of this.split().oldRSs.filter(isActive).sort(byCreation)) {
        if (scaledDown >= total) break;
        const n = Math.min(replicasOf(rs), total - scaledDown);
        await this.scaleRS(rs, replicasOf(rs) - n);
        scaledDown += n;
      }
    }
    return cleaned + scaledDown > 0;
  }

  async rolloutRecreate(): Promise<void> {
    let { newRS, oldRSs } = await this.syncRevision(false);
    let scaledDown = false;
    for (const rs of oldRSs.filter(isActive)) if (await this.scaleRS(rs, 0)) scaledDown = true;
    if (scaledDown) return this.syncRolloutStatus();
    if (this.oldPodsRunning()) return this.syncRolloutStatus();
    if (!newRS) ({ newRS, oldRSs } = await this.syncRevision(true));
    if (newRS) await this.scaleRS(newRS, replicasOf(this.d));
    if (isComplete(this.d, (this.d.status ?? {}) as DeploymentStatus)) await this.cleanup(this.split().oldRSs);
    return this.syncRolloutStatus();
  }

  /** oldPodsRunning: old ReplicaSets still report replicas, or any of their pods is not finished. */
  private oldPodsRunning(): boolean {
    const { oldRSs } = this.split();
    if (sumStatus(oldRSs, 'replicas') > 0) return true;
    return oldRSs.some((rs) => this.c.podsOf(rs).some((p) => phase(p) !== 'Failed' && phase(p) !== 'Succeeded'));
  }

  /** cleanupDeployment: delete the oldest empty ReplicaSets beyond revisionHistoryLimit. */
  private async cleanup(oldRSs: Obj[]): Promise<void> {
    const limit = spec(this.d).revisionHistoryLimit;
    if (typeof limit !== 'number') return;
    const alive = oldRSs.filter((rs) => !isDeleting(rs));
    const diff = alive.length - limit;
    if (diff <= 0) return;
    alive.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of alive.slice(0, diff)) {
      const observed = statusNum(rs, 'observedGeneration');
      const gen = Number((rs.metadata as Record<string, unknown>).generation ?? 0);
      if (statusNum(rs, 'replicas') !== 0 || replicasOf(rs) !== 0 || gen > observed) continue;
      await this.c.clients.rs.delete(namespace(rs), name(rs)).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
    }
  }

  /** syncRolloutStatus: status, Progressing/Available conditions, and a requeue at the deadline. */
  private async syncRolloutStatus(): Promise<void> {
    const { newRS } = this.split();
    const now = this.c.clock.now();
    let status = calculateStatus(this.d, this.rss, newRS, now);
    status = rolloutConditions(this.d, status, newRS, this.rss, now);
    const before = this.d.status;
    await this.updateDeploymentStatus(status);
    if (!sameJson(before, this.d.status)) return;
    // Unchanged: come back when the progress deadline would pass (requeueStuckDeployment).
    const cond = getCondition(status, 'Progressing');
    if (!hasProgressDeadline(this.d) || !cond || isComplete(this.d, status) || cond.reason === REASONS.timedOut) return;
    const deadline = (Date.parse(cond.lastUpdateTime ?? '') || now) + Number(spec(this.d).progressDeadlineSeconds) * 1000;
    this.c.requeueAfter(keyOf(this.d), Math.max(1000, deadline - now + 1));
  }
}

/** SetNewReplicaSetAnnotations: copied annotations, the revision, and for a new RS the replica annotations. */
function setNewReplicaSetAnnotations(d: Obj, rs: Obj, newRevision: number, exists: boolean): boolean {
  const m = (rs.metadata ??= {}) as Record<string, unknown>;
  const a = { ...((m.annotations ?? {}) as Record<string, string>) };
  let changed = false;
  for (const [k, v] of Object.entries(copiedAnnotations(d))) {
    if (a[k] !== v) {
      a[k] = v;
      changed = true;
    }
  }
  const oldRevision = a[REVISION];
  if (revisionOf(rs) < newRevision) {
    a[REVISION] = String(newRevision);
    changed = true;
    // Rolling back to this ReplicaSet: its earlier revisions are kept in revision-history,
    // oldest dropped first beyond 2000 characters (maxRevHistoryLengthInChars).
    if (oldRevision !== undefined && oldRevision !== '') {
      const history = a[REVISION_HISTORY] ? a[REVISION_HISTORY].split(',') : [];
      let total = history.join(',').length + oldRevision.length + (history.length ? 1 : 0);
      while (total > 2000 && history.length) total -= history.shift()!.length + 1;
      if (total <= 2000) a[REVISION_HISTORY] = [...history, oldRevision].join(',');
    }
  }
  if (!exists) {
    Object.assign(a, replicasAnnotations(d));
    changed = true;
  }
  m.annotations = a;
  return changed;
}

/** NewRSNewReplicas: how far the new ReplicaSet may grow now. */
function newRSNewReplicas(d: Obj, allRSs: Obj[], newRS: Obj): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const current = sumReplicas(allRSs);
  const maxTotal = replicasOf(d) + maxSurge(d);
  if (current >= maxTotal) return replicasOf(newRS);
  const up = Math.min(maxTotal - current, replicasOf(d) - replicasOf(newRS));
  return replicasOf(newRS) + up;
}

/** FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active. */
function findActiveOrLatest(newRS: Obj | undefined, oldRSs: Obj[]): Obj | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const sorted = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = (newRS ? [...sorted, newRS] : sorted).filter(isActive);
  if (active.length === 0) return newRS ?? sorted[0];
  if (active.length === 1) return active[0];
  return undefined;
}

function isSaturated(d: Obj, rs: Obj): boolean {
  const desired = Number(annotations(rs)[DESIRED_REPLICAS]);
  return desired === replicasOf(d) && replicasOf(rs) === replicasOf(d) && statusNum(rs, 'availableReplicas') === replicasOf(d);
}

/** GetProportion / getReplicaSetFraction. */
function proportion(rs: Obj, d: Obj, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -replicasOf(rs);
  else {
    const deploymentReplicas = replicasOf(d) + maxSurge(d);
    const annotated = Number(annotations(rs)['deployment.kubernetes.io/max-replicas']);
    const base = Number.isFinite(annotated) && annotated > 0 ? annotated : statusNum(d, 'replicas');
    fraction = base > 0 ? Math.round((replicasOf(rs) * deploymentReplicas) / base) - replicasOf(rs) : 0;
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
