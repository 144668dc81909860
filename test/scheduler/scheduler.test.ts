// The scheduling loop through the real in-process client over a Registry and MemoryStore: spread
// over zones, taints and tolerations, a pod too big for any node, and preemption.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedInformerFactory } from '../../src/client/informer-factory.js';
import type { KubeClient, Obj } from '../../src/client/types.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import type { FakeClock } from '../../src/util/clock.js';
import { startRegistry } from '../client/registry-fixture.js';
import { node, pod } from './fixtures.js';
import { waitFor } from '../helpers/wait.js';

async function start(t: { after(fn: () => unknown): void }, nodes: Obj[]) {
  const { client, clock } = await startRegistry(t);
  for (const n of nodes) await client.resource('', 'v1', 'nodes').create(undefined, n);
  const informers = new SharedInformerFactory(client, clock);
  const scheduler = new Scheduler({ client, informers, clock });
  await scheduler.start();
  t.after(async () => {
    await scheduler.stop();
    await informers.stop();
  });
  return { client, clock: clock as FakeClock, scheduler };
}

const pods = (c: KubeClient) => c.resource('', 'v1', 'pods');
const nodeOf = async (c: KubeClient, name: string) => ((await pods(c).get('default', name)).spec as { nodeName?: string }).nodeName;

async function events(c: KubeClient, reason: string): Promise<Obj[]> {
  return (await c.resource('events.k8s.io', 'v1', 'events').list('default')).items.filter((e) => e.reason === reason);
}

describe('scheduler loop', () => {
  test('a zone spread constraint with maxSkew 1 places 6 pods 2/2/2', async (t) => {
    const zones = ['a', 'b', 'c'];
    const { client } = await start(t, zones.map((z) => node(`node-${z}`, { labels: { 'topology.kubernetes.io/zone': `zone-${z}` } })));
    const tsc = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }];
    for (let i = 1; i <= 6; i++) await pods(client).create('default', pod(`web-${i}`, { labels: { app: 'web' }, spec: { topologySpreadConstraints: tsc } }));
    const placed = await waitFor('all pods bound', async () => {
      const names = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => nodeOf(client, `web-${i}`)));
      return names.every(Boolean) ? names : undefined;
    });
    const perNode = new Map<string, number>();
    for (const n of placed) perNode.set(n!, (perNode.get(n!) ?? 0) + 1);
    assert.deepEqual([...perNode.values()], [2, 2, 2]);
    const scheduled = await waitFor('Scheduled events', async () => ((await events(client, 'Scheduled')).length === 6 ? await events(client, 'Scheduled') : undefined));
    const e = scheduled.find((x) => (x.regarding as { name: string }).name === 'web-1')!;
    assert.equal(e.note, `Successfully assigned default/web-1 to ${placed[0]}`);
    assert.equal(e.reportingController, 'default-scheduler');
    assert.equal(e.type, 'Normal');
  });

  test('a NoSchedule taint repels and a toleration admits', async (t) => {
    const { client } = await start(t, [node('tainted', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })]);
    await pods(client).create('default', pod('plain'));
    await pods(client).create('default', pod('tolerant', { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] } }));
    assert.equal(await waitFor('tolerant bound', () => nodeOf(client, 'tolerant')), 'tainted');
    const cond = await waitFor('PodScheduled condition', async () => {
      const p = await pods(client).get('default', 'plain');
      return ((p.status as { conditions?: Obj[] }).conditions ?? []).find((c) => c.type === 'PodScheduled');
    });
    assert.equal(cond.status, 'False');
    assert.equal(cond.message, '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.');
    assert.equal(await nodeOf(client, 'plain'), undefined);
  });

  test('a pod too big for any node stays Pending with the upstream message and a FailedScheduling event', async (t) => {
    const { client } = await start(t, [node('n1', { cpu: '2' }), node('n2', { cpu: '2' }), node('n3', { cpu: '2' })]);
    await pods(client).create('default', pod('huge', { cpu: '8' }));
    const msg = '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
    const ev = await waitFor('FailedScheduling event', async () => (await events(client, 'FailedScheduling'))[0]);
    assert.equal(ev.note, msg);
    assert.equal(ev.type, 'Warning');
    assert.equal(ev.reportingController, 'default-scheduler');
    const p = await pods(client).get('default', 'huge');
    const cond = ((p.status as { conditions?: Obj[] }).conditions ?? []).find((c) => c.type === 'PodScheduled')!;
    assert.deepEqual([cond.status, cond.reason, cond.message], ['False', 'Unschedulable', msg]);
    assert.equal((p.status as { phase?: string }).phase, 'Pending');
  });

  test('a higher-priority pod preempts a lower-priority one', async (t) => {
    const { client, clock } = await start(t, [node('only', { cpu: '1' })]);
    await client.resource('scheduling.k8s.io', 'v1', 'priorityclasses').create(undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
    await pods(client).create('default', pod('low', { cpu: '800m' }));
    assert.equal(await waitFor('low bound', () => nodeOf(client, 'low')), 'only');
    await pods(client).create('default', pod('high', { cpu: '800m', spec: { priorityClassName: 'high' } }));
    // The victim is deleted gracefully; play the kubelet and finish the deletion.
    await waitFor('victim terminating', async () => {
      try {
        const low = await pods(client).get('default', 'low');
        return (low.metadata as { deletionTimestamp?: string }).deletionTimestamp ? true : undefined;
      } catch {
        return true;
      }
    });
    await pods(client).delete('default', 'low', { gracePeriodSeconds: 0 }).catch(() => undefined);
    const nominated = await waitFor('nominatedNodeName', async () => ((await pods(client).get('default', 'high')).status as { nominatedNodeName?: string }).nominatedNodeName);
    assert.equal(nominated, 'only');
    // The deletion moved the pod back; its backoff (1 s) passes on the fake clock.
    const bound = await waitFor('high bound', async () => {
      clock.advance(1000);
      return nodeOf(client, 'high');
    });
    assert.equal(bound, 'only');
    const preempted = await waitFor('Preempted event', async () => (await events(client, 'Preempted'))[0]);
    assert.match(String(preempted.note), /^Preempted by pod uid-high|^Preempted by pod .+ on node only$/);
  });

  test('with no nodes at all the pod gets SchedulerError and the upstream text', async (t) => {
    const { client } = await start(t, []);
    await pods(client).create('default', pod('lonely'));
    const cond = await waitFor('PodScheduled condition', async () => {
      const p = await pods(client).get('default', 'lonely');
      return ((p.status as { conditions?: Obj[] }).conditions ?? []).find((c) => c.type === 'PodScheduled');
    });
    assert.deepEqual([cond.status, cond.reason, cond.message], ['False', 'SchedulerError', 'no nodes available to schedule pods']);
  });
});
