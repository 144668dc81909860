import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { instanceType, listInstanceTypes, onDemandPrice, maxPods, maxPodsCap, nodeGroupMaxPods, UnknownInstanceTypeError } from '../../src/cloud/index.js';

describe('instance catalog', () => {
  test('looks up a type with its facts', () => {
    const t = instanceType('m5.large');
    assert.ok(t);
    assert.equal(t.vcpu, 2);
    assert.equal(t.memoryMiB, 8192);
    assert.equal(t.arch, 'x86_64');
    assert.equal(t.family, 'm5');
    assert.equal(t.generation, 5);
    assert.equal(t.maxENIs, 3);
    assert.equal(t.ipv4PerENI, 10);
    assert.equal(t.gpus, 0);
    assert.equal(onDemandPrice('m5.large', 'us-east-1'), 0.096);
    assert.equal(onDemandPrice('m5.large', 'eu-west-1'), undefined);
    assert.equal(instanceType('m5.huge'), undefined);
  });

  test('covers the m, c, r, t, g, p and inf families on both architectures', () => {
    for (const category of ['m', 'c', 'r', 't', 'g', 'p', 'inf']) assert.ok(listInstanceTypes({ category }).length > 0, category);
    const arm = listInstanceTypes({ arch: 'arm64' });
    assert.ok(arm.length > 0 && arm.every((t) => t.arch === 'arm64' && /g$/.test(t.family)));
    assert.ok(listInstanceTypes({ arch: 'x86_64' }).some((t) => t.name === 'c5.xlarge'));
  });

  test('filters by size, GPU and price availability', () => {
    const gpu = listInstanceTypes({ gpu: true });
    assert.ok(gpu.some((t) => t.name === 'g5.xlarge' && t.acceleratorKind === 'nvidia'));
    assert.ok(gpu.some((t) => t.name === 'inf2.xlarge' && t.acceleratorKind === 'neuron'));
    assert.ok(gpu.every((t) => t.gpus > 0));
    const mid = listInstanceTypes({ minVcpu: 4, maxVcpu: 4, minMemoryMiB: 16384, maxMemoryMiB: 16384, gpu: false });
    assert.ok(mid.length > 0 && mid.every((t) => t.vcpu === 4 && t.memoryMiB === 16384 && t.gpus === 0));
    const tokyo = listInstanceTypes({ pricedIn: 'ap-northeast-1' });
    assert.ok(tokyo.length > 0 && !tokyo.some((t) => t.family === 'g5'), 'no Tokyo price data for g5');
  });

  test('the committed data file matches what the generator makes of the notes', (t) => {
    // Runs from test/ (tsx) and dist/test/ (npm test): find the repository by its package.json.
    let repo = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(repo, 'package.json')) && dirname(repo) !== repo) repo = dirname(repo);
    // The notes live outside the repository; skip only when they are not there (e.g. a fresh clone).
    if (!existsSync(join(repo, '../shared/notes/ec2/instance-types.csv'))) return t.skip('../shared/notes/ec2 not present');
    execFileSync(process.execPath, [join(repo, 'scripts/gen-ec2-data.mjs'), '--check']);
  });
});

describe('maxPods', () => {
  // Expected values: amazon-eks-ami templates/shared/runtime/eni-max-pods.txt (shared/notes/ec2).
  const table: [string, number][] = [
    ['m5.large', 29], ['t3.medium', 17], ['c5.xlarge', 58], ['t3.micro', 4], ['t3.nano', 4], ['m5.4xlarge', 234],
    ['m6g.medium', 8], ['g5.12xlarge', 737], ['p4d.24xlarge', 737], ['inf2.xlarge', 58],
    // Previous generation (the EKS guide's spot group names m4.large).
    ['m4.large', 20], ['c4.large', 29], ['r4.16xlarge', 737], ['t2.medium', 17], ['t2.micro', 4],
  ];
  for (const [type, expected] of table) {
    test(`${type} allows ${expected} pods`, () => assert.equal(maxPods(type), expected));
  }

  test('every type agrees with eni-max-pods.txt', () => {
    for (const t of listInstanceTypes()) assert.equal(maxPods(t), t.maxPodsSecondaryIP, t.name);
  });

  test('prefix delegation: 16 addresses per slot, capped at 110 up to 30 vCPU and 250 above', () => {
    assert.equal(maxPods('m5.large', { prefixDelegation: true }), 110); // raw 3*9*16+2 = 434
    assert.equal(maxPods('t3.micro', { prefixDelegation: true }), 2 * 1 * 16 + 2); // 34, below the cap
    assert.equal(maxPods('t3.nano', { prefixDelegation: true }), 34);
    assert.equal(maxPods('g5.8xlarge', { prefixDelegation: true }), 250); // 32 vCPU
    assert.equal(maxPods('m5.4xlarge', { prefixDelegation: true }), 110); // 16 vCPU
    assert.equal(maxPods('p4d.24xlarge', { prefixDelegation: true }), 250);
    assert.equal(maxPodsCap(30), 110);
    assert.equal(maxPodsCap(31), 250);
  });

  test('prefix delegation needs Nitro: Xen-based p3, m4 and t2 keep the secondary-IP value', () => {
    assert.equal(maxPods('p3.2xlarge', { prefixDelegation: true }), maxPods('p3.2xlarge'));
    assert.equal(maxPods('m4.large', { prefixDelegation: true }), 20);
    assert.equal(maxPods('t2.large', { prefixDelegation: true }), 35);
    assert.equal(onDemandPrice('m4.large', 'ap-northeast-1'), 0.129);
  });

  test('custom networking, --cni-max-eni and the managed node group cap', () => {
    assert.equal(maxPods('m5.large', { customNetworking: true }), 20);
    assert.equal(maxPods('m5.large', { maxENIs: 1 }), 11);
    assert.equal(maxPods('g5.12xlarge', { managedNodeGroupCap: true }), 250);
    assert.equal(maxPods('m5.4xlarge', { managedNodeGroupCap: true }), 110);
    assert.equal(maxPods('m5.large', { managedNodeGroupCap: true }), 29);
  });

  test('a managed node group takes the smallest capped value across its types', () => {
    assert.equal(nodeGroupMaxPods(['m5.4xlarge', 'g5.12xlarge']), 110);
    assert.equal(nodeGroupMaxPods(['m5.large', 'm5.xlarge']), 29);
    assert.equal(nodeGroupMaxPods(['m5.large', 'm5.xlarge'], { prefixDelegation: true }), 110);
    assert.equal(nodeGroupMaxPods(['g5.12xlarge', 'p4d.24xlarge']), 250);
    assert.throws(() => nodeGroupMaxPods([]), RangeError);
  });

  test('an unknown type is a typed error', () => {
    assert.throws(() => maxPods('x9.mega'), UnknownInstanceTypeError);
  });
});
