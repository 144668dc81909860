// The HTTP client against a real `kumo apiserver` process: CRUD, watch and error mapping over HTTPS
// with the admin token and CA of the kubeconfig the server wrote.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../src/api/status.js';
import { isAlreadyExists, isConflict, isInvalid, isNotFound, isTimeout, isUnauthorized } from '../../src/client/errors.js';
import { createHttpClient } from '../../src/client/http.js';
import type { HttpClientOptions, HttpKubeClient } from '../../src/client/http.js';
import { Informer } from '../../src/client/informer.js';
import { clientOptionsFromKubeconfigFile } from '../../src/client/kubeconfig.js';
import { name, resourceVersion } from '../../src/client/objects.js';
import type { WatchEvent } from '../../src/client/types.js';
import { RealClock } from '../../src/util/clock.js';
import { startApiServer } from '../helpers/apiserver.js';
import type { TestApiServer } from '../helpers/apiserver.js';
import { configMap, deployment, pod } from './registry-fixture.js';

describe('HTTP client', () => {
  let server: TestApiServer;
  let opts: HttpClientOptions;
  let client: HttpKubeClient;
  before(async () => {
    server = await startApiServer(undefined, { storage: 'memory' });
    opts = clientOptionsFromKubeconfigFile(server.kubeconfig);
    client = createHttpClient({ ...opts, userAgent: 'kumo-client-test/v0' });
  });
  after(async () => {
    client?.close();
    await server?.stop();
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
  });

  test('CRUD, list paging, watch, errors as ApiErrors, informer over HTTP', async (t) => {
    assert.equal(opts.server, server.url);
    const cms = client.resource('', 'v1', 'configmaps');

    const created = await cms.create('default', configMap('a', { k: 'v' }));
    assert.equal(name(created), 'a');
    assert.equal((created.metadata as { namespace: string }).namespace, 'default');
    const got = await cms.get('default', 'a');
    assert.deepEqual(got.data, { k: 'v' });
    const updated = await cms.update(undefined, { ...got, data: { k: 'v2' } });
    assert.deepEqual(updated.data, { k: 'v2' });

    // Errors carry the server's Status.
    await assert.rejects(cms.create('default', configMap('a')), (e) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status.message, 'configmaps "a" already exists');
      return isAlreadyExists(e) && e.code === 409;
    });
    await assert.rejects(cms.update('default', { ...got, data: { k: 'stale' } }), (e) => isConflict(e) && (e as ApiError).code === 409);
    await assert.rejects(cms.get('default', 'missing'), (e) => isNotFound(e) && (e as Error).message === 'configmaps "missing" not found');
    await assert.rejects(cms.create('default', configMap('Bad_Name')), (e) => isInvalid(e) && (e as ApiError).code === 422);
    await assert.rejects(client.resource('', 'v1', 'nosuchthings').list(undefined), (e) => isNotFound(e) && (e as ApiError).code === 404);
    const stranger = createHttpClient({ ...opts, token: 'not-a-token' });
    t.after(() => stranger.close());
    await assert.rejects(stranger.resource('', 'v1', 'configmaps').list('default'), (e) => isUnauthorized(e) && (e as ApiError).code === 401);

    // Lists with selectors and pages.
    for (let i = 0; i < 5; i++) await cms.create('default', configMap(`p${i}`, {}, { page: 'yes' }));
    const page1 = await cms.list('default', { labelSelector: 'page=yes', limit: 2 });
    assert.equal(page1.items.length, 2);
    const page2 = await cms.list('default', { labelSelector: 'page=yes', limit: 10, continue: page1.metadata.continue });
    assert.deepEqual([...page1.items, ...page2.items].map(name), ['p0', 'p1', 'p2', 'p3', 'p4']);

    // Watch from a resourceVersion: the changes after it, in order; abort ends it.
    const ac = new AbortController();
    const events: WatchEvent[] = [];
    const watching = (async () => {
      for await (const ev of cms.watch('default', { resourceVersion: resourceVersion(updated), signal: AbortSignal.any([ac.signal, AbortSignal.timeout(10_000)]) })) {
        events.push(ev);
        if (events.length === 6) ac.abort();
      }
    })();
    await cms.delete('default', 'a');
    await watching;
    assert.deepEqual(
      events.map((e) => `${e.type} ${name(e.object)}`),
      ['ADDED p0', 'ADDED p1', 'ADDED p2', 'ADDED p3', 'ADDED p4', 'DELETED a'],
    );

    // A failure after the stream started comes as an ERROR event, thrown from the iterator as the
    // ApiError it carries: a resourceVersion from the future times out (504) after the server's wait.
    await assert.rejects(
      (async () => {
        for await (const _ of cms.watch('default', { resourceVersion: '99999999', signal: AbortSignal.timeout(10_000) })) void _;
      })(),
      (e) => isTimeout(e) && (e as ApiError).code === 504 && /Too large resource version/.test((e as Error).message),
    );

    // An informer over HTTP (WatchList) follows changes.
    const informer = new Informer({ client: cms, clock: new RealClock(), namespace: 'default', name: 'configmaps' });
    t.after(() => informer.stop());
    informer.start();
    assert.equal(await informer.waitForSync(AbortSignal.timeout(10_000)), true);
    await cms.create('default', configMap('late'));
    const fresh = await cms.list('default');
    const deadline = Date.now() + 10_000;
    while (Number(informer.lastSyncResourceVersion()) < Number(fresh.metadata.resourceVersion)) {
      if (Date.now() > deadline) throw new Error('informer did not catch up');
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.deepEqual(informer.lister.list('default').map(name).sort(), fresh.items.map(name).sort());
    await informer.stop();

    // Discovery lists the served resources.
    const resources = await client.resources();
    const deployments = resources.find((r) => r.group === 'apps' && r.resource === 'deployments');
    assert.ok(deployments);
    assert.equal(deployments.namespaced, true);
    assert.ok(deployments.subresources.includes('scale'));
    assert.equal(resources.find((r) => r.resource === 'nodes')?.namespaced, false);
  });

  test('patches, status, scale, bind, evict, delete options and collections', async () => {
    const deps = client.resource('apps', 'v1', 'deployments');
    await deps.create('default', deployment('web', 1));
    const merged = await deps.patch('default', 'web', 'merge', { metadata: { labels: { a: 'b' } } });
    assert.equal((merged.metadata as { labels: Record<string, string> }).labels.a, 'b');
    const strategic = await deps.patch('default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    assert.equal(((strategic.spec as any).template.spec.containers as { image: string }[])[0].image, 'nginx:2');
    const applied = await deps.patch('default', 'web', 'apply', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { owner: 'me' } } }, { fieldManager: 'tester' });
    assert.equal((applied.metadata as { labels: Record<string, string> }).labels.owner, 'me');
    const withStatus = await deps.updateStatus('default', { ...applied, status: { replicas: 1 } });
    assert.equal((withStatus.status as { replicas: number }).replicas, 1);
    const statusPatched = await deps.patch('default', 'web', 'merge', { status: { readyReplicas: 1 } }, { subresource: 'status' });
    assert.equal((statusPatched.status as { readyReplicas: number }).readyReplicas, 1);
    const scale = await deps.getScale('default', 'web');
    assert.equal(scale.kind, 'Scale');
    const scaled = await deps.updateScale('default', 'web', { ...scale, spec: { replicas: 4 } });
    assert.equal((scaled.spec as { replicas: number }).replicas, 4);
    await assert.rejects(deps.patch('default', 'web', 'json', [{ op: 'test', path: '/spec/replicas', value: 99 }]), (e) => e instanceof ApiError && e.code >= 400 && e.code < 500);

    const pods = client.resource('', 'v1', 'pods');
    await pods.create('default', pod('hp1'));
    await pods.bind('default', 'hp1', 'node-1');
    assert.equal(((await pods.get('default', 'hp1')).spec as { nodeName: string }).nodeName, 'node-1');
    await assert.rejects(pods.bind('default', 'hp1', 'node-2'), isConflict);
    await pods.evict('default', 'hp1', { gracePeriodSeconds: 0 });
    await assert.rejects(pods.get('default', 'hp1'), isNotFound);

    const cms = client.resource('', 'v1', 'configmaps');
    const held = await cms.create('default', { ...configMap('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await assert.rejects(cms.delete('default', 'held', { preconditions: { uid: 'not-the-uid' } }), isConflict);
    const pending = await cms.delete('default', 'held', { preconditions: { uid: (held.metadata as { uid: string }).uid } });
    assert.ok((pending.metadata as { deletionTimestamp?: string }).deletionTimestamp);
    await cms.create('default', configMap('dry'), { dryRun: true });
    await assert.rejects(cms.get('default', 'dry'), isNotFound);
    for (const n of ['g1', 'g2']) await cms.create('default', configMap(n, {}, { group: 'g' }));
    const deleted = await cms.deleteCollection('default', { labelSelector: 'group=g' });
    assert.deepEqual(deleted.items.map(name).sort(), ['g1', 'g2']);
    assert.deepEqual((await cms.list('default', { labelSelector: 'group=g' })).items, []);
  });

  test('an informer rides out a server restart: reconnects with backoff, resumes from its resourceVersion', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kumo-client-restart-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const start = () => startApiServer(t, { dataDir, storage: 'sqlite', extraArgs: ['--port', String(port)] });
    let s = await start();
    const c = createHttpClient(clientOptionsFromKubeconfigFile(s.kubeconfig));
    t.after(() => c.close());
    const cms = c.resource('', 'v1', 'configmaps');
    await cms.create('default', configMap('before'));
    const errors: unknown[] = [];
    const seen: string[] = [];
    const informer = new Informer({ client: cms, clock: new RealClock(), namespace: 'default', backoffInitialMs: 50, backoffMaxMs: 200, onError: (e) => errors.push(e) });
    informer.addEventHandler({
      onAdd: (o) => seen.push(`add ${name(o)}`),
      onUpdate: (_, o) => seen.push(`update ${name(o)}`),
      onDelete: (o, finalStateUnknown) => seen.push(`delete ${name(o)}${finalStateUnknown ? ' (inferred)' : ''}`),
    });
    informer.start();
    assert.equal(await informer.waitForSync(AbortSignal.timeout(10_000)), true);
    await s.stop();
    // While the server is down the informer keeps trying (connection refused), backing off.
    const deadline = Date.now() + 10_000;
    while (errors.length < 2) {
      if (Date.now() > deadline) throw new Error('no reconnect attempts');
      await new Promise((r) => setTimeout(r, 10));
    }
    const codes = errors.map((e) => (e as NodeJS.ErrnoException).code ?? String(e));
    assert.ok(codes.every((c) => c === 'ECONNREFUSED'), codes.join(', '));
    s = await start();
    await cms.create('default', configMap('after'));
    await cms.delete('default', 'before');
    const fresh = await cms.list('default');
    while (Number(informer.lastSyncResourceVersion()) < Number(fresh.metadata.resourceVersion)) {
      if (Date.now() > deadline + 10_000) throw new Error('informer did not catch up after the restart');
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.deepEqual(informer.lister.list('default').map(name).sort(), fresh.items.map(name).sort());
    // Resumed, not relisted: the changes came as watch events (a relist would have inferred the
    // delete and re-announced the kept object as an update).
    // (kube-root-ca.crt is the root CA publisher's, made in every namespace whenever it gets to it.)
    assert.deepEqual(seen.filter((e) => !e.endsWith(' kube-root-ca.crt')), ['add before', 'add after', 'delete before']);
    await informer.stop();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
