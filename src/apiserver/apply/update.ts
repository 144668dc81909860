// Field management for writes that are not apply (create, update, patch): the writer becomes
// owner of every field it changed, other managers lose those fields, and the result is
// written to metadata.managedFields (managedfields/internal: fieldmanager.go Update,
// managedfieldsupdater.go, capmanagers.go, stripmeta.go, structured-merge-diff Updater.Update).
import { deepClone, isJsonObject, type JsonObject } from '../patch/json-value.js';
import type { SchemaNode } from '../patch/schema-node.js';
import { FieldSet } from './field-set.js';
import {
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  type Managed,
  managerIdentifier,
  rfc3339Seconds,
  STRIPPED_FIELDS,
} from './managed-fields.js';
import { compareValues } from './typed.js';
import { fieldPE } from './path.js';
import type { FieldConflict } from './conflict.js';

export interface UpdateOptions {
  /** Field manager name (the fieldManager parameter, or the User-Agent's first part). */
  manager: string;
  operation: 'Update';
  /** Group-version of the request, e.g. 'apps/v1' or 'v1'. */
  apiVersion: string;
  /** Current time (RFC 3339); entries keep whole seconds. */
  now: string;
  /** Set for writes to a subresource ('status', 'scale'). */
  subresource?: string;
  schema: SchemaNode;
  /**
   * Fields the registry strategy resets for this endpoint (GetResetFields), e.g. [['status']]
   * for the main resource: nobody gains or loses ownership of them here.
   */
  ignoredFields?: readonly (readonly string[])[];
}

/** The ignored fields as a set of paths. */
export function ignoredSet(paths: readonly (readonly string[])[] | undefined): FieldSet {
  return FieldSet.of(...(paths ?? []).map((p) => p.map(fieldPE)));
}

/** The object without metadata.managedFields (field management never tracks it). */
export function withoutManagedFields(obj: unknown): unknown {
  if (!isJsonObject(obj) || !isJsonObject(obj.metadata) || !('managedFields' in obj.metadata)) return obj;
  const { managedFields: _drop, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

export function setManagedFields(obj: JsonObject, managed: Managed): void {
  const entries = encodeManagedFields(managed);
  const metadata = isJsonObject(obj.metadata) ? obj.metadata : (obj.metadata = {});
  if (entries) (metadata as JsonObject).managedFields = entries;
  else delete (metadata as JsonObject).managedFields;
}

/** An empty list, or a list of one empty entry, asks to reset managed fields. */
function isReset(list: unknown): boolean {
  if (!Array.isArray(list)) return false;
  if (list.length === 0) return true;
  return list.length === 1 && isJsonObject(list[0]) && Object.keys(list[0]).length === 0;
}

function decodeOrEmpty(list: unknown): Managed {
  try {
    return decodeManagedFields(list);
  } catch {
    return new Map();
  }
}

function managedFieldsOf(obj: unknown): unknown {
  return isJsonObject(obj) && isJsonObject(obj.metadata) ? obj.metadata.managedFields : undefined;
}

/**
 * Takes from every other manager the fields that change between live and next, and the fields
 * that are removed; returns what the changing manager now sets. With force false, changes to
 * fields others own are returned as conflicts instead.
 */
export function takeOwnership(
  live: unknown,
  next: unknown,
  managed: Managed,
  schema: SchemaNode,
  exceptId: string,
  force: boolean,
  ignored: FieldSet = new FieldSet(),
): { conflicts: FieldConflict[]; changed: FieldSet } {
  const raw = compareValues(live, next, schema);
  const cmp = {
    added: raw.added.recursiveDifference(ignored),
    modified: raw.modified.recursiveDifference(ignored),
    removed: raw.removed.recursiveDifference(ignored),
  };
  const changed = cmp.modified.union(cmp.added);
  const conflicts: FieldConflict[] = [];
  const taken = new Map<string, FieldSet>();
  for (const [id, entry] of managed) {
    if (id === exceptId) continue;
    const c = entry.set.intersection(changed);
    if (!c.empty()) {
      taken.set(id, c);
      for (const path of c.paths()) conflicts.push({ managerId: id, path });
    }
  }
  if (!force && conflicts.length > 0) return { conflicts, changed };
  for (const [id, entry] of [...managed]) {
    if (id === exceptId) continue;
    let set = entry.set;
    const c = taken.get(id);
    if (c) set = set.difference(c);
    if (!cmp.removed.empty()) set = set.difference(cmp.removed);
    if (set.empty()) managed.delete(id);
    else managed.set(id, { ...entry, set });
  }
  return { conflicts: [], changed: changed.difference(cmp.removed) };
}

/**
 * Records a create, update or patch by `manager` in newObj.metadata.managedFields (newObj is
 * modified). oldObj is the stored object, undefined for a create: the new object is then
 * compared with the zero value of its type, as upstream compares with `New()`.
 */
export function updateManagedFields(oldObj: object | undefined, newObj: object, opts: UpdateOptions): void {
  const live = oldObj ?? deepClone(opts.schema.zeroValue() ?? {});
  let managed: Managed;
  if (opts.subresource) managed = decodeOrEmpty(managedFieldsOf(live));
  else {
    const requested = managedFieldsOf(newObj);
    if (isReset(requested)) managed = new Map();
    else {
      managed = decodeOrEmpty(requested);
      // A client that does not know managedFields must not erase them.
      if (managed.size === 0) managed = decodeOrEmpty(managedFieldsOf(live));
    }
  }
  recordUpdate(live, newObj, managed, opts);
  setManagedFields(newObj as JsonObject, managed);
}

/** The Update pipeline on decoded managed fields (managed is modified). */
export function recordUpdate(live: unknown, newObj: unknown, managed: Managed, opts: Omit<UpdateOptions, 'operation'>): void {
  const CURRENT = 'current-operation';
  const { changed } = takeOwnership(withoutManagedFields(live), withoutManagedFields(newObj), managed, opts.schema, CURRENT, true, ignoredSet(opts.ignoredFields));
  const set = changed.difference(STRIPPED_FIELDS);
  if (!set.empty()) {
    const entry = { manager: opts.manager || 'unknown', operation: 'Update' as const, apiVersion: opts.apiVersion, subresource: opts.subresource };
    const id = managerIdentifier(entry);
    const previous = managed.get(id);
    managed.set(id, {
      ...entry,
      ...(opts.subresource ? {} : { subresource: undefined }),
      set: previous ? set.union(previous.set) : set,
      time: rfc3339Seconds(opts.now),
    });
  }
  capUpdateManagers(managed);
}
