// EKS endpoint throughput: DescribeCluster calls/s through @aws-sdk/client-eks with keep-alive, the
// endpoint in its own process (as `kumo up` runs) and the SDK clients in others, beside a same-run
// baseline of the same clients against a bare node:http server in its own process that answers the
// same DescribeCluster body without any checks. The endpoint's CPU time per call (process.cpuUsage
// of its process) shows what SigV4 verification, routing, authorization and serialisation cost.
// Also: CreateCluster to ACTIVE as DescribeCluster sees it, and the EKS handler alone in-process.
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateClusterCommand, DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { startFixture } from '../test/aws/eks-fixture.js';
import { eksHandler } from '../src/aws/eks/index.js';
import { RealClock } from '../src/util/clock.js';

const SECONDS = 3;
const IN_FLIGHT = 16;
const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const vpc = { subnetIds: ['subnet-a1', 'subnet-b2'], securityGroupIds: ['sg-1'] };

type Msg = { url?: string; body?: string; cpuMicros?: number; calls?: number };

/** Answers DescribeCluster calls from `clients` SDK clients for SECONDS; resolves with calls made. */
async function load(url: string, clients: number, seconds: number): Promise<number> {
  const sdk = Array.from({ length: clients }, () => new EKSClient({ endpoint: url, region, credentials }));
  const end = Date.now() + seconds * 1000;
  let calls = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async (_, i) => {
    const c = sdk[i % clients];
    while (Date.now() < end) {
      await c.send(new DescribeClusterCommand({ name: 'bench' }));
      calls++;
    }
  }));
  sdk.forEach((c) => c.destroy());
  return calls;
}

function child(role: string, ...args: string[]): ChildProcess {
  return fork(process.argv[1], [role, ...args], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function next(c: ChildProcess): Promise<Msg> {
  return new Promise((resolve, reject) => {
    c.once('message', (m) => resolve(m as Msg));
    c.once('exit', (code) => reject(new Error(`child exited (${code})`)));
  });
}

/** Runs `procs` load processes at once against `url`; calls/s over all of them. */
async function rate(url: string, procs: number): Promise<number> {
  const kids = Array.from({ length: procs }, () => child('load', url, String(SECONDS)));
  const done = await Promise.all(kids.map(next));
  return done.reduce((s, m) => s + (m.calls ?? 0), 0) / SECONDS;
}

async function serverCpu(server: ChildProcess): Promise<number> {
  server.send('cpu');
  return (await next(server)).cpuMicros ?? 0;
}

/** Per run: calls/s and the server's CPU µs per call. */
async function measure(server: ChildProcess, url: string, procs: number): Promise<{ rate: number; cpuPerCall: number }> {
  const cpu0 = await serverCpu(server);
  const r = await rate(url, procs);
  const cpu1 = await serverCpu(server);
  return { rate: r, cpuPerCall: (cpu1 - cpu0) / (r * SECONDS) };
}

async function serveKumo(): Promise<void> {
  const f = await startFixture();
  await f.eks.send(new CreateClusterCommand({ name: 'bench', roleArn: await f.clusterRole(), resourcesVpcConfig: vpc }));
  while ((await f.eks.send(new DescribeClusterCommand({ name: 'bench' }))).cluster?.status !== 'ACTIVE') await new Promise((r) => setTimeout(r, 5));
  process.on('message', (m) => {
    if (m === 'cpu') process.send!({ cpuMicros: process.cpuUsage().user + process.cpuUsage().system });
    if (m === 'stop') void f.close().then(() => process.exit(0));
  });
  process.send!({ url: f.endpoint.url, body: JSON.stringify(f.svc.describeCluster('bench')) });
}

async function serveBare(body: string): Promise<void> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  process.on('message', (m) => {
    if (m === 'cpu') process.send!({ cpuMicros: process.cpuUsage().user + process.cpuUsage().system });
    if (m === 'stop') server.close(() => process.exit(0));
  });
  process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

async function main(): Promise<void> {
  // CreateCluster -> ACTIVE and the EKS handler alone, in this process.
  const f = await startFixture();
  const t0 = performance.now();
  await f.eks.send(new CreateClusterCommand({ name: 'bench', roleArn: await f.clusterRole(), resourcesVpcConfig: vpc }));
  while ((await f.eks.send(new DescribeClusterCommand({ name: 'bench' }))).cluster?.status !== 'ACTIVE') await new Promise((r) => setTimeout(r, 5));
  const toActive = performance.now() - t0;
  const handle = eksHandler(f.svc);
  const caller = { kind: 'root' as const, accountId: '000000000000', arn: 'arn:aws:iam::000000000000:root', userId: '000000000000', accessKeyId: 'test' };
  const ctx = { caller, requestId: 'r', region, sourceIp: '127.0.0.1', clock: new RealClock(), authorize: f.endpoint.authorize };
  const n = 20000;
  const h0 = performance.now();
  for (let i = 0; i < n; i++) await handle({ method: 'GET', rawPath: '/clusters/bench', query: {}, headers: {}, body: undefined, ctx });
  const handlerRate = n / ((performance.now() - h0) / 1000);
  // The same SDK client in this same process as the endpoint (the previous form of this benchmark).
  await load(f.endpoint.url, 1, 1);
  const inProcess = (await load(f.endpoint.url, 1, SECONDS)) / SECONDS;
  await f.close();

  const kumo = child('serve-kumo');
  const ready = await next(kumo);
  const bare = child('serve-bare', ready.body!);
  const bareUrl = (await next(bare)).url!;
  const rows: string[] = [];
  for (const procs of [1, 2, 3]) {
    const base = await measure(bare, bareUrl, procs);
    const k = await measure(kumo, ready.url!, procs);
    rows.push(`  ${procs} client process${procs > 1 ? 'es' : '  '}: kumo ${k.rate.toFixed(0).padStart(5)} calls/s (${k.cpuPerCall.toFixed(0)} µs endpoint CPU/call)` +
      `   baseline ${base.rate.toFixed(0).padStart(5)} calls/s (${base.cpuPerCall.toFixed(0)} µs server CPU/call)   ratio ${(k.rate / base.rate).toFixed(2)}`);
  }
  kumo.send('stop');
  bare.send('stop');

  console.log(`CreateCluster -> ACTIVE (default 200 ms transition): ${toActive.toFixed(0)} ms`);
  console.log(`DescribeCluster via SDK v3 with keep-alive, ${IN_FLIGHT} in flight in all, endpoint in its own process (target >= 2000 calls/s):`);
  for (const r of rows) console.log(r);
  console.log(`  SDK client in the endpoint's own process: ${inProcess.toFixed(0)} calls/s`);
  console.log(`EKS handler alone (route, authorize, describe), in-process: ${handlerRate.toFixed(0)} calls/s`);
}

const [role, arg1, arg2] = process.argv.slice(2);
if (role === 'serve-kumo') await serveKumo();
else if (role === 'serve-bare') await serveBare(arg1);
else if (role === 'load') {
  await load(arg1, 1, 1); // warm-up in this process: the SDK loads its modules on the first calls
  const calls = await load(arg1, 1, Number(arg2));
  process.send!({ calls });
  process.disconnect();
} else await main();
