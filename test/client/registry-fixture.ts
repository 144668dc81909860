// A real Registry over a MemoryStore, started in-process, for the client tests.
import { Registry } from '../../src/apiserver/registry/index.js';
import type { RegistryOptions, UserInfo } from '../../src/apiserver/registry/index.js';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import { createInProcessClient } from '../../src/client/in-process.js';
import type { KubeClient } from '../../src/client/types.js';
import { MemoryStore } from '../../src/storage/drivers/memory.js';
import { FakeClock } from '../../src/util/clock.js';

export const catalog = builtinCatalog();
export const ADMIN: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

interface Hooks {
  after(fn: () => unknown): void;
}

export async function startRegistry(t: Hooks, opts: Partial<Omit<RegistryOptions, 'store' | 'catalog' | 'clock'>> = {}) {
  const store = new MemoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const registry = new Registry({ store, catalog, clock, ...opts });
  await registry.start();
  t.after(async () => {
    await registry.stop();
    await store.close();
  });
  const client: KubeClient = createInProcessClient(registry, catalog, ADMIN, 'kumo-test/v0');
  return { store, clock, registry, client };
}

export const pod = (name: string, extra: { labels?: Record<string, string>; nodeName?: string; namespace?: string } = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(extra.namespace ? { namespace: extra.namespace } : {}), labels: extra.labels ?? { app: 'web' } },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) },
});

export const configMap = (name: string, data: Record<string, string> = {}, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

export const deployment = (name: string, replicas = 1) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});
