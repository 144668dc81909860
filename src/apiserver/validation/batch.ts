// batch/v1 Job and CronJob (pkg/apis/batch/validation/validation.go).
import { labelSelectorFromObject, matchesLabels } from '../../util/label-selector.js';
import type { FieldError } from './errors.js';
import { at, deepEqual, immutable, invalid, nonNegative, notSupported, required } from './errors.js';
import { validateLabelSelector } from './meta.js';
import { validatePodTemplateSpec } from './pod.js';
import { cronScheduleError, isKnownTimeZone } from './cron.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const spec = (o: Obj): Obj => (isObj(o.spec) ? o.spec : {});
const has = (o: Obj, k: string) => o[k] !== undefined && o[k] !== null;

const MAX_PARALLELISM_FOR_INDEXED_JOB = 100000;

/** validateJobSpec, shared by Jobs and CronJob job templates. */
function validateJobSpec(s: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished']) errs.push(...nonNegative(s[f], at(path, f)));
  if (has(s, 'backoffLimitPerIndex')) {
    errs.push(...nonNegative(s.backoffLimitPerIndex, at(path, 'backoffLimitPerIndex')));
    if (s.completionMode !== 'Indexed') errs.push(required(at(path, 'completionMode'), 'when backoffLimitPerIndex is specified, completionMode must be "Indexed"'));
  }
  if (has(s, 'completionMode')) {
    if (s.completionMode !== 'NonIndexed' && s.completionMode !== 'Indexed') errs.push(notSupported(at(path, 'completionMode'), s.completionMode, ['NonIndexed', 'Indexed']));
    if (s.completionMode === 'Indexed') {
      if (!has(s, 'completions')) errs.push(required(at(path, 'completions'), 'when completion mode is Indexed'));
      if (typeof s.parallelism === 'number' && s.parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB) {
        errs.push(invalid(at(path, 'parallelism'), s.parallelism, `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`));
      }
    }
  }
  if (has(s, 'podReplacementPolicy')) {
    if (s.podReplacementPolicy !== 'TerminatingOrFailed' && s.podReplacementPolicy !== 'Failed') {
      errs.push(notSupported(at(path, 'podReplacementPolicy'), s.podReplacementPolicy, ['TerminatingOrFailed', 'Failed']));
    } else if (s.podReplacementPolicy === 'TerminatingOrFailed' && has(s, 'podFailurePolicy')) {
      errs.push(notSupported(at(path, 'podReplacementPolicy'), s.podReplacementPolicy, ['Failed']));
    }
  }
  errs.push(...validatePodTemplateSpec(s.template, at(path, 'template')));
  const podSpec: Obj = isObj(s.template) && isObj(s.template.spec) ? s.template.spec : {};
  if (podSpec.restartPolicy !== 'OnFailure' && podSpec.restartPolicy !== 'Never') {
    errs.push(notSupported(at(path, 'template.spec.restartPolicy'), podSpec.restartPolicy ?? '', ['OnFailure', 'Never']));
  }
  return errs;
}

/**
 * ValidateJob. The registry generates spec.selector on create (generateJobSelector) before
 * validation, as upstream's job strategy does, unless spec.manualSelector is true.
 */
