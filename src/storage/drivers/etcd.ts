// The etcd driver: the Store contract mapped one to one onto etcd v3 through the etcd3 package.
// Revisions, create/mod revisions and versions are etcd's own; guarded writes are etcd
// transactions; keys live under a namespace so several stores can share one etcd.
import { Etcd3, type IOptions, type IRangeRequest, type IRangeResponse, type IRequestOp, type ITxnResponse, type IKeyValue } from 'etcd3';
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
import { EtcdKeys, keyAfter, putResult, toKeyValue } from './etcd-codec.js';
import { classifyEtcdError, endpointPolicy, runOncePolicy } from './etcd-errors.js';
import { EtcdWatch, type Call, type WatchTransport } from './etcd-watch.js';

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

/** Per-call deadline: above etcd's own request timeout (5 s + 2 election timeouts by default). */
const CALL_TIMEOUT_MS = 15_000;
/** An endpoint that refused a connection is skipped this long. */
const ENDPOINT_REST_MS = 1_000;

const COMPARE_TARGET = { modRevision: 'Mod', createRevision: 'Create', version: 'Version' } as const;
const COMPARE_FIELD = { modRevision: 'mod_revision', createRevision: 'create_revision', version: 'version' } as const;
const COMPARE_RESULT = { '=': 'Equal', '!=': 'NotEqual', '<': 'Less', '>': 'Greater' } as const;

