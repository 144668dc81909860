// ObjectMeta validation (k8s.io/apimachinery/pkg/api/validation/objectmeta.go and
// apis/meta/v1/validation): names, namespace, labels, annotations, owner references, finalizers,
// managed fields; plus label selectors. Update rules in validateObjectMetaUpdate.
import type { FieldError } from './errors.js';
import { at, forbidden, idx, immutable, invalid, nonNegative, required, tooLong } from './errors.js';
import { dns1123LabelErrors, labelValueErrors, qualifiedNameErrors } from './names.js';
import type { NameRule } from './names.js';

type Obj = Record<string, unknown>;

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** metav1validation.ValidateLabels: keys and values, reported at the map's path. */
export function validateLabels(labels: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(labels)) return errs;
  for (const [k, v] of Object.entries(labels)) {
    for (const m of qualifiedNameErrors(k)) errs.push(invalid(path, k, m));
    const value = typeof v === 'string' ? v : String(v);
    for (const m of labelValueErrors(value)) errs.push(invalid(path, value, m));
  }
  return errs;
}

/** ValidateAnnotations: qualified keys (checked lower-cased) and 256 KiB in total. */
export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(annotations)) return errs;
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const m of qualifiedNameErrors(k.toLowerCase())) errs.push(invalid(path, k, m));
    total += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : String(v));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

/** Owner kinds that may not own anything (BannedOwners). */
const BANNED_OWNERS = new Set(['events.k8s.io/v1/Event', 'v1/Event']);

