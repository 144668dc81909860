// The etcd driver: the Store contract mapped one to one onto etcd v3 through the etcd3 package.
// Revisions, create/mod revisions and versions are etcd's own; guarded writes are etcd
// transactions; keys live under a namespace so several stores can share one etcd.
//
// What the etcd must allow and what sharing it means:
// - --max-request-bytes above MAX_VALUE_BYTES plus the key and framing (etcd's default of 1.5 MiB is
//   the whole request, so a value of exactly 1.5 MiB needs e.g. 2 MiB); a request etcd still finds
//   too large fails with ValueTooLargeError.
// - Revisions and compaction belong to the whole etcd: stores in other namespaces bump the revision
//   too, and compact() compacts every namespace.
// Failures: reads retry on other endpoints for up to dialTimeoutMs; writes retry only when etcd
// surely did not receive them (no connection, no leader), like clientv3. A write whose fate is
// unknown (connection lost after sending, timeout) fails with StoreUnavailableError.
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  NotFoundError,
  StoreClosedError,
  StoreUnavailableError,
  ValueTooLargeError,
} from '../errors.js';
import {
  MAX_VALUE_BYTES,
  type Compare,
  type GetOptions,
  type KeyValue,
  type RangeOptions,
  type RangeResult,
  type Store,
  type StoreWatch,
  type TxnOp,
  type TxnOpResult,
  type TxnRequest,
  type TxnResult,
  type WatchOptions,
} from '../types.js';
import { validateKey, validateRangeOptions, validateRangePrefix, validateRevision, validateTxn, validateValue } from '../validate.js';
import { WatchStream } from '../watch-stream.js';
import { EtcdKeys, keyAfter, putResult } from './etcd-codec.js';
import { classifyEtcdError, EndpointRestingError } from './etcd-errors.js';
import { EtcdRpc } from './etcd-rpc.js';
import { SharedLiveWatch } from './etcd-shared-watch.js';
import { EtcdWatch } from './etcd-watch.js';
import type { WatchTransport } from './etcd-watch-connection.js';
import {
  decodeCompactionResponse,
  decodeDeleteRangeResponse,
  decodeRangeResponse,
  decodeTxnResponse,
  encodeCompaction,
  encodeDeleteRange,
  encodeRange,
  encodeTxn,
  type CompareRequest,
  type RangeRequest,
  type RangeResponse,
  type RequestOp,
  type TxnResponse,
} from './etcd-wire.js';

export interface EtcdStoreOptions {
  /** Client URLs of the etcd members, e.g. ['http://127.0.0.1:2379']. */
  endpoints: string[];
  /** Prepended to every key in etcd so several stores can share one etcd (default '/kumo'). */
  namespace?: string;
  /** The store's key-space prefix every key must start with (default '/registry/'). */
  prefix?: string;
  /**
   * How long to keep trying endpoints that cannot be reached before an operation fails with
   * StoreUnavailableError (also the wait for the first connection in openEtcdStore). Default 5000.
   */
  dialTimeoutMs?: number;
}

const COMPARE_TARGET = { version: 0, createRevision: 1, modRevision: 2 } as const;
const COMPARE_RESULT = { '=': 0, '>': 1, '<': 2, '!=': 3 } as const;

