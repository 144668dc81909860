// The etcd driver against real etcd servers: the shared contract on one member and on a 3-member
// cluster, namespaces, restart, and failover when a member dies mid-run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { openEtcdStore } from '../../src/storage/drivers/etcd.js';
import type { Store, StoreWatch, WatchEvent } from '../../src/storage/types.js';
import { CompactedError, StoreClosedError, StoreUnavailableError, ValueTooLargeError, WatchOverflowError } from '../../src/storage/errors.js';
import { freePorts, startEtcdCluster, type EtcdCluster } from '../helpers/etcd-cluster.js';
import { runStoreContract } from './contract.js';

/** The next `n` events of a watch, failing instead of hanging when they do not come within 10 s. */
async function take(w: StoreWatch, n: number): Promise<WatchEvent[]> {
  const it = w[Symbol.asyncIterator]();
  const out: WatchEvent[] = [];
  const deadline = AbortSignal.timeout(10_000);
  const timedOut = new Promise<never>((_, reject) =>
    deadline.addEventListener('abort', () => reject(new Error(`watch delivered ${out.length} of ${n} events within 10 s`))),
  );
  while (out.length < n) {
    const r = await Promise.race([it.next(), timedOut]);
    if (r.done) throw new Error(`watch ended after ${out.length} of ${n} events`);
    out.push(r.value);
  }
  return out;
}

/** Opens stores on `cluster()`, each in a namespace of its own so stores never see each other's keys. */
function storesOn(cluster: () => EtcdCluster): () => Promise<Store> {
  return () => openEtcdStore({ endpoints: cluster().endpoints, namespace: `/kumo-test/${randomUUID()}` });
}

