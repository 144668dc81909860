import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { runStoreContract } from './contract.js';
import { openSqliteStore } from '../../src/storage/drivers/sqlite.js';
import { CompactedError, StoreUnavailableError } from '../../src/storage/errors.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-sqlite-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

runStoreContract('sqlite', () => openSqliteStore({ path: join(tempDir(), 'store.db') }));

describe('sqlite driver', () => {
  test('reopening the file keeps every key, its history and the revision; new writes continue after it', async () => {
    const path = join(tempDir(), 'reopen.db');
    const s1 = await openSqliteStore({ path });
    const a = await s1.create('/registry/a', Buffer.from('a1'));
    const a2 = await s1.update('/registry/a', Buffer.from('a2'), a.modRevision);
    const g = await s1.create('/registry/gone', Buffer.from('g'));
    const d = await s1.delete('/registry/gone');
    await s1.compact(a2.modRevision);
    const rev1 = await s1.currentRevision();
    await s1.close();

    const s2 = await openSqliteStore({ path });
    try {
      assert.equal(await s2.currentRevision(), rev1);
      assert.equal(await s2.compactedRevision(), a2.modRevision);
      assert.deepEqual(await s2.get('/registry/a'), a2);
      assert.deepEqual(await s2.get('/registry/gone', { revision: g.modRevision }), g);
      assert.equal(await s2.get('/registry/gone'), undefined);
      assert.equal((await s2.range('/registry/')).count, 1);
      const next = await s2.create('/registry/b', Buffer.from('b'));
      assert.equal(next.modRevision, d.revision + 1);
      assert.equal(next.modRevision, rev1 + 1);
      // A watch from before the restart replays the history kept in the file.
      const w = s2.watch('/registry/', { afterRevision: a2.modRevision });
      const it = w[Symbol.asyncIterator]();
      const evs = [(await it.next()).value, (await it.next()).value, (await it.next()).value];
      w.close();
      assert.deepEqual(evs.map((e) => [e.type, e.kv.key, e.kv.modRevision]), [
        ['put', '/registry/gone', g.modRevision],
        ['delete', '/registry/gone', d.revision],
        ['put', '/registry/b', next.modRevision],
      ]);
      assert.deepEqual(evs[1].prevKv, g);
    } finally {
      await s2.close();
    }
  });

  test('the revision survives a reopen even when compaction removed the newest history rows', async () => {
    const path = join(tempDir(), 'compacted.db');
    const s1 = await openSqliteStore({ path });
    await s1.create('/registry/a', Buffer.from('a'));
    const d = await s1.delete('/registry/a');
    await s1.compact(d.revision);
    await s1.close();
    const s2 = await openSqliteStore({ path });
    try {
      assert.equal(await s2.currentRevision(), d.revision);
      assert.equal(await s2.compactedRevision(), d.revision);
      assert.equal((await s2.create('/registry/b', Buffer.from('b'))).modRevision, d.revision + 1);
    } finally {
      await s2.close();
    }
  });

  test('close() commits every write accepted before it, across several groups', async () => {
    const path = join(tempDir(), 'close.db');
    const s1 = await openSqliteStore({ path });
    const writes = Array.from({ length: 2500 }, (_, i) => s1.create(`/registry/c/${i}`, Buffer.from(String(i))));
    await s1.close();
    const kvs = await Promise.all(writes);
    assert.deepEqual(
      kvs.map((kv) => kv.modRevision),
      Array.from({ length: 2500 }, (_, i) => i + 2),
    );
    const s2 = await openSqliteStore({ path });
    try {
      assert.equal((await s2.range('/registry/c/', { countOnly: true })).count, 2500);
      assert.equal(await s2.currentRevision(), 2501);
    } finally {
      await s2.close();
    }
  });

  test('a file has one owner: opening it a second time fails with StoreUnavailableError', async () => {
    const path = join(tempDir(), 'owned.db');
    const owner = await openSqliteStore({ path });
    try {
      await owner.create('/registry/a', Buffer.from('a'));
      await assert.rejects(openSqliteStore({ path }), (e) => e instanceof StoreUnavailableError);
      assert.equal((await owner.get('/registry/a'))?.value.toString(), 'a');
    } finally {
      await owner.close();
    }
    const next = await openSqliteStore({ path });
    assert.equal((await next.get('/registry/a'))?.value.toString(), 'a');
    await next.close();
  });

  for (const mode of ['writes', 'writes and compactions'] as const) {
    test(`every acknowledged write survives kill -9 with its revision (${mode})`, (t) => crashTest(t, mode === 'writes and compactions'));
  }
});

async function crashTest(t: TestContext, compact: boolean): Promise<void> {
  const path = join(tempDir(), 'crash.db');
  // Run the child the way this file runs: .ts under tsx (execArgv carries the loader), .js compiled.
  const here = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, join(here, '..', `crash-writer${extname(here)}`), path, ...(compact ? ['compact'] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const acked = new Map<string, number>();
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!; // an unfinished line is not an acknowledgement we can rely on
      for (const line of lines) {
        const [key, rev] = line.split(' ');
        if (key !== 'start') acked.set(key, Number(rev));
      }
      if (acked.size >= 2000 && child.signalCode === null) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => reject(new Error(`writer exited before it was killed: ${stderr}`)));
  }).catch((e) => {
    if (child.signalCode !== 'SIGKILL') throw e;
  });
  assert.equal(await exited, 'SIGKILL');

  const store = await openSqliteStore({ path });
  try {
    const maxAcked = Math.max(...acked.values());
    assert.ok(acked.size >= 2000);
    for (const [key, rev] of acked) {
      const kv = await store.get(key);
      assert.ok(kv, `acknowledged write ${key} is missing after the crash`);
      assert.equal(kv.modRevision, rev, `${key} has the acknowledged revision`);
      assert.equal(kv.value.toString(), `value of ${key}`);
    }
    const current = await store.currentRevision();
    assert.ok(current >= maxAcked);
    const all = await store.range('/registry/crash/');
    assert.equal(all.count, current - 1, 'every committed revision is one create (the store started at revision 1)');
    const compacted = await store.compactedRevision();
    if (compact) {
      assert.ok(compacted > 0, 'the writer compacted before it was killed');
      await assert.rejects(store.get('/registry/x', { revision: compacted - 1 }), (e) => e instanceof CompactedError);
      // History above the compacted revision is intact: replay it.
      const w = store.watch('/registry/crash/', { afterRevision: compacted });
      const it = w[Symbol.asyncIterator]();
      for (let r = compacted + 1; r <= current; r++) assert.equal((await it.next()).value?.kv.modRevision, r);
      w.close();
    }
    await store.compact(current); // finishes any compaction the crash interrupted
    assert.equal((await store.range('/registry/crash/')).count, current - 1);
    const next = await store.create('/registry/after-crash', Buffer.from('x'));
    assert.equal(next.modRevision, current + 1);
  } finally {
    await store.close();
  }
}
