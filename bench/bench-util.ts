// What the in-process benchmarks share: a Registry over a MemoryStore on the real clock with an
// admin client, bounded-concurrency runners, and nearest-rank percentiles.
import { Registry } from '../src/apiserver/registry/index.js';
import { builtinCatalog } from '../src/apiserver/schema/catalog.js';
import { createInProcessClient } from '../src/client/in-process.js';
import { MemoryStore } from '../src/storage/drivers/memory.js';
import { RealClock } from '../src/util/clock.js';

/** A started Registry over a MemoryStore with the real clock, and an in-process client of a system:masters user in `groups`. */
export async function startBenchRegistry(groups: string[] = ['system:masters', 'system:authenticated']) {
  const catalog = builtinCatalog();
  const clock = new RealClock();
  const store = new MemoryStore();
  const registry = new Registry({ store, catalog, clock });
  await registry.start();
  const client = createInProcessClient(registry, catalog, { username: 'admin', groups }, 'kumo-bench/v0');
  return { catalog, clock, store, registry, client };
}

/** Runs `fn` over `items` with at most `n` calls in flight. */
export async function pool<T>(items: T[], n: number, fn: (x: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}

/** The nearest-rank p-th percentile of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `count` operations with `inFlight` of them outstanding at any time; returns ops/s. */
export async function throughput(count: number, inFlight: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const started = performance.now();
  await pool(indexes, inFlight, op);
  return count / ((performance.now() - started) / 1000);
}