describe('etcd driver, one member', () => {
  let etcd: EtcdCluster;
  before(async () => {
    etcd = await startEtcdCluster({ size: 1 });
  });
  after(() => etcd?.stop());

  runStoreContract('etcd (1 member)', storesOn(() => etcd));

  test('stores in different namespaces on one etcd do not see each other', async (t) => {
    const one = await openEtcdStore({ endpoints: etcd.endpoints, namespace: `/ns-one-${randomUUID()}` });
    const two = await openEtcdStore({ endpoints: etcd.endpoints, namespace: `/ns-two-${randomUUID()}` });
    t.after(() => Promise.all([one.close(), two.close()]));
    const watchOne = one.watch('/registry/', { afterRevision: 0 });
    t.after(() => watchOne.close());
    const inTwo = await two.create('/registry/pods/default/p', Buffer.from('two'));
    const inOne = await one.create('/registry/pods/default/p', Buffer.from('one'));
    assert.equal(inOne.version, 1, 'the same key in another namespace is a different key');
    assert.equal((await one.get('/registry/pods/default/p'))?.value.toString(), 'one');
    assert.equal((await two.get('/registry/pods/default/p'))?.value.toString(), 'two');
    assert.deepEqual((await one.range('/registry/')).kvs.map((kv) => kv.value.toString()), ['one']);
    await two.delete('/registry/pods/default/p');
    assert.equal((await one.range('/registry/', { countOnly: true })).count, 1);
    const [ev] = await take(watchOne, 1);
    assert.equal(ev.kv.value.toString(), 'one', 'the first event is this namespace\'s own, not the other store\'s');
    assert.ok(ev.kv.modRevision > inTwo.modRevision);
  });

  test('watches of one prefix share a stream; a consumer that falls behind overflows alone', async (t) => {
    const store = await openEtcdStore({ endpoints: etcd.endpoints, namespace: `/shared-${randomUUID()}` });
    t.after(() => store.close());
    const steady = store.watch('/registry/s/', { afterRevision: 0 });
    const slow = store.watch('/registry/s/', { afterRevision: 0, bufferLimit: 3 });
    t.after(() => Promise.all([steady.close(), slow.close()]));
    const first = await store.create('/registry/s/0', Buffer.from('0'));
    assert.equal((await take(steady, 1))[0].kv.modRevision, first.modRevision);
    // The running stream has reached this revision, so this watch joins it instead of opening its own.
    const joined = store.watch('/registry/s/', { afterRevision: first.modRevision });
    t.after(() => joined.close());
    const later: number[] = [];
    for (let i = 1; i <= 5; i++) later.push((await store.create(`/registry/s/${i}`, Buffer.from(String(i)))).modRevision);
    assert.deepEqual((await take(steady, 5)).map((e) => e.kv.modRevision), later);
    assert.deepEqual((await take(joined, 5)).map((e) => e.kv.modRevision), later);
    // `slow` never read: 6 events exceed its limit of 3. It fails after what it buffered, alone.
    const got: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const ev of slow) got.push(ev.kv.modRevision);
      })(),
      WatchOverflowError,
    );
    assert.deepEqual(got, [first.modRevision, ...later.slice(0, 2)]);
    const more = await store.create('/registry/s/6', Buffer.from('6'));
    assert.equal((await take(steady, 1))[0].kv.modRevision, more.modRevision);
    assert.equal((await take(joined, 1))[0].kv.modRevision, more.modRevision);
  });

  test('a store reopened on the same etcd and namespace finds everything, revisions go on', async (t) => {
    const namespace = `/restart-${randomUUID()}`;
    const first = await openEtcdStore({ endpoints: etcd.endpoints, namespace });
    const a = await first.create('/registry/a', Buffer.from('a1'));
    const a2 = await first.update('/registry/a', Buffer.from('a2'), a.modRevision);
    const gone = await first.create('/registry/gone', Buffer.from('g'));
    await first.delete('/registry/gone', gone.modRevision);
    const keep = await first.create('/registry/keep', Buffer.from('k'));
    await first.compact(keep.modRevision - 1);
    const before = await first.range('/registry/');
    await first.close();
    await assert.rejects(first.get('/registry/a'), StoreClosedError);

    const second = await openEtcdStore({ endpoints: etcd.endpoints, namespace });
    t.after(() => second.close());
    assert.deepEqual((await second.range('/registry/')).kvs, before.kvs);
    assert.deepEqual(await second.get('/registry/a'), a2);
    assert.equal(await second.compactedRevision(), keep.modRevision - 1, 'the compacted revision survives a restart');
    assert.ok((await second.currentRevision()) >= keep.modRevision);
    const a3 = await second.update('/registry/a', Buffer.from('a3'), a2.modRevision);
    assert.ok(a3.modRevision > keep.modRevision);
    assert.equal(a3.version, 3);
    assert.equal(a3.createRevision, a.createRevision);
    // History written before the restart is still there to watch from.
    const w = second.watch('/registry/', { afterRevision: keep.modRevision - 1 });
    t.after(() => w.close());
    const evs = await take(w, 2);
    assert.deepEqual(evs.map((e) => [e.kv.key, e.kv.modRevision]), [
      ['/registry/keep', keep.modRevision],
      ['/registry/a', a3.modRevision],
    ]);
  });

  test('a slow consumer replaying long history gets all of it in order, without overflowing its small buffer', async (t) => {
    const store = await openEtcdStore({ endpoints: etcd.endpoints, namespace: `/history-${randomUUID()}` });
    t.after(() => store.close());
    const start = await store.currentRevision();
    // 1,500 revisions of 2 events: more than etcd sends in one catch-up batch (1,000 revisions).
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (let i = next++; i < 1500; i = next++) {
          await store.txn({
            compare: [],
            success: [
              { type: 'put', key: `/registry/h/${String(i).padStart(4, '0')}/a`, value: Buffer.from('a') },
              { type: 'put', key: `/registry/h/${String(i).padStart(4, '0')}/b`, value: Buffer.from('b') },
            ],
          });
        }
      }),
    );
    const w = store.watch('/registry/h/', { afterRevision: start, bufferLimit: 50 });
    t.after(() => w.close());
    const revisions: number[] = [];
    for await (const ev of w) {
      revisions.push(ev.kv.modRevision);
      if (revisions.length % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      if (revisions.length === 3000) break;
    }
    const expected = Array.from({ length: 1500 }, (_, i) => [start + 1 + i, start + 1 + i]).flat();
    assert.deepEqual(revisions, expected);
  });

  test('compaction is etcd-wide: a store learns a compaction done through another namespace', async (t) => {
    const mine = await openEtcdStore({ endpoints: etcd.endpoints, namespace: `/mine-${randomUUID()}` });
    const theirs = await openEtcdStore({ endpoints: etcd.endpoints, namespace: `/theirs-${randomUUID()}` });
    t.after(() => Promise.all([mine.close(), theirs.close()]));
    const a = await mine.create('/registry/a', Buffer.from('1'));
    const a2 = await mine.update('/registry/a', Buffer.from('2'), a.modRevision);
    await theirs.create('/registry/x', Buffer.from('x'));
    const before = await mine.compactedRevision();
    assert.ok(before < a2.modRevision);
    await theirs.compact(a2.modRevision);
    assert.equal(await mine.compactedRevision(), a2.modRevision);
    await assert.rejects(mine.get('/registry/a', { revision: a.modRevision }), (e: unknown) => {
      assert.ok(e instanceof CompactedError);
      assert.equal(e.compactedRevision, a2.modRevision);
      return true;
    });
    assert.deepEqual(await mine.get('/registry/a', { revision: a2.modRevision }), a2);
  });

  test('a transaction etcd finds too large as a whole fails with ValueTooLargeError and writes nothing', async (t) => {
    const store = await openEtcdStore({ endpoints: etcd.endpoints, namespace: `/large-${randomUUID()}` });
    t.after(() => store.close());
    const before = await store.currentRevision();
    // Each value passes the per-value limit; together they exceed the etcd's --max-request-bytes (3 MiB here).
    const big = Buffer.alloc(1.4 * 1024 * 1024, 1);
    await assert.rejects(
      store.txn({
        compare: [],
        success: [
          { type: 'put', key: '/registry/big/1', value: big },
          { type: 'put', key: '/registry/big/2', value: big },
          { type: 'put', key: '/registry/big/3', value: big },
        ],
      }),
      ValueTooLargeError,
    );
    assert.equal(await store.currentRevision(), before);
    assert.equal((await store.range('/registry/big/', { countOnly: true })).count, 0);
  });

  test('an unreachable etcd fails with StoreUnavailableError within the dial timeout', async () => {
    const [port] = await freePorts(1);
    const started = Date.now();
    await assert.rejects(
      openEtcdStore({ endpoints: [`http://127.0.0.1:${port}`], namespace: '/nowhere', dialTimeoutMs: 500 }),
      StoreUnavailableError,
    );
    assert.ok(Date.now() - started < 5_000);
  });
});

describe('etcd driver, three members', () => {
  let etcd: EtcdCluster;
  before(async () => {
    etcd = await startEtcdCluster({ size: 3 });
  });
  after(() => etcd?.stop());

  runStoreContract('etcd (3 members)', storesOn(() => etcd));
});
