// The client layer over an in-process Registry on the memory store:
// - creates/s through the in-process client against the Registry's own create (same run, same
//   concurrency): the cost of the client layer;
// - an informer's initial sync of 10,000 pods (WatchList and LIST then WATCH) against a plain
//   Registry list of the same pods;
// - delivery of 5,000 updates to an informer's handlers against a raw registry watch;
// - workqueue add/get/done cycles per second.
import { Registry } from '../src/apiserver/registry/index.js';
import type { WriteOptions } from '../src/apiserver/registry/index.js';
import { builtinCatalog } from '../src/apiserver/schema/catalog.js';
import type { ResourceDef } from '../src/apiserver/schema/types.js';
import { createInProcessClient } from '../src/client/in-process.js';
import { Informer } from '../src/client/informer.js';
import { MemoryStore } from '../src/storage/drivers/memory.js';
import { RealClock } from '../src/util/clock.js';
import { WorkQueue } from '../src/util/workqueue.js';
import { pool } from './bench-util.js';

const PODS = 10_000;
const CREATES = 3_000;
const IN_FLIGHT = 32;
const UPDATES = 5_000;
const QUEUE_OPS = 200_000;

const catalog = builtinCatalog();
const podsRes = catalog.resource('', 'v1', 'pods') as ResourceDef;
const cmRes = catalog.resource('', 'v1', 'configmaps') as ResourceDef;
const user = { username: 'bench', groups: ['system:masters'] };
const w = (): WriteOptions => ({ user, dryRun: false, fieldValidation: 'Strict', warnings: [] });
const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'bench' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } });

async function fresh() {
  const store = new MemoryStore();
  const clock = new RealClock();
  const registry = new Registry({ store, catalog, clock, watchCacheSize: 20_000, watchQueueLimit: 50_000 });
  await registry.start();
  const client = createInProcessClient(registry, catalog, user, 'bench/v0');
  return { store, clock, registry, client, stop: async () => (await registry.stop(), await store.close()) };
}

/** Runs `fn` for 0..n-1 with IN_FLIGHT calls outstanding; returns the milliseconds taken. */
async function inFlight(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const indexes = Array.from({ length: n }, (_, i) => i);
  const start = performance.now();
  await pool(indexes, IN_FLIGHT, fn);
  return performance.now() - start;
}

function rate(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;
}

async function creates(): Promise<void> {
  // Alternating rounds, best of each, so warm-up and noise hit both sides alike.
  const raw: number[] = [];
  const viaClient: number[] = [];
  for (let round = 0; round < 3; round++) {
    const a = await fresh();
    raw.push(await inFlight(CREATES, (i) => a.registry.create(cmRes, 'default', cm(`c${i}`), w())));
    await a.stop();
    const b = await fresh();
    const cms = b.client.resource('', 'v1', 'configmaps');
    viaClient.push(await inFlight(CREATES, (i) => cms.create('default', cm(`c${i}`))));
    await b.stop();
  }
  const r = Math.min(...raw);
  const c = Math.min(...viaClient);
  console.log(`creates, ${IN_FLIGHT} in flight (best of 3): Registry.create ${rate(CREATES, r)}, in-process client ${rate(CREATES, c)} (${((r / c) * 100).toFixed(0)}% of the baseline)`);
}

async function initialSync(): Promise<void> {
  const e = await fresh();
  await inFlight(PODS, (i) => e.registry.create(podsRes, 'default', pod(`p${i}`), w()));
  const lists: number[] = [];
  for (let r = 0; r < 5; r++) {
    const s = performance.now();
    await e.registry.list(podsRes, undefined, {});
    lists.push(performance.now() - s);
  }
  const sync = async (useWatchList: boolean) => {
    const times: number[] = [];
    for (let r = 0; r < 5; r++) {
      const informer = new Informer({ client: e.client.resource('', 'v1', 'pods'), clock: e.clock, useWatchList });
      const s = performance.now();
      informer.start();
      await informer.waitForSync();
      times.push(performance.now() - s);
      if (informer.lister.size() !== PODS) throw new Error(`synced ${informer.lister.size()} pods`);
      await informer.stop();
    }
    return Math.min(...times);
  };
  // What WatchList costs the server side alone: a raw registry watch read to its initial-events-end bookmark.
  const streams: number[] = [];
  for (let r = 0; r < 5; r++) {
    const ac = new AbortController();
    const s = performance.now();
    for await (const ev of e.registry.watch(podsRes, undefined, { signal: ac.signal, sendInitialEvents: true, allowWatchBookmarks: true, resourceVersionMatch: 'NotOlderThan' })) if (ev.type === 'BOOKMARK') break;
    streams.push(performance.now() - s);
    ac.abort();
  }
  const base = Math.min(...lists);
  const stream = Math.min(...streams);
  const wl = await sync(true);
  const lw = await sync(false);
  console.log(
    `initial sync of ${PODS.toLocaleString('en-US')} pods (best of 5): baselines Registry.list ${base.toFixed(1)} ms, raw initial-events watch ${stream.toFixed(1)} ms; ` +
      `informer WatchList ${wl.toFixed(1)} ms (${(wl / stream).toFixed(1)}x the raw watch), LIST+WATCH ${lw.toFixed(1)} ms (${(lw / base).toFixed(1)}x the list)`,
  );
  await e.stop();
}

