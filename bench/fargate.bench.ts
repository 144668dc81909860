// Fargate scheduling in process (startClusterRuntime over a MemoryStore, real clock, Fargate's
// start-up time set to 0 so only Kumo's own work is measured): N pods that match a Fargate profile,
// created at once, until all are Running, each on a fargate-ip node of its own that registers
// first. Same-run baseline: N pods on EC2 nodes (the default scheduler, existing nodes) to Running.
import type { Obj } from '../src/client/types.js';
import { startClusterRuntime } from '../src/main/cluster-runtime.js';
import { pool, startBenchRegistry } from './bench-util.js';

const PODS = Number(process.env.KUMO_BENCH_FARGATE_PODS ?? 300);
const EC2_NODES = 6;
const IN_FLIGHT = 32;

const pod = (ns: string, name: string): Obj => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { compute: 'fargate' } },
  spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
});

async function main(): Promise<void> {
  const { catalog, clock, store, registry, client } = await startBenchRegistry();
  const pods = client.resource('', 'v1', 'pods');
  for (const ns of ['ec2', 'fargate']) await client.resource('', 'v1', 'namespaces').create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const runtime = await startClusterRuntime({ registry, catalog, clock, caPem: '', nodes: EC2_NODES, zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], region: 'us-east-1', instanceType: 'm5.4xlarge' });
  await client.resource('', 'v1', 'configmaps').create('kube-system', {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kumo-fargate-profiles', namespace: 'kube-system' },
    data: { 'profiles.json': JSON.stringify({ startupMs: 0, profiles: [{ name: 'bench', selectors: [{ namespace: 'fargate' }], subnets: [{ subnetId: 'subnet-1', availabilityZone: 'us-east-1a', cidrBlock: '192.168.96.0/19' }] }] }) },
  });

  const runAll = async (ns: string): Promise<number> => {
    const running = new Set<string>();
    const ac = new AbortController();
    void (async () => {
      for await (const ev of pods.watch(ns, { signal: ac.signal })) {
        if (ev.type !== 'DELETED' && (ev.object.status as { phase?: string } | undefined)?.phase === 'Running') running.add(String((ev.object.metadata as Obj).name));
      }
    })().catch(() => {});
    const t = performance.now();
    await pool(Array.from({ length: PODS }, (_, i) => `p-${i}`), IN_FLIGHT, (n) => pods.create(ns, pod(ns, n)));
    const deadline = t + 300_000;
    while (running.size < PODS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    ac.abort();
    if (running.size < PODS) throw new Error(`only ${running.size} of ${PODS} pods in ${ns} became Running`);
    return (performance.now() - t) / 1000;
  };

  const ec2 = await runAll('ec2');
  console.log(`baseline: ${PODS} pods on ${EC2_NODES} EC2 nodes, create to Running: ${ec2.toFixed(2)} s (${(PODS / ec2).toFixed(0)} pods/s)`);
  const fargate = await runAll('fargate');
  const nodes = (await client.resource('', 'v1', 'nodes').list(undefined, { labelSelector: 'eks.amazonaws.com/compute-type=fargate' })).items.length;
  console.log(`fargate: ${PODS} Fargate pods (${nodes} fargate-ip nodes), create to Running: ${fargate.toFixed(2)} s (${(PODS / fargate).toFixed(0)} pods/s), ${(fargate / ec2).toFixed(2)}x the baseline`);
  await runtime.stop();
  await registry.stop();
  await store.close();
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
