// The one contract every storage driver passes (memory, SQLite, etcd): etcd v3 semantics as
// kube-apiserver relies on them. Call runStoreContract(name, open) from a driver's test file;
// `open` must return a fresh, empty store (its own prefix or its own file) each time.
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  InvalidKeyError,
  KeyExistsError,
  NotFoundError,
  StorageError,
  StoreClosedError,
  ValueTooLargeError,
  WatchOverflowError,
} from '../../src/storage/errors.js';
import { startCompactionPolicy } from '../../src/storage/compaction.js';
import { FakeClock } from '../../src/util/clock.js';
import { MAX_VALUE_BYTES, type KeyValue, type Store, type StoreWatch, type WatchEvent } from '../../src/storage/types.js';

const b = (s: string): Buffer => Buffer.from(s);
const str = (kv: KeyValue | undefined): string | undefined => kv?.value.toString();

/** Takes exactly `n` events, failing (instead of hanging) if they do not come within 10 s. */
async function take(w: StoreWatch, n: number): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  if (n === 0) return out;
  const it = w[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`watch delivered ${out.length} of ${n} events within 10 s`)), 10_000);
  });
  try {
    while (out.length < n) {
      const r = await Promise.race([it.next(), timeout]);
      if (r.done) throw new Error(`watch ended after ${out.length} of ${n} events`);
      out.push(r.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return out;
}

/** Iterates until the watch ends; returns the events and the error it ended with (if any). */
async function drain(w: StoreWatch): Promise<{ events: WatchEvent[]; error: unknown }> {
  const events: WatchEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`watch did not end within 10 s (${events.length} events)`)), 10_000);
  });
  const run = async () => {
    try {
      for await (const ev of w) events.push(ev);
      return { events, error: undefined };
    } catch (error) {
      return { events, error };
    }
  };
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function isCode<T extends StorageError>(cls: new (...args: any[]) => T, check?: (e: T) => void) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    check?.(e as T);
    return true;
  };
}

