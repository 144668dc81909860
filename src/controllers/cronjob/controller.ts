// The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go): creates a Job named
// "<cronjob>-<scheduled time in minutes since the epoch>" at each scheduled time (in
// spec.timeZone), honouring suspend, startingDeadlineSeconds and concurrencyPolicy
// (Allow/Forbid/Replace), keeps status.active, lastScheduleTime and lastSuccessfulTime, and
// deletes finished Jobs beyond the history limits. Everything runs on the injected Clock.
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import { clone, creationTimestamp, deletionTimestamp, keyOf, name, namespace, resourceVersion, splitKey, uid } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';
import type { WorkQueue } from '../../util/workqueue.js';
import { getCondition, rfc3339 } from '../shared/conditions.js';
import { BY_CONTROLLER_UID, ownedResource } from '../shared/informers.js';
import { controllerKey, controllerRef, templateMeta } from '../shared/owner-refs.js';
import { CRONJOBS, JOBS } from '../shared/resources.js';
import { sameJson } from '../shared/status-util.js';
import { typed } from '../shared/events.js';
import type { WorkloadControllerDeps } from '../shared/types.js';
import { WorkloadControllerBase } from '../shared/workload-controller.js';
import { isValidTimeZone, mostRecent, nextTime, parseSchedule } from './schedule.js';

export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** getJobName: the scheduled time in minutes since the epoch. */
export function jobNameFor(cronJobName: string, scheduled: number): string {
  return `${cronJobName}-${Math.floor(scheduled / 60_000)}`;
}

function finishedType(job: Obj): 'Complete' | 'Failed' | undefined {
  for (const t of ['Complete', 'Failed'] as const) if (getCondition(job.status, t)?.status === 'True') return t;
  return undefined;
}

