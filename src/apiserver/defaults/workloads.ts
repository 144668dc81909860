// Workload defaults: apps/v1 (defaults.go, checked against upstream), batch/v1, and the core
// ReplicationController and PodTemplate.
import { child, dflt, dfltPtr, isObj, list, opt } from './obj.js';
import type { Obj } from './obj.js';
import { defaultPodTemplate } from './pod.js';
import { defaultPVC } from './storage.js';

export function defaultDeployment(d: Obj): void {
  const spec = child(d, 'spec');
  dfltPtr(spec, 'replicas', 1);
  const strategy = child(spec, 'strategy');
  dflt(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    dfltPtr(ru, 'maxUnavailable', '25%');
    dfltPtr(ru, 'maxSurge', '25%');
  }
  dfltPtr(spec, 'revisionHistoryLimit', 10);
  dfltPtr(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplate(child(spec, 'template'));
}

export function defaultReplicaSet(rs: Obj): void {
  const spec = child(rs, 'spec');
  dfltPtr(spec, 'replicas', 1);
  defaultPodTemplate(child(spec, 'template'));
}

export function defaultDaemonSet(ds: Obj): void {
  const spec = child(ds, 'spec');
  const strategy = child(spec, 'updateStrategy');
  dflt(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    dfltPtr(ru, 'maxUnavailable', 1);
    dfltPtr(ru, 'maxSurge', 0);
  }
  dfltPtr(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(child(spec, 'template'));
}

export function defaultStatefulSet(sts: Obj): void {
  const spec = child(sts, 'spec');
  dflt(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = child(spec, 'updateStrategy');
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    child(strategy, 'rollingUpdate');
  }
  const ru = opt(strategy, 'rollingUpdate');
  if (strategy.type === 'RollingUpdate' && ru) dfltPtr(ru, 'partition', 0);
  const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
  dflt(retention, 'whenDeleted', 'Retain');
  dflt(retention, 'whenScaled', 'Retain');
  dfltPtr(spec, 'replicas', 1);
  dfltPtr(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(child(spec, 'template'));
  // The generated defaulter runs SetDefaults_PersistentVolumeClaim on each claim template,
  // which is why they show `status: {phase: Pending}` upstream.
  for (const pvc of list(spec, 'volumeClaimTemplates')) defaultPVC(pvc);
}

/** core/v1 SetDefaults_ReplicationController: selector and labels from the template, replicas 1. */
export function defaultReplicationController(rc: Obj): void {
  const spec = child(rc, 'spec');
  const template = opt(spec, 'template');
  const templateLabels = opt(opt(template, 'metadata'), 'labels');
  if (templateLabels) {
    if (!isObj(spec.selector) || Object.keys(spec.selector).length === 0) spec.selector = { ...templateLabels };
    const meta = child(rc, 'metadata');
    if (!isObj(meta.labels) || Object.keys(meta.labels).length === 0) meta.labels = { ...templateLabels };
  }
  dfltPtr(spec, 'replicas', 1);
  if (template) defaultPodTemplate(template);
}

export function defaultPodTemplateObject(pt: Obj): void {
  defaultPodTemplate(child(pt, 'template'));
}

/** batch/v1 SetDefaults_JobSpec parts shared by Job (not by CronJob's jobTemplate). */
export function defaultJob(job: Obj): void {
  const spec = child(job, 'spec');
  if ((spec.completions === undefined || spec.completions === null) && (spec.parallelism === undefined || spec.parallelism === null)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  dfltPtr(spec, 'parallelism', 1);
  // With backoffLimitPerIndex the overall limit defaults to MaxInt32.
  dfltPtr(spec, 'backoffLimit', spec.backoffLimitPerIndex !== undefined && spec.backoffLimitPerIndex !== null ? 2147483647 : 6);
  const template = child(spec, 'template');
  const templateLabels = opt(opt(template, 'metadata'), 'labels');
  const meta = child(job, 'metadata');
  if (templateLabels && (!isObj(meta.labels) || Object.keys(meta.labels).length === 0)) meta.labels = { ...templateLabels };
  dfltPtr(spec, 'completionMode', 'NonIndexed');
  dfltPtr(spec, 'suspend', false);
  const pfp = opt(spec, 'podFailurePolicy');
  if (pfp) {
    for (const rule of list(pfp, 'rules')) for (const pattern of list(rule, 'onPodConditions')) dflt(pattern, 'status', 'True');
  }
  dfltPtr(spec, 'podReplacementPolicy', pfp ? 'Failed' : 'TerminatingOrFailed');
  dfltPtr(spec, 'manualSelector', false);
  defaultPodTemplate(template);
}

export function defaultCronJob(cj: Obj): void {
  const spec = child(cj, 'spec');
  dflt(spec, 'concurrencyPolicy', 'Allow');
  dfltPtr(spec, 'suspend', false);
  dfltPtr(spec, 'successfulJobsHistoryLimit', 3);
  dfltPtr(spec, 'failedJobsHistoryLimit', 1);
  const jobSpec = child(child(spec, 'jobTemplate'), 'spec');
  defaultPodTemplate(child(jobSpec, 'template'));
}

/**
 * The job registry's generateSelector (pkg/registry/batch/job/strategy.go), run on create unless
 * spec.manualSelector is true: the selector and template labels carry the Job's uid.
 */
export function generateJobSelector(job: Obj, uid: string): void {
  const spec = child(job, 'spec');
  if (spec.manualSelector === true) return;
  const name = String(opt(job, 'metadata')?.name ?? '');
  const tmeta = child(child(spec, 'template'), 'metadata');
  const labels = child(tmeta, 'labels');
  labels['batch.kubernetes.io/controller-uid'] ??= uid;
  labels['batch.kubernetes.io/job-name'] ??= name;
  labels['controller-uid'] ??= uid;
  labels['job-name'] ??= name;
  const selector = child(spec, 'selector');
  child(selector, 'matchLabels')['batch.kubernetes.io/controller-uid'] ??= uid;
}
