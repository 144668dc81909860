// Managed node groups through @aws-sdk/client-eks against an in-process `kumo up`, with the cluster
// read through its own API server: a Spot group over several instance types with taints (changed
// later by update-config and applied to running nodes), scale-in, UpdateClusterVersion refused while
// a group would fall outside the kubelet skew, and a version update that a PodDisruptionBudget blocks
// (PodEvictionFailure after EKS's 15 minutes, on a fast node-group clock) until it is forced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateClusterCommand, CreateNodegroupCommand, DescribeClusterCommand, DescribeNodegroupCommand, DescribeUpdateCommand, EKSClient, ListNodegroupsCommand,
  UpdateClusterVersionCommand, UpdateNodegroupConfigCommand, UpdateNodegroupVersionCommand,
} from '@aws-sdk/client-eks';
import { CreateLaunchTemplateCommand, DescribeInstancesCommand, type DescribeInstancesCommandOutput, DescribeSubnetsCommand, EC2Client, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { clientOptionsFromKubeconfigFile, createHttpClient } from '../../src/client/index.js';
import type { Obj } from '../../src/client/types.js';
import { startUp } from '../../src/main/up.js';
import { until } from '../helpers/wait.js';

test('node groups: Spot over several types, taints, scale-in, version skew, PodEvictionFailure and force', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-ng-sdk-'));
  const up = await startUp({ port: 0, host: '127.0.0.1', dataDir: dir, storage: 'memory', region: 'us-east-1', enforceIam: false, clusterCreateDelayMs: 0, nodesPerCluster: 0, nodeTimeScale: 600 });
  const config = { endpoint: up.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  const eks = new EKSClient(config);
  const ec2 = new EC2Client(config);
  const iam = new IAMClient(config);
  t.after(async () => {
    eks.destroy();
    ec2.destroy();
    iam.destroy();
    await up.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const subnets = ((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).map((s) => s.SubnetId!);
  const role = async (name: string, service: string) => (await iam.send(new CreateRoleCommand({
    RoleName: name, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] }),
  }))).Role!.Arn!;
  const clusterRole = await role('eks', 'eks.amazonaws.com');
  const nodeRole = await role('node', 'ec2.amazonaws.com');
  await eks.send(new CreateClusterCommand({ name: 'c', roleArn: clusterRole, version: '1.32', resourcesVpcConfig: { subnetIds: subnets } }));
  await until('cluster ACTIVE', async () => ((await eks.send(new DescribeClusterCommand({ name: 'c' }))).cluster?.status === 'ACTIVE' ? true : undefined));
  const kube = createHttpClient(clientOptionsFromKubeconfigFile(join(dir, 'clusters', 'c', 'kubeconfig')));
  const nodesOf = async (ng: string) => (await kube.resource('', 'v1', 'nodes').list(undefined, { labelSelector: `eks.amazonaws.com/nodegroup=${ng}` })).items;
  const status = async (ng: string) => (await eks.send(new DescribeNodegroupCommand({ clusterName: 'c', nodegroupName: ng }))).nodegroup!;
  const active = (ng: string) => until(`${ng} ACTIVE`, async () => ((await status(ng)).status === 'ACTIVE' ? true : undefined), 30_000);
  const finished = (ng: string, updateId: string) => until(`${ng} update done`, async () => {
    const u = (await eks.send(new DescribeUpdateCommand({ name: 'c', nodegroupName: ng, updateId }))).update!;
    return u.status === 'InProgress' ? undefined : u;
  }, 60_000);
  // A role EC2 may not assume is refused as a node role.
  await assert.rejects(eks.send(new CreateNodegroupCommand({ clusterName: 'c', nodegroupName: 'x', nodeRole: clusterRole, subnets })),
    (err: Error) => err.name === 'InvalidParameterException' && /\[ec2\.amazonaws\.com\] were not found/.test(err.message));

  await eks.send(new CreateNodegroupCommand({
    clusterName: 'c', nodegroupName: 'spot', nodeRole, subnets: subnets.slice(3), capacityType: 'SPOT', instanceTypes: ['m5.large', 'm5.xlarge'],
    scalingConfig: { minSize: 1, maxSize: 6, desiredSize: 4 }, taints: [{ key: 'dedicated', value: 'spot', effect: 'NO_SCHEDULE' }],
  }));
  await eks.send(new CreateNodegroupCommand({
    clusterName: 'c', nodegroupName: 'old', nodeRole, subnets: subnets.slice(0, 2), version: '1.29', scalingConfig: { minSize: 2, maxSize: 4, desiredSize: 2 },
    instanceTypes: ['m5.large'], updateConfig: { maxUnavailable: 2 },
  }));
  await active('spot');
  await active('old');
  assert.deepEqual((await eks.send(new ListNodegroupsCommand({ clusterName: 'c', maxResults: 1 }))).nodegroups, ['old']);

  // DescribeInstances in pages of 5 over the 6 instances of the two groups.
  const instanceIds = (out: DescribeInstancesCommandOutput) => out.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!));
  const everything = instanceIds(await ec2.send(new DescribeInstancesCommand({})));
  assert.equal(everything.length, 6);
  const pages: string[][] = [];
  for await (const p of paginateDescribeInstances({ client: ec2, pageSize: 5 }, {})) pages.push(instanceIds(p));
  assert.deepEqual(pages.map((p) => p.length), [5, 1]);
  assert.deepEqual(pages.flat().sort(), [...everything].sort());
  await assert.rejects(ec2.send(new DescribeInstancesCommand({ MaxResults: 4 })), (e: Error) => e.name === 'InvalidParameterValue' && /between 5 and 1000/.test(e.message));
  await assert.rejects(ec2.send(new DescribeInstancesCommand({ MaxResults: 5, InstanceIds: [everything[0]] })), (e: Error) => e.name === 'InvalidParameterCombination');

  const spot = await nodesOf('spot');
  assert.equal(spot.length, 4);
  assert.deepEqual(new Set(spot.map((n) => (n.metadata as Obj).labels && ((n.metadata as Obj).labels as Record<string, string>)['node.kubernetes.io/instance-type'])), new Set(['m5.large', 'm5.xlarge']));
  for (const n of spot) {
    assert.equal(((n.metadata as Obj).labels as Record<string, string>)['eks.amazonaws.com/capacityType'], 'SPOT');
    assert.deepEqual((n.spec as Obj).taints, [{ key: 'dedicated', value: 'spot', effect: 'NoSchedule' }]);
  }
  const old = await nodesOf('old');
  // Public subnets of zones a and b only.
  assert.deepEqual(new Set(old.map((n) => ((n.metadata as Obj).labels as Record<string, string>)['topology.kubernetes.io/zone'])), new Set(['us-east-1a', 'us-east-1b']));
  assert.match(((old[0].status as Obj).nodeInfo as Obj).kubeletVersion as string, /^v1\.29\./);

  // Taints replaced and scale-in in one config update: running nodes follow, two nodes go.
  const cfg = await eks.send(new UpdateNodegroupConfigCommand({
    clusterName: 'c', nodegroupName: 'spot', scalingConfig: { desiredSize: 2 },
    taints: { addOrUpdateTaints: [{ key: 'dedicated', value: 'batch', effect: 'NO_EXECUTE' }], removeTaints: [{ key: 'dedicated', effect: 'NO_SCHEDULE' }] },
  }));
  assert.equal((await finished('spot', cfg.update!.id!)).status, 'Successful');
  const after = await nodesOf('spot');
  assert.equal(after.length, 2);
  for (const n of after) assert.deepEqual((n.spec as Obj).taints, [{ key: 'dedicated', value: 'batch', effect: 'NoExecute' }]);
  assert.deepEqual((await status('spot')).taints, [{ key: 'dedicated', value: 'batch', effect: 'NO_EXECUTE' }]);

  // A group from a launch template: the template's instance type, its ID and version on the nodes.
  const lt = (await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'ng-lt', LaunchTemplateData: { InstanceType: 'c5.large' } }))).LaunchTemplate!;
  const ltRefused = async (input: Partial<Parameters<typeof eks.send>[0]['input']>, text: RegExp) => assert.rejects(
    eks.send(new CreateNodegroupCommand({ clusterName: 'c', nodegroupName: 'lt-x', nodeRole, subnets, ...(input as object) })),
    (err: Error) => err.name === 'InvalidParameterException' && text.test(err.message) || assert.fail(`${err.name}: ${err.message}`));
  await ltRefused({ launchTemplate: { name: 'nope' } }, /nope/);
  await ltRefused({ launchTemplate: { name: 'ng-lt' }, instanceTypes: ['m5.large'] }, /both the launch template and the request/);
  await ltRefused({ launchTemplate: { name: 'ng-lt' }, diskSize: 30 }, /Disk size/);
  await eks.send(new CreateNodegroupCommand({ clusterName: 'c', nodegroupName: 'lt', nodeRole, subnets, launchTemplate: { name: 'ng-lt', version: '1' }, scalingConfig: { minSize: 1, maxSize: 1, desiredSize: 1 } }));
  await active('lt');
  const ltGroup = await status('lt');
  assert.deepEqual(ltGroup.launchTemplate, { name: 'ng-lt', version: '1', id: lt.LaunchTemplateId });
  assert.deepEqual(ltGroup.instanceTypes, ['c5.large']);
  const ltNode = (await nodesOf('lt'))[0];
  const ltLabels = (ltNode.metadata as Obj).labels as Record<string, string>;
  assert.equal(ltLabels['eks.amazonaws.com/sourceLaunchTemplateId'], lt.LaunchTemplateId);
  assert.equal(ltLabels['eks.amazonaws.com/sourceLaunchTemplateVersion'], '1');
  assert.equal(ltLabels['node.kubernetes.io/instance-type'], 'c5.large');

  // 1.29 kubelets may not fall four minors behind a 1.33 control plane.
  await assert.rejects(eks.send(new UpdateClusterVersionCommand({ name: 'c', version: '1.33' })),
    (err: Error) => err.name === 'InvalidRequestException' && /Nodegroups old must be updated/.test(err.message));

  // Two replicas on the old group behind a PDB that allows no disruption: the update fails.
  await kube.resource('apps', 'v1', 'deployments').create('default', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'db' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'postgres' }] } } },
  });
  await kube.resource('policy', 'v1', 'poddisruptionbudgets').create('default', {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'db' } } },
  });
  await until('db pods Running', async () => ((await kube.resource('', 'v1', 'pods').list('default', { labelSelector: 'app=db', fieldSelector: 'status.phase=Running' })).items.length === 2 ? true : undefined), 30_000);
  const blocked = await eks.send(new UpdateNodegroupVersionCommand({ clusterName: 'c', nodegroupName: 'old', version: '1.30' }));
  const failed = await finished('old', blocked.update!.id!);
  assert.equal(failed.status, 'Failed');
  assert.equal(failed.errors?.[0]?.errorCode, 'PodEvictionFailure');
  const kept = await status('old');
  assert.equal(kept.status, 'ACTIVE');
  assert.equal(kept.version, '1.29');

  // Forced, the update evicts regardless and the group moves to 1.30.
  const forced = await eks.send(new UpdateNodegroupVersionCommand({ clusterName: 'c', nodegroupName: 'old', version: '1.30', force: true }));
  assert.equal((await finished('old', forced.update!.id!)).status, 'Successful');
  assert.equal((await status('old')).version, '1.30');
  const upgraded = await nodesOf('old');
  assert.equal(upgraded.length, 2);
  for (const n of upgraded) assert.match(((n.status as Obj).nodeInfo as Obj).kubeletVersion as string, /^v1\.30\./);
});
