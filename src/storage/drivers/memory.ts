// The memory driver: etcd semantics held in process memory, for tests and `--storage memory`.
// Every key keeps its history as a list of (revision, value-or-tombstone); compaction prunes it.
import { StoreClosedError } from '../errors.js';
import type { GetOptions, KeyValue, RangeOptions, RangeResult, Store, WatchEvent } from '../types.js';
import { prefixEnd, validateKey, validateRangeOptions } from '../validate.js';
import { WriteStep, type WriteView } from '../write-ops.js';
import { SortedKeySet } from './memory-key-index.js';
import { InProcessStore } from '../in-process-store.js';

interface Rec {
  rev: number;
  /** null: the key was deleted at `rev`. */
  kv: KeyValue | null;
}

/** Compaction prunes this many events, then lets other work run. */
const PRUNE_CHUNK = 2000;

export class MemoryStore extends InProcessStore implements Store {
  readonly driver = 'memory';
  /** The newest value of every live key, and the live keys in order. */
  private readonly live = new Map<string, KeyValue>();
  private readonly liveKeys = new SortedKeySet();
  /** Every key with retained history, live or deleted, oldest first. */
  private readonly recs = new Map<string, Rec[]>();
  /** Events newer than the pruned point, oldest first, for watches that start in the past. */
  private log: WatchEvent[] = [];
  private logHead = 0;
  private pruning: Promise<void> | undefined;
  private readonly view: WriteView;

  constructor(opts: { prefix?: string } = {}) {
    super(opts.prefix ?? '/registry/');
    this.view = {
      get: (key) => this.live.get(key),
      put: (kv, prev) => {
        this.append(kv.key, { rev: kv.modRevision, kv });
        this.live.set(kv.key, kv);
        if (!prev) this.liveKeys.add(kv.key);
      },
      remove: (key, rev) => {
        this.append(key, { rev, kv: null });
        this.live.delete(key);
        this.liveKeys.delete(key);
      },
    };
  }

  async get(key: string, opts?: GetOptions): Promise<KeyValue | undefined> {
    this.checkOpen();
    validateKey(this.prefix, key);
    const rev = this.readRevision(opts?.revision);
    if (rev === this.revision) return this.live.get(key);
    const recs = this.recs.get(key);
    return recs ? valueAt(recs, rev) : undefined;
  }

  /**
   * Live keys answer a read at the current revision. A read at a past revision (every continuation
   * page in kube-apiserver) takes the live keys too, except the keys written since, whose value then
   * comes from their history: the cost is the page plus the writes since, not the whole prefix.
   */
  async range(keyPrefix: string, opts?: RangeOptions): Promise<RangeResult> {
    this.checkOpen();
    const o = validateRangeOptions(this.prefix, keyPrefix, opts);
    const rev = this.readRevision(o.revision);
    const end = prefixEnd(keyPrefix);
    let count = this.liveKeys.rank(end) - this.liveKeys.rank(keyPrefix);
    let changed: string[] = [];
    const then = new Map<string, KeyValue | undefined>();
    if (rev !== this.revision) {
      for (const key of this.keysWrittenAfter(keyPrefix, rev)) {
        const kv = valueAt(this.recs.get(key)!, rev);
        then.set(key, kv);
        count += (kv ? 1 : 0) - (this.live.has(key) ? 1 : 0);
      }
      changed = [...then.keys()].sort();
      if (o.startAfter !== undefined) changed = changed.filter((k) => k > o.startAfter!);
    }
    if (o.countOnly) return { kvs: [], more: false, count, revision: rev };

    const kvs: KeyValue[] = [];
    let more = false;
    const liveIt = this.liveKeys.from(o.startAfter ?? keyPrefix, o.startAfter !== undefined);
    let nextLive = liveIt.next();
    let j = 0;
    for (;;) {
      const liveKey = !nextLive.done && nextLive.value < end ? nextLive.value : undefined;
      if (liveKey === undefined && j >= changed.length) break;
      let kv: KeyValue | undefined;
      if (j >= changed.length || (liveKey !== undefined && liveKey < changed[j])) {
        kv = this.live.get(liveKey!);
        nextLive = liveIt.next();
      } else {
        if (liveKey === changed[j]) nextLive = liveIt.next();
        kv = then.get(changed[j++]);
      }
      if (!kv) continue;
      if (o.limit > 0 && kvs.length === o.limit) {
        more = true;
        break;
      }
      kvs.push(kv);
    }
    return { kvs, more, count, revision: rev };
  }

