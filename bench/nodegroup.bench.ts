// Managed node groups through the EKS endpoint of an in-process `kumo up` (memory storage):
//  1. a 1,000-node group (m5.large) from CreateNodegroup to every node Ready, wall seconds, beside a
//     same-run baseline: NodeSimulator.addNodes of 1,000 nodes straight into a bare control plane;
//  2. UpdateNodegroupVersion of a 100-node group (m5.xlarge, maxUnavailable 10) running 3,000 pods,
//     simulated minutes (node-group clock, --node-time-scale) and wall seconds, beside a baseline of
//     the same node churn without draining (addNodes 100 + removeNode 100 on a bare control plane).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateClusterCommand, CreateNodegroupCommand, DeleteNodegroupCommand, DescribeClusterCommand, DescribeNodegroupCommand, DescribeUpdateCommand, EKSClient, UpdateNodegroupVersionCommand } from '@aws-sdk/client-eks';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { clientOptionsFromKubeconfigFile, createHttpClient } from '../src/client/index.js';
import { startApiServer } from '../src/main/apiserver.js';
import { startUp } from '../src/main/up.js';

const NODES = 1000;
const UPDATE_NODES = 100;
const PODS = 3000;
const TIME_SCALE = 600;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number) => (ms / 1000).toFixed(1);

async function baseline(dir: string): Promise<{ add1000: number; churn100: number }> {
  const plane = await startApiServer({ port: 0, dataDir: join(dir, 'baseline'), storage: 'memory', kubernetesVersion: '1.32' });
  try {
    let t = performance.now();
    await plane.simulator.addNodes({ count: NODES, instanceType: 'm5.large' });
    const add1000 = performance.now() - t;
    for (const n of plane.simulator.nodeNames()) await plane.simulator.removeNode(n);
    t = performance.now();
    const names = await plane.simulator.addNodes({ count: UPDATE_NODES, instanceType: 'm5.xlarge' });
    for (const n of names) await plane.simulator.removeNode(n);
    return { add1000, churn100: performance.now() - t };
  } finally {
    await plane.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'kumo-bench-ng-'));
try {
  const base = await baseline(dir);
  const up = await startUp({
    port: 0, host: '127.0.0.1', dataDir: join(dir, 'up'), storage: 'memory', region: 'us-east-1', enforceIam: false,
    clusterCreateDelayMs: 0, nodesPerCluster: 0, nodeTimeScale: TIME_SCALE,
  });
  const config = { endpoint: up.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const eks = new EKSClient(config);
  const ec2 = new EC2Client(config);
  try {
    const subnets = ((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).map((s) => s.SubnetId!);
    const iam = new IAMClient(config);
    const role = async (name: string, service: string) => (await iam.send(new CreateRoleCommand({
      RoleName: name, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] }),
    }))).Role!.Arn!;
    const roleArn = await role('eks', 'eks.amazonaws.com');
    const nodeRole = await role('node', 'ec2.amazonaws.com');
    iam.destroy();
    // One cluster per measurement, so the 1,000 nodes of the first do not weigh on the second.
    for (const name of ['bench', 'upd']) await eks.send(new CreateClusterCommand({ name, roleArn, version: '1.32', resourcesVpcConfig: { subnetIds: subnets } }));
    for (const name of ['bench', 'upd']) while ((await eks.send(new DescribeClusterCommand({ name }))).cluster?.status !== 'ACTIVE') await sleep(20);
    const waitActive = async (clusterName: string, name: string) => {
      while ((await eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName: name }))).nodegroup?.status !== 'ACTIVE') await sleep(20);
    };

    // 1. A 1,000-node group to ACTIVE (ACTIVE means every node is Ready).
    let t = performance.now();
    await eks.send(new CreateNodegroupCommand({
      clusterName: 'bench', nodegroupName: 'big', nodeRole, subnets: subnets.slice(3),
      instanceTypes: ['m5.large'], scalingConfig: { minSize: NODES, maxSize: NODES, desiredSize: NODES },
    }));
    await waitActive('bench', 'big');
    const create1000 = performance.now() - t;
    console.log(`CreateNodegroup of ${NODES} nodes to ACTIVE (all Ready): ${secs(create1000)} s wall; baseline NodeSimulator.addNodes(${NODES}): ${secs(base.add1000)} s (x${(create1000 / base.add1000).toFixed(2)})`);

    // 2. A 100-node group, one minor behind, running 3,000 pods; then its version update.
    await eks.send(new DeleteNodegroupCommand({ clusterName: 'bench', nodegroupName: 'big' }));
    await eks.send(new CreateNodegroupCommand({
      clusterName: 'upd', nodegroupName: 'upd', nodeRole, subnets: subnets.slice(3), version: '1.31',
      instanceTypes: ['m5.xlarge'], scalingConfig: { minSize: UPDATE_NODES, maxSize: UPDATE_NODES * 2, desiredSize: UPDATE_NODES },
      updateConfig: { maxUnavailable: 10 }, taints: [{ key: 'pool', value: 'upd', effect: 'NO_SCHEDULE' }], labels: { pool: 'upd' },
    }));
    await waitActive('upd', 'upd');
    const kube = createHttpClient(clientOptionsFromKubeconfigFile(join(dir, 'up', 'clusters', 'upd', 'kubeconfig')));
    await kube.resource('apps', 'v1', 'deployments').create('default', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'load' },
      spec: {
        replicas: PODS, selector: { matchLabels: { app: 'load' } },
        template: {
          metadata: { labels: { app: 'load' } },
          spec: {
            nodeSelector: { pool: 'upd' }, tolerations: [{ key: 'pool', operator: 'Equal', value: 'upd', effect: 'NoSchedule' }],
            containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
          },
        },
      },
    });
    const running = async () => (await kube.resource('', 'v1', 'pods').list('default', { labelSelector: 'app=load', fieldSelector: 'status.phase=Running' })).items.length;
    for (let n = 0, last = -1; n < PODS; n = await running()) {
      if (n !== last) process.stderr.write(`  ${n}/${PODS} pods Running\n`);
      last = n;
      await sleep(1000);
    }
    const simStart = Date.now();
    t = performance.now();
    const { update } = await eks.send(new UpdateNodegroupVersionCommand({ clusterName: 'upd', nodegroupName: 'upd', version: '1.32' }));
    let status = 'InProgress';
    while (status === 'InProgress') {
      await sleep(200);
      status = (await eks.send(new DescribeUpdateCommand({ name: 'upd', nodegroupName: 'upd', updateId: update!.id! }))).update?.status ?? 'Failed';
    }
    const updateWall = performance.now() - t;
    const simulatedMinutes = ((Date.now() - simStart) * TIME_SCALE) / 60_000;
    console.log(`UpdateNodegroupVersion of ${UPDATE_NODES} nodes with ${PODS} pods (maxUnavailable 10, --node-time-scale ${TIME_SCALE}): ${status}, ` +
      `${simulatedMinutes.toFixed(0)} simulated min, ${secs(updateWall)} s wall; baseline addNodes+removeNode of ${UPDATE_NODES}: ${secs(base.churn100)} s`);
  } finally {
    eks.destroy();
    ec2.destroy();
    await up.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
