// Light typed accessors over plain JSON objects: what controllers read most often, without a
// generated type per kind. Readers never throw on odd shapes; they answer undefined/empty.
import type { Obj } from './types.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** obj.metadata, or an empty object when absent (reads only; never attached to obj). */
export function metadata(obj: Obj): Record<string, unknown> {
  return isRecord(obj.metadata) ? obj.metadata : {};
}

function metaString(obj: Obj, field: string): string | undefined {
  const v = metadata(obj)[field];
  return typeof v === 'string' ? v : undefined;
}

export function name(obj: Obj): string {
  return metaString(obj, 'name') ?? '';
}

/** '' for cluster-scoped objects. */
export function namespace(obj: Obj): string {
  return metaString(obj, 'namespace') ?? '';
}

export function uid(obj: Obj): string {
  return metaString(obj, 'uid') ?? '';
}

export function resourceVersion(obj: Obj): string {
  return metaString(obj, 'resourceVersion') ?? '';
}

export function generation(obj: Obj): number {
  const g = metadata(obj).generation;
  return typeof g === 'number' ? g : 0;
}

export function deletionTimestamp(obj: Obj): string | undefined {
  return metaString(obj, 'deletionTimestamp');
}

export function creationTimestamp(obj: Obj): string | undefined {
  return metaString(obj, 'creationTimestamp');
}

function stringMap(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

export function labels(obj: Obj): Record<string, string> {
  return stringMap(metadata(obj).labels);
}

export function annotations(obj: Obj): Record<string, string> {
  return stringMap(metadata(obj).annotations);
}

export function finalizers(obj: Obj): string[] {
  const f = metadata(obj).finalizers;
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export function ownerReferences(obj: Obj): OwnerReference[] {
  const refs = metadata(obj).ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs.filter((r): r is OwnerReference => isRecord(r) && typeof r.kind === 'string' && typeof r.name === 'string' && typeof r.uid === 'string');
}

/** metav1.GetControllerOf: the owner reference with controller: true. */
export function controllerOf(obj: Obj): OwnerReference | undefined {
  return ownerReferences(obj).find((r) => r.controller === true);
}

/** The cache key client-go uses (MetaNamespaceKeyFunc): "ns/name", or "name" when cluster-scoped. */
export function keyOf(obj: Obj): string {
  const m = metadata(obj);
  const ns = typeof m.namespace === 'string' ? m.namespace : '';
  const n = typeof m.name === 'string' ? m.name : '';
  return ns ? `${ns}/${n}` : n;
}

/** Splits a key made by keyOf (cache.SplitMetaNamespaceKey). */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** A value at a dotted path of plain fields, e.g. field(pod, 'spec', 'nodeName'). */
export function field(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (!isRecord(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** A deep copy through JSON: objects from a cache or a watch are shared and must not be mutated. */
export function clone<T extends Obj>(obj: T): T {
  return structuredClone(obj);
}
