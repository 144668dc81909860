// Listing 10,000 pods through the registry (watch cache + cached JSON) as the HTTP layer does:
// list() then serializeJSON(). Baseline in the same run: JSON.stringify of the same 10,000 pods
// held as plain objects, i.e. the serialization cost alone. Target: p99 <= 300 ms.
import { Registry, serializeJSON } from '../src/apiserver/registry/index.js';
import type { WriteOptions } from '../src/apiserver/registry/index.js';
import { builtinCatalog } from '../src/apiserver/schema/catalog.js';
import type { ResourceDef } from '../src/apiserver/schema/types.js';
import { MemoryStore } from '../src/storage/drivers/memory.js';
import { RealClock } from '../src/util/clock.js';
import { percentile } from './bench-util.js';

const N = 10_000;
const RUNS = 40;

async function measure(name: string, fn: () => Promise<unknown> | unknown): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const r = { p50: percentile(times, 50), p99: percentile(times, 99) };
  console.log(`${name.padEnd(52)} p50 ${r.p50.toFixed(1).padStart(7)} ms   p99 ${r.p99.toFixed(1).padStart(7)} ms`);
  return r;
}

async function main(): Promise<void> {
  const catalog = builtinCatalog();
  const pods = catalog.resource('', 'v1', 'pods') as ResourceDef;
  const store = new MemoryStore();
  const registry = new Registry({ store, catalog, clock: new RealClock() });
  await registry.start();
  const opts = (): WriteOptions => ({ user: { username: 'bench', groups: ['system:masters'] }, dryRun: false, fieldValidation: 'Ignore', warnings: [] });
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    await registry.create(
      pods,
      'default',
      {
        metadata: { name: `pod-${String(i).padStart(5, '0')}`, labels: { app: `app-${i % 50}`, tier: 'web' }, annotations: { 'example.com/owner': 'team-a' } },
        spec: {
          nodeName: `node-${i % 100}`,
          containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } }],
        },
      },
      opts(),
    );
  }
  console.log(`created ${N} pods in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const plain = JSON.parse(serializeJSON(await registry.list(pods, undefined, { resourceVersion: '0' }))) as Record<string, unknown>;
  console.log(`list size ${(serializeJSON(plain).length / 1e6).toFixed(1)} MB`);
  const base = await measure('baseline: JSON.stringify of 10,000 plain pods', () => JSON.stringify(plain));
  const consistent = await measure('list RV="" (consistent) + serializeJSON', async () => serializeJSON(await registry.list(pods, undefined, {})));
  await measure('list RV="0" + serializeJSON', async () => serializeJSON(await registry.list(pods, undefined, { resourceVersion: '0' })));
  await measure('list namespace default, labelSelector app=app-7', async () => serializeJSON(await registry.list(pods, 'default', { labelSelector: 'app=app-7' })));
  await measure('list all in pages of 500 (limit/continue)', async () => {
    let cont: string | undefined;
    do {
      const page = await registry.list(pods, undefined, { limit: 500, continue: cont });
      serializeJSON(page);
      cont = (page.metadata as { continue?: string }).continue;
    } while (cont);
  });
  console.log(`ratio consistent list p99 / baseline p99: ${(consistent.p99 / base.p99).toFixed(2)}  (target p99 <= 300 ms: ${consistent.p99 <= 300 ? 'met' : 'NOT met'})`);
  await registry.stop();
  await store.close();
}

await main();
