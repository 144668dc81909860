// Managed node groups as a user drives them against `kumo up`: the aws CLI creates a cluster on
// subnets from `aws ec2 describe-subnets`, the EKS guide's create-nodegroup (section 3.2) brings
// labelled nodes spread over the zones, kubectl sees them; scaling and label changes through
// update-nodegroup-config; update-nodegroup-version rolls the group while a PodDisruptionBudget
// (minAvailable 2 of 3 replicas) is never broken; DescribeInstances lists the group's instances
// and terminating one brings a replacement; a restart keeps it all; delete-nodegroup drains it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CreateNodegroupCommand, DescribeClusterCommand, DescribeNodegroupCommand, DescribeUpdateCommand, EKSClient, ListUpdatesCommand, type CreateNodegroupCommandInput } from '@aws-sdk/client-eks';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { run, TOOLS_BIN, type RunResult } from '../helpers/apiserver.js';
import { startKumoUp, until } from '../helpers/kumo-up.js';

type Obj = Record<string, any>;

/** GET on the cluster's API server with the control plane's own admin kubeconfig (fast polling beside kubectl). */
function adminGetter(kubeconfigPath: string): (path: string) => Promise<Obj> {
  const kc = parseYaml(readFileSync(kubeconfigPath, 'utf8')) as Obj;
  const server = new URL(kc.clusters[0].cluster.server as string);
  const ca = Buffer.from(kc.clusters[0].cluster['certificate-authority-data'] as string, 'base64');
  const token = kc.users[0].user.token as string;
  const agent = new Agent({ ca, keepAlive: true });
  return (path) => new Promise((resolve, reject) => {
    const req = request({ host: server.hostname, port: server.port, path, agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body) as Obj) : reject(new Error(`GET ${path}: ${res.statusCode} ${body}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

const ready = (o: Obj) => ((o.status?.conditions ?? []) as Obj[]).some((c) => c.type === 'Ready' && c.status === 'True');

test('kumo up: managed node groups with the aws CLI and kubectl', { timeout: 240_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-ng-'));
  const dataDir = join(dir, 'data');
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(join(dir, 'aws-config'), '');
  writeFileSync(join(dir, 'aws-credentials'), '');
  const children = new Set<ChildProcess>();
  const flags = ['--node-time-scale', '600'];
  let up = await startKumoUp(dataDir, children, flags);
  t.after(async () => {
    await up.stop();
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const who = {
    env: {
      PATH: `${TOOLS_BIN}:${process.env.PATH ?? ''}`, HOME: join(dir, 'home'), KUBECONFIG: kubeconfig, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: join(dir, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'), AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '',
    },
  };
  const ok = (r: RunResult, what: string) => {
    assert.equal(r.code, 0, `${what} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const awsRaw = (args: string[]) => run(who, 'aws', ['--endpoint-url', up.url, '--output', 'json', ...args]);
  const aws = async (args: string[]) => JSON.parse((ok(await awsRaw(args), `aws ${args.slice(0, 2).join(' ')}`)) || '{}') as Obj;
  const refused = async (args: string[], code: string, text: RegExp) => {
    const r = await awsRaw(args);
    assert.notEqual(r.code, 0, `aws ${args.join(' ')} should fail`);
    assert.match(r.stderr, new RegExp(code), r.stderr);
    assert.match(r.stderr, text, r.stderr);
  };
  const t0 = Date.now();
  const phase = (what: string) => t.diagnostic(`${what}: ${Date.now() - t0} ms`);
  const sdk = () => new EKSClient({ endpoint: up.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  const ngStatus = async () => (await sdk().send(new DescribeNodegroupCommand({ clusterName: 'my-cluster', nodegroupName: 'general-ng' }))).nodegroup?.status;
  const updateOf = async (updateId: string) => (await sdk().send(new DescribeUpdateCommand({ name: 'my-cluster', nodegroupName: 'general-ng', updateId }))).update!;
  /** Validation answered to the SDK (a real client, faster than a CLI process per case). */
  const sdkRefused = async (input: Partial<CreateNodegroupCommandInput>, code: string, text: RegExp) => {
    await assert.rejects(sdk().send(new CreateNodegroupCommand({ clusterName: 'my-cluster', nodegroupName: 'x', nodeRole, subnets: subnetIds, ...input })),
      (err: Error) => err.name === code && text.test(err.message) || assert.fail(`${err.name}: ${err.message}`));
  };
  const kubectlJson = async (args: string[]) => JSON.parse(ok(await run(who, 'kubectl', [...args, '-o', 'json']), `kubectl ${args.join(' ')}`)) as Obj;

  // The region's subnets as a user finds them.
  const subnets = (await aws(['ec2', 'describe-subnets', '--filters', 'Name=tag:kubernetes.io/role/internal-elb,Values=1'])).Subnets as Obj[];
  assert.equal(subnets.length, 3);
  const subnetIds = subnets.map((s) => s.SubnetId as string);
  const vpcId = subnets[0].VpcId as string;

  phase('CreateCluster resolves');
  // CreateCluster resolves subnets against the VPC model: unknown ones are refused, the VPC is theirs.
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const clusterRole = (await aws(['iam', 'create-role', '--role-name', 'eks-cluster-role', '--assume-role-policy-document', trust])).Role.Arn as string;
  await refused(['eks', 'create-cluster', '--name', 'bad', '--role-arn', clusterRole, '--resources-vpc-config', 'subnetIds=subnet-1,subnet-2'],
    'InvalidParameterException', /The subnet ID 'subnet-1' does not exist/);
  const created = await aws(['eks', 'create-cluster', '--name', 'my-cluster', '--role-arn', clusterRole, '--kubernetes-version', '1.32',
    '--resources-vpc-config', `subnetIds=${subnetIds.join(',')}`]);
  assert.equal(created.cluster.resourcesVpcConfig.vpcId, vpcId);
  await until('cluster ACTIVE', async () => ((await sdk().send(new DescribeClusterCommand({ name: 'my-cluster' }))).cluster?.status === 'ACTIVE' ? true : undefined));
  ok(await awsRaw(['eks', 'update-kubeconfig', '--name', 'my-cluster', '--kubeconfig', kubeconfig]), 'update-kubeconfig');
  // EKS starts a cluster without nodes.
  assert.equal((await kubectlJson(['get', 'nodes'])).items.length, 0);

  phase("The guide's node role");
  // The guide's node role and node group (section 3.2), on the subnets found above, one minor behind the cluster.
  const nodeTrust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const nodeRole = (await aws(['iam', 'create-role', '--role-name', 'eksNodeRole', '--assume-role-policy-document', nodeTrust])).Role.Arn as string;
  for (const policy of ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly']) {
    await aws(['iam', 'attach-role-policy', '--role-name', 'eksNodeRole', '--policy-arn', `arn:aws:iam::aws:policy/${policy}`]);
  }
  const base = ['eks', 'create-nodegroup', '--cluster-name', 'my-cluster', '--node-role', nodeRole, '--subnets', ...subnetIds];
  await refused([...base, '--nodegroup-name', 'x', '--scaling-config', 'minSize=3,maxSize=10,desiredSize=2'], 'InvalidParameterException', /Minimum capacity 3 can't be greater than desired size 2/);
  await sdkRefused({ scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 3 } }, 'InvalidParameterException', /Desired capacity 3 can't be greater than max size 2/);
  await sdkRefused({ instanceTypes: ['m6g.large'], amiType: 'AL2023_x86_64_STANDARD' }, 'InvalidParameterException', /m6g\.large.*amiType AL2023_x86_64_STANDARD/);
  await sdkRefused({ instanceTypes: ['m5.large'], amiType: 'AL2023_x86_64_NVIDIA' }, 'InvalidParameterException', /m5\.large.*AL2023_x86_64_NVIDIA/);
  await sdkRefused({ instanceTypes: ['m9.huge'] }, 'InvalidParameterException', /m9\.huge/);
  await sdkRefused({ version: '1.33' }, 'InvalidParameterException', /greater than cluster version 1\.32/);
  await sdkRefused({ amiType: 'AL2_x86_64', version: '1.32', instanceTypes: ['m5.large'], taints: [{ key: 'a', value: 'b', effect: 'NoSchedule' as never }] }, 'InvalidParameterException', /Taint effect/);
  await sdkRefused({ taints: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, effect: 'NO_SCHEDULE' as const })) }, 'InvalidParameterException', /taints can't exceed 50/);
  await sdkRefused({ labels: { 'a/b/c': 'v' } }, 'InvalidParameterException', /Label key/);
  await sdkRefused({ nodeRole: 'arn:aws:iam::000000000000:user/alice' }, 'InvalidParameterException', /not a valid IAM role ARN/);
  await sdkRefused({ subnets: ['subnet-0123456789abcdef0'] }, 'InvalidParameterException', /subnet-0123456789abcdef0/);

  const ng = await aws([...base, '--nodegroup-name', 'general-ng', '--instance-types', 'm5.large', '--scaling-config', 'minSize=2,maxSize=10,desiredSize=3',
    '--disk-size', '50', '--capacity-type', 'ON_DEMAND', '--kubernetes-version', '1.31', '--labels', 'role=general']);
  assert.equal(ng.nodegroup.status, 'CREATING');
  assert.match(ng.nodegroup.nodegroupArn, /^arn:aws:eks:us-east-1:000000000000:nodegroup\/my-cluster\/general-ng\/[0-9a-f-]{36}$/);
  assert.match(ng.nodegroup.resources.autoScalingGroups[0].name, /^eks-general-ng-[0-9a-f-]{36}$/);
  await refused([...base, '--nodegroup-name', 'general-ng'], 'ResourceInUseException', /NodeGroup already exists with name general-ng and cluster name my-cluster/);
  await until('node group ACTIVE', async () => ((await ngStatus()) === 'ACTIVE' ? true : undefined));
  ok(await awsRaw(['eks', 'wait', 'nodegroup-active', '--cluster-name', 'my-cluster', '--nodegroup-name', 'general-ng']), 'wait nodegroup-active');
  assert.deepEqual((await aws(['eks', 'list-nodegroups', '--cluster-name', 'my-cluster'])).nodegroups, ['general-ng']);

  const nodes = (await kubectlJson(['get', 'nodes'])).items as Obj[];
  assert.equal(nodes.length, 3);
  const zones = new Set(nodes.map((n) => n.metadata.labels['topology.kubernetes.io/zone']));
  assert.equal(zones.size, 3, 'three nodes over three zones');
  for (const n of nodes) {
    const l = n.metadata.labels;
    assert.equal(l['eks.amazonaws.com/nodegroup'], 'general-ng');
    assert.equal(l['eks.amazonaws.com/capacityType'], 'ON_DEMAND');
    assert.match(l['eks.amazonaws.com/nodegroup-image'], /^ami-[0-9a-f]{17}$/);
    assert.equal(l.role, 'general');
    assert.equal(l['node.kubernetes.io/instance-type'], 'm5.large');
    assert.match(n.spec.providerID, new RegExp(`^aws:///${l['topology.kubernetes.io/zone']}/i-[0-9a-f]{17}$`));
    assert.match(n.status.nodeInfo.kubeletVersion, /^v1\.31\./);
    const ip = n.status.addresses.find((a: Obj) => a.type === 'InternalIP').address as string;
    assert.equal(n.metadata.name, `ip-${ip.replaceAll('.', '-')}.ec2.internal`);
    // The private subnets are 192.168.96.0/19, .128.0/19 and .160.0/19.
    assert.ok(Number(ip.split('.')[2]) >= 96, ip);
    assert.ok(ready(n));
  }

  phase('Scaling and a label');
  // Scaling and a label through update-nodegroup-config (the label reaches the running nodes too).
  const cfg = await aws(['eks', 'update-nodegroup-config', '--cluster-name', 'my-cluster', '--nodegroup-name', 'general-ng',
    '--scaling-config', 'desiredSize=4', '--labels', 'addOrUpdateLabels={tier=web}']);
  assert.equal(cfg.update.type, 'ConfigUpdate');
  await until('config update Successful', async () => ((await updateOf(cfg.update.id)).status === 'Successful' ? true : undefined));
  const scaled = (await kubectlJson(['get', 'nodes', '-l', 'eks.amazonaws.com/nodegroup=general-ng'])).items as Obj[];
  assert.equal(scaled.length, 4);
  for (const n of scaled) assert.equal(n.metadata.labels.tier, 'web');
  assert.deepEqual((await aws(['eks', 'list-updates', '--name', 'my-cluster', '--nodegroup-name', 'general-ng'])).updateIds, [cfg.update.id]);
  assert.deepEqual((await sdk().send(new ListUpdatesCommand({ name: 'my-cluster' }))).updateIds, []);

  // The cluster cannot go while it has node groups.
  await refused(['eks', 'delete-cluster', '--name', 'my-cluster'], 'ResourceInUseException', /nodegroups attached/);

  phase('Three replicas');
  // Three replicas behind a PDB with minAvailable 2, then a version update of the group.
  ok(await run(who, 'kubectl', ['create', 'deployment', 'web', '--image=nginx', '--replicas=3']), 'create deployment');
  ok(await run(who, 'kubectl', ['create', 'pdb', 'web', '--selector=app=web', '--min-available=2']), 'create pdb');
  const get = adminGetter(join(dataDir, 'clusters', 'my-cluster', 'kubeconfig'));
  const readyPods = async () => ((await get('/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).items as Obj[]).filter((p) => !p.metadata.deletionTimestamp && ready(p)).length;
  await until('3 web pods Ready', async () => ((await readyPods()) === 3 ? true : undefined), 60_000);
  await until('PDB allows a disruption', async () => ((await get('/apis/policy/v1/namespaces/default/poddisruptionbudgets/web')).status?.disruptionsAllowed === 1 ? true : undefined));

  let minReady = 3;
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      minReady = Math.min(minReady, await readyPods());
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  // Already on the latest AMI of 1.31: without a version there is nothing to update.
  await refused(['eks', 'update-nodegroup-version', '--cluster-name', 'my-cluster', '--nodegroup-name', 'general-ng'], 'InvalidParameterException', /already at version 1\.31/);
  const upd = await aws(['eks', 'update-nodegroup-version', '--cluster-name', 'my-cluster', '--nodegroup-name', 'general-ng', '--kubernetes-version', '1.32']);
  assert.equal(upd.update.type, 'VersionUpdate');
  assert.deepEqual(upd.update.params.find((p: Obj) => p.type === 'Version').value, '1.32');
  assert.equal(await ngStatus(), 'UPDATING');
  const done = await until('version update finished', async () => {
    const u = await updateOf(upd.update.id);
    return u.status === 'InProgress' ? undefined : u;
  }, 120_000);
  watching = false;
  await watcher;
  assert.equal(done.status, 'Successful', JSON.stringify(done.errors));
  assert.ok(minReady >= 2, `Ready web pods fell to ${minReady} during the update`);
  const described = (await sdk().send(new DescribeNodegroupCommand({ clusterName: 'my-cluster', nodegroupName: 'general-ng' }))).nodegroup!;
  assert.equal(described.status, 'ACTIVE');
  assert.equal(described.version, '1.32');
  const upgraded = (await kubectlJson(['get', 'nodes'])).items as Obj[];
  assert.equal(upgraded.length, 4);
  for (const n of upgraded) {
    assert.match(n.status.nodeInfo.kubeletVersion, /^v1\.32\./);
    assert.notEqual(n.spec.unschedulable, true);
  }
  t.diagnostic(`min Ready web pods during update-nodegroup-version: ${minReady}`);

  phase("The group's instances in EC");
  // The group's instances in EC2; terminating one brings a replacement.
  const reservations = (await aws(['ec2', 'describe-instances', '--filters', 'Name=tag:eks:nodegroup-name,Values=general-ng', 'Name=instance-state-name,Values=running'])).Reservations as Obj[];
  const instances = reservations.flatMap((r) => r.Instances as Obj[]);
  assert.equal(instances.length, 4);
  for (const i of instances) {
    assert.equal(i.InstanceType, 'm5.large');
    assert.equal(i.VpcId, vpcId);
    assert.ok(subnetIds.includes(i.SubnetId));
    assert.ok(upgraded.some((n) => n.spec.providerID.endsWith(`/${i.InstanceId}`) && n.metadata.name === i.PrivateDnsName));
    assert.ok(i.Tags.some((tag: Obj) => tag.Key === 'eks:cluster-name' && tag.Value === 'my-cluster'));
  }
  const byIp = await aws(['ec2', 'describe-instances', '--filters', `Name=private-ip-address,Values=${instances[0].PrivateIpAddress}`]);
  assert.equal(byIp.Reservations[0].Instances[0].InstanceId, instances[0].InstanceId);
  const victim = instances[0];
  const term = await aws(['ec2', 'terminate-instances', '--instance-ids', victim.InstanceId]);
  assert.equal(term.TerminatingInstances[0].CurrentState.Name, 'shutting-down');
  assert.equal(term.TerminatingInstances[0].PreviousState.Name, 'running');
  await until('replacement node', async () => {
    const items = (await get('/api/v1/nodes?labelSelector=eks.amazonaws.com%2Fnodegroup%3Dgeneral-ng')).items as Obj[];
    return items.length === 4 && !items.some((n) => n.metadata.name === victim.PrivateDnsName) && items.every(ready) ? true : undefined;
  });
  const after = await aws(['ec2', 'describe-instances', '--instance-ids', victim.InstanceId]);
  assert.equal(after.Reservations[0].Instances[0].State.Name, 'terminated');
  const missing = await awsRaw(['ec2', 'describe-instances', '--instance-ids', 'i-0123456789abcdef0']);
  assert.match(missing.stderr, /InvalidInstanceID\.NotFound/);

  phase('A restart keeps');
  // A restart keeps the group and its nodes.
  const before = ((await kubectlJson(['get', 'nodes'])).items as Obj[]).map((n) => n.metadata.name as string).sort();
  await up.stop();
  up = await startKumoUp(dataDir, children, flags);
  assert.equal(await ngStatus(), 'ACTIVE');
  assert.deepEqual(((await kubectlJson(['get', 'nodes'])).items as Obj[]).map((n) => n.metadata.name as string).sort(), before);
  const running = await until('instances adopted', async () => {
    const ec2 = new EC2Client({ endpoint: up.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const r = (await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['running'] }] }))).Reservations ?? [];
    ec2.destroy();
    return r.length === 4 ? r : undefined;
  });
  assert.equal(running.length, 4);

  phase('Deleting the group');
  // Deleting the group drains and removes its nodes; then the cluster can go.
  const del = await aws(['eks', 'delete-nodegroup', '--cluster-name', 'my-cluster', '--nodegroup-name', 'general-ng']);
  assert.equal(del.nodegroup.status, 'DELETING');
  await until('node group gone', async () => ngStatus().then(() => undefined, (err: Error) => (err.name === 'ResourceNotFoundException' ? true : undefined)), 60_000)
    .catch(async (err) => {
      t.diagnostic(JSON.stringify((await aws(['eks', 'describe-nodegroup', '--cluster-name', 'my-cluster', '--nodegroup-name', 'general-ng'])).nodegroup));
      t.diagnostic(JSON.stringify(((await get('/api/v1/pods')).items as Obj[]).map((p) => [p.metadata.name, p.spec.nodeName, p.status.phase, p.metadata.deletionTimestamp])));
      throw err;
    });
  phase('deleted');
  assert.equal((await kubectlJson(['get', 'nodes'])).items.length, 0);
  await aws(['eks', 'delete-cluster', '--name', 'my-cluster']);
});
