// Watch and list semantics served by the watch cache: resourceVersion rules, history, 410s,
// WatchList, selectors, bookmarks, pagination, and restart on the same store.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/status.js';
import { Registry, serializeJSON } from '../../src/apiserver/registry/index.js';
import type { WatchEventOut, WatchOptions } from '../../src/apiserver/registry/index.js';
import type { ResourceDef } from '../../src/apiserver/schema/types.js';
import { MemoryStore } from '../../src/storage/drivers/memory.js';
import { FakeClock } from '../../src/util/clock.js';
import { catalog, DRIVERS, openStore, startRegistry, w, type Driver } from './registry-fixture.js';

const configmaps = catalog.resource('', 'v1', 'configmaps') as ResourceDef;
const pods = catalog.resource('', 'v1', 'pods') as ResourceDef;

const setup = (t: { after(fn: () => unknown): void }, driver: Driver, opts: { watchCacheSize?: number; bookmarkIntervalMs?: number; watchQueueLimit?: number } = {}) =>
  startRegistry(t, { driver, now: Date.UTC(2026, 0, 1), ...opts });

const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}) => ({ metadata: { name, labels }, data });
const rvOf = (o: Record<string, unknown>) => (o.metadata as { resourceVersion: string }).resourceVersion;
const nameOf = (o: Record<string, unknown>) => (o.metadata as { name: string }).name;

/** Takes the first `n` events of a watch, then stops it. */
async function take(registry: Registry, res: ResourceDef, ns: string | undefined, opts: Omit<WatchOptions, 'signal'>, n: number): Promise<WatchEventOut[]> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 5000);
  const out: WatchEventOut[] = [];
  try {
    for await (const ev of registry.watch(res, ns, { ...opts, signal: ac.signal })) {
      out.push(ev);
      if (out.length >= n) break;
    }
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return out;
}

const brief = (evs: WatchEventOut[]) => evs.map((e) => `${e.type} ${e.type === 'BOOKMARK' || e.type === 'ERROR' ? '' : nameOf(e.object)}`.trim());