  /** Keys under `prefix` written after revision `rev`, from the event log. */
  private keysWrittenAfter(prefix: string, rev: number): Set<string> {
    const keys = new Set<string>();
    const log = this.log;
    for (let i = this.firstEventAfter(rev); i < log.length; i++) {
      const key = log[i].kv.key;
      if (key.startsWith(prefix)) keys.add(key);
    }
    return keys;
  }

  private firstEventAfter(rev: number): number {
    const log = this.log;
    let lo = this.logHead;
    let hi = log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (log[mid].kv.modRevision <= rev) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  async compact(revision: number): Promise<void> {
    this.checkCompaction(revision);
    if (revision > this.compacted) this.compacted = revision;
    // Reads below the compacted revision fail from here on; the memory is freed in chunks.
    this.pruning ??= this.prune().finally(() => (this.pruning = undefined));
    await this.pruning;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll(new StoreClosedError());
  }

  protected commit<T>(apply: (step: WriteStep) => T): T {
    const step = new WriteStep(this.view, this.revision + 1);
    const result = apply(step);
    if (step.wrote) {
      this.revision = step.revision;
      for (const ev of step.events) this.log.push(ev);
      this.hub.publish(step.events);
    }
    return result;
  }

  private newest(key: string): KeyValue | undefined {
    const recs = this.recs.get(key);
    return recs ? (recs[recs.length - 1].kv ?? undefined) : undefined;
  }

  private append(key: string, rec: Rec): void {
    const recs = this.recs.get(key);
    if (recs) recs.push(rec);
    else this.recs.set(key, [rec]);
  }

  protected readEvents(prefix: string, after: number, limit: number): { events: WatchEvent[]; through: number } {
    const log = this.log;
    const lo = this.firstEventAfter(after);
    const events: WatchEvent[] = [];
    const scanLimit = limit * 20;
    for (let i = lo; i < log.length; i++) {
      const ev = log[i];
      const rev = ev.kv.modRevision;
      // Stop only between revisions so a transaction is never split across pages.
      if ((events.length >= limit || i - lo >= scanLimit) && rev !== log[i - 1].kv.modRevision) {
        return { events, through: log[i - 1].kv.modRevision };
      }
      if (ev.kv.key.startsWith(prefix)) events.push(ev);
    }
    return { events, through: this.revision };
  }

  /** Drops history at or below the compacted revision, keeping each live key's newest value. */
  private async prune(): Promise<void> {
    while (this.logHead < this.log.length && this.log[this.logHead].kv.modRevision <= this.compacted) {
      const target = this.compacted;
      const touched = new Set<string>();
      const end = Math.min(this.log.length, this.logHead + PRUNE_CHUNK);
      let i = this.logHead;
      for (; i < end && this.log[i].kv.modRevision <= target; i++) touched.add(this.log[i].kv.key);
      this.logHead = i;
      for (const key of touched) {
        const recs = this.recs.get(key);
        if (!recs) continue;
        let j = recs.length - 1;
        while (j > 0 && recs[j].rev > target) j--;
        if (recs[j].rev > target) continue;
        const drop = recs[j].kv === null ? j + 1 : j;
        if (drop > 0) recs.splice(0, drop);
        if (recs.length === 0) this.recs.delete(key);
      }
      if (this.logHead > 4096 && this.logHead * 2 > this.log.length) {
        this.log = this.log.slice(this.logHead);
        this.logHead = 0;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/** The value of a key as of `rev`, from its history (oldest first). */
function valueAt(recs: Rec[], rev: number): KeyValue | undefined {
  for (let i = recs.length - 1; i >= 0; i--) {
    if (recs[i].rev <= rev) return recs[i].kv ?? undefined;
  }
  return undefined;
}
