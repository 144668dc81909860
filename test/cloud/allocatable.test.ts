import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { allocatable, nodeResources, kubeReservedCpuMillis, kubeReservedMemoryMiB } from '../../src/cloud/index.js';

describe('kube-reserved', () => {
  test('CPU bands match the derived examples of the EKS AMI formula', () => {
    const table: [number, number][] = [[1, 60], [2, 70], [4, 80], [8, 90], [16, 110], [32, 150], [64, 230], [96, 310]];
    for (const [vcpu, millis] of table) assert.equal(kubeReservedCpuMillis(vcpu), millis, `${vcpu} vCPU`);
  });
  test('memory is 11 MiB per pod plus 255 MiB', () => {
    const table: [number, number][] = [[29, 574], [58, 893], [110, 1465], [234, 2829], [737, 8362]];
    for (const [pods, mib] of table) assert.equal(kubeReservedMemoryMiB(pods), mib);
  });
});

describe('node resources', () => {
  test('m5.large matches the published allocatable (cpu 1930m, memory 6903Mi, 29 pods)', () => {
    const r = nodeResources('m5.large');
    assert.deepEqual(r.capacity, { cpu: '2', memory: '7577Mi', pods: '29', 'ephemeral-storage': '20Gi' });
    assert.deepEqual(r.allocatable, { cpu: '1930m', memory: '6903Mi', pods: '29', 'ephemeral-storage': '17Gi' });
    assert.deepEqual(r.kubeReserved, { cpu: '70m', memory: '574Mi', 'ephemeral-storage': '1Gi' });
    assert.equal(r.evictionHard['memory.available'], '100Mi');
  });

  test('prefix delegation raises pods and the memory reserved for them', () => {
    const a = allocatable('m5.large', { prefixDelegation: true });
    assert.equal(a.pods, '110');
    assert.equal(a.memory, `${7577 - 1465 - 100}Mi`);
  });

  test('volume size and an explicit max-pods change what is left', () => {
    const a = allocatable('c5.xlarge', { volumeSizeGiB: 80, maxPodsOverride: 20 });
    assert.equal(a.pods, '20');
    // 80Gi − 1Gi reserved − 8Gi (10% nodefs eviction)
    assert.equal(a['ephemeral-storage'], '71Gi');
    assert.equal(a.memory, `${8192 - Math.ceil(8192 * 0.075) - (11 * 20 + 255) - 100}Mi`);
  });

  test('GPU and Neuron devices appear as extended resources', () => {
    assert.equal(nodeResources('g5.xlarge').capacity['nvidia.com/gpu'], '1');
    assert.equal(nodeResources('p3.8xlarge').allocatable['nvidia.com/gpu'], '4');
    assert.equal(nodeResources('inf2.xlarge').capacity['aws.amazon.com/neuron'], '1');
    assert.equal(nodeResources('m5.large').capacity['nvidia.com/gpu'], undefined);
  });
});
