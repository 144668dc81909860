import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { VpcModel, Ec2ModelError, CNI_NO_IP_MESSAGE, maxPods, parseCidr, parseIpv4, type PodIpResult } from '../../src/cloud/index.js';

function ipOf(r: PodIpResult): string {
  assert.ok('ip' in r, `expected an IP, got ${JSON.stringify(r)}`);
  return r.ip;
}

/** A model with one extra /28 subnet in the default VPC's free space. */
function withTinySubnet(): { model: VpcModel; subnetId: string } {
  const model = VpcModel.create('us-east-1');
  const vpcId = model.defaultVpc()!.vpcId;
  const s = model.createSubnet({ vpcId, cidrBlock: '192.168.192.0/28', availabilityZone: 'us-east-1a' });
  return { model, subnetId: s.subnetId };
}

describe('default VPC', () => {
  test('192.168.0.0/16 with a public and a private /19 in each of three zones', () => {
    const model = VpcModel.create('us-east-1');
    const vpc = model.defaultVpc();
    assert.ok(vpc);
    assert.match(vpc.vpcId, /^vpc-[0-9a-f]{17}$/);
    assert.equal(vpc.cidrBlock, '192.168.0.0/16');
    assert.deepEqual(model.availabilityZones().map((z) => [z.zoneName, z.zoneId]), [['us-east-1a', 'use1-az1'], ['us-east-1b', 'use1-az2'], ['us-east-1c', 'use1-az3']]);
    const pub = model.subnets({ public: true });
    const priv = model.subnets({ public: false });
    assert.deepEqual(pub.map((s) => s.cidrBlock), ['192.168.0.0/19', '192.168.32.0/19', '192.168.64.0/19']);
    assert.deepEqual(priv.map((s) => s.cidrBlock), ['192.168.96.0/19', '192.168.128.0/19', '192.168.160.0/19']);
    assert.deepEqual(pub.map((s) => s.availabilityZone), ['us-east-1a', 'us-east-1b', 'us-east-1c']);
    assert.ok(pub.every((s) => s.tags['kubernetes.io/role/elb'] === '1' && s.mapPublicIpOnLaunch));
    assert.ok(priv.every((s) => s.tags['kubernetes.io/role/internal-elb'] === '1' && !s.mapPublicIpOnLaunch));
    // A /19 holds 8192 addresses, 5 reserved by AWS.
    assert.ok([...pub, ...priv].every((s) => s.availableIpAddressCount === 8187));
    const [sg] = model.securityGroups(vpc.vpcId);
    assert.equal(sg.groupName, 'default');
    assert.deepEqual(sg.ingress, [{ ipProtocol: '-1', groupIds: [sg.groupId] }]);
    assert.deepEqual(sg.egress, [{ ipProtocol: '-1', cidrIpv4: ['0.0.0.0/0'] }]);
    assert.equal(VpcModel.create('ap-northeast-1').availabilityZones()[0].zoneId, 'apne1-az1');
  });

  test('subnet and security group validation uses EC2 error codes and changes nothing', () => {
    const model = VpcModel.create('us-east-1');
    const vpcId = model.defaultVpc()!.vpcId;
    const code = (fn: () => unknown) => {
      try { fn(); } catch (e) { assert.ok(e instanceof Ec2ModelError); return e.code; }
      return 'no error';
    };
    assert.equal(code(() => model.createSubnet({ vpcId, cidrBlock: '192.168.0.0/24', availabilityZone: 'us-east-1a' })), 'InvalidSubnet.Conflict');
    assert.equal(code(() => model.createSubnet({ vpcId, cidrBlock: '10.0.0.0/24', availabilityZone: 'us-east-1a' })), 'InvalidSubnet.Range');
    assert.equal(code(() => model.createSubnet({ vpcId, cidrBlock: '192.168.200.0/29', availabilityZone: 'us-east-1a' })), 'InvalidSubnet.Range');
    assert.equal(code(() => model.createSubnet({ vpcId, cidrBlock: '192.168.200.1/24', availabilityZone: 'us-east-1a' })), 'InvalidParameterValue');
    assert.equal(code(() => model.createSubnet({ vpcId, cidrBlock: '192.168.200.0/24', availabilityZone: 'us-east-1z' })), 'InvalidAvailabilityZone');
    assert.equal(code(() => model.createSubnet({ vpcId: 'vpc-0000', cidrBlock: '192.168.200.0/24', availabilityZone: 'us-east-1a' })), 'InvalidVpcID.NotFound');
    assert.equal(code(() => model.createSecurityGroup({ vpcId, groupName: 'default', description: 'x' })), 'InvalidGroup.Duplicate');
    assert.equal(model.subnets().length, 6);
    const sg = model.createSecurityGroup({ vpcId, groupName: 'nodes', description: 'node group' });
    model.authorize(sg.groupId, 'ingress', [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: ['10.0.0.0/8'] }]);
    assert.equal(model.securityGroup(sg.groupId)?.ingress.length, 1);
    assert.equal(code(() => model.authorize(sg.groupId, 'ingress', [{ ipProtocol: 'tcp', cidrIpv4: ['10.0.0.0/33'] }])), 'InvalidParameterValue');
    assert.equal(model.securityGroup(sg.groupId)?.ingress.length, 1);
  });
});

