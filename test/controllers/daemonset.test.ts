import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deletionTimestamp, field, labels } from '../../src/client/objects.js';
import type { Obj } from '../../src/client/types.js';
import { createNode, startCluster, until } from './helpers.js';

const dsManifest = (image: string): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'a', image }] } },
  },
});

describe('DaemonSet controller', () => {
  test('one pod per eligible node (nodeSelector, taints, automatic tolerations), pinned by matchFields; a rolling update replaces them', async (t) => {
    const c = await startCluster(t, { nodes: ['node-a', 'node-b'] });
    await createNode(c.client, 'tainted', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] });
    await createNode(c.client, 'cordoned', { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] });
    await createNode(c.client, 'win', { labels: { 'kubernetes.io/os': 'windows' } });
    const dss = c.res('apps', 'v1', 'daemonsets');
    await dss.create('default', dsManifest('agent:1'));
    const livePods = async () => (await c.pods.list('default')).items.filter((p) => !deletionTimestamp(p));
    await until(async () => {
      const s = (await dss.get('default', 'agent')).status as Obj | undefined;
      return s?.numberAvailable === 3 && s.updatedNumberScheduled === 3;
    }, 'three available daemon pods');
    const ds = await dss.get('default', 'agent');
    assert.deepEqual(ds.status, { currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 3, observedGeneration: 1, updatedNumberScheduled: 3, numberAvailable: 3 });
    const pods = await livePods();
    assert.deepEqual(pods.map((p) => field(p, 'spec', 'nodeName')).sort(), ['cordoned', 'node-a', 'node-b']);
    for (const p of pods) {
      const terms = field(p, 'spec', 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms') as Obj[];
      assert.deepEqual(terms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [field(p, 'spec', 'nodeName')] }] }]);
      const keys = (field(p, 'spec', 'tolerations') as Obj[]).map((x) => `${x.key}:${x.effect}`);
      for (const k of ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule', 'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule']) {
        assert.ok(keys.includes(k), `toleration ${k}`);
      }
      assert.ok(labels(p)['controller-revision-hash']);
    }
    const revs = (await c.res('apps', 'v1', 'controllerrevisions').list('default')).items;
    assert.equal(revs.length, 1);
    assert.equal(revs[0].revision, 1);

    // A new node gets a pod too.
    await createNode(c.client, 'node-c');
    await until(async () => (await livePods()).length === 4, 'a pod on the new node');

    await dss.patch('default', 'agent', 'strategic', { spec: { template: { spec: { containers: [{ name: 'a', image: 'agent:2' }] } } } });
    await until(async () => {
      const s = (await dss.get('default', 'agent')).status as Obj;
      const ps = await livePods();
      return s.observedGeneration === 2 && s.updatedNumberScheduled === 4 && s.numberAvailable === 4 && ps.length === 4 && ps.every((p) => (field(p, 'spec', 'containers') as Obj[])[0].image === 'agent:2');
    }, 'rolling update');
    const revs2 = (await c.res('apps', 'v1', 'controllerrevisions').list('default')).items;
    assert.deepEqual(revs2.map((r) => r.revision).sort(), [1, 2]);
  });
});
