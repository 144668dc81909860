// apps/v1 workloads and ReplicationController (pkg/apis/apps/validation, core validation for RCs).
import { labelSelectorFromObject, labelSelectorFromSet, matchesLabels } from '../../util/label-selector.js';
import type { LabelSelector } from '../../util/label-selector.js';
import type { FieldError } from './errors.js';
import { at, deepEqual, forbidden, immutable, invalid, nonNegative, notSupported, required } from './errors.js';
import { validateAnnotations, validateLabelSelector, validateLabels } from './meta.js';
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
  // Upstream's text really has the doubled percent sign (it is not a format string).
  return [invalid(field, v, "must be an integer or percentage (e.g '5%%')")];
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

const templateLabels = (template: unknown): Record<string, string> =>
  isObj(template) && isObj(template.metadata) && isObj(template.metadata.labels) ? (template.metadata.labels as Record<string, string>) : {};

/** The selector upstream gets from LabelSelectorAsSelector: nil matches nothing, {} everything. */
function parseSelector(sel: unknown): LabelSelector | undefined {
  try {
    return labelSelectorFromObject(sel);
  } catch {
    return undefined;
  }
}

/** `!selector.Empty() && !selector.Matches(labels)`: nil selectors (Nothing) never match. */
function mismatch(selector: LabelSelector, template: unknown, path: string): FieldError[] {
  const empty = !selector.nothing && selector.requirements.length === 0;
  if (empty || matchesLabels(selector, templateLabels(template))) return [];
  return [invalid(at(path, 'metadata.labels'), templateLabels(template), '`selector` does not match template `labels`')];
}