export async function openEtcdStore(opts: EtcdStoreOptions): Promise<Store> {
  const store = new EtcdStore(opts);
  try {
    await store.currentRevision();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

export class EtcdStore implements Store {
  readonly driver = 'etcd';
  readonly prefix: string;
  readonly namespace: string;
  private readonly keys: EtcdKeys;
  private readonly ns: number;
  private readonly rpc: EtcdRpc;
  /** One client per endpoint for watch streams, so a watch stays on one member and moves in order. */
  private readonly watchRpcs: EtcdRpc[];
  private readonly dialTimeoutMs: number;
  private closed = false;
  private readonly watches = new Set<EtcdWatch>();
  /** Live watches shared by every watch of one key prefix that starts at or after their position. */
  private readonly shared = new Map<string, SharedLiveWatch>();
  /** Watches "from now" that etcd has not confirmed yet; writes wait for them (see watch()). */
  private readonly pendingWatches = new Set<Promise<void>>();
  /** The newest compacted revision seen; etcd's only grows, so this is a lower bound of it. */
  private knownCompacted = 0;
  /** The newest store revision any answer from etcd has shown this store. */
  private seenRevision = 0;
  private readonly probeKey: Buffer;
  private readonly watchTransport: WatchTransport;
  private readonly decodeRange = (b: Buffer) => decodeRangeResponse(b, this.ns);
  private readonly decodeTxn = (b: Buffer) => decodeTxnResponse(b, this.ns);
  private readonly decodeDelete = (b: Buffer) => decodeDeleteRangeResponse(b, this.ns);

  constructor(opts: EtcdStoreOptions) {
    if (!Array.isArray(opts.endpoints) || opts.endpoints.length === 0) throw new TypeError('etcd store needs at least one endpoint');
    this.prefix = opts.prefix ?? '/registry/';
    if (!this.prefix) throw new TypeError('store prefix must not be empty');
    this.namespace = opts.namespace ?? '/kumo';
    this.dialTimeoutMs = opts.dialTimeoutMs ?? 5_000;
    this.keys = new EtcdKeys(this.namespace);
    this.ns = this.keys.namespaceBytes;
    // A key outside the store's key space (keys must start with the prefix): reads of it are cheap.
    this.probeKey = this.keys.encode('\0revision-probe');
    this.rpc = new EtcdRpc(opts.endpoints);
    this.watchRpcs = opts.endpoints.map((ep) => new EtcdRpc([ep]));
    this.watchTransport = {
      endpointCount: this.watchRpcs.length,
      retryWindowMs: this.dialTimeoutMs,
      open: (index) => this.watchRpcs[index].watch(),
    };
  }

  async get(key: string, opts?: GetOptions): Promise<KeyValue | undefined> {
    this.checkOpen();
    validateKey(this.prefix, key);
    const revision = opts?.revision ?? 0;
    validateRevision('revision', revision);
    const res = await this.rangeCall({ key: this.keys.encode(key), revision });
    return res.kvs[0];
  }

  async range(keyPrefix: string, opts?: RangeOptions): Promise<RangeResult> {
    this.checkOpen();
    const o = validateRangeOptions(this.prefix, keyPrefix, opts);
    const whole = this.keys.prefixRange(keyPrefix);
    const countReq: RangeRequest = { key: whole.key, rangeEnd: whole.rangeEnd, revision: o.revision, countOnly: true };
    if (o.countOnly) {
      const res = await this.rangeCall(countReq);
      return { kvs: [], more: false, count: res.count, revision: o.revision || res.revision };
    }
    const pageReq: RangeRequest = {
      key: o.startAfter === undefined ? whole.key : keyAfter(this.keys.encode(o.startAfter)),
      rangeEnd: whole.rangeEnd,
      revision: o.revision,
      limit: o.limit,
    };
    if (o.startAfter === undefined) {
      const page = await this.rangeCall(pageReq);
      return { kvs: page.kvs, more: page.more, count: page.count, revision: o.revision || page.revision };
    }
    // A continuation still reports the count of the whole range: both reads in one read-only
    // transaction see the same revision.
    const res = await this.read(o.revision, () =>
      this.rpc.kv('Txn', encodeTxn({ compare: [], success: [{ range: pageReq }, { range: countReq }], failure: [] }), this.decodeTxn),
    );
    const page = rangeOf(res, 0);
    return { kvs: page.kvs, more: page.more, count: rangeOf(res, 1).count, revision: o.revision || res.revision };
  }

  async create(key: string, value: Buffer): Promise<KeyValue> {
    this.checkOpen();
    validateKey(this.prefix, key);
    validateValue(value);
    const k = this.keys.encode(key);
    const req = encodeTxn({
      compare: [{ key: k, target: COMPARE_TARGET.createRevision, result: COMPARE_RESULT['='], value: 0 }],
      success: [{ put: { key: k, value } }],
      failure: [],
    });
    const res = await this.write(() => this.rpc.kv('Txn', req, this.decodeTxn), { bytes: value.byteLength });
    if (!res.succeeded) throw new KeyExistsError(key);
    return putResult(key, Buffer.from(value), res.revision, undefined);
  }

  async update(key: string, value: Buffer, expectedModRevision: number): Promise<KeyValue> {
    this.checkOpen();
    validateKey(this.prefix, key);
    validateValue(value);
    validateRevision('expectedModRevision', expectedModRevision);
    const k = this.keys.encode(key);
    const req = encodeTxn({
      compare: guard(k, expectedModRevision),
      success: [{ put: { key: k, value, prevKv: true } }],
      failure: [{ range: { key: k } }],
    });
    const res = await this.write(() => this.rpc.kv('Txn', req, this.decodeTxn), { bytes: value.byteLength });
    if (!res.succeeded) throw guardFailure(key, expectedModRevision, res);
    const op = res.responses[0];
    const prev = 'put' in op ? op.put.prevKv : undefined;
    return putResult(key, Buffer.from(value), res.revision, prev);
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ prevKv: KeyValue; revision: number }> {
    this.checkOpen();
    validateKey(this.prefix, key);
    if (expectedModRevision !== undefined) validateRevision('expectedModRevision', expectedModRevision);
    const k = this.keys.encode(key);
    if (expectedModRevision === undefined) {
      const req = encodeDeleteRange({ key: k, prevKv: true });
      const res = await this.write(() => this.rpc.kv('DeleteRange', req, this.decodeDelete));
      if (res.prevKvs.length === 0) throw new NotFoundError(key);
      return { prevKv: res.prevKvs[0], revision: res.revision };
    }
    const req = encodeTxn({
      compare: guard(k, expectedModRevision),
      success: [{ deleteRange: { key: k, prevKv: true } }],
      failure: [{ range: { key: k } }],
    });
    const res = await this.write(() => this.rpc.kv('Txn', req, this.decodeTxn));
    if (!res.succeeded) throw guardFailure(key, expectedModRevision, res);
    const op = res.responses[0];
    const prevKv = 'deleteRange' in op ? op.deleteRange.prevKvs[0] : undefined;
    if (!prevKv) throw new Error('etcd answered a guarded delete without the deleted kv');
    return { prevKv, revision: res.revision };
  }

  async txn(req: TxnRequest): Promise<TxnResult> {
    this.checkOpen();
    validateTxn(this.prefix, req);
    const failure = req.failure ?? [];
    const encoded = encodeTxn({
      compare: req.compare.map((c: Compare) => ({
        key: this.keys.encode(c.key),
        target: COMPARE_TARGET[c.target],
        result: COMPARE_RESULT[c.op],
        value: c.value,
      })),
      success: req.success.map((op) => this.toRequestOp(op)),
      failure: failure.map((op) => this.toRequestOp(op)),
    });
    const res = await this.write(() => this.rpc.kv('Txn', encoded, this.decodeTxn), { bytes: requestBytes(req) });
    const ops = res.succeeded ? req.success : failure;
    const results = ops.map((op, i): TxnOpResult => {
      const r = res.responses[i];
      if (op.type === 'get') {
        const kv = 'range' in r ? r.range.kvs[0] : undefined;
        return kv ? { type: 'get', key: op.key, kv } : { type: 'get', key: op.key };
      }
      if (op.type === 'put') {
        const prevKv = 'put' in r ? r.put.prevKv : undefined;
        const kv = putResult(op.key, Buffer.from(op.value), res.revision, prevKv);
        return prevKv ? { type: 'put', key: op.key, kv, prevKv } : { type: 'put', key: op.key, kv };
      }
      const prevKv = 'deleteRange' in r ? r.deleteRange.prevKvs[0] : undefined;
      return prevKv ? { type: 'delete', key: op.key, prevKv } : { type: 'delete', key: op.key };
    });
    return { succeeded: res.succeeded, revision: res.revision, results };
  }

  watch(keyPrefix: string, opts: WatchOptions): StoreWatch {
    validateRangePrefix(this.prefix, keyPrefix);
    validateRevision('afterRevision', opts?.afterRevision);
    if (this.closed) {
      const stream = new WatchStream({ bufferLimit: opts.bufferLimit });
      stream.fail(new StoreClosedError());
      return stream;
    }
    let shared = this.shared.get(keyPrefix);
    const position = shared?.position ?? 0;
    if (opts.afterRevision === 0 || (position > 0 && opts.afterRevision >= position)) {
      if (!shared) {
        const created: SharedLiveWatch = new SharedLiveWatch(this.watchTransport, this.keys, keyPrefix, () => {
          if (this.shared.get(keyPrefix) === created) this.shared.delete(keyPrefix);
        });
        this.shared.set(keyPrefix, created);
        shared = created;
      }
      if (opts.afterRevision === 0 && position === 0) this.holdWritesUntil(shared.established);
      // Joining a running stream "from now": skip what this store has already seen committed.
      const after = opts.afterRevision === 0 && position > 0 ? Math.max(position, this.seenRevision) : opts.afterRevision;
      return shared.subscribe(after, opts.bufferLimit);
    }
    // Older history: a stream of its own, paced by its consumer.
    const watch: EtcdWatch = new EtcdWatch(this.watchTransport, {
      keys: this.keys,
      keyPrefix,
      afterRevision: opts.afterRevision,
      bufferLimit: opts.bufferLimit,
      onStop: () => this.watches.delete(watch),
    });
    this.watches.add(watch);
    watch.start();
    return watch.stream;
  }

  /**
   * A watch "from now" starts where etcd registers it, which happens asynchronously. This store's
   * writes wait for that, so a write issued after watch() returned is always delivered.
   */
  private holdWritesUntil(established: Promise<void>): void {
    this.pendingWatches.add(established);
    void established.then(() => this.pendingWatches.delete(established));
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return (await this.rangeCall({ key: this.probeKey, countOnly: true })).revision;
  }

  /**
   * etcd does not report its compacted revision directly, but a read below it fails: the answer is
   * the oldest revision a read succeeds at. One read confirms the revision seen last; after a
   * compaction elsewhere (another store on the same etcd) a binary search finds the new one.
   */
  async compactedRevision(): Promise<number> {
    this.checkOpen();
    const readable = async (revision: number): Promise<boolean> => {
      try {
        await this.read(revision, () => this.rpc.kv('Range', encodeRange({ key: this.probeKey, revision, countOnly: true }), this.decodeRange), false);
        return true;
      } catch (err) {
        if (err instanceof CompactedError) return false;
        throw err;
      }
    };
    const known = this.knownCompacted;
    if (await readable(Math.max(known, 1))) return known;
    let lo = Math.max(known, 1) + 1;
    let hi = await this.currentRevision();
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (await readable(mid)) hi = mid;
      else lo = mid + 1;
    }
    this.knownCompacted = Math.max(this.knownCompacted, lo);
    return this.knownCompacted;
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    validateRevision('revision', revision);
    if (revision === 0) return;
    try {
      await this.write(() => this.rpc.kv('Compact', encodeCompaction(revision), decodeCompactionResponse), { revision });
    } catch (err) {
      // Compacting at or below the compacted revision changes nothing (etcd answers "compacted").
      if (err instanceof CompactedError) return;
      throw err;
    }
    this.knownCompacted = Math.max(this.knownCompacted, revision);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of [...this.watches]) w.fail(new StoreClosedError());
    this.watches.clear();
    for (const w of [...this.shared.values()]) w.failAll(new StoreClosedError());
    this.shared.clear();
    this.rpc.close();
    for (const r of this.watchRpcs) r.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  private rangeCall(req: RangeRequest): Promise<RangeResponse> {
    const encoded = encodeRange(req);
    return this.read(req.revision ?? 0, () => this.rpc.kv('Range', encoded, this.decodeRange));
  }

  private toRequestOp(op: TxnOp): RequestOp {
    const key = this.keys.encode(op.key);
    if (op.type === 'put') return { put: { key, value: op.value, prevKv: true } };
    if (op.type === 'delete') return { deleteRange: { key, prevKv: true } };
    return { range: { key } };
  }

  /** A read: retried on other endpoints while they fail, including after an ambiguous failure. */
  private async read<T>(revision: number, call: () => Promise<T>, translate = true): Promise<T> {
    return this.run(call, { idempotent: true, revision, translate, bytes: 0 });
  }

  /** A write: retried only when it surely did not reach etcd; waits for watches being set up. */
  private async write<T>(call: () => Promise<T>, o: { bytes?: number; revision?: number } = {}): Promise<T> {
    if (this.pendingWatches.size > 0) await Promise.all(this.pendingWatches);
    return this.run(call, { idempotent: false, revision: o.revision ?? 0, translate: false, bytes: o.bytes ?? 0 });
  }

  private async run<T>(call: () => Promise<T>, o: { idempotent: boolean; revision: number; translate: boolean; bytes: number }): Promise<T> {
    const deadline = Date.now() + this.dialTimeoutMs;
    /** The last failure etcd itself caused: resting endpoints say nothing about why they rest. */
    let cause = '';
    for (let attempt = 0; ; attempt++) {
      this.checkOpen();
      try {
        const res = await call();
        const revision = (res as { revision?: unknown }).revision;
        if (typeof revision === 'number' && revision > this.seenRevision) this.seenRevision = revision;
        return res;
      } catch (err) {
        if (this.closed) throw new StoreClosedError();
        const kind = classifyEtcdError(err);
        if (!(err instanceof EndpointRestingError)) cause = err instanceof Error ? err.message : String(err);
        const message = cause || (err instanceof Error ? err.message : String(err));
        switch (kind) {
          case 'compacted':
            throw new CompactedError(o.revision, o.translate ? await this.compactedRevision() : this.knownCompacted);
          case 'future':
            throw new FutureRevisionError(o.revision, await this.currentRevision());
          case 'too-large':
            throw new ValueTooLargeError(o.bytes, MAX_VALUE_BYTES);
          case 'closed':
            throw new StoreClosedError();
          case 'not-sent':
          case 'ambiguous':
            if ((kind === 'not-sent' || o.idempotent) && Date.now() < deadline) {
              await new Promise((resolve) => setTimeout(resolve, Math.min(200, 5 * 2 ** attempt)));
              continue;
            }
            throw new StoreUnavailableError(`etcd: ${message}`);
          default:
            throw new StoreUnavailableError(`etcd: ${message}`);
        }
      }
    }
  }
}

/** A guarded write's comparison: the key exists (an update never creates) at the expected revision. */
function guard(key: Buffer, expectedModRevision: number): CompareRequest[] {
  return [
    { key, target: COMPARE_TARGET.version, result: COMPARE_RESULT['>'], value: 0 },
    { key, target: COMPARE_TARGET.modRevision, result: COMPARE_RESULT['='], value: expectedModRevision },
  ];
}

/** Why a guarded write's comparison failed: the failure branch read the key. */
function guardFailure(key: string, expected: number, res: TxnResponse): Error {
  const op = res.responses[0];
  const current = op && 'range' in op ? op.range.kvs[0] : undefined;
  if (!current) return new NotFoundError(key);
  return new ConflictError(key, expected, current.modRevision);
}

function rangeOf(res: TxnResponse, i: number): RangeResponse {
  const op = res.responses[i];
  if (!op || !('range' in op)) throw new Error('etcd answered a read-only transaction without its range');
  return op.range;
}

/** Bytes a transaction puts, for the error when etcd finds the whole request too large. */
function requestBytes(req: TxnRequest): number {
  let n = 0;
  for (const op of [...req.success, ...(req.failure ?? [])]) if (op.type === 'put') n += op.value.byteLength + Buffer.byteLength(op.key);
  return n;
}