/** ms for UPDATES sequential updates of one object to reach a consumer set up by `ready`. */
async function deliveryRound(consumer: 'raw' | 'informer'): Promise<number> {
  const e = await fresh();
  await e.registry.create(cmRes, 'default', cm('hot'), w());
  let finished!: () => void;
  const done = new Promise<void>((r) => (finished = r));
  const ac = new AbortController();
  let informer: Informer | undefined;
  if (consumer === 'raw') {
    const list = await e.registry.list(cmRes, 'default', {});
    const rv = (list.metadata as { resourceVersion: string }).resourceVersion;
    const events = e.registry.watch(cmRes, 'default', { signal: ac.signal, resourceVersion: rv });
    void (async () => {
      let n = 0;
      for await (const ev of events) if (ev.type === 'MODIFIED' && ++n === UPDATES) finished();
    })();
  } else {
    informer = new Informer({ client: e.client.resource('', 'v1', 'configmaps'), clock: e.clock });
    let n = 0;
    informer.addEventHandler({ onUpdate: () => void (++n === UPDATES && finished()) });
    informer.start();
    await informer.waitForSync();
  }
  const s = performance.now();
  let obj = await e.registry.get(cmRes, 'default', 'hot', {});
  for (let i = 0; i < UPDATES; i++) obj = (await e.registry.update(cmRes, 'default', 'hot', { ...obj, data: { k: String(i) } }, w())).object;
  await done;
  const ms = performance.now() - s;
  ac.abort();
  await informer?.stop();
  await e.stop();
  return ms;
}

async function delivery(): Promise<void> {
  const raw: number[] = [];
  const viaInformer: number[] = [];
  for (let round = 0; round < 3; round++) {
    raw.push(await deliveryRound('raw'));
    viaInformer.push(await deliveryRound('informer'));
  }
  const r = Math.min(...raw);
  const i = Math.min(...viaInformer);
  console.log(`${UPDATES.toLocaleString('en-US')} sequential updates, writer to consumer (best of 3): a raw Registry watch ${rate(UPDATES, r)}, informer handlers ${rate(UPDATES, i)} (${((r / i) * 100).toFixed(0)}% of the baseline)`);
}

async function queue(): Promise<void> {
  const clock = new RealClock();
  // Baseline: a bare array used as a FIFO with a Set for dedup.
  let s = performance.now();
  const arr: string[] = [];
  const set = new Set<string>();
  for (let i = 0; i < QUEUE_OPS; i++) {
    const k = `k${i % 1000}`;
    if (!set.has(k)) {
      set.add(k);
      arr.push(k);
    }
    const x = arr.shift()!;
    set.delete(x);
  }
  const base = performance.now() - s;
  const q = new WorkQueue({ clock });
  s = performance.now();
  for (let i = 0; i < QUEUE_OPS; i++) {
    q.add(`k${i % 1000}`);
    const x = (await q.get())!;
    q.done(x);
  }
  const wq = performance.now() - s;
  console.log(`workqueue add/get/done: ${rate(QUEUE_OPS, wq)}; bare array+set FIFO ${rate(QUEUE_OPS, base)} (${((base / wq) * 100).toFixed(0)}% of the baseline)`);
  q.shutdown();
}

await creates();
await initialSync();
await delivery();
await queue();