function clientOptions(hosts: string[]): IOptions {
  return {
    hosts,
    grpcOptions: {
      // A watch catching up may receive up to 1000 revisions in one message.
      'grpc.max_receive_message_length': -1,
      'grpc.max_send_message_length': -1,
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
    },
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + CALL_TIMEOUT_MS }),
    faultHandling: {
      global: runOncePolicy(),
      host: (host) => endpointPolicy(host, ENDPOINT_REST_MS),
    },
  };
}

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
  private readonly client: Etcd3;
  /** One client per endpoint for watch streams, so a watch stays on one member and moves in order. */
  private readonly watchClients: Etcd3[];
  private readonly dialTimeoutMs: number;
  private closed = false;
  private readonly watches = new Set<EtcdWatch>();
  /** Watches "from now" that etcd has not confirmed yet; writes wait for them (see watch()). */
  private readonly pendingWatches = new Set<Promise<void>>();
  /** The newest compacted revision seen; etcd's only grows, so this is a lower bound of it. */
  private knownCompacted = 0;
  private readonly probeKey: Buffer;
  private readonly watchTransport: WatchTransport;

  constructor(opts: EtcdStoreOptions) {
    if (!Array.isArray(opts.endpoints) || opts.endpoints.length === 0) throw new TypeError('etcd store needs at least one endpoint');
    this.prefix = opts.prefix ?? '/registry/';
    if (!this.prefix) throw new TypeError('store prefix must not be empty');
    this.namespace = opts.namespace ?? '/kumo';
    this.dialTimeoutMs = opts.dialTimeoutMs ?? 5_000;
    this.keys = new EtcdKeys(this.namespace);
    // A key outside the store's key space (keys must start with the prefix): reads of it are cheap.
    this.probeKey = this.keys.encode('\0revision-probe');
    this.client = new Etcd3(clientOptions(opts.endpoints));
    this.watchClients = opts.endpoints.map((ep) => new Etcd3(clientOptions([ep])));
    this.watchTransport = {
      endpointCount: this.watchClients.length,
      retryWindowMs: this.dialTimeoutMs,
      open: (index) => this.watchClients[index].watchClient.watch() as Promise<Call>,
    };
  }

  async get(key: string, opts?: GetOptions): Promise<KeyValue | undefined> {
    this.checkOpen();
    validateKey(this.prefix, key);
    const revision = opts?.revision ?? 0;
    validateRevision('revision', revision);
    const res = await this.read(revision, () => this.client.kv.range({ key: this.keys.encode(key), revision }));
    return res.kvs.length > 0 ? toKeyValue(this.keys, res.kvs[0]) : undefined;
  }

  async range(keyPrefix: string, opts?: RangeOptions): Promise<RangeResult> {
    this.checkOpen();
    const o = validateRangeOptions(this.prefix, keyPrefix, opts);
    const whole = this.keys.prefixRange(keyPrefix);
    const countReq: IRangeRequest = { key: whole.key, range_end: whole.rangeEnd, revision: o.revision, count_only: true };
    if (o.countOnly) {
      const res = await this.read(o.revision, () => this.client.kv.range(countReq));
      return { kvs: [], more: false, count: Number(res.count), revision: o.revision || Number(res.header.revision) };
    }
    const pageReq: IRangeRequest = {
      key: o.startAfter === undefined ? whole.key : keyAfter(this.keys.encode(o.startAfter)),
      range_end: whole.rangeEnd,
      revision: o.revision,
      limit: o.limit,
    };
    let page: IRangeResponse;
    let count: number;
    let served: number;
    if (o.startAfter === undefined) {
      page = await this.read(o.revision, () => this.client.kv.range(pageReq));
      count = Number(page.count);
      served = o.revision || Number(page.header.revision);
    } else {
      // A continuation still reports the count of the whole range: both reads in one read-only
      // transaction see the same revision.
      const res = await this.read(o.revision, () =>
        this.client.kv.txn({ compare: [], success: [{ request_range: pageReq }, { request_range: countReq }], failure: [] }),
      );
      page = res.responses[0].response_range!;
      count = Number(res.responses[1].response_range!.count);
      served = o.revision || Number(res.header.revision);
    }
    return { kvs: page.kvs.map((kv) => toKeyValue(this.keys, kv)), more: page.more, count, revision: served };
  }

  async create(key: string, value: Buffer): Promise<KeyValue> {
    this.checkOpen();
    validateKey(this.prefix, key);
    validateValue(value);
    const k = this.keys.encode(key);
    const res = await this.write(() =>
      this.client.kv.txn({
        compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
        success: [{ request_put: { key: k, value } }],
        failure: [],
      }),
      { bytes: value.byteLength },
    );
    if (!res.succeeded) throw new KeyExistsError(key);
    return putResult(key, Buffer.from(value), Number(res.header.revision), undefined);
  }

  async update(key: string, value: Buffer, expectedModRevision: number): Promise<KeyValue> {
    this.checkOpen();
    validateKey(this.prefix, key);
    validateValue(value);
    validateRevision('expectedModRevision', expectedModRevision);
    const k = this.keys.encode(key);
    const res = await this.write(() =>
      this.client.kv.txn({
        // version > 0: etcd compares an absent key as mod revision 0, and an update never creates.
        compare: [
          { key: k, target: 'Version', result: 'Greater', version: 0 },
          { key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision },
        ],
        success: [{ request_put: { key: k, value, prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      }),
      { bytes: value.byteLength },
    );
    if (!res.succeeded) throw this.guardFailure(key, expectedModRevision, res);
    const prev = res.responses[0].response_put!.prev_kv;
    return putResult(key, Buffer.from(value), Number(res.header.revision), prev ? toKeyValue(this.keys, prev) : undefined);
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ prevKv: KeyValue; revision: number }> {
    this.checkOpen();
    validateKey(this.prefix, key);
    if (expectedModRevision !== undefined) validateRevision('expectedModRevision', expectedModRevision);
    const k = this.keys.encode(key);
    if (expectedModRevision === undefined) {
      const res = await this.write(() => this.client.kv.deleteRange({ key: k, prev_kv: true }));
      if (res.prev_kvs.length === 0) throw new NotFoundError(key);
      return { prevKv: toKeyValue(this.keys, res.prev_kvs[0]), revision: Number(res.header.revision) };
    }
    const res = await this.write(() =>
      this.client.kv.txn({
        compare: [
          { key: k, target: 'Version', result: 'Greater', version: 0 },
          { key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision },
        ],
        success: [{ request_delete_range: { key: k, prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      }),
    );
    if (!res.succeeded) throw this.guardFailure(key, expectedModRevision, res);
    return {
      prevKv: toKeyValue(this.keys, res.responses[0].response_delete_range!.prev_kvs[0]),
      revision: Number(res.header.revision),
    };
  }

  async txn(req: TxnRequest): Promise<TxnResult> {
    this.checkOpen();
    validateTxn(this.prefix, req);
    const compare = req.compare.map((c: Compare) => ({
      key: this.keys.encode(c.key),
      target: COMPARE_TARGET[c.target],
      result: COMPARE_RESULT[c.op],
      [COMPARE_FIELD[c.target]]: c.value,
    }));
    const failure = req.failure ?? [];
    const res = await this.write(
      () => this.client.kv.txn({ compare, success: req.success.map((op) => this.toRequestOp(op)), failure: failure.map((op) => this.toRequestOp(op)) }),
      { bytes: requestBytes(req) },
    );
    const ops = res.succeeded ? req.success : failure;
    const revision = Number(res.header.revision);
    const results = ops.map((op, i): TxnOpResult => {
      const r = res.responses[i];
      if (op.type === 'get') {
        const kv = r.response_range!.kvs[0];
        return kv ? { type: 'get', key: op.key, kv: toKeyValue(this.keys, kv) } : { type: 'get', key: op.key };
      }
      if (op.type === 'put') {
        const prevKv = optionalKv(this.keys, r.response_put!.prev_kv);
        const kv = putResult(op.key, Buffer.from(op.value), revision, prevKv);
        return prevKv ? { type: 'put', key: op.key, kv, prevKv } : { type: 'put', key: op.key, kv };
      }
      const prevKv = optionalKv(this.keys, r.response_delete_range!.prev_kvs[0]);
      return prevKv ? { type: 'delete', key: op.key, prevKv } : { type: 'delete', key: op.key };
    });
    return { succeeded: res.succeeded, revision, results };
  }

  watch(keyPrefix: string, opts: WatchOptions): StoreWatch {
    validateRangePrefix(this.prefix, keyPrefix);
    validateRevision('afterRevision', opts?.afterRevision);
    if (this.closed) {
      const stream = new WatchStream({ bufferLimit: opts.bufferLimit });
      stream.fail(new StoreClosedError());
      return stream;
    }
    const watch: EtcdWatch = new EtcdWatch(this.watchTransport, {
      keys: this.keys,
      keyPrefix,
      afterRevision: opts.afterRevision,
      bufferLimit: opts.bufferLimit,
      onStop: () => this.watches.delete(watch),
    });
    this.watches.add(watch);
    if (opts.afterRevision === 0) {
      // "From now on": etcd fixes the start when it registers the watch, which is asynchronous.
      // This store's writes wait for that, so a write issued after watch() is always seen.
      const pending = watch.established;
      this.pendingWatches.add(pending);
      void pending.then(() => this.pendingWatches.delete(pending));
    }
    watch.start();
    return watch.stream;
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    const res = await this.read(0, () => this.client.kv.range({ key: this.probeKey, count_only: true }));
    return Number(res.header.revision);
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
        await this.read(revision, () => this.client.kv.range({ key: this.probeKey, revision, count_only: true }), false);
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
      await this.write(() => this.client.kv.compact({ revision }), { revision });
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
    this.client.close();
    for (const c of this.watchClients) c.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  private toRequestOp(op: TxnOp): IRequestOp {
    const key = this.keys.encode(op.key);
    if (op.type === 'put') return { request_put: { key, value: op.value, prev_kv: true } };
    if (op.type === 'delete') return { request_delete_range: { key, prev_kv: true } };
    return { request_range: { key } };
  }

  /** Why a guarded write's comparison failed: the failure branch read the key. */
  private guardFailure(key: string, expected: number, res: ITxnResponse): Error {
    const current = res.responses[0]?.response_range?.kvs[0];
    if (!current) return new NotFoundError(key);
    return new ConflictError(key, expected, Number(current.mod_revision));
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
    for (let attempt = 0; ; attempt++) {
      this.checkOpen();
      try {
        return await call();
      } catch (err) {
        if (this.closed) throw new StoreClosedError();
        const kind = classifyEtcdError(err);
        const message = err instanceof Error ? err.message : String(err);
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

function optionalKv(keys: EtcdKeys, kv: IKeyValue | undefined): KeyValue | undefined {
  return kv ? toKeyValue(keys, kv) : undefined;
}

/** Bytes a transaction puts, for the error when etcd finds the whole request too large. */
function requestBytes(req: TxnRequest): number {
  let n = 0;
  for (const op of [...req.success, ...(req.failure ?? [])]) if (op.type === 'put') n += op.value.byteLength + Buffer.byteLength(op.key);
  return n;
}
