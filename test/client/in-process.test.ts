// The in-process client against a real Registry over a MemoryStore: CRUD, subresources, watch and
// the HTTP endpoint's request rules, with failures as ApiErrors carrying the Status.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/status.js';
import { isAlreadyExists, isConflict, isGone, isInvalid, isMethodNotAllowed, isNotFound, isTooManyRequests } from '../../src/client/errors.js';
import { labels, name, resourceVersion } from '../../src/client/objects.js';
import type { WatchEvent } from '../../src/client/types.js';
import { configMap, deployment, pod, startRegistry } from './registry-fixture.js';

describe('in-process client', () => {
  test('create, get, list, update, patch and delete a config map', async (t) => {
    const { client } = await startRegistry(t);
    const cms = client.resource('', 'v1', 'configmaps');
    const created = await cms.create('default', configMap('a', { k: 'v' }));
    assert.equal(name(created), 'a');
    assert.equal((created.metadata as { namespace: string }).namespace, 'default');
    assert.ok(resourceVersion(created));

    const got = await cms.get('default', 'a');
    assert.deepEqual(got.data, { k: 'v' });

    const updated = await cms.update('default', { ...got, data: { k: 'v2' } });
    assert.deepEqual(updated.data, { k: 'v2' });
    assert.ok(Number(resourceVersion(updated)) > Number(resourceVersion(got)));

    const patched = await cms.patch('default', 'a', 'merge', { metadata: { labels: { tier: 'x' } } });
    assert.deepEqual(labels(patched), { tier: 'x' });
    const jsonPatched = await cms.patch('default', 'a', 'json', [{ op: 'add', path: '/data/j', value: '1' }]);
    assert.deepEqual(jsonPatched.data, { k: 'v2', j: '1' });

    const list = await cms.list('default');
    assert.deepEqual(list.items.map(name), ['a']);
    assert.ok(list.metadata.resourceVersion);

    await cms.delete('default', 'a');
    await assert.rejects(cms.get('default', 'a'), (e) => isNotFound(e) && (e as ApiError).message === 'configmaps "a" not found');
  });

  test('errors carry the Status: AlreadyExists, Conflict, Invalid, NotFound', async (t) => {
    const { client } = await startRegistry(t);
    const cms = client.resource('', 'v1', 'configmaps');
    const first = await cms.create('default', configMap('a'));
    await assert.rejects(cms.create('default', configMap('a')), (e) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status.code, 409);
      return isAlreadyExists(e) && !isConflict(e);
    });
    await cms.update('default', { ...first, data: { x: '1' } });
    // The first version is stale now: optimistic concurrency says 409 Conflict.
    await assert.rejects(cms.update('default', { ...first, data: { x: '2' } }), (e) => isConflict(e) && (e as ApiError).code === 409);
    await assert.rejects(cms.create('default', configMap('Bad_Name')), (e) => isInvalid(e) && (e as ApiError).code === 422);
    await assert.rejects(cms.get('default', 'missing'), isNotFound);
    await assert.rejects(cms.create('nosuchns', configMap('b')), (e) => isNotFound(e) && /namespaces "nosuchns" not found/.test((e as Error).message));
  });

  test('the request rules of the HTTP endpoint: scope, verbs, namespace of the body', async (t) => {
    const { client } = await startRegistry(t);
    // An unknown resource is 404 for every verb.
    await assert.rejects(client.resource('', 'v1', 'nosuchthings').list(undefined), (e) => isNotFound(e) && (e as Error).message === 'the server could not find the requested resource');
    // A namespaced resource needs a namespace to get or create one object.
    await assert.rejects(client.resource('', 'v1', 'configmaps').get(undefined, 'a'), isNotFound);
    await assert.rejects(client.resource('', 'v1', 'configmaps').create(undefined, configMap('a')), isMethodNotAllowed);
    // A cluster-scoped resource addressed in a namespace does not exist.
    await assert.rejects(client.resource('', 'v1', 'nodes').get('default', 'n1'), isNotFound);
    // The object's namespace must match the request's.
    await assert.rejects(
      client.resource('', 'v1', 'configmaps').create('default', { ...configMap('a'), metadata: { name: 'a', namespace: 'kube-system' } }),
      (e) => (e as ApiError).code === 400 && (e as Error).message === 'the namespace of the provided object does not match the namespace sent on the request',
    );
    // Without the ns argument the object's own namespace is used.
    const made = await client.resource('', 'v1', 'configmaps').create(undefined, { ...configMap('a'), metadata: { name: 'a', namespace: 'kube-system' } });
    assert.equal((made.metadata as { namespace: string }).namespace, 'kube-system');
    // A verb the resource does not serve: 405.
    await assert.rejects(client.resource('authentication.k8s.io', 'v1', 'tokenreviews').list(undefined), isMethodNotAllowed);
    const nodes = client.resource('', 'v1', 'nodes');
    const node = await nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    assert.equal(name(node), 'n1');
    assert.deepEqual((await nodes.list(undefined)).items.map(name), ['n1']);
  });

  test('list with selectors, limit and continue; lists across namespaces', async (t) => {
    const { client } = await startRegistry(t);
    const cms = client.resource('', 'v1', 'configmaps');
    for (let i = 0; i < 5; i++) await cms.create('default', configMap(`c${i}`, {}, { parity: i % 2 ? 'odd' : 'even' }));
    await cms.create('kube-system', configMap('sys'));
    assert.deepEqual((await cms.list('default', { labelSelector: 'parity=odd' })).items.map(name), ['c1', 'c3']);
    assert.deepEqual((await cms.list('default', { fieldSelector: 'metadata.name=c4' })).items.map(name), ['c4']);
    const page1 = await cms.list('default', { limit: 2 });
    assert.equal(page1.items.length, 2);
    assert.ok(page1.metadata.continue);
    const page2 = await cms.list('default', { limit: 10, continue: page1.metadata.continue });
    assert.deepEqual([...page1.items, ...page2.items].map(name), ['c0', 'c1', 'c2', 'c3', 'c4']);
    const all = await cms.list(undefined);
    assert.ok(all.items.map(name).includes('sys'));
  });

  test('updateStatus changes only the status; update ignores status', async (t) => {
    const { client } = await startRegistry(t);
    const deps = client.resource('apps', 'v1', 'deployments');
    const d = await deps.create('default', deployment('web', 2));
    const withStatus = await deps.updateStatus('default', { ...d, spec: { ...(d.spec as object), replicas: 9 }, status: { replicas: 2, observedGeneration: 1 } });
    assert.equal((withStatus.status as { replicas: number }).replicas, 2);
    assert.equal((withStatus.spec as { replicas: number }).replicas, 2);
    const viaUpdate = await deps.update('default', { ...withStatus, status: { replicas: 7 } });
    assert.equal((viaUpdate.status as { replicas: number }).replicas, 2);
    const statusPatched = await deps.patch('default', 'web', 'merge', { status: { availableReplicas: 1 } }, { subresource: 'status' });
    assert.equal((statusPatched.status as { availableReplicas: number }).availableReplicas, 1);
  });

  test('scale subresource, bind and evict', async (t) => {
    const { client } = await startRegistry(t);
    const deps = client.resource('apps', 'v1', 'deployments');
    await deps.create('default', deployment('web', 2));
    const scale = await deps.getScale('default', 'web');
    assert.equal(scale.kind, 'Scale');
    assert.equal((scale.spec as { replicas: number }).replicas, 2);
    const scaled = await deps.updateScale('default', 'web', { ...scale, spec: { replicas: 5 } });
    assert.equal((scaled.spec as { replicas: number }).replicas, 5);
    assert.equal(((await deps.get('default', 'web')).spec as { replicas: number }).replicas, 5);
    await assert.rejects(client.resource('', 'v1', 'configmaps').getScale('default', 'x'), isNotFound);

    const pods = client.resource('', 'v1', 'pods');
    const p = await pods.create('default', pod('p1'));
    await pods.bind('default', 'p1', 'node-a', { uid: (p.metadata as { uid: string }).uid });
    const bound = await pods.get('default', 'p1');
    assert.equal((bound.spec as { nodeName: string }).nodeName, 'node-a');
    await assert.rejects(pods.bind('default', 'p1', 'node-b'), isConflict);

    // A PodDisruptionBudget that allows no disruption makes the eviction of a running pod 429.
    await pods.updateStatus('default', { ...bound, status: { phase: 'Running' } });
    const pdbs = client.resource('policy', 'v1', 'poddisruptionbudgets');
    const pdb = await pdbs.create('default', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } });
    await pdbs.updateStatus('default', { ...pdb, status: { observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } });
    await assert.rejects(pods.evict('default', 'p1'), isTooManyRequests);
    await pdbs.delete('default', 'web');
    await pods.evict('default', 'p1', { gracePeriodSeconds: 0 });
    await assert.rejects(pods.get('default', 'p1'), isNotFound);
  });

  test('delete with finalizers keeps the object; deleteCollection; dry run stores nothing', async (t) => {
    const { client } = await startRegistry(t);
    const cms = client.resource('', 'v1', 'configmaps');
    await cms.create('default', { ...configMap('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const pending = await cms.delete('default', 'held');
    assert.ok((pending.metadata as { deletionTimestamp?: string }).deletionTimestamp);
    await cms.create('default', configMap('dry'), { dryRun: true });
    await assert.rejects(cms.get('default', 'dry'), isNotFound);
    for (const n of ['x1', 'x2', 'y1']) await cms.create('default', configMap(n, {}, { group: n[0] }));
    const deleted = await cms.deleteCollection('default', { labelSelector: 'group=x' });
    assert.deepEqual(deleted.items.map(name).sort(), ['x1', 'x2']);
    assert.deepEqual((await cms.list('default')).items.map(name).sort(), ['held', 'y1']);
  });

  test('watch: events in order, bookmarks, abort ends the iteration, 410 thrown as ApiError', async (t) => {
    const { client, store } = await startRegistry(t, { watchCacheSize: 4 });
    const cms = client.resource('', 'v1', 'configmaps');
    const a = await cms.create('default', configMap('a'));
    const ac = new AbortController();
    const seen: WatchEvent[] = [];
    const done = (async () => {
      for await (const ev of cms.watch('default', { resourceVersion: resourceVersion(a), signal: ac.signal })) {
        seen.push(ev);
        if (seen.length === 3) ac.abort();
      }
    })();
    const b = await cms.create('default', configMap('b'));
    await cms.update('default', { ...b, data: { k: '1' } });
    await cms.delete('default', 'a');
    await done;
    assert.deepEqual(seen.map((e) => `${e.type} ${name(e.object)}`), ['ADDED b', 'MODIFIED b', 'DELETED a']);

    // sendInitialEvents: the current state, then the bookmark marking its end.
    const ac2 = new AbortController();
    const initial: WatchEvent[] = [];
    for await (const ev of cms.watch('default', { sendInitialEvents: true, allowWatchBookmarks: true, signal: ac2.signal })) {
      initial.push(ev);
      if (ev.type === 'BOOKMARK') break;
    }
    ac2.abort();
    assert.deepEqual(initial.map((e) => e.type), ['ADDED', 'BOOKMARK']);
    assert.equal((initial[1].object.metadata as { annotations: Record<string, string> }).annotations['k8s.io/initial-events-end'], 'true');

    // A version older than the cache window and compacted in the store: 410, thrown.
    for (let i = 0; i < 8; i++) await cms.create('default', configMap(`f${i}`));
    const rev = Number(resourceVersion(await cms.get('default', 'f7')));
    await store.compact(rev);
    const ac3 = new AbortController();
    t.after(() => ac3.abort());
    await assert.rejects(
      (async () => {
        for await (const _ of cms.watch('default', { resourceVersion: resourceVersion(a), signal: ac3.signal })) void _;
      })(),
      (e) => isGone(e) && (e as ApiError).status.reason === 'Expired',
    );
  });
});
