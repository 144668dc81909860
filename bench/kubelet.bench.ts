// The simulated data plane at scale, in process over a MemoryStore with the real clock:
// - registration of 1,000 nodes (Node + Lease each), then Lease renewals running in the background;
// - 3,000 pods bound at once: time until every one is Running and Ready (seen through a watch), in
//   pods/s, beside the same run's baseline: raw pod status writes/s through the same client (the
//   kubelet also writes ~4 Events per started pod, as upstream's does);
// - start-up latency (bind -> Running and Ready seen through a watch) p50/p99 for 200 pods bound at
//   20 pods/s; the stages' own delays (sandbox 100-200 ms, create 200-400 ms) are part of it;
// - heap with the 1,000 nodes and 3,000 pods.
import type { Obj } from '../src/client/types.js';
import { NodeSimulator } from '../src/kubelet/simulator.js';
import { percentile, pool, startBenchRegistry } from './bench-util.js';

const NODES = 1000;
const PODS = 3000;
const LATENCY_PODS = 200;
const LATENCY_RATE = 20;
const IN_FLIGHT = 32;

const pod = (name: string): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });

function isReady(p: Obj): boolean {
  const st = p.status as { phase?: string; conditions?: Array<{ type: string; status: string }> } | undefined;
  return st?.phase === 'Running' && !!st.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}

async function main(): Promise<void> {
  const { clock, store, registry, client } = await startBenchRegistry(['system:masters']);
  const pods = client.resource('', 'v1', 'pods');

  // Baseline: raw status writes of pods through the same client.
  const base = Array.from({ length: 2000 }, (_, i) => `base-${i}`);
  await pool(base, IN_FLIGHT, (n) => pods.create('default', pod(n)));
  let t = performance.now();
  await pool(base, IN_FLIGHT, async (n) => {
    const p = await pods.get('default', n);
    await pods.updateStatus('default', { ...p, status: { ...(p.status as Obj), phase: 'Running' } });
  });
  const baseline = base.length / ((performance.now() - t) / 1000);
  await pool(base, IN_FLIGHT, (n) => pods.delete('default', n, { gracePeriodSeconds: 0 }));
  console.log(`baseline: raw pod get+updateStatus: ${baseline.toFixed(0)}/s`);

  const sim = new NodeSimulator({ client, clock, workers: 16, onError: () => {} });
  await sim.start();
  await sim.podInformer().waitForSync();
  t = performance.now();
  const nodes = await sim.addNodes({ count: NODES, instanceType: 'm5.4xlarge' });
  console.log(`register ${NODES} nodes: ${((performance.now() - t) / 1000).toFixed(2)} s (${(NODES / ((performance.now() - t) / 1000)).toFixed(0)} nodes/s)`);

  const ready = new Map<string, number>();
  const ac = new AbortController();
  void (async () => {
    for await (const ev of pods.watch('default', { signal: ac.signal })) {
      const name = String((ev.object.metadata as Obj).name);
      if (ev.type !== 'DELETED' && !ready.has(name) && isReady(ev.object)) ready.set(name, performance.now());
    }
  })().catch(() => {});

  const names = Array.from({ length: PODS }, (_, i) => `burst-${i}`);
  await pool(names, IN_FLIGHT, (n) => pods.create('default', pod(n)));
  t = performance.now();
  let k = 0;
  await pool(names, IN_FLIGHT, (n) => pods.bind('default', n, nodes[k++ % nodes.length]));
  while (names.some((n) => !ready.has(n))) await new Promise((r) => setTimeout(r, 20));
  const burstSeconds = (Math.max(...names.map((n) => ready.get(n)!)) - t) / 1000;
  const rate = PODS / burstSeconds;
  const writes = sim.podStats();
  console.log(`${PODS} pods bound at once on ${NODES} nodes: all Running+Ready in ${burstSeconds.toFixed(2)} s = ${rate.toFixed(0)} pods/s; ${(writes.statusWrites / burstSeconds).toFixed(0)} kubelet status writes/s = ${(writes.statusWrites / burstSeconds / baseline).toFixed(2)}x baseline (${(writes.statusWrites / PODS).toFixed(1)} status writes and ${(writes.eventWrites / PODS).toFixed(1)} Event writes per pod, ${writes.conflicts} conflicts; binds and Lease renewals share the server)`);

  global.gc?.();
  const heap = process.memoryUsage().heapUsed / 2 ** 20;
  console.log(`heap with ${NODES} nodes and ${PODS} pods: ${heap.toFixed(0)} MiB`);

  const lat: number[] = [];
  const latNames = Array.from({ length: LATENCY_PODS }, (_, i) => `lat-${i}`);
  await pool(latNames, IN_FLIGHT, (n) => pods.create('default', pod(n)));
  const bound = new Map<string, number>();
  for (let i = 0; i < latNames.length; i++) {
    const start = performance.now();
    bound.set(latNames[i], start);
    await pods.bind('default', latNames[i], nodes[i % nodes.length]);
    const wait = 1000 / LATENCY_RATE - (performance.now() - start);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  while (latNames.some((n) => !ready.has(n))) await new Promise((r) => setTimeout(r, 20));
  for (const n of latNames) lat.push(ready.get(n)! - bound.get(n)!);
  lat.sort((a, b) => a - b);
  console.log(`start-up latency at ${LATENCY_RATE} pods/s (bind -> Running+Ready via watch): p50 ${percentile(lat, 50).toFixed(0)} ms, p99 ${percentile(lat, 99).toFixed(0)} ms (stage delays alone: 300-600 ms)`);

  ac.abort();
  await sim.stop();
  await registry.stop();
  await store.close();
}

await main();
