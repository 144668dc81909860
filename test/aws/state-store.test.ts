// One contract for every AwsStateStore: in memory, and as ConfigMaps in a real `kumo apiserver`
// (which also survives a restart of that server).
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpClient } from '../../src/client/http.js';
import { clientOptionsFromKubeconfigFile } from '../../src/client/kubeconfig.js';
import { KubeAwsStateStore, MemoryAwsStateStore, type AwsStateStore } from '../../src/aws/index.js';
import { startApiServer } from '../helpers/apiserver.js';

async function contract(store: AwsStateStore): Promise<void> {
  assert.equal(await store.get('role', 'missing'), undefined);
  await store.put('role', 'b+=,.@_-role', { RoleName: 'B+=,.@_-Role', n: 1 });
  await store.put('role', 'a', { RoleName: 'A', n: 1 });
  await store.put('user', 'a', { UserName: 'A' });
  assert.deepEqual(await store.get('role', 'b+=,.@_-role'), { RoleName: 'B+=,.@_-Role', n: 1 });
  await store.put('role', 'a', { RoleName: 'A', n: 2 });
  assert.deepEqual(await store.list('role'), [{ RoleName: 'A', n: 2 }, { RoleName: 'B+=,.@_-Role', n: 1 }]);
  assert.deepEqual(await store.list('user'), [{ UserName: 'A' }]);
  const got = await store.get<{ n: number }>('role', 'a');
  got!.n = 99; // callers never share objects with the store
  assert.deepEqual(await store.get('role', 'a'), { RoleName: 'A', n: 2 });
  assert.equal(await store.delete('role', 'a'), true);
  assert.equal(await store.delete('role', 'a'), false);
  assert.deepEqual(await store.list('role'), [{ RoleName: 'B+=,.@_-Role', n: 1 }]);
}

describe('AwsStateStore contract', () => {
  test('memory', () => contract(new MemoryAwsStateStore()));

  test('ConfigMaps in kumo-iam, durable across an API server restart', async (t: TestContext) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kumo-aws-state-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    let server = await startApiServer(t, { storage: 'sqlite', dataDir });
    await contract(new KubeAwsStateStore(createHttpClient(clientOptionsFromKubeconfigFile(server.kubeconfig))));
    await server.stop();
    server = await startApiServer(t, { storage: 'sqlite', dataDir });
    const again = new KubeAwsStateStore(createHttpClient(clientOptionsFromKubeconfigFile(server.kubeconfig)));
    assert.deepEqual(await again.list('role'), [{ RoleName: 'B+=,.@_-Role', n: 1 }]);
    assert.deepEqual(await again.get('user', 'a'), { UserName: 'A' });
  });
});
