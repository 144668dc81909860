import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runController } from '../../src/client/controller.js';
import type { Obj } from '../../src/client/types.js';
import { PodGCController } from '../../src/controllers/podgc/controller.js';
import { WorkQueue } from '../../src/util/workqueue.js';
import { eventually, exists, node, pod, startCluster } from './cluster-fixture.js';

describe('pod garbage collection', () => {
  test('terminated pods beyond the threshold go, oldest first', async (t) => {
    const { client, clock, informers } = await startCluster(t, { only: [] });
    const pods = client.resource('', 'v1', 'pods');
    await client.resource('', 'v1', 'nodes').create(undefined, node('n1'));
    for (let i = 0; i < 5; i++) {
      await pods.create('default', pod(`done-${i}`, {}, { nodeName: 'n1' }));
      const p = structuredClone(await pods.get('default', `done-${i}`)) as Obj;
      p.status = { phase: i % 2 ? 'Failed' : 'Succeeded' };
      await pods.updateStatus('default', p);
      clock.advance(1000);
    }
    await pods.create('default', pod('running', {}, { nodeName: 'n1' }));
    const gc = new PodGCController({ client, informers, clock }, { terminatedPodThreshold: 3 });
    const queue = new WorkQueue<string>({ clock });
    gc.bind(queue);
    informers.start();
    await informers.waitForCacheSync();
    const ac = new AbortController();
    const run = runController(gc, queue, 1, ac.signal);
    t.after(async () => {
      ac.abort();
      await run;
    });
    await eventually(async () => !(await exists(() => pods.get('default', 'done-1'))), 'oldest terminated pods deleted');
    const left = (await pods.list('default')).items.map((p) => (p.metadata as any).name).sort();
    assert.deepEqual(left, ['done-2', 'done-3', 'done-4', 'running']);
  });

  test('pods of a vanished node go after the quarantine; unscheduled terminating pods go', async (t) => {
    const { client, clock } = await startCluster(t, { only: ['pod-garbage-collector'] });
    const pods = client.resource('', 'v1', 'pods');
    await client.resource('', 'v1', 'nodes').create(undefined, node('alive'));
    await pods.create('default', pod('orphan', {}, { nodeName: 'ghost' }));
    await pods.create('default', pod('fine', {}, { nodeName: 'alive' }));
    await pods.create('default', { ...pod('pending', {}), metadata: { name: 'pending', finalizers: ['example.com/hold'] } });
    await pods.delete('default', 'pending');

    // The quarantine: 40 s after the node was first seen missing (passes run every 20 s).
    clock.advance(20_000);
    assert.ok(await exists(() => pods.get('default', 'orphan')), 'still quarantined');
    let steps = 0;
    await eventually(async () => {
      if (!(await exists(() => pods.get('default', 'orphan')))) return true;
      if (steps++ < 10) clock.advance(20_000);
      return false;
    }, 'orphan deleted');
    assert.ok(steps >= 1, 'not within the first 20 s');
    assert.ok(await exists(() => pods.get('default', 'fine')));
    // The never-scheduled terminating pod was marked Failed and deleted (its finalizer still holds it).
    const pending = await pods.get('default', 'pending');
    assert.equal((pending.status as any).phase, 'Failed');
  });
});
