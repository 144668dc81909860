// @kubernetes/client-node's informer keeps an exact cache of ConfigMaps across a restart of
// `kumo apiserver` (its watch resumes from the last resourceVersion and the server replays what it
// missed) and across a 410 Expired after compaction (it relists). The client reconnects the way
// client-node's documentation shows: start() again after an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import { apiRequest, startApiServer, type TestApiServer } from '../helpers/apiserver.js';
import { until } from '../helpers/wait.js';

const CMS = '/api/v1/namespaces/default/configmaps';

test('client-node informer cache stays exact across a restart and a 410 Expired', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kumo-informer-'));
  const servers: TestApiServer[] = [];
  t.after(async () => {
    for (const s of servers) await s.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const start = async (extraArgs: string[] = [], port?: number) => {
    const s = await startApiServer(undefined, { dataDir, port, extraArgs });
    servers.push(s);
    return s;
  };
  let server = await start();
  const port = Number(new URL(server.url).port);

  const write = async (method: string, name: string, data?: Record<string, string>) => {
    const path = method === 'POST' ? CMS : `${CMS}/${name}`;
    const body = method === 'DELETE' ? undefined : JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
    const res = await apiRequest(server, method, path, { body, contentType: body ? 'application/json' : undefined });
    assert.ok(res.status < 300, `${method} ${name}: ${res.body}`);
  };
  const serverState = async () => {
    const list = (await apiRequest(server, 'GET', CMS)).json();
    return (list.items as V1ConfigMap[]).map((c) => `${c.metadata!.name}@${c.metadata!.resourceVersion}:${JSON.stringify(c.data ?? {})}`).sort();
  };

  await write('POST', 'a1', { v: '1' });
  await write('POST', 'a2', { v: '1' });

  const kc = new KubeConfig();
  kc.loadFromFile(server.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  let lists = 0;
  const informer = makeInformer(kc, CMS, () => {
    lists++;
    return core.listNamespacedConfigMap({ namespace: 'default' });
  });
  let errors = 0;
  informer.on('error', () => errors++);
  const cacheState = () => informer.list().map((c) => `${c.metadata!.name}@${c.metadata!.resourceVersion}:${JSON.stringify(c.data ?? {})}`).sort();
  const inSync = async () => JSON.stringify(cacheState()) === JSON.stringify(await serverState());
  t.after(() => informer.stop());

  await informer.start();
  await until('the first sync', inSync);
  await write('POST', 'a3', { v: '1' });
  await until('a3 through the watch', inSync);
  assert.equal(lists, 1);

  await t.test('a restart: the watch resumes from its resourceVersion and misses nothing', async () => {
    await server.stop();
    await until('the informer to notice the server is gone', () => errors > 0);
    server = await start([], port);
    await write('PUT', 'a1', { v: '2' });
    await write('DELETE', 'a2');
    await write('POST', 'a4', { v: '1' });
    await informer.start();
    await until('the changes made while disconnected', inSync);
    assert.equal(lists, 1, 'resumed by watch, not by a relist');
  });

  await t.test('a 410 Expired after compaction: the informer relists and is exact again', async () => {
    // The client goes away for a while; meanwhile objects change and the server restarts with
    // aggressive compaction, so the history after the client's resourceVersion is gone.
    await informer.stop();
    // ListWatch (what makeInformer returns) exposes the resourceVersion its watch resumes from.
    const rv = (informer as unknown as { latestResourceVersion(): string }).latestResourceVersion();
    await write('PUT', 'a3', { v: '2' });
    await write('DELETE', 'a4');
    await server.stop();
    server = await start(['--etcd-compaction-interval', '300ms'], port);
    await write('POST', 'a5', { v: '1' });
    // Wait until the informer's resourceVersion has been compacted away: a watch from it is answered 410.
    await until('compaction past the informer\'s resourceVersion', async () => {
      const res = await apiRequest(server, 'GET', `${CMS}?watch=true&resourceVersion=${rv}&timeoutSeconds=1`);
      return /"code":410/.test(res.body) || res.status === 410;
    });
    await informer.start();
    await until('the relist after 410', inSync);
    assert.equal(lists, 2, 'one relist after the 410');
  });
});
