// What the drivers whose writes all happen in this process (memory, SQLite) share: the Store
// entry points that validate their input, check read revisions and hand writes to the one set of
// write rules (write-ops.ts). A driver supplies how a write step is committed, how events are
// read back for watches (watch-hub.ts), reads, compaction and close.
import { CompactedError, FutureRevisionError, StoreClosedError } from './errors.js';
import type { KeyValue, StoreWatch, TxnRequest, TxnResult, WatchEvent, WatchOptions } from './types.js';
import { validateRangePrefix, validateRevision } from './validate.js';
import { WatchHub } from './watch-hub.js';
import { createStep, deleteStep, txnStep, updateStep, type WriteStep } from './write-ops.js';

export abstract class InProcessStore {
  // A fresh etcd reports revision 1 before the first write; the first write gets revision 2.
  protected revision = 1;
  protected compacted = 0;
  protected closed = false;
  protected readonly hub: WatchHub;

  constructor(readonly prefix: string) {
    if (!prefix) throw new TypeError('store prefix must not be empty');
    this.hub = new WatchHub({
      currentRevision: () => this.revision,
      compactedRevision: () => this.compacted,
      readEvents: (p, after, limit) => this.readEvents(p, after, limit),
    });
  }

  /** Runs `apply` in one atomic step with the next revision; commits and publishes what it wrote. */
  protected abstract commit<T>(apply: (step: WriteStep) => T): T | Promise<T>;

  /** See EventHistory.readEvents (watch-hub.ts). */
  protected abstract readEvents(prefix: string, after: number, limit: number): { events: WatchEvent[]; through: number };

  async create(key: string, value: Buffer): Promise<KeyValue> {
    this.checkOpen();
    return this.commit(createStep(this.prefix, key, value));
  }

  async update(key: string, value: Buffer, expectedModRevision: number): Promise<KeyValue> {
    this.checkOpen();
    return this.commit(updateStep(this.prefix, key, value, expectedModRevision));
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ prevKv: KeyValue; revision: number }> {
    this.checkOpen();
    return this.commit(deleteStep(this.prefix, key, expectedModRevision));
  }

  async txn(req: TxnRequest): Promise<TxnResult> {
    this.checkOpen();
    return this.commit(txnStep(this.prefix, req, (step) => step.revision - 1));
  }

  watch(keyPrefix: string, opts: WatchOptions): StoreWatch {
    validateRangePrefix(this.prefix, keyPrefix);
    validateRevision('afterRevision', opts?.afterRevision);
    return this.hub.watch(keyPrefix, opts);
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.revision;
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen();
    return this.compacted;
  }

  protected checkOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  /** Validates a compaction target: not beyond the current revision. */
  protected checkCompaction(revision: number): void {
    this.checkOpen();
    validateRevision('revision', revision);
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
  }

  /** Validates a read revision (0 = current) against the compacted and current revisions. */
  protected readRevision(revision: number | undefined): number {
    if (revision === undefined || revision === 0) return this.revision;
    validateRevision('revision', revision);
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    if (revision < this.compacted) throw new CompactedError(revision, this.compacted);
    return revision;
  }
}
