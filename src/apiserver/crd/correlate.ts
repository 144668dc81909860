// Correlation of a new value with the old one on update (apiextensions-apiserver's CEL and
// ratcheting correlation): object properties and map entries by key, list-type=map items by
// their keys, list-type=set items by value; atomic list items never correlate.
import type { SchemaNode } from './node.js';
import { isPlainObject } from './types.js';

/** The old value at the same place, or undefined when there is none. */
export type Old = { value: unknown } | undefined;

/** Canonical JSON for equality (object keys sorted). */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isPlainObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

export function childOld(old: Old, key: string): Old {
  if (!old || !isPlainObject(old.value) || !Object.hasOwn(old.value, key)) return undefined;
  return { value: old.value[key] };
}

/** A function finding each new item's correlated old item. */
export function listCorrelator(node: SchemaNode, old: Old): (item: unknown) => Old {
  const oldList = old && Array.isArray(old.value) ? old.value : undefined;
  if (!oldList) return () => undefined;
  if (node.listType === 'map' && node.listMapKeys.length) {
    const keyOf = (item: unknown) => (isPlainObject(item) ? canonical(node.listMapKeys.map((k) => item[k])) : undefined);
    const byKey = new Map<string, unknown>();
    for (const o of oldList) {
      const k = keyOf(o);
      if (k !== undefined) byKey.set(k, o);
    }
    return (item) => {
      const k = keyOf(item);
      return k !== undefined && byKey.has(k) ? { value: byKey.get(k) } : undefined;
    };
  }
  if (node.listType === 'set') {
    const set = new Set(oldList.map(canonical));
    return (item) => (set.has(canonical(item)) ? { value: item } : undefined);
  }
  return () => undefined;
}

export const unchanged = (v: unknown, old: Old): boolean => old !== undefined && canonical(v) === canonical(old.value);
