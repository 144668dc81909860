// Wall time from CreateCluster to the first successful `kubectl get namespaces` against `kumo up`
// (SQLite, the CLI's defaults: 200 ms CREATING delay, 2 simulated nodes), and its parts:
//   - SDK-driven: CreateCluster (@aws-sdk/client-eks), DescribeCluster every 10 ms until ACTIVE, a
//     kubeconfig written from DescribeCluster with a `k8s-aws-v1.` token presigned in-process as
//     `aws eks get-token` does, then kubectl;
//   - aws CLI: create-cluster, wait cluster-active, update-kubeconfig, kubectl (whose exec plugin
//     runs `aws eks get-token`).
// Same-run baselines: `aws --version` (the CLI's own start-up), kubectl against an ACTIVE cluster,
// and the control plane's start with fresh keys against one with pre-generated keys.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { CreateClusterCommand, DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { NodeSha256 } from '../src/aws/server/sha256.js';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startUp } from '../src/main/up.js';
import { startApiServer } from '../src/main/apiserver.js';
import { InProcessEksRuntime } from '../src/main/eks-runtime.js';
import type { Cluster } from '../src/aws/eks/index.js';
import { run, TOOLS_BIN } from '../test/helpers/apiserver.js';

const ROUNDS = 3;
const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const dir = mkdtempSync(join(tmpdir(), 'kumo-bench-create-'));
const env: NodeJS.ProcessEnv = {
  PATH: `${TOOLS_BIN}:${process.env.PATH ?? ''}`, HOME: dir, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: region,
  AWS_CONFIG_FILE: join(dir, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'), AWS_PAGER: '',
};
writeFileSync(join(dir, 'aws-config'), '');
writeFileSync(join(dir, 'aws-credentials'), '');
const ms = (t0: number) => performance.now() - t0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x: number) => `${x.toFixed(0).padStart(5)} ms`;

async function ok(cmd: string, args: string[], kubeconfig?: string): Promise<string> {
  const r = await run({ env: { ...env, ...(kubeconfig ? { KUBECONFIG: kubeconfig } : {}) } }, cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `aws eks get-token`: a presigned STS GetCallerIdentity URL over host;x-k8s-aws-id, base64url. */
async function eksToken(cluster: string): Promise<string> {
  const signer = new SignatureV4({ credentials, region, service: 'sts', sha256: NodeSha256, uriEscapePath: true, applyChecksum: false });
  const host = `sts.${region}.amazonaws.com`;
  const req = await signer.presign(
    { method: 'GET', protocol: 'https:', hostname: host, path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host, 'x-k8s-aws-id': cluster } },
    { expiresIn: 60 },
  );
  return 'k8s-aws-v1.' + Buffer.from(`https://${host}/?${new URLSearchParams(req.query as Record<string, string>)}`).toString('base64url');
}

function kubeconfigFor(path: string, c: { name?: string; endpoint?: string; certificateAuthority?: { data?: string } }, token: string): void {
  writeFileSync(path, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
    clusters: [{ name: 'c', cluster: { server: c.endpoint, 'certificate-authority-data': c.certificateAuthority?.data } }],
    users: [{ name: 'u', user: { token } }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
  }));
}