describe('subnet address management', () => {
  test('a /28 yields 11 addresses, skipping the 4 first and the broadcast address', () => {
    const { model, subnetId } = withTinySubnet();
    assert.equal(model.availableIpAddressCount(subnetId), 11);
    const ips: string[] = [];
    for (let ip = model.allocate(subnetId); ip !== undefined; ip = model.allocate(subnetId)) ips.push(ip);
    assert.equal(ips.length, 11);
    assert.equal(ips[0], '192.168.192.4');
    assert.equal(ips.at(-1), '192.168.192.14');
    assert.equal(model.availableIpAddressCount(subnetId), 0);
    assert.equal(model.subnet(subnetId)?.availableIpAddressCount, 0);
    assert.equal(model.release('192.168.192.7'), true);
    assert.equal(model.release('192.168.192.7'), false);
    assert.equal(model.availableIpAddressCount(subnetId), 1);
    assert.equal(model.allocate(subnetId), '192.168.192.7');
    assert.equal(model.allocate(subnetId), undefined);
    assert.equal(model.release('not an ip'), false);
  });
});

describe('VPC CNI on a node', () => {
  test('secondary IPs: m5.large takes 27 pod addresses on 3 ENIs, then reports the CNI failure', () => {
    const model = VpcModel.create('us-east-1');
    const subnetId = model.subnets({ public: false })[0].subnetId;
    const node = model.attachNode('i-0123456789abcdef0', { instanceType: 'm5.large', subnetId });
    assert.equal(node.privateIp, '192.168.96.4');
    const before = model.availableIpAddressCount(subnetId);
    const ips: string[] = [];
    for (;;) {
      const r = model.assignPodIp(node.instanceId);
      if ('error' in r) {
        assert.deepEqual(r, { error: 'NodeAddressLimit', message: CNI_NO_IP_MESSAGE });
        break;
      }
      ips.push(r.ip);
    }
    // 3 ENIs × 9 secondary addresses; + 2 host-network pods gives max pods 29.
    assert.equal(ips.length, 27);
    assert.equal(ips.length + 2, maxPods('m5.large'));
    assert.equal(new Set(ips).size, 27);
    const enis = model.networkInterfaces({ instanceId: node.instanceId });
    assert.equal(enis.length, 3);
    assert.ok(enis.every((e) => e.secondaryPrivateIpAddresses.length === 9));
    assert.equal(before - model.availableIpAddressCount(subnetId), 27 + 2); // + the two extra ENIs' primaries
    assert.equal(model.releasePodIp(node.instanceId, ips[0]), true);
    assert.equal(ipOf(model.assignPodIp(node.instanceId)).length > 0, true);
    assert.equal(model.detachNode(node.instanceId), true);
    assert.equal(model.availableIpAddressCount(subnetId), 8187);
    assert.equal(model.networkInterfaces().length, 0);
  });

  test('a full subnet leaves the pod without an address', () => {
    const { model, subnetId } = withTinySubnet();
    model.attachNode('i-1', { instanceType: 't3.medium', subnetId }); // uses 1 of 11
    const got: string[] = [];
    let last: PodIpResult;
    for (;;) {
      last = model.assignPodIp('i-1');
      if ('error' in last) break;
      got.push(last.ip);
    }
    // 11 − 1 (primary) − 1 (second ENI's primary) = 9 pod addresses.
    assert.equal(got.length, 9);
    assert.deepEqual(last, { error: 'InsufficientFreeAddressesInSubnet', message: CNI_NO_IP_MESSAGE });
    assert.equal(model.availableIpAddressCount(subnetId), 0);
    assert.throws(() => model.attachNode('i-2', { instanceType: 't3.medium', subnetId }), (e) => e instanceof Ec2ModelError && e.code === 'InsufficientFreeAddressesInSubnet');
    assert.equal(model.node('i-2'), undefined);
  });

  test('prefix delegation: /28 prefixes per ENI slot, 16 pods each', () => {
    const model = VpcModel.create('us-east-1');
    const subnetId = model.subnets({ public: false })[1].subnetId;
    model.attachNode('i-pd', { instanceType: 'm5.large', subnetId, prefixDelegation: true });
    const before = model.availableIpAddressCount(subnetId);
    const ips = Array.from({ length: 110 }, () => ipOf(model.assignPodIp('i-pd')));
    assert.equal(new Set(ips).size, 110);
    const enis = model.networkInterfaces({ instanceId: 'i-pd' });
    const prefixes = enis.flatMap((e) => e.ipv4Prefixes);
    assert.equal(prefixes.length, Math.ceil(110 / 16)); // 7 prefixes, all on the primary ENI's 9 slots
    assert.equal(enis.length, 1);
    assert.ok(prefixes.every((p) => /\/28$/.test(p) && Number(p.split('/')[0].split('.')[3]) % 16 === 0));
    assert.equal(before - model.availableIpAddressCount(subnetId), 7 * 16);
    // Emptying a prefix returns it to the subnet.
    const last = parseCidr(prefixes.at(-1)!)!;
    const inLast = ips.filter((ip) => parseIpv4(ip)! >= last.base && parseIpv4(ip)! < last.base + last.size);
    assert.equal(inLast.length, 110 - 6 * 16);
    for (const ip of inLast.slice(1)) model.releasePodIp('i-pd', ip);
    assert.equal(before - model.availableIpAddressCount(subnetId), 7 * 16);
    model.releasePodIp('i-pd', inLast[0]);
    assert.equal(before - model.availableIpAddressCount(subnetId), 6 * 16);
  });

  test('prefix delegation capacity: 3 ENIs × 9 slots × 16 addresses on m5.large', () => {
    const model = VpcModel.create('us-east-1');
    const subnetId = model.subnets({ public: false })[2].subnetId;
    model.attachNode('i-big', { instanceType: 'm5.large', subnetId, prefixDelegation: true });
    let n = 0;
    while ('ip' in model.assignPodIp('i-big')) n++;
    assert.equal(n, 3 * 9 * 16);
    assert.deepEqual(model.assignPodIp('i-big'), { error: 'NodeAddressLimit', message: CNI_NO_IP_MESSAGE });
  });

  test('a fragmented subnet has addresses but no free /28', () => {
    const model = VpcModel.create('us-east-1');
    const vpcId = model.defaultVpc()!.vpcId;
    // A /26 has four /28 blocks; the first holds the reserved .0–.3 and the last the broadcast address.
    const { subnetId } = model.createSubnet({ vpcId, cidrBlock: '192.168.192.0/26', availabilityZone: 'us-east-1b' });
    model.attachNode('i-frag', { instanceType: 'm5.large', subnetId, prefixDelegation: true });
    const first = ipOf(model.assignPodIp('i-frag'));
    assert.equal(first, '192.168.192.16'); // block 1 is the only whole /28 not touching the reserved ones
    // Hold one address in block 2 so that no whole /28 is left.
    let ip: string | undefined;
    do ip = model.allocate(subnetId); while (ip !== undefined && ip !== '192.168.192.32');
    assert.ok(model.availableIpAddressCount(subnetId) > 16);
    for (let i = 1; i < 16; i++) ipOf(model.assignPodIp('i-frag'));
    assert.deepEqual(model.assignPodIp('i-frag'), { error: 'InsufficientCidrBlocks', message: CNI_NO_IP_MESSAGE });
    assert.deepEqual(model.networkInterfaces({ instanceId: 'i-frag' })[0].ipv4Prefixes, ['192.168.192.16/28']);
  });

  test('Xen-based types ignore prefix delegation, as the CNI does', () => {
    const model = VpcModel.create('us-east-1');
    const n = model.attachNode('i-p3', { instanceType: 'p3.2xlarge', subnetId: model.subnets()[0].subnetId, prefixDelegation: true });
    assert.equal(n.prefixDelegation, false);
  });

  test('unknown instance, type or subnet are typed errors', () => {
    const model = VpcModel.create('us-east-1');
    const subnetId = model.subnets()[0].subnetId;
    assert.throws(() => model.assignPodIp('i-missing'), (e) => e instanceof Ec2ModelError && e.code === 'InvalidInstanceID.NotFound');
    assert.throws(() => model.attachNode('i-x', { instanceType: 'x9.mega', subnetId }), (e) => e instanceof Ec2ModelError && e.code === 'InvalidParameterValue');
    assert.throws(() => model.attachNode('i-x', { instanceType: 'm5.large', subnetId: 'subnet-nope' }), (e) => e instanceof Ec2ModelError && e.code === 'InvalidSubnetID.NotFound');
    assert.throws(() => model.allocate('subnet-nope'), (e) => e instanceof Ec2ModelError && e.code === 'InvalidSubnetID.NotFound');
  });
});

