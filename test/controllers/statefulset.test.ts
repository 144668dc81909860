import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedInformerFactory } from '../../src/client/informer-factory.js';
import { deletionTimestamp, field, labels, name } from '../../src/client/objects.js';
import type { Obj } from '../../src/client/types.js';
import { RealClock } from '../../src/util/clock.js';
import { startCluster, until } from './helpers.js';

const stsManifest = (replicas: number, extra: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db', namespace: 'default' },
  spec: {
    replicas,
    serviceName: 'db',
    selector: { matchLabels: { app: 'db' } },
    template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    ...extra,
  },
});

describe('StatefulSet controller', () => {
  test('OrderedReady creates db-0, db-1, db-2 in order with claims, and a partitioned update rolls from the highest ordinal', async (t) => {
    const c = await startCluster(t);
    // Record the order in which pods appear.
    const watcher = new SharedInformerFactory(c.client, new RealClock());
    const created: string[] = [];
    const inf = watcher.informerFor('', 'v1', 'pods');
    inf.addEventHandler({ onAdd: (p) => created.push(name(p)) });
    inf.start();
    t.after(() => watcher.stop());
    await inf.waitForSync();

    const sets = c.res('apps', 'v1', 'statefulsets');
    await sets.create('default', stsManifest(3));
    await until(async () => ((await sets.get('default', 'db')).status as Obj | undefined)?.readyReplicas === 3, 'three ready replicas');
    assert.deepEqual(created, ['db-0', 'db-1', 'db-2']);
    const pods = (await c.pods.list('default')).items;
    for (const p of pods) {
      assert.equal(field(p, 'spec', 'hostname'), name(p));
      assert.equal(field(p, 'spec', 'subdomain'), 'db');
      assert.equal(labels(p)['statefulset.kubernetes.io/pod-name'], name(p));
      assert.equal(labels(p)['apps.kubernetes.io/pod-index'], name(p).split('-')[1]);
      const vols = field(p, 'spec', 'volumes') as Obj[];
      assert.ok(vols.some((v) => v.name === 'data' && (v.persistentVolumeClaim as Obj).claimName === `data-${name(p)}`));
    }
    const pvcs = (await c.res('', 'v1', 'persistentvolumeclaims').list('default')).items.map(name).sort();
    assert.deepEqual(pvcs, ['data-db-0', 'data-db-1', 'data-db-2']);
    let set = await sets.get('default', 'db');
    const s1 = set.status as Obj;
    assert.equal(s1.currentRevision, s1.updateRevision);
    assert.deepEqual([s1.replicas, s1.readyReplicas, s1.currentReplicas, s1.updatedReplicas, s1.availableReplicas], [3, 3, 3, 3, 3]);

    // Partition 1: db-2 and db-1 move to the new revision, db-0 stays.
    await sets.patch('default', 'db', 'merge', { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } }, template: { spec: { containers: [{ name: 'db', image: 'postgres:17' }] } } } });
    const image = (p: Obj) => (field(p, 'spec', 'containers') as Obj[])[0].image;
    await until(async () => {
      const ps = (await c.pods.list('default')).items.filter((p) => !deletionTimestamp(p));
      const by = Object.fromEntries(ps.map((p) => [name(p), image(p)]));
      return by['db-0'] === 'postgres:16' && by['db-1'] === 'postgres:17' && by['db-2'] === 'postgres:17' && ((await sets.get('default', 'db')).status as Obj).readyReplicas === 3;
    }, 'partitioned update');
    const order = created.slice(3);
    assert.deepEqual(order, ['db-2', 'db-1'], 'highest ordinal first');
    set = await sets.get('default', 'db');
    const s2 = set.status as Obj;
    assert.notEqual(s2.currentRevision, s2.updateRevision);
    assert.deepEqual([s2.currentReplicas, s2.updatedReplicas], [1, 2]);

    // Scale down removes the highest ordinal.
    await sets.patch('default', 'db', 'merge', { spec: { replicas: 2 } });
    await until(async () => (await c.pods.list('default')).items.map(name).sort().join() === 'db-0,db-1', 'scale down to 2');
  });

  test('Parallel creates every pod at once', async (t) => {
    const c = await startCluster(t, { outcome: () => 'hold' });
    const sets = c.res('apps', 'v1', 'statefulsets');
    await sets.create('default', stsManifest(3, { podManagementPolicy: 'Parallel', volumeClaimTemplates: [] }));
    // Pods never become ready, yet all three exist.
    await until(async () => (await c.pods.list('default')).items.length === 3, 'three pods without waiting');
  });
});

describe('StatefulSet claim retention', () => {
  test('whenScaled and whenDeleted Delete remove claims with their pod or their set', async (t) => {
    const c = await startCluster(t);
    const sets = c.res('apps', 'v1', 'statefulsets');
    const pvcs = c.res('', 'v1', 'persistentvolumeclaims');
    await sets.create('default', stsManifest(2, { persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete', whenDeleted: 'Delete' } }));
    await until(async () => ((await sets.get('default', 'db')).status as Obj | undefined)?.readyReplicas === 2, 'two ready replicas');
    await until(async () => (await pvcs.list('default')).items.every((p) => ((p.metadata as Obj).ownerReferences as Obj[] | undefined)?.[0]?.kind === 'StatefulSet'), 'claims owned by the set');
    await sets.patch('default', 'db', 'merge', { spec: { replicas: 1 } });
    await until(async () => (await pvcs.list('default')).items.map(name).join() === 'data-db-0', 'claim of db-1 removed with its pod');
    await sets.delete('default', 'db');
    await until(async () => (await pvcs.list('default')).items.length === 0, 'claims removed with the set');
  });
});
