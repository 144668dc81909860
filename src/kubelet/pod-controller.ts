// The pod side of every simulated kubelet at once: ONE pod informer (indexed by spec.nodeName)
// and ONE timer wheel for all simulated nodes, a workqueue of pod keys and a few workers. For each
// pod bound to a live simulated node, the stages (stages.ts) say what happens next and when; the
// result is written through the status subresource (PUT with the cached resourceVersion; on a
// conflict the key is retried once the informer has the newer object), or the pod is deleted with
// gracePeriodSeconds 0 once its containers have stopped.
import type { Informer } from '../client/informer.js';
import { isConflict, isNotFound } from '../client/errors.js';
import { field, keyOf, resourceVersion, splitKey, uid } from '../client/objects.js';
import type { KubeClient, Obj, ResourceClient } from '../client/types.js';
import type { Clock } from '../util/clock.js';
import { WorkQueue } from '../util/workqueue.js';
import { podBehaviour } from './behaviour.js';
import { EventRecorder } from './events.js';
import { finalizeStatus, isDeleting, statusOf } from './pod-status.js';
import type { PodIpAssignment } from './pod-network.js';
import type { PodStatus } from './pod-status.js';
import { planStage } from './stages.js';
import type { PodMemory, Stage, StageContext } from './stages.js';
import type { TimerWheel } from './timer-wheel.js';

/** Named for the kubelet so it never clashes with another user's index on a shared informer. */
export const NODE_NAME_INDEX = 'kubelet:spec.nodeName';
export const nodeNameIndex = (obj: Obj): string[] => {
  const n = field(obj, 'spec', 'nodeName');
  return typeof n === 'string' && n ? [n] : [];
};

/** What the pod controller needs to know about a node it runs pods for. */
export interface PodHost {
  readonly name: string;
  readonly hostIP: string;
  /** False while the node is not heartbeating: its kubelet is gone, nothing changes. */
  readonly live: boolean;
  allocatePodIP(): PodIpAssignment;
  markPodIP(ip: string): void;
  releasePodIP(ip: string): void;
}

export interface PodControllerOptions {
  client: KubeClient;
  clock: Clock;
  informer: Informer;
  wheel: TimerWheel;
  stages: readonly Stage[];
  seed: number;
  hostFor(nodeName: string): PodHost | undefined;
  workers?: number;
  /** Record kubelet Events (Pulling, Created, Started, BackOff, Killing, ...). Default true. */
  events?: boolean;
  onError?: (err: unknown, context: string) => void;
}

interface Tracked {
  uid: string;
  rv: string;
  since: number;
  memory: PodMemory;
  podIP?: string;
  host?: string;
  sandboxGone?: boolean;
}

export class PodController {
  readonly name = 'kubelet-pods';
  private readonly pods: ResourceClient;
  private readonly queue: WorkQueue<string>;
  private readonly tracked = new Map<string, Tracked>();
  /** Keys whose write the informer has not delivered yet: key -> resourceVersion, or '' for a deletion. */
  private readonly awaitingEcho = new Map<string, string>();
  private inflight = 0;
  /** Counters for benchmarks and debugging. */
  private readonly counters = { statusWrites: 0, conflicts: 0, deletes: 0 };
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private readonly onError: (err: unknown, context: string) => void;
  private readonly recorder: EventRecorder | undefined;

  constructor(private readonly opts: PodControllerOptions) {
    this.pods = opts.client.resource('', 'v1', 'pods');
    this.queue = new WorkQueue<string>({ clock: opts.clock, name: 'kubelet-pods' });
    this.onError = opts.onError ?? ((err, context) => console.error(`kubelet: ${context}:`, err));
    this.recorder = opts.events === false ? undefined : new EventRecorder(opts.client, this.onError);
    opts.informer.addIndexers({ [NODE_NAME_INDEX]: nodeNameIndex });
    opts.informer.addEventHandler({
      onAdd: (pod) => this.observe(pod),
      onUpdate: (_old, pod) => this.observe(pod),
      onDelete: (pod) => this.forget(pod),
    });
  }

  start(): void {
    if (this.running) return;
    const workers = Math.max(1, this.opts.workers ?? 8);
    this.running = Promise.all(Array.from({ length: workers }, () => this.work())).then(() => undefined);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.queue.shutdown();
    await this.running;
  }

  /** Re-examines every pod of a node (a node just added or adopted, or whose heartbeat resumed). */
  resyncNode(nodeName: string): void {
    for (const pod of this.opts.informer.lister.byIndex(NODE_NAME_INDEX, nodeName)) this.observe(pod);
  }

  /** Forgets timers of a node's pods (the node stopped or went away). */
  pauseNode(nodeName: string): void {
    for (const pod of this.opts.informer.lister.byIndex(NODE_NAME_INDEX, nodeName)) this.opts.wheel.cancel(`pod:${keyOf(pod)}`);
  }

  /** Counters for benchmarks and debugging. */
  get stats(): { statusWrites: number; conflicts: number; deletes: number; eventWrites: number } {
    return { ...this.counters, eventWrites: this.recorder?.written ?? 0 };
  }

  /** True when nothing is queued, being written, or written but not yet seen back through the informer. */
  idle(): boolean {
    return this.queue.len() === 0 && this.inflight === 0 && this.awaitingEcho.size === 0;
  }

