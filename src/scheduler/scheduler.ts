// The scheduling loop (pkg/scheduler/scheduler.go, schedule_one.go, eventhandlers.go): informers
// feed the snapshot (nodes, assigned pods) and the queue (pending pods of this scheduler); each pod
// popped is scheduled by scheduleOne, assumed, and bound through pods/binding without blocking the
// next one. A failure records FailedScheduling and PodScheduled=False; preemption deletes victims
// and nominates the node.
import type { SharedInformerFactory } from '../client/informer-factory.js';
import type { KubeClient, Obj } from '../client/types.js';
import type { Clock } from '../util/clock.js';
import { labelSelectorFromObject, labelSelectorFromSet, matchesLabels } from '../util/label-selector.js';
import type { LabelSelector } from '../util/label-selector.js';
import { newEventRecorder, SCHEDULER_NAME } from './events.js';
import type { EventRecorder } from './events.js';
import { Framework } from './framework/framework.js';
import type { DisruptionBudget, QueuedPodInfo } from './framework/interfaces.js';
import { podInfoOf } from './framework/pod-info.js';
import type { PodInfo } from './framework/pod-info.js';
import { Snapshot } from './framework/snapshot.js';
import { SchedulingQueue } from './queue.js';
import { defaultPlugins, IN_TREE_PLUGINS } from './registry.js';
import { forgetPod, scheduleOne } from './schedule-one.js';

export interface SchedulerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  percentageOfNodesToScore?: number;
  /** Where failures of API calls go. Default: console.error. */
  onError?: (err: unknown, context: string) => void;
}

type Meta = { name: string; namespace?: string; labels?: Record<string, string>; deletionTimestamp?: string };
const meta = (o: Obj) => (o.metadata ?? {}) as Meta;
const spec = (o: Obj) => (o.spec ?? {}) as Record<string, any>;

function isAssigned(pod: Obj): boolean {
  return Boolean(spec(pod).nodeName);
}

