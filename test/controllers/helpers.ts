// Test fixtures for the workload controllers: a real Registry over a MemoryStore, the in-process
// client, shared informers, the controllers, and a tiny stand-in "kubelet" (tests only) that binds
// pods to nodes, reports them Running and Ready (or finished), and completes graceful deletions.
import { Registry } from '../../src/apiserver/registry/index.js';
import type { UserInfo } from '../../src/apiserver/registry/index.js';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import { runController } from '../../src/client/controller.js';
import { isConflict, isNotFound } from '../../src/client/errors.js';
import { createInProcessClient } from '../../src/client/in-process.js';
import { SharedInformerFactory } from '../../src/client/informer-factory.js';
import { clone, deletionTimestamp, field, keyOf, name, namespace, uid } from '../../src/client/objects.js';
import type { KubeClient, Obj, ResourceClient } from '../../src/client/types.js';
import { startWorkloadControllers } from '../../src/controllers/index.js';
import { MemoryStore } from '../../src/storage/drivers/memory.js';
import { FakeClock, RealClock } from '../../src/util/clock.js';
import type { Clock } from '../../src/util/clock.js';
import { WorkQueue } from '../../src/util/workqueue.js';
import { waitFor } from '../helpers/wait.js';

const catalog = builtinCatalog();
const ADMIN: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

interface Hooks {
  after(fn: () => unknown): void;
}

export type Outcome = 'ready' | 'running' | 'hold' | 'succeed' | { fail: number; reason?: string };

export interface ClusterOptions {
  /** Use a FakeClock (time moves only with advance()); default the real clock. */
  fakeClock?: boolean;
  nodes?: string[];
  /** What the stand-in kubelet does with a bound pod; default: Job pods succeed, others get Ready. */
  outcome?: (pod: Obj) => Outcome;
  /** Controllers to run by name; all when undefined. */
  only?: string[];
}

export interface Cluster {
  client: KubeClient;
  clock: Clock;
  fake?: FakeClock;
  kubelet: TestKubelet;
  res(group: string, version: string, resource: string): ResourceClient;
  pods: ResourceClient;
}

export async function startCluster(t: Hooks, opts: ClusterOptions = {}): Promise<Cluster> {
  const fake = opts.fakeClock ? new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0)) : undefined;
  const clock: Clock = fake ?? new RealClock();
  const store = new MemoryStore();
  const registry = new Registry({ store, catalog, clock });
  await registry.start();
  const client = createInProcessClient(registry, catalog, ADMIN, 'kumo-controllers-test/v0');
  const informers = new SharedInformerFactory(client, clock);
  const nodes = opts.nodes ?? ['node-a', 'node-b', 'node-c'];
  for (const n of nodes) await createNode(client, n);
  const kubelet = new TestKubelet(client, clock, nodes, opts.outcome);
  const controllers = await startWorkloadControllers({ client, informers, clock, only: opts.only });
  await kubelet.start();
  t.after(async () => {
    await kubelet.stop();
    await controllers.stop();
    await informers.stop();
    await registry.stop();
    await store.close();
  });
  return { client, clock, fake, kubelet, res: (g, v, r) => client.resource(g, v, r), pods: client.resource('', 'v1', 'pods') };
}

export async function createNode(client: KubeClient, nodeName: string, extra: { labels?: Record<string, string>; taints?: Obj[]; unschedulable?: boolean } = {}): Promise<Obj> {
  const node: Obj = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: nodeName, labels: { 'kubernetes.io/hostname': nodeName, 'kubernetes.io/os': 'linux', ...(extra.labels ?? {}) } },
    spec: { ...(extra.taints ? { taints: extra.taints } : {}), ...(extra.unschedulable ? { unschedulable: true } : {}) },
  };
  const created = await client.resource('', 'v1', 'nodes').create(undefined, node);
  const ready = clone(created);
  ready.status = {
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    capacity: { cpu: '2', memory: '8Gi', pods: '29' },
    allocatable: { cpu: '2', memory: '8Gi', pods: '29' },
  };
  return client.resource('', 'v1', 'nodes').updateStatus(undefined, ready);
}

