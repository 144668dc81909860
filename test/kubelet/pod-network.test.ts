// Pod IPs from the node's subnet as the VPC CNI assigns them (the simulator with kumo up's
// VPC-backed PodNetwork): a /28 subnet runs out, the next pod waits in ContainerCreating with
// the aws-cni FailedCreatePodSandBox event and starts once an address frees; nodes without an
// attachment keep 100.64/10; a restarted simulator over a model that lost its pod IPs claims
// them back from the pods.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Obj } from '../../src/client/types.js';
import { CNI_NO_IP_MESSAGE, parseCidr, parseIpv4, VpcModel } from '../../src/cloud/index.js';
import { MemoryAwsStateStore, VpcModels } from '../../src/aws/index.js';
import { NodeSimulator } from '../../src/kubelet/simulator.js';
import { vpcPodNetwork } from '../../src/main/pod-network.js';
import { podManifest, runUntil, startCluster, T0 } from './fixture.js';

const region = 'us-east-1';
const inCidr = (cidr: string, ip: string) => {
  const c = parseCidr(cidr)!;
  const n = parseIpv4(ip)!;
  return n >= c.base && n < c.base + c.size;
};

async function setup(t: Parameters<typeof startCluster>[0]) {
  const state = new MemoryAwsStateStore();
  const models = await VpcModels.open(state, [region]);
  const model = models.model(region);
  const subnet = model.createSubnet({ vpcId: model.defaultVpc()!.vpcId, cidrBlock: '192.168.192.0/28', availabilityZone: 'us-east-1a' });
  const attached = model.attachNode('i-0aaaaaaaaaaaaaaa1', { instanceType: 'm5.large', subnetId: subnet.subnetId });
  const afterAttach = model.toJSON();
  // The network reads the cluster through its client, which exists once the cluster does.
  const late: { network?: ReturnType<typeof vpcPodNetwork> } = {};
  const cluster = await startCluster(t, {
    podNetwork: {
      launchSettings: () => late.network!.launchSettings!(), attachment: (n) => late.network!.attachment(n), assign: (n) => late.network!.assign(n),
      release: (n, ip) => late.network!.release(n, ip), restore: (n, ip) => late.network!.restore(n, ip),
    },
  });
  late.network = vpcPodNetwork({ models, region, client: cluster.client });
  t.after(() => models.flush());
  return { ...cluster, models, model, subnet, attached, afterAttach, state };
}

