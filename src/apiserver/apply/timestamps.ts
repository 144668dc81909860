// handlers/fieldmanager equality.go IgnoreManagedFieldsTimestampsTransformer: a write that
// changes nothing but managedFields timestamps keeps the old timestamps, so a no-op apply does
// not bump resourceVersion.
import { isJsonObject, jsonEqual } from '../patch/json-value.js';

function managedFieldsOf(obj: unknown): unknown[] | undefined {
  if (!isJsonObject(obj) || !isJsonObject(obj.metadata)) return undefined;
  const mf = obj.metadata.managedFields;
  return Array.isArray(mf) ? mf : undefined;
}

function withoutTime(entry: unknown): unknown {
  if (!isJsonObject(entry)) return entry;
  const { time: _t, ...rest } = entry;
  return rest;
}

/**
 * Returns newObj, with oldObj's managedFields when the two differ only in managedFields
 * timestamps (newObj is modified in that case). Call it on the final object, after defaulting
 * and admission, before it is stored.
 */
export function ignoreManagedFieldsTimestamps<T extends object>(newObj: T, oldObj: object | undefined): T {
  if (!oldObj) return newObj;
  const oldMF = managedFieldsOf(oldObj) ?? [];
  const newMF = managedFieldsOf(newObj) ?? [];
  if (oldMF.length !== newMF.length) return newObj;
  for (let i = 0; i < oldMF.length; i++) if (!jsonEqual(withoutTime(oldMF[i]), withoutTime(newMF[i]))) return newObj;
  const metadata = (newObj as Record<string, unknown>).metadata as Record<string, unknown> | undefined;
  if (!metadata) return newObj;
  const had = 'managedFields' in metadata;
  const saved = metadata.managedFields;
  const oldMeta = (oldObj as Record<string, unknown>).metadata as Record<string, unknown>;
  if ('managedFields' in oldMeta) metadata.managedFields = oldMeta.managedFields;
  else delete metadata.managedFields;
  if (jsonEqual(newObj, oldObj)) return newObj;
  if (had) metadata.managedFields = saved;
  else delete metadata.managedFields;
  return newObj;
}
