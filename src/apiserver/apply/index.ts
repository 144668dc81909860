// Field management and server-side apply: the API the registry wiring uses.
import type { SchemaNode } from '../patch/schema-node.js';
import { FieldSet } from './field-set.js';
import { toFieldSet } from './typed.js';

export { computeApply, LAST_APPLIED_ANNOTATION, type ApplyOptions } from './apply.js';
export { ApplyConflictError, printManager, type FieldConflict } from './conflict.js';
export { FieldSet } from './field-set.js';
export { decodeManagedFields, encodeManagedFields, managerIdentifier, type ManagedFieldsEntry } from './managed-fields.js';
export { type Path, type PathElement, pathString } from './path.js';
export { ignoreManagedFieldsTimestamps } from './timestamps.js';
export { updateManagedFields, type UpdateOptions } from './update.js';

/** The fields a value sets under its schema (structured-merge-diff ToFieldSet). */
export function fieldSetOf(obj: unknown, schema: SchemaNode): FieldSet {
  return toFieldSet(obj, schema);
}

/** FieldsV1 JSON (`{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}`) of a set. */
export function encodeFieldsV1(set: FieldSet): Record<string, unknown> {
  return set.toFieldsV1();
}

/** The set a FieldsV1 JSON object describes; throws on malformed keys. */
export function decodeFieldsV1(fieldsV1: unknown): FieldSet {
  return FieldSet.fromFieldsV1(fieldsV1);
}