describe('pod IPs from the VPC', () => {
  test('a full subnet leaves the next pod in ContainerCreating with the CNI event until an address frees', async (t) => {
    const { client, clock, sim, model, subnet, attached } = await setup(t);
    const [node] = await sim.addNodes({ count: 1, zones: ['a'], internalIPs: [attached.privateIp], instanceIds: [attached.instanceId] });
    const [plain] = await sim.addNodes({ count: 1, zones: ['b'], namePrefix: 'plain' });
    const pods = client.resource('', 'v1', 'pods');
    // A /28 has 11 usable addresses: the primary ENI's own and 9 secondaries on it; a second ENI
    // would take the last one for itself and have none to give.
    const names = Array.from({ length: 10 }, (_, i) => `p${i}`);
    for (const n of names) {
      await pods.create('default', podManifest(n));
      await pods.bind('default', n, node);
    }
    await pods.create('default', podManifest('elsewhere'));
    await pods.bind('default', 'elsewhere', plain);
    await runUntil(clock, sim, T0 + 5_000);
    const statuses = new Map((await pods.list('default')).items.map((p) => [(p.metadata as Obj).name as string, p.status as Record<string, any>]));
    const running = names.filter((n) => statuses.get(n)!.phase === 'Running');
    const waiting = names.filter((n) => statuses.get(n)!.phase !== 'Running');
    assert.equal(running.length, 9);
    assert.equal(waiting.length, 1);
    for (const n of running) assert.ok(inCidr(subnet.cidrBlock, statuses.get(n)!.podIP), `${n}: ${statuses.get(n)!.podIP}`);
    assert.equal(new Set(running.map((n) => statuses.get(n)!.podIP)).size, 9);
    assert.ok(inCidr('100.64.0.0/10', statuses.get('elsewhere')!.podIP));
    const stuck = statuses.get(waiting[0])!;
    assert.equal(stuck.podIP, undefined);
    assert.equal(stuck.containerStatuses[0].state.waiting.reason, 'ContainerCreating');
    assert.equal(Object.keys(model.node(attached.instanceId)!.podIps).length, 9);
    const events = (await client.resource('', 'v1', 'events').list('default')).items as Array<Record<string, any>>;
    const failed = events.filter((e) => e.reason === 'FailedCreatePodSandBox' && e.involvedObject.name === waiting[0]);
    assert.equal(failed.length, 1);
    assert.equal(failed[0].type, 'Warning');
    assert.equal(failed[0].source.component, 'kubelet');
    assert.match(failed[0].message, /^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="aws-cni" name="aws-cni" failed \(add\): /);
    assert.ok(failed[0].message.endsWith(CNI_NO_IP_MESSAGE));

    // The kubelet tries again 10 s later with a new sandbox (another event); deleting a running pod frees its address.
    await runUntil(clock, sim, T0 + 16_000);
    const again = (await client.resource('', 'v1', 'events').list('default')).items.filter((e) => (e as Record<string, any>).reason === 'FailedCreatePodSandBox');
    assert.equal(again.length, 2);
    await pods.delete('default', running[0], { gracePeriodSeconds: 0 });
    await runUntil(clock, sim, T0 + 30_000);
    const started = (await pods.get('default', waiting[0])).status as Record<string, any>;
    assert.equal(started.phase, 'Running');
    assert.ok(inCidr(subnet.cidrBlock, started.podIP));
    assert.ok(!running.slice(1).some((n) => statuses.get(n)!.podIP === started.podIP));
  });

  test('pod IPs are not stored; a restarted simulator claims them back from the pods', async (t) => {
    const { client, clock, sim, models, attached, afterAttach, state, subnet } = await setup(t);
    const [node] = await sim.addNodes({ count: 1, zones: ['a'], internalIPs: [attached.privateIp], instanceIds: [attached.instanceId] });
    const pods = client.resource('', 'v1', 'pods');
    for (const n of ['a', 'b', 'c']) {
      await pods.create('default', podManifest(n));
      await pods.bind('default', n, node);
    }
    await runUntil(clock, sim, T0 + 5_000);
    const ips = (await pods.list('default')).items.map((p) => (p.status as Record<string, string>).podIP).sort();
    await sim.stop();
    // What kumo up stores: ENIs and the allocation cursor, no pod addresses.
    await models.save(region);
    const stored = await state.get<ReturnType<VpcModel['toJSON']>>('vpc', region);
    assert.deepEqual(stored!.nodes.find((n) => n.instanceId === attached.instanceId)!.podIps, {});
    assert.ok(stored!.networkInterfaces.every((e) => e.secondaryPrivateIpAddresses.length === 0));
    assert.ok(ips.every((ip) => !(ip in stored!.subnets.find((x) => x.subnetId === subnet.subnetId)!.pool.addresses)));
    // Also from a model stored before any pod got an address (a crash inside the save debounce).
    for (const snapshot of [stored!, afterAttach]) assert.deepEqual(VpcModel.fromJSON(snapshot).node(attached.instanceId)!.podIps, {});
    const reopened = await VpcModels.open(state, [region]);
    t.after(() => reopened.flush());
    const again = new NodeSimulator({ client, clock, seed: 7, podNetwork: vpcPodNetwork({ models: reopened, region, client }) });
    t.after(() => again.stop());
    await again.start();
    await again.adoptExisting();
    await runUntil(clock, again, T0 + 8_000);
    assert.deepEqual(Object.keys(reopened.model(region).node(attached.instanceId)!.podIps).sort(), ips);
    // The next pod gets an address none of them holds.
    await pods.create('default', podManifest('d'));
    await pods.bind('default', 'd', node);
    await runUntil(clock, again, T0 + 12_000);
    const d = (await pods.get('default', 'd')).status as Record<string, string>;
    assert.equal(d.phase, 'Running');
    assert.ok(!ips.includes(d.podIP));
  });
});
