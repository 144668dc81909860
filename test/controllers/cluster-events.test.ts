import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventRecorder } from '../../src/controllers/events/recorder.js';
import { startCluster } from './cluster-fixture.js';

describe('event recorder', () => {
  test('writes core/v1 Events, counts repeats and combines many similar ones', async (t) => {
    const { client, clock } = await startCluster(t, { only: [] });
    const recorder = new EventRecorder({ client, clock, component: 'test-controller' });
    const pod = await client.resource('', 'v1', 'pods').create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const node = await client.resource('', 'v1', 'nodes').create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    clock.advance(1000);
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    recorder.event(node, 'Normal', 'NodeNotReady', 'Node n1 status is now: NodeNotReady');
    await recorder.flush();
    const events = client.resource('', 'v1', 'events');
    const backoff = (await events.list('default')).items.filter((e) => e.reason === 'BackOff');
    assert.equal(backoff.length, 1);
    const e = backoff[0] as any;
    assert.match(e.metadata.name, /^web\.[0-9a-f]+$/);
    assert.equal(e.count, 2);
    assert.equal(e.firstTimestamp, '2026-01-01T12:00:00Z');
    assert.equal(e.lastTimestamp, '2026-01-01T12:00:01Z');
    assert.deepEqual(e.involvedObject, { kind: 'Pod', name: 'web', namespace: 'default', uid: (pod.metadata as any).uid, apiVersion: 'v1', resourceVersion: (pod.metadata as any).resourceVersion });
    assert.deepEqual(e.source, { component: 'test-controller' });
    assert.equal(e.type, 'Warning');
    // Cluster-scoped objects' events live in "default".
    assert.ok((await events.list('default')).items.some((x) => x.reason === 'NodeNotReady' && (x.involvedObject as any).kind === 'Node'));

    // The 10th distinct message of one reason within 10 minutes starts the combined event.
    for (let i = 0; i < 12; i++) recorder.event(pod, 'Normal', 'Pulled', `image ${i}`);
    await recorder.flush();
    const pulled = (await events.list('default')).items.filter((x) => x.reason === 'Pulled') as any[];
    assert.equal(pulled.length, 10);
    const combined = pulled.find((x) => x.message.startsWith('(combined from similar events): '));
    assert.equal(combined.message, '(combined from similar events): image 11');
    assert.equal(combined.count, 3);
  });
});
