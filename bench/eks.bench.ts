// EKS endpoint throughput: DescribeCluster calls/s through @aws-sdk/client-eks (keep-alive), beside a
// same-run baseline of the same SDK client against a bare HTTP server answering a fixed DescribeCluster
// body (no signature check, no routing). Also CreateCluster to ACTIVE as DescribeCluster sees it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateClusterCommand, DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { startFixture } from '../test/aws/eks-fixture.js';
import { eksHandler } from '../src/aws/eks/index.js';
import { RealClock } from '../src/util/clock.js';

const CONCURRENCY = 16;
const SECONDS = 3;

async function rate(client: EKSClient, name: string): Promise<number> {
  const end = Date.now() + SECONDS * 1000;
  let calls = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (Date.now() < end) {
      await client.send(new DescribeClusterCommand({ name }));
      calls++;
    }
  }));
  return calls / SECONDS;
}

const vpc = { subnetIds: ['subnet-a1', 'subnet-b2'], securityGroupIds: ['sg-1'] };
const f = await startFixture();
try {
  const t0 = performance.now();
  await f.eks.send(new CreateClusterCommand({ name: 'bench', roleArn: 'arn:aws:iam::000000000000:role/eks', resourcesVpcConfig: vpc }));
  while ((await f.eks.send(new DescribeClusterCommand({ name: 'bench' }))).cluster?.status !== 'ACTIVE') await new Promise((r) => setTimeout(r, 5));
  const toActive = performance.now() - t0;

  // The body Kumo itself answers, so both sides parse the same document.
  const fixed = JSON.stringify(f.svc.describeCluster('bench'));
  const raw = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end(fixed));
  });
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
  const rawClient = new EKSClient({
    endpoint: `http://127.0.0.1:${(raw.address() as AddressInfo).port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await rate(rawClient, 'bench'); // warm-up
  const baseline = await rate(rawClient, 'bench');
  await rate(f.eks, 'bench'); // warm-up
  const kumo = await rate(f.eks, 'bench');
  rawClient.destroy();

  // The EKS route table and service alone, in-process: what EKS adds to each call.
  const handle = eksHandler(f.svc);
  const caller = { kind: 'root' as const, accountId: '000000000000', arn: 'arn:aws:iam::000000000000:root', userId: '000000000000', accessKeyId: 'test' };
  const ctx = { caller, requestId: 'r', region: 'us-east-1', sourceIp: '127.0.0.1', clock: new RealClock(), authorize: f.endpoint.authorize };
  const n = 20000;
  const h0 = performance.now();
  for (let i = 0; i < n; i++) await handle({ method: 'GET', rawPath: '/clusters/bench', query: {}, headers: {}, body: undefined, ctx });
  const handlerRate = n / ((performance.now() - h0) / 1000);
  await new Promise<void>((r) => raw.close(() => r()));

  console.log(`CreateCluster -> ACTIVE (default 200 ms transition): ${toActive.toFixed(0)} ms`);
  console.log(`DescribeCluster via SDK, ${CONCURRENCY} in flight: ${kumo.toFixed(0)} calls/s`);
  console.log(`baseline (same SDK, bare HTTP server, fixed body): ${baseline.toFixed(0)} calls/s`);
  console.log(`EKS handler alone (route, authorize, describe), in-process: ${handlerRate.toFixed(0)} calls/s`);
  console.log(`ratio kumo/baseline: ${(kumo / baseline).toFixed(2)} (target >= 2000 calls/s)`);
} finally {
  await f.close();
}
