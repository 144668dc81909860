// Server-side apply: merges an applied configuration into the live object and records what the
// applier owns (managedfields/internal fieldmanager.go Apply and its wrappers, and
// structured-merge-diff merge.Updater.Apply): fields the applier set before and leaves out now
// are removed unless another applier owns them; changing a field another manager owns is a
// conflict unless forced, and forcing takes the field over.
import { badRequest } from '../../api/status.js';
import { unclassifiedPatchError } from '../patch/errors.js';
import { deepClone, isJsonObject, jsonEqual, type JsonObject } from '../patch/json-value.js';
import type { SchemaNode } from '../patch/schema-node.js';
import { ApplyConflictError, type FieldConflict } from './conflict.js';
import { goJson } from './path.js';
import { FieldSet } from './field-set.js';
import {
  cloneManaged,
  decodeManagedFields,
  type Managed,
  ManagedFieldsError,
  managerIdentifier,
  rfc3339Seconds,
  STRIPPED_FIELDS,
} from './managed-fields.js';
import { compareValues, ensureNamedFieldsAreMembers, mergeValues, removeItems, toFieldSet, TypedValueError } from './typed.js';
import { ignoredSet, recordUpdate, setManagedFields, takeOwnership, withoutManagedFields } from './update.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export interface ApplyOptions {
  /** The fieldManager parameter (required for apply). */
  manager: string;
  force: boolean;
  schema: SchemaNode;
  /** Group-version of the request, e.g. 'apps/v1'. */
  apiVersion: string;
  /** Current time (RFC 3339); entries keep whole seconds. */
  now: string;
  subresource?: string;
  /** The kind served at the request's path; when given, the applied kind must match. */
  kind?: string;
  /** Fields the registry strategy resets for this endpoint (see UpdateOptions.ignoredFields). */
  ignoredFields?: readonly (readonly string[])[];
}

function meta(obj: unknown): JsonObject {
  return isJsonObject(obj) && isJsonObject(obj.metadata) ? obj.metadata : {};
}

function describe(obj: JsonObject, opts: ApplyOptions): string {
  const m = meta(obj);
  const [group, version] = opts.apiVersion.includes('/') ? opts.apiVersion.split('/') : ['', opts.apiVersion];
  return `${typeof m.namespace === 'string' ? m.namespace : ''}/${typeof m.name === 'string' ? m.name : ''}; ${group}/${version}, Kind=${opts.kind ?? String(obj.kind ?? '')}`;
}

/**
 * Applies `applied` (the decoded apply-patch body) to `live` (undefined when the object does
 * not exist yet). Returns the merged object with metadata.managedFields set. Throws
 * ApplyConflictError (409) on conflicts when not forced, and ApiError 400 for an applied object
 * of the wrong version or kind or one carrying managedFields.
 */
