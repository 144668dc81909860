// apps/v1 workloads and ReplicationController (pkg/apis/apps/validation, core validation for RCs).
import { labelSelectorFromObject, labelSelectorFromSet, matchesLabels } from '../../util/label-selector.js';
import type { LabelSelector } from '../../util/label-selector.js';
import type { FieldError } from './errors.js';
import { at, deepEqual, forbidden, immutable, invalid, nonNegative, notSupported, required } from './errors.js';
import { validateLabelSelector, validateLabels } from './meta.js';
import { regexError } from './names.js';
import { validatePodTemplateSpec } from './pod.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const spec = (o: Obj): Obj => (isObj(o.spec) ? o.spec : {});

/** ValidatePositiveIntOrPercent. */
export function validateIntOrPercent(v: unknown, field: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return /^[0-9]+%$/.test(v) ? [] : [invalid(field, v, regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%'))];
  if (typeof v === 'number') return nonNegative(v, field);
  return [invalid(field, v, "must be an integer or percentage (e.g '5%')")];
}

/** getIntOrPercentValue: the number, or the percentage's number. */
export function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[0-9]+%$/.test(v)) return Number(v.slice(0, -1));
  return 0;
}

export function notMoreThan100Percent(v: unknown, field: string): FieldError[] {
  return typeof v === 'string' && /^[0-9]+%$/.test(v) && Number(v.slice(0, -1)) > 100 ? [invalid(field, v, 'must not be greater than 100%')] : [];
}

