// The scheduling queue (pkg/scheduler/backend/queue/scheduling_queue.go): activeQ ordered by the
// QueueSort plugin, backoffQ for pods that failed recently (1 s doubling to 10 s per pod), and the
// unschedulable pods, which go back on cluster events or after 5 minutes at most.
import type { Clock, Timer } from '../util/clock.js';
import type { QueuedPodInfo } from './framework/interfaces.js';
import type { PodInfo } from './framework/pod-info.js';

export const INITIAL_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 10_000;
/** podMaxInUnschedulablePodsDuration */
export const MAX_UNSCHEDULABLE_MS = 5 * 60_000;

export class SchedulingQueue {
  private active: QueuedPodInfo[] = [];
  private readonly activeKeys = new Set<string>();
  private readonly backoff = new Map<string, { qpi: QueuedPodInfo; timer: Timer }>();
  private readonly unschedulable = new Map<string, { qpi: QueuedPodInfo; timer: Timer }>();
  /** Pods handed out by pop() and not yet done. */
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private waiters: ((q: QueuedPodInfo | undefined) => void)[] = [];
  private closed = false;
  private schedulingCycle = 0;
  /** The cycle in which the last cluster event asked to move pods (moveRequestCycle). */
  private moveRequestCycle = -1;

  constructor(
    private readonly clock: Clock,
    private readonly less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean,
  ) {}

  /** A new pending pod. */
  add(pod: PodInfo): void {
    const now = this.clock.now();
    this.pushActive({ pod, timestamp: now, attempts: 0, initialAttemptTimestamp: now, unschedulablePlugins: new Set() });
  }

  /**
   * A pending pod changed: keep its place and take the new object. An unschedulable pod gets
   * another try only when more than its status changed (isPodUpdated), so the scheduler's own
   * condition updates do not requeue it.
   */
  update(pod: PodInfo): void {
    const key = pod.key;
    const inActive = this.activeKeys.has(key) ? this.active.find((q) => q.pod.key === key) : undefined;
    if (inActive) {
      inActive.pod = pod;
      this.heapify();
      return;
    }
    const b = this.backoff.get(key);
    if (b) {
      b.qpi.pod = pod;
      return;
    }
    const u = this.unschedulable.get(key);
    if (u) {
      const changed = specChanged(u.qpi.pod, pod);
      u.qpi.pod = pod;
      if (!changed) return;
      this.unschedulable.delete(key);
      u.timer.cancel();
      this.requeue(u.qpi);
      return;
    }
    const f = this.inFlight.get(key);
    if (f) {
      f.pod = pod;
      return;
    }
    this.add(pod);
  }

  delete(key: string): void {
    if (this.activeKeys.has(key)) {
      this.active = this.active.filter((q) => q.pod.key !== key);
      this.activeKeys.delete(key);
      this.heapify();
    }
    const b = this.backoff.get(key);
    if (b) {
      b.timer.cancel();
      this.backoff.delete(key);
    }
    const u = this.unschedulable.get(key);
    if (u) {
      u.timer.cancel();
      this.unschedulable.delete(key);
    }
  }

  has(key: string): boolean {
    return this.activeKeys.has(key) || this.backoff.has(key) || this.unschedulable.has(key) || this.inFlight.has(key);
  }

  /** The next pod to schedule; waits while activeQ is empty; undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const q = this.shift();
    if (q) return Promise.resolve(q);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The scheduling attempt of this pod is over. */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * AddUnschedulableIfNotPresent: after a failed attempt. When a cluster event arrived during the
   * attempt the pod goes to backoffQ at once, else it waits among the unschedulable pods.
   */
  addUnschedulable(qpi: QueuedPodInfo, cycle: number): void {
    this.inFlight.delete(qpi.pod.key);
    if (this.closed || this.has(qpi.pod.key)) return;
    qpi.timestamp = this.clock.now();
    if (this.moveRequestCycle >= cycle) {
      this.requeue(qpi);
      return;
    }
    const timer = this.clock.setTimer(MAX_UNSCHEDULABLE_MS, () => {
      if (this.unschedulable.get(qpi.pod.key)?.qpi !== qpi) return;
      this.unschedulable.delete(qpi.pod.key);
      this.requeue(qpi);
    });
    this.unschedulable.set(qpi.pod.key, { qpi, timer });
  }

