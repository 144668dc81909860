// Simulated nodes over a real Registry: the Node objects they register, their Lease heartbeats
// and status posts on the FakeClock, stopping and resuming heartbeats, removal.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isNotFound } from '../../src/client/errors.js';
import type { Obj } from '../../src/client/types.js';
import { podManifest, runUntil, settle, startCluster, T0 } from './fixture.js';

type Cond = { type: string; status: string; reason: string; message: string; lastHeartbeatTime: string; lastTransitionTime: string };

describe('simulated nodes', () => {
  test('registration: labels, capacity and allocatable of an m5.large, conditions, nodeInfo, addresses', async (t) => {
    const { client, sim } = await startCluster(t);
    const names = await sim.addNodes({ count: 3, zones: ['a', 'b', 'c'] });
    assert.deepEqual(names, ['ip-192-168-0-10.ec2.internal', 'ip-192-168-32-10.ec2.internal', 'ip-192-168-64-10.ec2.internal']);
    const node = await client.resource('', 'v1', 'nodes').get(undefined, names[1]);
    const meta = node.metadata as Obj;
    assert.deepEqual(meta.labels, {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/instance-type': 'm5.large',
      'beta.kubernetes.io/os': 'linux',
      'failure-domain.beta.kubernetes.io/region': 'us-east-1',
      'failure-domain.beta.kubernetes.io/zone': 'us-east-1b',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': names[1],
      'kubernetes.io/os': 'linux',
      'node.kubernetes.io/instance-type': 'm5.large',
      'topology.kubernetes.io/region': 'us-east-1',
      'topology.kubernetes.io/zone': 'us-east-1b',
      'kumo.dev/simulated': 'true',
    });
    assert.match(String((node.spec as Obj).providerID), /^aws:\/\/\/us-east-1b\/i-[0-9a-f]{17}$/);
    const status = node.status as Obj;
    assert.deepEqual(status.capacity, { cpu: '2', 'ephemeral-storage': '20959212Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '7577Mi', pods: '29' });
    // Karpenter's published m5.large allocatable: 1930m cpu, 6903Mi memory.
    assert.equal((status.allocatable as Obj).cpu, '1930m');
    assert.equal((status.allocatable as Obj).memory, '6903Mi');
    assert.equal((status.allocatable as Obj).pods, '29');
    const conds = status.conditions as Cond[];
    assert.deepEqual(
      conds.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
        ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
      ],
    );
    assert.deepEqual(status.addresses, [
      { type: 'InternalIP', address: '192.168.32.10' },
      { type: 'InternalDNS', address: names[1] },
      { type: 'Hostname', address: names[1] },
    ]);
    assert.deepEqual(status.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
    const info = status.nodeInfo as Record<string, string>;
    assert.match(info.kubeletVersion, /^v1\.33\.\d+-eks-/);
    assert.match(info.containerRuntimeVersion, /^containerd:\/\/1\.7\./);
    assert.match(info.osImage, /^Amazon Linux 2023/);
    assert.equal(info.operatingSystem, 'linux');
    assert.equal(info.architecture, 'amd64');
  });

  test('instance types, other regions and name prefixes; a bad instance type creates nothing', async (t) => {
    const { client, sim } = await startCluster(t);
    const names = await sim.addNodes({ count: 2, instanceType: 'm6g.xlarge', region: 'eu-west-1', zones: ['eu-west-1c'], namePrefix: 'arm' });
    assert.deepEqual(names, ['arm-0', 'arm-1']);
    const node = await client.resource('', 'v1', 'nodes').get(undefined, 'arm-1');
    const status = node.status as Obj;
    assert.equal((node.metadata as Obj as { labels: Record<string, string> }).labels['kubernetes.io/arch'], 'arm64');
    assert.deepEqual([(status.capacity as Obj).cpu, (status.allocatable as Obj).cpu, (status.capacity as Obj).pods], ['4', '3920m', '58']);
    assert.equal((status.addresses as Obj[])[1].address, 'ip-192-168-0-11.eu-west-1.compute.internal');
    await assert.rejects(sim.addNodes({ count: 1, instanceType: 'x9.huge' }), /unknown instance type "x9.huge"/);
    await assert.rejects(sim.addNodes({ count: -1 }), /non-negative integer/);
    assert.equal((await client.resource('', 'v1', 'nodes').list(undefined)).items.length, 2);
  });

  test('any type of the EC2 catalog can be a node, with its max pods and allocatable', async (t) => {
    const { client, sim } = await startCluster(t);
    const nodes = client.resource('', 'v1', 'nodes');
    const figures = async (type: string) => {
      const [name] = await sim.addNodes({ count: 1, instanceType: type, namePrefix: type });
      const n = await nodes.get(undefined, name);
      const st = n.status as { capacity: Record<string, string>; allocatable: Record<string, string> };
      return [(n.metadata as { labels: Record<string, string> }).labels['kubernetes.io/arch'], st.capacity.cpu, st.allocatable.cpu, st.allocatable.memory, st.capacity.pods];
    };
    // 8192 MiB − 7.5% = 7577Mi; − (11 × 29 + 255) − 100 = 6903Mi, as for m5.large.
    assert.deepEqual(await figures('m5a.large'), ['amd64', '2', '1930m', '6903Mi', '29']);
    // 4096 − 308 = 3788; − 574 − 100 = 3114.
    assert.deepEqual(await figures('c6g.large'), ['arm64', '2', '1930m', '3114Mi', '29']);
    // 16 vCPU: 60 + 10 + 10 + 12 × 2.5 = 110m reserved; 8 ENIs × 29 + 2 = 234 pods.
    assert.deepEqual((await figures('m5.4xlarge')).slice(2), ['15890m', `${65536 - 4916 - (11 * 234 + 255) - 100}Mi`, '234']);
  });

  test('Lease heartbeats every 10 s with leaseDurationSeconds 40; stopHeartbeat stops them, resume restarts', async (t) => {
    const { client, clock, sim } = await startCluster(t);
    const [a, b] = await sim.addNodes({ count: 2 });
    await settle(sim);
    const leases = client.resource('coordination.k8s.io', 'v1', 'leases');
    const lease = async (n: string) => (await leases.get('kube-node-lease', n)) as { metadata: Obj; spec: { holderIdentity: string; leaseDurationSeconds: number; renewTime: string } };
    const first = await lease(a);
    assert.equal(first.spec.holderIdentity, a);
    assert.equal(first.spec.leaseDurationSeconds, 40);
    assert.equal(first.spec.renewTime, '2026-01-01T12:00:00.000000Z');
    const node = await client.resource('', 'v1', 'nodes').get(undefined, a);
    assert.deepEqual(first.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: a, uid: (node.metadata as Obj).uid }]);

    await runUntil(clock, sim, T0 + 10_000);
    assert.equal((await lease(a)).spec.renewTime, '2026-01-01T12:00:10.000000Z');

    sim.stopHeartbeat(a);
    await runUntil(clock, sim, T0 + 60_000);
    assert.equal((await lease(a)).spec.renewTime, '2026-01-01T12:00:10.000000Z');
    assert.equal((await lease(b)).spec.renewTime, '2026-01-01T12:01:00.000000Z');

    sim.resumeHeartbeat(a);
    await settle(sim);
    assert.equal((await lease(a)).spec.renewTime, '2026-01-01T12:01:00.000000Z');
  });

  test('node status is posted every 5 minutes: lastHeartbeatTime moves, lastTransitionTime stays', async (t) => {
    const { client, clock, sim } = await startCluster(t);
    const [a] = await sim.addNodes({ count: 1 });
    await runUntil(clock, sim, T0 + 5 * 60_000 - 1);
    const ready = async () => ((await client.resource('', 'v1', 'nodes').get(undefined, a)).status as { conditions: Cond[] }).conditions.find((c) => c.type === 'Ready')!;
    assert.equal((await ready()).lastHeartbeatTime, '2026-01-01T12:00:00Z');
    await runUntil(clock, sim, T0 + 5 * 60_000);
    const r = await ready();
    assert.equal(r.lastHeartbeatTime, '2026-01-01T12:05:00Z');
    assert.equal(r.lastTransitionTime, '2026-01-01T12:00:00Z');

    // A controller marks the node Unknown while its kubelet is silent; on resume the kubelet posts Ready again.
    sim.stopHeartbeat(a);
    const nodes = client.resource('', 'v1', 'nodes');
    const cur = await nodes.get(undefined, a);
    const conds = ((cur.status as Obj).conditions as Cond[]).map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: '2026-01-01T12:06:00Z' } : c));
    await nodes.patch(undefined, a, 'merge', { status: { conditions: conds } }, { subresource: 'status' });
    await runUntil(clock, sim, T0 + 7 * 60_000);
    sim.resumeHeartbeat(a);
    await settle(sim);
    const back = await ready();
    assert.deepEqual([back.status, back.reason, back.lastTransitionTime, back.lastHeartbeatTime], ['True', 'KubeletReady', '2026-01-01T12:07:00Z', '2026-01-01T12:07:00Z']);
  });

  test('removeNode deletes the Node and its Lease', async (t) => {
    const { client, sim } = await startCluster(t);
    const [a, b] = await sim.addNodes({ count: 2 });
    await settle(sim);
    await sim.removeNode(a);
    const gone = async (fn: () => Promise<unknown>) => assert.ok(await fn().then(() => false, (e) => isNotFound(e)));
    await gone(() => client.resource('', 'v1', 'nodes').get(undefined, a));
    await gone(() => client.resource('coordination.k8s.io', 'v1', 'leases').get('kube-node-lease', a));
    assert.deepEqual(sim.nodeNames(), [b]);
    assert.throws(() => sim.stopHeartbeat(a), (e: unknown) => isNotFound(e));
  });

  test('pods on a node that stopped heartbeating freeze; they continue on resume', async (t) => {
    const { client, clock, sim } = await startCluster(t);
    const [a] = await sim.addNodes({ count: 1 });
    const pods = client.resource('', 'v1', 'pods');
    sim.stopHeartbeat(a);
    await pods.create('default', podManifest('web'));
    await pods.bind('default', 'web', a);
    await runUntil(clock, sim, T0 + 30_000);
    assert.equal(((await pods.get('default', 'web')).status as Obj).startTime, undefined);
    sim.resumeHeartbeat(a);
    await runUntil(clock, sim, T0 + 32_000);
    assert.equal(((await pods.get('default', 'web')).status as Obj).phase, 'Running');
  });

  test('a restarted simulator takes over the nodes and pods a previous one registered', async (t) => {
    const { client, clock, sim } = await startCluster(t);
    const [a] = await sim.addNodes({ count: 1 });
    const pods = client.resource('', 'v1', 'pods');
    await pods.create('default', podManifest('web'));
    await pods.bind('default', 'web', a);
    await runUntil(clock, sim, T0 + 2_000);
    const ip = ((await pods.get('default', 'web')).status as Obj).podIP;
    await sim.stop();
    const { NodeSimulator } = await import('../../src/kubelet/simulator.js');
    const again = new NodeSimulator({ client, clock, seed: 7 });
    t.after(() => again.stop());
    await again.start();
    assert.deepEqual(await again.adoptExisting(), [a]);
    await pods.create('default', podManifest('api'));
    await pods.bind('default', 'api', a);
    await runUntil(clock, again, T0 + 4_000);
    const api = (await pods.get('default', 'api')).status as Obj;
    assert.equal(api.phase, 'Running');
    assert.notEqual(api.podIP, ip);
  });

  test('launch options: prefix delegation gives an m5.large 110 pods, a volume size its storage; both survive adoption', async (t) => {
    const { client, clock, sim } = await startCluster(t);
    const [a] = await sim.addNodes({ count: 1, resources: { prefixDelegation: true, volumeSizeGiB: 80 } });
    const capacityOf = async () => {
      const { capacity, allocatable } = (await client.resource('', 'v1', 'nodes').get(undefined, a)).status as { capacity: Record<string, string>; allocatable: Record<string, string> };
      return { capacity, allocatable };
    };
    const before = await capacityOf();
    assert.equal(before.capacity.pods, '110');
    // 7577Mi − (11 × 110 + 255) − 100
    assert.equal(before.allocatable.memory, '6012Mi');
    assert.equal(before.capacity['ephemeral-storage'], `${80 * 1024 * 1024 - 12_308}Ki`);
    await sim.stop();
    const { NodeSimulator } = await import('../../src/kubelet/simulator.js');
    const again = new NodeSimulator({ client, clock, seed: 7 });
    t.after(() => again.stop());
    await again.start();
    await again.adoptExisting();
    await runUntil(clock, again, clock.now() + 6 * 60_000);
    assert.deepEqual(await capacityOf(), before);
  });

  test('nodes registered with given labels, taints, addresses and instance IDs (a managed node group launching instances)', async (t) => {
    const { client, sim } = await startCluster(t);
    const names = await sim.addNodes({
      count: 2, zones: ['a', 'b'], internalIPs: ['10.0.1.20', '10.0.2.30'], instanceIds: ['i-0123456789abcdef0', 'i-0123456789abcdef1'],
      labels: { 'eks.amazonaws.com/nodegroup': 'ng-1', role: 'general' },
      taints: [{ key: 'spot', value: 'true', effect: 'NoSchedule' }], kubeletVersion: 'v1.32.9-eks-113cf36',
    });
    assert.deepEqual(names, ['ip-10-0-1-20.ec2.internal', 'ip-10-0-2-30.ec2.internal']);
    const node = await client.resource('', 'v1', 'nodes').get(undefined, names[1]);
    const labels = (node.metadata as Obj).labels as Record<string, string>;
    assert.equal(labels['eks.amazonaws.com/nodegroup'], 'ng-1');
    assert.equal(labels.role, 'general');
    assert.equal(labels['kubernetes.io/hostname'], names[1]);
    assert.deepEqual((node.spec as Obj).taints, [{ key: 'spot', value: 'true', effect: 'NoSchedule' }]);
    assert.equal((node.spec as Obj).providerID, 'aws:///us-east-1b/i-0123456789abcdef1');
    assert.equal(((node.status as Obj).nodeInfo as Obj).kubeletVersion, 'v1.32.9-eks-113cf36');
    // A name already taken is refused before anything registers.
    await assert.rejects(sim.addNodes({ count: 1, internalIPs: ['10.0.1.20'] }), /already exists/);
    assert.equal(sim.nodeNames().length, 2);
    await assert.rejects(sim.addNodes({ count: 2, internalIPs: ['10.0.3.1'] }), /one value per node/);
  });
});
