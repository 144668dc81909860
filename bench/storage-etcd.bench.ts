// The etcd driver against a local single-member etcd, beside the same operations done with the
// plain etcd3 client in the same run: creates/s (1 and 64 in flight), gets/s, a 10,000-key range,
// and watch delivery latency to 100 watchers.
// Run: npx tsx bench/storage-etcd.bench.ts   (or npm run bench -- storage-etcd)
import { performance } from 'node:perf_hooks';
import { Etcd3 } from 'etcd3';
import { openEtcdStore } from '../src/storage/drivers/etcd.js';
import type { Store, StoreWatch } from '../src/storage/types.js';
import { startEtcdCluster } from '../test/helpers/etcd-cluster.js';
import { throughput } from './bench-util.js';

/** A value the size of a small Kubernetes object (a ConfigMap or a Pod is 0.5-4 KiB as JSON). */
const VALUE = Buffer.alloc(1024, 'x');

/** Runs raw and driver measurements alternately `rounds` times (machine noise hits both) and keeps each one's median. */
async function alternate(rounds: number, raw: (round: number) => Promise<number>, driver: (round: number) => Promise<number>): Promise<[number, number]> {
  const r: number[] = [];
  const d: number[] = [];
  for (let i = 0; i < rounds; i++) {
    r.push(await raw(i));
    d.push(await driver(i));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return [median(d), median(r)];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function row(name: string, driver: number, raw: number, unit: string, higherIsBetter = true): void {
  const ratio = higherIsBetter ? driver / raw : raw / driver;
  console.log(`${name.padEnd(34)} driver ${fmt(driver, unit === 'ms' ? 2 : 0).padStart(9)} ${unit.padEnd(5)} raw etcd3 ${fmt(raw, unit === 'ms' ? 2 : 0).padStart(9)} ${unit.padEnd(5)} driver/raw ${fmt(ratio * 100)}%`);
}

async function watchLatency(
  watchers: number,
  writes: number,
  subscribe: (onEvent: (key: string) => void) => Promise<() => Promise<void>>,
  write: (key: string) => Promise<unknown>,
): Promise<{ p50: number; p99: number; max: number }> {
  const issued = new Map<string, number>();
  const latencies: number[] = [];
  let pending = 0;
  let drained: (() => void) | undefined;
  const onEvent = (key: string): void => {
    const t0 = issued.get(key);
    if (t0 === undefined) return;
    latencies.push(performance.now() - t0);
    if (--pending === 0) drained?.();
  };
  const stops = await Promise.all(Array.from({ length: watchers }, () => subscribe(onEvent)));
  // Paced writes (one at a time, 2 ms apart) so the figure is delivery latency, not queueing.
  for (let i = 0; i < writes; i++) {
    const key = `lat/${String(i).padStart(6, '0')}`;
    pending += watchers;
    issued.set(key, performance.now());
    await write(key);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  if (pending > 0) await new Promise<void>((resolve) => (drained = resolve));
  await Promise.all(stops.map((stop) => stop()));
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] };
}

async function main(): Promise<void> {
  const etcd = await startEtcdCluster({ size: 1 });
  const raw = new Etcd3({ hosts: etcd.endpoints, grpcOptions: { 'grpc.max_receive_message_length': -1 } });
  let store: Store | undefined;
  try {
    store = await openEtcdStore({ endpoints: etcd.endpoints, namespace: '/bench' });
    const s = store;
    const rawNs = raw.namespace('/raw');
    console.log(`etcd driver benchmark: etcd ${etcd.endpoints[0]} (single member, data on tmpfs), values ${VALUE.length} B`);

    // Warm both clients' connections.
    await throughput(500, 16, async (i) => void (await rawNs.put(`/registry/warm/${i}`).value(VALUE)));
    await throughput(500, 16, (i) => s.create(`/registry/warm/${i}`, VALUE));

    for (const inFlight of [1, 64]) {
      const n = inFlight === 1 ? 500 : 4_000;
      const [creates, rawPuts] = await alternate(
        5,
        (round) => throughput(n, inFlight, async (i) => void (await rawNs.put(`/registry/c${inFlight}/${round}/${i}`).value(VALUE))),
        (round) => throughput(n, inFlight, (i) => s.create(`/registry/c${inFlight}/${round}/${i}`, VALUE)),
      );
      row(`creates/s, ${inFlight} in flight`, creates, rawPuts, 'op/s');
      // For reading the ratio: etcd's own price of "create only if absent" (a transaction), raw client.
      const [, rawTxns] = await alternate(
        3,
        (round) =>
          throughput(n, inFlight, async (i) => {
            const key = `/registry/t${inFlight}/${round}/${i}`;
            await rawNs.if(key, 'Create', '==', 0).then(rawNs.put(key).value(VALUE)).commit();
          }),
        async () => 0,
      );
      console.log(`${''.padEnd(34)} (raw etcd3 guarded create, a txn: ${fmt(rawTxns)} op/s = ${fmt((rawTxns / rawPuts) * 100)}% of raw puts)`);
    }

    const gets = 8_000;
    const [driverGets, rawGets] = await alternate(
      3,
      () => throughput(gets, 64, (i) => rawNs.get(`/registry/c64/0/${i}`).buffer()),
      () => throughput(gets, 64, (i) => s.get(`/registry/c64/0/${i}`)),
    );
    row('gets/s, 64 in flight', driverGets, rawGets, 'op/s');

    // 10,000 keys under one prefix, listed whole.
    await throughput(10_000, 64, (i) => s.create(`/registry/range/${String(i).padStart(5, '0')}`, VALUE));
    await throughput(10_000, 64, async (i) => void (await rawNs.put(`/registry/range/${String(i).padStart(5, '0')}`).value(VALUE)));
    const timeRange = async (fn: () => Promise<number>): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const n = await fn();
        times.push(performance.now() - t0);
        if (n !== 10_000) throw new Error(`range returned ${n} keys`);
      }
      return times.sort((a, b) => a - b)[2];
    };
    const [driverRange, rawRange] = await alternate(
      3,
      () => timeRange(async () => Object.keys(await rawNs.getAll().prefix('/registry/range/').buffers()).length),
      () => timeRange(async () => (await s.range('/registry/range/')).kvs.length),
    );
    row('range of 10,000 keys (median)', driverRange, rawRange, 'ms', false);

    // Watch delivery: 100 watchers on one prefix, 300 paced writes, latency from issuing the write.
    const watchers = 100;
    const writes = 300;
    const driverLat = await watchLatency(
      watchers,
      writes,
      async (onEvent) => {
        const w: StoreWatch = s.watch('/registry/lat/', { afterRevision: 0 });
        const done = (async () => {
          for await (const ev of w) onEvent(ev.kv.key.slice('/registry/'.length));
        })();
        return async () => {
          w.close();
          await done;
        };
      },
      (key) => s.create(`/registry/${key}`, VALUE),
    );
    const rawLat = await watchLatency(
      watchers,
      writes,
      async (onEvent) => {
        const w = await rawNs.watch().prefix('/registry/lat/').withPreviousKV().create();
        w.on('put', (kv) => onEvent(kv.key.toString().slice('/registry/'.length)));
        return async () => {
          await w.cancel();
        };
      },
      async (key) => void (await rawNs.put(`/registry/${key}`).value(VALUE)),
    );
    row(`watch delivery p50, ${watchers} watchers`, driverLat.p50, rawLat.p50, 'ms', false);
    row(`watch delivery p99, ${watchers} watchers`, driverLat.p99, rawLat.p99, 'ms', false);
    console.log(`(watch max: driver ${fmt(driverLat.max, 2)} ms, raw ${fmt(rawLat.max, 2)} ms; latency counts from issuing the write, so it includes the commit)`);
  } finally {
    await store?.close();
    raw.close();
    await etcd.stop();
  }
}

await main();
