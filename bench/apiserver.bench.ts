// `kumo apiserver` end to end over HTTPS (HTTP/2, as client-go speaks it), in process on SQLite:
// creates/s with JSON and protobuf bodies, gets/s, a list of 10,000 pods as JSON and as Table,
// watch delivery p99 with 100 watchers, heap per 10,000 stored pods. The server runs in this process
// and the client (HTTP/2 over TLS with client-go's flow-control windows) in a child process of its
// own, as kubectl and controllers are. Baselines in the same run: the SQLite store's own creates/s
// with the same number of writes in flight, and the ceiling of the transport: a bare node:http2 TLS
// server in this process that parses each JSON body and answers it, driven by the same client.
// Targets (issue 3): API creates >= 40% of raw storage creates; 10,000-pod list p99 <= 300 ms;
// watch delivery p99 <= 50 ms.
import { fork, type ChildProcess } from 'node:child_process';
import { connect, createSecureServer, type ClientHttp2Session, type Http2SecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { startApiServer } from '../src/main/apiserver.js';
import { openSqliteStore } from '../src/storage/drivers/sqlite.js';
import { percentile, throughput } from './bench-util.js';

const IN_FLIGHT = 32;
const CREATES = 3000;
const GETS = 5000;
const PODS = 10_000;
const LIST_RUNS = 20;
const WATCHERS = 100;
const WATCH_EVENTS = 200;

interface Reply {
  status: number;
  body: Buffer;
}

class Client {
  constructor(
    private readonly session: ClientHttp2Session,
    private readonly token: string,
  ) {}

  request(method: string, path: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const stream = this.session.request({ ':method': method, ':path': path, authorization: `Bearer ${this.token}`, ...headers });
      const chunks: Buffer[] = [];
      let status = 0;
      stream.on('response', (h) => (status = Number(h[':status'])));
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => resolve({ status, body: Buffer.concat(chunks) }));
      stream.on('error', reject);
      stream.end(body);
    });
  }

  /** Opens a watch; `onLine` gets each event line. Returns the function that closes it. */
  watch(path: string, onLine: (line: string) => void): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const stream = this.session.request({ ':method': 'GET', ':path': path, authorization: `Bearer ${this.token}` });
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('response', () => resolve(() => stream.close()));
      stream.on('data', (c: string) => {
        buf += c;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
      stream.on('error', reject);
    });
  }
}

/** Runs `count` tasks with `IN_FLIGHT` at a time; returns tasks per second. */
function rate(count: number, task: (i: number) => Promise<void>): Promise<number> {
  return throughput(count, IN_FLIGHT, task);
}

function check(r: Reply, want: number, what: string): void {
  if (r.status !== want) throw new Error(`${what}: HTTP ${r.status}: ${r.body.toString().slice(0, 300)}`);
}

/** A ConfigMap as client-go sends it: "k8s\0" + runtime.Unknown{typeMeta, raw = the ConfigMap message}. */
function protobufConfigMap(name: string): Buffer {
  const W = protobuf.Writer;
  const meta = W.create().uint32((1 << 3) | 2).string(name).finish(); // ObjectMeta.name = 1
  const entry = W.create().uint32((1 << 3) | 2).string('k').uint32((2 << 3) | 2).string('v').finish();
  const cm = W.create().uint32((1 << 3) | 2).bytes(meta).uint32((2 << 3) | 2).bytes(entry).finish(); // metadata = 1, data = 2
  const typeMeta = W.create().uint32((1 << 3) | 2).string('v1').uint32((2 << 3) | 2).string('ConfigMap').finish();
  const unknown = W.create().uint32((1 << 3) | 2).bytes(typeMeta).uint32((2 << 3) | 2).bytes(cm).finish();
  return Buffer.concat([Buffer.from('k8s\0', 'binary'), unknown]);
}

