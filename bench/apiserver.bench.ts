// `kumo apiserver` end to end over HTTPS (HTTP/2, as client-go speaks it), in process on SQLite:
// creates/s with JSON and protobuf bodies, gets/s, a list of 10,000 pods as JSON and as Table,
// watch delivery p99 with 100 watchers, heap per 10,000 stored pods. Baselines in the same run: the
// SQLite store's own creates/s with the same number of writes in flight, and the ceiling of the
// transport: a bare node:http2 TLS server that parses each JSON body and answers it, driven by the
// same client (no API server can answer faster over this transport in this process).
// Targets (issue 3): API creates >= 40% of raw storage creates; 10,000-pod list p99 <= 300 ms;
// watch delivery p99 <= 50 ms.
import { connect, createSecureServer, type ClientHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { startApiServer } from '../src/main/apiserver.js';
import { openSqliteStore } from '../src/storage/drivers/sqlite.js';

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

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
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
async function rate(count: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return count / ((performance.now() - t0) / 1000);
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

/** Creates/s against a bare HTTP/2 TLS server that parses the body and answers 201 with it, stamped. */
async function transportCeiling(dir: string): Promise<number> {
  const pki = join(dir, 'server', 'pki');
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
  const session = connect(`https://127.0.0.1:${(server.address() as AddressInfo).port}`, { ca: readFileSync(join(pki, 'ca.crt')) });
  const client = new Client(session, 'token');
  const body = (i: number) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { k: 'v' } });
  await rate(500, async (i) => check(await client.request('POST', '/api/v1/namespaces/json/configmaps', body(i), { 'content-type': 'application/json' }), 201, 'bare'));
  const perSecond = await rate(CREATES, async (i) => {
    check(await client.request('POST', '/api/v1/namespaces/json/configmaps', body(i), { 'content-type': 'application/json' }), 201, 'bare');
  });
  session.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return perSecond;
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

function line(name: string, value: string): void {
  console.log(`${name.padEnd(58)} ${value}`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-apiserver-bench-'));
  const baseline = await storageBaseline(dir);
  line('baseline: SQLite store creates/s (32 in flight)', baseline.toFixed(0));

  const gc = (globalThis as { gc?: () => void }).gc;
  const server = await startApiServer({ port: 0, dataDir: join(dir, 'server'), storage: 'sqlite', kubernetesVersion: '1.33', compactionIntervalMs: 0 });
  // Flow-control windows as Go's HTTP/2 transport (client-go) sets them: 4 MiB per stream, 1 GiB per connection.
  const session = connect(server.url, { ca: readFileSync(join(dir, 'server', 'pki', 'ca.crt')), settings: { initialWindowSize: 4 * 1024 * 1024 } });
  session.on('connect', () => session.setLocalWindowSize(1024 * 1024 * 1024));
  session.setMaxListeners(0);
  const client = new Client(session, readFileSync(join(dir, 'server', 'admin-token'), 'utf8').trim());
  try {
    const ceiling = await transportCeiling(dir);
    line('baseline: bare HTTP/2 TLS server, JSON in and out', `${ceiling.toFixed(0)}   ${((100 * ceiling) / baseline).toFixed(0)}% of the store (the transport's ceiling)`);
    for (const ns of ['json', 'proto', 'pods', 'watch']) {
      check(await client.request('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }), { 'content-type': 'application/json' }), 201, 'namespace');
    }

    const jsonRate = await rate(CREATES, async (i) => {
      const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { k: 'v' } });
      check(await client.request('POST', '/api/v1/namespaces/json/configmaps', body, { 'content-type': 'application/json' }), 201, 'create');
    });
    line('API creates/s, JSON bodies (ConfigMap)', `${jsonRate.toFixed(0)}   ${((100 * jsonRate) / baseline).toFixed(0)}% of the store (target >= 40%), ${((100 * jsonRate) / ceiling).toFixed(0)}% of the transport`);
    const protoRate = await rate(CREATES, async (i) => {
      check(await client.request('POST', '/api/v1/namespaces/proto/configmaps', protobufConfigMap(`cm-${i}`), { 'content-type': 'application/vnd.kubernetes.protobuf' }), 201, 'create pb');
    });
    line('API creates/s, protobuf bodies (ConfigMap)', `${protoRate.toFixed(0)}   ${((100 * protoRate) / baseline).toFixed(0)}% of the store, ${((100 * protoRate) / ceiling).toFixed(0)}% of the transport`);
    const getRate = await rate(GETS, async (i) => {
      check(await client.request('GET', `/api/v1/namespaces/json/configmaps/cm-${i % CREATES}`), 200, 'get');
    });
    line('API gets/s', getRate.toFixed(0));

    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const podRate = await rate(PODS, async (i) => {
      check(await client.request('POST', '/api/v1/namespaces/pods/pods', pod(i), { 'content-type': 'application/json' }), 201, 'create pod');
    });
    gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    line('API creates/s, JSON bodies (Pod)', podRate.toFixed(0));
    line('heap per 10,000 stored pods (server in process)', gc ? `${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB` : 'run with --expose-gc');

    const settleStart = performance.now();
    const statusWrites = await settle(client, 'pods');
    line('pod writes after the creates, before the lists', `${statusWrites} (settled after ${((performance.now() - settleStart) / 1000).toFixed(0)} s)`);
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
      line(name, `p50 ${percentile(times, 50).toFixed(0)} ms  p99 ${p99.toFixed(0)} ms  (${(size / 1e6).toFixed(1)} MB; target p99 <= 300 ms: ${p99 <= 300 ? 'met' : 'NOT met'})`);
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
    line(`watch delivery, ${WATCHERS} watchers x ${WATCH_EVENTS} creates`, `p50 ${percentile(latencies, 50).toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  (${latencies.length} events; target p99 <= 50 ms: ${p99 <= 50 ? 'met' : 'NOT met'})`);
  } finally {
    session.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
