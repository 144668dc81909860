// The eksctl-style commands against a real `kumo up` (region ap-northeast-1), run as a user runs
// them: `kumo create cluster -f` on the EKS guide's first ClusterConfig gives 3 m5.large nodes
// labelled role=general and 5 spot nodes labelled role=spot-worker across zones (seen with kubectl
// through the written kubeconfig and `aws eks get-token`) and a Fargate profile; `kumo scale
// nodegroup` changes the count; `kumo delete cluster` removes the cluster, its groups, profile,
// IAM roles and VPC. A second file exercises OIDC, IRSA service accounts, the guide's Bottlerocket
// group and a private, tainted group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeClusterCommand, DescribeNodegroupCommand, EKSClient } from '@aws-sdk/client-eks';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient, ListOpenIDConnectProvidersCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { kumoCommand, REPO_ROOT, run, TOOLS_BIN, type RunResult } from '../helpers/apiserver.js';
import { startKumoUp } from '../helpers/kumo-up.js';
import { until } from '../helpers/wait.js';

// The fixtures stay in the source tree (tsc does not copy them to dist/).
const FIXTURES = join(REPO_ROOT, 'test', 'cli', 'fixtures');
const REGION = 'ap-northeast-1';

interface Node {
  metadata: { name: string; labels: Record<string, string> };
  status: { conditions?: { type: string; status: string }[] };
}

