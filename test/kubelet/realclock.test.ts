// On the real clock (as `kumo apiserver` runs it): pods bound to simulated nodes are Running and
// Ready well within a second or two of wall time, and go away promptly when deleted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/apiserver/registry/index.js';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import { createInProcessClient } from '../../src/client/in-process.js';
import { isNotFound } from '../../src/client/errors.js';
import type { Obj } from '../../src/client/types.js';
import { NodeSimulator } from '../../src/kubelet/simulator.js';
import { MemoryStore } from '../../src/storage/drivers/memory.js';
import { RealClock } from '../../src/util/clock.js';
import { podManifest } from './fixture.js';

async function until(cond: () => Promise<boolean>, ms: number): Promise<number> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

test('pods become Running and Ready within about a second of wall time; deletion is prompt', async (t) => {
  const catalog = builtinCatalog();
  const clock = new RealClock();
  const store = new MemoryStore();
  const registry = new Registry({ store, catalog, clock });
  await registry.start();
  const client = createInProcessClient(registry, catalog, { username: 'admin', groups: ['system:masters'] }, 'kumo-test/v0');
  const sim = new NodeSimulator({ client, clock });
  t.after(async () => {
    await sim.stop();
    await registry.stop();
    await store.close();
  });
  await sim.start();
  const nodes = await sim.addNodes({ count: 3 });
  const pods = client.resource('', 'v1', 'pods');
  for (let i = 0; i < 3; i++) {
    await pods.create('default', podManifest(`web-${i}`));
    await pods.bind('default', `web-${i}`, nodes[i]);
  }
  const ready = (p: Obj) => ((p.status as { conditions?: Array<{ type: string; status: string }> }).conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  const took = await until(async () => (await pods.list('default')).items.every(ready), 10_000);
  assert.ok(took < 5_000, `ready after ${took} ms`);
  await pods.delete('default', 'web-0');
  await until(() => pods.get('default', 'web-0').then(() => false, (e) => isNotFound(e)), 10_000);
});
