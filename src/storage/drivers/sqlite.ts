// The SQLite driver: etcd semantics in one SQLite file (WAL), owned by this process.
// Writes are group-committed: every write that arrives before the event loop turns is applied,
// each with its own revision, in one SQLite transaction; all are acknowledged after the commit
// (synchronous=FULL, so an acknowledged write is on disk). Watches are fed from committed writes.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StorageError, StoreClosedError, StoreUnavailableError } from '../errors.js';
import { InProcessStore } from '../in-process-store.js';
import type { GetOptions, KeyValue, RangeOptions, RangeResult, Store, WatchEvent } from '../types.js';
import { prefixEnd, validateKey, validateRangeOptions } from '../validate.js';
import { WriteStep, type WriteView } from '../write-ops.js';
import {
  applyPragmas,
  createSchema,
  firstIdOf,
  historyId,
  prepareStatements,
  revisionOf,
  SCHEMA_VERSION,
  type HistRow,
  type KvRow,
  type Statements,
} from './sqlite-schema.js';

export interface SqliteStoreOptions {
  /** The database file; its directory is created if missing. */
  path: string;
  /** Every key must start with this; default '/registry/'. */
  prefix?: string;
}

/** History rows examined per compaction transaction, and the time one may take: writes wait at most that long. */
const COMPACT_BATCH = 500;
const COMPACT_BUDGET_MS = 5;
const COUNT_CACHE_SIZE = 256;
/** Revisions one watch catch-up read scans at most. */
const READ_WINDOW = 20_000;
/** Most writes committed in one SQLite transaction. */
const MAX_GROUP = 1000;
const EMPTY = Buffer.alloc(0);

interface PendingWrite {
  apply: (step: WriteStep) => unknown;
  resolve: (value: any) => void;
  reject: (error: unknown) => void;
}

export async function openSqliteStore(opts: SqliteStoreOptions): Promise<SqliteStore> {
  return SqliteStore.open(opts);
}

export class SqliteStore extends InProcessStore implements Store {
  readonly driver = 'sqlite';
  private readonly db: Database.Database;
  private readonly st: Statements;
  /** History ids below this have been physically compacted. */
  private compactCursor: number;
  private queue: PendingWrite[] = [];
  private flushScheduled = false;
  private compacting: Promise<void> | undefined;
  private readonly view: WriteView;
  /** Counts of live keys by "revision NUL prefix": paging a big list counts it once, not per page. */
  private readonly counts = new Map<string, number>();
  /** Position of the next history row within the revision being written. */
  private position = 0;
  private positionRevision = 0;

  static async open(opts: SqliteStoreOptions): Promise<SqliteStore> {
    let db: Database.Database | undefined;
    try {
      mkdirSync(dirname(opts.path), { recursive: true });
      db = new Database(opts.path);
      applyPragmas(db);
      const layout = createSchema(db);
      if (layout !== SCHEMA_VERSION) {
        throw new TypeError(`${opts.path} has storage layout ${layout}; this Kumo reads layout ${SCHEMA_VERSION}`);
      }
      return new SqliteStore(db, opts.prefix ?? '/registry/');
    } catch (e) {
      db?.close();
      if (e instanceof TypeError) throw new StoreUnavailableError(e.message);
      // Typically SQLITE_BUSY: another process (or store) owns the file.
      throw new StoreUnavailableError(`cannot open SQLite store ${opts.path}: ${(e as Error).message}`);
    }
  }