/** Waits (in real time) until `cond` holds; with `clock`, fake time moves 10 ms per poll. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, opts: { timeoutMs?: number; clock?: FakeClock } = {}): Promise<void> {
  const clock = opts.clock;
  await waitFor(what, cond, { timeoutMs: opts.timeoutMs, between: clock && (() => clock.advance(10)) });
}

const rfc = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

function defaultOutcome(pod: Obj): Outcome {
  const rp = field(pod, 'spec', 'restartPolicy');
  return rp === 'Never' || rp === 'OnFailure' ? 'succeed' : 'ready';
}

/** The node a DaemonSet pod pins itself to through nodeAffinity matchFields metadata.name. */
function pinnedNode(pod: Obj): string | undefined {
  const terms = field(pod, 'spec', 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms');
  if (!Array.isArray(terms)) return undefined;
  for (const t of terms) for (const f of (t?.matchFields ?? []) as Obj[]) if (f.key === 'metadata.name' && Array.isArray(f.values)) return String(f.values[0]);
  return undefined;
}

/**
 * A stand-in for scheduler + kubelet, for these tests only: binds each new pod (round robin, or
 * to its pinned node), then writes the status its outcome asks for, and deletes pods whose
 * graceful deletion started (grace period 0), as a kubelet does once containers stopped.
 */
export class TestKubelet {
  private readonly queue = new WorkQueue<string>({ clock: new RealClock() });
  private readonly ac = new AbortController();
  private readonly pods: ResourceClient;
  private next = 0;
  private running: Promise<void> | undefined;
  private readonly seen = new Map<string, Obj>();
  paused = false;
  outcome: (pod: Obj) => Outcome;

  constructor(
    private readonly client: KubeClient,
    private readonly clock: Clock,
    private readonly nodes: string[],
    outcome?: (pod: Obj) => Outcome,
  ) {
    this.pods = client.resource('', 'v1', 'pods');
    this.outcome = outcome ?? defaultOutcome;
  }

  async start(): Promise<void> {
    const informer = new SharedInformerFactory(this.client, new RealClock()).informerFor('', 'v1', 'pods');
    informer.addEventHandler({
      onAdd: (p) => {
        this.seen.set(keyOf(p), p);
        this.queue.add(keyOf(p));
      },
      onUpdate: (_o, p) => {
        this.seen.set(keyOf(p), p);
        this.queue.add(keyOf(p));
      },
      onDelete: (p) => this.seen.delete(keyOf(p)),
    });
    informer.start();
    await informer.waitForSync();
    this.running = runController({ name: 'test-kubelet', reconcile: (k) => this.reconcile(k) }, this.queue, 2, this.ac.signal, {
      onError: (err) => {
        if (!isConflict(err) && !isNotFound(err)) console.error('test kubelet:', err);
      },
    });
    this.stopInformer = () => informer.stop();
  }

  private stopInformer: () => Promise<void> = async () => {};

  async stop(): Promise<void> {
    this.ac.abort();
    await this.running;
    await this.stopInformer();
  }

  /** Re-examines every known pod (after changing `paused` or `outcome`). */
  poke(): void {
    for (const k of this.seen.keys()) this.queue.add(k);
  }

  private async reconcile(key: string): Promise<void> {
    if (this.paused) return;
    const pod = this.seen.get(key);
    if (!pod) return;
    const ns = namespace(pod);
    if (deletionTimestamp(pod)) {
      await this.pods.delete(ns, name(pod), { gracePeriodSeconds: 0, preconditions: { uid: uid(pod) } });
      return;
    }
    const phase = field(pod, 'status', 'phase');
    if (phase === 'Succeeded' || phase === 'Failed') return;
    if (!field(pod, 'spec', 'nodeName')) {
      const node = pinnedNode(pod) ?? this.nodes[this.next++ % this.nodes.length];
      await this.pods.bind(ns, name(pod), node, { uid: uid(pod) });
      return;
    }
    const outcome = this.outcome(pod);
    if (outcome === 'hold') return;
    const status = this.statusFor(pod, outcome);
    if (status === undefined) return;
    const next = clone(pod);
    next.status = status;
    await this.pods.updateStatus(undefined, next);
  }

  private statusFor(pod: Obj, outcome: Outcome): Obj | undefined {
    const now = rfc(this.clock.now());
    const old = (pod.status ?? {}) as Obj;
    const containers = ((field(pod, 'spec', 'containers') as Obj[]) ?? []).map((c) => String(c.name));
    const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now };
    const base = { hostIP: '10.0.0.1', podIP: `10.1.${this.next % 250}.${(this.next++ % 250) + 1}`, startTime: old.startTime ?? now };
    const cond = (type: string, s: boolean) => ({ type, status: s ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now });
    if (outcome === 'ready' || outcome === 'running') {
      const ready = outcome === 'ready';
      if (old.phase === 'Running' && ((old.conditions as Obj[]) ?? []).some((c) => c.type === 'Ready' && c.status === (ready ? 'True' : 'False'))) return undefined;
      return {
        ...base,
        phase: 'Running',
        conditions: [cond('Initialized', true), cond('ContainersReady', ready), cond('Ready', ready), scheduled],
        containerStatuses: containers.map((n) => ({ name: n, ready, restartCount: 0, started: true, image: 'x', imageID: 'x', state: { running: { startedAt: now } } })),
      };
    }
    if (outcome === 'hold') return undefined;
    const exitCode = outcome === 'succeed' ? 0 : outcome.fail;
    const reason = outcome === 'succeed' ? 'Completed' : (outcome.reason ?? 'Error');
    return {
      ...base,
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      conditions: [cond('Initialized', true), cond('ContainersReady', false), cond('Ready', false), scheduled],
      containerStatuses: containers.map((n) => ({ name: n, ready: false, restartCount: 0, started: false, image: 'x', imageID: 'x', state: { terminated: { exitCode, reason, startedAt: now, finishedAt: now } } })),
    };
  }
}

export function deploymentManifest(nm: string, replicas: number, image = 'nginx:1.25', extra: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: nm, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: nm } }, template: { metadata: { labels: { app: nm } }, spec: { containers: [{ name: 'web', image }] } }, ...extra },
  };
}
