// The real Registry over a MemoryStore, and the admission lookup over it, for admission plugin tests.
import { registryAdmissionLookup } from '../../src/apiserver/admission/lookup.js';
import type { AdmissionAttributes, AdmissionOperation } from '../../src/apiserver/admission/types.js';
import { Registry } from '../../src/apiserver/registry/index.js';
import type { UserInfo } from '../../src/apiserver/registry/index.js';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import { createInProcessClient } from '../../src/client/in-process.js';
import type { Obj } from '../../src/client/types.js';
import { MemoryStore } from '../../src/storage/drivers/memory.js';
import { FakeClock } from '../../src/util/clock.js';

export const catalog = builtinCatalog();
export const ADMIN: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

export async function startAdmissionRegistry(t: { after(fn: () => unknown): void }) {
  const store = new MemoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const registry = new Registry({ store, catalog, clock, eventTTLMs: 0 });
  await registry.start();
  t.after(async () => {
    await registry.stop();
    await store.close();
  });
  const client = createInProcessClient(registry, catalog, ADMIN, 'kumo-test/v0');
  const lookup = registryAdmissionLookup(registry, catalog, clock);
  return { registry, client, lookup, clock };
}

export function attrs(operation: AdmissionOperation, group: string, resource: string, ns: string, object: Obj, oldObject?: Obj, dryRun = false): AdmissionAttributes {
  const res = catalog.resource(group, 'v1', resource)!;
  return { operation, resource: res, namespace: ns, name: String((object.metadata as Record<string, unknown>)?.name ?? ''), object, oldObject, user: ADMIN, dryRun };
}

export function podWith(name: string, resources?: { requests?: Record<string, string>; limits?: Record<string, string> }, extra: Record<string, unknown> = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx', ...(resources ? { resources } : {}) }], ...extra },
  };
}
