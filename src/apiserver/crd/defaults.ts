// Structural defaulting (apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go): a
// missing property, or a null one that is not nullable, gets a deep copy of its schema default;
// null array items likewise; then the walk continues into the (possibly defaulted) values. After
// defaulting, null values of non-nullable fields without a default are dropped
// (PruneNonNullableNullsWithoutDefaults), as the custom resource codec does.
import { deepCopy, type SchemaNode } from './node.js';
import { isPlainObject } from './types.js';

export function applyDefaults(v: unknown, node: SchemaNode | undefined): void {
  if (!node) return;
  if (isPlainObject(v)) {
    if (node.properties) {
      for (const [k, prop] of node.properties) {
        if (!prop.hasDefault) continue;
        if (!Object.hasOwn(v, k) || v[k] === undefined || (v[k] === null && !prop.nullable)) setOwn(v, k, deepCopy(prop.default));
      }
    }
    for (const k of Object.keys(v)) {
      const prop = node.properties?.get(k) ?? node.additional;
      if (prop) applyDefaults(v[k], prop);
    }
    return;
  }
  if (Array.isArray(v) && node.items) {
    const items = node.items;
    for (let i = 0; i < v.length; i++) {
      if (v[i] === null && items.hasDefault && !items.nullable) v[i] = deepCopy(items.default);
      applyDefaults(v[i], items);
    }
  }
}

export function pruneNonNullableNulls(v: unknown, node: SchemaNode | undefined): void {
  if (!node) return;
  if (isPlainObject(v)) {
    for (const k of Object.keys(v)) {
      const prop = node.properties?.get(k) ?? node.additional;
      if (!prop) continue;
      if (v[k] === null && !prop.nullable && !prop.hasDefault) delete v[k];
      else pruneNonNullableNulls(v[k], prop);
    }
    return;
  }
  if (Array.isArray(v) && node.items) for (const item of v) pruneNonNullableNulls(item, node.items);
}

/** Assignment that keeps a "__proto__" key a plain own property. */
function setOwn(o: Record<string, unknown>, k: string, value: unknown): void {
  Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
}
