// The CRD controller over Kumo's real registry and memory store: a CRD written through the
// registry gets served; deleting it deletes its custom objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCustomResources, type CustomResourceDefinition } from '../../src/apiserver/crd/index.js';
import { Registry, type WriteOptions } from '../../src/apiserver/registry/index.js';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import type { ResourceDef } from '../../src/apiserver/schema/types.js';
import { MemoryStore } from '../../src/storage/drivers/memory.js';
import { FakeClock } from '../../src/util/clock.js';

const w = (): WriteOptions => ({ user: { username: 'admin', groups: ['system:masters'] }, dryRun: false, fieldValidation: 'Strict', warnings: [] });

/** Waits (yielding to the event loop, bounded) until the condition holds. */
async function until(what: string, cond: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const CRD: CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com', scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' } } } } } } }],
  },
};

test('a CRD created through the registry is served; deleting it deletes its objects', async (t) => {
  const store = new MemoryStore();
  const catalog = builtinCatalog();
  const clock = new FakeClock(Date.UTC(2026, 10, 27, 12, 0, 0));
  const registry = new Registry({ store, catalog, clock });
  await registry.start();
  const crds = startCustomResources(registry, catalog, clock);
  t.after(async () => {
    crds.stop();
    await registry.stop();
    await store.close();
  });
  const crdRes = catalog.resource('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
  await registry.create(crdRes, undefined, structuredClone(CRD) as Record<string, unknown>, w());
  await until('the CRD to be served', () => catalog.resource('stable.example.com', 'v1', 'crontabs') !== undefined);
  await until('Established=True', async () => {
    const crd = (await registry.get(crdRes, undefined, 'crontabs.stable.example.com', {})) as CustomResourceDefinition;
    return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
  });
  const crontabs = catalog.resource('stable.example.com', 'v1', 'crontabs') as ResourceDef;
  assert.ok(crds.hooks.forResource(crontabs), 'the registry finds the handlers of the new resource');
  for (const name of ['a', 'b']) {
    await registry.create(crontabs, 'default', { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name }, spec: { cronSpec: '* * * * *' } }, w());
  }
  assert.equal(((await registry.list(crontabs, undefined, {})).items as unknown[]).length, 2);

  await registry.delete(crdRes, undefined, 'crontabs.stable.example.com', {}, w());
  await until('the custom objects to be deleted', async () => ((await registry.list(crontabs, undefined, {})).items as unknown[]).length === 0);
  await until('the resource to leave the catalog', () => catalog.resource('stable.example.com', 'v1', 'crontabs') === undefined);
});