function validateOwnerReferences(refs: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(refs)) return errs;
  let firstController = '';
  for (const ref of refs) {
    if (!isObj(ref)) continue;
    const apiVersion = str(ref.apiVersion);
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (!version) errs.push(invalid(at(path, 'apiVersion'), apiVersion, 'version must not be empty'));
    if (!str(ref.kind)) errs.push(invalid(at(path, 'kind'), str(ref.kind), 'kind must not be empty'));
    if (!str(ref.name)) errs.push(invalid(at(path, 'name'), str(ref.name), 'name must not be empty'));
    if (!str(ref.uid)) errs.push(invalid(at(path, 'uid'), str(ref.uid), 'uid must not be empty'));
    if (BANNED_OWNERS.has(`${apiVersion}/${str(ref.kind)}`)) {
      const [g, v] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      errs.push(invalid(path, ref, `${g}/${v}, Kind=${str(ref.kind)} is disallowed from being an owner`));
    }
    if (ref.controller === true) {
      const current = `${str(ref.kind)}/${str(ref.name)}`;
      if (firstController) {
        errs.push(invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`));
      } else firstController = current;
    }
  }
  return errs;
}

function validateFinalizers(finalizers: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(finalizers)) return errs;
  for (const f of finalizers) for (const m of qualifiedNameErrors(String(f))) errs.push(invalid(path, f, m));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(invalid(path, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

function validateManagedFields(fields: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(fields)) return errs;
  fields.forEach((f, i) => {
    if (!isObj(f)) return;
    const p = idx(path, i);
    if (f.operation !== 'Apply' && f.operation !== 'Update') errs.push(invalid(at(p, 'operation'), f.operation ?? '', 'must be `Apply` or `Update`'));
    if (f.fieldsType !== undefined && f.fieldsType !== 'FieldsV1') errs.push(invalid(at(p, 'fieldsType'), f.fieldsType, 'must be `FieldsV1`'));
    if (typeof f.manager === 'string' && f.manager.length > 128) errs.push(tooLong(at(p, 'manager'), 128));
  });
  return errs;
}

export interface MetaOptions {
  /** true: namespace required; false: forbidden; undefined (unknown kinds): checked only when present. */
  namespaced: boolean | undefined;
  nameRule: NameRule;
}

/** ValidateObjectMetaAccessor. */
export function validateObjectMeta(meta: unknown, opts: MetaOptions, path = 'metadata'): FieldError[] {
  const m: Obj = isObj(meta) ? meta : {};
  const errs: FieldError[] = [];
  const generateName = str(m.generateName);
  if (generateName) for (const msg of opts.nameRule(generateName, true)) errs.push(invalid(at(path, 'generateName'), generateName, msg));
  const name = str(m.name);
  if (!name) errs.push(required(at(path, 'name'), 'name or generateName is required'));
  else for (const msg of opts.nameRule(name, false)) errs.push(invalid(at(path, 'name'), name, msg));
  const ns = str(m.namespace);
  if (opts.namespaced === true && !ns) errs.push(required(at(path, 'namespace')));
  else if (opts.namespaced === false && ns) errs.push(forbidden(at(path, 'namespace'), 'not allowed on this type'));
  else if (ns) for (const msg of dns1123LabelErrors(ns)) errs.push(invalid(at(path, 'namespace'), ns, msg));
  errs.push(...nonNegative(m.generation, at(path, 'generation')));
  errs.push(...validateLabels(m.labels, at(path, 'labels')));
  errs.push(...validateAnnotations(m.annotations, at(path, 'annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, at(path, 'ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, at(path, 'finalizers')));
  errs.push(...validateManagedFields(m.managedFields, at(path, 'managedFields')));
  return errs;
}

/**
 * ValidateObjectMetaUpdate. The caller sets metadata.resourceVersion from the stored object
 * for unconditional updates before validating, as upstream's store does.
 */
export function validateObjectMetaUpdate(meta: unknown, oldMeta: unknown, path = 'metadata'): FieldError[] {
  const m: Obj = isObj(meta) ? meta : {};
  const o: Obj = isObj(oldMeta) ? oldMeta : {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const old = new Set(Array.isArray(o.finalizers) ? o.finalizers.map(String) : []);
    const added = (Array.isArray(m.finalizers) ? m.finalizers.map(String) : []).filter((f) => !old.has(f));
    if (added.length) errs.push(forbidden(at(path, 'finalizers'), `no new finalizers can be added if the object is being deleted, found new finalizers []string{${[...new Set(added)].sort().map((f) => JSON.stringify(f)).join(', ')}}`));
  }
  if (!str(m.resourceVersion)) errs.push(invalid(at(path, 'resourceVersion'), str(m.resourceVersion), 'must be specified for an update'));
  if (typeof m.generation === 'number' && typeof o.generation === 'number' && m.generation < o.generation) {
    errs.push(invalid(at(path, 'generation'), m.generation, 'must not be decremented'));
  }
  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds']) {
    errs.push(...immutable(m[f] ?? (f === 'name' || f === 'namespace' || f === 'uid' ? '' : undefined), o[f] ?? (f === 'name' || f === 'namespace' || f === 'uid' ? '' : undefined), at(path, f)));
  }
  errs.push(...validateLabels(m.labels, at(path, 'labels')));
  errs.push(...validateAnnotations(m.annotations, at(path, 'annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, at(path, 'ownerReferences')));
  errs.push(...validateManagedFields(m.managedFields, at(path, 'managedFields')));
  return errs;
}

/** metav1validation.ValidateLabelSelector (strict: invalid label values are not allowed). */
export function validateLabelSelector(sel: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(sel)) return errs;
  errs.push(...validateLabels(sel.matchLabels, at(path, 'matchLabels')));
  const exprs = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [];
  exprs.forEach((e, i) => {
    if (!isObj(e)) return;
    const p = idx(at(path, 'matchExpressions'), i);
    const values = Array.isArray(e.values) ? e.values : [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(at(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(forbidden(at(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalid(at(p, 'operator'), e.operator ?? '', 'not a valid selector operator'));
    }
    for (const msg of qualifiedNameErrors(str(e.key))) errs.push(invalid(at(p, 'key'), str(e.key), msg));
    values.forEach((v, j) => {
      for (const msg of labelValueErrors(String(v))) errs.push(invalid(idx(at(p, 'values'), j), v, msg));
    });
  });
  return errs;
}
