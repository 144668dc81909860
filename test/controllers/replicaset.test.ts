import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { controllerOf, deletionTimestamp, field, name } from '../../src/client/objects.js';
import type { Obj } from '../../src/client/types.js';
import { startCluster, until } from './helpers.js';

const rsManifest = (replicas: number): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

describe('ReplicaSet controller', () => {
  test('creates pods to match replicas, reports status, scales down and adopts orphans', async (t) => {
    const c = await startCluster(t);
    const rsc = c.res('apps', 'v1', 'replicasets');
    await rsc.create('default', rsManifest(3));
    const live = async () => (await c.pods.list('default')).items.filter((p) => !deletionTimestamp(p));
    await until(async () => {
      const rs = await rsc.get('default', 'web');
      return field(rs, 'status', 'availableReplicas') === 3 && field(rs, 'status', 'readyReplicas') === 3;
    }, 'three available replicas');
    const pods = await live();
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(name(p), /^web-[a-z0-9]{5}$/);
      const ref = controllerOf(p)!;
      assert.equal(ref.kind, 'ReplicaSet');
      assert.equal(ref.blockOwnerDeletion, true);
    }
    const rs = await rsc.get('default', 'web');
    assert.deepEqual(
      { ...(rs.status as Obj) },
      { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 },
    );

    // An orphan with matching labels is adopted, and the surplus pod deleted.
    await c.pods.create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await until(async () => {
      const ps = await live();
      return ps.length === 3 && ps.every((p) => controllerOf(p)?.name === 'web');
    }, 'adoption and a surplus deletion');

    await rsc.patch('default', 'web', 'merge', { spec: { replicas: 1 } });
    await until(async () => (await live()).length === 1 && field(await rsc.get('default', 'web'), 'status', 'replicas') === 1, 'scale down to 1');
    // Events on the ReplicaSet, as `kubectl describe rs` lists them: one per pod created or deleted.
    const rsEvents = async (reason: string) =>
      (await c.res('', 'v1', 'events').list('default')).items.filter((e) => field(e, 'involvedObject', 'kind') === 'ReplicaSet' && field(e, 'involvedObject', 'name') === 'web' && e.reason === reason);
    let deleted: Obj[] = [];
    await until(async () => (deleted = await rsEvents('SuccessfulDelete')).length === 3, 'three SuccessfulDelete events');
    const survivors = new Set((await live()).map(name));
    for (const e of deleted) {
      assert.equal(e.type, 'Normal');
      assert.match(String(e.message), /^Deleted pod: (stray|web-[a-z0-9]{5})$/);
      assert.ok(!survivors.has(String(e.message).slice('Deleted pod: '.length)));
    }
    const createdMsgs = (await rsEvents('SuccessfulCreate')).map((e) => e.message);
    for (const p of pods) assert.ok(createdMsgs.includes(`Created pod: ${name(p)}`), `event for ${name(p)}`);
    // The remaining pod is released when its labels stop matching.
    const [last] = await live();
    await c.pods.patch('default', name(last), 'merge', { metadata: { labels: { app: 'other' } } });
    await until(async () => {
      const ps = await live();
      const released = ps.find((p) => name(p) === name(last));
      return released !== undefined && controllerOf(released) === undefined && ps.length === 2;
    }, 'release and replacement');
  });
});

describe('ReplicationController', () => {
  test('keeps replicas pods with its map selector and reports status', async (t) => {
    const c = await startCluster(t);
    const rcs = c.res('', 'v1', 'replicationcontrollers');
    await rcs.create('default', { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'legacy' }, spec: { replicas: 2, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } });
    await until(async () => field(await rcs.get('default', 'legacy'), 'status', 'availableReplicas') === 2, 'two available');
    const pods = (await c.pods.list('default')).items;
    assert.equal(pods.length, 2);
    assert.ok(pods.every((p) => controllerOf(p)?.kind === 'ReplicationController' && controllerOf(p)?.name === 'legacy'));
  });
});