/** Scheduled time RFC 3339 in the CronJob's zone (Go's time.Format(time.RFC3339) with offset). */
function formatInZone(ms: number, tz: string | undefined): string {
  if (!tz || tz === 'UTC' || tz === 'Etc/UTC') return rfc3339(ms);
  const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const p: Record<string, string> = {};
  for (const x of f.formatToParts(new Date(ms))) p[x.type] = x.value;
  const off = (p.timeZoneName ?? 'GMT').replace('GMT', '') || 'Z';
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${off === 'Z' ? 'Z' : off}`;
}

export class CronJobController extends WorkloadControllerBase {
  readonly workers = 5;
  private readonly cronJobs = ownedResource(this.deps, CRONJOBS);
  private readonly jobs = ownedResource(this.deps, JOBS);

  constructor(deps: WorkloadControllerDeps) {
    super(deps, 'cronjob-controller');
  }

  protected watch(queue: WorkQueue<string>): void {
    this.cronJobs.informer.addEventHandler({ onAdd: (c) => queue.add(keyOf(c)), onUpdate: (_o, c) => queue.add(keyOf(c)) });
    const onJob = (j: Obj) => {
      const k = controllerKey(j, 'CronJob');
      if (k) queue.add(k);
    };
    this.jobs.informer.addEventHandler({ onAdd: onJob, onUpdate: (_o, j) => onJob(j), onDelete: onJob });
  }

  async reconcile(key: string): Promise<void> {
    const cached = this.cronJobs.informer.lister.getByKey(key);
    if (!cached) return;
    const cj = clone(cached);
    const spec = (cj.spec ?? {}) as Record<string, unknown>;
    const old = (cj.status ?? {}) as Record<string, unknown>;
    const { namespace: ns } = splitKey(key);
    const now = this.deps.clock.now();
    const jobs = this.jobs.informer.lister.byIndex(BY_CONTROLLER_UID, uid(cj));

    // status.active: drop Jobs that finished or disappeared; note the last success.
    const jobsByUid = new Map(jobs.map((j) => [uid(j), j]));
    let active: Obj[] = [];
    for (const ref of (old.active ?? []) as Obj[]) {
      const j = jobsByUid.get(String(ref.uid));
      if (j) {
        const done = finishedType(j);
        if (done === undefined) active.push(ref);
        else this.events.event(typed(cj, 'batch/v1', 'CronJob'), 'Normal', 'SawCompletedJob', `Saw completed job: ${name(j)}, condition: ${done}`);
        continue;
      }
      // Not in the cache (yet): ask the server before dropping it, as upstream does.
      try {
        const live = await this.jobs.client.get(ns, String(ref.name));
        if (uid(live) === ref.uid && finishedType(live) === undefined) active.push(ref);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    for (const j of jobs) {
      if (finishedType(j) === undefined && !active.some((r) => r.uid === uid(j))) active.push(jobRef(j));
    }
    let lastSuccessful = old.lastSuccessfulTime as string | undefined;
    for (const j of jobs) {
      const ct = (j.status as Record<string, unknown> | undefined)?.completionTime as string | undefined;
      if (finishedType(j) === 'Complete' && ct && (!lastSuccessful || Date.parse(ct) > Date.parse(lastSuccessful))) lastSuccessful = ct;
    }
    let lastSchedule = old.lastScheduleTime as string | undefined;

    const tz = typeof spec.timeZone === 'string' ? spec.timeZone : undefined;
    let requeueAt: number | undefined;
    if (!deletionTimestamp(cj) && spec.suspend !== true && (tz === undefined || isValidTimeZone(tz))) {
      let schedule;
      try {
        schedule = parseSchedule(String(spec.schedule ?? ''));
      } catch {
        schedule = undefined;
      }
      if (schedule) {
        const deadline = typeof spec.startingDeadlineSeconds === 'number' ? spec.startingDeadlineSeconds * 1000 : undefined;
        let earliest = Date.parse(lastSchedule ?? creationTimestamp(cj) ?? '') || now;
        if (deadline !== undefined) earliest = Math.max(earliest, now - deadline);
        const { time: scheduled } = mostRecent(schedule, earliest, now, tz);
        requeueAt = nextTime(schedule, now, tz);
        const tooLate = scheduled !== undefined && deadline !== undefined && scheduled + deadline < now;
        if (scheduled !== undefined && !tooLate) {
          const jobName = jobNameFor(name(cj), scheduled);
          const already = jobs.some((j) => name(j) === jobName);
          const policy = spec.concurrencyPolicy ?? 'Allow';
          if (!already && !(policy === 'Forbid' && active.length > 0)) {
            if (policy === 'Replace') {
              for (const ref of active) await this.deleteJob(cj, String(ref.name));
              active = [];
            }
            const created = await this.createJob(cj, jobName, scheduled, tz);
            if (created) {
              active.push(jobRef(created));
              this.events.event(typed(cj, 'batch/v1', 'CronJob'), 'Normal', 'SuccessfulCreate', `Created job ${name(created)}`);
            }
            lastSchedule = rfc3339(scheduled);
          }
        }
      }
    }

    const status: Record<string, unknown> = {};
    if (active.length) status.active = active;
    if (lastSchedule) status.lastScheduleTime = lastSchedule;
    if (lastSuccessful) status.lastSuccessfulTime = lastSuccessful;
    if (!sameJson(status, old)) {
      cj.status = status;
      await this.cronJobs.client.updateStatus(undefined, cj);
    }
    await this.cleanupHistory(cj, jobs);
    // Upstream requeues 100 ms after the next scheduled time.
    if (requeueAt !== undefined) this.queue?.addAfter(key, requeueAt - now + 100);
  }

  private async createJob(cj: Obj, jobName: string, scheduled: number, tz: string | undefined): Promise<Obj | undefined> {
    const template = ((cj.spec as Record<string, unknown>).jobTemplate ?? {}) as Obj;
    const tm = templateMeta(template);
    const job: Obj = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: jobName,
        namespace: namespace(cj),
        labels: tm.labels,
        annotations: { ...tm.annotations, [SCHEDULED_TIMESTAMP]: formatInZone(scheduled, tz) },
        ownerReferences: [controllerRef(cj, 'batch/v1', 'CronJob')],
      },
      spec: structuredClone((template.spec ?? {}) as Obj),
    };
    try {
      return await this.jobs.client.create(namespace(cj), job);
    } catch (e) {
      if (isAlreadyExists(e)) return undefined;
      throw e;
    }
  }

  /** cleanupFinishedJobs: the oldest finished Jobs beyond each history limit go. */
  private async cleanupHistory(cj: Obj, jobs: Obj[]): Promise<void> {
    const spec = (cj.spec ?? {}) as Record<string, unknown>;
    const limits: [string, unknown][] = [
      ['Complete', spec.successfulJobsHistoryLimit],
      ['Failed', spec.failedJobsHistoryLimit],
    ];
    for (const [type, limit] of limits) {
      if (typeof limit !== 'number') continue;
      const finished = jobs.filter((j) => finishedType(j) === type && !deletionTimestamp(j));
      if (finished.length <= limit) continue;
      const started = (j: Obj) => Date.parse(String((j.status as Record<string, unknown> | undefined)?.startTime ?? creationTimestamp(j) ?? '')) || 0;
      finished.sort((a, b) => started(a) - started(b));
      for (const j of finished.slice(0, finished.length - limit)) await this.deleteJob(cj, name(j));
    }
  }

  /** deleteJob: background propagation; a Job already gone is fine (and not reported). */
  private async deleteJob(cj: Obj, jobName: string): Promise<void> {
    const deleted = await this.jobs.client
      .delete(namespace(cj), jobName, { propagationPolicy: 'Background' })
      .then(() => true)
      .catch((e) => (isNotFound(e) ? false : Promise.reject(e)));
    if (deleted) this.events.event(typed(cj, 'batch/v1', 'CronJob'), 'Normal', 'SuccessfulDelete', `Deleted job ${jobName}`);
  }
}

function jobRef(j: Obj): Obj {
  return { apiVersion: 'batch/v1', kind: 'Job', name: name(j), namespace: namespace(j), uid: uid(j), resourceVersion: resourceVersion(j) };
}
