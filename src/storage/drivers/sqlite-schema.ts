// The SQLite file layout of the storage layer.
//
// history: every write ever made (until compaction), one row per key per revision. Its integer
//   primary key encodes (revision, position in the transaction) so rows sort in commit order and
//   "everything after revision R" is a rowid range. A NULL value marks a delete (tombstone).
//   prev_rev is the mod revision of the key's value before this write (0 for a create), so the
//   value a key had before any row is one lookup inside that revision's rows: history needs no
//   index by key, which keeps a write down to three b-tree inserts.
// kv: the live keys, pointing at their newest history row (values are stored once, in history).
// meta: the store revision, the compaction state and the layout version, so they survive restarts.
import type Database from 'better-sqlite3';

/** Rows per revision in the history id: id = revision * REV_SPAN + position. */
export const REV_SPAN = 1 << 20;

export const historyId = (revision: number, position: number): number => revision * REV_SPAN + position;
export const revisionOf = (id: number): number => Math.floor(id / REV_SPAN);
/** The smallest history id of revision `revision`. */
export const firstIdOf = (revision: number): number => revision * REV_SPAN;

/** Bumped when the layout changes; a file with another layout is refused, not misread. */
export const SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS history (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  value BLOB,
  create_rev INTEGER NOT NULL,
  version INTEGER NOT NULL,
  prev_rev INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS kv (
  key TEXT PRIMARY KEY,
  id INTEGER NOT NULL,
  create_rev INTEGER NOT NULL,
  version INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** Settings shared by the driver and its benchmark baseline: WAL, and fsync before a commit returns. */
export function applyPragmas(db: Database.Database): void {
  // One process owns the file (watches are fed in process); exclusive locking enforces that and
  // lets WAL work without shared memory. Must be set before WAL is switched on.
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = WAL');
  // FULL: the WAL is synced at every commit, so an acknowledged write survives a crash or power loss.
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
}

/** Creates the layout in a new file; returns the layout version an existing file has. */
export function createSchema(db: Database.Database): number {
  const fresh = db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'history'").pluck().get() === 0;
  db.exec(SCHEMA);
  const version = db.prepare("SELECT value FROM meta WHERE name = 'schema'").pluck().get() as number | undefined;
  if (fresh) {
    db.prepare("INSERT INTO meta (name, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
    return SCHEMA_VERSION;
  }
  return version ?? 1;
}

export function prepareStatements(db: Database.Database) {
  const kvCols = 'k.key, k.id, h.value, k.create_rev, k.version';
  const histCols = 'key, id, value, create_rev, version, prev_rev';
  return {
    getMeta: db.prepare<[string], number>('SELECT value FROM meta WHERE name = ?').pluck(),
    setMeta: db.prepare<[string, number]>(
      'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
    ),
    getLive: db.prepare<[string], KvRow>(`SELECT ${kvCols} FROM kv k JOIN history h ON h.id = k.id WHERE k.key = ?`).raw(),
    insertLive: db.prepare<[string, number, number, number]>('INSERT INTO kv (key, id, create_rev, version) VALUES (?, ?, ?, ?)'),
    updateLive: db.prepare<[number, number, string]>('UPDATE kv SET id = ?, version = ? WHERE key = ?'),
    deleteLive: db.prepare<[string]>('DELETE FROM kv WHERE key = ?'),
    isLive: db.prepare<[string], number>('SELECT 1 FROM kv WHERE key = ?').pluck(),
    insertHistory: db.prepare<[number, string, Buffer | null, number, number, number]>(
      'INSERT INTO history (id, key, value, create_rev, version, prev_rev) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    /** Live keys from a start key (inclusive) below an end key, in order. */
    rangeFrom: db
      .prepare<[string, string, number], KvRow>(
        `SELECT ${kvCols} FROM kv k JOIN history h ON h.id = k.id WHERE k.key >= ? AND k.key < ? ORDER BY k.key LIMIT ?`,
      )
      .raw(),
    /** Live keys after a key (exclusive) below an end key, in order. */
    rangeAfter: db
      .prepare<[string, string, number], KvRow>(
        `SELECT ${kvCols} FROM kv k JOIN history h ON h.id = k.id WHERE k.key > ? AND k.key < ? ORDER BY k.key LIMIT ?`,
      )
      .raw(),
    countLive: db.prepare<[string, string], number>('SELECT count(*) FROM kv WHERE key >= ? AND key < ?').pluck(),
    /** A key's row written at one revision: ids in [first id of rev, first id of rev + 1). */
    rowAt: db.prepare<[number, number, string], HistRow>(`SELECT ${histCols} FROM history WHERE id >= ? AND id < ? AND key = ?`).raw(),
    /** prev_rev of a key's first row from an id on (scans the rows written since). */
    prevOfFirstFrom: db
      .prepare<[number, string], number>('SELECT prev_rev FROM history WHERE id >= ? AND key = ? ORDER BY id LIMIT 1')
      .pluck(),
    /** Keys in [start, end) written from an id on, in key order, with prev_rev of each key's first such row. */
    touchedFrom: db
      .prepare<[number, string, string], [string, number, number]>(
        'SELECT key, min(id), prev_rev FROM history WHERE id >= ? AND key >= ? AND key < ? GROUP BY key ORDER BY key',
      )
      .raw(),
    /** History rows with ids in [from, to), under a key range, in commit order. */
    eventsFrom: db
      .prepare<[number, number, string, string, number], HistRow>(
        `SELECT ${histCols} FROM history WHERE id >= ? AND id < ? AND key >= ? AND key < ? ORDER BY id LIMIT ?`,
      )
      .raw(),
    eventsBetween: db
      .prepare<[number, number, string, string], HistRow>(
        `SELECT ${histCols} FROM history WHERE id > ? AND id < ? AND key >= ? AND key < ? ORDER BY id`,
      )
      .raw(),
    /** Rows to compact: ids in [from, to). */
    compactable: db
      .prepare<[number, number, number], [number, string, number, number]>(
        'SELECT id, key, value IS NULL, prev_rev FROM history WHERE id >= ? AND id < ? ORDER BY id LIMIT ?',
      )
      .raw(),
    deleteAt: db.prepare<[number, number, string]>('DELETE FROM history WHERE id >= ? AND id < ? AND key = ?'),
    deleteRow: db.prepare<[number]>('DELETE FROM history WHERE id = ?'),
    newestId: db.prepare<[], number | null>('SELECT max(id) FROM history').pluck(),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
/** key, history id, value, create revision, version */
export type KvRow = [string, number, Buffer, number, number];
/** key, history id, value (null: tombstone), create revision, version, previous value's revision (0: none) */
export type HistRow = [string, number, Buffer | null, number, number, number];
