// Scheduling throughput in the manner of scheduler_perf: 5,000 nodes, 10,000 pods through the pure
// scheduleOne path (in-memory snapshot, each placement assumed before the next pod), plainly, with
// a zone topology spread constraint, and with required pod anti-affinity. Baseline in the same
// run: the API server's raw pod creates/s (Registry over MemoryStore, in process).
// Targets: >= 1,000 pods/s plain, >= 300 pods/s with topology spread.
import { Registry } from '../src/apiserver/registry/index.js';
import type { WriteOptions } from '../src/apiserver/registry/index.js';
import { builtinCatalog } from '../src/apiserver/schema/catalog.js';
import type { Obj } from '../src/client/types.js';
import { Framework } from '../src/scheduler/framework/framework.js';
import { Snapshot } from '../src/scheduler/framework/snapshot.js';
import { defaultPlugins, IN_TREE_PLUGINS } from '../src/scheduler/registry.js';
import { scheduleOne } from '../src/scheduler/schedule-one.js';
import { MemoryStore } from '../src/storage/drivers/memory.js';
import { RealClock } from '../src/util/clock.js';

const NODES = Number(process.env.SCHED_BENCH_NODES ?? 5000);
const PODS = Number(process.env.SCHED_BENCH_PODS ?? 10_000);
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

function node(i: number): Obj {
  const name = `node-${i}`;
  const alloc = { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': ZONES[i % ZONES.length] } },
    spec: {},
    status: { allocatable: alloc, capacity: alloc },
  };
}

function pod(i: number, labels: Record<string, string>, extra: Record<string, unknown> = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${i}`, namespace: 'default', uid: `uid-${i}`, labels },
    spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '500Mi' } } }], ...extra },
  };
}

/** Seconds of this process's CPU time: steadier than wall time on a shared machine. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function run(name: string, makePod: (i: number) => Obj): number {
  const snapshot = new Snapshot();
  for (let i = 0; i < NODES; i++) snapshot.setNode(node(i));
  const fw = new Framework({ registry: IN_TREE_PLUGINS, plugins: defaultPlugins(), snapshot });
  const pods = Array.from({ length: PODS }, (_, i) => makePod(i));
  let failed = 0;
  const c0 = cpuSeconds();
  const t0 = performance.now();
  for (const p of pods) if (scheduleOne(fw, snapshot, p).kind !== 'scheduled') failed++;
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - c0;
  const rate = PODS / secs;
  console.log(`${name.padEnd(34)} ${rate.toFixed(0).padStart(7)} pods/s   ${(PODS / cpu).toFixed(0).padStart(7)} pods/cpu-s   (${PODS} pods on ${NODES} nodes in ${secs.toFixed(2)} s, ${failed} unschedulable)`);
  return rate;
}

async function baseline(): Promise<number> {
  const store = new MemoryStore();
  const catalog = builtinCatalog();
  const registry = new Registry({ store, catalog, clock: new RealClock() });
  await registry.start();
  const res = catalog.resource('', 'v1', 'pods')!;
  const opts: WriteOptions = { user: { username: 'bench', groups: ['system:masters'] }, dryRun: false, fieldValidation: 'Strict', warnings: [] };
  const n = 3000;
  const c0 = cpuSeconds();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await registry.create(res, 'default', pod(i, { app: 'x' }), opts);
  const rate = n / ((performance.now() - t0) / 1000);
  const cpuRate = n / (cpuSeconds() - c0);
  await registry.stop();
  await store.close();
  console.log(`${'baseline: registry pod creates'.padEnd(34)} ${rate.toFixed(0).padStart(7)} pods/s   ${cpuRate.toFixed(0).padStart(7)} pods/cpu-s   (${n} creates, in process)`);
  return rate;
}

const base = await baseline();
const plain = run('plain', (i) => pod(i, { app: 'plain' }));
const spread = run('topology spread (zone, maxSkew 1)', (i) =>
  pod(i, { app: 'spread' }, { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'spread' } } }] }),
);
const anti = run('required anti-affinity (hostname)', (i) => {
  const group = `g${i % 2500}`;
  return pod(i, { group }, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { group } } }] } } });
});
console.log(`\nratios to the create baseline: plain ${(plain / base).toFixed(2)}x, spread ${(spread / base).toFixed(2)}x, anti-affinity ${(anti / base).toFixed(2)}x`);
console.log(`targets: plain >= 1000 pods/s ${plain >= 1000 ? 'met' : 'MISSED'}; topology spread >= 300 pods/s ${spread >= 300 ? 'met' : 'MISSED'}`);
