// A Registry started over a fresh store for the registry tests, and the write options of an admin.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '../../src/apiserver/registry/index.js';
import type { RegistryOptions, WriteOptions } from '../../src/apiserver/registry/index.js';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import { MemoryStore } from '../../src/storage/drivers/memory.js';
import { openSqliteStore } from '../../src/storage/drivers/sqlite.js';
import type { Store } from '../../src/storage/types.js';
import { FakeClock } from '../../src/util/clock.js';

interface Hooks {
  after(fn: () => unknown): void;
}

export const catalog = builtinCatalog();

/** Write options of a system:masters user; `over` replaces any of them. */
export function w(over: Partial<WriteOptions> & { force?: boolean } = {}): WriteOptions & { force?: boolean } {
  return { user: { username: 'admin', groups: ['system:masters'] }, dryRun: false, fieldValidation: 'Strict', warnings: [], ...over };
}

export const DRIVERS = ['memory', 'sqlite'] as const;
export type Driver = (typeof DRIVERS)[number];

/** A fresh store of the driver; SQLite lives in a temporary directory removed after the test. */
export async function openStore(driver: Driver, t: Hooks): Promise<Store> {
  if (driver === 'memory') return new MemoryStore();
  const dir = mkdtempSync(join(tmpdir(), 'kumo-registry-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return openSqliteStore({ path: join(dir, 'state.db') });
}

/** A started Registry over a fresh store of `driver` (memory by default) and a FakeClock at `now` (FakeClock's default start if not given), stopped after the test. */
export async function startRegistry(t: Hooks, opts: { driver?: Driver; now?: number } & Partial<Omit<RegistryOptions, 'store' | 'catalog' | 'clock'>> = {}) {
  const { driver = 'memory', now, ...registryOpts } = opts;
  const store = await openStore(driver, t);
  const clock = new FakeClock(now);
  const registry = new Registry({ store, catalog, clock, ...registryOpts });
  await registry.start();
  t.after(async () => {
    await registry.stop();
    await store.close();
  });
  return { store, clock, registry };
}
