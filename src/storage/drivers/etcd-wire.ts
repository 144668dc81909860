// Protocol buffer encoding of the etcd v3 messages the driver sends and receives (etcdserverpb and
// mvccpb, field numbers from etcd's rpc.proto and kv.proto). Written by hand so int64 fields become
// numbers directly (revisions stay far below 2^53) and keys come out already stripped of the
// namespace: the generic decoder turned every int64 into a string via Long division and copied
// each message once more into plain objects, which dominated the cost of large ranges and watches.
import type { KeyValue } from '../types.js';

// ---------------------------------------------------------------- encoding

class Writer {
  private buf: Buffer;
  private pos = 0;

  /** `size`: the expected encoded size, so a message with a large value is not copied while it grows. */
  constructor(size = 128) {
    this.buf = Buffer.allocUnsafe(size);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  varint(v: number): void {
    this.ensure(10);
    while (v > 127) {
      this.buf[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  /** An int64/uint64/enum field; proto3 leaves zero out unless `always` (oneof members). */
  int(field: number, v: number, always = false): void {
    if (v === 0 && !always) return;
    this.varint(field * 8);
    this.varint(v);
  }

  bool(field: number, v: boolean | undefined): void {
    if (!v) return;
    this.varint(field * 8);
    this.varint(1);
  }

  bytes(field: number, b: Uint8Array | undefined): void {
    if (b === undefined) return;
    this.varint(field * 8 + 2);
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  message(field: number, encode: (w: Writer) => void, size?: number): void {
    const inner = new Writer(size);
    encode(inner);
    this.bytes(field, inner.finish());
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

export interface RangeRequest {
  key: Buffer;
  rangeEnd?: Buffer;
  limit?: number;
  revision?: number;
  countOnly?: boolean;
}

export interface PutRequest {
  key: Buffer;
  value: Uint8Array;
  prevKv?: boolean;
}

export interface DeleteRangeRequest {
  key: Buffer;
  prevKv?: boolean;
}

export type RequestOp = { range: RangeRequest } | { put: PutRequest } | { deleteRange: DeleteRangeRequest };

export interface CompareRequest {
  key: Buffer;
  /** etcdserverpb.Compare.CompareTarget: VERSION 0, CREATE 1, MOD 2. */
  target: 0 | 1 | 2;
  /** etcdserverpb.Compare.CompareResult: EQUAL 0, GREATER 1, LESS 2, NOT_EQUAL 3. */
  result: 0 | 1 | 2 | 3;
  value: number;
}

export interface TxnRequest {
  compare: CompareRequest[];
  success: RequestOp[];
  failure: RequestOp[];
}

export interface WatchCreateRequest {
  key: Buffer;
  rangeEnd: Buffer;
  startRevision: number;
  prevKv: boolean;
  progressNotify: boolean;
}

function writeRange(w: Writer, r: RangeRequest): void {
  w.bytes(1, r.key);
  w.bytes(2, r.rangeEnd);
  w.int(3, r.limit ?? 0);
  w.int(4, r.revision ?? 0);
  w.bool(9, r.countOnly);
}

function writePut(w: Writer, r: PutRequest): void {
  w.bytes(1, r.key);
  w.bytes(2, r.value);
  w.bool(4, r.prevKv);
}

function writeDeleteRange(w: Writer, r: DeleteRangeRequest): void {
  w.bytes(1, r.key);
  w.bool(3, r.prevKv);
}

/** Room for a message's fields besides its keys and values (tags, lengths, varints). */
const FIELDS = 64;

function opSize(op: RequestOp): number {
  if ('put' in op) return op.put.key.length + op.put.value.length + FIELDS;
  if ('range' in op) return op.range.key.length + (op.range.rangeEnd?.length ?? 0) + FIELDS;
  return op.deleteRange.key.length + FIELDS;
}

function writeOp(w: Writer, op: RequestOp): void {
  const size = opSize(op);
  if ('range' in op) w.message(1, (m) => writeRange(m, op.range), size);
  else if ('put' in op) w.message(2, (m) => writePut(m, op.put), size);
  else w.message(3, (m) => writeDeleteRange(m, op.deleteRange), size);
}

export function encodeRange(r: RangeRequest): Buffer {
  const w = new Writer();
  writeRange(w, r);
  return w.finish();
}

export function encodeDeleteRange(r: DeleteRangeRequest): Buffer {
  const w = new Writer();
  writeDeleteRange(w, r);
  return w.finish();
}

export function encodeTxn(t: TxnRequest): Buffer {
  let size = FIELDS;
  for (const c of t.compare) size += c.key.length + FIELDS;
  for (const op of t.success) size += opSize(op) + FIELDS;
  for (const op of t.failure) size += opSize(op) + FIELDS;
  const w = new Writer(size);
  for (const c of t.compare) {
    w.message(1, (m) => {
      m.int(1, c.result);
      m.int(2, c.target);
      m.bytes(3, c.key);
      // target_union is a oneof: its member must be sent even when 0, or etcd compares nothing.
      m.int(4 + c.target, c.value, true);
    });
  }
  for (const op of t.success) w.message(2, (m) => writeOp(m, op), opSize(op) + FIELDS);
  for (const op of t.failure) w.message(3, (m) => writeOp(m, op), opSize(op) + FIELDS);
  return w.finish();
}

export function encodeCompaction(revision: number): Buffer {
  const w = new Writer();
  w.int(1, revision);
  return w.finish();
}

export function encodeWatchCreate(c: WatchCreateRequest): Buffer {
  const w = new Writer();
  w.message(1, (m) => {
    m.bytes(1, c.key);
    m.bytes(2, c.rangeEnd);
    m.int(3, c.startRevision);
    m.bool(4, c.progressNotify);
    m.bool(6, c.prevKv);
  });
  return w.finish();
}

// ---------------------------------------------------------------- decoding

class Reader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  get more(): boolean {
    return this.pos < this.end;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.end) throw new Error('etcd message: truncated varint');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
  }

  /** Start and end of a length-delimited field's payload; moves past it. */
  span(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    this.pos += len;
    if (this.pos > this.end) throw new Error('etcd message: truncated field');
    return [start, this.pos];
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 2) this.span();
    else if (wire === 1) this.pos += 8;
    else if (wire === 5) this.pos += 4;
    else throw new Error(`etcd message: unsupported wire type ${wire}`);
  }
}

const EMPTY = Buffer.alloc(0);

/** Decodes the `revision` of a ResponseHeader. */
function headerRevision(r: Reader, start: number, end: number): number {
  const h = new Reader(r.buf, start, end);
  let revision = 0;
  while (h.more) {
    const tag = h.varint();
    if (tag === 3 * 8) revision = h.varint();
    else h.skip(tag & 7);
  }
  return revision;
}

/** A mvccpb.KeyValue; the key loses its first `nsLen` bytes (the store's namespace). */
function keyValue(buf: Buffer, start: number, end: number, nsLen: number): KeyValue {
  const r = new Reader(buf, start, end);
  let key = '';
  let value: Buffer = EMPTY;
  let createRevision = 0;
  let modRevision = 0;
  let version = 0;
  while (r.more) {
    const tag = r.varint();
    switch (tag) {
      case (1 << 3) | 2: {
        const [s, e] = r.span();
        key = buf.toString('utf8', s + nsLen, e);
        break;
      }
      case 2 << 3:
        createRevision = r.varint();
        break;
      case 3 << 3:
        modRevision = r.varint();
        break;
      case 4 << 3:
        version = r.varint();
        break;
      case (5 << 3) | 2: {
        const [s, e] = r.span();
        // A copy, so a value kept by a caller does not pin the whole response in memory.
        value = Buffer.allocUnsafe(e - s);
        buf.copy(value, 0, s, e);
        break;
      }
      default:
        r.skip(tag & 7);
    }
  }
  return { key, value, createRevision, modRevision, version };
}

export interface RangeResponse {
  revision: number;
  kvs: KeyValue[];
  more: boolean;
  count: number;
}

function rangeResponse(buf: Buffer, start: number, end: number, nsLen: number): RangeResponse {
  const r = new Reader(buf, start, end);
  const out: RangeResponse = { revision: 0, kvs: [], more: false, count: 0 };
  while (r.more) {
    const tag = r.varint();
    if (tag === ((1 << 3) | 2)) out.revision = headerRevision(r, ...r.span());
    else if (tag === ((2 << 3) | 2)) out.kvs.push(keyValue(buf, ...r.span(), nsLen));
    else if (tag === 3 << 3) out.more = r.varint() !== 0;
    else if (tag === 4 << 3) out.count = r.varint();
    else r.skip(tag & 7);
  }
  return out;
}

export interface PutResponse {
  revision: number;
  prevKv?: KeyValue;
}

function putResponse(buf: Buffer, start: number, end: number, nsLen: number): PutResponse {
  const r = new Reader(buf, start, end);
  const out: PutResponse = { revision: 0 };
  while (r.more) {
    const tag = r.varint();
    if (tag === ((1 << 3) | 2)) out.revision = headerRevision(r, ...r.span());
    else if (tag === ((2 << 3) | 2)) out.prevKv = keyValue(buf, ...r.span(), nsLen);
    else r.skip(tag & 7);
  }
  return out;
}

export interface DeleteRangeResponse {
  revision: number;
  deleted: number;
  prevKvs: KeyValue[];
}

function deleteRangeResponse(buf: Buffer, start: number, end: number, nsLen: number): DeleteRangeResponse {
  const r = new Reader(buf, start, end);
  const out: DeleteRangeResponse = { revision: 0, deleted: 0, prevKvs: [] };
  while (r.more) {
    const tag = r.varint();
    if (tag === ((1 << 3) | 2)) out.revision = headerRevision(r, ...r.span());
    else if (tag === 2 << 3) out.deleted = r.varint();
    else if (tag === ((3 << 3) | 2)) out.prevKvs.push(keyValue(buf, ...r.span(), nsLen));
    else r.skip(tag & 7);
  }
  return out;
}

export type ResponseOp = { range: RangeResponse } | { put: PutResponse } | { deleteRange: DeleteRangeResponse };

export interface TxnResponse {
  revision: number;
  succeeded: boolean;
  responses: ResponseOp[];
}

function responseOp(buf: Buffer, start: number, end: number, nsLen: number): ResponseOp {
  const r = new Reader(buf, start, end);
  let op: ResponseOp | undefined;
  while (r.more) {
    const tag = r.varint();
    if (tag === ((1 << 3) | 2)) op = { range: rangeResponse(buf, ...r.span(), nsLen) };
    else if (tag === ((2 << 3) | 2)) op = { put: putResponse(buf, ...r.span(), nsLen) };
    else if (tag === ((3 << 3) | 2)) op = { deleteRange: deleteRangeResponse(buf, ...r.span(), nsLen) };
    else r.skip(tag & 7);
  }
  if (!op) throw new Error('etcd message: empty ResponseOp');
  return op;
}

export function decodeRangeResponse(buf: Buffer, nsLen: number): RangeResponse {
  return rangeResponse(buf, 0, buf.length, nsLen);
}

export function decodeDeleteRangeResponse(buf: Buffer, nsLen: number): DeleteRangeResponse {
  return deleteRangeResponse(buf, 0, buf.length, nsLen);
}

export function decodeTxnResponse(buf: Buffer, nsLen: number): TxnResponse {
  const r = new Reader(buf, 0, buf.length);
  const out: TxnResponse = { revision: 0, succeeded: false, responses: [] };
  while (r.more) {
    const tag = r.varint();
    if (tag === ((1 << 3) | 2)) out.revision = headerRevision(r, ...r.span());
    else if (tag === 2 << 3) out.succeeded = r.varint() !== 0;
    else if (tag === ((3 << 3) | 2)) out.responses.push(responseOp(buf, ...r.span(), nsLen));
    else r.skip(tag & 7);
  }
  return out;
}

/** A CompactionResponse: only its header's revision. */
export function decodeCompactionResponse(buf: Buffer): { revision: number } {
  const r = new Reader(buf, 0, buf.length);
  let revision = 0;
  while (r.more) {
    const tag = r.varint();
    if (tag === ((1 << 3) | 2)) revision = headerRevision(r, ...r.span());
    else r.skip(tag & 7);
  }
  return { revision };
}

export interface WireEvent {
  type: 'put' | 'delete';
  kv: KeyValue;
  prevKv?: KeyValue;
}

export interface WatchResponse {
  revision: number;
  created: boolean;
  canceled: boolean;
  compactRevision: number;
  cancelReason: string;
  events: WireEvent[];
}

function event(buf: Buffer, start: number, end: number, nsLen: number): WireEvent {
  const r = new Reader(buf, start, end);
  let type: 'put' | 'delete' = 'put';
  let kv: KeyValue | undefined;
  let prevKv: KeyValue | undefined;
  while (r.more) {
    const tag = r.varint();
    if (tag === 1 << 3) type = r.varint() === 1 ? 'delete' : 'put';
    else if (tag === ((2 << 3) | 2)) kv = keyValue(buf, ...r.span(), nsLen);
    else if (tag === ((3 << 3) | 2)) prevKv = keyValue(buf, ...r.span(), nsLen);
    else r.skip(tag & 7);
  }
  if (!kv) throw new Error('etcd message: event without kv');
  return prevKv ? { type, kv, prevKv } : { type, kv };
}

export function decodeWatchResponse(buf: Buffer, nsLen: number): WatchResponse {
  const r = new Reader(buf, 0, buf.length);
  const out: WatchResponse = { revision: 0, created: false, canceled: false, compactRevision: 0, cancelReason: '', events: [] };
  while (r.more) {
    const tag = r.varint();
    switch (tag) {
      case (1 << 3) | 2:
        out.revision = headerRevision(r, ...r.span());
        break;
      case 3 << 3:
        out.created = r.varint() !== 0;
        break;
      case 4 << 3:
        out.canceled = r.varint() !== 0;
        break;
      case 5 << 3:
        out.compactRevision = r.varint();
        break;
      case (6 << 3) | 2: {
        const [s, e] = r.span();
        out.cancelReason = buf.toString('utf8', s, e);
        break;
      }
      case (11 << 3) | 2:
        out.events.push(event(buf, ...r.span(), nsLen));
        break;
      default:
        r.skip(tag & 7);
    }
  }
  return out;
}
