// Fargate on `kumo up` as a user drives it: the aws CLI makes the guide's pod execution role and
// Fargate profile (section 4.2) on private subnets from `aws ec2 describe-subnets`, waits for it
// with `aws eks wait fargate-profile-active`; kubectl then runs a pod of namespace fargate-tasks
// labelled compute=fargate on a fargate-ip node of its own (CapacityProvisioned, the Fargate label
// and taint), a DaemonSet places nothing there, a privileged pod stays Pending with the
// fargate-scheduler's event, EKS's validation errors reach the CLI, and the profile survives a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateFargateProfileCommand, DescribeClusterCommand, DescribeFargateProfileCommand, EKSClient, ListFargateProfilesCommand, ListTagsForResourceCommand,
} from '@aws-sdk/client-eks';
import { run, type RunResult } from '../helpers/apiserver.js';
import { kumoUpWorkspace } from '../helpers/kumo-up.js';
import { until } from '../helpers/wait.js';

test('kumo up: Fargate profiles from the aws CLI and Fargate pods under kubectl', { timeout: 240_000 }, async (t) => {
  // Transitions (and Fargate's start-up) take 2 s, long enough to see a profile CREATING.
  // Two simulated EC2 nodes outside any node group, for the pods no profile selects (kumo up starts clusters without nodes, as EKS does).
  const flags = ['--cluster-create-delay', '2s', '--cluster-nodes', '2'];
  const ws = await kumoUpWorkspace(t, 'kumo-fargate-', flags);
  const { dir, kubeconfig } = ws;
  const clients: EKSClient[] = [];
  t.after(() => {
    for (const c of clients) c.destroy();
  });
  const user = { env: ws.env({ AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '' }) };
  const ok = (r: RunResult, what: string) => {
    assert.equal(r.code, 0, `${what} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const awsRun = (args: string[]) => run(user, 'aws', ['--endpoint-url', ws.up.url, '--output', 'json', ...args]);
  const aws = async (args: string[]) => JSON.parse(ok(await awsRun(args), `aws ${args.slice(0, 2).join(' ')}`) || '{}');
  // kubectl authenticates with `aws eks get-token` (the exec plugin update-kubeconfig writes); the
  // many polls below reuse one such token (valid 15 minutes) instead of starting the CLI each time.
  const tokenKubeconfig = join(dir, 'kubeconfig-token');
  const poller = { env: { ...user.env, KUBECONFIG: tokenKubeconfig } };
  const useToken = async () => {
    const token = (await aws(['eks', 'get-token', '--cluster-name', 'my-cluster'])).status.token as string;
    const cfg = JSON.parse(ok(await run(user, 'kubectl', ['config', 'view', '--raw', '-o', 'json']), 'kubectl config view'));
    cfg.users = cfg.users.map((u: { name: string }) => ({ name: u.name, user: { token } }));
    writeFileSync(tokenKubeconfig, JSON.stringify(cfg));
  };
  const kubectl = async (args: string[], input?: string) => ok(await run(poller, 'kubectl', args, { input }), `kubectl ${args.join(' ')}`);
  const kubectlJson = async (args: string[]) => JSON.parse(await kubectl([...args, '-o', 'json']));
  const eks = () => {
    const c = new EKSClient({ endpoint: ws.up.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    clients.push(c);
    return c;
  };

  // The VPC: public and private subnets, told apart by MapPublicIpOnLaunch.
  type SubnetView = { SubnetId: string; MapPublicIpOnLaunch: boolean; CidrBlock: string; AvailableIpAddressCount: number };
  const subnets = (await aws(['ec2', 'describe-subnets'])).Subnets as SubnetView[];
  const privateSubnets = subnets.filter((s) => !s.MapPublicIpOnLaunch);
  const publicSubnets = subnets.filter((s) => s.MapPublicIpOnLaunch);
  assert.equal(privateSubnets.length, 3);

  const clusterTrust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const clusterRole = (await aws(['iam', 'create-role', '--role-name', 'eks-cluster-role', '--assume-role-policy-document', clusterTrust])).Role.Arn as string;
  await aws(['eks', 'create-cluster', '--name', 'my-cluster', '--role-arn', clusterRole,
    '--resources-vpc-config', `subnetIds=${subnets.map((s) => s.SubnetId).join(',')}`, '--access-config', 'authenticationMode=API_AND_CONFIG_MAP']);
  const client = eks();
  await until('cluster ACTIVE', async () => ((await client.send(new DescribeClusterCommand({ name: 'my-cluster' }))).cluster?.status === 'ACTIVE' ? true : undefined));

  // Section 4.2: the pod execution role.
  const podTrust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks-fargate-pods.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const podRole = (await aws(['iam', 'create-role', '--role-name', 'eksFargatePodRole', '--assume-role-policy-document', podTrust])).Role.Arn as string;
  await aws(['iam', 'attach-role-policy', '--role-name', 'eksFargatePodRole', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy']);

  // EKS's validation, as the CLI reports it.
  const refused = async (args: string[], code: string, message: RegExp) => {
    const r = await awsRun(['eks', 'create-fargate-profile', '--cluster-name', 'my-cluster', ...args]);
    assert.notEqual(r.code, 0, `expected ${code} for ${args.join(' ')}`);
    assert.match(r.stderr, new RegExp(code));
    assert.match(r.stderr, message);
  };
  const selectors = JSON.stringify([{ namespace: 'fargate-tasks', labels: { compute: 'fargate' } }]);
  const privateIds = privateSubnets.map((s) => s.SubnetId);
  await refused(['--fargate-profile-name', 'p', '--pod-execution-role-arn', podRole, '--subnets', publicSubnets[0].SubnetId, '--selectors', selectors],
    'InvalidParameterException', new RegExp(`Subnet ${publicSubnets[0].SubnetId} provided in Fargate Profile is not a private subnet`));
  // The SDK for the rest of the rules (each CLI start costs a second or more).
  const sdkRefused = (input: Partial<ConstructorParameters<typeof CreateFargateProfileCommand>[0]>, name: string, message: RegExp) =>
    assert.rejects(client.send(new CreateFargateProfileCommand({ clusterName: 'my-cluster', fargateProfileName: 'p', podExecutionRoleArn: podRole, subnets: privateIds, ...input })),
      (err: Error) => err.name === name && message.test(err.message));
  await sdkRefused({ selectors: Array.from({ length: 6 }, (_, i) => ({ namespace: `ns${i}` })) }, 'InvalidParameterException', /at most 5 selectors/);
  await sdkRefused({ selectors: [{ labels: { a: 'b' } }] }, 'InvalidParameterException', /must have a namespace/);
  await sdkRefused({ selectors: [{ namespace: 'x', labels: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`k${i}`, 'v'])) }] }, 'InvalidParameterException', /at most 5 labels/);
  await sdkRefused({ selectors: [{ namespace: 'x' }], subnets: ['subnet-0123456789abcdef0'] }, 'InvalidParameterException', /does not exist/);
  await sdkRefused({ selectors: [{ namespace: 'x' }], fargateProfileName: '-bad' }, 'InvalidParameterException', /name -bad is invalid/);
  await refused(['--fargate-profile-name', 'p', '--pod-execution-role-arn', clusterRole, '--subnets', ...privateIds, '--selectors', selectors],
    'InvalidParameterException', /Misconfigured PodExecutionRole Trust Policy/);

  // The guide's profile (selector of the first cluster config: fargate-tasks, compute=fargate).
  const created = (await aws(['eks', 'create-fargate-profile', '--cluster-name', 'my-cluster', '--fargate-profile-name', 'batch-profile',
    '--pod-execution-role-arn', podRole, '--subnets', ...privateIds, '--selectors', selectors, '--tags', 'team=batch'])).fargateProfile;
  assert.equal(created.status, 'CREATING');
  assert.match(created.fargateProfileArn, /^arn:aws:eks:us-east-1:000000000000:fargateprofile\/my-cluster\/batch-profile\/[0-9a-f-]{36}$/);
  await assert.rejects(client.send(new CreateFargateProfileCommand({ clusterName: 'my-cluster', fargateProfileName: 'second', podExecutionRoleArn: podRole, selectors: [{ namespace: 'x' }] })),
    { name: 'ResourceInUseException', message: 'Cannot create Fargate Profile second because cluster my-cluster currently has Fargate profile batch-profile in status CREATING' });
  // botocore's waiter sleeps 10 s after a CREATING answer: it is run once the profile is ACTIVE.
  await until('profile ACTIVE', async () =>
    ((await client.send(new DescribeFargateProfileCommand({ clusterName: 'my-cluster', fargateProfileName: 'batch-profile' }))).fargateProfile?.status === 'ACTIVE' ? true : undefined));
  await aws(['eks', 'wait', 'fargate-profile-active', '--cluster-name', 'my-cluster', '--fargate-profile-name', 'batch-profile']);
  await refused(['--fargate-profile-name', 'batch-profile', '--pod-execution-role-arn', podRole, '--selectors', selectors], 'ResourceInUseException',
    /A Fargate Profile already exists with this name in this cluster/);
  // Without --subnets a profile takes the cluster's private subnets.
  const second = (await client.send(new CreateFargateProfileCommand({ clusterName: 'my-cluster', fargateProfileName: 'system',
    podExecutionRoleArn: podRole, selectors: [{ namespace: 'fargate-system' }] }))).fargateProfile!;
  assert.deepEqual([...second.subnets!].sort(), [...privateIds].sort());
  const listed = await client.send(new ListFargateProfilesCommand({ clusterName: 'my-cluster', maxResults: 1 }));
  assert.deepEqual(listed.fargateProfileNames, ['batch-profile']);
  const page2 = await client.send(new ListFargateProfilesCommand({ clusterName: 'my-cluster', maxResults: 1, nextToken: listed.nextToken }));
  assert.deepEqual(page2.fargateProfileNames, ['system']);
  assert.equal(page2.nextToken, undefined);
  assert.deepEqual((await client.send(new ListTagsForResourceCommand({ resourceArn: created.fargateProfileArn }))).tags, { team: 'batch' });
  const deleteCluster = await awsRun(['eks', 'delete-cluster', '--name', 'my-cluster']);
  assert.notEqual(deleteCluster.code, 0);
  assert.match(deleteCluster.stderr, /ResourceInUseException/);

  // kubectl: a matching pod runs on a Fargate node of its own.
  ok(await awsRun(['eks', 'update-kubeconfig', '--name', 'my-cluster', '--kubeconfig', kubeconfig]), 'update-kubeconfig');
  ok(await run(user, 'kubectl', ['create', 'namespace', 'fargate-tasks']), 'kubectl create namespace');
  await useToken();
  await kubectl(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata:
  name: batch
  namespace: fargate-tasks
  labels:
    compute: fargate
spec:
  containers:
  - name: app
    image: busybox
    resources:
      requests:
        cpu: 500m
        memory: 1Gi
`);
  const pending = await kubectlJson(['get', 'pod', 'batch', '-n', 'fargate-tasks']);
  assert.equal(pending.spec.schedulerName, 'fargate-scheduler');
  assert.equal(pending.metadata.labels['eks.amazonaws.com/fargate-profile'], 'batch-profile');
  const running = await until('Fargate pod Running', async () => {
    const p = await kubectlJson(['get', 'pod', 'batch', '-n', 'fargate-tasks']);
    return p.status.phase === 'Running' ? p : undefined;
  }, 30_000);
  // 1 Gi + Fargate's 256 MB overhead rounds up to .5 vCPU and 2 GB.
  assert.equal(running.metadata.annotations.CapacityProvisioned, '0.5vCPU 2GB');
  const nodeName = running.spec.nodeName as string;
  assert.match(nodeName, /^fargate-ip-192-168-\d+-\d+\.ec2\.internal$/);
  const node = await kubectlJson(['get', 'node', nodeName]);
  assert.equal(node.metadata.labels['eks.amazonaws.com/compute-type'], 'fargate');
  assert.equal(node.metadata.labels['eks.amazonaws.com/fargate-profile'], 'batch-profile');
  assert.ok(node.metadata.labels['topology.kubernetes.io/zone'].startsWith('us-east-1'));
  assert.deepEqual(node.spec.taints, [{ key: 'eks.amazonaws.com/compute-type', value: 'fargate', effect: 'NoSchedule' }]);
  const ip = node.status.addresses.find((a: { type: string }) => a.type === 'InternalIP').address as string;
  assert.equal(running.status.podIP, ip, 'a Fargate pod has its node\'s address');
  const homeSubnet = privateSubnets.find((s) => inCidr(ip, s.CidrBlock));
  assert.ok(homeSubnet, `${ip} is in a private subnet`);
  // The pod's ENI took the address from the subnet (EC2's AvailableIpAddressCount).
  const now = ((await aws(['ec2', 'describe-subnets', '--subnet-ids', homeSubnet.SubnetId])).Subnets as SubnetView[])[0];
  assert.ok(now.AvailableIpAddressCount < homeSubnet.AvailableIpAddressCount, `${now.AvailableIpAddressCount} < ${homeSubnet.AvailableIpAddressCount}`);
  assert.equal(node.status.conditions.find((c: { type: string }) => c.type === 'Ready').status, 'True');

  // A pod of the namespace without the label goes to the EC2 nodes.
  await kubectl(['run', 'plain', '-n', 'fargate-tasks', '--image', 'busybox']);
  const plain = await until('plain pod scheduled', async () => {
    const p = await kubectlJson(['get', 'pod', 'plain', '-n', 'fargate-tasks']);
    return p.spec.nodeName ? p : undefined;
  });
  assert.equal(plain.spec.schedulerName, 'default-scheduler');
  assert.doesNotMatch(plain.spec.nodeName, /^fargate-/);

  // A DaemonSet places nothing on the Fargate node.
  await kubectl(['apply', '-f', '-'], `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: busybox
`);
  const ec2Nodes = (await kubectlJson(['get', 'nodes'])).items.filter((n: { metadata: { name: string } }) => !n.metadata.name.startsWith('fargate-')).length;
  await until('DaemonSet rolled out', async () => {
    const ds = await kubectlJson(['get', 'daemonset', 'agent']);
    return ds.status.desiredNumberScheduled === ec2Nodes && ds.status.numberReady === ec2Nodes ? true : undefined;
  });
  const agents = (await kubectlJson(['get', 'pods', '-l', 'app=agent'])).items as { spec: { nodeName: string } }[];
  assert.equal(agents.length, ec2Nodes);
  assert.ok(agents.every((p) => !p.spec.nodeName.startsWith('fargate-')));

  // A privileged pod of the profile stays Pending with the fargate-scheduler's event.
  await kubectl(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata:
  name: privileged
  namespace: fargate-tasks
  labels:
    compute: fargate
spec:
  containers:
  - name: app
    image: busybox
    securityContext:
      privileged: true
`);
  const event = await until('FailedScheduling event', async () => {
    const events = (await kubectlJson(['get', 'events', '-n', 'fargate-tasks', '--field-selector', 'involvedObject.name=privileged'])).items as { reason: string; message: string; source?: { component?: string }; reportingComponent?: string }[];
    return events.find((e) => e.reason === 'FailedScheduling');
  });
  assert.equal(event.message, 'Pod not supported on Fargate: invalid SecurityContext fields: Privileged');
  assert.equal(event.source?.component ?? event.reportingComponent, 'fargate-scheduler');
  const privileged = await kubectlJson(['get', 'pod', 'privileged', '-n', 'fargate-tasks']);
  assert.equal(privileged.status.phase, 'Pending');
  assert.equal(privileged.spec.nodeName, undefined);

  // Restart: the profiles, the Fargate pod and its node are all still there.
  await ws.restart();
  const after = await aws(['eks', 'describe-fargate-profile', '--cluster-name', 'my-cluster', '--fargate-profile-name', 'batch-profile']);
  assert.equal(after.fargateProfile.status, 'ACTIVE');
  assert.deepEqual(after.fargateProfile.selectors, [{ namespace: 'fargate-tasks', labels: { compute: 'fargate' } }]);
  const again = await kubectlJson(['get', 'pod', 'batch', '-n', 'fargate-tasks']);
  assert.equal(again.spec.nodeName, nodeName);
  await until('Fargate node Ready after restart', async () => {
    const n = await kubectlJson(['get', 'node', nodeName]);
    return n.status.conditions.find((c: { type: string; status: string }) => c.type === 'Ready')?.status === 'True' ? true : undefined;
  });

  // Deleting the profile deletes its pods; their Fargate nodes go with them.
  await aws(['eks', 'delete-fargate-profile', '--cluster-name', 'my-cluster', '--fargate-profile-name', 'batch-profile']);
  await until('Fargate pod deleted', async () => ((await run(poller, 'kubectl', ['get', 'pod', 'batch', '-n', 'fargate-tasks'])).code !== 0 ? true : undefined));
  await until('Fargate node removed', async () => ((await run(poller, 'kubectl', ['get', 'node', nodeName])).code !== 0 ? true : undefined));
  const sdk = eks();
  await until('profile gone', async () => {
    try {
      await sdk.send(new DescribeFargateProfileCommand({ clusterName: 'my-cluster', fargateProfileName: 'batch-profile' }));
      return undefined;
    } catch (err) {
      return (err as Error).name === 'ResourceNotFoundException' ? true : undefined;
    }
  });
});

function inCidr(ip: string, cidr: string): boolean {
  const n = (a: string) => a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return n(ip) >= n(base) && n(ip) < n(base) + size;
}