  private observe(pod: Obj): void {
    const key = keyOf(pod);
    const echo = this.awaitingEcho.get(key);
    if (echo !== undefined && echo !== '' && notOlder(resourceVersion(pod), echo)) this.awaitingEcho.delete(key);
    const node = field(pod, 'spec', 'nodeName');
    if (typeof node !== 'string' || !node) return;
    const host = this.opts.hostFor(node);
    if (!host) return;
    let t = this.tracked.get(key);
    if (!t || t.uid !== uid(pod)) {
      if (t) this.release(t);
      t = { uid: uid(pod), rv: '', since: 0, memory: { pulls: new Map(), starts: new Map() }, host: node };
      this.tracked.set(key, t);
    }
    const st = pod.status as PodStatus | undefined;
    if (st?.phase === 'Succeeded' || st?.phase === 'Failed') {
      // The sandbox of a finished pod is gone: its address may be reused (the status keeps showing it).
      this.release(t);
      t.sandboxGone = true;
    } else if (st?.podIP && !t.podIP && !t.sandboxGone && st.podIP !== host.hostIP) {
      t.podIP = st.podIP;
      host.markPodIP(st.podIP);
    }
    this.queue.add(key);
  }

  private forget(pod: Obj): void {
    const key = keyOf(pod);
    this.awaitingEcho.delete(key);
    this.opts.wheel.cancel(`pod:${key}`);
    const t = this.tracked.get(key);
    if (t && t.uid === uid(pod)) {
      this.recorder?.forgetPod(t.uid);
      this.release(t);
      this.tracked.delete(key);
    }
  }

  private release(t: Tracked): void {
    if (t.podIP && t.host) this.opts.hostFor(t.host)?.releasePodIP(t.podIP);
    t.podIP = undefined;
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      this.inflight++;
      try {
        await this.reconcile(key);
        this.queue.forget(key);
      } catch (err) {
        this.onError(err, `pod ${key}`);
        if (!this.abort.signal.aborted) this.queue.addRateLimited(key);
      } finally {
        this.inflight--;
        this.queue.done(key);
      }
    }
  }

  /** Plans the pod's next stage; runs it when due, else arms its timer. */
  async reconcile(key: string): Promise<void> {
    const pod = this.opts.informer.lister.getByKey(key);
    const wheelKey = `pod:${key}`;
    if (!pod) {
      this.opts.wheel.cancel(wheelKey);
      return;
    }
    const node = field(pod, 'spec', 'nodeName') as string | undefined;
    const host = node ? this.opts.hostFor(node) : undefined;
    const t = this.tracked.get(key);
    if (!host || !host.live || !t || t.uid !== uid(pod)) {
      this.opts.wheel.cancel(wheelKey);
      return;
    }
    const now = this.opts.clock.now();
    if (t.rv !== resourceVersion(pod)) {
      t.rv = resourceVersion(pod);
      t.since = now;
    }
    const ctx: StageContext = {
      pod,
      status: statusOf(pod),
      now,
      seed: this.opts.seed,
      behaviour: podBehaviour(pod),
      hostIP: host.hostIP,
      allocatePodIP: () => {
        const got = host.allocatePodIP();
        if ('ip' in got) {
          if (t.podIP) host.releasePodIP(t.podIP);
          t.podIP = got.ip;
        }
        return got;
      },
      memory: t.memory,
      events: [],
    };
    const planned = planStage(this.opts.stages, ctx, t.since);
    if (!planned || !Number.isFinite(planned.dueAt)) {
      this.opts.wheel.cancel(wheelKey);
      return;
    }
    if (planned.dueAt > now) {
      this.opts.wheel.schedule(wheelKey, planned.dueAt, () => this.queue.add(key));
      return;
    }
    this.opts.wheel.cancel(wheelKey);
    const result = planned.stage.next(ctx);
    if (result.retryAfterMs !== undefined) {
      this.opts.wheel.schedule(wheelKey, now + result.retryAfterMs, () => this.queue.add(key));
      if (ctx.events.length) await this.recorder?.record(pod, host.name, ctx.events, now);
      return;
    }
    const { namespace, name } = splitKey(key);
    if (result.delete) {
      try {
        await this.pods.delete(namespace, name, { gracePeriodSeconds: 0, preconditions: { uid: t.uid } });
        this.counters.deletes++;
        this.awaitingEcho.set(key, '');
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
      return;
    }
    if (!result.status) return;
    const status = finalizeStatus(pod, result.status, now, { terminal: isDeleting(pod) && !hasRunning(result.status) });
    try {
      const written = await this.pods.updateStatus(namespace, { ...pod, status });
      this.counters.statusWrites++;
      if (ctx.events.length) await this.recorder?.record(pod, host.name, ctx.events, now);
      if (this.opts.informer.lister.getByKey(key) && resourceVersion(this.opts.informer.lister.getByKey(key)!) !== resourceVersion(written)) {
        this.awaitingEcho.set(key, resourceVersion(written));
      }
    } catch (err) {
      if (isNotFound(err)) return;
      if (isConflict(err)) {
        this.counters.conflicts++;
        // The informer will bring the newer pod; look again then (or soon, if it already has).
        this.queue.addRateLimited(key);
        return;
      }
      throw err;
    }
  }
}

function hasRunning(status: PodStatus): boolean {
  return [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])].some((s) => s.state.running);
}

/** Whether resourceVersion `a` is at least `b` (numeric in every Kumo store; equality otherwise). */
function notOlder(a: string, b: string): boolean {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return BigInt(a) >= BigInt(b);
  return a === b;
}
