// The Job controller (pkg/controller/job/job_controller.go, 1.33 behaviour): runs pods until
// spec.completions succeed (NonIndexed or Indexed), at most spec.parallelism at once; counts
// failures against backoffLimit (with podFailurePolicy), enforces activeDeadlineSeconds, honours
// suspend, and finishes with SuccessCriteriaMet then Complete, or FailureTarget then Failed, once
// no pod is still terminating.
//
// Pods carry the batch.kubernetes.io/job-tracking finalizer until their end is counted through
// status.uncountedTerminatedPods (the Job's pod tracking protocol).
import { isConflict, isNotFound } from '../../client/errors.js';
import { clone, controllerOf, deletionTimestamp, finalizers, keyOf, name, namespace, splitKey, uid } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';
import { labelSelectorFromObject } from '../../util/label-selector.js';
import type { WorkQueue } from '../../util/workqueue.js';
import { getCondition, rfc3339 } from '../shared/conditions.js';
import type { Condition } from '../shared/conditions.js';
import { Expectations, ownedPodHandlers } from '../shared/expectations.js';
import { BY_CONTROLLER_UID, ownedResource } from '../shared/informers.js';
import { claim, controllerKey, controllerRef, podFromTemplate } from '../shared/owner-refs.js';
import { isPodReady, phase, restartCount } from '../shared/pods.js';
import { JOBS, PODS } from '../shared/resources.js';
import { sameJson } from '../shared/status-util.js';
import { typed } from '../shared/events.js';
import type { WorkloadControllerDeps } from '../shared/types.js';
import { WorkloadControllerBase } from '../shared/workload-controller.js';
import { slowStartBatch } from '../replicaset/controller.js';
import { podsToDelete } from '../replicaset/pod-ranking.js';
import { matchPodFailurePolicy } from './failure-policy.js';
import { COMPLETION_INDEX, formatIntervals, indexOf, parseIntervals } from './indexes.js';
import { deletePodsExpected } from '../shared/delete-pods.js';

/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 360_000;

/** The finalizer that keeps a pod until the Job has counted it. */
export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
const ORPHAN_PREFIX = 'orphan-pod:';

function uncountedOf(u: { succeeded: Set<string>; failed: Set<string> }): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (u.succeeded.size) out.succeeded = [...u.succeeded];
  if (u.failed.size) out.failed = [...u.failed];
  return out;
}

const MSG = {
  completions: 'Reached expected number of succeeded pods',
  backoff: 'Job has reached the specified backoff limit',
  deadline: 'Job was active longer than specified deadline',
};

function jobSpec(job: Obj): Record<string, unknown> {
  return (job.spec ?? {}) as Record<string, unknown>;
}
function num(v: unknown, dflt: number): number {
  return typeof v === 'number' ? v : dflt;
}

export function isJobFinished(job: Obj): boolean {
  const st = job.status;
  return ['Complete', 'Failed'].some((t) => getCondition(st, t)?.status === 'True');
}

function newCond(type: string, status: Condition['status'], reason: string, message: string, now: number): Condition {
  const t = rfc3339(now);
  return { type, status, reason, message, lastProbeTime: t, lastTransitionTime: t };
}

function setJobCondition(conds: Condition[], c: Condition): Condition[] {
  const cur = conds.find((x) => x.type === c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason && cur.message === c.message) return conds;
  const next = { ...c };
  if (cur && cur.status === c.status) next.lastTransitionTime = cur.lastTransitionTime;
  return cur ? conds.map((x) => (x.type === c.type ? next : x)) : [...conds, next];
}

export class JobController extends WorkloadControllerBase {
  readonly workers = 5;
  private readonly jobs = ownedResource(this.deps, JOBS);
  private readonly pods = ownedResource(this.deps, PODS);
  private readonly expectations = new Expectations(this.deps.clock);

  constructor(deps: WorkloadControllerDeps) {
    super(deps, 'job-controller');
  }

