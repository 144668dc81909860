// Decodes a protobuf message of a catalog struct into the JSON object encoding/json would write
// for the same Go value: fields in declaration order, inlined structs flattened, `omitempty`
// honoured, pointers (present in protobuf only when non-nil) kept even when zero.
import type { WireFieldDef } from '../schema/catalog-structs.js';
import type { FieldDef, SchemaCatalog, StructDef, TypeNode } from '../schema/types.js';
import { ProtobufDecodeError } from './errors.js';
import { decodeSpecial, zeroSpecial, type SpecialContext } from './specials.js';
import { WIRE_BYTES, WIRE_FIXED64, WIRE_VARINT, WireReader } from './wire-reader.js';

/** Nesting deeper than this is rejected rather than risking the stack (JSONSchemaProps recurse). */
const MAX_DEPTH = 100;

type Json = unknown;

export interface MessageContext {
  catalog: SchemaCatalog;
  /** Decodes a `k8s\0`-prefixed object embedded in a RawExtension. */
  envelope(payload: Buffer, depth: number): Record<string, unknown>;
}

const byProtoCache = new WeakMap<StructDef, Map<number, FieldDef>>();

function byProto(s: StructDef): Map<number, FieldDef> {
  let m = byProtoCache.get(s);
  if (!m) {
    m = new Map();
    for (const f of s.fields) if (f.proto > 0) m.set(f.proto, f);
    byProtoCache.set(s, m);
  }
  return m;
}

function wireFor(t: TypeNode): number {
  if (t.kind === 'scalar') {
    if (t.scalar === 'string' || t.scalar === 'bytes') return WIRE_BYTES;
    if (t.scalar === 'float64') return WIRE_FIXED64;
    return WIRE_VARINT;
  }
  return WIRE_BYTES;
}

function fieldName(s: StructDef, f: FieldDef): string {
  return `${s.name.slice(s.name.lastIndexOf('/') + 1)}.${f.json || '(inline)'}`;
}

class MessageDecoder {
  constructor(
    private readonly ctx: MessageContext,
    private readonly depth: number,
  ) {
    if (depth > MAX_DEPTH) throw new ProtobufDecodeError('proto: message nesting too deep');
  }

  private child(): MessageDecoder {
    return new MessageDecoder(this.ctx, this.depth + 1);
  }

  private specials(): SpecialContext {
    return {
      struct: (ref, payload) => this.child().struct(ref, payload),
      envelope: (payload) => this.ctx.envelope(payload, this.depth + 1),
    };
  }

  struct(ref: string, payload: Buffer): Record<string, unknown> {
    const s = this.ctx.catalog.struct(ref);
    if (!s) throw new ProtobufDecodeError(`no schema for type ${ref}`);
    return this.message(s, payload);
  }

  /** One scalar/struct/special value from the field at the reader (not list, not map). */
  private single(t: TypeNode, r: WireReader): Json {
    switch (t.kind) {
      case 'scalar':
        switch (t.scalar) {
          case 'string':
            return r.string();
          case 'bytes':
            return r.bytes().toString('base64');
          case 'int32':
            return r.int32();
          case 'int64':
            return r.int64();
          case 'bool':
            return r.bool();
          case 'float64':
            return r.double();
        }
        break;
      case 'struct':
        return this.child().struct(t.ref, r.bytes());
      case 'special':
        return decodeSpecial(t.ref, r.bytes(), this.specials());
    }
    throw new ProtobufDecodeError(`unsupported nested collection type ${t.kind}`);
  }

  /** A map entry message: key = 1 (string), value = 2. */
  private entry(valueType: TypeNode, payload: Buffer, where: () => string): [string, Json] {
    const r = new WireReader(payload);
    let key = '';
    let value: Json = undefined;
    while (!r.done()) {
      const [num, wire] = r.key();
      if (num === 1 && wire === WIRE_BYTES) key = r.string();
      else if (num === 2 && wire === wireFor(valueType)) value = this.single(valueType, r);
      else if (num === 1 || num === 2) throw new ProtobufDecodeError(`proto: wrong wireType = ${wire} for map entry of ${where()}`);
      else r.skip(wire);
    }
    return [key, value === undefined ? this.zero(valueType) : value];
  }