  private constructor(db: Database.Database, prefix: string) {
    super(prefix);
    this.db = db;
    this.st = prepareStatements(db);
    this.compacted = this.st.getMeta.get('compacted') ?? 0;
    // Writes do not touch meta (one page less per commit): the revision is the newest history row's,
    // or the one recorded at the last compaction if that compaction removed the newest rows.
    const newestRow = this.st.newestId.get();
    this.revision = Math.max(this.st.getMeta.get('revision') ?? 1, newestRow ? revisionOf(newestRow) : 0, this.compacted);
    this.compactCursor = this.st.getMeta.get('compact_cursor') ?? 0;
    this.view = {
      get: (key) => this.live(key),
      put: (kv, prev) => {
        const id = historyId(kv.modRevision, this.nextPosition(kv.modRevision));
        this.st.insertHistory.run(id, kv.key, kv.value, kv.createRevision, kv.version, prev ? prev.modRevision : 0);
        if (prev) this.st.updateLive.run(id, kv.version, kv.key);
        else this.st.insertLive.run(kv.key, id, kv.createRevision, kv.version);
      },
      remove: (key, rev, prev) => {
        this.st.insertHistory.run(historyId(rev, this.nextPosition(rev)), key, null, 0, 0, prev.modRevision);
        this.st.deleteLive.run(key);
      },
    };
    // A compaction interrupted by a crash or close resumes in the background.
    if (firstIdOf(this.compacted + 1) > this.compactCursor) this.startCompacting().catch(() => undefined);
  }

  async get(key: string, opts?: GetOptions): Promise<KeyValue | undefined> {
    this.checkOpen();
    validateKey(this.prefix, key);
    const rev = this.readRevision(opts?.revision);
    if (rev === this.revision) return this.live(key);
    // The key's first write after `rev` knows what came before it; no write since: it is unchanged.
    const prevRev = this.st.prevOfFirstFrom.get(firstIdOf(rev + 1), key);
    return prevRev === undefined ? this.live(key) : this.valueWrittenAt(key, prevRev);
  }

  async range(keyPrefix: string, opts?: RangeOptions): Promise<RangeResult> {
    this.checkOpen();
    const o = validateRangeOptions(this.prefix, keyPrefix, opts);
    const rev = this.readRevision(o.revision);
    const end = prefixEnd(keyPrefix);
    if (rev !== this.revision) return this.rangeHistory(keyPrefix, end, rev, o.limit, o.startAfter, o.countOnly);
    if (o.countOnly) return { kvs: [], more: false, count: this.liveCount(keyPrefix, end), revision: rev };
    const sqlLimit = o.limit > 0 ? o.limit + 1 : -1;
    const rows =
      o.startAfter === undefined
        ? this.st.rangeFrom.all(keyPrefix, end, sqlLimit)
        : this.st.rangeAfter.all(o.startAfter, end, sqlLimit);
    const more = o.limit > 0 && rows.length > o.limit;
    if (more) rows.length = o.limit;
    // A whole range needs no separate count; rows and count come from the same synchronous read.
    const count = o.startAfter === undefined && !more ? rows.length : this.liveCount(keyPrefix, end);
    return { kvs: rows.map(fromLive), more, count, revision: rev };
  }

  async compact(revision: number): Promise<void> {
    this.checkCompaction(revision);
    if (revision > this.compacted) {
      // Reads below the new compacted revision fail from now on; rows go in small batches.
      this.db.transaction(() => {
        this.st.setMeta.run('compacted', revision);
        this.st.setMeta.run('revision', this.revision);
      })();
      this.compacted = revision;
    }
    await this.startCompacting();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    while (this.queue.length > 0) this.flush(); // writes already accepted are committed, not dropped
    this.closed = true;
    this.hub.closeAll(new StoreClosedError());
    await this.compacting?.catch(() => undefined);
    this.db.close();
  }

  /** Live keys under a prefix, remembered per revision (a count at a revision never changes). */
  private liveCount(prefix: string, end: string): number {
    const cacheKey = `${this.revision}\0${prefix}`;
    let count = this.counts.get(cacheKey);
    if (count === undefined) {
      count = this.st.countLive.get(prefix, end) ?? 0;
      this.rememberCount(cacheKey, count);
    }
    return count;
  }

  private rememberCount(cacheKey: string, count: number): void {
    if (this.counts.size >= COUNT_CACHE_SIZE) this.counts.delete(this.counts.keys().next().value!);
    this.counts.set(cacheKey, count);
  }