export function computeApply(live: object | undefined, applied: object, opts: ApplyOptions): { object: object } {
  if (!isJsonObject(applied)) throw badRequest('error decoding YAML: the applied configuration is not an object');
  const kind = typeof applied.kind === 'string' ? applied.kind : '';
  const appliedVersion = typeof applied.apiVersion === 'string' ? applied.apiVersion : '';
  if (appliedVersion !== opts.apiVersion || (opts.kind !== undefined && kind !== opts.kind)) {
    const [g, v] = appliedVersion.includes('/') ? appliedVersion.split('/') : ['', appliedVersion];
    throw badRequest(`invalid object type: ${g}/${v}, Kind=${kind}`);
  }
  if (meta(applied).managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');

  const liveObj: JsonObject = live ? (deepClone(live) as JsonObject) : {};
  let managed: Managed;
  try {
    managed = decodeManagedFields(meta(liveObj).managedFields);
  } catch (e) {
    if (e instanceof ManagedFieldsError) throw unclassifiedPatchError(`failed to decode managed fields: ${e.message}`);
    throw e;
  }
  // skipnonapplied.go: an object no manager tracks yet is first owned by "before-first-apply".
  if (managed.size === 0 && live) {
    recordUpdate(opts.schema.zeroValue() ?? {}, liveObj, managed, {
      manager: 'before-first-apply',
      apiVersion: opts.apiVersion,
      now: opts.now,
      schema: opts.schema,
      ignoredFields: opts.ignoredFields,
    });
  }
  const config = deepClone(applied);
  let configSet: FieldSet;
  try {
    configSet = toFieldSet(config, opts.schema, true).recursiveDifference(ignoredSet(opts.ignoredFields));
  } catch (e) {
    if (e instanceof TypedValueError) throw unclassifiedPatchError(`failed to create typed patch object (${describe(config, opts)}): ${e.message}`);
    throw e;
  }

  let result = tryApply(liveObj, config, configSet, managed, opts, opts.force);
  if ('conflicts' in result && opts.manager === 'kubectl') {
    // lastappliedmanager.go: kubectl taking over from its own client-side apply does not
    // conflict on fields the last-applied annotation still describes.
    const allowed = allowedByLastApplied(liveObj, opts);
    if (allowed) {
      const rest = result.conflicts.filter((c) => !allowed.has(c.path));
      if (rest.length > 0) throw new ApplyConflictError(rest);
      result = tryApply(liveObj, config, configSet, managed, opts, true);
    }
  }
  if ('conflicts' in result) throw new ApplyConflictError(result.conflicts);
  const object = result.object;

  // lastappliedupdater.go: keep kubectl's client-side annotation in step with server-side apply.
  if (opts.manager === 'kubectl') {
    const annotations = meta(object).annotations;
    if (isJsonObject(annotations) && typeof annotations[LAST_APPLIED_ANNOTATION] === 'string' && annotations[LAST_APPLIED_ANNOTATION] !== '') {
      annotations[LAST_APPLIED_ANNOTATION] = buildLastApplied(config);
    }
  }
  setManagedFields(object, result.managed);
  return { object };
}

function tryApply(
  liveObj: JsonObject,
  config: JsonObject,
  configSet: FieldSet,
  managedIn: Managed,
  opts: ApplyOptions,
  force: boolean,
): { object: JsonObject; managed: Managed } | { conflicts: FieldConflict[] } {
  const managed = cloneManaged(managedIn);
  const id = managerIdentifier({ manager: opts.manager, operation: 'Apply', subresource: opts.subresource });
  const liveBare = withoutManagedFields(liveObj) as JsonObject;
  let merged = (mergeValues(liveBare, config, opts.schema) ?? {}) as JsonObject;
  const previous = managed.get(id);
  const lastSet = previous?.set;
  managed.set(id, { manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion, subresource: opts.subresource, set: configSet, time: previous?.time });
  merged = prune(merged, managed, lastSet, opts.schema);
  const { conflicts } = takeOwnership(liveBare, merged, managed, opts.schema, id, force, ignoredSet(opts.ignoredFields));
  if (conflicts.length > 0) return { conflicts };
  const own = managed.get(id)!;
  const set = own.set.difference(STRIPPED_FIELDS);
  // An apply that changes no value leaves the object as it was and the applier's time alone
  // (merge.Updater.Apply returns no object then; managedfieldsupdater.go sets the time only
  // when there is one). A first-time co-owner then has an entry without a time.
  const noop = jsonEqual(liveBare, merged);
  if (set.empty()) managed.delete(id);
  else managed.set(id, { ...own, set, time: noop ? own.time : rfc3339Seconds(opts.now) });
  return { object: noop ? liveBare : merged, managed };
}

/**
 * Removes what the applier owned last time and no longer applies, unless a manager (appliers,
 * updaters, this applier's new configuration) still claims it (merge.Updater prune,
 * addBackOwnedItems, addBackDanglingItems). Struct fields count as owned units, so a struct
 * the applier stops applying goes as a whole (EnsureNamedFieldsAreMembers).
 */
function prune(merged: JsonObject, managed: Managed, lastSet: FieldSet | undefined, schema: SchemaNode): JsonObject {
  if (!lastSet || lastSet.empty()) return merged;
  const named = (s: FieldSet) => ensureNamedFieldsAreMembers(s, schema);
  const last = named(lastSet);
  const mergedSet = named(toFieldSet(merged, schema));
  let pruned = removeItems(merged, last, schema);
  let claimed = new FieldSet();
  for (const e of managed.values()) claimed = claimed.union(e.set);
  pruned = removeItems(merged, mergedSet.difference(named(toFieldSet(pruned, schema)).union(named(claimed))), schema);
  const prunedSet = named(toFieldSet(pruned, schema));
  return removeItems(merged, mergedSet.difference(prunedSet).intersection(last), schema) as JsonObject;
}

/** Fields of the last-applied annotation that the live object still has with those values. */
function allowedByLastApplied(liveObj: JsonObject, opts: ApplyOptions): FieldSet | undefined {
  const annotations = meta(liveObj).annotations;
  const raw = isJsonObject(annotations) ? annotations[LAST_APPLIED_ANNOTATION] : undefined;
  if (typeof raw !== 'string' || raw === '') return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isJsonObject(lastApplied) || lastApplied.apiVersion !== opts.apiVersion) return undefined;
  try {
    const liveBare = withoutManagedFields(liveObj);
    const set = toFieldSet(lastApplied, opts.schema);
    const cmp = compareValues(lastApplied, liveBare, opts.schema);
    return set.difference(cmp.modified).difference(cmp.added).difference(cmp.removed);
  } catch {
    return undefined;
  }
}

/** The annotation value upstream writes: the applied object without the annotation, keys sorted, newline-terminated. */
function buildLastApplied(config: JsonObject): string {
  const copy = deepClone(config);
  const m = meta(copy);
  if (isJsonObject(m.annotations)) delete m.annotations[LAST_APPLIED_ANNOTATION];
  return `${goJson(copy)}\n`;
}