describe('persistence', () => {
  test('toJSON/fromJSON round-trips through JSON text and allocation continues where it stopped', () => {
    const model = VpcModel.create('us-east-1');
    const subnetId = model.subnets({ public: false })[0].subnetId;
    model.attachNode('i-a', { instanceType: 'c5.xlarge', subnetId });
    model.attachNode('i-b', { instanceType: 'm5.large', subnetId, prefixDelegation: true });
    const a = Array.from({ length: 20 }, () => ipOf(model.assignPodIp('i-a')));
    const b = Array.from({ length: 20 }, () => ipOf(model.assignPodIp('i-b')));
    model.releasePodIp('i-a', a[3]);
    const text = JSON.stringify(model);
    const restored = VpcModel.fromJSON(JSON.parse(text));
    assert.deepEqual(restored.toJSON(), model.toJSON());
    assert.equal(restored.availableIpAddressCount(subnetId), model.availableIpAddressCount(subnetId));
    // Both continue identically, with no address handed out twice.
    const next1 = Array.from({ length: 30 }, () => ipOf(model.assignPodIp('i-a')));
    const next2 = Array.from({ length: 30 }, () => ipOf(restored.assignPodIp('i-a')));
    assert.deepEqual(next2, next1);
    const all = [...a.filter((_, i) => i !== 3), ...b, ...next2, restored.node('i-a')!.privateIp, restored.node('i-b')!.privateIp];
    assert.equal(new Set(all).size, all.length);
    assert.equal(ipOf(restored.assignPodIp('i-b')), ipOf(model.assignPodIp('i-b')));
    const vpc2 = restored.createVpc({ cidrBlock: '10.0.0.0/16' });
    assert.equal(vpc2.vpcId, model.createVpc({ cidrBlock: '10.0.0.0/16' }).vpcId);
  });

  test('malformed state is refused with InvalidState', () => {
    for (const bad of [null, {}, { version: 2 }, { version: 1, region: 'us-east-1', nextId: 1, vpcs: [], subnets: 'x', securityGroups: [], networkInterfaces: [], nodes: [] },
      { version: 1, region: 'us-east-1', nextId: 1, vpcs: [{ vpcId: 'vpc-1', cidrBlock: 'nope' }], subnets: [], securityGroups: [], networkInterfaces: [], nodes: [] }]) {
      assert.throws(() => VpcModel.fromJSON(bad), (e) => e instanceof Ec2ModelError && e.code === 'InvalidState', JSON.stringify(bad));
    }
  });
});

