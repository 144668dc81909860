// The whole cluster side of `kumo apiserver` in process (startClusterRuntime: admission, scheduler,
// controllers, 1,000 simulated nodes) over a MemoryStore with the real clock, in the manner of
// upstream's pod start-up SLI: pods created at 20 pods/s, latency from the create call to the pod
// seen Running through a watch, p50/p99. Same-run baseline: raw pod creates/s through the same
// kind of client before the runtime starts. Then a memory phase: 30,000 pods on the same 1,000
// nodes (m5.xlarge: 58 pods each), heap and RSS once they are all Running, beside the heap after the
// latency phase; the wait is bounded and reports how many made it.
import type { Obj } from '../src/client/types.js';
import { startClusterRuntime } from '../src/main/cluster-runtime.js';
import { percentile, pool, startBenchRegistry } from './bench-util.js';

const NODES = 1000;
const RATE = 20;
const LATENCY_PODS = 300;
const BASELINE_PODS = 2000;
const IN_FLIGHT = 32;
const MASS_PODS = Number(process.env.KUMO_BENCH_MASS_PODS ?? 30_000);
const MASS_LIMIT_MS = Number(process.env.KUMO_BENCH_MASS_LIMIT_S ?? 480) * 1000;
// m5.large holds only 29 pods per node (29,000 on 1,000 nodes); m5.xlarge holds 58.
const INSTANCE_TYPE = 'm5.xlarge';

const pod = (ns: string, name: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels: { app: 'bench' } },
  spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
});

async function main(): Promise<void> {
  const { catalog, clock, store, registry, client } = await startBenchRegistry();
  const namespaces = client.resource('', 'v1', 'namespaces');
  const pods = client.resource('', 'v1', 'pods');
  for (const ns of ['baseline', 'bench', 'mass']) await namespaces.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });

  // Baseline: raw pod creates through the same kind of client, nothing else running.
  const base = Array.from({ length: BASELINE_PODS }, (_, i) => `base-${i}`);
  let t = performance.now();
  await pool(base, IN_FLIGHT, (n) => pods.create('baseline', pod('baseline', n)));
  const baseline = BASELINE_PODS / ((performance.now() - t) / 1000);
  await pool(base, IN_FLIGHT, (n) => pods.delete('baseline', n, { gracePeriodSeconds: 0 }));
  console.log(`baseline: raw pod creates: ${baseline.toFixed(0)}/s`);

  t = performance.now();
  const runtime = await startClusterRuntime({ registry, catalog, clock, caPem: '', nodes: NODES, zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], region: 'us-east-1', instanceType: INSTANCE_TYPE });
  console.log(`cluster runtime with ${NODES} nodes started in ${((performance.now() - t) / 1000).toFixed(2)} s`);

  const running = new Map<string, number>();
  const ac = new AbortController();
  void (async () => {
    for await (const ev of pods.watch('bench', { signal: ac.signal })) {
      const name = String((ev.object.metadata as Obj).name);
      if (ev.type !== 'DELETED' && !running.has(name) && (ev.object.status as { phase?: string } | undefined)?.phase === 'Running') running.set(name, performance.now());
    }
  })().catch(() => {});

  const created = new Map<string, number>();
  const names = Array.from({ length: LATENCY_PODS }, (_, i) => `lat-${i}`);
  const began = performance.now();
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < names.length; i++) {
    // Open loop: pod i is created at began + i/RATE whatever the earlier ones are doing.
    const due = began + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    created.set(names[i], performance.now());
    inFlight.push(pods.create('bench', pod('bench', names[i])));
  }
  await Promise.all(inFlight);
  const deadline = performance.now() + 60_000;
  while (names.some((n) => !running.has(n)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const missing = names.filter((n) => !running.has(n)).length;
  const lat = names.filter((n) => running.has(n)).map((n) => running.get(n)! - created.get(n)!).sort((a, b) => a - b);
  console.log(
    `pod start-up latency at ${RATE} pods/s on ${NODES} nodes (create -> Running via watch, ${lat.length} pods${missing ? `, ${missing} never Running` : ''}): p50 ${percentile(lat, 50).toFixed(0)} ms, p99 ${percentile(lat, 99).toFixed(0)} ms (target p99 <= 1000 ms; kubelet stage delays alone 300-600 ms)`,
  );
  const mib = (n: number): string => `${(n / 2 ** 20).toFixed(0)} MiB`;
  global.gc?.();
  const before = process.memoryUsage();
  console.log(`heap after the latency phase (${NODES} nodes, ${LATENCY_PODS} pods): ${mib(before.heapUsed)}, RSS ${mib(before.rss)}`);

  // Memory phase: MASS_PODS pods created directly, counted Running through a watch.
  const massRunning = new Set<string>();
  void (async () => {
    for await (const ev of pods.watch('mass', { signal: ac.signal })) {
      if (ev.type !== 'DELETED' && (ev.object.status as { phase?: string } | undefined)?.phase === 'Running') massRunning.add(String((ev.object.metadata as Obj).name));
    }
  })().catch(() => {});
  const massNames = Array.from({ length: MASS_PODS }, (_, i) => `mass-${i}`);
  const massBegan = performance.now();
  const massDeadline = massBegan + MASS_LIMIT_MS;
  let massCreated = 0;
  await pool(massNames, IN_FLIGHT, async (n) => {
    if (performance.now() >= massDeadline) return;
    await pods.create('mass', pod('mass', n));
    massCreated++;
  });
  const createdIn = (performance.now() - massBegan) / 1000;
  while (massRunning.size < massCreated && performance.now() < massDeadline) await new Promise((r) => setTimeout(r, 200));
  const massSeconds = (performance.now() - massBegan) / 1000;
  global.gc?.();
  const after = process.memoryUsage();
  console.log(
    `memory with ${NODES} nodes and ${massRunning.size + lat.length} Running pods (${massCreated}/${MASS_PODS} created in ${createdIn.toFixed(0)} s, ${massRunning.size} Running after ${massSeconds.toFixed(0)} s, limit ${MASS_LIMIT_MS / 1000} s): heap ${mib(after.heapUsed)}, RSS ${mib(after.rss)} (target <= 4 GiB; ${global.gc ? 'after gc' : 'no --expose-gc, before gc'})`,
  );

  ac.abort();
  await runtime.stop();
  await registry.stop();
  await store.close();
  if (missing || massRunning.size < MASS_PODS) process.exitCode = 1;
}

await main();
