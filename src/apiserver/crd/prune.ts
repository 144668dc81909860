// Pruning of unknown fields (apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go) and
// the ObjectMeta coercion of custom resources (pkg/apiserver/schema/objectmeta/coerce.go): fields
// the schema does not specify are dropped unless x-kubernetes-preserve-unknown-fields is set;
// apiVersion, kind and metadata of the object and of embedded resources are always kept, and
// metadata keeps only ObjectMeta's fields (malformed ones are dropped silently, as upstream's
// DropMalformedFields does). The paths of dropped fields are returned for fieldValidation.
import { child, index, type SchemaNode } from './node.js';
import { isPlainObject } from './types.js';

type Obj = Record<string, unknown>;

const isString = (v: unknown) => typeof v === 'string';
const isInteger = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
const isStringMap = (v: unknown) => isPlainObject(v) && Object.values(v).every(isString);
const isArrayOf = (pred: (v: unknown) => boolean) => (v: unknown) => Array.isArray(v) && v.every(pred);

/** ObjectMeta's JSON fields and whether a value decodes into each. */
const OBJECT_META_FIELDS: Record<string, (v: unknown) => boolean> = {
  name: isString,
  generateName: isString,
  namespace: isString,
  selfLink: isString,
  uid: isString,
  resourceVersion: isString,
  generation: isInteger,
  creationTimestamp: (v) => v === null || isString(v),
  deletionTimestamp: (v) => v === null || isString(v),
  deletionGracePeriodSeconds: isInteger,
  labels: isStringMap,
  annotations: isStringMap,
  ownerReferences: isArrayOf(isPlainObject),
  finalizers: isArrayOf(isString),
  managedFields: isArrayOf(isPlainObject),
};

/** Coerces metadata in place; returns unknown field paths (`metadata.foo`). */
export function pruneObjectMeta(meta: unknown, path: string, unknown: string[]): void {
  if (!isPlainObject(meta)) return;
  for (const k of Object.keys(meta)) {
    const check = Object.hasOwn(OBJECT_META_FIELDS, k) ? OBJECT_META_FIELDS[k] : undefined;
    if (!check) {
      unknown.push(child(path, k));
      delete meta[k];
    } else if (meta[k] !== null && !check(meta[k])) {
      delete meta[k];
    } else if (meta[k] === null) {
      delete meta[k];
    }
  }
}

/** Prunes a whole custom object in place (the root is a resource). */
export function pruneObject(obj: Obj, root: SchemaNode): string[] {
  const unknown: string[] = [];
  pruneValue(obj, root, '', true, unknown);
  return unknown;
}

function pruneValue(v: unknown, node: SchemaNode | undefined, path: string, isResource: boolean, unknown: string[]): void {
  if (!node) return;
  if (isPlainObject(v)) {
    pruneMap(v, node, path, isResource || node.embedded, unknown);
    return;
  }
  if (Array.isArray(v) && node.items) {
    v.forEach((item, i) => pruneValue(item, node.items, index(path, i), false, unknown));
  }
}

function pruneMap(obj: Obj, node: SchemaNode, path: string, isResource: boolean, unknown: string[]): void {
  for (const k of Object.keys(obj)) {
    const p = child(path, k);
    if (isResource && (k === 'apiVersion' || k === 'kind')) continue;
    if (isResource && k === 'metadata') {
      pruneObjectMeta(obj[k], p, unknown);
      continue;
    }
    const prop = node.properties?.get(k);
    if (prop) {
      pruneValue(obj[k], prop, p, false, unknown);
      continue;
    }
    if (node.additional) {
      pruneValue(obj[k], node.additional, p, false, unknown);
      continue;
    }
    if (node.preserveUnknown) continue;
    unknown.push(p);
    delete obj[k];
  }
}
