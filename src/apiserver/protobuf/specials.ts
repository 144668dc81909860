// The types whose protobuf and JSON forms are hand-written upstream: their payload decoded
// into the JSON value encoding/json would write, and that JSON value for a Go zero value.
import { ProtobufDecodeError } from './errors.js';
import { formatGoDuration, formatRfc3339, formatRfc3339Micro } from './go-format.js';
import { WIRE_BYTES, WIRE_VARINT, WireReader } from './wire-reader.js';

const META = 'k8s.io/apimachinery/pkg/apis/meta/v1';
const EXT = 'k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1';
export const TIME = `${META}.Time`;
export const MICRO_TIME = `${META}.MicroTime`;
export const DURATION = `${META}.Duration`;
export const FIELDS_V1 = `${META}.FieldsV1`;
export const QUANTITY = 'k8s.io/apimachinery/pkg/api/resource.Quantity';
export const INT_OR_STRING = 'k8s.io/apimachinery/pkg/util/intstr.IntOrString';
export const RAW_EXTENSION = 'k8s.io/apimachinery/pkg/runtime.RawExtension';
export const EXT_JSON = `${EXT}.JSON`;
export const SCHEMA_OR_ARRAY = `${EXT}.JSONSchemaPropsOrArray`;
export const SCHEMA_OR_BOOL = `${EXT}.JSONSchemaPropsOrBool`;
export const SCHEMA_OR_STRING_ARRAY = `${EXT}.JSONSchemaPropsOrStringArray`;
export const JSON_SCHEMA_PROPS = `${EXT}.JSONSchemaProps`;

/** Callbacks into the message decoder for specials that embed messages or whole objects. */
export interface SpecialContext {
  /** Decodes a message of a catalog struct into its JSON object. */
  struct(ref: string, payload: Buffer): Record<string, unknown>;
  /** Decodes a `k8s\0`-prefixed protobuf object (a RawExtension holding protobuf). */
  envelope(payload: Buffer): Record<string, unknown>;
}

/** The fields of a small fixed message: number -> every payload seen, in order. */
function fields(payload: Buffer, wires: Record<number, number>, what: string): Map<number, (WireReader | Buffer)[]> {
  const out = new Map<number, (WireReader | Buffer)[]>();
  const r = new WireReader(payload);
  while (!r.done()) {
    const [num, wire] = r.key();
    const want = wires[num];
    if (want === undefined) {
      r.skip(wire);
      continue;
    }
    if (wire !== want) throw new ProtobufDecodeError(`proto: wrong wireType = ${wire} for field ${num} of ${what}`);
    const list = out.get(num) ?? [];
    if (wire === WIRE_BYTES) list.push(r.bytes());
    else {
      // Keep a reader positioned on the varint; it is read once, below.
      const at = new WireReader(payload, r.pos, r.end);
      r.skip(wire);
      list.push(at);
    }
    out.set(num, list);
  }
  return out;
}

function lastVarint(f: Map<number, (WireReader | Buffer)[]>, num: number): bigint {
  const v = f.get(num)?.at(-1);
  return v instanceof WireReader ? v.varintBig() : 0n;
}

function lastBytes(f: Map<number, (WireReader | Buffer)[]>, num: number): Buffer | undefined {
  const v = f.get(num)?.at(-1);
  return v instanceof WireReader ? undefined : v;
}

function parseJsonBytes(raw: Buffer, what: string): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ProtobufDecodeError(`${what}: embedded content is not valid JSON`);
  }
}

const K8S_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

function timeParts(payload: Buffer): { seconds: number; nanos: number } | undefined {
  // An empty message is the zero Time (apimachinery's Time.Unmarshal).
  if (payload.length === 0) return undefined;
  const f = fields(payload, { 1: WIRE_VARINT, 2: WIRE_VARINT }, 'Timestamp');
  const seconds = Number(BigInt.asIntN(64, lastVarint(f, 1)));
  const nanos = Number(BigInt.asIntN(32, lastVarint(f, 2)));
  // Go's zero time (0001-01-01T00:00:00Z) marshals as null too.
  if (seconds === -62135596800 && nanos === 0) return undefined;
  return { seconds, nanos };
}

