// EKS's Fargate rules as pure functions: which profile a pod matches (namespace and labels, the
// `*` and `?` wildcards, first profile by name, the eks.amazonaws.com/fargate-profile label), what
// the fargate-scheduler refuses and how it says so, and the Fargate node's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchFargateProfile, wildcardMatch, type FargateProfileView } from '../../src/api/fargate.js';
import { fargateNodeName, fargateUnsupported } from '../../src/cloud/fargate-scheduler.js';

const profile = (name: string, ...selectors: FargateProfileView['selectors']): FargateProfileView => ({ name, selectors, subnets: [] });

test('a selector matches its namespace and all of its labels', () => {
  const p = [profile('batch-profile', { namespace: 'fargate-tasks', labels: { compute: 'fargate' } })];
  assert.equal(matchFargateProfile(p, 'fargate-tasks', { compute: 'fargate', app: 'x' })?.name, 'batch-profile');
  assert.equal(matchFargateProfile(p, 'fargate-tasks', { app: 'x' }), undefined);
  assert.equal(matchFargateProfile(p, 'default', { compute: 'fargate' }), undefined);
  const all = [profile('ns-only', { namespace: 'kube-system' })];
  assert.equal(matchFargateProfile(all, 'kube-system', {})?.name, 'ns-only');
});

test('wildcards, several matching profiles and the profile label', () => {
  assert.ok(wildcardMatch('prod*', 'prod'));
  assert.ok(wildcardMatch('prod*', 'prod-metrics'));
  assert.ok(wildcardMatch('value?', 'valuea'));
  assert.ok(!wildcardMatch('value?', 'value'));
  assert.ok(!wildcardMatch('value?', 'value-a'));
  assert.ok(!wildcardMatch('a.b', 'axb'));
  const ps = [profile('prod-workload', { namespace: 'prod*' }), profile('beta-workload', { namespace: '*', labels: { 'tier?': 'web*' } })];
  // Both match: the first by name wins (EKS user guide, Fargate profile wildcards).
  assert.equal(matchFargateProfile(ps, 'prod-1', { tiera: 'web-1' })?.name, 'beta-workload');
  assert.equal(matchFargateProfile(ps, 'prod-1', {})?.name, 'prod-workload');
  assert.equal(matchFargateProfile(ps, 'prod-1', { tiera: 'web-1', 'eks.amazonaws.com/fargate-profile': 'prod-workload' })?.name, 'prod-workload');
  assert.equal(matchFargateProfile(ps, 'dev', { 'eks.amazonaws.com/fargate-profile': 'prod-workload' }), undefined);
});

test('the fargate-scheduler refuses what Fargate cannot run, in its message order', () => {
  const pod = {
    spec: {
      hostNetwork: true,
      containers: [
        { name: 'a', securityContext: { privileged: true }, ports: [{ containerPort: 80, hostPort: 8080 }] },
        { name: 'b', securityContext: { privileged: true }, resources: { limits: { 'nvidia.com/gpu': '1' } } },
      ],
      volumes: [{ name: 'root', hostPath: { path: '/' } }, { name: 'tmp', emptyDir: {} }],
    },
  };
  assert.deepEqual(fargateUnsupported(pod), [
    'fields not supported: HostNetwork',
    'invalid SecurityContext fields: Privileged,Privileged',
    'port contains HostIP or HostPort',
    'volumes not supported: root is of an unsupported volume Type',
    'resources not supported: nvidia.com/gpu',
  ]);
  assert.deepEqual(fargateUnsupported({ spec: { containers: [{ name: 'ok', ports: [{ containerPort: 80 }] }] } }), []);
});

test('Fargate nodes are named after their private DNS name', () => {
  assert.equal(fargateNodeName('192.168.100.7', 'us-east-1'), 'fargate-ip-192-168-100-7.ec2.internal');
  assert.equal(fargateNodeName('10.0.1.5', 'ap-northeast-1'), 'fargate-ip-10-0-1-5.ap-northeast-1.compute.internal');
});
