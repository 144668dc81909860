// Strict decoding of a ClusterConfig as eksctl does it: sigs.k8s.io/yaml turns the YAML (1.1) into
// JSON (object keys sorted, as Go's json.Marshal writes maps), then encoding/json decodes it with
// DisallowUnknownFields. The first problem met wins, in that order, and reads as Go's errors:
//   json: unknown field "foo"
//   json: cannot unmarshal string into Go struct field ClusterMeta.metadata.version of type string
// Field names match case-insensitively, as encoding/json matches them.
import { parseDocument } from 'yaml';
import type { FieldSchema, StructSchema } from './schema.js';

export class ConfigDecodeError extends Error {}

/** A field eksctl knows that Kumo does not support yet: reported after decoding succeeds. */
export interface UnsupportedField {
  path: string;
  reason: string;
}

export interface Decoded {
  value: Record<string, unknown>;
  unsupported: UnsupportedField[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function jsonKind(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'number') return 'number';
  return typeof v;
}

function goType(f: FieldSchema): string {
  switch (f.kind) {
    case 'string':
      return 'string';
    case 'int':
      return 'int';
    case 'bool':
      return 'bool';
    case 'stringMap':
      return 'map[string]string';
    case 'stringList':
      return '[]string';
    case 'document':
      return 'v1alpha5.InlineDocument';
    case 'struct':
      return `v1alpha5.${f.struct.name}`;
    case 'list':
      return `[]*v1alpha5.${f.of.name}`;
    case 'unsupported':
      return 'interface {}';
  }
}

interface Ctx {
  /** Innermost struct being decoded (Go's errorContext.Struct). */
  struct: string;
  /** JSON field names from the root (Go's errorContext.FieldStack). */
  fields: string[];
  /** Path with list indexes, for Kumo's own messages. */
  path: string;
  unsupported: UnsupportedField[];
}

function typeError(value: Json, f: FieldSchema | string, ctx: Ctx, literal?: string): ConfigDecodeError {
  const type = typeof f === 'string' ? f : goType(f);
  const what = literal !== undefined ? `number ${literal}` : jsonKind(value);
  if (ctx.fields.length === 0) return new ConfigDecodeError(`json: cannot unmarshal ${what} into Go value of type ${type}`);
  return new ConfigDecodeError(`json: cannot unmarshal ${what} into Go struct field ${ctx.struct}.${ctx.fields.join('.')} of type ${type}`);
}

function decodeField(value: Json, f: FieldSchema, ctx: Ctx): unknown {
  // JSON null leaves a Go field at its zero value.
  if (value === null) return undefined;
  switch (f.kind) {
    case 'string':
      if (typeof value !== 'string') throw typeError(value, f, ctx);
      return value;
    case 'int':
      if (typeof value !== 'number') throw typeError(value, f, ctx);
      if (!Number.isInteger(value)) throw typeError(value, f, ctx, String(value));
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw typeError(value, f, ctx);
      return value;
    case 'stringMap': {
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(value, f, ctx);
      const out: Record<string, string> = {};
      for (const k of Object.keys(value).sort()) {
        const v = value[k];
        if (v === null) continue;
        if (typeof v !== 'string') throw typeError(v, 'string', { ...ctx, fields: [...ctx.fields, k] });
        out[k] = v;
      }
      return out;
    }
    case 'stringList': {
      if (!Array.isArray(value)) throw typeError(value, f, ctx);
      return value.map((v) => {
        if (typeof v !== 'string') throw typeError(v, 'string', ctx);
        return v;
      });
    }
    case 'document':
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(value, f, ctx);
      return value;
    case 'struct':
      return decodeStruct(value, f.struct, ctx);
    case 'list': {
      if (!Array.isArray(value)) throw typeError(value, f, ctx);
      return value.map((item, i) => (item === null ? {} : decodeStruct(item, f.of, { ...ctx, path: `${ctx.path}[${i}]` })));
    }
    case 'unsupported':
      ctx.unsupported.push({ path: ctx.path, reason: f.reason });
      return undefined;
  }
}

function decodeStruct(value: Json, s: StructSchema, ctx: Ctx): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw typeError(value, `v1alpha5.${s.name}`, ctx);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const name = key in s.fields ? key : Object.keys(s.fields).find((n) => n.toLowerCase() === key.toLowerCase());
    if (name === undefined) throw new ConfigDecodeError(`json: unknown field ${JSON.stringify(key)}`);
    const child: Ctx = { struct: s.name, fields: [...ctx.fields, name], path: ctx.path ? `${ctx.path}.${name}` : name, unsupported: ctx.unsupported };
    const v = decodeField(value[key], s.fields[name], child);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/**
 * YAML text → the decoded object. Syntax errors read as sigs.k8s.io/yaml's
 * "error converting YAML to JSON: yaml: ..."; decoding errors as "error unmarshaling JSON: while
 * decoding JSON: json: ...".
 */
export function decodeConfig(text: string, root: StructSchema): Decoded {
  // go-yaml v2, under sigs.k8s.io/yaml, reads YAML 1.1 (yes/no/on/off are booleans) and refuses
  // duplicate keys under UnmarshalStrict.
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    throw new ConfigDecodeError(`error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${e.message.split('\n')[0]}`);
  }
  const json = doc.toJS({ maxAliasCount: 100 }) as Json;
  const unsupported: UnsupportedField[] = [];
  try {
    const value = decodeStruct(json ?? {}, root, { struct: root.name, fields: [], path: '', unsupported });
    return { value, unsupported };
  } catch (err) {
    if (err instanceof ConfigDecodeError) throw new ConfigDecodeError(`error unmarshaling JSON: while decoding JSON: ${err.message}`);
    throw err;
  }
}