export function runStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    async function fresh(t: TestContext): Promise<{ s: Store; k: (p: string) => string }> {
      const s = await open();
      t.after(() => s.close());
      return { s, k: (p: string) => `${s.prefix}contract/${p}` };
    }

    test('create sets create/mod revision and version 1 and bumps the revision once', async (t) => {
      const { s, k } = await fresh(t);
      const before = await s.currentRevision();
      assert.ok((await s.compactedRevision()) <= before);
      const kv = await s.create(k('a'), b('one'));
      assert.equal(kv.key, k('a'));
      assert.equal(str(kv), 'one');
      assert.equal(kv.createRevision, before + 1);
      assert.equal(kv.modRevision, before + 1);
      assert.equal(kv.version, 1);
      assert.equal(await s.currentRevision(), before + 1);
      assert.deepEqual(await s.get(k('a')), kv);
      assert.equal(await s.get(k('missing')), undefined);
    });

    test('create of an existing key fails with KeyExistsError and changes nothing', async (t) => {
      const { s, k } = await fresh(t);
      const kv = await s.create(k('a'), b('one'));
      await assert.rejects(s.create(k('a'), b('two')), isCode(KeyExistsError, (e) => assert.equal(e.key, k('a'))));
      assert.equal(await s.currentRevision(), kv.modRevision);
      assert.equal(str(await s.get(k('a'))), 'one');
    });

    test('update is guarded by the mod revision and counts versions', async (t) => {
      const { s, k } = await fresh(t);
      const c = await s.create(k('a'), b('1'));
      const u1 = await s.update(k('a'), b('2'), c.modRevision);
      assert.equal(u1.createRevision, c.createRevision);
      assert.equal(u1.modRevision, c.modRevision + 1);
      assert.equal(u1.version, 2);
      const u2 = await s.update(k('a'), b('3'), u1.modRevision);
      assert.equal(u2.version, 3);
      await assert.rejects(
        s.update(k('a'), b('stale'), c.modRevision),
        isCode(ConflictError, (e) => {
          assert.equal(e.key, k('a'));
          assert.equal(e.expectedModRevision, c.modRevision);
          assert.equal(e.actualModRevision, u2.modRevision);
        }),
      );
      await assert.rejects(s.update(k('nope'), b('x'), 1), isCode(NotFoundError));
      assert.equal(await s.currentRevision(), u2.modRevision);
      assert.deepEqual(await s.get(k('a')), u2);
    });

    test('delete returns the last value and revision; guards; recreate starts a new life', async (t) => {
      const { s, k } = await fresh(t);
      const c = await s.create(k('a'), b('1'));
      const u = await s.update(k('a'), b('2'), c.modRevision);
      await assert.rejects(s.delete(k('a'), c.modRevision), isCode(ConflictError, (e) => assert.equal(e.actualModRevision, u.modRevision)));
      await assert.rejects(s.delete(k('missing')), isCode(NotFoundError));
      await assert.rejects(s.delete(k('missing'), 5), isCode(NotFoundError));
      assert.equal(await s.currentRevision(), u.modRevision);
      const d = await s.delete(k('a'), u.modRevision);
      assert.deepEqual(d.prevKv, u);
      assert.equal(d.revision, u.modRevision + 1);
      assert.equal(await s.currentRevision(), d.revision);
      assert.equal(await s.get(k('a')), undefined);
      await assert.rejects(s.update(k('a'), b('x'), u.modRevision), isCode(NotFoundError));
      const again = await s.create(k('a'), b('new'));
      assert.equal(again.createRevision, d.revision + 1);
      assert.equal(again.version, 1);
      const un = await s.create(k('b'), b('b'));
      const d2 = await s.delete(k('b'));
      assert.deepEqual(d2.prevKv, un);
    });

    test('get reads past revisions; future revisions fail', async (t) => {
      const { s, k } = await fresh(t);
      const before = await s.currentRevision();
      const c = await s.create(k('a'), b('1'));
      const u = await s.update(k('a'), b('2'), c.modRevision);
      const d = await s.delete(k('a'));
      assert.equal(await s.get(k('a'), { revision: before }), undefined);
      assert.deepEqual(await s.get(k('a'), { revision: c.modRevision }), c);
      assert.deepEqual(await s.get(k('a'), { revision: u.modRevision }), u);
      assert.equal(await s.get(k('a'), { revision: d.revision }), undefined);
      assert.equal(await s.get(k('a'), { revision: 0 }), undefined);
      await assert.rejects(
        s.get(k('a'), { revision: d.revision + 1 }),
        isCode(FutureRevisionError, (e) => {
          assert.equal(e.requestedRevision, d.revision + 1);
          assert.equal(e.currentRevision, d.revision);
        }),
      );
    });

    test('history across delete and re-create: past reads and replay see each life of a key', async (t) => {
      const { s, k } = await fresh(t);
      const before = await s.currentRevision();
      const first = await s.create(k('life/a'), b('first'));
      const first2 = await s.update(k('life/a'), b('first-2'), first.modRevision);
      const gone = await s.delete(k('life/a'));
      await s.create(k('life/other'), b('o'));
      const second = await s.create(k('life/a'), b('second'));
      assert.equal(second.version, 1);
      assert.equal(second.createRevision, second.modRevision);
      assert.deepEqual(await s.get(k('life/a'), { revision: first.modRevision }), first);
      assert.deepEqual(await s.get(k('life/a'), { revision: first2.modRevision }), first2);
      assert.equal(await s.get(k('life/a'), { revision: gone.revision }), undefined);
      assert.equal(await s.get(k('life/a'), { revision: second.modRevision - 1 }), undefined);
      assert.deepEqual(await s.get(k('life/a'), { revision: second.modRevision }), second);
      assert.deepEqual((await s.range(k('life/'), { revision: first2.modRevision })).kvs, [first2]);
      assert.equal((await s.range(k('life/'), { revision: gone.revision })).count, 0);
      const w = s.watch(k('life/a'), { afterRevision: before });
      t.after(() => w.close());
      const evs = await take(w, 4);
      assert.deepEqual(evs.map((e) => [e.type, e.kv.modRevision, e.prevKv?.modRevision]), [
        ['put', first.modRevision, undefined],
        ['put', first2.modRevision, first.modRevision],
        ['delete', gone.revision, first2.modRevision],
        ['put', second.modRevision, undefined],
      ]);
    });

    test('range lists a prefix in key order with count, limit, more and continuation', async (t) => {
      const { s, k } = await fresh(t);
      const names = ['pods/ns1/c', 'pods/ns1/a', 'pods/ns2/a', 'pods/ns1/b', 'podsx/z', 'services/ns1/a'];
      for (const n of names) await s.create(k(n), b(n));
      const all = await s.range(k('pods/'));
      assert.deepEqual(
        all.kvs.map((kv) => kv.key),
        ['pods/ns1/a', 'pods/ns1/b', 'pods/ns1/c', 'pods/ns2/a'].map(k),
      );
      assert.equal(all.count, 4);
      assert.equal(all.more, false);
      assert.equal(all.revision, await s.currentRevision());
      assert.equal(str(all.kvs[0]), 'pods/ns1/a');

      const page1 = await s.range(k('pods/'), { limit: 3 });
      assert.deepEqual(page1.kvs.map((kv) => kv.key), ['pods/ns1/a', 'pods/ns1/b', 'pods/ns1/c'].map(k));
      assert.equal(page1.more, true);
      assert.equal(page1.count, 4);
      const page2 = await s.range(k('pods/'), { limit: 3, startAfter: page1.kvs[2].key, revision: page1.revision });
      assert.deepEqual(page2.kvs.map((kv) => kv.key), [k('pods/ns2/a')]);
      assert.equal(page2.more, false);
      assert.equal(page2.count, 4);

      const exact = await s.range(k('pods/'), { limit: 4 });
      assert.equal(exact.kvs.length, 4);
      assert.equal(exact.more, false);

      const counted = await s.range(k('pods/'), { countOnly: true });
      assert.deepEqual(counted.kvs, []);
      assert.equal(counted.count, 4);

      const ns1 = await s.range(k('pods/ns1/'));
      assert.equal(ns1.count, 3);
      assert.equal((await s.range(k('nothing/'))).count, 0);
      const everything = await s.range(s.prefix);
      assert.ok(everything.count >= names.length);
    });

    test('range pages through many keys with a consistent snapshot revision', async (t) => {
      const { s, k } = await fresh(t);
      await Promise.all(Array.from({ length: 250 }, (_, i) => s.create(k(`many/${String(i).padStart(4, '0')}`), b(String(i)))));
      const first = await s.range(k('many/'), { limit: 100 });
      // A write after the first page must not show up in pages read at the first page's revision.
      await s.create(k('many/0000a'), b('late'));
      await s.create(k('many/0150a'), b('late'));
      await s.delete(k('many/0249'));
      await s.delete(k('many/0120'));
      await s.delete(k('many/0130'));
      await s.create(k('many/0130'), b('recreated'));
      const u = await s.get(k('many/0140'));
      await s.update(k('many/0140'), b('changed'), u!.modRevision);
      const seen = first.kvs.map((kv) => kv.key);
      let last = first;
      while (last.more) {
        last = await s.range(k('many/'), { limit: 100, startAfter: seen[seen.length - 1], revision: first.revision });
        assert.equal(last.revision, first.revision);
        assert.equal(last.count, 250);
        seen.push(...last.kvs.map((kv) => kv.key));
      }
      assert.deepEqual(seen, Array.from({ length: 250 }, (_, i) => k(`many/${String(i).padStart(4, '0')}`)));
      const old = await s.range(k('many/'), { revision: first.revision, startAfter: k('many/0119'), limit: 30 });
      assert.deepEqual(old.kvs.map(str), Array.from({ length: 30 }, (_, i) => String(120 + i)));
      assert.equal(old.more, true);
      assert.equal((await s.range(k('many/'), { revision: first.revision, countOnly: true })).count, 250);
      const now = await s.range(k('many/'), { countOnly: true });
      assert.equal(now.count, 250);
      const nowList = await s.range(k('many/'), { startAfter: k('many/0119'), limit: 3 });
      assert.deepEqual(nowList.kvs.map((kv) => kv.key), [k('many/0121'), k('many/0122'), k('many/0123')]);
    });

    test('range reads past revisions', async (t) => {
      const { s, k } = await fresh(t);
      const a = await s.create(k('r/a'), b('a1'));
      const bb = await s.create(k('r/b'), b('b1'));
      await s.update(k('r/a'), b('a2'), a.modRevision);
      await s.delete(k('r/b'));
      await s.create(k('r/c'), b('c1'));
      const then = await s.range(k('r/'), { revision: bb.modRevision });
      assert.deepEqual(then.kvs, [a, bb]);
      assert.equal(then.count, 2);
      assert.equal(then.revision, bb.modRevision);
      const now = await s.range(k('r/'));
      assert.deepEqual(now.kvs.map(str), ['a2', 'c1']);
      const cur = await s.currentRevision();
      await assert.rejects(s.range(k('r/'), { revision: cur + 5 }), isCode(FutureRevisionError));
    });

    test('txn: compares choose the branch; all writes share one new revision', async (t) => {
      const { s, k } = await fresh(t);
      const a = await s.create(k('t/a'), b('a1'));
      const rev0 = await s.currentRevision();
      const ok = await s.txn({
        compare: [
          { key: k('t/a'), target: 'modRevision', op: '=', value: a.modRevision },
          { key: k('t/new'), target: 'createRevision', op: '=', value: 0 },
          { key: k('t/a'), target: 'version', op: '<', value: 2 },
          { key: k('t/a'), target: 'version', op: '>', value: 0 },
          { key: k('t/a'), target: 'createRevision', op: '!=', value: 0 },
        ],
        success: [
          { type: 'put', key: k('t/a'), value: b('a2') },
          { type: 'put', key: k('t/new'), value: b('n1') },
          { type: 'get', key: k('t/a') },
          { type: 'delete', key: k('t/absent') },
        ],
        failure: [{ type: 'put', key: k('t/failed'), value: b('x') }],
      });
      assert.equal(ok.succeeded, true);
      assert.equal(ok.revision, rev0 + 1);
      assert.equal(await s.currentRevision(), rev0 + 1);
      assert.equal(ok.results.length, 4);
      assert.equal(ok.results[0].type, 'put');
      assert.equal(ok.results[0].kv?.modRevision, rev0 + 1);
      assert.equal(ok.results[0].kv?.version, 2);
      assert.deepEqual(ok.results[0].prevKv, a);
      assert.equal(ok.results[1].kv?.createRevision, rev0 + 1);
      assert.equal(ok.results[1].prevKv, undefined);
      assert.equal(str(ok.results[2].kv), 'a2');
      assert.equal(ok.results[3].type, 'delete');
      assert.equal(ok.results[3].prevKv, undefined);
      assert.equal(await s.get(k('t/failed')), undefined);

      const failed = await s.txn({
        compare: [{ key: k('t/a'), target: 'modRevision', op: '=', value: a.modRevision }],
        success: [{ type: 'put', key: k('t/a'), value: b('nope') }],
        failure: [{ type: 'get', key: k('t/a') }, { type: 'get', key: k('t/none') }],
      });
      assert.equal(failed.succeeded, false);
      assert.equal(failed.revision, rev0 + 1, 'a txn that writes nothing keeps the revision');
      assert.equal(str(failed.results[0].kv), 'a2');
      assert.equal(failed.results[1].kv, undefined);
      assert.equal(await s.currentRevision(), rev0 + 1);

      const del = await s.txn({
        compare: [{ key: k('t/a'), target: 'version', op: '=', value: 2 }],
        success: [{ type: 'delete', key: k('t/a') }, { type: 'delete', key: k('t/new') }],
      });
      assert.equal(del.succeeded, true);
      assert.equal(del.revision, rev0 + 2);
      assert.equal(str(del.results[0].prevKv), 'a2');
      assert.equal(str(del.results[1].prevKv), 'n1');
      assert.equal(await s.get(k('t/a')), undefined);

      const none = await s.txn({ compare: [], success: [{ type: 'delete', key: k('t/a') }] });
      assert.equal(none.succeeded, true);
      assert.equal(none.revision, rev0 + 2);
      assert.equal(await s.currentRevision(), rev0 + 2);
    });

    test('watch delivers puts and deletes in order with prevKv; a txn shares one revision', async (t) => {
      const { s, k } = await fresh(t);
      const w = s.watch(k('w/'), { afterRevision: 0 });
      t.after(() => w.close());
      const c = await s.create(k('w/a'), b('1'));
      await s.create(k('other/x'), b('not watched'));
      const u = await s.update(k('w/a'), b('2'), c.modRevision);
      const tx = await s.txn({
        compare: [],
        success: [
          { type: 'put', key: k('w/b'), value: b('b') },
          { type: 'delete', key: k('w/a') },
        ],
      });
      const evs = await take(w, 4);
      assert.deepEqual(evs.map((e) => [e.type, e.kv.key, e.kv.modRevision]), [
        ['put', k('w/a'), c.modRevision],
        ['put', k('w/a'), u.modRevision],
        ['put', k('w/b'), tx.revision],
        ['delete', k('w/a'), tx.revision],
      ]);
      assert.equal(evs[0].prevKv, undefined);
      assert.deepEqual(evs[0].kv, c);
      assert.deepEqual(evs[1].prevKv, c);
      assert.deepEqual(evs[1].kv, u);
      assert.deepEqual(evs[3].prevKv, u);
      assert.equal(evs[3].kv.value.length, 0);
    });

    test('watch from a past revision replays history, then continues live', async (t) => {
      const { s, k } = await fresh(t);
      const c = await s.create(k('h/a'), b('1'));
      const u = await s.update(k('h/a'), b('2'), c.modRevision);
      await s.delete(k('h/a'));
      const w = s.watch(k('h/'), { afterRevision: c.modRevision });
      t.after(() => w.close());
      const live = await s.create(k('h/b'), b('b'));
      const evs = await take(w, 3);
      assert.deepEqual(evs.map((e) => [e.type, e.kv.modRevision]), [
        ['put', u.modRevision],
        ['delete', u.modRevision + 1],
        ['put', live.modRevision],
      ]);
      assert.deepEqual(evs[0].prevKv, c);
      assert.deepEqual(evs[1].prevKv, u);
    });

    test('watch from "now" (afterRevision 0) skips earlier writes', async (t) => {
      const { s, k } = await fresh(t);
      await s.create(k('n/old'), b('old'));
      const w = s.watch(k('n/'), { afterRevision: 0 });
      t.after(() => w.close());
      const fresh1 = await s.create(k('n/new'), b('new'));
      const [ev] = await take(w, 1);
      assert.equal(ev.kv.key, k('n/new'));
      assert.equal(ev.kv.modRevision, fresh1.modRevision);
    });

    test('a watch replaying more history than its buffer limit still delivers it all to a reading consumer', async (t) => {
      const { s, k } = await fresh(t);
      const start = await s.currentRevision();
      for (let i = 0; i < 100; i++) await s.create(k(`big/${i}`), b(String(i)));
      const w = s.watch(k('big/'), { afterRevision: start, bufferLimit: 20 });
      t.after(() => w.close());
      const evs = await take(w, 100);
      assert.deepEqual(evs.map((e) => e.kv.modRevision), Array.from({ length: 100 }, (_, i) => start + 1 + i));
    });

    test('watch close() ends iteration normally; store close ends watches with StoreClosedError', async (t) => {
      const s = await open();
      t.after(() => s.close());
      const k = (p: string) => `${s.prefix}contract/${p}`;
      const w1 = s.watch(k('c/'), { afterRevision: 0 });
      const done1 = drain(w1);
      await s.create(k('c/a'), b('a'));
      w1.close();
      const r1 = await done1;
      assert.equal(r1.error, undefined);
      assert.ok(r1.events.length <= 1);

      const w2 = s.watch(k('c/'), { afterRevision: 0 });
      const done2 = drain(w2);
      await s.close();
      const r2 = await done2;
      assert.ok(r2.error instanceof StoreClosedError, `expected StoreClosedError, got ${String(r2.error)}`);
      await assert.rejects(s.get(k('c/a')), isCode(StoreClosedError));
      await assert.rejects(s.create(k('c/b'), b('b')), isCode(StoreClosedError));
    });

    test('a consumer that falls more than bufferLimit behind gets WatchOverflowError, never a gap', async (t) => {
      const { s, k } = await fresh(t);
      const start = await s.currentRevision();
      const w = s.watch(k('o/'), { afterRevision: 0, bufferLimit: 10 });
      t.after(() => w.close());
      for (let i = 0; i < 30; i++) await s.create(k(`o/${i}`), b(String(i)));
      const r = await drain(w);
      assert.ok(r.error instanceof WatchOverflowError, `expected WatchOverflowError, got ${String(r.error)}`);
      assert.equal((r.error as WatchOverflowError).bufferLimit, 10);
      assert.ok(r.events.length <= 11);
      r.events.forEach((e, i) => assert.equal(e.kv.modRevision, start + 1 + i, 'events delivered before the error are contiguous'));
    });

    test('compaction drops old history but keeps the newest value of every live key', async (t) => {
      const { s, k } = await fresh(t);
      const a = await s.create(k('k/a'), b('a1'));
      const a2 = await s.update(k('k/a'), b('a2'), a.modRevision);
      const g = await s.create(k('k/gone'), b('g'));
      await s.delete(k('k/gone'));
      const keep = await s.create(k('k/keep'), b('keep'));
      const a3 = await s.update(k('k/a'), b('a3'), a2.modRevision);
      const at = a3.modRevision - 1; // keep's revision: a2 is a's newest value there
      await s.compact(at);
      assert.equal(await s.compactedRevision(), at);
      await assert.rejects(
        s.get(k('k/a'), { revision: a2.modRevision }),
        isCode(CompactedError, (e) => {
          assert.equal(e.requestedRevision, a2.modRevision);
          assert.equal(e.compactedRevision, at);
        }),
      );
      await assert.rejects(s.range(k('k/'), { revision: g.modRevision }), isCode(CompactedError));
      // The compacted revision itself stays readable (etcd: revisions < compact revision are gone).
      assert.deepEqual(await s.get(k('k/a'), { revision: at }), a2);
      const snap = await s.range(k('k/'), { revision: at });
      assert.deepEqual(snap.kvs, [a2, keep]);
      assert.deepEqual(await s.get(k('k/a')), a3);
      assert.deepEqual((await s.range(k('k/'))).kvs, [a3, keep]);
      assert.equal(await s.get(k('k/gone'), { revision: at }), undefined);

      await s.compact(at - 1); // older than the compacted revision: nothing to do
      assert.equal(await s.compactedRevision(), at);
      const cur = await s.currentRevision();
      await assert.rejects(s.compact(cur + 1), isCode(FutureRevisionError));
      await s.compact(cur);
      assert.equal(await s.compactedRevision(), cur);
      assert.deepEqual(await s.get(k('k/a')), a3);
      assert.deepEqual(await s.get(k('k/keep')), keep);
      assert.equal(await s.get(k('k/gone')), undefined);
      const a4 = await s.update(k('k/a'), b('a4'), a3.modRevision);
      assert.equal(a4.version, 4);
      assert.equal(a4.createRevision, a.createRevision);
    });

    test('the compaction policy keeps exactly the history written within retainMs (fake clock)', async (t) => {
      const { s, k } = await fresh(t);
      const clock = new FakeClock();
      let kv = await s.create(k('ac/a'), b('0'));
      const before = await s.compactedRevision();
      const policy = startCompactionPolicy(s, { retainMs: 60_000, intervalMs: 10_000 }, clock);
      t.after(() => policy.stop());
      await policy.idle();
      const revs = [kv.modRevision]; // revs[i] is written at i*10 s
      for (let i = 1; i <= 12; i++) {
        clock.advance(10_000);
        await policy.idle();
        if (i < 6) assert.equal(await s.compactedRevision(), before, `nothing is old enough at ${i * 10} s`);
        kv = await s.update(k('ac/a'), b(String(i)), kv.modRevision);
        revs.push(kv.modRevision);
      }
      // At 120 s the newest sample at least 60 s old is the one taken at 60 s, before revs[6] was written.
      assert.equal(await s.compactedRevision(), revs[5]);
      assert.equal(str(await s.get(k('ac/a'), { revision: revs[5] })), '5');
      await assert.rejects(s.get(k('ac/a'), { revision: revs[4] }), isCode(CompactedError));
      for (let i = 6; i <= 12; i++) assert.equal(str(await s.get(k('ac/a'), { revision: revs[i] })), String(i));
      policy.stop();
      clock.advance(600_000);
      await policy.idle();
      assert.equal(await s.compactedRevision(), revs[5], 'a stopped policy compacts nothing more');
    });

    test('a watch that needs compacted events fails with CompactedError; one from the compacted revision works', async (t) => {
      const { s, k } = await fresh(t);
      const a = await s.create(k('wc/a'), b('1'));
      const a2 = await s.update(k('wc/a'), b('2'), a.modRevision);
      const a3 = await s.update(k('wc/a'), b('3'), a2.modRevision);
      await s.compact(a2.modRevision);
      const old = s.watch(k('wc/'), { afterRevision: a.modRevision - 1 });
      const r = await drain(old);
      assert.ok(r.error instanceof CompactedError, `expected CompactedError, got ${String(r.error)}`);
      assert.equal(r.events.length, 0);
      const ok = s.watch(k('wc/'), { afterRevision: a2.modRevision });
      t.after(() => ok.close());
      const [ev] = await take(ok, 1);
      assert.deepEqual(ev.kv, a3);
      assert.deepEqual(ev.prevKv, a2);
    });

    test('bad input gets a typed error and changes nothing', async (t) => {
      const { s, k } = await fresh(t);
      const a = await s.create(k('v/a'), b('a'));
      const rev = await s.currentRevision();
      const big = Buffer.alloc(MAX_VALUE_BYTES + 1);
      const bad = '/elsewhere/x';
      await assert.rejects(s.create(bad, b('x')), isCode(InvalidKeyError));
      await assert.rejects(s.create('', b('x')), isCode(InvalidKeyError));
      await assert.rejects(s.get(bad), isCode(InvalidKeyError));
      await assert.rejects(s.update(bad, b('x'), 1), isCode(InvalidKeyError));
      await assert.rejects(s.delete(bad), isCode(InvalidKeyError));
      await assert.rejects(s.range(''), isCode(InvalidKeyError));
      await assert.rejects(s.range('/elsewhere/'), isCode(InvalidKeyError));
      await assert.rejects(s.range(k('v/'), { startAfter: k('w/') }), isCode(InvalidKeyError));
      assert.throws(() => s.watch('/elsewhere/', { afterRevision: 0 }), isCode(InvalidKeyError));
      assert.throws(() => s.watch('', { afterRevision: 0 }), isCode(InvalidKeyError));
      await assert.rejects(s.create(k('v/big'), big), isCode(ValueTooLargeError, (e) => assert.equal(e.limit, MAX_VALUE_BYTES)));
      await assert.rejects(s.update(k('v/a'), big, a.modRevision), isCode(ValueTooLargeError));
      await assert.rejects(
        s.txn({ compare: [], success: [{ type: 'put', key: k('v/ok'), value: b('ok') }, { type: 'put', key: bad, value: b('x') }] }),
        isCode(InvalidKeyError),
      );
      await assert.rejects(
        s.txn({ compare: [], success: [{ type: 'put', key: k('v/ok'), value: b('ok') }, { type: 'put', key: k('v/big'), value: big }] }),
        isCode(ValueTooLargeError),
      );
      await assert.rejects(
        s.txn({ compare: [{ key: bad, target: 'version', op: '=', value: 0 }], success: [{ type: 'put', key: k('v/ok'), value: b('ok') }] }),
        isCode(InvalidKeyError),
      );
      const maxOk = await s.create(k('v/max'), Buffer.alloc(MAX_VALUE_BYTES, 7));
      assert.equal(maxOk.value.length, MAX_VALUE_BYTES);
      assert.equal(await s.currentRevision(), rev + 1);
      const list = await s.range(k('v/'));
      assert.deepEqual(list.kvs.map((kv) => kv.key), [k('v/a'), k('v/max')]);
      assert.deepEqual(await s.get(k('v/a')), a);
    });

    test('stored values do not change when the caller reuses its buffer', async (t) => {
      const { s, k } = await fresh(t);
      const buf = b('original');
      await s.create(k('m/a'), buf);
      buf.fill(0);
      assert.equal(str(await s.get(k('m/a'))), 'original');
    });

    test('many concurrent writers get distinct, monotonic revisions', async (t) => {
      const { s, k } = await fresh(t);
      const start = await s.currentRevision();
      const writers = 32;
      const perWriter = 10;
      const seen: number[][] = await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const revs: number[] = [];
          let kv = await s.create(k(`cw/${w}`), b('0'));
          revs.push(kv.modRevision);
          for (let i = 1; i < perWriter; i++) {
            kv = await s.update(k(`cw/${w}`), b(String(i)), kv.modRevision);
            revs.push(kv.modRevision);
          }
          return revs;
        }),
      );
      for (const revs of seen) for (let i = 1; i < revs.length; i++) assert.ok(revs[i] > revs[i - 1]);
      const all = seen.flat();
      assert.equal(new Set(all).size, writers * perWriter, 'no two writes share a revision');
      const end = await s.currentRevision();
      assert.ok(all.every((r) => r > start && r <= end));
      // Racing guarded updates of one key: exactly one wins per expected revision.
      const base = await s.create(k('cw/race'), b('base'));
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => s.update(k('cw/race'), b(String(i)), base.modRevision)),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof ConflictError);
      assert.equal((await s.get(k('cw/race')))?.version, 2);
    });
  });
}

