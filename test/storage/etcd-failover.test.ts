// A 3-member etcd loses its leader (SIGKILL) while writers and a watch run through the etcd driver:
// writes go on through the other members, and the watch (connected to the killed member) resumes
// elsewhere and delivers every committed write exactly once, in revision order, without gaps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openEtcdStore } from '../../src/storage/drivers/etcd.js';
import { StoreUnavailableError } from '../../src/storage/errors.js';
import type { StoreWatch, WatchEvent } from '../../src/storage/types.js';
import { startEtcdCluster } from '../helpers/etcd-cluster.js';

test('killing the etcd leader mid-run loses no write and no watch event', async (t) => {
  const etcd = await startEtcdCluster({ size: 3 });
  t.after(() => etcd.stop());
  const victim = await etcd.leaderIndex();
  // The driver's watches take the first endpoint that answers: list the victim first.
  const endpoints = [etcd.endpoints[victim], ...etcd.endpoints.filter((_, i) => i !== victim)];
  const store = await openEtcdStore({ endpoints, namespace: '/failover', dialTimeoutMs: 10_000 });
  t.after(() => store.close());

  const start = await store.currentRevision();
  // Both kinds of driver watch: one from a revision (a stream of its own), one from now (shared).
  const fromRevision = store.watch('/registry/', { afterRevision: start });
  const fromNow = store.watch('/registry/', { afterRevision: 0 });
  const collect = (watch: StoreWatch) => {
    t.after(() => watch.close());
    const out = { events: [] as WatchEvent[], error: undefined as unknown, done: Promise.resolve() };
    out.done = (async () => {
      try {
        for await (const ev of watch) out.events.push(ev);
      } catch (err) {
        out.error = err;
      }
    })();
    return out;
  };
  const watched = [collect(fromRevision), collect(fromNow)];

  const WRITERS = 4;
  const AFTER_KILL = 25;
  let killed = false;
  const committed = new Map<string, number>();
  const uncertain: string[] = [];
  const afterKill = new Array<number>(WRITERS).fill(0);
  const deadline = Date.now() + 30_000;
  const writer = async (w: number): Promise<void> => {
    for (let i = 0; afterKill[w] < AFTER_KILL; i++) {
      assert.ok(Date.now() < deadline, `writer ${w} made only ${afterKill[w]} writes after the kill`);
      const key = `/registry/w${w}/${String(i).padStart(5, '0')}`;
      try {
        const kv = await store.create(key, Buffer.from(`${w}-${i}`));
        committed.set(key, kv.modRevision);
        if (killed) afterKill[w]++;
      } catch (err) {
        // A write in flight to the dying leader may or may not have committed: etcd cannot say.
        if (!(err instanceof StoreUnavailableError)) throw err;
        uncertain.push(key);
      }
    }
  };
  let writersFailed = false;
  const writing = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  writing.catch(() => (writersFailed = true));
  while (committed.size < 40 && !writersFailed) await new Promise((resolve) => setTimeout(resolve, 5));
  await etcd.kill(victim);
  killed = true;
  await writing;
  assert.ok(uncertain.length <= WRITERS * 3, `only writes in flight at the kill may fail, got ${uncertain.length}`);

  const end = await store.currentRevision();
  const listed = await store.range('/registry/');
  for (const [i, w] of watched.entries()) {
    const waitUntil = Date.now() + 10_000;
    while ((w.events.at(-1)?.kv.modRevision ?? start) < end && Date.now() < waitUntil && w.error === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    (i === 0 ? fromRevision : fromNow).close();
    await w.done;
    assert.equal(w.error, undefined);
    // Every revision between start and end is one create under /registry/: the watch must show each once.
    const revisions = w.events.map((e) => e.kv.modRevision);
    assert.deepEqual(revisions, Array.from({ length: end - start }, (_, j) => start + 1 + j), 'no gap, no repeat, in order');
    const seen = new Map(w.events.map((e) => [e.kv.key, e.kv.modRevision]));
    for (const [key, rev] of committed) assert.equal(seen.get(key), rev, `event for ${key}`);
    // What etcd holds is exactly what the watch saw; an uncertain write is either in both or in neither.
    assert.deepEqual(listed.kvs.map((kv) => kv.key), [...seen.keys()].sort());
    for (const key of uncertain) assert.equal(seen.has(key), (await store.get(key)) !== undefined);
  }
});

test('a watch on a member that has lost its quorum ends with StoreUnavailableError instead of going silent', async (t) => {
  const etcd = await startEtcdCluster({ size: 3 });
  t.after(() => etcd.stop());
  const lone = ((await etcd.leaderIndex()) + 1) % 3;
  const store = await openEtcdStore({ endpoints: [etcd.endpoints[lone]], namespace: '/quorum', dialTimeoutMs: 1_000 });
  t.after(() => store.close());
  const watch = store.watch('/registry/', { afterRevision: 0 });
  t.after(() => watch.close());
  const kv = await store.create('/registry/a', Buffer.from('a'));
  const events: WatchEvent[] = [];
  const ended = (async () => {
    try {
      for await (const ev of watch) events.push(ev);
      return undefined;
    } catch (err) {
      return err;
    }
  })();
  while (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  // The other two members hang: the lone one keeps its sockets open but has no leader any more.
  const others = [0, 1, 2].filter((i) => i !== lone);
  for (const i of others) etcd.freeze(i);
  t.after(() => others.forEach((i) => etcd.thaw(i)));
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise((resolve) => (timer = setTimeout(() => resolve('still silent after 10 s'), 10_000)));
  const error = await Promise.race([ended, silent]);
  clearTimeout(timer);
  assert.ok(error instanceof StoreUnavailableError, `expected StoreUnavailableError, got ${String(error)}`);
  assert.deepEqual(events.map((e) => e.kv.modRevision), [kv.modRevision]);
});