/** Decodes one special value from its length-delimited payload. */
export function decodeSpecial(ref: string, payload: Buffer, ctx: SpecialContext): unknown {
  switch (ref) {
    case TIME: {
      const t = timeParts(payload);
      return t ? formatRfc3339(t.seconds) : null;
    }
    case MICRO_TIME: {
      const t = timeParts(payload);
      return t ? formatRfc3339Micro(t.seconds, t.nanos) : null;
    }
    case DURATION: {
      const f = fields(payload, { 1: WIRE_VARINT }, 'Duration');
      return formatGoDuration(BigInt.asIntN(64, lastVarint(f, 1)));
    }
    case QUANTITY: {
      const f = fields(payload, { 1: WIRE_BYTES }, 'Quantity');
      const s = lastBytes(f, 1)?.toString('utf8') ?? '';
      return s === '' ? '0' : s;
    }
    case INT_OR_STRING: {
      const f = fields(payload, { 1: WIRE_VARINT, 2: WIRE_VARINT, 3: WIRE_BYTES }, 'IntOrString');
      if (lastVarint(f, 1) === 1n) return lastBytes(f, 3)?.toString('utf8') ?? '';
      return Number(BigInt.asIntN(32, lastVarint(f, 2)));
    }
    case RAW_EXTENSION: {
      const raw = lastBytes(fields(payload, { 1: WIRE_BYTES }, 'RawExtension'), 1);
      if (!raw || raw.length === 0) return null;
      if (raw.subarray(0, 4).equals(K8S_MAGIC)) return ctx.envelope(raw);
      return parseJsonBytes(raw, 'RawExtension');
    }
    case FIELDS_V1:
    case EXT_JSON: {
      const raw = lastBytes(fields(payload, { 1: WIRE_BYTES }, ref), 1);
      if (!raw || raw.length === 0) return null;
      return parseJsonBytes(raw, ref === FIELDS_V1 ? 'FieldsV1' : 'JSON');
    }
    case SCHEMA_OR_ARRAY: {
      const f = fields(payload, { 1: WIRE_BYTES, 2: WIRE_BYTES }, 'JSONSchemaPropsOrArray');
      const many = (f.get(2) ?? []) as Buffer[];
      if (many.length > 0) return many.map((b) => ctx.struct(JSON_SCHEMA_PROPS, b));
      const one = lastBytes(f, 1);
      return one ? ctx.struct(JSON_SCHEMA_PROPS, one) : null;
    }
    case SCHEMA_OR_BOOL: {
      const f = fields(payload, { 1: WIRE_VARINT, 2: WIRE_BYTES }, 'JSONSchemaPropsOrBool');
      const schema = lastBytes(f, 2);
      if (schema) return ctx.struct(JSON_SCHEMA_PROPS, schema);
      return lastVarint(f, 1) !== 0n;
    }
    case SCHEMA_OR_STRING_ARRAY: {
      const f = fields(payload, { 1: WIRE_BYTES, 2: WIRE_BYTES }, 'JSONSchemaPropsOrStringArray');
      const props = (f.get(2) ?? []) as Buffer[];
      if (props.length > 0) return props.map((b) => b.toString('utf8'));
      const schema = lastBytes(f, 1);
      return schema ? ctx.struct(JSON_SCHEMA_PROPS, schema) : null;
    }
    default:
      throw new ProtobufDecodeError(`type ${ref} has no protobuf form`);
  }
}

/** The JSON a Go zero value of a special type marshals to. */
export function zeroSpecial(ref: string): unknown {
  switch (ref) {
    case DURATION:
      return '0s';
    case QUANTITY:
      return '0';
    case INT_OR_STRING:
      return 0;
    case SCHEMA_OR_BOOL:
      return false;
    default:
      // Time, MicroTime, RawExtension, FieldsV1, JSON and the schema unions marshal as null.
      return null;
  }
}