/** Compacting a large history must leave writes flowing: no write issued meanwhile waits 100 ms. */
export async function assertCompactionDoesNotBlockWrites(store: Store, revisions: number): Promise<void> {
  const keys = 5000;
  const prefix = `${store.prefix}compaction-latency/`;
  const key = (i: number) => `${prefix}${String(i).padStart(5, '0')}`;
  const kvs = await Promise.all(Array.from({ length: keys }, (_, i) => store.create(key(i), Buffer.from('v0'))));
  for (let round = 1; round < revisions / keys; round++) {
    const next = await Promise.all(kvs.map((kv) => store.update(kv.key, Buffer.from(`v${round}`), kv.modRevision)));
    kvs.splice(0, kvs.length, ...next);
  }
  const target = await store.currentRevision();
  assert.ok(target >= revisions);

  let probe = await store.create(`${prefix}probe`, Buffer.from('0'));
  let writes = 0;
  // Writes arrive as I/O events (API requests), so each one is issued from a new macrotask. What
  // holds a write up is the work the process does before it completes (a compaction chunk runs on
  // the event loop), so the CPU time spent meanwhile is measured: time the machine's other work
  // takes away from this process, or an fsync wait, is not compaction's doing.
  const timedWrite = async (): Promise<number> => {
    const cpu0 = process.cpuUsage();
    await new Promise<void>((resolve) => setImmediate(resolve));
    probe = await store.update(probe.key, Buffer.from(String(writes++)), probe.modRevision);
    const cpu = process.cpuUsage(cpu0);
    return (cpu.user + cpu.system) / 1000;
  };
  // Same-run baseline: the slowest of as many writes without compaction, so that a write's own work
  // (and whatever else the process does meanwhile) is not charged to compaction.
  let baseline = 0;
  for (let i = 0; i < 200; i++) baseline = Math.max(baseline, await timedWrite());

  let done = false;
  const compaction = store.compact(target).then(() => (done = true));
  let during = 0;
  let worst = 0;
  while (!done) {
    worst = Math.max(worst, await timedWrite());
    during++;
  }
  await compaction;
  assert.ok(during >= 3, `writes interleave with compaction (got ${during})`);
  assert.ok(worst - baseline < 100, `slowest write during compaction waited on ${worst.toFixed(1)} ms of work, ${(worst - baseline).toFixed(1)} ms over the slowest write without it`);

  // Compaction kept every key's newest value and dropped the old revisions.
  const list = await store.range(prefix);
  assert.equal(list.count, keys + 1);
  for (const kv of list.kvs.slice(0, keys)) assert.equal(kv.value.toString(), `v${revisions / keys - 1}`);
  await assert.rejects(store.get(key(0), { revision: target - 1 }), (e: Error) => e.name === 'CompactedError');
}
