// JSON values as CEL sees them under a structural schema (k8s.io/apiserver/pkg/cel/common
// UnstructuredToVal): integers (type integer, or whole numbers of untyped/int-or-string fields)
// are CEL ints, type number is double, objects are maps whose property names are escaped
// (apiserver/pkg/cel/escaping.go), and an embedded resource or the root exposes only apiVersion,
// kind and metadata.name/generateName of its metadata. Strings of format date-time and date are
// CEL timestamps, duration durations, byte bytes.
import { isCelError, parse, plan, type CelInput } from '@bufbuild/cel';
import { ruleEnv } from './cel-library.js';
import { childNode, type SchemaNode } from './node.js';
import { isPlainObject } from './types.js';

const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);
const IDENT = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/** The CEL field name of a property, or undefined when it cannot be accessed from CEL. */
export function escapeName(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  const out = name.replace(/__|\.|-|\//g, (m) => (m === '__' ? '__underscores__' : m === '.' ? '__dot__' : m === '-' ? '__dash__' : '__slash__'));
  return IDENT.test(out) ? out : undefined;
}

let converters: { timestamp: ReturnType<typeof plan>; duration: ReturnType<typeof plan> } | undefined;

/** A CEL timestamp or duration value made by CEL's own conversion functions; undefined when unparsable. */
function convert(kind: 'timestamp' | 'duration', s: string): CelInput | undefined {
  converters ??= { timestamp: plan(ruleEnv(), parse('timestamp(self)')), duration: plan(ruleEnv(), parse('duration(self)')) };
  const out = converters[kind]({ self: s } as never);
  return isCelError(out) ? undefined : (out as CelInput);
}

function stringValue(v: string, format: string | undefined): CelInput {
  switch (format) {
    case 'date-time':
      return convert('timestamp', v) ?? v;
    case 'date':
      return (/^\d{4}-\d{2}-\d{2}$/.test(v) ? convert('timestamp', `${v}T00:00:00Z`) : undefined) ?? v;
    case 'duration':
      return convert('duration', v) ?? v;
    case 'byte':
      return new Uint8Array(Buffer.from(v, 'base64'));
    default:
      return v;
  }
}

export function toCel(v: unknown, node: SchemaNode | undefined, isResource = false): CelInput {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    const t = node?.type ?? '';
    if (t === 'number') return v;
    if (t === 'integer' || Number.isInteger(v)) return Number.isSafeInteger(v) ? BigInt(v) : v;
    return v;
  }
  if (typeof v === 'string') return node?.type === 'string' ? stringValue(v, node.format) : v;
  if (typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((item) => toCel(item, node?.items));
  if (isPlainObject(v)) {
    const out = new Map<string, CelInput>();
    const resource = isResource || node?.embedded === true;
    for (const k of Object.keys(v)) {
      if (resource && k === 'metadata') {
        const m = isPlainObject(v.metadata) ? v.metadata : {};
        const meta = new Map<string, CelInput>();
        for (const f of ['name', 'generateName']) if (typeof m[f] === 'string') meta.set(f, m[f] as string);
        out.set('metadata', meta);
        continue;
      }
      // Struct properties are escaped into CEL field names; map keys stay as they are (self['a-b']).
      const name = node?.properties?.has(k) ? escapeName(k) : k;
      if (name === undefined) continue;
      out.set(name, toCel(v[k], node ? childNode(node, k) : undefined));
    }
    return out;
  }
  return null;
}
