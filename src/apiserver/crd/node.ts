// One version's openAPIV3Schema, read once into a tree of nodes (upstream's structural.Structural):
// the structural part (type, properties, items, additionalProperties, x-kubernetes-* markers)
// that pruning, defaulting, CEL and the catalog structs walk, plus the raw schema for
// value validation (enum, bounds, patterns, allOf/anyOf/oneOf/not).
import { isPlainObject, type JSONSchemaProps, type ValidationRule } from './types.js';

export interface SchemaNode {
  raw: JSONSchemaProps;
  /** '' when the schema sets no type (allowed with int-or-string, embedded resources, preserve-unknown-fields). */
  type: string;
  format: string;
  nullable: boolean;
  /** properties, in schema order; own keys only (a property may be called "__proto__"). */
  properties: Map<string, SchemaNode> | undefined;
  /** additionalProperties as a schema; `true` gives a node that accepts anything. */
  additional: SchemaNode | undefined;
  items: SchemaNode | undefined;
  preserveUnknown: boolean;
  embedded: boolean;
  intOrString: boolean;
  listType: 'atomic' | 'set' | 'map' | undefined;
  listMapKeys: string[];
  mapType: 'atomic' | 'granular' | undefined;
  required: string[];
  hasDefault: boolean;
  default: unknown;
  rules: ValidationRule[];
}

/** A node that accepts any value (additionalProperties: true, a missing items schema). */
export const ANY: SchemaNode = freeze({
  raw: {}, type: '', format: '', nullable: true, properties: undefined, additional: undefined, items: undefined,
  preserveUnknown: true, embedded: false, intOrString: false, listType: undefined, listMapKeys: [], mapType: undefined,
  required: [], hasDefault: false, default: undefined, rules: [],
});

function freeze(n: SchemaNode): SchemaNode {
  return Object.freeze(n);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function buildNode(raw: unknown): SchemaNode {
  const s: JSONSchemaProps = isPlainObject(raw) ? (raw as JSONSchemaProps) : {};
  let properties: Map<string, SchemaNode> | undefined;
  if (isPlainObject(s.properties)) {
    properties = new Map();
    for (const k of Object.keys(s.properties)) properties.set(k, buildNode((s.properties as Record<string, unknown>)[k]));
  }
  let additional: SchemaNode | undefined;
  if (isPlainObject(s.additionalProperties)) additional = buildNode(s.additionalProperties);
  else if (s.additionalProperties === true) additional = ANY;
  const items = isPlainObject(s.items) ? buildNode(s.items) : undefined;
  const lt = s['x-kubernetes-list-type'];
  const mt = s['x-kubernetes-map-type'];
  return {
    raw: s,
    type: str(s.type),
    format: str(s.format),
    nullable: s.nullable === true,
    properties,
    additional,
    items,
    preserveUnknown: s['x-kubernetes-preserve-unknown-fields'] === true,
    embedded: s['x-kubernetes-embedded-resource'] === true,
    intOrString: s['x-kubernetes-int-or-string'] === true,
    listType: lt === 'atomic' || lt === 'set' || lt === 'map' ? lt : undefined,
    listMapKeys: Array.isArray(s['x-kubernetes-list-map-keys']) ? s['x-kubernetes-list-map-keys'].filter((k): k is string => typeof k === 'string') : [],
    mapType: mt === 'atomic' || mt === 'granular' ? mt : undefined,
    required: Array.isArray(s.required) ? s.required.filter((k): k is string => typeof k === 'string') : [],
    hasDefault: 'default' in s && s.default !== undefined,
    default: s.default,
    rules: Array.isArray(s['x-kubernetes-validations']) ? s['x-kubernetes-validations'].filter(isPlainObject) : [],
  };
}

/** The schema of a child value: a property, else additionalProperties. */
export function childNode(node: SchemaNode, key: string): SchemaNode | undefined {
  if (node.properties?.has(key)) return node.properties.get(key);
  return node.additional;
}

/** JSON type name of a value as Go's decoder sees it (whole numbers are integers). */
export function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(v) ? 'integer' : 'number';
    case 'object':
      return 'object';
    default:
      return typeof v;
  }
}

export function deepCopy<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Field path join as field.Path renders it: `a.b`, `a[0]`, `a[key]`. */
export const child = (path: string, name: string): string => (path ? `${path}.${name}` : name);
export const index = (path: string, i: number): string => `${path}[${i}]`;
export const keyed = (path: string, k: string): string => `${path}[${k}]`;