describe('claimPodIp', () => {
  test('takes back known pod addresses in secondary-IP and prefix mode, refuses taken or foreign ones', () => {
    const model = VpcModel.create('us-east-1');
    const subnetId = model.subnets({ public: false })[0].subnetId;
    model.attachNode('i-s', { instanceType: 'm5.large', subnetId });
    model.attachNode('i-p', { instanceType: 'm5.large', subnetId, prefixDelegation: true });
    const s = model.node('i-s')!;
    assert.equal(model.claimPodIp('i-s', '192.168.96.200'), true);
    assert.equal(model.claimPodIp('i-s', '192.168.96.200'), true, 'already recorded');
    assert.equal(model.claimPodIp('i-p', '192.168.96.200'), false, 'held by the other node');
    assert.equal(model.claimPodIp('i-s', '10.0.0.5'), false, 'outside the subnet');
    assert.equal(model.claimPodIp('i-s', s.privateIp), false, 'the ENI address');
    assert.equal(model.claimPodIp('i-p', '192.168.97.3'), true);
    assert.equal(model.claimPodIp('i-p', '192.168.97.9'), true);
    const eni = model.networkInterfaces({ instanceId: 'i-p' })[0];
    assert.deepEqual(eni.ipv4Prefixes, ['192.168.97.0/28']);
    // Releasing both gives the /28 back.
    model.releasePodIp('i-p', '192.168.97.3');
    model.releasePodIp('i-p', '192.168.97.9');
    assert.deepEqual(model.networkInterfaces({ instanceId: 'i-p' })[0].ipv4Prefixes, []);
  });
});