function pod(i: number): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${String(i).padStart(5, '0')}`, labels: { app: `app-${i % 50}`, tier: 'web' } },
    spec: {
      // No scheduler by this name runs: kube-apiserver does not share its CPU with kube-scheduler, and
      // with no nodes the in-process scheduler would otherwise retry 10,000 pods during the lists.
      schedulerName: 'bench-no-scheduler',
      containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } }],
    },
  });
}

async function storageBaseline(dir: string): Promise<number> {
  const store = await openSqliteStore({ path: join(dir, 'baseline.db'), prefix: '/registry/' });
  const value = Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'bench', uid: '00000000-0000-0000-0000-000000000000' }, data: { k: 'v' } }));
  const perSecond = await rate(CREATES, async (i) => {
    await store.create(`/registry/configmaps/bench/cm-${i}`, value);
  });
  await store.close();
  return perSecond;
}

/** A bare HTTP/2 TLS server that parses each body and answers 201 with it, stamped: the transport's ceiling. */
async function startBareServer(pki: string): Promise<Http2SecureServer> {
  const server = createSecureServer({ cert: readFileSync(join(pki, 'apiserver.crt')), key: readFileSync(join(pki, 'apiserver.key')), allowHTTP1: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const obj = JSON.parse(Buffer.concat(chunks).toString()) as { metadata: Record<string, unknown> };
      obj.metadata.uid = '00000000-0000-0000-0000-000000000000';
      obj.metadata.resourceVersion = '1';
      const body = JSON.stringify(obj);
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Waits until no pod of the namespace has changed for two seconds (nothing else writes to them). */
async function settle(client: Client, namespace: string): Promise<number> {
  const r = await client.request('GET', `/api/v1/namespaces/${namespace}/pods?limit=1`);
  const rv = (JSON.parse(r.body.toString()) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  let last = performance.now();
  let events = 0;
  const close = await client.watch(`/api/v1/namespaces/${namespace}/pods?watch=true&resourceVersion=${rv}`, () => {
    events++;
    last = performance.now();
  });
  const start = performance.now();
  while (performance.now() - last < 2000 && performance.now() - start < 300_000) await new Promise((resolve) => setTimeout(resolve, 200));
  close();
  return events;
}

type FromClient = { line: [string, string] } | { ask: 'cpu' | 'heap' } | { done: true };
type ToClient = { cpu: number } | { heap: number | undefined };

function line(name: string, value: string): void {
  console.log(`${name.padEnd(58)} ${value}`);
}

/** The server side: store baseline, bare server, API server; the child process drives them. */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-apiserver-bench-'));
  const baseline = await storageBaseline(dir);
  line('baseline: SQLite store creates/s (32 in flight)', baseline.toFixed(0));
  const gc = (globalThis as { gc?: () => void }).gc;
  const server = await startApiServer({ port: 0, dataDir: join(dir, 'server'), storage: 'sqlite', kubernetesVersion: '1.33', compactionIntervalMs: 0 });
  const pki = join(dir, 'server', 'pki');
  const bare = await startBareServer(pki);
  const token = readFileSync(join(dir, 'server', 'admin-token'), 'utf8').trim();
  const bareUrl = `https://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  try {
    const child: ChildProcess = fork(process.argv[1], ['client', server.url, bareUrl, join(pki, 'ca.crt'), token, String(baseline)], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child.on('message', (m: FromClient) => {
        if ('line' in m) line(...m.line);
        else if ('ask' in m && m.ask === 'cpu') child.send({ cpu: process.cpuUsage().user + process.cpuUsage().system } satisfies ToClient);
        else if ('ask' in m && m.ask === 'heap') {
          gc?.();
          child.send({ heap: gc ? process.memoryUsage().heapUsed : undefined } satisfies ToClient);
        } else if ('done' in m) resolve();
      });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`client process exited with ${code}`))));
    });
  } finally {
    await new Promise<void>((resolve) => bare.close(() => resolve()));
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The client side, in its own process: every request and measurement of the benchmark. */
async function drive(apiUrl: string, bareUrl: string, caFile: string, token: string, baseline: number): Promise<void> {
  const say = (name: string, value: string) => process.send!({ line: [name, value] } satisfies FromClient);
  const pending: ((m: ToClient) => void)[] = [];
  process.on('message', (m: ToClient) => pending.shift()?.(m));
  const ask = (what: 'cpu' | 'heap') =>
    new Promise<ToClient>((resolve) => {
      pending.push(resolve);
      process.send!({ ask: what } satisfies FromClient);
    });
  const serverCpu = async () => ((await ask('cpu')) as { cpu: number }).cpu;
  const ca = readFileSync(caFile);

  const bareSession = connect(bareUrl, { ca });
  const bareClient = new Client(bareSession, 'token');
  const body = (i: number) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { k: 'v' } });
  await rate(500, async (i) => check(await bareClient.request('POST', '/api/v1/namespaces/json/configmaps', body(i), { 'content-type': 'application/json' }), 201, 'bare'));
  let cpu0 = await serverCpu();
  const ceiling = await rate(CREATES, async (i) => {
    check(await bareClient.request('POST', '/api/v1/namespaces/json/configmaps', body(i), { 'content-type': 'application/json' }), 201, 'bare');
  });
  const bareCpu = ((await serverCpu()) - cpu0) / CREATES;
  bareSession.close();
  say('baseline: bare HTTP/2 TLS server, JSON in and out', `${ceiling.toFixed(0)}   ${((100 * ceiling) / baseline).toFixed(0)}% of the store (the transport's ceiling; ${bareCpu.toFixed(0)} µs server CPU/request)`);

  // Flow-control windows as Go's HTTP/2 transport (client-go) sets them: 4 MiB per stream, 1 GiB per connection.
  const session = connect(apiUrl, { ca, settings: { initialWindowSize: 4 * 1024 * 1024 } });
  session.on('connect', () => session.setLocalWindowSize(1024 * 1024 * 1024));
  session.setMaxListeners(0);
  const client = new Client(session, token);
  for (const ns of ['json', 'proto', 'pods', 'watch']) {
    check(await client.request('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }), { 'content-type': 'application/json' }), 201, 'namespace');
  }
  await rate(500, async (i) => check(await client.request('POST', '/api/v1/namespaces/json/configmaps', body(100_000 + i), { 'content-type': 'application/json' }), 201, 'warm-up'));

  cpu0 = await serverCpu();
  const jsonRate = await rate(CREATES, async (i) => {
    check(await client.request('POST', '/api/v1/namespaces/json/configmaps', body(i), { 'content-type': 'application/json' }), 201, 'create');
  });
  const jsonCpu = ((await serverCpu()) - cpu0) / CREATES;
  say('API creates/s, JSON bodies (ConfigMap)', `${jsonRate.toFixed(0)}   ${((100 * jsonRate) / baseline).toFixed(0)}% of the store (target >= 40%), ${((100 * jsonRate) / ceiling).toFixed(0)}% of the transport; ${jsonCpu.toFixed(0)} µs server CPU/create`);
  cpu0 = await serverCpu();
  const protoRate = await rate(CREATES, async (i) => {
    check(await client.request('POST', '/api/v1/namespaces/proto/configmaps', protobufConfigMap(`cm-${i}`), { 'content-type': 'application/vnd.kubernetes.protobuf' }), 201, 'create pb');
  });
  const protoCpu = ((await serverCpu()) - cpu0) / CREATES;
  say('API creates/s, protobuf bodies (ConfigMap)', `${protoRate.toFixed(0)}   ${((100 * protoRate) / baseline).toFixed(0)}% of the store, ${((100 * protoRate) / ceiling).toFixed(0)}% of the transport; ${protoCpu.toFixed(0)} µs server CPU/create`);
  const getRate = await rate(GETS, async (i) => {
    check(await client.request('GET', `/api/v1/namespaces/json/configmaps/cm-${i % CREATES}`), 200, 'get');
  });
  say('API gets/s', getRate.toFixed(0));

  const heapBefore = ((await ask('heap')) as { heap?: number }).heap;
  const podRate = await rate(PODS, async (i) => {
    check(await client.request('POST', '/api/v1/namespaces/pods/pods', pod(i), { 'content-type': 'application/json' }), 201, 'create pod');
  });
  const heapAfter = ((await ask('heap')) as { heap?: number }).heap;
  say('API creates/s, JSON bodies (Pod)', podRate.toFixed(0));
  say('heap per 10,000 stored pods (server process)', heapBefore !== undefined && heapAfter !== undefined ? `${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB` : 'run with --expose-gc');

  const settleStart = performance.now();
  const statusWrites = await settle(client, 'pods');
  say('pod writes after the creates, before the lists', `${statusWrites} (settled after ${((performance.now() - settleStart) / 1000).toFixed(0)} s)`);
  for (const [name, accept] of [
    ['list 10,000 pods as JSON', 'application/json'],
    ['list 10,000 pods as Table (kubectl get)', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'],
  ] as const) {
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i < LIST_RUNS + 2; i++) {
      const t0 = performance.now();
      const r = await client.request('GET', '/api/v1/namespaces/pods/pods', undefined, { accept });
      check(r, 200, name);
      if (i >= 2) times.push(performance.now() - t0);
      size = r.body.length;
    }
    times.sort((a, b) => a - b);
    const p99 = percentile(times, 99);
    say(name, `p50 ${percentile(times, 50).toFixed(0)} ms  p99 ${p99.toFixed(0)} ms  (${(size / 1e6).toFixed(1)} MB; target p99 <= 300 ms: ${p99 <= 300 ? 'met' : 'NOT met'})`);
  }

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const closers: (() => void)[] = [];
  for (let w = 0; w < WATCHERS; w++) {
    closers.push(
      await client.watch('/api/v1/namespaces/watch/configmaps?watch=true', (l) => {
        const ev = JSON.parse(l) as { type: string; object: { metadata: { name: string } } };
        const at = sentAt.get(ev.object.metadata.name);
        if (ev.type === 'ADDED' && at !== undefined) latencies.push(performance.now() - at);
      }),
    );
  }
  for (let i = 0; i < WATCH_EVENTS; i++) {
    const name = `w-${i}`;
    sentAt.set(name, performance.now());
    check(await client.request('POST', '/api/v1/namespaces/watch/configmaps', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }), { 'content-type': 'application/json' }), 201, 'watch create');
  }
  const deadline = Date.now() + 10_000;
  while (latencies.length < WATCHERS * WATCH_EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const close of closers) close();
  latencies.sort((a, b) => a - b);
  const p99 = percentile(latencies, 99);
  say(`watch delivery, ${WATCHERS} watchers x ${WATCH_EVENTS} creates`, `p50 ${percentile(latencies, 50).toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  (${latencies.length} events; target p99 <= 50 ms: ${p99 <= 50 ? 'met' : 'NOT met'})`);
  session.close();
  process.send!({ done: true } satisfies FromClient);
  process.disconnect();
}

const [role, ...args] = process.argv.slice(2);
if (role === 'client') await drive(args[0], args[1], args[2], args[3], Number(args[4]));
else await main();
