// A cluster without kubelet or scheduler for the cluster controllers' tests: a real Registry over a
// MemoryStore, the in-process client, shared informers and the controllers, all on a FakeClock.
import { Registry } from '../../src/apiserver/registry/index.js';
import type { UserInfo } from '../../src/apiserver/registry/index.js';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import { SharedInformerFactory } from '../../src/client/informer-factory.js';
import { createInProcessClient } from '../../src/client/in-process.js';
import type { KubeClient, Obj } from '../../src/client/types.js';
import { startClusterControllers } from '../../src/controllers/cluster.js';
import { MemoryStore } from '../../src/storage/drivers/memory.js';
import { FakeClock } from '../../src/util/clock.js';
import { waitFor } from '../helpers/wait.js';

export const catalog = builtinCatalog();
const ADMIN: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

interface Hooks {
  after(fn: () => unknown): void;
}

export async function startCluster(t: Hooks, opts: { only?: string[]; rootCaPem?: string } = {}) {
  const store = new MemoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const registry = new Registry({ store, catalog, clock, eventTTLMs: 0 });
  await registry.start();
  const client: KubeClient = createInProcessClient(registry, catalog, ADMIN, 'kumo-test/v0');
  const informers = new SharedInformerFactory(client, clock);
  const errors: unknown[] = [];
  const controllers = await startClusterControllers({ client, informers, clock, only: opts.only, rootCaPem: opts.rootCaPem, onError: (err) => errors.push(err) });
  t.after(async () => {
    await controllers.stop();
    await informers.stop();
    await registry.stop();
    await store.close();
  });
  return { store, clock, registry, client, informers, errors };
}

/** Polls `fn` (real time) until it returns a value other than undefined/false; fails after 15 s (a loaded machine). */
export function eventually<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, what = 'condition'): Promise<T> {
  return waitFor(what, fn, { timeoutMs: 15_000, intervalMs: 10, retryErrors: true });
}

/** Whether `fn` finds the object: false on 404 NotFound, any other error thrown. */
export async function exists(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 404) return false;
    throw err;
  }
}

export function node(name: string, zone = 'us-east-1a'): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone } },
    status: { capacity: { cpu: '2', memory: '8Gi', pods: '29' }, allocatable: { cpu: '2', memory: '8Gi', pods: '29' } },
  };
}

export function pod(name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }], ...extra },
  };
}

/** What a kubelet would do: bind the pod and report it Running with an IP, Ready or not. */
export async function runPod(client: KubeClient, clock: FakeClock, ns: string, name: string, nodeName: string, ip: string, ready: boolean): Promise<Obj> {
  const pods = client.resource('', 'v1', 'pods');
  const current = await pods.get(ns, name);
  if (!(current.spec as Record<string, unknown>).nodeName) await pods.bind(ns, name, nodeName);
  const p = structuredClone(await pods.get(ns, name)) as Obj;
  const now = new Date(clock.now()).toISOString().replace('.000Z', 'Z');
  p.status = {
    ...(p.status as Record<string, unknown>),
    phase: 'Running',
    hostIP: '10.0.0.1',
    podIP: ip,
    podIPs: [{ ip }],
    startTime: now,
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      { type: 'Initialized', status: 'True', lastTransitionTime: now },
      { type: 'ContainersReady', status: ready ? 'True' : 'False', lastTransitionTime: now },
      { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now },
    ],
  };
  return pods.updateStatus(ns, p);
}
