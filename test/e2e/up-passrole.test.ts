// `kumo up --enforce-iam`: an IAM user or role session that hands EKS a role (cluster role, node role,
// pod execution role) must be allowed iam:PassRole on it, with iam:PassedToService eks.amazonaws.com.
// A refused call answers AccessDeniedException and creates nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessDeniedException, CreateClusterCommand, CreateFargateProfileCommand, CreateNodegroupCommand, DescribeClusterCommand, EKSClient,
  ListClustersCommand, ListFargateProfilesCommand, ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, DeleteUserPolicyCommand, IAMClient, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startUp } from '../../src/main/up.js';
import { awsCli } from '../helpers/aws-cli.js';
import { until } from '../helpers/wait.js';

const trust = (principal: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] });
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const EKS_ALL = { Effect: 'Allow', Action: 'eks:*', Resource: '*' };
const passTo = (service: string, Resource: string | string[]) => ({ Effect: 'Allow', Action: 'iam:PassRole', Resource, Condition: { StringEquals: { 'iam:PassedToService': service } } });

test('kumo up --enforce-iam: EKS refuses roles the caller may not pass, and creates nothing', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-passrole-'));
  const up = await startUp({ port: 0, host: '127.0.0.1', dataDir: dir, storage: 'memory', region: 'us-east-1', enforceIam: true, clusterCreateDelayMs: 0, nodesPerCluster: 0 });
  const cli = awsCli();
  t.after(async () => {
    await up.close();
    cli.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  const root = { accessKeyId: 'test', secretAccessKey: 'test' };
  const iam = new IAMClient({ endpoint: up.url, region: 'us-east-1', credentials: root });
  const ec2 = new EC2Client({ endpoint: up.url, region: 'us-east-1', credentials: root });
  t.after(() => [iam, ec2].forEach((c) => c.destroy()));
  const role = async (name: string, service: string) => (await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust({ Service: service }) }))).Role!.Arn!;
  const clusterRole = await role('cluster', 'eks.amazonaws.com');
  const nodeRole = await role('nodes', 'ec2.amazonaws.com');
  const podRole = await role('pods', 'eks-fargate-pods.amazonaws.com');
  // Private subnets (Fargate runs only there), for the cluster and everything in it.
  const subnets = ((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).filter((s) => !s.MapPublicIpOnLaunch).slice(0, 2).map((s) => s.SubnetId!);

  await iam.send(new CreateUserCommand({ UserName: 'dev' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'dev', PolicyName: 'eks', PolicyDocument: policy(EKS_ALL) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'dev' }));
  const devCreds = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  const dev = new EKSClient({ endpoint: up.url, region: 'us-east-1', credentials: devCreds });
  t.after(() => dev.destroy());
  const denied = (arn: string) => `User: arn:aws:iam::000000000000:user/dev is not authorized to perform: iam:PassRole on resource: ${arn}`;
  const createCluster = (client: EKSClient) => client.send(new CreateClusterCommand({ name: 'c', roleArn: clusterRole, resourcesVpcConfig: { subnetIds: subnets } }));

  // eks:* alone is not enough; the refusal is what the aws CLI shows.
  await assert.rejects(createCluster(dev), (err: Error) => err instanceof AccessDeniedException && err.message === denied(clusterRole));
  const viaCli = await cli.run(up.url, ['eks', 'create-cluster', '--name', 'c', '--role-arn', clusterRole, '--resources-vpc-config', `subnetIds=${subnets.join(',')}`],
    { key: devCreds.accessKeyId, secret: devCreds.secretAccessKey });
  assert.notEqual(viaCli.code, 0, viaCli.stderr);
  assert.match(viaCli.stderr, new RegExp(`An error occurred \\(AccessDeniedException\\) when calling the CreateCluster operation: ${denied(clusterRole).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  // PassRole granted only for another service does not cover EKS.
  await iam.send(new PutUserPolicyCommand({ UserName: 'dev', PolicyName: 'pass', PolicyDocument: policy(passTo('ec2.amazonaws.com', '*')) }));
  await assert.rejects(createCluster(dev), AccessDeniedException);
  assert.deepEqual((await dev.send(new ListClustersCommand({}))).clusters, []);

  // Allowed for the cluster role only, when passed to EKS.
  await iam.send(new PutUserPolicyCommand({ UserName: 'dev', PolicyName: 'pass', PolicyDocument: policy(passTo('eks.amazonaws.com', clusterRole)) }));
  await createCluster(dev);
  await until('cluster c ACTIVE', async () => ((await dev.send(new DescribeClusterCommand({ name: 'c' }))).cluster?.status === 'ACTIVE' ? true : undefined));

  // Node role and pod execution role are not covered: nothing is created.
  await assert.rejects(dev.send(new CreateNodegroupCommand({ clusterName: 'c', nodegroupName: 'ng', nodeRole, subnets })),
    (err: Error) => err instanceof AccessDeniedException && err.message === denied(nodeRole));
  await assert.rejects(dev.send(new CreateFargateProfileCommand({ clusterName: 'c', fargateProfileName: 'fp', podExecutionRoleArn: podRole, subnets, selectors: [{ namespace: 'default' }] })),
    (err: Error) => err instanceof AccessDeniedException && err.message === denied(podRole));
  assert.deepEqual((await dev.send(new ListNodegroupsCommand({ clusterName: 'c' }))).nodegroups, []);
  assert.deepEqual((await dev.send(new ListFargateProfilesCommand({ clusterName: 'c' }))).fargateProfileNames, []);

  // An explicit deny wins over the allow.
  await iam.send(new PutUserPolicyCommand({
    UserName: 'dev', PolicyName: 'pass',
    PolicyDocument: policy(passTo('eks.amazonaws.com', [clusterRole, nodeRole, podRole]), { Effect: 'Deny', Action: 'iam:PassRole', Resource: podRole }),
  }));
  await dev.send(new CreateNodegroupCommand({ clusterName: 'c', nodegroupName: 'ng', nodeRole, subnets, scalingConfig: { minSize: 0, maxSize: 1, desiredSize: 0 } }));
  await assert.rejects(dev.send(new CreateFargateProfileCommand({ clusterName: 'c', fargateProfileName: 'fp', podExecutionRoleArn: podRole, subnets, selectors: [{ namespace: 'default' }] })),
    AccessDeniedException);
  assert.deepEqual((await dev.send(new ListNodegroupsCommand({ clusterName: 'c' }))).nodegroups, ['ng']);
  assert.deepEqual((await dev.send(new ListFargateProfilesCommand({ clusterName: 'c' }))).fargateProfileNames, []);

  // A role session is checked the same way, under its session ARN.
  await iam.send(new DeleteUserPolicyCommand({ UserName: 'dev', PolicyName: 'pass' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'dev', PolicyName: 'assume', PolicyDocument: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }) }));
  const ops = (await iam.send(new CreateRoleCommand({ RoleName: 'ops', AssumeRolePolicyDocument: trust({ AWS: 'arn:aws:iam::000000000000:user/dev' }) }))).Role!.Arn!;
  await iam.send(new PutRolePolicyCommand({ RoleName: 'ops', PolicyName: 'eks', PolicyDocument: policy(EKS_ALL) }));
  const sts = new STSClient({ endpoint: up.url, region: 'us-east-1', credentials: devCreds });
  t.after(() => sts.destroy());
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: ops, RoleSessionName: 'ci' }));
  const session = new EKSClient({
    endpoint: up.url, region: 'us-east-1',
    credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! },
  });
  t.after(() => session.destroy());
  await assert.rejects(session.send(new CreateClusterCommand({ name: 'c2', roleArn: clusterRole, resourcesVpcConfig: { subnetIds: subnets } })),
    (err: Error) => err instanceof AccessDeniedException
      && err.message === `User: arn:aws:sts::000000000000:assumed-role/ops/ci is not authorized to perform: iam:PassRole on resource: ${clusterRole}`);
  await iam.send(new PutRolePolicyCommand({ RoleName: 'ops', PolicyName: 'pass', PolicyDocument: policy(passTo('eks.amazonaws.com', clusterRole)) }));
  await session.send(new CreateClusterCommand({ name: 'c2', roleArn: clusterRole, resourcesVpcConfig: { subnetIds: subnets } }));
  assert.deepEqual((await session.send(new ListClustersCommand({}))).clusters, ['c', 'c2']);
});