  /** The value `key` was given at revision `rev` (0: none). */
  private valueWrittenAt(key: string, rev: number): KeyValue | undefined {
    if (rev === 0) return undefined;
    const row = this.st.rowAt.get(firstIdOf(rev), firstIdOf(rev + 1), key);
    return row ? fromHistory(row) : undefined;
  }

  private live(key: string): KeyValue | undefined {
    const row = this.st.getLive.get(key);
    return row ? fromLive(row) : undefined;
  }

  private nextPosition(revision: number): number {
    if (this.positionRevision !== revision) {
      this.positionRevision = revision;
      this.position = 0;
    }
    return this.position++;
  }

  /**
   * A range as of a past revision, in time proportional to the page plus the writes since then
   * (kube-apiserver reads every continuation page at the first page's revision): the live rows
   * are the answer except for keys written after `rev`, whose value at `rev` comes from history.
   */
  private rangeHistory(
    prefix: string,
    end: string,
    rev: number,
    limit: number,
    startAfter: string | undefined,
    countOnly: boolean,
  ): RangeResult {
    const bound = firstIdOf(rev + 1);
    const touched = this.st.touchedFrom.all(bound, prefix, end);
    const then = new Map<string, KeyValue | undefined>();
    const cacheKey = `${rev}\0${prefix}`;
    const cached = this.counts.get(cacheKey);
    let count = cached ?? this.liveCount(prefix, end);
    for (const [key, , prevRev] of touched) {
      const kv = this.valueWrittenAt(key, prevRev);
      then.set(key, kv);
      if (cached === undefined) count += (kv ? 1 : 0) - (this.st.isLive.get(key) === undefined ? 0 : 1);
    }
    if (cached === undefined) this.rememberCount(cacheKey, count);
    if (countOnly) return { kvs: [], more: false, count, revision: rev };

    // At most touched.length live rows are replaced, so this many live rows hold the page.
    const want = limit > 0 ? limit + 1 + touched.length : -1;
    const live =
      startAfter === undefined ? this.st.rangeFrom.all(prefix, end, want) : this.st.rangeAfter.all(startAfter, end, want);
    const keys = touched.map((t) => t[0]);
    const changed = startAfter === undefined ? keys : keys.filter((k) => k > startAfter);
    const kvs: KeyValue[] = [];
    let more = false;
    let i = 0;
    let j = 0;
    while (i < live.length || j < changed.length) {
      let kv: KeyValue | undefined;
      if (j >= changed.length || (i < live.length && live[i][0] < changed[j])) {
        kv = fromLive(live[i++]);
      } else {
        if (i < live.length && live[i][0] === changed[j]) i++;
        kv = then.get(changed[j++]);
      }
      if (!kv) continue;
      if (limit > 0 && kvs.length === limit) {
        more = true;
        break;
      }
      kvs.push(kv);
    }
    return { kvs, more, count, revision: rev };
  }

  protected commit<T>(apply: (step: WriteStep) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ apply, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate runs after every microtask, so writers woken by the last commit join this group.
    setImmediate(() => this.flush());
  }

