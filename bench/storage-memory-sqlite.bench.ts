// The memory and SQLite drivers beside a same-run raw baseline: plain better-sqlite3 inserts into a
// key/value table with the same pragmas (WAL, synchronous=FULL) and the same group commit (every
// insert that arrives before the event loop turns goes into one transaction).
// Figures: creates/s with 1 and 64 writers in flight, gets/s, a 10,000-key range, and watch
// delivery latency (write issued -> event received, so it includes the commit) with 100 watchers,
// beside the p99 of the same writes' acknowledgement.
// Run: npx tsx bench/storage-memory-sqlite.bench.ts   (or npm run bench -- storage-memory-sqlite)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { MemoryStore } from '../src/storage/drivers/memory.js';
import { openSqliteStore } from '../src/storage/drivers/sqlite.js';
import { applyPragmas } from '../src/storage/drivers/sqlite-schema.js';
import type { Store } from '../src/storage/types.js';
import { throughput } from './bench-util.js';

/** A value the size of a small Kubernetes object (a ConfigMap or a Pod is 0.5-4 KiB as JSON). */
const VALUE = Buffer.alloc(1024, 'x');
const RANGE_KEYS = 10_000;
const WATCHERS = 100;

interface Figures {
  creates1: number;
  creates64: number;
  gets: number;
  rangeMs: number;
  pagedMs: number;
  watchP50?: number;
  watchP99?: number;
  /** p99 of the same paced writes' own acknowledgement: the floor under the watch figure. */
  ackP99?: number;
}

