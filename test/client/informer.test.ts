// Informers over the in-process client and a real Registry: the cache follows the server through
// bursts of writes, relists after 410, keeps indexes, and tells handlers in order.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isGone } from '../../src/client/errors.js';
import { Informer } from '../../src/client/informer.js';
import { SharedInformerFactory } from '../../src/client/informer-factory.js';
import { field, keyOf, name, resourceVersion } from '../../src/client/objects.js';
import type { Obj, ResourceClient, WatchEvent, WatchOpts } from '../../src/client/types.js';
import { configMap, pod, startRegistry } from './registry-fixture.js';
import { waitFor } from '../helpers/wait.js';

function snapshot(objs: Obj[]): string[] {
  return objs.map((o) => `${keyOf(o)}@${resourceVersion(o)}`).sort();
}

/**
 * The real client, with a gate in front of watch calls: while closed, a new watch waits for it to
 * open before reaching the server. It records every watch's resourceVersion and each list.
 */
function gated(real: ResourceClient) {
  let open = true;
  let release: (() => void) | undefined;
  let gate = Promise.resolve();
  const calls: string[] = [];
  const client: ResourceClient = {
    ...real,
    get: (ns, n) => real.get(ns, n),
    list: (ns, opts) => {
      calls.push('list');
      return real.list(ns, opts);
    },
    watch: (ns, opts: WatchOpts) => {
      calls.push(`watch rv=${opts.resourceVersion ?? ''}${opts.sendInitialEvents ? ' initial' : ''}`);
      const wait = gate;
      return (async function* (): AsyncGenerator<WatchEvent> {
        await Promise.race([wait, new Promise((r) => opts.signal.addEventListener('abort', r, { once: true }))]);
        if (opts.signal.aborted) return;
        yield* real.watch(ns, opts);
      })();
    },
  };
  return {
    client,
    calls,
    close() {
      if (!open) return;
      open = false;
      gate = new Promise((r) => (release = r));
    },
    open() {
      open = true;
      release?.();
      gate = Promise.resolve();
    },
  };
}

for (const useWatchList of [true, false]) {
  describe(`informer (${useWatchList ? 'WatchList' : 'LIST then WATCH'})`, () => {
    test('after a burst of creates, updates and deletes the cache equals a fresh list', async (t) => {
      const { client, clock } = await startRegistry(t);
      const cms = client.resource('', 'v1', 'configmaps');
      for (let i = 0; i < 20; i++) await cms.create('default', configMap(`pre${i}`, { v: '0' }));
      const informer = new Informer({ client: cms, clock, useWatchList, name: 'configmaps' });
      t.after(() => informer.stop());
      informer.start();
      assert.equal(await informer.waitForSync(), true);
      assert.deepEqual(snapshot(informer.lister.list()), snapshot((await cms.list(undefined)).items));

      // Concurrent writers: creates, updates of existing objects, deletes, in another namespace too.
      const ops: Promise<unknown>[] = [];
      for (let i = 0; i < 60; i++) ops.push(cms.create(i % 3 ? 'default' : 'kube-system', configMap(`n${i}`)));
      for (let i = 1; i < 20; i += 2) ops.push(cms.patch('default', `pre${i}`, 'merge', { data: { v: String(i) } }));
      for (let i = 0; i < 20; i += 2) ops.push(cms.delete('default', `pre${i}`));
      await Promise.all(ops);
      const fresh = await cms.list(undefined);
      await waitFor('the informer to catch up', () => Number(informer.lastSyncResourceVersion()) >= Number(fresh.metadata.resourceVersion));
      assert.deepEqual(snapshot(informer.lister.list()), snapshot(fresh.items));
      assert.equal(informer.lister.get('default', 'pre0'), undefined);
      assert.equal(field(informer.lister.get('default', 'pre1'), 'data', 'v'), '1');
      assert.equal(informer.lister.list('kube-system').length, 20);
    });

    test('a watch resumed from a compacted resourceVersion gets 410 and the informer relists', async (t) => {
      const { client, clock, store } = await startRegistry(t, { watchCacheSize: 4 });
      const cms = client.resource('', 'v1', 'configmaps');
      for (const n of ['keep', 'gone', 'changed']) await cms.create('default', configMap(n));
      const g = gated(cms);
      const informer = new Informer({ client: g.client, clock, useWatchList, name: 'configmaps' });
      t.after(() => informer.stop());
      const seen: string[] = [];
      informer.addEventHandler({
        onAdd: (o, initial) => seen.push(`add ${name(o)}${initial ? ' initial' : ''}`),
        onUpdate: (a, b) => seen.push(`update ${name(b)}${resourceVersion(a) === resourceVersion(b) ? ' same' : ''}`),
        onDelete: (o, unknown) => seen.push(`delete ${name(o)}${unknown ? ' final-state-unknown' : ''}`),
      });
      informer.start();
      await informer.waitForSync();
      // An event seen through the watch shows it is established (its timeout timer is running).
      await cms.create('default', configMap('probe'));
      await waitFor('the watch to be established', () => informer.lister.get('default', 'probe') !== undefined);
      const syncedAt = informer.lastSyncResourceVersion();

      // Hold the next watch, end the current one (its timeoutSeconds passes on the fake clock) and,
      // while the informer waits to resume, change things, push past the cache window, compact.
      g.close();
      const before = g.calls.length;
      clock.advance(601_000);
      await waitFor(`the informer to resume watching (${g.calls.join(', ')})`, () => g.calls.length > before);
      assert.equal(g.calls.at(-1), `watch rv=${syncedAt}`);
      await cms.delete('default', 'gone');
      await cms.patch('default', 'changed', 'merge', { data: { x: '1' } });
      for (let i = 0; i < 6; i++) await cms.create('default', configMap(`new${i}`));
      const now = Number(resourceVersion(await cms.get('default', 'new5')));
      await store.compact(now);
      await assert.rejects(
        (async () => {
          for await (const _ of cms.watch('default', { resourceVersion: syncedAt, signal: AbortSignal.timeout(5000) })) void _;
        })(),
        isGone,
        'the resourceVersion the informer holds is really too old now',
      );
      seen.length = 0;
      g.open();

      const fresh = await cms.list(undefined);
      await waitFor('the relist', () => Number(informer.lastSyncResourceVersion()) >= Number(fresh.metadata.resourceVersion));
      assert.deepEqual(snapshot(informer.lister.list()), snapshot(fresh.items));
      assert.equal(g.calls.at(-1), useWatchList ? 'watch rv= initial' : `watch rv=${fresh.metadata.resourceVersion}`);
      if (!useWatchList) assert.equal(g.calls.at(-2), 'list');
      // The relist told the handlers what changed while nobody watched.
      assert.ok(seen.includes('delete gone final-state-unknown'), seen.join('\n'));
      assert.ok(seen.includes('update changed'), seen.join('\n'));
      assert.ok(seen.includes('update keep same'), 'unchanged objects come as updates, as upstream Replaced deltas');
      for (let i = 0; i < 6; i++) assert.ok(seen.includes(`add new${i}`), seen.join('\n'));
    });
  });
}