/** restartPolicy must be Always and activeDeadlineSeconds unset in controller templates. */
function controllerTemplateRules(template: unknown, path: string, kind: string): FieldError[] {
  const errs: FieldError[] = [];
  const podSpec: Obj = isObj(template) && isObj(template.spec) ? template.spec : {};
  if (podSpec.restartPolicy !== 'Always') errs.push(notSupported(at(path, 'spec.restartPolicy'), podSpec.restartPolicy ?? '', ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    errs.push(forbidden(at(path, 'spec.activeDeadlineSeconds'), `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return errs;
}

/** ValidatePodTemplateSpecForReplicaSet. */
function validateTemplateForReplicaSet(template: unknown, selector: LabelSelector, path: string): FieldError[] {
  if (!isObj(template)) return [required(path)];
  return [...mismatch(selector, template, path), ...validatePodTemplateSpec(template, path), ...controllerTemplateRules(template, path, 'ReplicaSet')];
}

/**
 * The selector checks of Deployments, ReplicaSets and StatefulSets: required, strictly valid,
 * not empty. Returns the parsed selector, or undefined when it does not parse.
 */
function validateSelector(s: Obj, what: string, errs: FieldError[], invalidDetail: string): LabelSelector | undefined {
  if (!isObj(s.selector)) errs.push(required('spec.selector'));
  else {
    errs.push(...validateLabelSelector(s.selector, 'spec.selector'));
    const sel = s.selector;
    const count = (isObj(sel.matchLabels) ? Object.keys(sel.matchLabels).length : 0) + (Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0);
    if (count === 0) errs.push(invalid('spec.selector', sel, `empty selector is invalid for ${what}`));
  }
  const parsed = parseSelector(s.selector);
  if (!parsed) errs.push(invalid('spec.selector', s.selector, invalidDetail));
  return parsed;
}

export function validateDeployment(d: Obj): FieldError[] {
  const s = spec(d);
  const errs: FieldError[] = [];
  errs.push(...nonNegative(s.replicas, 'spec.replicas'));
  const selector = validateSelector(s, 'deployment', errs, 'invalid label selector');
  if (selector) errs.push(...validateTemplateForReplicaSet(s.template, selector, 'spec.template'));
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
      errs.push(notSupported('spec.strategy', strategy, ['Recreate', 'RollingUpdate']));
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
  // Upstream's ReplicaSet message names deployments too.
  const selector = validateSelector(s, 'deployment', errs, 'invalid label selector');
  if (selector) errs.push(...validateTemplateForReplicaSet(s.template, selector, 'spec.template'));
  return errs;
}

export function validateReplicaSetUpdate(rs: Obj, old: Obj): FieldError[] {
  return [...validateReplicaSet(rs), ...selectorImmutable(rs, old)];
}

export function validateDaemonSet(ds: Obj): FieldError[] {
  const s = spec(ds);
  const errs: FieldError[] = [];
  // No "required" check here: a nil selector matches nothing and so fails the template check.
  errs.push(...validateLabelSelector(s.selector, 'spec.selector'));
  const selector = parseSelector(s.selector);
  if (selector && !matchesLabels(selector, templateLabels(s.template))) {
    errs.push(invalid('spec.template.metadata.labels', templateLabels(s.template), '`selector` does not match template `labels`'));
  }
  if (isObj(s.selector)) {
    const count = (isObj(s.selector.matchLabels) ? Object.keys(s.selector.matchLabels).length : 0) + (Array.isArray(s.selector.matchExpressions) ? s.selector.matchExpressions.length : 0);
    if (count === 0) errs.push(invalid('spec.selector', s.selector, 'empty selector is invalid for daemonset'));
  }
  errs.push(...validatePodTemplateSpec(s.template, 'spec.template'));
  errs.push(...controllerTemplateRules(s.template, 'spec.template', 'DaemonSet'));
  errs.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(s.templateGeneration, 'spec.templateGeneration'));
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
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
      errs.push(...notMoreThan100Percent(ru.maxSurge, `${p}.maxSurge`));
      const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
      const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
      if (hasUnavailable && hasSurge) errs.push(invalid(`${p}.maxSurge`, ru.maxSurge, 'may not be set when maxUnavailable is non-zero'));
      else if (!hasUnavailable && !hasSurge) errs.push(required(`${p}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
      break;
    }
    default:
      errs.push(notSupported('spec.updateStrategy', strategy, ['RollingUpdate', 'OnDelete']));
  }
  errs.push(...nonNegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

/** ValidateDaemonSetSpecUpdate: templateGeneration moves with the template. */
function validateTemplateGeneration(ds: Obj, old: Obj): FieldError[] {
  const n = Number(spec(ds).templateGeneration ?? 0);
  const o = Number(spec(old).templateGeneration ?? 0);
  const templateUpdated = !deepEqual(spec(ds).template, spec(old).template);
  if (n < o) return [invalid('spec.templateGeneration', n, 'must not be decremented')];
  if (n === o && templateUpdated && spec(ds).templateGeneration !== undefined) return [invalid('spec.templateGeneration', n, 'must be incremented upon template update')];
  if (n > o && !templateUpdated) return [invalid('spec.templateGeneration', n, 'must not be incremented without template update')];
  return [];
}

export function validateDaemonSetUpdate(ds: Obj, old: Obj): FieldError[] {
  return [...validateTemplateGeneration(ds, old), ...validateDaemonSet(ds), ...selectorImmutable(ds, old)];
}

export function validateStatefulSet(sts: Obj): FieldError[] {
  const s = spec(sts);
  const errs: FieldError[] = [];
  if (!s.podManagementPolicy) errs.push(required('spec.podManagementPolicy'));
  else if (s.podManagementPolicy !== 'OrderedReady' && s.podManagementPolicy !== 'Parallel') {
    errs.push(invalid('spec.podManagementPolicy', s.podManagementPolicy, "must be 'OrderedReady' or 'Parallel'"));
  }
  const strategy: Obj = isObj(s.updateStrategy) ? s.updateStrategy : {};
  switch (strategy.type ?? '') {
    case '':
      errs.push(required('spec.updateStrategy'));
      break;
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
  const selector = validateSelector(s, 'statefulset', errs, '');
  if (selector) {
    // ValidatePodTemplateSpecForStatefulSet checks the template's labels and annotations only.
    const template: Obj = isObj(s.template) ? s.template : {};
    const meta: Obj = isObj(template.metadata) ? template.metadata : {};
    errs.push(...mismatch(selector, template, 'spec.template'));
    errs.push(...validateLabels(meta.labels, 'spec.template.labels'));
    errs.push(...validateAnnotations(meta.annotations, 'spec.template.annotations'));
  }
  errs.push(...controllerTemplateRules(s.template, 'spec.template', 'StatefulSet'));
  return errs;
}

export function validateStatefulSetUpdate(sts: Obj, old: Obj): FieldError[] {
  const errs = validateStatefulSet(sts);
  const mutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
  const strip = (o: Obj) => Object.fromEntries(Object.entries(spec(o)).filter(([k]) => !mutable.includes(k)));
  if (!deepEqual(strip(sts), strip(old))) {
    errs.push(
      forbidden(
        'spec',
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
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
  let parsed: LabelSelector;
  try {
    parsed = labelSelectorFromSet(sel);
  } catch {
    parsed = { requirements: [] };
  }
  errs.push(...mismatch(parsed, s.template, 'spec.template'));
  errs.push(...validatePodTemplateSpec(s.template, 'spec.template'));
  errs.push(...controllerTemplateRules(s.template, 'spec.template', 'ReplicationController'));
  return errs;
}