/** The operations the figures are taken from, for a driver or the raw baseline. */
interface Subject {
  create(key: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
  range(prefix: string): Promise<number>;
  /** Lists the prefix in pages of 500 (the stores read every page at the first page's revision). */
  pagedRange(prefix: string): Promise<number>;
  close(): Promise<void>;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const pad = (n: number) => String(n).padStart(6, '0');

async function measure(s: Subject, scale: number): Promise<Figures> {
  const creates1 = await throughput(Math.round(1500 * scale), 1, (i) => s.create(`/registry/one/${pad(i)}`));
  const creates64 = await throughput(Math.round(20_000 * scale), 64, (i) => s.create(`/registry/many/${pad(i)}`));
  const n = Math.round(20_000 * scale);
  const gets = await throughput(20_000, 1, (i) => s.get(`/registry/many/${pad(i % n)}`));
  await throughput(RANGE_KEYS, 64, (i) => s.create(`/registry/range/${pad(i)}`));
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const got = await s.range('/registry/range/');
    times.push(performance.now() - t0);
    if (got !== RANGE_KEYS) throw new Error(`range returned ${got} keys`);
  }
  const paged: number[] = [];
  for (let i = 0; i < 5; i++) {
    // A few writes between lists, so later pages are true past-revision reads.
    await s.create(`/registry/range-extra/${i}`);
    const t0 = performance.now();
    const got = await s.pagedRange('/registry/range/');
    paged.push(performance.now() - t0);
    if (got !== RANGE_KEYS) throw new Error(`paged range returned ${got} keys`);
  }
  return { creates1, creates64, gets, rangeMs: median(times), pagedMs: median(paged) };
}

function storeSubject(store: Store): Subject {
  return {
    create: (key) => store.create(key, VALUE),
    get: (key) => store.get(key),
    range: async (prefix) => (await store.range(prefix)).kvs.length,
    pagedRange: async (prefix) => {
      let page = await store.range(prefix, { limit: 500 });
      let n = page.kvs.length;
      while (page.more) {
        const startAfter = page.kvs[page.kvs.length - 1].key;
        page = await store.range(prefix, { limit: 500, startAfter, revision: page.revision });
        n += page.kvs.length;
      }
      return n;
    },
    close: () => store.close(),
  };
}

/** Plain better-sqlite3 with the driver's pragmas and group commit, and nothing else. */
function rawSubject(path: string): Subject {
  const db = new Database(path);
  applyPragmas(db);
  db.exec('CREATE TABLE kv (key TEXT PRIMARY KEY, value BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO kv (key, value) VALUES (?, ?)');
  const select = db.prepare('SELECT value FROM kv WHERE key = ?').pluck();
  const range = db.prepare('SELECT key, value FROM kv WHERE key >= ? AND key < ? ORDER BY key');
  const page = db.prepare('SELECT key, value FROM kv WHERE key > ? AND key < ? ORDER BY key LIMIT 500');
  const end = (prefix: string) => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  let queue: { key: string; resolve: () => void }[] = [];
  const flush = (batch: { key: string }[]) => {
    db.exec('BEGIN');
    for (const w of batch) insert.run(w.key, VALUE);
    db.exec('COMMIT');
  };
  return {
    create: (key) =>
      new Promise<void>((resolve) => {
        if (queue.push({ key, resolve }) === 1) {
          setImmediate(() => {
            const batch = queue;
            queue = [];
            flush(batch);
            for (const w of batch) w.resolve();
          });
        }
      }),
    get: async (key) => select.get(key),
    range: async (prefix) => range.all(prefix, end(prefix)).length,
    pagedRange: async (prefix) => {
      let n = 0;
      let after = prefix;
      for (;;) {
        const rows = (await Promise.resolve(page.all(after, end(prefix)))) as { key: string }[];
        n += rows.length;
        if (rows.length < 500) return n;
        after = rows[rows.length - 1].key;
      }
    },
    close: async () => void db.close(),
  };
}

/** Watch latency: 100 watchers on one prefix, writes paced 2 ms apart, each event timed at every watcher. */
async function watchLatency(store: Store, writes: number): Promise<{ p50: number; p99: number; ackP99: number }> {
  const issued = new Map<string, number>();
  const latencies: number[] = [];
  const acks: number[] = [];
  const watches = Array.from({ length: WATCHERS }, () => store.watch('/registry/lat/', { afterRevision: 0 }));
  const readers = watches.map(async (w) => {
    for await (const ev of w) {
      const t0 = issued.get(ev.kv.key);
      if (t0 !== undefined) latencies.push(performance.now() - t0);
    }
  });
  for (let i = 0; i < writes; i++) {
    const key = `/registry/lat/${pad(i)}`;
    const t0 = performance.now();
    issued.set(key, t0);
    await store.create(key, VALUE);
    acks.push(performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  // Let the last events reach every reader, then stop.
  while (latencies.length < writes * WATCHERS) await new Promise((resolve) => setImmediate(resolve));
  for (const w of watches) w.close();
  await Promise.all(readers);
  latencies.sort((a, b) => a - b);
  acks.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), ackP99: percentile(acks, 99) };
}

function medianFigures(runs: Figures[]): Figures {
  const pick = (f: (x: Figures) => number | undefined) => {
    const xs = runs.map(f).filter((x): x is number => x !== undefined);
    return xs.length ? median(xs) : undefined;
  };
  return {
    creates1: pick((f) => f.creates1)!,
    creates64: pick((f) => f.creates64)!,
    gets: pick((f) => f.gets)!,
    rangeMs: pick((f) => f.rangeMs)!,
    pagedMs: pick((f) => f.pagedMs)!,
    watchP50: pick((f) => f.watchP50),
    watchP99: pick((f) => f.watchP99),
    ackP99: pick((f) => f.ackP99),
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-bench-storage-'));
  try {
    // The machine is shared, so raw and driver runs alternate and each figure is the median of 3.
    const rawRuns: Figures[] = [];
    const sqliteRuns: Figures[] = [];
    for (let round = 0; round < 3; round++) {
      const raw = rawSubject(join(dir, `raw-${round}.db`));
      rawRuns.push(await measure(raw, 1));
      await raw.close();
      const sqliteStore = await openSqliteStore({ path: join(dir, `store-${round}.db`) });
      const fig = await measure(storeSubject(sqliteStore), 1);
      const lat = await watchLatency(sqliteStore, 100);
      sqliteRuns.push({ ...fig, watchP50: lat.p50, watchP99: lat.p99, ackP99: lat.ackP99 });
      await sqliteStore.close();
    }
    const rawFig = medianFigures(rawRuns);
    const sqliteFig = medianFigures(sqliteRuns);

    const memory = new MemoryStore();
    const memoryFig = await measure(storeSubject(memory), 5);
    const memoryWatch = await watchLatency(memory, 100);
    memoryFig.watchP50 = memoryWatch.p50;
    memoryFig.watchP99 = memoryWatch.p99;
    memoryFig.ackP99 = memoryWatch.ackP99;
    await memory.close();

    const rows: [string, (f: Figures) => number | undefined, string, boolean][] = [
      ['creates/s, 1 writer', (f) => f.creates1, '/s', true],
      ['creates/s, 64 writers in flight', (f) => f.creates64, '/s', true],
      ['gets/s (1 in flight)', (f) => f.gets, '/s', true],
      [`range of ${fmt(RANGE_KEYS)} keys`, (f) => f.rangeMs, 'ms', false],
      [`same, in pages of 500 (snapshot)`, (f) => f.pagedMs, 'ms', false],
      [`watch latency p50, ${WATCHERS} watchers`, (f) => f.watchP50, 'ms', false],
      [`watch latency p99, ${WATCHERS} watchers`, (f) => f.watchP99, 'ms', false],
      ['  (write ack p99, same writes)', (f) => f.ackP99, 'ms', false],
    ];
    console.log(`node ${process.version}, ${VALUE.length}-byte values, SQLite WAL synchronous=FULL; sqlite and raw: median of 3 alternating runs`);
    console.log(
      `${'figure'.padEnd(34)}${'memory'.padStart(12)}${'sqlite'.padStart(12)}${'raw sqlite'.padStart(12)}${'sqlite/raw'.padStart(12)}`,
    );
    for (const [name, pick, unit, higher] of rows) {
      const m = pick(memoryFig);
      const s = pick(sqliteFig);
      const r = pick(rawFig);
      const digits = unit === 'ms' ? 2 : 0;
      const cell = (v: number | undefined) => (v === undefined ? '-' : `${fmt(v, digits)}${unit === 'ms' ? ' ms' : ''}`).padStart(12);
      const ratio = s !== undefined && r !== undefined ? `${fmt(((higher ? s / r : r / s) * 100))}%` : '-';
      console.log(`${name.padEnd(34)}${cell(m)}${cell(s)}${cell(r)}${ratio.padStart(12)}`);
    }
    const checks: [string, boolean][] = [
      ['sqlite >= 5,000 creates/s with 64 writers', sqliteFig.creates64 >= 5000],
      ['sqlite >= 50% of raw with 64 writers', sqliteFig.creates64 >= 0.5 * rawFig.creates64],
      ['watch p99 <= 10 ms at 100 watchers (sqlite, memory)', sqliteFig.watchP99! <= 10 && memoryFig.watchP99! <= 10],
      ['10,000-key range <= 50 ms (sqlite, memory)', sqliteFig.rangeMs <= 50 && memoryFig.rangeMs <= 50],
    ];
    for (const [name, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'} ${name}`);
    if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
