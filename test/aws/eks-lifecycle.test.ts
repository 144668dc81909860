// EKS lifecycle on an injected clock, restart recovery from the stored state, and the hooks that
// block DeleteCluster, through @aws-sdk/client-eks against the AWS endpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CancelUpdateCommand, CreateClusterCommand, UpdateClusterConfigCommand, DeleteClusterCommand, DescribeClusterCommand, DescribeUpdateCommand, UpdateClusterVersionCommand,
  InvalidRequestException, ResourceInUseException, ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { startFixture } from './eks-fixture.js';
import { MemoryAwsStateStore } from '../../src/aws/state.js';
import { accessPolicyRules } from '../../src/aws/eks/index.js';
import { FakeClock } from '../../src/util/clock.js';
import { readUntil, settle } from '../helpers/wait.js';

const vpc = { subnetIds: ['subnet-a1', 'subnet-b2'], securityGroupIds: ['sg-1'] };
const roleArn = 'arn:aws:iam::000000000000:role/eks';

test('CREATING lasts exactly the configured clock time; updates and restarts follow the stored state', async (t) => {
  const clock = new FakeClock(Date.now());
  const store = new MemoryAwsStateStore();
  const f = await startFixture({ clock, store, transitionMs: 60_000 });
  await f.clusterRole();
  t.after(() => f.close());
  await f.eks.send(new CreateClusterCommand({ name: 'slow', roleArn, resourcesVpcConfig: vpc, version: '1.32' }));
  await settle();
  clock.advance(59_999);
  await settle();
  assert.equal((await f.eks.send(new DescribeClusterCommand({ name: 'slow' }))).cluster?.status, 'CREATING');
  assert.equal((await f.eks.send(new DescribeClusterCommand({ name: 'slow' }))).cluster?.endpoint, undefined);
  clock.advance(1);
  // Due now; ACTIVE as soon as the control plane the runtime is starting answers.
  const active = await readUntil(async () => (await f.eks.send(new DescribeClusterCommand({ name: 'slow' }))).cluster!, (c) => c.status !== 'CREATING');
  assert.equal(active.status, 'ACTIVE');

  const { update } = await f.eks.send(new UpdateClusterVersionCommand({ name: 'slow', version: '1.33' }));
  await assert.rejects(f.eks.send(new UpdateClusterVersionCommand({ name: 'slow', version: '1.33' })), (e: unknown) =>
    e instanceof ResourceInUseException && e.message === `Cannot VersionUpdate because cluster slow currently has update ${update!.id} in progress`);
  assert.equal((await f.eks.send(new DescribeClusterCommand({ name: 'slow' }))).cluster?.status, 'UPDATING');
  await assert.rejects(f.eks.send(new UpdateClusterConfigCommand({ name: 'slow', logging: { clusterLogging: [{ types: ['api'], enabled: true }] } })),
    (e: unknown) => e instanceof ResourceInUseException && e.message === `Cannot LoggingUpdate because cluster slow currently has update ${update!.id} in progress`);
  await assert.rejects(f.eks.send(new CancelUpdateCommand({ name: 'slow', updateId: update!.id })), InvalidRequestException);

  // Restart while the update runs: a new service over the same store picks it all up.
  await f.close();
  const g = await startFixture({ clock, store, transitionMs: 60_000 });
  t.after(() => g.close());
  assert.equal(g.runtime.started[0]?.name, 'slow');
  assert.equal(g.runtime.started[0]?.endpoint, active.endpoint, 'the runtime is handed the endpoint the cluster had');
  assert.equal((await g.eks.send(new DescribeClusterCommand({ name: 'slow' }))).cluster?.status, 'UPDATING');
  clock.advance(60_000);
  const done = await readUntil(() => g.eks.send(new DescribeUpdateCommand({ name: 'slow', updateId: update!.id })), (r) => r.update?.status !== 'InProgress');
  assert.equal(done.update?.status, 'Successful');
  const upgraded = (await g.eks.send(new DescribeClusterCommand({ name: 'slow' }))).cluster!;
  assert.equal(upgraded.version, '1.33');
  assert.equal(upgraded.status, 'ACTIVE');
  assert.equal(g.runtime.versions.get('slow'), '1.33');

  assert.equal((await g.eks.send(new DeleteClusterCommand({ name: 'slow' }))).cluster?.status, 'DELETING');
  await assert.rejects(g.eks.send(new DeleteClusterCommand({ name: 'slow' })), ResourceInUseException);
  clock.advance(60_000);
  await readUntil(async () => g.runtime.stopped.includes('slow') && !g.svc.state.clusters.has('slow'), (gone) => gone);
  await assert.rejects(g.eks.send(new DescribeClusterCommand({ name: 'slow' })), ResourceNotFoundException);
});

test('DeleteCluster is refused while node groups or Fargate profiles exist', async (t) => {
  const nodegroups = new Set<string>(['ng-1']);
  const f = await startFixture({
    transitionMs: 0,
    dependents: { nodegroups: async () => [...nodegroups], fargateProfiles: async () => [] },
  });
  t.after(() => f.close());
  await f.clusterRole();
  await f.eks.send(new CreateClusterCommand({ name: 'busy', roleArn, resourcesVpcConfig: vpc }));
  await readUntil(() => f.eks.send(new DescribeClusterCommand({ name: 'busy' })), (r) => r.cluster?.status === 'ACTIVE');
  await assert.rejects(f.eks.send(new DeleteClusterCommand({ name: 'busy' })), (e: unknown) => e instanceof ResourceInUseException && e.clusterName === 'busy');
  assert.equal((await f.eks.send(new DescribeClusterCommand({ name: 'busy' }))).cluster?.status, 'ACTIVE');
  nodegroups.clear();
  assert.equal((await f.eks.send(new DeleteClusterCommand({ name: 'busy' }))).cluster?.status, 'DELETING');
});

test('access policy rules: cluster admin grants everything, view never reads secrets, edit writes them, admin adds RBAC', () => {
  const p = (n: string) => accessPolicyRules(`arn:aws:eks::aws:cluster-access-policy/${n}`)!;
  const allows = (rules: ReturnType<typeof p>, group: string, resource: string, verb: string) => rules.some((r) =>
    (r.apiGroups ?? []).some((g) => g === '*' || g === group) && (r.resources ?? []).some((x) => x === '*' || x === resource) &&
    r.verbs.some((v) => v === '*' || v === verb));
  assert.ok(allows(p('AmazonEKSClusterAdminPolicy'), 'apps', 'deployments', 'delete'));
  assert.ok(p('AmazonEKSClusterAdminPolicy').some((r) => r.nonResourceURLs?.includes('*')));
  assert.ok(allows(p('AmazonEKSViewPolicy'), '', 'pods', 'list'));
  assert.ok(!allows(p('AmazonEKSViewPolicy'), '', 'secrets', 'get'));
  assert.ok(!allows(p('AmazonEKSViewPolicy'), '', 'pods', 'create'));
  assert.ok(allows(p('AmazonEKSEditPolicy'), '', 'secrets', 'create'));
  assert.ok(!allows(p('AmazonEKSEditPolicy'), 'rbac.authorization.k8s.io', 'roles', 'create'));
  assert.ok(allows(p('AmazonEKSAdminPolicy'), 'rbac.authorization.k8s.io', 'rolebindings', 'create'));
  assert.ok(allows(p('AmazonEKSAdminViewPolicy'), '', 'secrets', 'get'));
  assert.equal(accessPolicyRules('arn:aws:eks::aws:cluster-access-policy/Nope'), undefined);
});