describe('stored without pod IPs', () => {
  test('ENIs and cursor are kept, pod addresses are not; claiming them back restores the model', () => {
    const model = VpcModel.create('us-east-1');
    const subnetId = model.subnets({ public: false })[0].subnetId;
    model.attachNode('i-a', { instanceType: 'c5.xlarge', subnetId });
    model.attachNode('i-b', { instanceType: 'm5.large', subnetId, prefixDelegation: true });
    const a = Array.from({ length: 20 }, () => ipOf(model.assignPodIp('i-a')));
    const b = Array.from({ length: 20 }, () => ipOf(model.assignPodIp('i-b')));
    const stored = JSON.parse(JSON.stringify(model.toJSON({ podIps: false })));
    assert.ok(JSON.stringify(stored).length < JSON.stringify(model.toJSON()).length);
    const restored = VpcModel.fromJSON(stored);
    assert.deepEqual(restored.networkInterfaces().map((e) => e.networkInterfaceId), model.networkInterfaces().map((e) => e.networkInterfaceId));
    for (const ip of a) assert.equal(restored.claimPodIp('i-a', ip), true);
    for (const ip of b) assert.equal(restored.claimPodIp('i-b', ip), true);
    assert.equal(restored.availableIpAddressCount(subnetId), model.availableIpAddressCount(subnetId));
    const next = [ipOf(restored.assignPodIp('i-a')), ipOf(restored.assignPodIp('i-b'))];
    for (const ip of next) assert.ok(![...a, ...b].includes(ip));
  });
});
