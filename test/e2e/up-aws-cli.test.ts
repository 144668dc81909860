// `kumo up` as a user runs it: the real aws CLI creates IAM objects and an EKS cluster, writes a
// kubeconfig with update-kubeconfig, and kubectl reaches the cluster through `aws eks get-token`
// (k8s-aws-v1 tokens checked by the cluster's API server). Then access entries and policies for a
// second IAM user, a version upgrade, a restart on the same data directory, and deletion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeClusterCommand, DescribeUpdateCommand, EKSClient } from '@aws-sdk/client-eks';
import { run, type RunResult } from '../helpers/apiserver.js';
import { kumoUpWorkspace } from '../helpers/kumo-up.js';
import { until } from '../helpers/wait.js';

test('kumo up: aws CLI creates an EKS cluster that kubectl reaches with aws eks get-token', { timeout: 240_000 }, async (t) => {
  const ws = await kumoUpWorkspace(t, 'kumo-up-');
  const { dataDir, kubeconfig } = ws;

  const envFor = (key: string, secret: string): NodeJS.ProcessEnv => ws.env({ AWS_ACCESS_KEY_ID: key, AWS_SECRET_ACCESS_KEY: secret });
  const admin = { env: envFor('test', 'test') };
  const ok = (r: RunResult, what: string) => {
    assert.equal(r.code, 0, `${what} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const aws = async (args: string[], who = admin) => ok(await run(who, 'aws', ['--endpoint-url', ws.up.url, '--output', 'json', ...args]), `aws ${args.slice(0, 2).join(' ')}`);
  const kubectl = async (args: string[], who = admin) => ok(await run(who, 'kubectl', args), `kubectl ${args.join(' ')}`);
  const eks = () => new EKSClient({ endpoint: ws.up.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const roleArn = JSON.parse(await aws(['iam', 'create-role', '--role-name', 'eks-cluster-role', '--assume-role-policy-document', trust])).Role.Arn as string;
  await aws(['iam', 'attach-role-policy', '--role-name', 'eks-cluster-role', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy']);

  // Two of the region's subnets and its default security group, as `aws ec2` lists them.
  const subnetIds = (JSON.parse(await aws(['ec2', 'describe-subnets'])).Subnets as { SubnetId: string }[]).slice(0, 2).map((s) => s.SubnetId);
  const groupId = JSON.parse(await aws(['ec2', 'describe-security-groups'])).SecurityGroups[0].GroupId as string;
  const createdAt = Date.now();
  const created = JSON.parse(await aws([
    'eks', 'create-cluster', '--name', 'my-cluster', '--role-arn', roleArn,
    '--resources-vpc-config', `subnetIds=${subnetIds.join(',')},securityGroupIds=${groupId}`,
    '--kubernetes-version', '1.32', '--access-config', 'authenticationMode=API_AND_CONFIG_MAP',
  ]));
  assert.equal(created.cluster.status, 'CREATING');
  // botocore's waiter sleeps 30 s after a CREATING answer, so it is run once the cluster is ACTIVE.
  const client = eks();
  await until('ACTIVE', async () => ((await client.send(new DescribeClusterCommand({ name: 'my-cluster' }))).cluster?.status === 'ACTIVE' ? true : undefined));
  t.diagnostic(`CreateCluster -> ACTIVE: ${Date.now() - createdAt} ms`);
  await aws(['eks', 'wait', 'cluster-active', '--name', 'my-cluster']);
  await aws(['eks', 'update-kubeconfig', '--name', 'my-cluster', '--kubeconfig', kubeconfig]);
  const namespaces = await kubectl(['get', 'namespaces', '-o', 'name']);
  const firstKubectlMs = Date.now() - createdAt;
  t.diagnostic(`CreateCluster -> first kubectl get namespaces: ${firstKubectlMs} ms`);
  assert.match(namespaces, /namespace\/kube-system/);
  const whoami = JSON.parse(await kubectl(['auth', 'whoami', '-o', 'json']));
  assert.equal(whoami.status.userInfo.username, 'arn:aws:iam::000000000000:root');
  assert.deepEqual(whoami.status.userInfo.extra.arn, ['arn:aws:iam::000000000000:root']);
  await kubectl(['create', 'configmap', 'before-restart', '--from-literal', 'k=v']);

  // A second IAM user: unknown to the cluster until an access entry names it.
  await aws(['iam', 'create-user', '--user-name', 'viewer']);
  const key = JSON.parse(await aws(['iam', 'create-access-key', '--user-name', 'viewer'])).AccessKey;
  const viewer = { env: envFor(key.AccessKeyId, key.SecretAccessKey) };
  const refused = await run(viewer, 'kubectl', ['get', 'pods']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /You must be logged in to the server|Unauthorized/);
  const viewerArn = 'arn:aws:iam::000000000000:user/viewer';
  await aws(['eks', 'create-access-entry', '--cluster-name', 'my-cluster', '--principal-arn', viewerArn]);
  await aws(['eks', 'associate-access-policy', '--cluster-name', 'my-cluster', '--principal-arn', viewerArn,
    '--policy-arn', 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', '--access-scope', 'type=cluster']);
  await kubectl(['get', 'pods'], viewer);
  const denied = await run(viewer, 'kubectl', ['create', 'configmap', 'nope']);
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /forbidden/i);
  assert.equal(JSON.parse(await kubectl(['auth', 'whoami', '-o', 'json'], viewer)).status.userInfo.username, viewerArn);

  // One minor version up: /version follows once the update is Successful.
  const update = JSON.parse(await aws(['eks', 'update-cluster-version', '--name', 'my-cluster', '--kubernetes-version', '1.33'])).update;
  await until('update Successful', async () =>
    (await client.send(new DescribeUpdateCommand({ name: 'my-cluster', updateId: update.id }))).update?.status === 'Successful' ? true : undefined);
  client.destroy();
  assert.equal(JSON.parse(await kubectl(['version', '-o', 'json'])).serverVersion.minor, '33');

  // Restart on the same data directory: state and the cluster come back; the old kubeconfig works.
  const restartAt = Date.now();
  await ws.restart();
  t.diagnostic(`restart -> ready (cluster control plane included): ${Date.now() - restartAt} ms`);
  const described = JSON.parse(await aws(['eks', 'describe-cluster', '--name', 'my-cluster'])).cluster;
  assert.equal(described.status, 'ACTIVE');
  assert.equal(described.version, '1.33');
  assert.equal(JSON.parse(await aws(['iam', 'get-role', '--role-name', 'eks-cluster-role'])).Role.Arn, roleArn);
  assert.equal(JSON.parse(await kubectl(['get', 'configmap', 'before-restart', '-o', 'json'])).data.k, 'v');
  await kubectl(['get', 'pods'], viewer);

  await aws(['eks', 'delete-cluster', '--name', 'my-cluster']);
  const after = eks();
  t.after(() => after.destroy());
  await until('cluster gone', async () => {
    try {
      await after.send(new DescribeClusterCommand({ name: 'my-cluster' }));
      return undefined;
    } catch (err) {
      return (err as { name?: string }).name === 'ResourceNotFoundException' ? true : undefined;
    }
  });
  // The control plane ended with the cluster and its data went with it.
  assert.equal(existsSync(join(dataDir, 'clusters', 'my-cluster')), false);
  assert.notEqual((await run(admin, 'kubectl', ['get', 'namespaces', '--request-timeout', '5s'])).code, 0);
});