  /** Commits every queued write in one SQLite transaction, then acknowledges and publishes them. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0 || this.closed) return;
    // A group is capped so one commit never holds the event loop for long; the rest follow next turn.
    const batch = this.queue.length <= MAX_GROUP ? this.queue : this.queue.splice(0, MAX_GROUP);
    if (batch === this.queue) this.queue = [];
    else this.scheduleFlush();
    const outcomes: { ok: boolean; value: unknown }[] = [];
    const events: WatchEvent[] = [];
    let rev = this.revision;
    try {
      this.db.exec('BEGIN');
      try {
        for (const w of batch) {
          const step = new WriteStep(this.view, rev + 1);
          try {
            const value = w.apply(step);
            if (step.wrote) {
              rev = step.revision;
              for (const ev of step.events) events.push(ev);
            }
            outcomes.push({ ok: true, value });
          } catch (e) {
            // Typed errors (conflict, exists, not found) are raised before the op writes anything.
            if (!(e instanceof StorageError)) throw e;
            outcomes.push({ ok: false, value: e });
          }
        }
        this.db.exec('COMMIT');
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    } catch (e) {
      const error = new StoreUnavailableError(`SQLite commit failed, nothing in it was written: ${(e as Error).message}`);
      for (const w of batch) w.reject(error);
      return;
    }
    this.revision = rev;
    this.hub.publish(events);
    for (let i = 0; i < batch.length; i++) {
      const o = outcomes[i];
      if (o.ok) batch[i].resolve(o.value);
      else batch[i].reject(o.value);
    }
  }

  protected readEvents(prefix: string, after: number, limit: number): { events: WatchEvent[]; through: number } {
    const end = prefixEnd(prefix);
    // Scan at most a window of revisions per read so a narrow prefix over a long history stays cheap.
    const windowEnd = Math.min(after + READ_WINDOW, this.revision);
    const rows = this.st.eventsFrom.all(firstIdOf(after + 1), firstIdOf(windowEnd + 1), prefix, end, limit);
    let through = windowEnd;
    if (rows.length === limit) {
      // Finish the last revision so a transaction is never split across pages.
      const last = rows[rows.length - 1];
      through = revisionOf(last[1]);
      for (const row of this.st.eventsBetween.all(last[1], firstIdOf(through + 1), prefix, end)) rows.push(row);
    }
    return { events: rows.map((row) => this.eventOf(row)), through };
  }

  private eventOf(row: HistRow): WatchEvent {
    const prevKv = this.valueWrittenAt(row[0], row[5]);
    const kv: KeyValue =
      row[2] === null
        ? { key: row[0], value: EMPTY, createRevision: 0, modRevision: revisionOf(row[1]), version: 0 }
        : fromHistory(row)!;
    const type = row[2] === null ? 'delete' : 'put';
    return prevKv ? { type, kv, prevKv } : { type, kv };
  }

  private startCompacting(): Promise<void> {
    this.compacting ??= this.compactRows().finally(() => (this.compacting = undefined));
    return this.compacting;
  }

  /**
   * Deletes history rows at or below the compacted revision that no read can reach any more:
   * every row superseded by a newer row of its key at or below it, and tombstones. Works in
   * small transactions and yields between them so writes keep flowing.
   */
  private async compactRows(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const limitId = firstIdOf(this.compacted + 1);
      if (this.compactCursor >= limitId) return;
      const rows = this.st.compactable.all(this.compactCursor, limitId, COMPACT_BATCH);
      let next = rows.length < COMPACT_BATCH ? limitId : rows[rows.length - 1][0] + 1;
      const started = performance.now();
      this.db.transaction(() => {
        for (const [id, key, dead, prevRev] of rows) {
          // Stop early when the budget is spent; the next transaction carries on from here.
          if (performance.now() - started > COMPACT_BUDGET_MS) {
            next = id;
            break;
          }
          // The value this row replaced (at or below the compacted revision too) is unreachable now.
          if (prevRev > 0) this.st.deleteAt.run(firstIdOf(prevRev), firstIdOf(prevRev + 1), key);
          if (dead) this.st.deleteRow.run(id);
        }
        this.st.setMeta.run('compact_cursor', next);
      })();
      this.compactCursor = next;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

function fromLive(row: KvRow): KeyValue {
  return { key: row[0], value: row[2], createRevision: row[3], modRevision: revisionOf(row[1]), version: row[4] };
}

function fromHistory(row: HistRow): KeyValue | undefined {
  if (row[2] === null) return undefined;
  return { key: row[0], value: row[2], createRevision: row[3], modRevision: revisionOf(row[1]), version: row[4] };
}
