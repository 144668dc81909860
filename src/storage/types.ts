// The storage contract every driver (memory, SQLite, etcd) implements.
// Modelled on etcd v3 as kube-apiserver uses it: one global revision bumped by every
// committed write, create/mod revisions per key, guarded writes, history reads, watch.

/** One stored key at one revision. */
export interface KeyValue {
  key: string;
  value: Buffer;
  /** Revision of the write that created this key (since its last delete). */
  createRevision: number;
  /** Revision of the last write to this key. */
  modRevision: number;
  /** Number of writes to the key since it was created; 1 after create (etcd's `version`). */
  version: number;
}

export interface GetOptions {
  /** Read as of this revision; 0 or absent means the current revision. */
  revision?: number;
}

export interface RangeOptions {
  /** Read as of this revision; 0 or absent means the current revision. */
  revision?: number;
  /** At most this many keys (0 or absent: no limit). */
  limit?: number;
  /** Start after this key (exclusive), for continuation; must lie under the range prefix. */
  startAfter?: string;
  /** Only count the keys; `kvs` comes back empty. */
  countOnly?: boolean;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** True when keys beyond `limit` exist. */
  more: boolean;
  /** Number of keys in the whole range at that revision (ignoring limit and startAfter). */
  count: number;
  /** The revision the read was served at. */
  revision: number;
}

/** A condition of a transaction: the key's mod revision compared to a value (0 = key absent). */
export interface Compare {
  key: string;
  target: 'modRevision' | 'createRevision' | 'version';
  op: '=' | '!=' | '<' | '>';
  value: number;
}

export type TxnOp =
  | { type: 'put'; key: string; value: Buffer }
  | { type: 'delete'; key: string }
  | { type: 'get'; key: string };

export interface TxnRequest {
  compare: Compare[];
  success: TxnOp[];
  failure?: TxnOp[];
}

export interface TxnOpResult {
  type: TxnOp['type'];
  key: string;
  /** put: the new kv; get: the kv or undefined; delete: undefined. */
  kv?: KeyValue;
  /** put and delete: the value before the op, if the key existed. */
  prevKv?: KeyValue;
}

export interface TxnResult {
  succeeded: boolean;
  /** The store revision after the transaction (unchanged if nothing was written). */
  revision: number;
  results: TxnOpResult[];
}

export interface WatchEvent {
  type: 'put' | 'delete';
  /** For put: the new kv. For delete: key with empty value, modRevision = the delete's revision. */
  kv: KeyValue;
  /** The value before this event, if the key existed. */
  prevKv?: KeyValue;
}

export interface WatchOptions {
  /** Deliver every event with revision > afterRevision. 0 means "from now on". */
  afterRevision: number;
  /**
   * Events buffered for a consumer that has not taken them; past this the watch ends
   * with WatchOverflowError instead of silently dropping events. Default 10,000.
   */
  bufferLimit?: number;
}

/**
 * A running watch. Iterate to receive events in revision order; iteration ends with a typed
 * error (CompactedError, WatchOverflowError, StoreClosedError) or normally after close().
 */
export interface StoreWatch extends AsyncIterable<WatchEvent> {
  close(): void;
}

export interface CompactionPolicy {
  /** Keep history written within this many milliseconds (kube-apiserver compacts every 5 minutes). */
  retainMs: number;
  /** How often the policy runs. */
  intervalMs: number;
}

export interface Store {
  /** Driver name: 'memory' | 'sqlite' | 'etcd'. */
  readonly driver: string;
  /** Every key must start with this prefix (e.g. '/registry/'). */
  readonly prefix: string;

  get(key: string, opts?: GetOptions): Promise<KeyValue | undefined>;
  /** Keys that start with `keyPrefix` (which itself must start with the store prefix), in key order. */
  range(keyPrefix: string, opts?: RangeOptions): Promise<RangeResult>;
  /** Fails with KeyExistsError if the key exists. */
  create(key: string, value: Buffer): Promise<KeyValue>;
  /** Fails with ConflictError if the key's mod revision differs, NotFoundError if it is absent. */
  update(key: string, value: Buffer, expectedModRevision: number): Promise<KeyValue>;
  /**
   * Deletes the key and returns its last value. With expectedModRevision, fails with ConflictError
   * if it differs; NotFoundError if the key is absent. Returns the deletion revision too.
   */
  delete(key: string, expectedModRevision?: number): Promise<{ prevKv: KeyValue; revision: number }>;
  txn(req: TxnRequest): Promise<TxnResult>;
  watch(keyPrefix: string, opts: WatchOptions): StoreWatch;

  /** The newest committed revision. */
  currentRevision(): Promise<number>;
  /** The oldest revision still readable; reads and watches before it fail with CompactedError. */
  compactedRevision(): Promise<number>;
  /** Drop history up to and including `revision` (kept: the newest value of each live key). */
  compact(revision: number): Promise<void>;

  close(): Promise<void>;
}

/** Largest value a store accepts: etcd's default --max-request-bytes is 1.5 MiB. */
export const MAX_VALUE_BYTES = 1.5 * 1024 * 1024;
