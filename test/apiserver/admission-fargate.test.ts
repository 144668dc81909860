// EKS's Fargate mutation in the registry's admission chain: the profiles come from the mirrored
// ConfigMap kube-system/kumo-fargate-profiles; a pod that matches one gets fargate-scheduler and the
// eks.amazonaws.com/fargate-profile label; DaemonSet pods, pods with their own scheduler or node,
// and pods that match nothing are left as they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultAdmissionPlugins } from '../../src/apiserver/admission/plugins.js';
import type { Obj } from '../../src/client/types.js';
import { startAdmissionRegistry } from './admission-fixture.js';

const mirror = (profiles: unknown[]) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kumo-fargate-profiles', namespace: 'kube-system' },
  data: { 'profiles.json': JSON.stringify({ profiles, startupMs: 1000 }) },
});
const pod = (name: string, ns: string, labels: Record<string, string>, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): Obj => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels, ...meta }, spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec },
});

test('pods matching an ACTIVE Fargate profile get the Fargate scheduler and the profile label', async (t) => {
  const { registry, client, lookup } = await startAdmissionRegistry(t);
  registry.useAdmission(defaultAdmissionPlugins(), lookup);
  const pods = client.resource('', 'v1', 'pods');
  for (const ns of ['fargate-tasks', 'kube-system', 'prod-a']) await client.resource('', 'v1', 'namespaces').create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }).catch(() => undefined);

  // No profiles: nothing changes.
  const before = await pods.create('fargate-tasks', pod('before', 'fargate-tasks', { compute: 'fargate' }));
  assert.equal((before.spec as any).schedulerName, 'default-scheduler');

  await client.resource('', 'v1', 'configmaps').create('kube-system', mirror([
    { name: 'batch-profile', selectors: [{ namespace: 'fargate-tasks', labels: { compute: 'fargate' } }], subnets: [] },
    { name: 'a-prod', selectors: [{ namespace: 'prod-*' }], subnets: [] },
    { name: 'z-prod', selectors: [{ namespace: 'prod-?' }], subnets: [] },
  ]));
  const matched = await pods.create('fargate-tasks', pod('batch', 'fargate-tasks', { compute: 'fargate' }));
  assert.equal((matched.spec as any).schedulerName, 'fargate-scheduler');
  assert.equal((matched.metadata as any).labels['eks.amazonaws.com/fargate-profile'], 'batch-profile');

  const unlabelled = await pods.create('fargate-tasks', pod('plain', 'fargate-tasks', {}));
  assert.equal((unlabelled.spec as any).schedulerName, 'default-scheduler');
  assert.equal((unlabelled.metadata as any).labels?.['eks.amazonaws.com/fargate-profile'], undefined);

  // Several profiles match: the first by name, unless the pod names one.
  assert.equal(((await pods.create('prod-a', pod('p1', 'prod-a', {}))).metadata as any).labels['eks.amazonaws.com/fargate-profile'], 'a-prod');
  const chosen = await pods.create('prod-a', pod('p2', 'prod-a', { 'eks.amazonaws.com/fargate-profile': 'z-prod' }));
  assert.equal((chosen.metadata as any).labels['eks.amazonaws.com/fargate-profile'], 'z-prod');
  assert.equal((chosen.spec as any).schedulerName, 'fargate-scheduler');

  // DaemonSet pods, pods with a scheduler of their own and pods already on a node stay as they are.
  const dsPod = await pods.create('fargate-tasks', pod('ds', 'fargate-tasks', { compute: 'fargate' }, {}, {
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: '6b1f0c5e-0000-4000-8000-000000000001', controller: true }],
  }));
  assert.equal((dsPod.spec as any).schedulerName, 'default-scheduler');
  const ec2 = await pods.create('fargate-tasks', pod('ec2', 'fargate-tasks', { compute: 'fargate' }, {}, { annotations: { 'eks.amazonaws.com/compute-type': 'ec2' } }));
  assert.equal((ec2.spec as any).schedulerName, 'default-scheduler');
  const custom = await pods.create('fargate-tasks', pod('custom', 'fargate-tasks', { compute: 'fargate' }, { schedulerName: 'my-scheduler' }));
  assert.equal((custom.spec as any).schedulerName, 'my-scheduler');
  const pinned = await pods.create('fargate-tasks', pod('pinned', 'fargate-tasks', { compute: 'fargate' }, { nodeName: 'ip-192-168-0-10.ec2.internal' }));
  assert.equal((pinned.spec as any).schedulerName, 'default-scheduler');

  // Updates are not admitted again.
  const relabelled = await pods.patch('fargate-tasks', 'plain', 'merge', { metadata: { labels: { compute: 'fargate' } } });
  assert.equal((relabelled.spec as any).schedulerName, 'default-scheduler');
});