for (const driver of DRIVERS) {
  describe(driver, () => {
    describe('watch', () => {
      test('from an old resourceVersion sees every later event in order', async (t) => {
        const { registry } = await setup(t, driver);
        const a = await registry.create(configmaps, 'default', cm('a'), w());
        await registry.create(configmaps, 'default', cm('b'), w());
        await registry.update(configmaps, 'default', 'a', { ...a, data: { x: '1' } }, w());
        await registry.delete(configmaps, 'default', 'b', {}, w());
        const evs = await take(registry, configmaps, 'default', { resourceVersion: rvOf(a) }, 3);
        assert.deepEqual(brief(evs), ['ADDED b', 'MODIFIED a', 'DELETED b']);
        const rvs = evs.map((e) => Number(rvOf(e.object)));
        assert.deepEqual([...rvs].sort((x, y) => x - y), rvs);
      });

      test('RV "0" starts with synthetic ADDED events, then live changes', async (t) => {
        const { registry } = await setup(t, driver);
        await registry.create(configmaps, 'default', cm('a'), w());
        const ac = new AbortController();
        const it = registry.watch(configmaps, 'default', { resourceVersion: '0', signal: ac.signal })[Symbol.asyncIterator]();
        assert.equal(brief([(await it.next()).value])[0], 'ADDED a');
        await registry.create(configmaps, 'default', cm('b'), w());
        assert.equal(brief([(await it.next()).value])[0], 'ADDED b');
        ac.abort();
        assert.equal((await it.next()).done, true);
      });

      test('a resourceVersion older than the cache window replays the store history; after compaction it is 410', async (t) => {
        const { registry, store } = await setup(t, driver, { watchCacheSize: 2 });
        const first = await registry.create(configmaps, 'default', cm('a'), w());
        for (const n of ['b', 'c', 'd']) await registry.create(configmaps, 'default', cm(n), w());
        const evs = await take(registry, configmaps, 'default', { resourceVersion: rvOf(first) }, 3);
        assert.deepEqual(brief(evs), ['ADDED b', 'ADDED c', 'ADDED d']);
        await store.compact(await store.currentRevision());
        const gone = await take(registry, configmaps, 'default', { resourceVersion: rvOf(first) }, 1);
        assert.equal(gone[0].type, 'ERROR');
        assert.equal(gone[0].object.code, 410);
        assert.equal(gone[0].object.reason, 'Expired');
        assert.match(String(gone[0].object.message), new RegExp(`^too old resource version: ${rvOf(first)} \\(\\d+\\)$`));
      });

      test('a watch from a resourceVersion the cache has not seen ends with a 504 ERROR event', async (t) => {
        const { registry, clock } = await setup(t, driver);
        await registry.context.hub.waitFresh(1000);
        const future = registry.context.hub.revision + 50;
        const it = registry.watch(configmaps, 'default', { resourceVersion: String(future), signal: new AbortController().signal })[Symbol.asyncIterator]();
        const first = it.next();
        await new Promise((r) => setImmediate(r));
        clock.advance(3000);
        const ev = (await first).value as WatchEventOut;
        assert.equal(ev.type, 'ERROR');
        assert.equal(ev.object.code, 504);
        assert.equal(ev.object.message, `Timeout: Too large resource version: ${future}, current: ${future - 50}`);
        assert.equal((await it.next()).done, true);
      });

      test('get: "" reads the latest, "0" the cache, N waits for N', async (t) => {
        const { registry } = await setup(t, driver);
        const a = await registry.create(configmaps, 'default', cm('a', {}, { v: '1' }), w());
        const b = (await registry.update(configmaps, 'default', 'a', { ...a, data: { v: '2' } }, w())).object;
        assert.deepEqual((await registry.get(configmaps, 'default', 'a', {})).data, { v: '2' });
        assert.deepEqual((await registry.get(configmaps, 'default', 'a', { resourceVersion: rvOf(b) })).data, { v: '2' });
        await registry.context.hub.waitFresh(1000);
        assert.deepEqual((await registry.get(configmaps, 'default', 'a', { resourceVersion: '0' })).data, { v: '2' });
      });

      test('WatchList: initial ADDED events, then a BOOKMARK marking their end', async (t) => {
        const { registry } = await setup(t, driver);
        await registry.create(configmaps, 'default', cm('a'), w());
        await registry.create(configmaps, 'default', cm('b'), w());
        const evs = await take(registry, configmaps, 'default', { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true }, 3);
        assert.deepEqual(brief(evs), ['ADDED a', 'ADDED b', 'BOOKMARK']);
        const bm = evs[2].object as { kind: string; apiVersion: string; metadata: { resourceVersion: string; annotations: Record<string, string> } };
        assert.equal(bm.kind, 'ConfigMap');
        assert.equal(bm.apiVersion, 'v1');
        assert.deepEqual(bm.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
        assert.ok(Number(bm.metadata.resourceVersion) >= Number(rvOf(evs[1].object)));
      });

      test('sendInitialEvents without resourceVersionMatch=NotOlderThan is 422', () => {
        const store = new MemoryStore();
        const registry = new Registry({ store, catalog, clock: new FakeClock() });
        assert.throws(
          () => registry.watch(configmaps, 'default', { sendInitialEvents: true, signal: new AbortController().signal }),
          (e: unknown) =>
            e instanceof ApiError &&
            e.status.code === 422 &&
            e.status.message === 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
        );
        void store.close();
      });

      test('label selectors: modified out of the selection is DELETED, into it ADDED', async (t) => {
        const { registry } = await setup(t, driver);
        const a = await registry.create(configmaps, 'default', cm('a', { tier: 'web' }), w());
        const ac = new AbortController();
        const it = registry.watch(configmaps, 'default', { resourceVersion: rvOf(a), labelSelector: 'tier=web', signal: ac.signal })[Symbol.asyncIterator]();
        const moved = await registry.update(configmaps, 'default', 'a', { ...a, metadata: { ...(a.metadata as object), labels: { tier: 'db' } } }, w());
        await registry.update(configmaps, 'default', 'a', { ...moved.object, metadata: { ...(moved.object.metadata as object), labels: { tier: 'web' } } }, w());
        const e1 = (await it.next()).value as WatchEventOut;
        const e2 = (await it.next()).value as WatchEventOut;
        ac.abort();
        assert.equal(e1.type, 'DELETED');
        assert.deepEqual((e1.object.metadata as { labels: unknown }).labels, { tier: 'web' });
        assert.equal(rvOf(e1.object), rvOf(moved.object));
        assert.equal(e2.type, 'ADDED');
      });

      test('bookmarks come every period when allowed; timeoutSeconds ends the watch', async (t) => {
        const { registry, clock } = await setup(t, driver, { bookmarkIntervalMs: 1000 });
        const a = await registry.create(configmaps, 'default', cm('a'), w());
        const it = registry.watch(configmaps, 'default', { resourceVersion: rvOf(a), allowWatchBookmarks: true, timeoutSeconds: 5, signal: new AbortController().signal })[Symbol.asyncIterator]();
        const first = it.next();
        await new Promise((r) => setImmediate(r));
        clock.advance(1000);
        const bm = (await first).value as WatchEventOut;
        assert.equal(bm.type, 'BOOKMARK');
        assert.equal(rvOf(bm.object), String(registry.context.hub.revision));
        const end = it.next();
        await new Promise((r) => setImmediate(r));
        clock.advance(4000);
        let r = await end;
        while (!r.done) r = await it.next();
        assert.equal(r.done, true);
      });

      test('stopping the registry ends open watches', async (t) => {
        const store = await openStore(driver, t);
        const registry = new Registry({ store, catalog, clock: new FakeClock() });
        await registry.start();
        t.after(() => store.close());
        const it = registry.watch(configmaps, 'default', { resourceVersion: String(registry.context.hub.revision), signal: new AbortController().signal })[Symbol.asyncIterator]();
        const pending = it.next();
        await registry.stop();
        assert.equal((await pending).done, true);
      });

      test('a slow watcher is dropped instead of buffering without bound', async (t) => {
        const { registry } = await setup(t, driver, { watchQueueLimit: 3 });
        const it = registry.watch(configmaps, 'default', { resourceVersion: String(registry.context.hub.revision), signal: new AbortController().signal })[Symbol.asyncIterator]();
        const pending = it.next();
        for (let i = 0; i < 10; i++) await registry.create(configmaps, 'default', cm(`c${i}`), w());
        const got: string[] = [];
        let r = await pending;
        while (!r.done) {
          got.push(nameOf(r.value.object));
          r = await it.next();
        }
        assert.ok(got.length < 10, `watcher should have been dropped, got ${got.length} events`);
      });
    });

    describe('list', () => {
      test('limit/continue pages through a consistent snapshot with remainingItemCount', async (t) => {
        const { registry } = await setup(t, driver);
        for (const n of ['a', 'b', 'c', 'd', 'e']) await registry.create(configmaps, 'default', cm(n), w());
        const p1 = await registry.list(configmaps, 'default', { limit: 2 });
        const m1 = p1.metadata as { continue: string; remainingItemCount: number; resourceVersion: string };
        assert.deepEqual((p1.items as Record<string, unknown>[]).map(nameOf), ['a', 'b']);
        assert.equal(m1.remainingItemCount, 3);
        const token = JSON.parse(Buffer.from(m1.continue, 'base64').toString());
        assert.deepEqual(Object.keys(token).sort(), ['rv', 'start', 'v']);
        assert.equal(token.v, 'meta.k8s.io/v1');
        assert.equal(token.rv, Number(m1.resourceVersion));
        // A change after page 1 does not show up in page 2 (served at the token's revision).
        await registry.create(configmaps, 'default', cm('bb'), w());
        const p2 = await registry.list(configmaps, 'default', { limit: 2, continue: m1.continue });
        assert.deepEqual((p2.items as Record<string, unknown>[]).map(nameOf), ['c', 'd']);
        const p3 = await registry.list(configmaps, 'default', { limit: 2, continue: (p2.metadata as { continue: string }).continue });
        assert.deepEqual((p3.items as Record<string, unknown>[]).map(nameOf), ['e']);
        assert.equal((p3.metadata as { continue?: string }).continue, undefined);
      });

      test('an expired continue token is 410 with a token to continue inconsistently', async (t) => {
        const { registry, store } = await setup(t, driver);
        for (const n of ['a', 'b', 'c']) await registry.create(configmaps, 'default', cm(n), w());
        const p1 = await registry.list(configmaps, 'default', { limit: 1 });
        await registry.create(configmaps, 'default', cm('z'), w());
        await store.compact(await store.currentRevision());
        await assert.rejects(registry.list(configmaps, 'default', { limit: 1, continue: (p1.metadata as { continue: string }).continue }), (e: unknown) => {
          assert.ok(e instanceof ApiError);
          assert.equal(e.status.code, 410);
          assert.equal(e.status.reason, 'Expired');
          assert.match(String(e.status.message), /^The provided continue parameter is too old to display a consistent list result\. You can start a new list without the continue parameter, or use the continue token in this response/);
          assert.ok((e.status.metadata as { continue?: string }).continue);
          return true;
        });
      });

      test('a consistent list shows a multi-key transaction whole', async (t) => {
        const { registry, store } = await setup(t, driver);
        const put = (name: string) => ({ type: 'put' as const, key: `${store.prefix}core/configmaps/default/${name}`, value: Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', uid: name } })) });
        await store.txn({ compare: [], success: [put('t1'), put('t2'), put('t3')] });
        const list = await registry.list(configmaps, 'default', {});
        assert.deepEqual((list.items as Record<string, unknown>[]).map(nameOf), ['t1', 't2', 't3']);
      });

      test('invalid list options are 400/422 as upstream', async (t) => {
        const { registry } = await setup(t, driver);
        await registry.create(configmaps, 'default', cm('a'), w());
        const p1 = await registry.list(configmaps, 'default', { limit: 1 });
        await assert.rejects(registry.list(configmaps, 'default', { limit: 1, continue: String((p1.metadata as { continue?: string }).continue ?? 'x'), resourceVersion: '5' }), (e: unknown) => {
          return e instanceof ApiError && e.status.code === 400 && e.status.message === 'specifying resource version is not allowed when using continue';
        });
        await assert.rejects(registry.list(configmaps, 'default', { resourceVersionMatch: 'Exact' }), (e: unknown) => {
          return e instanceof ApiError && e.status.code === 422 && e.status.message === 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided';
        });
        await assert.rejects(registry.list(configmaps, 'default', { resourceVersion: '0', resourceVersionMatch: 'Exact' }), (e: unknown) => {
          return e instanceof ApiError && e.status.code === 422 && /resourceVersionMatch "exact" is forbidden for resourceVersion "0"/.test(String(e.status.message));
        });
        await assert.rejects(registry.list(configmaps, 'default', { continue: 'not-base64-json' }), (e: unknown) => e instanceof ApiError && e.status.code === 400);
        assert.throws(
          () => registry.watch(configmaps, 'default', { resourceVersionMatch: 'NotOlderThan', signal: new AbortController().signal }),
          (e: unknown) => e instanceof ApiError && e.status.code === 422 && /resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided/.test(String(e.status.message)),
        );
      });

      test('label and field selectors', async (t) => {
        const { registry } = await setup(t, driver);
        await registry.create(configmaps, 'default', cm('a', { app: 'x' }), w());
        await registry.create(configmaps, 'default', cm('b', { app: 'y' }), w());
        await registry.create(configmaps, 'kube-system', cm('c', { app: 'x' }), w());
        const byLabel = await registry.list(configmaps, undefined, { labelSelector: 'app=x' });
        assert.deepEqual((byLabel.items as Record<string, unknown>[]).map(nameOf), ['a', 'c']);
        const byName = await registry.list(configmaps, 'default', { fieldSelector: 'metadata.name=b' });
        assert.deepEqual((byName.items as Record<string, unknown>[]).map(nameOf), ['b']);
        await assert.rejects(registry.list(configmaps, 'default', { fieldSelector: 'spec.foo=b' }), (e: unknown) => e instanceof ApiError && e.status.code === 400);
      });

      test('a resourceVersion the cache has not reached is 504 Too large resource version after 3s', async (t) => {
        const { registry, clock } = await setup(t, driver);
        await registry.context.hub.waitFresh(1000);
        const current = registry.context.hub.revision;
        const p = registry.list(configmaps, 'default', { resourceVersion: String(current + 100) });
        await new Promise((r) => setImmediate(r));
        clock.advance(3000);
        await assert.rejects(p, (e: unknown) => {
          assert.ok(e instanceof ApiError);
          assert.equal(e.status.code, 504);
          assert.equal(e.status.reason, 'Timeout');
          assert.equal(e.status.message, `Timeout: Too large resource version: ${current + 100}, current: ${current}`);
          assert.equal(e.status.details?.retryAfterSeconds, 1);
          return true;
        });
      });

      test('resourceVersionMatch=Exact reads the store at that revision, 410 once compacted', async (t) => {
        const { registry, store } = await setup(t, driver);
        const a = await registry.create(configmaps, 'default', cm('a'), w());
        await registry.create(configmaps, 'default', cm('b'), w());
        const old = await registry.list(configmaps, 'default', { resourceVersion: rvOf(a), resourceVersionMatch: 'Exact' });
        assert.deepEqual((old.items as Record<string, unknown>[]).map(nameOf), ['a']);
        assert.equal(rvOf(old), rvOf(a));
        await store.compact(await store.currentRevision());
        await assert.rejects(registry.list(configmaps, 'default', { resourceVersion: rvOf(a), resourceVersionMatch: 'Exact' }), (e: unknown) => {
          return e instanceof ApiError && e.status.code === 410 && e.status.reason === 'Expired' && e.status.message === 'The resourceVersion for the provided list is too old.';
        });
      });

      test('list items serialize from the cached JSON', async (t) => {
        const { registry } = await setup(t, driver);
        await registry.create(pods, 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } }, w());
        const list = await registry.list(pods, 'default', {});
        assert.deepEqual(JSON.parse(serializeJSON(list)), JSON.parse(JSON.stringify(list)));
        assert.throws(() => {
          (list.items as Record<string, unknown>[])[0].kind = 'X';
        }, TypeError);
      });
    });

    describe('restart', () => {
      test('objects, resourceVersions and uids survive a new Registry on the same store; watches resume from history', async (t) => {
        const store = await openStore(driver, t);
        const clock = new FakeClock();
        const r1 = new Registry({ store, catalog, clock });
        await r1.start();
        const a = await r1.create(configmaps, 'default', cm('a'), w());
        await r1.create(configmaps, 'default', cm('b'), w());
        await r1.stop();
        const r2 = new Registry({ store, catalog, clock });
        await r2.start();
        t.after(async () => {
          await r2.stop();
          await store.close();
        });
        assert.deepEqual(await r2.get(configmaps, 'default', 'a', {}), a);
        const evs = await take(r2, configmaps, 'default', { resourceVersion: rvOf(a) }, 1);
        assert.deepEqual(brief(evs), ['ADDED b']);
      });
    });
  });
}
