// EKS calls under --enforce-iam: an IAM user's identity policy decides, per eks:<Operation> and cluster ARN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AccessDeniedException, CreateClusterCommand, DescribeClusterCommand, EKSClient, ListAccessEntriesCommand, ListClustersCommand } from '@aws-sdk/client-eks';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { resolveClusterIdentity } from '../../src/aws/eks/index.js';
import { startFixture } from './eks-fixture.js';

test('with --enforce-iam an IAM user may call only the EKS operations its policy allows', async (t) => {
  const f = await startFixture({ enforceIam: true });
  t.after(() => f.close());
  const root = { accessKeyId: 'test', secretAccessKey: 'test' };
  const iam = new IAMClient({ endpoint: f.endpoint.url, region: 'us-east-1', credentials: root });
  t.after(() => iam.destroy());
  await f.eks.send(new CreateClusterCommand({ name: 'guarded', roleArn: await f.clusterRole(), resourcesVpcConfig: { subnetIds: ['subnet-1', 'subnet-2'] } }));
  await iam.send(new CreateUserCommand({ UserName: 'viewer' }));
  await iam.send(new PutUserPolicyCommand({
    UserName: 'viewer', PolicyName: 'describe-one',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: 'arn:aws:eks:us-east-1:000000000000:cluster/guarded' }] }),
  }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'viewer' }));
  const user = new EKSClient({ endpoint: f.endpoint.url, region: 'us-east-1', credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } });
  t.after(() => user.destroy());
  assert.equal((await user.send(new DescribeClusterCommand({ name: 'guarded' }))).cluster?.name, 'guarded');
  await assert.rejects(user.send(new ListClustersCommand({})), AccessDeniedException);
  await assert.rejects(user.send(new DescribeClusterCommand({ name: 'other' })), AccessDeniedException);
});

test('a role session that creates an API-mode cluster becomes its admin through an access entry for the role', async (t) => {
  const f = await startFixture();
  t.after(() => f.close());
  const root = { accessKeyId: 'test', secretAccessKey: 'test' };
  const iam = new IAMClient({ endpoint: f.endpoint.url, region: 'us-east-1', credentials: root });
  t.after(() => iam.destroy());
  // Roots may not assume roles: an IAM user does, as in AWS.
  await iam.send(new CreateUserCommand({ UserName: 'ci' }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'ci' }));
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:user/ci' }, Action: 'sts:AssumeRole' }] };
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'platform', Path: '/teams/', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const userSts = new STSClient({ endpoint: f.endpoint.url, region: 'us-east-1', credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } });
  t.after(() => userSts.destroy());
  const { Credentials } = await userSts.send(new AssumeRoleCommand({ RoleArn: Role!.Arn!, RoleSessionName: 'ci-run' }));
  const session = new EKSClient({
    endpoint: f.endpoint.url, region: 'us-east-1',
    credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! },
  });
  t.after(() => session.destroy());
  await session.send(new CreateClusterCommand({
    name: 'team', roleArn: await f.clusterRole(), resourcesVpcConfig: { subnetIds: ['subnet-1', 'subnet-2'] },
    accessConfig: { authenticationMode: 'API' },
  }));
  const { accessEntries } = await session.send(new ListAccessEntriesCommand({ clusterName: 'team' }));
  assert.deepEqual(accessEntries, ['arn:aws:iam::000000000000:role/teams/platform']);
  const id = await resolveClusterIdentity(f.svc, undefined, 'team', 'arn:aws:sts::000000000000:assumed-role/platform/ci-run');
  assert.equal(id?.username, 'arn:aws:sts::000000000000:assumed-role/platform/ci-run');
  assert.deepEqual(id?.accessPolicies, [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', scope: { type: 'cluster', namespaces: [] } }]);
  // API mode: no aws-auth, no implicit creator; root has no entry here.
  assert.equal(await resolveClusterIdentity(f.svc, undefined, 'team', 'arn:aws:iam::000000000000:root'), undefined);
});
