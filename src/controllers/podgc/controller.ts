// The pod garbage collector (pkg/controller/podgc/gc_controller.go), every 20 s of the Clock:
// - terminated pods (Succeeded or Failed) beyond --terminated-pod-gc-threshold (12500) are deleted,
//   evicted ones first, then oldest first;
// - terminating pods on a NotReady node tainted node.kubernetes.io/out-of-service are deleted;
// - pods bound to a node that no longer exists are marked Failed with the DisruptionTarget
//   condition (DeletionByPodGC) and deleted, once the node has been missing for a 40 s quarantine
//   and a fresh read confirms it is gone;
// - terminating pods that were never scheduled are deleted.
// Deletions use grace period 0; pods not yet terminal are first marked Failed.
import { isNotFound } from '../../client/errors.js';
import type { Informer } from '../../client/informer.js';
import { creationTimestamp, deletionTimestamp, field, name, namespace } from '../../client/objects.js';
import type { Obj, ResourceClient } from '../../client/types.js';
import type { WorkQueue } from '../../util/workqueue.js';
import type { ControllerDeps, WorkloadController } from '../shared/types.js';

export interface PodGCOptions {
  /** --terminated-pod-gc-threshold; 0 disables that pass. */
  terminatedPodThreshold?: number;
  /** gcCheckPeriod. */
  periodMs?: number;
  /** quarantineTime: how long a node must be missing before its pods are deleted. */
  quarantineMs?: number;
}

const KEY = 'podgc';
const OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function phase(pod: Obj): string {
  return String(field(pod, 'status', 'phase') ?? '');
}

function isTerminated(pod: Obj): boolean {
  const p = phase(pod);
  return p === 'Succeeded' || p === 'Failed';
}

function nodeNameOf(pod: Obj): string {
  const n = field(pod, 'spec', 'nodeName');
  return typeof n === 'string' ? n : '';
}

function nodeReady(node: Obj): boolean {
  const conds = field(node, 'status', 'conditions');
  return Array.isArray(conds) && conds.some((c) => c?.type === 'Ready' && c.status === 'True');
}

export class PodGCController implements WorkloadController {
  readonly name = 'pod-garbage-collector';
  readonly workers = 1;
  private readonly pods: Informer;
  private readonly nodes: Informer;
  private readonly podClient: ResourceClient;
  private readonly nodeClient: ResourceClient;
  /** Nodes seen missing, and since when (the quarantine). */
  private readonly missingSince = new Map<string, number>();
  private queue: WorkQueue<string> | undefined;
  private readonly threshold: number;
  private readonly period: number;
  private readonly quarantine: number;

  constructor(
    private readonly deps: ControllerDeps,
    opts: PodGCOptions = {},
  ) {
    this.threshold = opts.terminatedPodThreshold ?? 12_500;
    this.period = opts.periodMs ?? 20_000;
    this.quarantine = opts.quarantineMs ?? 40_000;
    this.pods = deps.informers.informerFor('', 'v1', 'pods');
    this.nodes = deps.informers.informerFor('', 'v1', 'nodes');
    this.podClient = deps.client.resource('', 'v1', 'pods');
    this.nodeClient = deps.client.resource('', 'v1', 'nodes');
  }

  bind(queue: WorkQueue<string>): void {
    this.queue = queue;
    queue.add(KEY);
  }

  /** One collection pass (the key is always "podgc"); the next follows a period later. */
  async reconcile(_key: string): Promise<void> {
    try {
      const pods = this.pods.lister.list();
      if (this.threshold > 0) await this.gcTerminated(pods);
      await this.gcTerminating(pods);
      await this.gcOrphaned(pods);
      await this.gcUnscheduledTerminating(pods);
    } finally {
      this.queue?.addAfter(KEY, this.period);
    }
  }

  private async gcTerminated(pods: Obj[]): Promise<void> {
    const terminated = pods.filter(isTerminated);
    const excess = terminated.length - this.threshold;
    if (excess <= 0) return;
    const evicted = (p: Obj) => field(p, 'status', 'reason') === 'Evicted';
    terminated.sort((a, b) => {
      if (evicted(a) !== evicted(b)) return evicted(a) ? -1 : 1;
      const ta = Date.parse(creationTimestamp(a) ?? '');
      const tb = Date.parse(creationTimestamp(b) ?? '');
      return ta !== tb ? ta - tb : `${namespace(a)}/${name(a)}`.localeCompare(`${namespace(b)}/${name(b)}`);
    });
    for (const pod of terminated.slice(0, excess)) await this.markFailedAndDelete(pod);
  }

  private async gcTerminating(pods: Obj[]): Promise<void> {
    for (const pod of pods) {
      if (!deletionTimestamp(pod) || isTerminated(pod)) continue;
      const node = this.nodes.lister.get(undefined, nodeNameOf(pod));
      if (!node || nodeReady(node)) continue;
      const taints = field(node, 'spec', 'taints');
      if (!Array.isArray(taints) || !taints.some((t) => t?.key === OUT_OF_SERVICE && t.effect === 'NoExecute')) continue;
      await this.markFailedAndDelete(pod);
    }
  }

  private async gcOrphaned(pods: Obj[]): Promise<void> {
    const now = this.deps.clock.now();
    const missing = new Set<string>();
    for (const pod of pods) {
      const n = nodeNameOf(pod);
      if (n && !this.nodes.lister.get(undefined, n)) missing.add(n);
    }
    for (const n of [...this.missingSince.keys()]) if (!missing.has(n)) this.missingSince.delete(n);
    const deleted = new Set<string>();
    for (const n of missing) {
      const since = this.missingSince.get(n);
      if (since === undefined) {
        this.missingSince.set(n, now);
        continue;
      }
      if (now - since < this.quarantine) continue;
      try {
        await this.nodeClient.get(undefined, n);
        this.missingSince.delete(n);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        deleted.add(n);
      }
    }
    if (deleted.size === 0) return;
    for (const pod of pods) {
      if (!deleted.has(nodeNameOf(pod))) continue;
      await this.markFailedAndDelete(pod, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists', lastTransitionTime: rfc3339(now) });
    }
    for (const n of deleted) this.missingSince.delete(n);
  }

  private async gcUnscheduledTerminating(pods: Obj[]): Promise<void> {
    for (const pod of pods) if (deletionTimestamp(pod) && !nodeNameOf(pod)) await this.markFailedAndDelete(pod);
  }

  private async markFailedAndDelete(pod: Obj, condition?: Record<string, unknown>): Promise<void> {
    const ns = namespace(pod);
    try {
      if (!isTerminated(pod)) {
        const status: Record<string, unknown> = { phase: 'Failed' };
        if (condition) status.conditions = [condition];
        await this.podClient.patch(ns, name(pod), 'strategic', { status }, { subresource: 'status', fieldManager: 'PodGC' });
      }
      await this.podClient.delete(ns, name(pod), { gracePeriodSeconds: 0 });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