  protected watch(queue: WorkQueue<string>): void {
    // A Job being deleted, finished or gone releases its pods still holding the tracking finalizer.
    const releasePods = (j: Obj) => {
      for (const p of this.pods.informer.lister.byIndex(BY_CONTROLLER_UID, uid(j))) if (finalizers(p).includes(TRACKING_FINALIZER)) queue.add(ORPHAN_PREFIX + keyOf(p));
    };
    this.jobs.informer.addEventHandler({
      onAdd: (j) => queue.add(keyOf(j)),
      onUpdate: (_o, j) => {
        queue.add(keyOf(j));
        if (deletionTimestamp(j) || isJobFinished(j)) releasePods(j);
      },
      onDelete: (j) => {
        this.expectations.delete(keyOf(j));
        queue.add(keyOf(j));
        releasePods(j);
      },
    });
    const owned = ownedPodHandlers(this.expectations, queue, (p) => controllerKey(p, 'Job'));
    this.pods.informer.addEventHandler({
      ...owned,
      onUpdate: (o, p) => {
        if (finalizers(p).includes(TRACKING_FINALIZER) && this.isOrphan(p)) queue.add(ORPHAN_PREFIX + keyOf(p));
        owned.onUpdate!(o, p);
      },
    });
  }

  async reconcile(key: string): Promise<void> {
    if (key.startsWith(ORPHAN_PREFIX)) return this.releaseOrphan(key.slice(ORPHAN_PREFIX.length));
    const cached = this.jobs.informer.lister.getByKey(key);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    if (isJobFinished(cached) || deletionTimestamp(cached)) return;
    let job = clone(cached);
    const spec = jobSpec(job);
    const { namespace: ns } = splitKey(key);
    let selector;
    try {
      selector = labelSelectorFromObject(spec.selector);
    } catch {
      return;
    }
    const candidates = this.pods.informer.lister.list(ns);
    const pods = await claim(
      { owner: job, apiVersion: 'batch/v1', kind: 'Job', selector, client: this.pods.client, fresh: async () => this.jobs.client.get(ns, name(job)).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e))) },
      candidates,
    );
    const now = this.deps.clock.now();
    const old = (job.status ?? {}) as Record<string, unknown>;
    let conds = [...((old.conditions ?? []) as Condition[])];
    const indexed = spec.completionMode === 'Indexed';
    const completions = typeof spec.completions === 'number' ? spec.completions : undefined;
    const suspended = spec.suspend === true;
    const onlyFailed = spec.podReplacementPolicy === 'Failed';

    // Terminal pods are counted through status.uncountedTerminatedPods and the tracking
    // finalizer (trackJobStatusAndRemoveFinalizers): record their uids, remove the finalizer,
    // then move them into succeeded/failed.
    const oldUncounted = (old.uncountedTerminatedPods ?? {}) as { succeeded?: string[]; failed?: string[] };
    const uncounted = { succeeded: new Set(oldUncounted.succeeded ?? []), failed: new Set(oldUncounted.failed ?? []) };
    let succeeded = num(old.succeeded, 0);
    let failed = num(old.failed, 0);
    const completedIndexes = indexed ? parseIntervals(old.completedIndexes) : undefined;
    const release: Obj[] = [];
    let failJob: string | undefined;
    let needsFlush = false;
    const finishingBefore = getCondition({ conditions: conds }, 'FailureTarget') ?? getCondition({ conditions: conds }, 'SuccessCriteriaMet');
    for (const p of pods) {
      if (!finalizers(p).includes(TRACKING_FINALIZER)) continue;
      const u = uid(p);
      if (uncounted.succeeded.has(u) || uncounted.failed.has(u)) {
        release.push(p);
        continue;
      }
      const ph = phase(p);
      // isPodFailed: a deleted pod that did not succeed counts as failed, unless only Failed pods are replaced.
      const podFailed = ph === 'Failed' || (!onlyFailed && deletionTimestamp(p) !== undefined && ph !== 'Succeeded');
      if (ph === 'Succeeded') {
        uncounted.succeeded.add(u);
      } else if (podFailed || (finishingBefore && deletionTimestamp(p) !== undefined)) {
        const d = ph === 'Failed' ? matchPodFailurePolicy(spec.podFailurePolicy, p) : undefined;
        if (d?.action === 'FailJob') failJob ??= d.message;
        if (d?.action !== 'Ignore') uncounted.failed.add(u);
      } else continue;
      needsFlush = true;
      release.push(p);
    }
    const podByUid = new Map(pods.map((p) => [uid(p), p]));
    const indexOfUid = (u: string) => {
      const p = podByUid.get(u);
      const i = p ? indexOf(p) : undefined;
      return i !== undefined && (completions === undefined || i < completions) ? i : undefined;
    };
    const totalSucceeded = succeeded + uncounted.succeeded.size;
    const totalFailed = failed + uncounted.failed.size;
    const completedNow = completedIndexes ? new Set([...completedIndexes, ...[...uncounted.succeeded].map(indexOfUid).filter((i): i is number => i !== undefined)]) : undefined;
    const active = pods.filter((p) => phase(p) !== 'Succeeded' && phase(p) !== 'Failed' && !deletionTimestamp(p));
    const terminating = pods.filter((p) => deletionTimestamp(p) && phase(p) !== 'Succeeded' && phase(p) !== 'Failed' && !uncounted.failed.has(uid(p)));

    // Start time: set when the Job runs; cleared while suspended (so resuming restarts the deadline).
    let startTime = old.startTime as string | undefined;
    if (suspended) startTime = undefined;
    else startTime ??= rfc3339(now);

    // Terminal criteria, in upstream's order.
    const backoffLimit = num(spec.backoffLimit, 6);
    const restarts = spec.template && jobSpec(spec.template as Obj).restartPolicy === 'OnFailure' ? active.reduce((n, p) => n + restartCount(p), 0) : 0;
    if (!finishingBefore) {
      if (failJob) conds = setJobCondition(conds, newCond('FailureTarget', 'True', 'PodFailurePolicy', failJob, now));
      else if (totalFailed + restarts > backoffLimit) conds = setJobCondition(conds, newCond('FailureTarget', 'True', 'BackoffLimitExceeded', MSG.backoff, now));
      else if (!suspended && typeof spec.activeDeadlineSeconds === 'number' && startTime && Date.parse(startTime) + spec.activeDeadlineSeconds * 1000 <= now) {
        conds = setJobCondition(conds, newCond('FailureTarget', 'True', 'DeadlineExceeded', MSG.deadline, now));
      } else {
        const done = completedNow ? completedNow.size >= (completions ?? 0) : completions !== undefined ? totalSucceeded >= completions : totalSucceeded > 0 && active.length === 0;
        if (done) conds = setJobCondition(conds, newCond('SuccessCriteriaMet', 'True', 'CompletionsReached', MSG.completions, now));
      }
    }
    const finishing = getCondition({ conditions: conds }, 'FailureTarget') ?? getCondition({ conditions: conds }, 'SuccessCriteriaMet');

    // 1. Record newly terminated pods before their finalizers go.
    if (needsFlush) {
      job.status = { ...old, uncountedTerminatedPods: uncountedOf(uncounted), conditions: conds.length ? conds : undefined };
      job = await this.jobs.client.updateStatus(undefined, job);
    }
    // 2. Remove the finalizers; 3. count what is released (or already gone).
    const released = await this.removeFinalizers(release);
    for (const u of [...uncounted.succeeded]) {
      if (podByUid.has(u) && !released.has(u)) continue;
      const i = indexOfUid(u);
      if (completedIndexes && i !== undefined) completedIndexes.add(i);
      if (!completedIndexes || i !== undefined) succeeded++;
      uncounted.succeeded.delete(u);
    }
    for (const u of [...uncounted.failed]) {
      if (podByUid.has(u) && !released.has(u)) continue;
      failed++;
      uncounted.failed.delete(u);
    }

    let activeCount = active.length;
    let terminatingCount = terminating.length;
    let completionTime = old.completionTime as string | undefined;
    if (finishing) {
      // Remove what still runs, then finish once nothing is terminating and everything is counted.
      await this.deletePods(key, job, active);
      terminatingCount += active.length;
      activeCount = 0;
      if (terminatingCount === 0 && uncounted.succeeded.size === 0 && uncounted.failed.size === 0) {
        const success = finishing.type === 'SuccessCriteriaMet';
        conds = setJobCondition(conds, newCond(success ? 'Complete' : 'Failed', 'True', finishing.reason ?? '', finishing.message ?? '', now));
        if (success) completionTime = rfc3339(now);
      }
    } else if (this.expectations.satisfied(key)) {
      const r = await this.manage(key, job, active, succeeded + uncounted.succeeded.size, completedNow, failed + uncounted.failed.size, now);
      activeCount = r.active;
      terminatingCount += r.deleted;
    }

    // Suspended condition.
    const suspendedCond = getCondition({ conditions: conds }, 'Suspended');
    if (suspended && suspendedCond?.status !== 'True') conds = setJobCondition(conds, newCond('Suspended', 'True', 'JobSuspended', 'Job suspended', now));
    else if (!suspended && suspendedCond?.status === 'True') conds = setJobCondition(conds, newCond('Suspended', 'False', 'JobResumed', 'Job resumed', now));

    const status: Record<string, unknown> = {};
    if (conds.length) status.conditions = conds;
    if (startTime) status.startTime = startTime;
    if (completionTime) status.completionTime = completionTime;
    if (activeCount) status.active = activeCount;
    if (succeeded) status.succeeded = succeeded;
    if (failed) status.failed = failed;
    if (completedIndexes?.size) status.completedIndexes = formatIntervals(completedIndexes);
    if (indexed && old.failedIndexes !== undefined) status.failedIndexes = old.failedIndexes;
    status.terminating = terminatingCount;
    status.ready = finishing ? 0 : active.filter(isPodReady).length;
    status.uncountedTerminatedPods = uncountedOf(uncounted);
    if (!sameJson(status, job.status)) {
      const wasFinished = isJobFinished(job);
      job.status = status;
      const written = await this.jobs.client.updateStatus(undefined, job);
      if (!wasFinished) this.recordFinished(written);
    }
    // Pods still uncounted (a finalizer removal conflicted) come back with their next pod event.
    // Come back at the active deadline.
    if (!finishing && !suspended && typeof spec.activeDeadlineSeconds === 'number' && startTime) {
      this.queue?.addAfter(key, Math.max(1, Date.parse(startTime) + spec.activeDeadlineSeconds * 1000 - now));
    }
  }

  /** recordJobFinished: "Completed" on success, the failure's own reason and message otherwise. */
  private recordFinished(job: Obj): void {
    const target = typed(job, 'batch/v1', 'Job');
    if (getCondition(job.status, 'Complete')?.status === 'True') this.events.event(target, 'Normal', 'Completed', 'Job completed');
    const failed = getCondition(job.status, 'Failed');
    if (failed?.status === 'True') this.events.event(target, 'Warning', failed.reason ?? '', failed.message ?? '');
  }

  /** Removes the tracking finalizer; answers the uids now free of it (or gone). */
  private async removeFinalizers(pods: Obj[]): Promise<Set<string>> {
    const done = new Set<string>();
    await Promise.all(
      pods.map(async (p) => {
        try {
          await this.dropFinalizer(p);
          done.add(uid(p));
        } catch (e) {
          if (isNotFound(e)) done.add(uid(p));
          else if (!isConflict(e)) throw e;
        }
      }),
    );
    return done;
  }

  private async dropFinalizer(p: Obj): Promise<void> {
    const next = clone(p);
    const m = next.metadata as Record<string, unknown>;
    const rest = finalizers(p).filter((f) => f !== TRACKING_FINALIZER);
    if (rest.length) m.finalizers = rest;
    else delete m.finalizers;
    await this.pods.client.update(undefined, next);
  }

  /** A pod with the tracking finalizer whose Job is gone, being deleted or finished: let it go. */
  private async releaseOrphan(podKey: string): Promise<void> {
    const pod = this.pods.informer.lister.getByKey(podKey);
    if (!pod || !finalizers(pod).includes(TRACKING_FINALIZER) || !this.isOrphan(pod)) return;
    await this.dropFinalizer(pod).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
  }

  private isOrphan(pod: Obj): boolean {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'Job') return true;
    const job = this.jobs.informer.lister.get(namespace(pod), ref.name);
    return !job || uid(job) !== ref.uid || deletionTimestamp(job) !== undefined || isJobFinished(job);
  }

  private async deletePods(key: string, job: Obj, pods: Obj[]): Promise<void> {
    if (!pods.length) return;
    await deletePodsExpected({ expectations: this.expectations, pods: this.pods.client, events: this.events }, key, typed(job, 'batch/v1', 'Job'), pods);
  }

  /** manageJob: create or delete pods toward the wanted number of active ones. */
  private async manage(key: string, job: Obj, active: Obj[], succeeded: number, completed: Set<number> | undefined, failed: number, now: number): Promise<{ active: number; deleted: number }> {
    const spec = jobSpec(job);
    const parallelism = num(spec.parallelism, 1);
    const completions = typeof spec.completions === 'number' ? spec.completions : undefined;
    let want: number;
    if (spec.suspend === true) want = 0;
    else if (completions === undefined) want = succeeded > 0 ? 0 : parallelism;
    else want = Math.max(0, Math.min(parallelism, completions - (completed ? completed.size : succeeded)));

    if (active.length > want) {
      const victims = podsToDelete(active, [], active.length - want);
      await this.deletePods(key, job, victims);
      return { active: active.length - victims.length, deleted: victims.length };
    }
    if (active.length >= want) return { active: active.length, deleted: 0 };

    // Back off after failures before creating replacements (10 s doubling, at most 6 min).
    if (failed > 0) {
      const last = this.lastFailure(job);
      const delay = Math.min(BACKOFF_BASE_MS * 2 ** (failed - 1), BACKOFF_MAX_MS);
      if (last !== undefined && last + delay > now) {
        this.queue?.addAfter(key, last + delay - now);
        return { active: active.length, deleted: 0 };
      }
    }

    const template = (spec.template ?? {}) as Obj;
    const ref = controllerRef(job, 'batch/v1', 'Job');
    let toCreate: (number | undefined)[];
    if (completed) {
      const busy = new Set(active.map(indexOf));
      const free: number[] = [];
      for (let i = 0; i < (completions ?? 0) && free.length < want - active.length; i++) if (!completed.has(i) && !busy.has(i)) free.push(i);
      toCreate = free;
    } else toCreate = Array.from({ length: want - active.length }, () => undefined);
    if (!toCreate.length) return { active: active.length, deleted: 0 };
    this.expectations.expectCreations(key, toCreate.length);
    let next = 0;
    const { created, err } = await slowStartBatch(toCreate.length, 1, async () => {
      const index = toCreate[next++];
      const pod = await this.pods.client.create(namespace(job), this.podFor(job, template, ref, index));
      this.events.event(typed(job, 'batch/v1', 'Job'), 'Normal', 'SuccessfulCreate', `Created pod: ${name(pod)}`);
    });
    for (let i = created; i < toCreate.length; i++) this.expectations.creationObserved(key);
    if (err) throw err;
    return { active: active.length + created, deleted: 0 };
  }

  private podFor(job: Obj, template: Obj, ref: ReturnType<typeof controllerRef>, index: number | undefined): Obj {
    const pod = podFromTemplate(template, job, ref);
    const pm = pod.metadata as Record<string, unknown>;
    pm.finalizers = [...((pm.finalizers ?? []) as string[]), TRACKING_FINALIZER];
    if (index === undefined) return pod;
    // Indexed: the index as annotation and label, a stable hostname, and JOB_COMPLETION_INDEX.
    const m = pod.metadata as Record<string, unknown>;
    m.generateName = `${name(job)}-${index}-`;
    m.annotations = { ...((m.annotations ?? {}) as Record<string, string>), [COMPLETION_INDEX]: String(index) };
    m.labels = { ...((m.labels ?? {}) as Record<string, string>), [COMPLETION_INDEX]: String(index) };
    const spec = pod.spec as Record<string, unknown>;
    spec.hostname = `${name(job)}-${index}`;
    const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${COMPLETION_INDEX}']` } } };
    for (const list of ['containers', 'initContainers']) {
      const cs = spec[list];
      if (!Array.isArray(cs)) continue;
      for (const c of cs as Record<string, unknown>[]) {
        const e = Array.isArray(c.env) ? (c.env as Obj[]) : [];
        if (!e.some((x) => x.name === 'JOB_COMPLETION_INDEX')) c.env = [...e, env];
      }
    }
    return pod;
  }

  /** When the Job's most recent pod failure happened (container finishedAt), from its pods. */
  private lastFailure(job: Obj): number | undefined {
    let last: number | undefined;
    for (const p of this.pods.informer.lister.byIndex(BY_CONTROLLER_UID, uid(job))) {
      if (phase(p) !== 'Failed') continue;
      const cs = ((p.status as Record<string, unknown>)?.containerStatuses ?? []) as { state?: { terminated?: { finishedAt?: string } } }[];
      for (const c of cs) {
        const t = Date.parse(c.state?.terminated?.finishedAt ?? '');
        if (Number.isFinite(t)) last = Math.max(last ?? 0, t);
      }
    }
    return last;
  }
}


