// Fargate profiles through @aws-sdk/client-eks on an injected clock: CREATING and DELETING last the
// transition time, one profile of a cluster may be CREATING or DELETING at a time, client request
// tokens, EKS's error shapes, the per-cluster limit, and a restart that resumes pending transitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateClusterCommand, CreateFargateProfileCommand, DeleteFargateProfileCommand, DescribeClusterCommand, DescribeFargateProfileCommand,
  InvalidParameterException, ListFargateProfilesCommand, ResourceInUseException, ResourceLimitExceededException, ResourceNotFoundException,
  type CreateFargateProfileCommandInput,
} from '@aws-sdk/client-eks';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { startFixture } from './eks-fixture.js';
import { MemoryAwsStateStore } from '../../src/aws/state.js';
import { FakeClock } from '../../src/util/clock.js';
import { readUntil, settle } from '../helpers/wait.js';

const podRole = 'arn:aws:iam::000000000000:role/eksFargatePodRole';
const podTrust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks-fargate-pods.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

test('Fargate profiles: transitions on the clock, one busy profile at a time, tokens, errors and restarts', async (t) => {
  const clock = new FakeClock(Date.now());
  const store = new MemoryAwsStateStore();
  const f = await startFixture({ clock, store, transitionMs: 10_000 });
  t.after(() => f.close());
  const roleArn = await f.clusterRole();
  await f.iam.send(new CreateRoleCommand({ RoleName: 'eksFargatePodRole', AssumeRolePolicyDocument: JSON.stringify(podTrust) }));
  await f.eks.send(new CreateClusterCommand({ name: 'c', roleArn, resourcesVpcConfig: { subnetIds: ['subnet-a1', 'subnet-b2'] } }));
  await settle();
  const early = { clusterName: 'c', fargateProfileName: 'early', podExecutionRoleArn: podRole, subnets: ['subnet-a1'], selectors: [{ namespace: 'default' }] };
  await assert.rejects(f.eks.send(new CreateFargateProfileCommand(early)), (e: Error) => e.name === 'InvalidRequestException');
  clock.advance(10_000);
  await readUntil(() => f.eks.send(new DescribeClusterCommand({ name: 'c' })), (r) => r.cluster?.status === 'ACTIVE');

  const input = (name: string, extra: Partial<CreateFargateProfileCommandInput> = {}): CreateFargateProfileCommandInput =>
    ({ clusterName: 'c', fargateProfileName: name, podExecutionRoleArn: podRole, subnets: ['subnet-a1'], selectors: [{ namespace: 'default', labels: { app: 'web' } }], ...extra });
  const first = (await f.eks.send(new CreateFargateProfileCommand(input('a', { clientRequestToken: 'tok-1' })))).fargateProfile!;
  assert.equal(first.status, 'CREATING');
  // The same token and parameters answer the first response again; other parameters are refused.
  const again = (await f.eks.send(new CreateFargateProfileCommand(input('a', { clientRequestToken: 'tok-1' })))).fargateProfile!;
  assert.equal(again.fargateProfileArn, first.fargateProfileArn);
  await assert.rejects(f.eks.send(new CreateFargateProfileCommand(input('a', { clientRequestToken: 'tok-1', subnets: ['subnet-b2'] }))), InvalidParameterException);
  await assert.rejects(f.eks.send(new CreateFargateProfileCommand(input('b'))), (e: unknown) => e instanceof ResourceInUseException
    && e.message === 'Cannot create Fargate Profile b because cluster c currently has Fargate profile a in status CREATING');
  await assert.rejects(f.eks.send(new DeleteFargateProfileCommand({ clusterName: 'c', fargateProfileName: 'a' })), ResourceInUseException);
  clock.advance(9_999);
  await settle();
  assert.equal((await f.eks.send(new DescribeFargateProfileCommand({ clusterName: 'c', fargateProfileName: 'a' }))).fargateProfile?.status, 'CREATING');
  clock.advance(1);
  await readUntil(() => f.eks.send(new DescribeFargateProfileCommand({ clusterName: 'c', fargateProfileName: 'a' })), (r) => r.fargateProfile?.status === 'ACTIVE');
  const described = (await f.eks.send(new DescribeFargateProfileCommand({ clusterName: 'c', fargateProfileName: 'a' }))).fargateProfile!;
  assert.deepEqual(described.selectors, [{ namespace: 'default', labels: { app: 'web' } }]);
  assert.deepEqual(described.subnets, ['subnet-a1']);
  assert.equal(described.podExecutionRoleArn, podRole);
  assert.ok(described.createdAt instanceof Date);

  await assert.rejects(f.eks.send(new DescribeFargateProfileCommand({ clusterName: 'c', fargateProfileName: 'nope' })), (e: unknown) =>
    e instanceof ResourceNotFoundException && e.message === 'No Fargate Profile found with name: nope.' && e.fargateProfileName === 'nope');
  await assert.rejects(f.eks.send(new ListFargateProfilesCommand({ clusterName: 'missing' })), ResourceNotFoundException);

  // Create b; once it is ACTIVE, deleting a blocks creating and deleting others.
  await f.eks.send(new CreateFargateProfileCommand(input('b')));
  clock.advance(10_000);
  await readUntil(() => f.eks.send(new DescribeFargateProfileCommand({ clusterName: 'c', fargateProfileName: 'b' })), (r) => r.fargateProfile?.status === 'ACTIVE');
  assert.equal((await f.eks.send(new DeleteFargateProfileCommand({ clusterName: 'c', fargateProfileName: 'a' }))).fargateProfile?.status, 'DELETING');
  await assert.rejects(f.eks.send(new DeleteFargateProfileCommand({ clusterName: 'c', fargateProfileName: 'b' })), (e: unknown) => e instanceof ResourceInUseException
    && e.message === 'Cannot Delete Fargate Profile b because cluster c currently has Fargate profile a in status DELETING');
  await assert.rejects(f.eks.send(new CreateFargateProfileCommand(input('x'))), (e: unknown) => e instanceof ResourceInUseException
    && e.message === 'Cannot create Fargate Profile x because cluster c currently has Fargate profile a in status DELETING');

  // Restart while a is DELETING: the new service finishes the deletion on the clock.
  await f.close();
  const g = await startFixture({ clock, store, transitionMs: 10_000 });
  t.after(() => g.close());
  // A fresh fixture has a fresh IAM: the pod execution role exists again.
  await g.iam.send(new CreateRoleCommand({ RoleName: 'eksFargatePodRole', AssumeRolePolicyDocument: JSON.stringify(podTrust) }));
  assert.equal((await g.eks.send(new DescribeFargateProfileCommand({ clusterName: 'c', fargateProfileName: 'a' }))).fargateProfile?.status, 'DELETING');
  clock.advance(10_000);
  await readUntil(() => g.eks.send(new ListFargateProfilesCommand({ clusterName: 'c' })), (r) => r.fargateProfileNames?.length === 1);
  assert.deepEqual((await g.eks.send(new ListFargateProfilesCommand({ clusterName: 'c' }))).fargateProfileNames, ['b']);

  // Ten profiles per cluster.
  for (let i = 0; i < 9; i++) {
    await g.eks.send(new CreateFargateProfileCommand(input(`p${i}`)));
    clock.advance(10_000);
    await readUntil(() => g.eks.send(new DescribeFargateProfileCommand({ clusterName: 'c', fargateProfileName: `p${i}` })), (r) => r.fargateProfile?.status === 'ACTIVE');
  }
  await assert.rejects(g.eks.send(new CreateFargateProfileCommand(input('eleventh'))), ResourceLimitExceededException);
});
