// The kubelet version simulated nodes report follows the control plane's Kubernetes version at the
// time each node is created, as on EKS, where nodes run the kubelet of the cluster's minor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Obj } from '../../src/client/types.js';
import { startApiServer } from '../../src/main/apiserver.js';
import { kubeletVersionFor } from '../../src/kubelet/node-object.js';
import { startCluster } from './fixture.js';

test('kubeletVersionFor: the cluster version with an EKS build suffix; bad versions are refused', () => {
  assert.match(kubeletVersionFor('1.31'), /^v1\.31\.\d+-eks-[0-9a-f]+$/);
  assert.match(kubeletVersionFor('v1.32.4'), /^v1\.32\.4-eks-[0-9a-f]+$/);
  assert.throws(() => kubeletVersionFor('latest'), /invalid Kubernetes version/);
});

test('nodes created for a 1.31 control plane report a v1.31 kubelet; nodes added after an upgrade report the new version', async (t) => {
  let controlPlane = '1.31';
  const { client, sim } = await startCluster(t, { kubeletVersion: () => kubeletVersionFor(controlPlane) });
  const kubeletOf = async (name: string) => {
    const node = await client.resource('', 'v1', 'nodes').get(undefined, name);
    return ((node.status as Obj).nodeInfo as Record<string, string>).kubeletVersion;
  };
  const [old] = await sim.addNodes({ count: 1, namePrefix: 'old' });
  assert.match(await kubeletOf(old), /^v1\.31\.\d+-eks-/);
  controlPlane = '1.32';
  const [added] = await sim.addNodes({ count: 1, namePrefix: 'new' });
  assert.match(await kubeletOf(added), /^v1\.32\.\d+-eks-/);
  assert.match(await kubeletOf(old), /^v1\.31\.\d+-eks-/);
});

test('an API server started for Kubernetes 1.31 registers nodes with a v1.31 kubelet', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-kubelet-version-'));
  const server = await startApiServer({ port: 0, host: '127.0.0.1', dataDir: dir, storage: 'memory', kubernetesVersion: '1.31', cluster: { nodes: 1 } });
  t.after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const nodes = await server.registry.list(server.catalog.resource('', 'v1', 'nodes')!, undefined, {});
  const items = nodes['items'] as Obj[];
  assert.equal(items.length, 1);
  assert.match(((items[0].status as Obj).nodeInfo as Record<string, string>).kubeletVersion, /^v1\.31\.0-eks-/);
});