  /** The JSON of a Go zero value that is always written (non-pointer, no omitempty). */
  private zero(t: TypeNode): Json {
    switch (t.kind) {
      case 'scalar':
        return t.scalar === 'string' ? '' : t.scalar === 'bool' ? false : t.scalar === 'bytes' ? '' : 0;
      case 'struct':
        return this.child().struct(t.ref, Buffer.alloc(0));
      case 'special':
        return zeroSpecial(t.ref);
      // nil slices and maps
      case 'list':
      case 'map':
        return null;
    }
  }

  message(s: StructDef, payload: Buffer): Record<string, unknown> {
    const fields = byProto(s);
    const values = new Map<FieldDef, Json>();
    const r = new WireReader(payload);
    while (!r.done()) {
      const [num, wire] = r.key();
      const f = fields.get(num);
      if (!f) {
        r.skip(wire); // unknown fields are skipped, as generated Go code does
        continue;
      }
      const t = f.type;
      if (t.kind === 'list') {
        let list = values.get(f) as Json[] | undefined;
        if (!list) values.set(f, (list = []));
        const elemWire = wireFor(t.elem);
        if (wire === elemWire) list.push(this.single(t.elem, r));
        else if (wire === WIRE_BYTES && elemWire !== WIRE_BYTES) {
          // packed repeated scalars
          const [start, end] = r.span();
          const packed = new WireReader(r.buf, start, end);
          while (!packed.done()) list.push(this.single(t.elem, packed));
        } else throw new ProtobufDecodeError(`proto: wrong wireType = ${wire} for field ${fieldName(s, f)}`);
      } else if (t.kind === 'map') {
        if (wire !== WIRE_BYTES) throw new ProtobufDecodeError(`proto: wrong wireType = ${wire} for field ${fieldName(s, f)}`);
        let map = values.get(f) as Record<string, Json> | undefined;
        if (!map) values.set(f, (map = {}));
        const [k, v] = this.entry(t.value, r.bytes(), () => fieldName(s, f));
        setOwn(map, k, v);
      } else {
        if (wire !== wireFor(t)) throw new ProtobufDecodeError(`proto: wrong wireType = ${wire} for field ${fieldName(s, f)}`);
        // A repeated non-repeated field: the last one wins, as in Go (messages would merge; rare).
        values.set(f, this.single(t, r));
      }
    }
    return this.render(s, values);
  }

  private render(s: StructDef, values: Map<FieldDef, Json>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const field of s.fields) {
      const f = field as WireFieldDef;
      const present = values.has(f);
      const v = values.get(f);
      if (f.inline) {
        const inner = present ? v : f.type.kind === 'struct' && !f.pointer ? this.zero(f.type) : undefined;
        if (inner && typeof inner === 'object') {
          for (const [k, x] of Object.entries(inner)) if (!(k in out)) out[k] = x;
        }
        continue;
      }
      if (f.pointer) {
        if (present) out[f.json] = v;
        else if (!f.omitEmpty) out[f.json] = null;
        continue;
      }
      const value = present ? (f.type.kind === 'map' ? sortKeys(v as Record<string, Json>) : v) : this.zero(f.type);
      if (f.omitEmpty && isEmpty(f.type, value)) continue;
      out[f.json] = value;
    }
    return out;
  }
}

/** Sets a key from the wire as an own property, so that a key like "__proto__" stays data, as JSON.parse keeps it. */
function setOwn(o: Record<string, Json>, k: string, v: Json): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** encoding/json writes map keys sorted. */
function sortKeys(m: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const k of Object.keys(m).sort()) setOwn(out, k, m[k]);
  return out;
}

/** encoding/json's "empty" for omitempty: false, 0, "", nil or empty slices and maps. Structs never are. */
function isEmpty(t: TypeNode, v: Json): boolean {
  switch (t.kind) {
    case 'scalar':
      return v === '' || v === 0 || v === false;
    case 'list':
      return v === null || (Array.isArray(v) && v.length === 0);
    case 'map':
      return v === null || (typeof v === 'object' && Object.keys(v as object).length === 0);
    default:
      return false;
  }
}

/** Decodes a message of the given struct into its JSON object. */
export function decodeMessage(struct: StructDef, payload: Buffer, ctx: MessageContext, depth = 0): Record<string, unknown> {
  return new MessageDecoder(ctx, depth).message(struct, payload);
}