describe('informer', () => {
  test('handlers see adds, updates and deletes in order, with the final state on delete', async (t) => {
    const { client, clock } = await startRegistry(t);
    const cms = client.resource('', 'v1', 'configmaps');
    await cms.create('default', configMap('before'));
    const informer = new Informer({ client: cms, clock, namespace: 'default', name: 'configmaps' });
    t.after(() => informer.stop());
    const events: string[] = [];
    informer.addEventHandler({
      onAdd: (o, initial) => events.push(`add ${name(o)} ${initial}`),
      onUpdate: (a, b) => events.push(`update ${name(b)} ${field(a, 'data', 'k') ?? '-'}->${field(b, 'data', 'k')}`),
      onDelete: (o, unknown) => events.push(`delete ${name(o)} ${field(o, 'data', 'k')} ${unknown}`),
    });
    // A throwing handler does not keep the others from their events.
    const errors: unknown[] = [];
    const broken = new Informer({ client: cms, clock, namespace: 'default', onError: (e) => errors.push(e) });
    t.after(() => broken.stop());
    informer.start();
    await informer.waitForSync();
    const a = await cms.create('default', configMap('a', { k: '1' }));
    await cms.update('default', { ...a, data: { k: '2' } });
    await cms.patch('default', 'a', 'merge', { data: { k: '3' } });
    await cms.delete('default', 'a');
    await cms.create('kube-system', configMap('elsewhere'));
    await cms.create('default', configMap('last'));
    await waitFor('six events', () => events.length === 6);
    assert.deepEqual(events, ['add before true', 'add a false', 'update a 1->2', 'update a 2->3', 'delete a 3 false', 'add last false']);

    // A handler added later first gets the cached objects as adds.
    const late: string[] = [];
    const reg = informer.addEventHandler({ onAdd: (o, initial) => late.push(`${name(o)} ${initial}`) });
    assert.deepEqual(late.sort(), ['before true', 'last true']);
    assert.equal(reg.hasSynced(), true);
    reg.remove();

    broken.addEventHandler({
      onAdd: () => {
        throw new Error('boom');
      },
    });
    const fine: string[] = [];
    broken.addEventHandler({ onAdd: (o) => fine.push(name(o)) });
    broken.start();
    await broken.waitForSync();
    assert.deepEqual(fine.sort(), ['before', 'last']);
    assert.equal(errors.length, 2);
  });

  test('bookmarks move the resourceVersion on while nothing the informer watches changes', async (t) => {
    const { client, clock } = await startRegistry(t);
    const cms = client.resource('', 'v1', 'configmaps');
    const informer = new Informer({ client: cms, clock, namespace: 'default', name: 'configmaps' });
    t.after(() => informer.stop());
    const events: string[] = [];
    informer.addEventHandler({ onAdd: (o) => events.push(name(o)) });
    informer.start();
    await informer.waitForSync();
    await cms.create('default', configMap('probe'));
    await waitFor('the watch to be established', () => events.includes('probe'));
    const before = informer.lastSyncResourceVersion();
    for (let i = 0; i < 3; i++) await cms.create('kube-system', configMap(`other${i}`));
    const latest = (await cms.list(undefined)).metadata.resourceVersion;
    assert.equal(informer.lastSyncResourceVersion(), before);
    // The registry sends a BOOKMARK a minute (of its clock) into the watch.
    clock.advance(60_000);
    await waitFor('the bookmark', () => informer.lastSyncResourceVersion() === latest);
    assert.deepEqual(events, ['probe']);
  });

  test('indexes: pods by node follow binds and deletes; label selectors on the lister', async (t) => {
    const { client, clock } = await startRegistry(t);
    const pods = client.resource('', 'v1', 'pods');
    const byNode = (o: Obj) => [String(field(o, 'spec', 'nodeName') ?? '')];
    const informer = new Informer({ client: pods, clock, indexers: { byNode }, name: 'pods' });
    t.after(() => informer.stop());
    informer.start();
    await informer.waitForSync();
    for (let i = 0; i < 6; i++) await pods.create('default', pod(`p${i}`, { labels: { app: i < 3 ? 'web' : 'db' } }));
    await pods.bind('default', 'p0', 'n1');
    await pods.bind('default', 'p1', 'n1');
    await pods.bind('default', 'p3', 'n2');
    let rv = (await pods.list(undefined)).metadata.resourceVersion;
    await waitFor('binds to arrive', () => informer.lastSyncResourceVersion() === rv);
    const names = (objs: Obj[]) => objs.map(name).sort();
    assert.deepEqual(names(informer.lister.byIndex('byNode', 'n1')), ['p0', 'p1']);
    assert.deepEqual(names(informer.lister.byIndex('byNode', 'n2')), ['p3']);
    assert.deepEqual(names(informer.lister.byIndex('byNode', '')), ['p2', 'p4', 'p5']);
    assert.deepEqual(informer.lister.indexValues('byNode').sort(), ['', 'n1', 'n2']);
    assert.deepEqual(names(informer.lister.list('default', 'app=web')), ['p0', 'p1', 'p2']);
    assert.deepEqual(names(informer.lister.list(undefined, 'app in (db),app!=web')), ['p3', 'p4', 'p5']);
    assert.throws(() => informer.lister.byIndex('nope', 'x'), /index with name nope does not exist/);

    await pods.delete('default', 'p0', { gracePeriodSeconds: 0 });
    // An index added after start is built from what the cache holds.
    informer.addIndexers({ byApp: (o) => [String(field(o, 'metadata', 'labels', 'app'))] });
    rv = (await pods.list(undefined)).metadata.resourceVersion;
    await waitFor('the delete to arrive', () => informer.lastSyncResourceVersion() === rv);
    assert.deepEqual(names(informer.lister.byIndex('byNode', 'n1')), ['p1']);
    assert.deepEqual(names(informer.lister.byIndex('byApp', 'web')), ['p1', 'p2']);
  });

  test('the shared factory gives one informer per resource and waits for all to sync', async (t) => {
    const { client, clock } = await startRegistry(t);
    await client.resource('', 'v1', 'configmaps').create('default', configMap('x'));
    const factory = new SharedInformerFactory(client, clock);
    t.after(() => factory.stop());
    const a = factory.informerFor('', 'v1', 'configmaps');
    const b = factory.informerFor('', 'v1', 'configmaps', { byName: (o) => [name(o)] });
    assert.equal(a, b);
    const ns = factory.informerFor('', 'v1', 'namespaces');
    factory.start();
    assert.equal(await factory.waitForCacheSync(), true);
    assert.deepEqual(a.lister.byIndex('byName', 'x').map(name), ['x']);
    assert.ok(ns.lister.get(undefined, 'kube-system'));
    // Made after start: starts at once.
    const late = factory.informerFor('apps', 'v1', 'deployments');
    assert.equal(await late.waitForSync(), true);
    assert.throws(() => factory.informerFor('', 'v1', 'configmaps', { byName: (o) => [keyOf(o)] }), /indexer conflict: byName/);
  });
});