test('kumo create cluster -f on the guide\'s config: node groups, spot, Fargate; scale; delete removes everything', { timeout: 240_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-eksctl-'));
  const home = join(dir, 'home');
  mkdirSync(home);
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(join(dir, 'aws-config'), '');
  writeFileSync(join(dir, 'aws-credentials'), '');
  const children = new Set<ChildProcess>();
  const up = await startKumoUp(join(dir, 'data'), children, ['--region', REGION, '--cluster-nodes', '0', '--storage', 'memory']);
  const creds = { region: REGION, endpoint: up.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const eks = new EKSClient(creds);
  const iam = new IAMClient(creds);
  const ec2 = new EC2Client(creds);
  t.after(async () => {
    [eks, iam, ec2].forEach((c) => c.destroy());
    await up.stop();
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  // As a user's shell has it: credentials in the environment, no region (the file names it).
  const env: NodeJS.ProcessEnv = {
    PATH: `${TOOLS_BIN}:${process.env.PATH ?? ''}`, HOME: home, KUBECONFIG: kubeconfig,
    AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL: up.url,
    AWS_CONFIG_FILE: join(dir, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'), AWS_MAX_ATTEMPTS: '1',
  };
  const { cmd, args } = kumoCommand();
  const kumo = (a: string[]) => run({ env }, cmd, [...args, ...a], { cwd: REPO_ROOT, timeoutMs: 180_000 });
  const ok = (r: RunResult, what: string) => {
    assert.equal(r.code, 0, `${what} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const kubectl = async (a: string[]) => ok(await run({ env }, 'kubectl', a), `kubectl ${a.join(' ')}`);
  const nodes = async (selector: string) => (JSON.parse(await kubectl(['get', 'nodes', '-l', selector, '-o', 'json'])).items as Node[]);
  const ready = (n: Node) => n.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

  // A file with a field Kumo cannot honour fails before anything is created, naming the field.
  const refused = await kumo(['create', 'cluster', '-f', join(FIXTURES, 'production-cluster.yaml')]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^Error: loading config file ".*production-cluster\.yaml": field addons is not supported by Kumo yet/m);

  // The guide's file as written (its spot group runs on m5.large, m5a.large and m4.large).
  const guideFile = join(FIXTURES, 'cluster-config.yaml');
  const startedAt = Date.now();
  const created = ok(await kumo(['create', 'cluster', '-f', guideFile]), 'kumo create cluster');
  t.diagnostic(`kumo create cluster (2 node groups, 8 nodes, 1 Fargate profile): ${Date.now() - startedAt} ms`);
  assert.match(created, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[ℹ\] {2}using region ap-northeast-1$/m);
  assert.match(created, /\[ℹ\] {2}building cluster stack "eksctl-my-cluster-cluster"$/m);
  assert.match(created, /\[✔\] {2}saved kubeconfig as ".*kubeconfig"$/m);
  assert.match(created, /\[ℹ\] {2}created Fargate profile "default" on EKS cluster "my-cluster"$/m);
  assert.match(created, /\[✔\] {2}EKS cluster "my-cluster" in "ap-northeast-1" region is ready\n$/);

  const general = await until('3 Ready role=general nodes', async () => {
    const list = await nodes('role=general');
    return list.length === 3 && list.every(ready) ? list : undefined;
  }, 60_000);
  for (const n of general) assert.equal(n.metadata.labels['node.kubernetes.io/instance-type'], 'm5.large');
  const spot = await until('5 Ready role=spot-worker nodes', async () => {
    const list = await nodes('role=spot-worker');
    return list.length === 5 && list.every(ready) ? list : undefined;
  }, 60_000);
  for (const n of spot) assert.equal(n.metadata.labels['eks.amazonaws.com/capacityType'], 'SPOT');
  for (const n of general) assert.equal(n.metadata.labels['eks.amazonaws.com/capacityType'], 'ON_DEMAND');
  const zones = new Set([...general, ...spot].map((n) => n.metadata.labels['topology.kubernetes.io/zone']));
  assert.ok(zones.size >= 2, `nodes across zones, got ${[...zones].join(', ')}`);

  const profiles = ok(await kumo(['get', 'fargateprofiles', '--cluster', 'my-cluster', '--region', REGION]), 'kumo get fargateprofiles');
  assert.match(profiles, /^NAME\tSELECTOR_NAMESPACE\tSELECTOR_LABELS\t+POD_EXECUTION_ROLE_ARN\t+SUBNETS\t+TAGS\t+STATUS\n/);
  assert.match(profiles, /^default\t+fargate-tasks\t+compute=fargate\t+arn:aws:iam::000000000000:role\/eksctl-my-cluster-cluster-FargatePodExecutionRole\t+subnet-\S+\t+<none>\t+ACTIVE$/m);
  const groups = JSON.parse(ok(await kumo(['get', 'nodegroups', '--cluster', 'my-cluster', '--region', REGION, '-o', 'json']), 'kumo get nodegroups'));
  assert.deepEqual(groups.map((g: { Name: string; DesiredCapacity: number }) => [g.Name, g.DesiredCapacity]), [['general-purpose', 3], ['spot-workers', 5]]);
  assert.match(ok(await kumo(['get', 'clusters', '--region', REGION]), 'kumo get clusters'), /^my-cluster\tap-northeast-1\tTrue$/m);

  // utils write-kubeconfig writes the same entry elsewhere; kubectl works through it as well.
  const second = join(dir, 'second-kubeconfig');
  assert.match(ok(await kumo(['utils', 'write-kubeconfig', '--cluster', 'my-cluster', '--region', REGION, '--kubeconfig', second]), 'kumo utils write-kubeconfig'),
    /\[✔\] {2}saved kubeconfig as ".*second-kubeconfig"\n$/);
  assert.match(await kubectl(['--kubeconfig', second, 'get', 'nodes', '-l', 'role=general', '-o', 'name']), /^node\//);

  // upgrade cluster plans without --approve and upgrades with it.
  assert.match(ok(await kumo(['upgrade', 'cluster', '--name', 'my-cluster', '--region', REGION]), 'kumo upgrade cluster (plan)'),
    /\(plan\) would upgrade cluster "my-cluster" control plane from current version "1\.29" to "1\.30"\n.*no changes were applied, run again with '--approve' to apply the changes\n$/);
  assert.equal((await eks.send(new DescribeClusterCommand({ name: 'my-cluster' }))).cluster!.version, '1.29');
  assert.match(ok(await kumo(['upgrade', 'cluster', '--name', 'my-cluster', '--region', REGION, '--approve']), 'kumo upgrade cluster'),
    /\[✔\] {2}cluster "my-cluster" control plane has been upgraded to version "1\.30"$/m);
  assert.equal((await eks.send(new DescribeClusterCommand({ name: 'my-cluster' }))).cluster!.version, '1.30');

  ok(await kumo(['scale', 'nodegroup', '--cluster', 'my-cluster', '--region', REGION, '--name', 'general-purpose', '--nodes', '4', '--wait']), 'kumo scale nodegroup');
  await until('4 Ready role=general nodes', async () => {
    const list = await nodes('role=general');
    return list.length === 4 && list.every(ready) ? true : undefined;
  }, 60_000);

  const beyond = await kumo(['scale', 'nodegroup', '--cluster', 'my-cluster', '--region', REGION, '--name', 'general-purpose', '--nodes', '50']);
  assert.equal(beyond.code, 1);
  assert.equal(beyond.stderr.trim().split('\n').pop(), 'Error: the desired nodes 50 is greater than current nodes-max/maxSize 10');

  const deleted = ok(await kumo(['delete', 'cluster', '-f', guideFile]), 'kumo delete cluster');
  assert.match(deleted, /\[✔\] {2}all cluster resources were deleted\n$/);
  await assert.rejects(eks.send(new DescribeClusterCommand({ name: 'my-cluster' })), { name: 'ResourceNotFoundException' });
  const roles = (await iam.send(new ListRolesCommand({}))).Roles ?? [];
  assert.deepEqual(roles.filter((r) => r.RoleName?.startsWith('eksctl-my-cluster-')).map((r) => r.RoleName), []);
  const vpcs = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:alpha.eksctl.io/cluster-name', Values: ['my-cluster'] }] }))).Vpcs ?? [];
  assert.equal(vpcs.length, 0);
  assert.doesNotMatch(readFileSync(kubeconfig, 'utf8'), /cluster\/my-cluster/);

  // OIDC, IRSA service accounts and the guide's Bottlerocket group, on a cluster of their own.
  const irsaFile = join(dir, 'irsa.yaml');
  writeFileSync(irsaFile, readFileSync(join(FIXTURES, 'bottlerocket.yaml'), 'utf8').replace('name: my-cluster', 'name: irsa-cluster') +
    '  - name: private-ng\n    desiredCapacity: 2\n    privateNetworking: true\n    taints:\n      - key: dedicated\n        value: private\n        effect: NoExecute\n' +
    'iam:\n  withOIDC: true\n  serviceAccounts:\n    - metadata:\n        name: external-dns\n        namespace: kube-system\n      wellKnownPolicies:\n        externalDNS: true\n');
  ok(await kumo(['create', 'cluster', '-f', irsaFile]), 'kumo create cluster (IRSA)');
  const sa = JSON.parse(await kubectl(['get', 'serviceaccount', '-n', 'kube-system', 'external-dns', '-o', 'json']));
  const roleArn = sa.metadata.annotations['eks.amazonaws.com/role-arn'] as string;
  assert.match(roleArn, /^arn:aws:iam::000000000000:role\/eksctl-irsa-cluster-addon-iamserviceaccount-kube-system-/);
  const issuer = (await eks.send(new DescribeClusterCommand({ name: 'irsa-cluster' }))).cluster!.identity!.oidc!.issuer!;
  const providers = (await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? [];
  assert.ok(providers.some((p) => p.Arn?.endsWith(issuer.replace('https://', ''))), 'an OIDC provider for the issuer');
  // The role trusts the service account's projected token: STS answers with the role's session.
  const token = (await kubectl(['create', 'token', '-n', 'kube-system', 'external-dns', '--audience', 'sts.amazonaws.com'])).trim();
  const assumed = await run({ env }, 'aws', ['--region', REGION, 'sts', 'assume-role-with-web-identity', '--role-arn', roleArn, '--role-session-name', 'dns', '--web-identity-token', token]);
  assert.equal(assumed.code, 0, assumed.stderr);
  await until('3 Bottlerocket nodes', async () => ((await nodes('eks.amazonaws.com/nodegroup=bottlerocket-ng')).length === 3 ? true : undefined), 60_000);
  const ng = (await eks.send(new DescribeNodegroupCommand({ clusterName: 'irsa-cluster', nodegroupName: 'bottlerocket-ng' }))).nodegroup!;
  assert.equal(ng.amiType, 'BOTTLEROCKET_x86_64');
  // privateNetworking puts the group in the private subnets (192.168.96.0/19 and up), tainted as asked.
  const privateNodes = await until('2 private nodes', async () => {
    const list = await nodes('eks.amazonaws.com/nodegroup=private-ng');
    return list.length === 2 ? list : undefined;
  }, 60_000);
  for (const n of privateNodes as (Node & { spec: { taints?: { key: string; value?: string; effect: string }[] }; status: { addresses?: { type: string; address: string }[] } })[]) {
    assert.deepEqual(n.spec.taints?.filter((x) => x.key === 'dedicated'), [{ key: 'dedicated', value: 'private', effect: 'NoExecute' }]);
    const ip = n.status.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
    assert.ok(Number(ip.split('.')[2]) >= 96, `private subnet address, got ${ip}`);
  }
  ok(await kumo(['delete', 'cluster', '--name', 'irsa-cluster', '--region', REGION]), 'kumo delete cluster (IRSA)');
  const after = (await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? [];
  assert.equal(after.length, providers.length - 1);
});