export function validateJob(job: Obj): FieldError[] {
  const s = spec(job);
  const errs: FieldError[] = [];
  if (!isObj(s.selector)) errs.push(required('spec.selector'));
  else {
    const selErrs = validateLabelSelector(s.selector, 'spec.selector');
    errs.push(...selErrs);
    if (selErrs.length === 0) {
      const labels = isObj(s.template) && isObj(s.template.metadata) && isObj(s.template.metadata.labels) ? (s.template.metadata.labels as Record<string, string>) : {};
      if (!matchesLabels(labelSelectorFromObject(s.selector), labels)) errs.push(invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
    }
  }
  errs.push(...validateJobSpec(s, 'spec'));
  return errs;
}

/** Template fields a suspended Job that never started may change (mutable scheduling directives). */
const MUTABLE_WHILE_SUSPENDED = ['nodeSelector', 'affinity', 'tolerations', 'schedulingGates'];

export function validateJobUpdate(job: Obj, old: Obj): FieldError[] {
  const errs = validateJob(job);
  const s = spec(job);
  const o = spec(old);
  errs.push(...immutable(s.selector, o.selector, 'spec.selector'));
  const elastic = s.completionMode === 'Indexed' && o.completionMode === 'Indexed' && s.completions === s.parallelism && o.completions === o.parallelism;
  if (!elastic) errs.push(...immutable(s.completions, o.completions, 'spec.completions'));
  errs.push(...immutable(s.completionMode, o.completionMode, 'spec.completionMode'));
  errs.push(...immutable(s.podFailurePolicy, o.podFailurePolicy, 'spec.podFailurePolicy'));
  errs.push(...immutable(s.backoffLimitPerIndex, o.backoffLimitPerIndex, 'spec.backoffLimitPerIndex'));
  const status: Obj = isObj(old.status) ? old.status : {};
  let template = s.template;
  let oldTemplate = o.template;
  if (o.suspend === true && !status.startTime && isObj(template) && isObj(oldTemplate)) {
    const strip = (t: Obj) => {
      const copy = structuredClone(t);
      delete (copy.metadata as Obj | undefined)?.labels;
      delete (copy.metadata as Obj | undefined)?.annotations;
      for (const f of MUTABLE_WHILE_SUSPENDED) delete (copy.spec as Obj | undefined)?.[f];
      return copy;
    };
    template = strip(template);
    oldTemplate = strip(oldTemplate);
  }
  if (!deepEqual(template, oldTemplate)) errs.push(invalid('spec.template', s.template, 'field is immutable'));
  return errs;
}

function validateTimeZone(tz: unknown, path: string): FieldError[] {
  if (tz === undefined || tz === null) return [];
  const v = String(tz);
  if (v === '') return [invalid(path, v, 'timeZone must be nil or non-empty string')];
  for (const part of v.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part)) return [invalid(path, v, `unknown time zone ${v}`)];
  }
  const errs: FieldError[] = [];
  if (v.toLowerCase() === 'local') errs.push(invalid(path, v, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  else if (!isKnownTimeZone(v)) errs.push(invalid(path, v, `unknown time zone ${v}`));
  return errs;
}

function validateCronJobSpec(s: Obj, old: Obj | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const schedule = typeof s.schedule === 'string' ? s.schedule : '';
  if (!schedule) errs.push(required('spec.schedule'));
  else if (!old || old.schedule !== schedule) {
    const e = cronScheduleError(schedule);
    if (e) errs.push(invalid('spec.schedule', schedule, e));
    const allowTZ = old ? String(old.schedule ?? '').includes('TZ') : false;
    if (allowTZ && schedule.includes('TZ') && has(s, 'timeZone')) errs.push(invalid('spec.schedule', schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    else if (!allowTZ && schedule.includes('TZ')) errs.push(invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  errs.push(...nonNegative(s.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  if (!old || old.timeZone !== s.timeZone) errs.push(...validateTimeZone(s.timeZone, 'spec.timeZone'));
  const cp = s.concurrencyPolicy;
  if (cp === undefined || cp === '') errs.push(required('spec.concurrencyPolicy'));
  else if (cp !== 'Allow' && cp !== 'Forbid' && cp !== 'Replace') errs.push(notSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  const jt: Obj = isObj(s.jobTemplate) ? s.jobTemplate : {};
  const jspec: Obj = isObj(jt.spec) ? jt.spec : {};
  errs.push(...validateJobSpec(jspec, 'spec.jobTemplate.spec'));
  if (has(jspec, 'selector')) errs.push(invalid('spec.jobTemplate.spec.selector', jspec.selector, '`selector` will be auto-generated'));
  if (jspec.manualSelector === true) errs.push(notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  errs.push(...nonNegative(s.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...nonNegative(s.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  return errs;
}

export function validateCronJob(cj: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const name = isObj(cj.metadata) && typeof cj.metadata.name === 'string' ? cj.metadata.name : '';
  // Job names get an 11-character suffix and must stay DNS-1035 labels (63 characters).
  if (name.length > 52) errs.push(invalid('metadata.name', name, 'must be no more than 52 characters'));
  errs.push(...validateCronJobSpec(spec(cj), undefined));
  return errs;
}

export function validateCronJobUpdate(cj: Obj, old: Obj): FieldError[] {
  return validateCronJobSpec(spec(cj), spec(old));
}