/** ValidatePodTemplateSpecForReplicaSet: labels match the selector, restartPolicy Always. */
function validateTemplateForController(template: unknown, selector: LabelSelector | undefined, path: string): FieldError[] {
  if (!isObj(template)) return [required(path)];
  const errs: FieldError[] = [];
  const labels = isObj(template.metadata) && isObj(template.metadata.labels) ? (template.metadata.labels as Record<string, string>) : {};
  if (selector && selector.requirements.length > 0 && !matchesLabels(selector, labels)) {
    errs.push(invalid(at(path, 'metadata.labels'), labels, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, path));
  const podSpec: Obj = isObj(template.spec) ? template.spec : {};
  if (podSpec.restartPolicy !== undefined && podSpec.restartPolicy !== '' && podSpec.restartPolicy !== 'Always') {
    errs.push(notSupported(at(path, 'spec.restartPolicy'), podSpec.restartPolicy, ['Always']));
  }
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    errs.push(forbidden(at(path, 'spec.activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

/** Selector checks shared by the apps controllers; returns the parsed selector when valid. */
function validateSelector(s: Obj, what: string, errs: FieldError[]): LabelSelector | undefined {
  if (!isObj(s.selector)) {
    errs.push(required('spec.selector'));
    return undefined;
  }
  const selErrs = validateLabelSelector(s.selector, 'spec.selector');
  errs.push(...selErrs);
  const sel = s.selector;
  const count = (isObj(sel.matchLabels) ? Object.keys(sel.matchLabels).length : 0) + (Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0);
  if (count === 0) errs.push(invalid('spec.selector', sel, `empty selector is invalid for ${what}`));
  if (selErrs.length) return undefined;
  try {
    return labelSelectorFromObject(sel);
  } catch {
    errs.push(invalid('spec.selector', sel, 'invalid label selector'));
    return undefined;
  }
}

export function validateDeployment(d: Obj): FieldError[] {
  const s = spec(d);
  const errs: FieldError[] = [];
  errs.push(...nonNegative(s.replicas, 'spec.replicas'));
  const selector = validateSelector(s, 'deployment', errs);
  if (isObj(s.selector)) errs.push(...validateTemplateForController(s.template, selector, 'spec.template'));
  const strategy: Obj = isObj(s.strategy) ? s.strategy : {};
  switch (strategy.type) {
    case 'Recreate':
      if (strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null) {
        errs.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
      }
      break;
    case 'RollingUpdate': {
      if (!isObj(strategy.rollingUpdate)) {
        errs.push(required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
        break;
      }
      const ru = strategy.rollingUpdate;
      errs.push(...validateIntOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
      errs.push(...validateIntOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge'));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
      break;
    }
    default:
      errs.push(notSupported('spec.strategy.type', strategy.type ?? '', ['Recreate', 'RollingUpdate']));
  }
  errs.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (typeof s.progressDeadlineSeconds === 'number') {
    errs.push(...nonNegative(s.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (s.progressDeadlineSeconds <= (typeof s.minReadySeconds === 'number' ? s.minReadySeconds : 0)) {
      errs.push(invalid('spec.progressDeadlineSeconds', s.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

/** apps/v1 selectors are immutable (ValidateDeploymentUpdate, ValidateReplicaSetUpdate, ...). */
function selectorImmutable(d: Obj, old: Obj): FieldError[] {
  return immutable(spec(d).selector, spec(old).selector, 'spec.selector');
}

export function validateDeploymentUpdate(d: Obj, old: Obj): FieldError[] {
  return [...validateDeployment(d), ...selectorImmutable(d, old)];
}

export function validateReplicaSet(rs: Obj): FieldError[] {
  const s = spec(rs);
  const errs: FieldError[] = [];
  errs.push(...nonNegative(s.replicas, 'spec.replicas'));
  errs.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  const selector = validateSelector(s, 'deployment', errs);
  if (isObj(s.selector)) errs.push(...validateTemplateForController(s.template, selector, 'spec.template'));
  return errs;
}

export function validateReplicaSetUpdate(rs: Obj, old: Obj): FieldError[] {
  return [...validateReplicaSet(rs), ...selectorImmutable(rs, old)];
}

export function validateDaemonSet(ds: Obj): FieldError[] {
  const s = spec(ds);
  const errs: FieldError[] = [];
  const selector = validateSelector(s, 'daemonset', errs);
  if (isObj(s.selector)) errs.push(...validateTemplateForController(s.template, selector, 'spec.template'));
  errs.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(s.templateGeneration, 'spec.templateGeneration'));
  errs.push(...nonNegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const strategy: Obj = isObj(s.updateStrategy) ? s.updateStrategy : {};
  switch (strategy.type) {
    case 'OnDelete':
      break;
    case 'RollingUpdate': {
      if (!isObj(strategy.rollingUpdate)) {
        errs.push(required('spec.updateStrategy.rollingUpdate'));
        break;
      }
      const ru = strategy.rollingUpdate;
      const p = 'spec.updateStrategy.rollingUpdate';
      errs.push(...validateIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
      errs.push(...validateIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
      const mu = intOrPercentValue(ru.maxUnavailable);
      const ms = intOrPercentValue(ru.maxSurge);
      if (mu === 0 && ms === 0) errs.push(invalid(`${p}.maxUnavailable`, ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      if (mu !== 0 && ms !== 0) errs.push(invalid(`${p}.maxSurge`, ru.maxSurge, 'may not be set when maxUnavailable is non-zero'));
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
      break;
    }
    default:
      errs.push(notSupported('spec.updateStrategy', strategy.type ?? '', ['OnDelete', 'RollingUpdate']));
  }
  return errs;
}

export function validateDaemonSetUpdate(ds: Obj, old: Obj): FieldError[] {
  return [...validateDaemonSet(ds), ...selectorImmutable(ds, old)];
}

export function validateStatefulSet(sts: Obj): FieldError[] {
  const s = spec(sts);
  const errs: FieldError[] = [];
  if (s.podManagementPolicy !== 'OrderedReady' && s.podManagementPolicy !== 'Parallel') {
    errs.push(invalid('spec.podManagementPolicy', s.podManagementPolicy ?? '', "must be 'OrderedReady' or 'Parallel'"));
  }
  const strategy: Obj = isObj(s.updateStrategy) ? s.updateStrategy : {};
  switch (strategy.type) {
    case 'OnDelete':
      if (strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null) {
        errs.push(invalid('spec.updateStrategy.rollingUpdate', strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
      }
      break;
    case 'RollingUpdate':
      if (isObj(strategy.rollingUpdate)) {
        errs.push(...nonNegative(strategy.rollingUpdate.partition, 'spec.updateStrategy.rollingUpdate.partition'));
        const mu = strategy.rollingUpdate.maxUnavailable;
        if (mu !== undefined && mu !== null) {
          errs.push(...validateIntOrPercent(mu, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
          if (intOrPercentValue(mu) === 0) errs.push(invalid('spec.updateStrategy.rollingUpdate.maxUnavailable', mu, 'cannot be 0'));
          errs.push(...notMoreThan100Percent(mu, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
        }
      }
      break;
    default:
      errs.push(invalid('spec.updateStrategy', strategy, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const retention = s.persistentVolumeClaimRetentionPolicy;
  if (isObj(retention)) {
    for (const f of ['whenDeleted', 'whenScaled']) {
      if (retention[f] !== 'Retain' && retention[f] !== 'Delete') errs.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${f}`, retention[f] ?? '', ['Retain', 'Delete']));
    }
  }
  errs.push(...nonNegative(s.replicas, 'spec.replicas'));
  errs.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  if (isObj(s.ordinals)) errs.push(...nonNegative(s.ordinals.start, 'spec.ordinals.start'));
  const selector = validateSelector(s, 'statefulset', errs);
  if (isObj(s.selector)) errs.push(...validateTemplateForController(s.template, selector, 'spec.template'));
  return errs;
}

export function validateStatefulSetUpdate(sts: Obj, old: Obj): FieldError[] {
  const errs = validateStatefulSet(sts);
  const mutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
  const strip = (o: Obj) => Object.fromEntries(Object.entries(spec(o)).filter(([k]) => !mutable.includes(k)));
  if (!deepEqual(strip(sts), strip(old))) {
    errs.push(
      forbidden(
        'spec',
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  }
  return errs;
}

/** core/v1 ReplicationController: a map selector that must match the template. */
export function validateReplicationController(rc: Obj): FieldError[] {
  const s = spec(rc);
  const errs: FieldError[] = [];
  errs.push(...nonNegative(s.replicas, 'spec.replicas'));
  errs.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  const sel = isObj(s.selector) ? (s.selector as Record<string, string>) : {};
  if (Object.keys(sel).length === 0) errs.push(required('spec.selector'));
  else errs.push(...validateLabels(sel, 'spec.selector'));
  if (!isObj(s.template)) {
    errs.push(required('spec.template'));
    return errs;
  }
  let parsed: LabelSelector | undefined;
  try {
    parsed = Object.keys(sel).length ? labelSelectorFromSet(sel) : undefined;
  } catch {
    parsed = undefined;
  }
  errs.push(...validateTemplateForController(s.template, parsed, 'spec.template'));
  return errs;
}