/** Pods that are done hold no resources (upstream skips them in the cache). */
function isTerminal(pod: Obj): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export class Scheduler {
  readonly snapshot = new Snapshot();
  readonly framework: Framework;
  readonly queue: SchedulingQueue;
  private readonly client: KubeClient;
  private readonly informers: SharedInformerFactory;
  private readonly clock: Clock;
  private readonly recorder: EventRecorder;
  private readonly onError: (err: unknown, context: string) => void;
  /** Pods assumed on a node whose binding has not been seen yet. */
  private readonly assumed = new Map<string, string>();
  /** Pending pods nominated to a node (status.nominatedNodeName, or set by this scheduler's preemption). */
  private readonly nominated = new Map<string, Map<string, PodInfo>>();
  private readonly nominatedNodeOf = new Map<string, string>();
  private readonly inFlightBindings = new Set<Promise<void>>();
  private running: Promise<void> | undefined;
  private stopped = false;
  private podLister: { get(ns: string | undefined, name: string): Obj | undefined } | undefined;

  constructor(opts: SchedulerOptions) {
    this.client = opts.client;
    this.informers = opts.informers;
    this.clock = opts.clock;
    this.onError = opts.onError ?? ((err, context) => console.error(`scheduler: ${context}:`, err));
    this.recorder = newEventRecorder(opts.client, opts.clock, `${SCHEDULER_NAME}-kumo`, (err) => this.onError(err, 'recording an event'));
    const namespaces = this.informers.informerFor('', 'v1', 'namespaces');
    const pdbs = this.informers.informerFor('policy', 'v1', 'poddisruptionbudgets');
    const services = this.informers.informerFor('', 'v1', 'services');
    const rcs = this.informers.informerFor('', 'v1', 'replicationcontrollers');
    const rss = this.informers.informerFor('apps', 'v1', 'replicasets');
    const sss = this.informers.informerFor('apps', 'v1', 'statefulsets');
    this.framework = new Framework({
      registry: IN_TREE_PLUGINS,
      plugins: defaultPlugins(),
      snapshot: this.snapshot,
      percentageOfNodesToScore: opts.percentageOfNodesToScore,
      nominatedPods: (nodeName) => {
        const m = this.nominated.get(nodeName);
        return m ? [...m.values()] : [];
      },
      namespaceLabels: (ns) => {
        const obj = namespaces.lister.get(undefined, ns);
        return obj ? meta(obj).labels ?? {} : undefined;
      },
      namespaceNames: () => namespaces.lister.keys(),
      pdbs: () => pdbs.lister.list().map(toBudget).filter((b): b is DisruptionBudget => b !== undefined),
      defaultSpreadSelector: (pod) => defaultSelector(pod, [
        ...services.lister.list(pod.namespace).map((s) => ({ set: spec(s).selector as Record<string, string> | undefined })),
        ...rcs.lister.list(pod.namespace).map((s) => ({ set: spec(s).selector as Record<string, string> | undefined })),
        ...rss.lister.list(pod.namespace).map((s) => ({ selector: spec(s).selector })),
        ...sss.lister.list(pod.namespace).map((s) => ({ selector: spec(s).selector })),
      ]),
    });
    this.queue = new SchedulingQueue(this.clock, (a, b) => this.framework.less(a, b));
  }

  async start(): Promise<void> {
    const nodes = this.informers.informerFor('', 'v1', 'nodes');
    const pods = this.informers.informerFor('', 'v1', 'pods');
    this.podLister = pods.lister;
    const priorityClasses = this.informers.informerFor('scheduling.k8s.io', 'v1', 'priorityclasses');
    nodes.addEventHandler({
      onAdd: (n) => {
        this.snapshot.setNode(n);
        this.queue.moveAllToActiveOrBackoff();
      },
      onUpdate: (o, n) => {
        this.snapshot.setNode(n);
        // Heartbeats change only conditions: pods wait for a change that can make room (as the
        // queueing hints of the node plugins decide upstream).
        if (nodeSchedulingPropertiesChanged(o, n)) this.queue.moveAllToActiveOrBackoff();
      },
      onDelete: (n) => this.snapshot.removeNode(meta(n).name),
    });
    this.informers.start();
    await this.informers.waitForCacheSync();
    // Pods are taken in once nodes and PriorityClasses are known: the handler first gets every cached pod.
    const resolve = (p: Obj) => withPriority(p, priorityClasses.lister.list());
    pods.addEventHandler({
      onAdd: (p) => this.podChanged(undefined, resolve(p)),
      onUpdate: (o, p) => this.podChanged(o, resolve(p)),
      onDelete: (p) => this.podDeleted(p),
    });
    if (this.stopped) return;
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.close();
    await this.running;
    await Promise.allSettled([...this.inFlightBindings]);
  }

  private responsibleFor(pod: Obj): boolean {
    return (spec(pod).schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME;
  }

  private podChanged(_old: Obj | undefined, pod: Obj): void {
    const key = `${meta(pod).namespace ?? ''}/${meta(pod).name}`;
    if (isAssigned(pod)) {
      this.queue.delete(key);
      this.assumed.delete(key);
      this.nominate(key, undefined);
      if (isTerminal(pod)) this.snapshot.removePod(key);
      else this.snapshot.addPod(pod);
      return;
    }
    if (!this.responsibleFor(pod) || meta(pod).deletionTimestamp || isTerminal(pod)) {
      this.queue.delete(key);
      this.nominate(key, undefined);
      return;
    }
    if (this.assumed.has(key)) return;
    const info = podInfoOf(pod);
    this.nominate(key, info.pod.status?.nominatedNodeName || undefined, info);
    this.queue.update(info);
  }

  /** Records (or with no node, forgets) the node a pending pod is nominated to. */
  private nominate(key: string, nodeName: string | undefined, info?: PodInfo): void {
    const before = this.nominatedNodeOf.get(key);
    if (before !== undefined && before !== nodeName) {
      const m = this.nominated.get(before);
      m?.delete(key);
      if (m?.size === 0) this.nominated.delete(before);
      this.nominatedNodeOf.delete(key);
    }
    if (nodeName === undefined || !info) return;
    let m = this.nominated.get(nodeName);
    if (!m) this.nominated.set(nodeName, (m = new Map()));
    m.set(key, info);
    this.nominatedNodeOf.set(key, nodeName);
  }

  private podDeleted(pod: Obj): void {
    const key = `${meta(pod).namespace ?? ''}/${meta(pod).name}`;
    this.queue.delete(key);
    this.nominate(key, undefined);
    if (this.snapshot.nodeOfPod(key) !== undefined) {
      this.snapshot.removePod(key);
      this.assumed.delete(key);
      // A pod that went away frees room: pending pods get another try.
      this.queue.moveAllToActiveOrBackoff();
    }
  }

  private async loop(): Promise<void> {
    for (;;) {
      const qpi = await this.queue.pop();
      if (!qpi || this.stopped) return;
      try {
        this.scheduleQueued(qpi);
      } catch (err) {
        this.onError(err, `scheduling ${qpi.pod.key}`);
        this.queue.addBackoff(qpi);
      }
      // Let informer events and bindings run between pods.
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** The pod still exists (same uid) and still waits for a node: worth another attempt. */
  private stillPending(pod: PodInfo): boolean {
    const current = this.podLister?.get(pod.namespace, pod.name);
    if (!current) return false;
    const m = current.metadata as { uid?: string; deletionTimestamp?: string };
    return (m.uid ?? '') === pod.uid && !m.deletionTimestamp && !isAssigned(current);
  }

  private scheduleQueued(qpi: QueuedPodInfo): void {
    const cycle = this.queue.cycle;
    const pod = qpi.pod;
    // skipPodSchedule: deleted or bound while it waited.
    if (!this.stillPending(pod)) {
      this.queue.done(pod.key);
      return;
    }
    const out = scheduleOne(this.framework, this.snapshot, pod);
    if (out.kind === 'scheduled') {
      this.assumed.set(pod.key, out.nodeName);
      this.queue.done(pod.key);
      const p = this.bind(qpi, out.nodeName, () => forgetPod(this.framework, this.snapshot, pod, out.state, out.nodeName));
      this.inFlightBindings.add(p);
      void p.finally(() => this.inFlightBindings.delete(p));
      return;
    }
    if (out.kind === 'error') {
      // Not the pod's fault (e.g. no nodes at all): reason SchedulerError, retried after backoff.
      this.failed(qpi, out.error.message, undefined, 'SchedulerError');
      this.queue.addBackoff(qpi);
      return;
    }
    qpi.unschedulablePlugins.clear();
    for (const plugin of out.error.diagnosis.unschedulablePlugins) qpi.unschedulablePlugins.add(plugin);
    const post = out.postFilter;
    if (post?.nominatedNodeName !== undefined) this.nominate(pod.key, post.nominatedNodeName || undefined, pod);
    if (post?.victims?.length && post.nominatedNodeName) {
      for (const v of post.victims) void this.preempt(v, pod, post.nominatedNodeName);
      this.clearLowerNominations(pod, post.nominatedNodeName);
    }
    this.failed(qpi, out.error.message, post?.nominatedNodeName);
    this.queue.addUnschedulable(qpi, cycle);
  }

  /**
   * handleSchedulingFailure: a FailedScheduling event, and PodScheduled=False with the message
   * (plus nominatedNodeName) when that changes anything (updatePod skips no-op updates).
   */
  private failed(qpi: QueuedPodInfo, message: string, nominatedNodeName: string | undefined, reason: 'Unschedulable' | 'SchedulerError' = 'Unschedulable'): void {
    const pod = qpi.pod;
    void this.recorder.event(pod.obj, 'Warning', 'FailedScheduling', 'Scheduling', message);
    const current = (pod.pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled') as Record<string, unknown> | undefined;
    const nominatedChanged = nominatedNodeName !== undefined && nominatedNodeName !== (pod.pod.status?.nominatedNodeName ?? '');
    const sameCondition = current?.status === 'False' && current.reason === reason && current.message === message;
    if (sameCondition && !nominatedChanged) return;
    // lastTransitionTime moves only when the status does.
    const transition = current?.status === 'False' && typeof current.lastTransitionTime === 'string' ? current.lastTransitionTime : new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const status: Record<string, unknown> = {
      conditions: [{ type: 'PodScheduled', status: 'False', reason, message, lastProbeTime: null, lastTransitionTime: transition }],
    };
    if (nominatedChanged) status.nominatedNodeName = nominatedNodeName || null;
    this.client
      .resource('', 'v1', 'pods')
      .patch(pod.namespace, pod.name, 'strategic', { status }, { subresource: 'status' })
      .catch((err) => this.onError(err, `updating the status of ${pod.key}`));
  }

  /**
   * prepareCandidate: pods of lower priority nominated to the node lose their nomination, since
   * the preemptor takes the room made for them.
   */
  private clearLowerNominations(preemptor: PodInfo, nodeName: string): void {
    for (const p of [...(this.nominated.get(nodeName)?.values() ?? [])]) {
      if (p.key === preemptor.key || p.priority >= preemptor.priority) continue;
      this.nominate(p.key, undefined);
      this.client
        .resource('', 'v1', 'pods')
        .patch(p.namespace, p.name, 'merge', { status: { nominatedNodeName: null } }, { subresource: 'status' })
        .catch((err) => this.onError(err, `clearing the nominated node of ${p.key}`));
    }
  }

  private async preempt(victim: PodInfo, preemptor: PodInfo, nodeName: string): Promise<void> {
    try {
      await this.client.resource('', 'v1', 'pods').delete(victim.namespace, victim.name, { preconditions: victim.uid ? { uid: victim.uid } : undefined });
      await this.recorder.event(victim.obj, 'Normal', 'Preempted', 'Preempting', `Preempted by pod ${preemptor.uid} on node ${nodeName}`);
    } catch (err) {
      this.onError(err, `preempting ${victim.key}`);
    }
  }

  /** The binding cycle: pods/binding, then the Scheduled event; on failure forget and retry with backoff. */
  private async bind(qpi: QueuedPodInfo, nodeName: string, forget: () => void): Promise<void> {
    const pod = qpi.pod;
    try {
      await this.client.resource('', 'v1', 'pods').bind(pod.namespace, pod.name, nodeName, { uid: pod.uid || undefined });
      await this.recorder.event(pod.obj, 'Normal', 'Scheduled', 'Binding', `Successfully assigned ${pod.namespace}/${pod.name} to ${nodeName}`);
    } catch (err) {
      if (this.assumed.get(pod.key) === nodeName) {
        this.assumed.delete(pod.key);
        forget();
      }
      if (!this.stillPending(pod)) return;
      this.onError(err, `binding ${pod.key} to ${nodeName}`);
      this.failed(qpi, `Binding rejected: ${err instanceof Error ? err.message : String(err)}`, undefined, 'SchedulerError');
      this.queue.addBackoff(qpi);
    }
  }
}

/**
 * PriorityClass resolution is the Priority admission plugin's job upstream (it sets spec.priority
 * at creation). Kumo has no such admission yet, so the scheduler resolves a pod that arrives
 * without spec.priority: its priorityClassName's value, else the globalDefault class's, else 0.
 */
function withPriority(pod: Obj, classes: Obj[]): Obj {
  const s = spec(pod);
  if (typeof s.priority === 'number') return pod;
  const name = s.priorityClassName as string | undefined;
  const pc = name ? classes.find((c) => meta(c).name === name) : classes.find((c) => c.globalDefault === true);
  if (!pc || typeof pc.value !== 'number') return pod;
  const policy = s.preemptionPolicy ?? pc.preemptionPolicy;
  return { ...pod, spec: { ...s, priority: pc.value, ...(policy ? { preemptionPolicy: policy } : {}) } };
}

function toBudget(pdb: Obj): DisruptionBudget | undefined {
  const st = (pdb.status ?? {}) as { disruptionsAllowed?: number; disruptedPods?: Record<string, string> };
  try {
    return {
      namespace: meta(pdb).namespace ?? '',
      selector: labelSelectorFromObject(spec(pdb).selector),
      disruptionsAllowed: st.disruptionsAllowed ?? 0,
      disruptedPods: new Set(Object.keys(st.disruptedPods ?? {})),
    };
  } catch {
    return undefined;
  }
}

/**
 * helper.DefaultSelector: the requirements of every Service/ReplicationController selector (a label
 * set) and ReplicaSet/StatefulSet selector that selects the pod, merged into one selector.
 */
function defaultSelector(pod: PodInfo, owners: { set?: Record<string, string>; selector?: unknown }[]): LabelSelector | undefined {
  const reqs = [];
  for (const o of owners) {
    let sel: LabelSelector;
    try {
      sel = o.set ? labelSelectorFromSet(o.set) : labelSelectorFromObject(o.selector);
    } catch {
      continue;
    }
    if (sel.nothing || sel.requirements.length === 0) continue;
    if (!matchesLabels(sel, pod.labels)) continue;
    reqs.push(...sel.requirements);
  }
  return reqs.length ? { requirements: reqs } : undefined;
}

/** Node changes that can make a pending pod fit: allocatable, labels, taints, spec.unschedulable. */
function nodeSchedulingPropertiesChanged(a: Obj, b: Obj): boolean {
  const pick = (n: Obj) => JSON.stringify([(n.status as { allocatable?: unknown } | undefined)?.allocatable, meta(n).labels, spec(n).taints, spec(n).unschedulable]);
  return pick(a) !== pick(b);
}
