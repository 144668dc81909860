// How stored values become API objects and back. Like upstream's etcd3 store, the stored JSON
// carries no metadata.resourceVersion: it is the key's mod revision, set when decoding.
import type { KeyValue } from '../../storage/types.js';

export type ApiObject = Record<string, unknown>;

/**
 * Serialized JSON of objects the cache owns, so lists and watches never stringify twice. null:
 * the object is sealed but nobody has needed its text yet (most objects written are read back
 * only by in-process informers, which take the objects themselves).
 */
const rawJson = new WeakMap<object, string | null>();

/** Freezes `obj` and every nested object: cached objects are shared between readers. */
export function deepFreeze<T>(obj: T): T {
  if (obj && typeof obj === 'object' && !Object.isFrozen(obj)) {
    Object.freeze(obj);
    for (const v of Object.values(obj as object)) deepFreeze(v);
  }
  return obj;
}

/**
 * Marks a frozen object's JSON as reusable: `json` when the caller has it, else it is computed
 * on first need.
 */
export function rememberJson(obj: object, json?: string): void {
  rawJson.set(obj, json ?? null);
}

/** The JSON text of a frozen object marked with rememberJson (computed once), else undefined. */
export function cachedJson(obj: object): string | undefined {
  const known = rawJson.get(obj);
  if (known !== null) return known;
  const json = JSON.stringify(obj);
  rawJson.set(obj, json);
  return json;
}

/** UTF-8 bytes of remembered JSON, encoded on first need (the first list or watch that sends the object). */
const rawBytes = new WeakMap<object, Buffer>();

function bytesOf(obj: object, json: string): Buffer {
  let b = rawBytes.get(obj);
  if (b === undefined) {
    b = Buffer.from(json);
    rawBytes.set(obj, b);
  }
  return b;
}

const isCached = (v: unknown): boolean => v !== null && typeof v === 'object' && rawJson.has(v);

/**
 * Whether `value` holds objects with remembered JSON as a property or as an element of a property
 * (a list's items, a watch event's object, a Table's rows). Anything else is serialized by the
 * native JSON.stringify in one call, which gives the same text several times faster than a walk.
 */
function holdsCached(value: object): boolean {
  const children = Array.isArray(value) ? value : Object.values(value);
  for (const v of children) {
    if (v === null || typeof v !== 'object') continue;
    if (rawJson.has(v)) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (isCached(x)) return true;
  }
  return false;
}

/**
 * JSON.stringify that reuses the cached text of objects handed out by the watch cache.
 * Lists of 10,000 pods serialize by string concatenation instead of walking every object.
 */
export function serializeJSON(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    const cached = cachedJson(value);
    if (cached !== undefined) return cached;
    if (!holdsCached(value)) return JSON.stringify(value) ?? 'null';
    if (Array.isArray(value)) return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : serializeJSON(v))).join(',')}]`;
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function' || Buffer.isBuffer(value)) return JSON.stringify(value);
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      parts.push(`${JSON.stringify(k)}:${serializeJSON(v)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Collects the JSON of `value` as text pieces and the cached bytes of remembered objects. */
function collectJson(value: unknown, out: (string | Buffer)[]): void {
  if (value === null || typeof value !== 'object') {
    out.push(JSON.stringify(value) ?? 'null');
    return;
  }
  const cached = cachedJson(value);
  if (cached !== undefined) {
    out.push(bytesOf(value, cached));
    return;
  }
  if (!holdsCached(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function' || Buffer.isBuffer(value)) {
    out.push(JSON.stringify(value) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((v, i) => {
      if (i > 0) out.push(',');
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') out.push('null');
      else collectJson(v, out);
    });
    out.push(']');
    return;
  }
  out.push('{');
  let first = true;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out.push(`${first ? '' : ','}${JSON.stringify(k)}:`);
    first = false;
    collectJson(v, out);
  }
  out.push('}');
}

const COMMA = Buffer.from(',');

/**
 * serializeJSON as UTF-8 bytes: the bytes of cached objects are encoded once and copied into the
 * answer, so a list of 10,000 pods costs a memory copy rather than 20 MB of string building and
 * encoding per request.
 */
export function serializeJSONBytes(value: unknown): Buffer {
  const parts: (string | Buffer)[] = [];
  collectJson(value, parts);
  const bufs: Buffer[] = [];
  let text = '';
  for (const p of parts) {
    if (typeof p === 'string') text += p;
    else {
      if (text) bufs.push(text === ',' ? COMMA : Buffer.from(text));
      text = '';
      bufs.push(p);
    }
  }
  if (text) bufs.push(Buffer.from(text));
  return bufs.length === 1 ? bufs[0] : Buffer.concat(bufs);
}

export function metadataOf(obj: ApiObject): Record<string, unknown> {
  const m = obj.metadata;
  return m && typeof m === 'object' && !Array.isArray(m) ? (m as Record<string, unknown>) : {};
}

/** Parses a stored value into a fresh, mutable object with metadata.resourceVersion = `rv`. */
export function decodeValue(value: Buffer | string, rv: number): ApiObject {
  const obj = JSON.parse(typeof value === 'string' ? value : value.toString('utf8')) as ApiObject;
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {};
  (obj.metadata as Record<string, unknown>).resourceVersion = String(rv);
  return obj;
}

export function decodeKv(kv: KeyValue): ApiObject {
  return decodeValue(kv.value, kv.modRevision);
}

/** The stored form: the object without metadata.resourceVersion. */
export function encodeValue(obj: ApiObject): Buffer {
  const meta = metadataOf(obj);
  if (!('resourceVersion' in meta)) return Buffer.from(JSON.stringify(obj));
  const { resourceVersion: _rv, ...rest } = meta;
  return Buffer.from(JSON.stringify({ ...obj, metadata: rest }));
}
