import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { controllerOf, deletionTimestamp, finalizers, ownerReferences } from '../../src/client/objects.js';
import type { Obj } from '../../src/client/types.js';
import { deploymentManifest, startCluster, until } from './helpers.js';
import type { Cluster } from './helpers.js';

async function rolledOut(c: Cluster, nm: string): Promise<void> {
  const deps = c.res('apps', 'v1', 'deployments');
  await until(async () => (await deps.get('default', nm).then((d) => (d.status as Obj | undefined)?.availableReplicas)) === 2, `${nm} available`);
}

describe('garbage collector', () => {
  test('background deletion removes the ReplicaSet and pods of a deleted Deployment', async (t) => {
    const c = await startCluster(t);
    const deps = c.res('apps', 'v1', 'deployments');
    const rss = c.res('apps', 'v1', 'replicasets');
    await deps.create('default', deploymentManifest('bg', 2));
    await rolledOut(c, 'bg');
    await deps.delete('default', 'bg');
    await until(async () => (await rss.list('default')).items.length === 0 && (await c.pods.list('default')).items.length === 0, 'dependents gone');
  });

  test('foreground deletion keeps the owner (finalizer foregroundDeletion) until its dependents are gone', async (t) => {
    const c = await startCluster(t);
    const deps = c.res('apps', 'v1', 'deployments');
    const rss = c.res('apps', 'v1', 'replicasets');
    await deps.create('default', deploymentManifest('fg', 2));
    await rolledOut(c, 'fg');
    c.kubelet.paused = true; // pods stay Terminating until the "kubelet" runs again
    const answer = await deps.delete('default', 'fg', { propagationPolicy: 'Foreground' });
    assert.ok(deletionTimestamp(answer));
    assert.deepEqual(finalizers(answer), ['foregroundDeletion']);
    await until(async () => (await c.pods.list('default')).items.every((p) => deletionTimestamp(p) !== undefined), 'pods terminating');
    const d = await deps.get('default', 'fg');
    assert.deepEqual(finalizers(d), ['foregroundDeletion'], 'the owner waits for its dependents');
    c.kubelet.paused = false;
    c.kubelet.poke();
    await until(async () => (await deps.list('default')).items.length === 0, 'owner deleted after dependents');
    assert.equal((await rss.list('default')).items.length, 0);
    assert.equal((await c.pods.list('default')).items.length, 0);
  });

  test('orphan deletion removes owner references from dependents and keeps them', async (t) => {
    const c = await startCluster(t);
    const deps = c.res('apps', 'v1', 'deployments');
    const rss = c.res('apps', 'v1', 'replicasets');
    await deps.create('default', deploymentManifest('or', 2));
    await rolledOut(c, 'or');
    await deps.delete('default', 'or', { propagationPolicy: 'Orphan' });
    await until(async () => (await deps.list('default')).items.length === 0, 'owner deleted');
    const [rs] = (await rss.list('default')).items;
    assert.ok(rs);
    assert.deepEqual(ownerReferences(rs), []);
    const pods = (await c.pods.list('default')).items;
    assert.equal(pods.length, 2);
    assert.ok(pods.every((p) => controllerOf(p)?.kind === 'ReplicaSet'));
  });

  test('a ConfigMap owned by a deleted ConfigMap is collected; one with a remaining owner loses only the dangling reference', async (t) => {
    const c = await startCluster(t);
    const cms = c.res('', 'v1', 'configmaps');
    const a = await cms.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    const b = await cms.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
    const ref = (o: Obj) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: (o.metadata as Obj).name, uid: (o.metadata as Obj).uid });
    await cms.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'only-a', ownerReferences: [ref(a)] } });
    await cms.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a-and-b', ownerReferences: [ref(a), ref(b)] } });
    await cms.delete('default', 'a');
    await until(async () => {
      const names = (await cms.list('default')).items.map((o) => (o.metadata as Obj).name);
      if (names.includes('only-a')) return false;
      const both = await cms.get('default', 'a-and-b');
      return ownerReferences(both).length === 1 && ownerReferences(both)[0].name === 'b';
    }, 'collection of only-a and cleanup of a-and-b');
  });
});

describe('garbage collector: owners of any kind', () => {
  test('a ConfigMap owned by a Node goes when the Node is deleted', async (t) => {
    const c = await startCluster(t);
    const node = await c.res('', 'v1', 'nodes').get(undefined, 'node-a');
    const cms = c.res('', 'v1', 'configmaps');
    await cms.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'per-node', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node-a', uid: (node.metadata as Obj).uid }] } });
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(await cms.get('default', 'per-node'));
    await c.res('', 'v1', 'nodes').delete(undefined, 'node-a');
    await until(async () => !(await cms.list('default')).items.some((o) => (o.metadata as Obj).name === 'per-node'), 'collection after the Node went');
  });
});