  /** A failure that was not the pod's fault (an error, a failed binding): straight to backoff. */
  addBackoff(qpi: QueuedPodInfo): void {
    this.inFlight.delete(qpi.pod.key);
    if (this.closed || this.has(qpi.pod.key)) return;
    qpi.timestamp = this.clock.now();
    this.requeue(qpi);
  }

  /** MoveAllToActiveOrBackoffQueue: a cluster event (node added or changed, pod deleted) may help. */
  moveAllToActiveOrBackoff(): void {
    for (const [key, u] of [...this.unschedulable]) {
      u.timer.cancel();
      this.unschedulable.delete(key);
      this.requeue(u.qpi);
    }
    this.moveRequestCycle = this.schedulingCycle;
  }

  /** The attempt counter's current value, to pass back to addUnschedulable. */
  get cycle(): number {
    return this.schedulingCycle;
  }

  close(): void {
    this.closed = true;
    for (const b of this.backoff.values()) b.timer.cancel();
    for (const u of this.unschedulable.values()) u.timer.cancel();
    this.backoff.clear();
    this.unschedulable.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** Sizes, for tests and metrics. */
  counts(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.active.length, backoff: this.backoff.size, unschedulable: this.unschedulable.size };
  }

  /** Per-pod backoff: 1 s doubling per attempt, 10 s at most (calculateBackoffDuration). */
  backoffDuration(attempts: number): number {
    let d = INITIAL_BACKOFF_MS;
    for (let i = 1; i < attempts; i++) {
      d *= 2;
      if (d >= MAX_BACKOFF_MS) return MAX_BACKOFF_MS;
    }
    return d;
  }

  /** To activeQ when the pod's backoff is over, else to backoffQ until it is. */
  private requeue(qpi: QueuedPodInfo): void {
    const until = qpi.timestamp + this.backoffDuration(qpi.attempts);
    const wait = until - this.clock.now();
    if (wait <= 0) {
      this.pushActive(qpi);
      return;
    }
    const timer = this.clock.setTimer(wait, () => {
      if (this.backoff.get(qpi.pod.key)?.qpi !== qpi) return;
      this.backoff.delete(qpi.pod.key);
      this.pushActive(qpi);
    });
    this.backoff.set(qpi.pod.key, { qpi, timer });
  }

  private pushActive(qpi: QueuedPodInfo): void {
    if (this.closed) return;
    const key = qpi.pod.key;
    if (this.activeKeys.has(key) || this.inFlight.has(key)) return;
    const w = this.waiters.shift();
    if (w) {
      this.markInFlight(qpi);
      w(qpi);
      return;
    }
    this.activeKeys.add(key);
    this.active.push(qpi);
    this.siftUp(this.active.length - 1);
  }

  private markInFlight(qpi: QueuedPodInfo): void {
    qpi.attempts++;
    this.schedulingCycle++;
    this.inFlight.set(qpi.pod.key, qpi);
  }

  private shift(): QueuedPodInfo | undefined {
    const h = this.active;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      this.siftDown(0);
    }
    this.activeKeys.delete(top.pod.key);
    this.markInFlight(top);
    return top;
  }

  private heapify(): void {
    for (let i = (this.active.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftUp(i: number): void {
    const h = this.active;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private siftDown(i: number): void {
    const h = this.active;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l], h[m])) m = l;
      if (r < h.length && this.less(h[r], h[m])) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}

/** isPodUpdated: anything but status, resourceVersion, generation and managedFields differs. */
function specChanged(a: PodInfo, b: PodInfo): boolean {
  if (a.obj === b.obj) return false;
  const strip = (o: Record<string, unknown>) => {
    const { resourceVersion: _rv, generation: _g, managedFields: _mf, ...meta } = (o.metadata ?? {}) as Record<string, unknown>;
    return JSON.stringify([meta, o.spec]);
  };
  return strip(a.obj) !== strip(b.obj);
}
