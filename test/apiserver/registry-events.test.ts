// Events expire an hour (--event-ttl) after their last write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/apiserver/registry/index.js';
import type { WriteOptions } from '../../src/apiserver/registry/index.js';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import type { ResourceDef } from '../../src/apiserver/schema/types.js';
import { MemoryStore } from '../../src/storage/drivers/memory.js';
import { FakeClock } from '../../src/util/clock.js';

const catalog = builtinCatalog();
const events = catalog.resource('', 'v1', 'events') as ResourceDef;

function w(): WriteOptions {
  return { user: { username: 'admin', groups: ['system:masters'] }, dryRun: false, fieldValidation: 'Strict', warnings: [] };
}

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

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

test('events older than the TTL are removed; recent ones stay', async (t) => {
  const store = new MemoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 0, 0, 0));
  const registry = new Registry({ store, catalog, clock });
  await registry.start();
  t.after(async () => {
    await registry.stop();
    await store.close();
  });
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
