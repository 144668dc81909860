// Events expire an hour (--event-ttl) after their last write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/apiserver/registry/index.js';
import type { ResourceDef } from '../../src/apiserver/schema/types.js';
import { MemoryStore } from '../../src/storage/drivers/memory.js';
import { FakeClock } from '../../src/util/clock.js';
import { settle } from '../helpers/wait.js';
import { catalog, startRegistry, w } from './registry-fixture.js';

const events = catalog.resource('', 'v1', 'events') as ResourceDef;

function event(name: string, at: string) {
  return {
    metadata: { name },
    involvedObject: { kind: 'Pod', name: 'p', namespace: 'default', apiVersion: 'v1' },
    reason: 'Scheduled',
    message: 'Successfully assigned default/p to node-1',
    type: 'Normal',
    source: { component: 'default-scheduler' },
    firstTimestamp: at,
    lastTimestamp: at,
    count: 1,
  };
}

test('events older than the TTL are removed; recent ones stay', async (t) => {
  const { clock, registry } = await startRegistry(t, { now: Date.UTC(2026, 0, 1, 0, 0, 0) });
  await registry.create(events, 'default', event('old', '2026-01-01T00:00:00Z'), w());
  clock.advance(50 * 60_000);
  await settle();
  await registry.create(events, 'default', event('recent', '2026-01-01T00:50:00Z'), w());
  clock.advance(11 * 60_000);
  await settle();
  clock.advance(60_000);
  await settle();
  const names = ((await registry.list(events, 'default', {})).items as { metadata: { name: string } }[]).map((e) => e.metadata.name);
  assert.deepEqual(names, ['recent']);
});

test('events.k8s.io/v1 and core/v1 Events are one set of objects, each API showing its own form', async (t) => {
  const store = new MemoryStore();
  const registry = new Registry({ store, catalog, clock: new FakeClock(Date.UTC(2026, 0, 1)) });
  await registry.start();
  t.after(async () => {
    await registry.stop();
    await store.close();
  });
  const eventsV1 = catalog.resource('events.k8s.io', 'v1', 'events') as ResourceDef;
  const created = await registry.create(
    eventsV1,
    'default',
    {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'sched' },
      eventTime: '2026-01-01T00:00:00.000000Z',
      reportingController: 'default-scheduler',
      reportingInstance: 'default-scheduler-kumo',
      action: 'Binding',
      reason: 'Scheduled',
      regarding: { kind: 'Pod', namespace: 'default', name: 'p', apiVersion: 'v1' },
      note: 'Successfully assigned default/p to node-1',
      type: 'Normal',
    },
    w(),
  );
  assert.equal(created.apiVersion, 'events.k8s.io/v1');
  assert.equal(created.note, 'Successfully assigned default/p to node-1');
  const core = await registry.get(events, 'default', 'sched', {});
  assert.equal(core.apiVersion, 'v1');
  assert.equal(core.message, 'Successfully assigned default/p to node-1');
  assert.deepEqual(core.involvedObject, { kind: 'Pod', namespace: 'default', name: 'p', apiVersion: 'v1' });
  assert.equal(core.reportingComponent, 'default-scheduler');
  await registry.create(events, 'default', event('legacy', '2026-01-01T00:00:00Z'), w());
  const listed = await registry.list(eventsV1, 'default', {});
  const items = listed.items as Record<string, unknown>[];
  assert.deepEqual(items.map((e) => (e.metadata as { name: string }).name), ['legacy', 'sched']);
  assert.equal(items[0].apiVersion, 'events.k8s.io/v1');
  assert.equal(items[0].note, 'Successfully assigned default/p to node-1');
  assert.deepEqual(items[0].deprecatedSource, { component: 'default-scheduler' });
  assert.equal(items[0].deprecatedCount, 1);
  const ac = new AbortController();
  const evs = [];
  for await (const ev of registry.watch(eventsV1, 'default', { resourceVersion: '0', signal: ac.signal })) {
    evs.push(ev);
    if (evs.length === 2) break;
  }
  ac.abort();
  assert.deepEqual(evs.map((e) => [e.type, e.object.apiVersion]), [['ADDED', 'events.k8s.io/v1'], ['ADDED', 'events.k8s.io/v1']]);
});
