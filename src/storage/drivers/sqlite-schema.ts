// The SQLite file layout of the storage layer.
//
// history: every write ever made (until compaction), one row per key per revision. Its integer
//   primary key encodes (revision, position in the transaction) so rows sort in commit order and
//   "everything after revision R" is a rowid range. A NULL value marks a delete (tombstone).
// kv: the live keys, pointing at their newest history row (values are stored once, in history).
// meta: the store revision and the compaction state, so they survive restarts.
import type Database from 'better-sqlite3';

/** Rows per revision in the history id: id = revision * REV_SPAN + position. */
export const REV_SPAN = 1 << 20;

export const historyId = (revision: number, position: number): number => revision * REV_SPAN + position;
export const revisionOf = (id: number): number => Math.floor(id / REV_SPAN);
/** The smallest history id of revision `revision`. */
export const firstIdOf = (revision: number): number => revision * REV_SPAN;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS history (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  value BLOB,
  create_rev INTEGER NOT NULL,
  version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS history_by_key ON history (key, id);
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

export function createSchema(db: Database.Database): void {
  db.exec(SCHEMA);
}

export function prepareStatements(db: Database.Database) {
  const kvCols = 'k.key, k.id, h.value, k.create_rev, k.version';
  return {
    getMeta: db.prepare<[string], number>('SELECT value FROM meta WHERE name = ?').pluck(),
    setMeta: db.prepare<[string, number]>(
      'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
    ),
    getLive: db.prepare<[string], KvRow>(`SELECT ${kvCols} FROM kv k JOIN history h ON h.id = k.id WHERE k.key = ?`).raw(),
    insertLive: db.prepare<[string, number, number, number]>('INSERT INTO kv (key, id, create_rev, version) VALUES (?, ?, ?, ?)'),
    updateLive: db.prepare<[number, number, string]>('UPDATE kv SET id = ?, version = ? WHERE key = ?'),
    deleteLive: db.prepare<[string]>('DELETE FROM kv WHERE key = ?'),
    insertHistory: db.prepare<[number, string, Buffer | null, number, number]>(
      'INSERT INTO history (id, key, value, create_rev, version) VALUES (?, ?, ?, ?, ?)',
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
    /** A key's newest history row before an id bound (NULL value: deleted). */
    historyBefore: db
      .prepare<[string, number], HistRow>(
        'SELECT key, id, value, create_rev, version FROM history WHERE key = ? AND id < ? ORDER BY id DESC LIMIT 1',
      )
      .raw(),
    /** Keys in [start, end) written at or after an id, in key order. */
    touchedSince: db
      .prepare<[number, string, string], string>('SELECT DISTINCT key FROM history WHERE id >= ? AND +key >= ? AND +key < ? ORDER BY key')
      .pluck(),
    isLive: db.prepare<[string], number>('SELECT 1 FROM kv WHERE key = ?').pluck(),
    /** History rows from an id on, under a key range, in commit order (scanned by id, not by key). */
    eventsFrom: db
      .prepare<[number, string, string, number], HistRow>(
        'SELECT key, id, value, create_rev, version FROM history WHERE id >= ? AND +key >= ? AND +key < ? ORDER BY id LIMIT ?',
      )
      .raw(),
    eventsBetween: db
      .prepare<[number, number, string, string], HistRow>(
        'SELECT key, id, value, create_rev, version FROM history WHERE id > ? AND id < ? AND +key >= ? AND +key < ? ORDER BY id',
      )
      .raw(),
    /** Rows to compact: ids in [from, to). */
    compactable: db
      .prepare<[number, number, number], [number, string, number]>(
        'SELECT id, key, value IS NULL FROM history WHERE id >= ? AND id < ? ORDER BY id LIMIT ?',
      )
      .raw(),
    deleteOlder: db.prepare<[string, number]>('DELETE FROM history WHERE key = ? AND id < ?'),
    deleteRow: db.prepare<[number]>('DELETE FROM history WHERE id = ?'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
/** key, history id, value, create revision, version */
export type KvRow = [string, number, Buffer, number, number];
/** key, history id, value (null: tombstone), create revision, version */
export type HistRow = [string, number, Buffer | null, number, number];
