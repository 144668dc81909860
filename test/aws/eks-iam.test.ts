// EKS calls under --enforce-iam: an IAM user's identity policy decides, per eks:<Operation> and cluster ARN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AccessDeniedException, CreateClusterCommand, DescribeClusterCommand, EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { startFixture } from './eks-fixture.js';

test('with --enforce-iam an IAM user may call only the EKS operations its policy allows', async (t) => {
  const f = await startFixture({ enforceIam: true });
  t.after(() => f.close());
  const root = { accessKeyId: 'test', secretAccessKey: 'test' };
  const iam = new IAMClient({ endpoint: f.endpoint.url, region: 'us-east-1', credentials: root });
  t.after(() => iam.destroy());
  await f.eks.send(new CreateClusterCommand({ name: 'guarded', roleArn: 'arn:aws:iam::000000000000:role/eks', resourcesVpcConfig: { subnetIds: ['subnet-1', 'subnet-2'] } }));
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
