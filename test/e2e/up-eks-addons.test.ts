// `kumo up`: a new EKS cluster has EKS's default add-ons in kube-system (aws-node and kube-proxy
// DaemonSets on every EC2 node, the coredns Deployment behind kube-dns), and the VPC CNI setting
// users change with `kubectl set env daemonset aws-node ENABLE_PREFIX_DELEGATION=true` decides the
// max pods of nodes launched afterwards: an m5.large allows 29 pods, 110 with prefix delegation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, TOOLS_BIN, type RunResult } from '../helpers/apiserver.js';
import { startKumoUp, until } from '../helpers/kumo-up.js';

test('kumo up: default EKS add-ons; prefix delegation on aws-node gives new m5.large nodes 110 pods', { timeout: 240_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-addons-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(join(dir, 'aws-config'), '');
  writeFileSync(join(dir, 'aws-credentials'), '');
  const children = new Set<ChildProcess>();
  const up = await startKumoUp(join(dir, 'data'), children, ['--cluster-nodes', '2']);
  t.after(async () => {
    await up.stop();
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const who = {
    env: {
      PATH: `${TOOLS_BIN}:${process.env.PATH ?? ''}`, HOME: join(dir, 'home'), KUBECONFIG: kubeconfig, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: join(dir, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
    },
  };
  const ok = (r: RunResult, what: string) => {
    assert.equal(r.code, 0, `${what} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const aws = async (...args: string[]) => ok(await run(who, 'aws', ['--endpoint-url', up.url, '--output', 'json', ...args]), `aws ${args.slice(0, 2).join(' ')}`);
  const kubectl = async (...args: string[]) => ok(await run(who, 'kubectl', args), `kubectl ${args.join(' ')}`);
  const json = async (...args: string[]) => JSON.parse(await kubectl(...args, '-o', 'json'));

  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const roleArn = JSON.parse(await aws('iam', 'create-role', '--role-name', 'eks-cluster-role', '--assume-role-policy-document', trust)).Role.Arn as string;
  await aws('iam', 'attach-role-policy', '--role-name', 'eks-cluster-role', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy');
  await aws('eks', 'create-cluster', '--name', 'addons', '--role-arn', roleArn, '--resources-vpc-config', 'subnetIds=subnet-1,subnet-2', '--kubernetes-version', '1.33');
  await until('ACTIVE', async () => (JSON.parse(await aws('eks', 'describe-cluster', '--name', 'addons')).cluster.status === 'ACTIVE' ? true : undefined), 60_000);
  await aws('eks', 'update-kubeconfig', '--name', 'addons', '--kubeconfig', kubeconfig);

  // EKS's add-ons, with EKS's images and labels; the DaemonSets run one pod on each node.
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
  await until('add-on pods running', async () => {
    const pods = (await json('get', 'pods', '-n', 'kube-system')).items as { metadata: { labels: Record<string, string> }; status: { phase: string } }[];
    const running = (app: string) => pods.filter((p) => p.metadata.labels['k8s-app'] === app && p.status.phase === 'Running').length;
    return running('aws-node') === 2 && running('kube-proxy') === 2 && running('kube-dns') === 2 ? true : undefined;
  }, 60_000);

  const podsCapacity = async () => Object.fromEntries(((await json('get', 'nodes')).items as { metadata: { name: string; labels: Record<string, string> }; status: { capacity: { pods: string }; allocatable: { pods: string } } }[])
    .map((n) => [n.metadata.name, [n.metadata.labels['node.kubernetes.io/instance-type'], n.status.capacity.pods, n.status.allocatable.pods]]));
  const before = await podsCapacity();
  assert.deepEqual(Object.values(before), [['m5.large', '29', '29'], ['m5.large', '29', '29']]);

  // Prefix delegation on; the next node launched gets 110 pods, the running ones keep 29.
  await kubectl('set', 'env', 'daemonset', 'aws-node', '-n', 'kube-system', 'ENABLE_PREFIX_DELEGATION=true');
  await kubectl('create', 'configmap', 'kumo-node-pool', '-n', 'kube-system', '--from-literal=nodes=3');
  const after = await until('a third node', async () => {
    const now = await podsCapacity();
    return Object.keys(now).length === 3 ? now : undefined;
  }, 60_000);
  const added = Object.keys(after).find((n) => !(n in before))!;
  assert.deepEqual(after[added], ['m5.large', '110', '110']);
  for (const n of Object.keys(before)) assert.deepEqual(after[n], ['m5.large', '29', '29']);
});
