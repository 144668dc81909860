// `kumo up`: a new EKS cluster has EKS's default add-ons in kube-system (aws-node and kube-proxy
// DaemonSets on every EC2 node, the coredns Deployment behind kube-dns), and the VPC CNI setting
// users change with `kubectl set env daemonset aws-node ENABLE_PREFIX_DELEGATION=true` decides the
// max pods of node-group nodes launched afterwards: an m5.large allows 29 pods, 110 with prefix
// delegation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, type RunResult } from '../helpers/apiserver.js';
import { kumoUpWorkspace } from '../helpers/kumo-up.js';
import { until } from '../helpers/wait.js';

test('kumo up: default EKS add-ons; prefix delegation on aws-node gives new m5.large nodes 110 pods', { timeout: 240_000 }, async (t) => {
  const ws = await kumoUpWorkspace(t, 'kumo-addons-');
  const { kubeconfig } = ws;
  const who = { env: ws.env() };
  const ok = (r: RunResult, what: string) => {
    assert.equal(r.code, 0, `${what} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const aws = async (...args: string[]) => ok(await run(who, 'aws', ['--endpoint-url', ws.up.url, '--output', 'json', ...args]), `aws ${args.slice(0, 2).join(' ')}`);
  const kubectl = async (...args: string[]) => ok(await run(who, 'kubectl', args), `kubectl ${args.join(' ')}`);
  const json = async (...args: string[]) => JSON.parse(await kubectl(...args, '-o', 'json'));

  // A cluster on the region's private subnets, as a user finds them.
  const subnetIds = (JSON.parse(await aws('ec2', 'describe-subnets', '--filters', 'Name=tag:kubernetes.io/role/internal-elb,Values=1')).Subnets as { SubnetId: string }[]).map((x) => x.SubnetId);
  const trust = (service: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
  const roleArn = JSON.parse(await aws('iam', 'create-role', '--role-name', 'eks-cluster-role', '--assume-role-policy-document', trust('eks.amazonaws.com'))).Role.Arn as string;
  await aws('iam', 'attach-role-policy', '--role-name', 'eks-cluster-role', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy');
  const nodeRole = JSON.parse(await aws('iam', 'create-role', '--role-name', 'eksNodeRole', '--assume-role-policy-document', trust('ec2.amazonaws.com'))).Role.Arn as string;
  for (const policy of ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly']) {
    await aws('iam', 'attach-role-policy', '--role-name', 'eksNodeRole', '--policy-arn', `arn:aws:iam::aws:policy/${policy}`);
  }
  await aws('eks', 'create-cluster', '--name', 'addons', '--role-arn', roleArn, '--resources-vpc-config', `subnetIds=${subnetIds.join(',')}`, '--kubernetes-version', '1.33');
  await until('ACTIVE', async () => (JSON.parse(await aws('eks', 'describe-cluster', '--name', 'addons')).cluster.status === 'ACTIVE' ? true : undefined), 60_000);
  await aws('eks', 'update-kubeconfig', '--name', 'addons', '--kubeconfig', kubeconfig);

  // EKS's add-ons, with EKS's images and labels.
  const ds = await json('get', 'daemonsets', '-n', 'kube-system');
  assert.deepEqual(ds.items.map((d: { metadata: { name: string } }) => d.metadata.name).sort(), ['aws-node', 'kube-proxy']);
  const awsNode = ds.items.find((d: { metadata: { name: string } }) => d.metadata.name === 'aws-node');
  assert.match(awsNode.spec.template.spec.containers[0].image, /^602401143452\.dkr\.ecr\.us-east-1\.amazonaws\.com\/amazon-k8s-cni:v\d+\.\d+\.\d+-eksbuild\.\d+$/);
  const kubeProxy = ds.items.find((d: { metadata: { name: string } }) => d.metadata.name === 'kube-proxy');
  assert.match(kubeProxy.spec.template.spec.containers[0].image, /\/eks\/kube-proxy:v1\.33\./);
  const coredns = await json('get', 'deployment', 'coredns', '-n', 'kube-system');
  assert.equal(coredns.spec.replicas, 2);
  assert.equal(coredns.spec.template.metadata.labels['k8s-app'], 'kube-dns');
  assert.equal((await json('get', 'service', 'kube-dns', '-n', 'kube-system')).spec.clusterIP, '10.100.0.10');

  const nodegroup = async (name: string) => {
    await aws('eks', 'create-nodegroup', '--cluster-name', 'addons', '--nodegroup-name', name, '--node-role', nodeRole, '--subnets', ...subnetIds,
      '--instance-types', 'm5.large', '--scaling-config', 'minSize=1,maxSize=2,desiredSize=1');
    await until(`node group ${name} ACTIVE`, async () => (JSON.parse(await aws('eks', 'describe-nodegroup', '--cluster-name', 'addons', '--nodegroup-name', name)).nodegroup.status === 'ACTIVE' ? true : undefined), 60_000);
    const nodes = (await json('get', 'nodes', '-l', `eks.amazonaws.com/nodegroup=${name}`)).items as { metadata: { name: string }; status: { capacity: Record<string, string>; allocatable: Record<string, string> } }[];
    assert.equal(nodes.length, 1);
    return nodes[0];
  };
  const podsOf = (n: { status: { capacity: Record<string, string>; allocatable: Record<string, string> } }) => [n.status.capacity.pods, n.status.allocatable.pods];

  // The first group's node: 29 pods; the DaemonSets and CoreDNS run on it, CoreDNS with VPC addresses.
  const first = await nodegroup('secondary-ip');
  assert.deepEqual(podsOf(first), ['29', '29']);
  await until('add-on pods running', async () => {
    const pods = (await json('get', 'pods', '-n', 'kube-system')).items as { metadata: { labels: Record<string, string> }; status: { phase: string; podIP?: string } }[];
    const running = (app: string) => pods.filter((p) => p.metadata.labels['k8s-app'] === app && p.status.phase === 'Running');
    if (running('aws-node').length !== 1 || running('kube-proxy').length !== 1 || running('kube-dns').length !== 2) return undefined;
    // 192.168.96.0/19 and the other private subnets of the default VPC.
    assert.ok(running('kube-dns').every((p) => /^192\.168\.(9[6-9]|1[0-8]\d|19[01])\./.test(p.status.podIP ?? '')), JSON.stringify(running('kube-dns').map((p) => p.status.podIP)));
    return true;
  }, 60_000);

  // Prefix delegation on: a node launched afterwards allows 110 pods, the running one keeps 29.
  await kubectl('set', 'env', 'daemonset', 'aws-node', '-n', 'kube-system', 'ENABLE_PREFIX_DELEGATION=true');
  const second = await nodegroup('prefix');
  assert.deepEqual(podsOf(second), ['110', '110']);
  assert.deepEqual(podsOf((await json('get', 'node', first.metadata.name))), ['29', '29']);
});
