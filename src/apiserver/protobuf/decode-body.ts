// Request bodies sent as application/vnd.kubernetes.protobuf (client-go's typed clients:
// kubectl create, helm's release Secrets and their DeleteOptions, drain's evictions).
// Layout (apimachinery runtime/serializer/protobuf): the 4 bytes "k8s\0", then a
// runtime.Unknown message {typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2,
// contentEncoding = 3, contentType = 4} whose raw holds the object's own message.
import type { MutableCatalog } from '../schema/catalog.js';
import type { SchemaCatalog, StructDef } from '../schema/types.js';
import { decodeMessage, type MessageContext } from './decode-message.js';
import { ProtobufDecodeError } from './errors.js';
import { WIRE_BYTES, WireReader } from './wire-reader.js';

export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const META = 'k8s.io/apimachinery/pkg/apis/meta/v1';
/** meta/v1 kinds every group-version registers (metav1.AddToGroupVersion). */
const META_KINDS = new Set(['DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions', 'GetOptions', 'ListOptions', 'Status', 'WatchEvent']);

export interface DecodedBody {
  apiVersion: string;
  kind: string;
  /** The object exactly as a JSON client would have sent it, apiVersion and kind included. */
  object: Record<string, unknown>;
}

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Buffer;
  contentEncoding: string;
}

function readEnvelope(body: Buffer): Envelope {
  if (body.length < PROTOBUF_MAGIC.length || !body.subarray(0, 4).equals(PROTOBUF_MAGIC)) {
    throw new ProtobufDecodeError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  const env: Envelope = { apiVersion: '', kind: '', raw: Buffer.alloc(0), contentEncoding: '' };
  const r = new WireReader(body, 4);
  while (!r.done()) {
    const [num, wire] = r.key();
    if (num >= 1 && num <= 4 && wire !== WIRE_BYTES) throw new ProtobufDecodeError(`proto: wrong wireType = ${wire} for field ${num} of Unknown`);
    if (num === 1) {
      const tm = new WireReader(r.bytes());
      while (!tm.done()) {
        const [n, w] = tm.key();
        if ((n === 1 || n === 2) && w !== WIRE_BYTES) throw new ProtobufDecodeError(`proto: wrong wireType = ${w} for field ${n} of TypeMeta`);
        if (n === 1) env.apiVersion = tm.string();
        else if (n === 2) env.kind = tm.string();
        else tm.skip(w);
      }
    } else if (num === 2) env.raw = r.bytes();
    else if (num === 3) env.contentEncoding = r.string();
    else r.skip(wire);
  }
  return env;
}

function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

function hasStructForKind(c: SchemaCatalog): c is MutableCatalog {
  return typeof (c as Partial<MutableCatalog>).structForKind === 'function';
}

function structFor(catalog: SchemaCatalog, apiVersion: string, kind: string): StructDef {
  if (kind === '') throw new ProtobufDecodeError("Object 'Kind' is missing in protobuf body");
  const [group, version] = splitApiVersion(apiVersion);
  let s: StructDef | undefined;
  if (hasStructForKind(catalog)) s = catalog.structForKind(group, version, kind);
  else {
    const r = catalog.resourceForKind(group, version, kind);
    s = r ? catalog.struct(r.typeRef) : META_KINDS.has(kind) ? catalog.struct(`${META}.${kind}`) : undefined;
  }
  if (!s) throw new ProtobufDecodeError(`no kind "${kind}" is registered for version "${apiVersion}"`);
  return s;
}

function decodeAt(body: Buffer, catalog: SchemaCatalog, depth: number): DecodedBody {
  const env = readEnvelope(body);
  if (env.contentEncoding !== '') throw new ProtobufDecodeError(`unsupported protobuf content encoding "${env.contentEncoding}"`);
  const struct = structFor(catalog, env.apiVersion, env.kind);
  const ctx: MessageContext = {
    catalog,
    envelope: (payload, d) => decodeAt(payload, catalog, d).object,
  };
  const fields = decodeMessage(struct, env.raw, ctx, depth);
  // TypeMeta is not part of the object's message; the envelope carries it. Kind comes first,
  // as in the Go struct.
  const object: Record<string, unknown> = { kind: env.kind };
  if (env.apiVersion !== '') object.apiVersion = env.apiVersion;
  for (const [k, v] of Object.entries(fields)) if (k !== 'kind' && k !== 'apiVersion') object[k] = v;
  return { apiVersion: env.apiVersion, kind: env.kind, object };
}

/**
 * Decodes an `application/vnd.kubernetes.protobuf` request body into the JSON object a JSON
 * client would have sent. Throws ProtobufDecodeError (→ 400 BadRequest) on malformed input or
 * an unknown kind.
 */
export function decodeProtobufBody(body: Buffer, catalog: SchemaCatalog): DecodedBody {
  try {
    return decodeAt(body, catalog, 0);
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw err;
    if (err instanceof RangeError) throw new ProtobufDecodeError(`invalid protobuf body: ${err.message}`);
    throw err;
  }
}