const up = await startUp({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'kumo'), storage: 'sqlite', region, enforceIam: false, clusterCreateDelayMs: 200, nodesPerCluster: 2 });
const eks = new EKSClient({ endpoint: up.url, region, credentials });
const iam = new IAMClient({ endpoint: up.url, region, credentials });
try {
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const roleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'eks-cluster-role', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
  // Two of the region's subnets (CreateCluster resolves them against the VPC model).
  const ec2 = new EC2Client({ endpoint: up.url, region, credentials });
  const resourcesVpcConfig = { subnetIds: ((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).slice(0, 2).map((s) => s.SubnetId!) };
  ec2.destroy();
  // The spare keys made at start-up are ready before the first round, as on a `kumo up` that has run a moment.
  await new Promise((r) => setTimeout(r, 1500));

  const sdk = { create: [] as number[], active: [] as number[], kubeconfig: [] as number[], kubectl: [] as number[], total: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    const name = `sdk-${i}`;
    const kubeconfig = join(dir, `${name}.kubeconfig`);
    const t0 = performance.now();
    await eks.send(new CreateClusterCommand({ name, roleArn, resourcesVpcConfig }));
    sdk.create.push(ms(t0));
    let cluster;
    for (;;) {
      cluster = (await eks.send(new DescribeClusterCommand({ name }))).cluster;
      if (cluster?.status === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const tActive = ms(t0);
    sdk.active.push(tActive);
    kubeconfigFor(kubeconfig, cluster, await eksToken(name));
    const tConfig = ms(t0);
    sdk.kubeconfig.push(tConfig - tActive);
    await ok('kubectl', ['get', 'namespaces', '-o', 'name'], kubeconfig);
    sdk.total.push(ms(t0));
    sdk.kubectl.push(ms(t0) - tConfig);
    await new Promise((r) => setTimeout(r, 1000)); // the next spare
  }

  // Baselines: kubectl alone against an ACTIVE cluster; the aws CLI's start-up.
  const kubectlAlone: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await ok('kubectl', ['get', 'namespaces', '-o', 'name'], join(dir, 'sdk-0.kubeconfig'));
    kubectlAlone.push(ms(t0));
  }
  const awsAlone: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await ok('aws', ['--version']);
    awsAlone.push(ms(t0));
  }

  // The aws CLI flow, as the EKS guide runs it.
  const cli = { create: [] as number[], wait: [] as number[], kubeconfig: [] as number[], kubectl: [] as number[], total: [] as number[] };
  for (let i = 0; i < 2; i++) {
    const name = `cli-${i}`;
    const kubeconfig = join(dir, `${name}.kubeconfig`);
    const aws = (...args: string[]) => ok('aws', ['--endpoint-url', up.url, '--output', 'json', ...args]);
    const t0 = performance.now();
    await aws('eks', 'create-cluster', '--name', name, '--role-arn', roleArn, '--resources-vpc-config', `subnetIds=${resourcesVpcConfig.subnetIds.join(',')}`);
    const t1 = ms(t0);
    await aws('eks', 'wait', 'cluster-active', '--name', name);
    const t2 = ms(t0);
    await aws('eks', 'update-kubeconfig', '--name', name, '--kubeconfig', kubeconfig);
    const t3 = ms(t0);
    await ok('kubectl', ['get', 'namespaces', '-o', 'name'], kubeconfig);
    const t4 = ms(t0);
    cli.create.push(t1);
    cli.wait.push(t2 - t1);
    cli.kubeconfig.push(t3 - t2);
    cli.kubectl.push(t4 - t3);
    cli.total.push(t4);
    await new Promise((r) => setTimeout(r, 1000));
  }

  // The control plane's own start: fresh keys (startApiServer on an empty dir) against a pre-generated spare.
  const fresh: number[] = [];
  const spared: number[] = [];
  const runtime = new InProcessEksRuntime({
    dataDir: join(dir, 'runtime'), host: '127.0.0.1', storage: 'sqlite', region, nodes: 2, oidcBase: 'https://127.0.0.1:1',
    auth: () => ({ tokenAuthenticators: [], authorizeBefore: async () => false }),
  });
  for (let i = 0; i < ROUNDS; i++) {
    let t0 = performance.now();
    const plane = await startApiServer({ port: 0, dataDir: join(dir, `fresh-${i}`), storage: 'sqlite', kubernetesVersion: '1.33', cluster: { nodes: 2 } });
    fresh.push(ms(t0));
    await plane.close();
    await new Promise((r) => setTimeout(r, 1000)); // the spare is ready
    t0 = performance.now();
    await runtime.start({ name: `spare-${i}`, arn: `arn:aws:eks:${region}:000000000000:cluster/spare-${i}`, version: '1.33' } as Cluster);
    spared.push(ms(t0));
  }
  await runtime.stopAll();

  console.log(`CreateCluster -> first successful kubectl get namespaces (median of ${ROUNDS}; kumo up: SQLite, 200 ms CREATING delay, 2 nodes)`);
  console.log(`  SDK-driven total                     ${fmt(median(sdk.total))}   (runs: ${sdk.total.map((x) => x.toFixed(0)).join(', ')} ms; target <= 1000)`);
  console.log(`    CreateCluster call                 ${fmt(median(sdk.create))}`);
  console.log(`    -> ACTIVE seen by DescribeCluster  ${fmt(median(sdk.active))}   (CREATING delay 200 ms; the control plane starts meanwhile)`);
  console.log(`    kubeconfig + token                 ${fmt(median(sdk.kubeconfig))}`);
  console.log(`    kubectl get namespaces             ${fmt(median(sdk.kubectl))}`);
  console.log(`  aws CLI total                        ${fmt(median(cli.total))}   (runs: ${cli.total.map((x) => x.toFixed(0)).join(', ')} ms)`);
  console.log(`    aws eks create-cluster             ${fmt(median(cli.create))}`);
  console.log(`    aws eks wait cluster-active        ${fmt(median(cli.wait))}`);
  console.log(`    aws eks update-kubeconfig          ${fmt(median(cli.kubeconfig))}`);
  console.log(`    kubectl (exec aws eks get-token)   ${fmt(median(cli.kubectl))}`);
  console.log(`  baseline: aws --version              ${fmt(median(awsAlone))}   (the CLI's start-up, paid by each of the 4 aws runs)`);
  console.log(`  baseline: kubectl, cluster running   ${fmt(median(kubectlAlone))}`);
  console.log(`  control-plane start, fresh keys      ${fmt(median(fresh))}   (runs: ${fresh.map((x) => x.toFixed(0)).join(', ')} ms)`);
  console.log(`  control-plane start, spare keys      ${fmt(median(spared))}   (runs: ${spared.map((x) => x.toFixed(0)).join(', ')} ms)`);
} finally {
  eks.destroy();
  iam.destroy();
  await up.close();
  rmSync(dir, { recursive: true, force: true });
}
