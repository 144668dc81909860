// One timer queue for every simulated node and pod: a binary min-heap of keyed deadlines with a
// single Clock timer armed for the earliest one. Thousands of nodes and pods then cost one clock
// timer, not one each. Scheduling a key again replaces its deadline.
import type { Clock, Timer } from '../util/clock.js';

interface Entry {
  key: string;
  at: number;
  seq: number;
  fn: () => void;
  index: number;
}

export class TimerWheel {
  private readonly heap: Entry[] = [];
  private readonly byKey = new Map<string, Entry>();
  private seq = 0;
  private armed: { at: number; timer: Timer } | undefined;
  private stopped = false;

  constructor(private readonly clock: Clock) {}

  /** Runs `fn` at clock time `at` (at once, on the next turn, when `at` has passed). */
  schedule(key: string, at: number, fn: () => void): void {
    if (this.stopped) return;
    this.cancel(key);
    const e: Entry = { key, at, seq: this.seq++, fn, index: this.heap.length };
    this.heap.push(e);
    this.byKey.set(key, e);
    this.up(e.index);
    this.arm();
  }

  cancel(key: string): void {
    const e = this.byKey.get(key);
    if (!e) return;
    this.byKey.delete(key);
    this.removeAt(e.index);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  dueAt(key: string): number | undefined {
    return this.byKey.get(key)?.at;
  }

  /** The earliest deadline, if any. */
  nextDueAt(): number | undefined {
    return this.heap[0]?.at;
  }

  size(): number {
    return this.heap.length;
  }

  stop(): void {
    this.stopped = true;
    this.armed?.timer.cancel();
    this.armed = undefined;
    this.heap.length = 0;
    this.byKey.clear();
  }

  private arm(): void {
    const first = this.heap[0];
    if (!first) {
      this.armed?.timer.cancel();
      this.armed = undefined;
      return;
    }
    if (this.armed && this.armed.at <= first.at) return;
    this.armed?.timer.cancel();
    const at = first.at;
    const timer = this.clock.setTimer(Math.max(0, at - this.clock.now()), () => {
      if (this.armed?.timer === timer) this.armed = undefined;
      this.fire();
    });
    this.armed = { at, timer };
  }

  private fire(): void {
    const now = this.clock.now();
    while (this.heap.length && this.heap[0].at <= now) {
      const e = this.heap[0];
      this.byKey.delete(e.key);
      this.removeAt(0);
      try {
        e.fn();
      } catch (err) {
        console.error(`timer ${e.key} failed:`, err);
      }
    }
    this.arm();
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const h = this.heap;
    [h[i], h[j]] = [h[j], h[i]];
    h[i].index = i;
    h[j].index = j;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(this.heap[i], this.heap[p])) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(this.heap[l], this.heap[m])) m = l;
      if (r < n && this.less(this.heap[r], this.heap[m])) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private removeAt(i: number): void {
    const last = this.heap.pop()!;
    if (i < this.heap.length) {
      this.heap[i] = last;
      last.index = i;
      this.up(i);
      this.down(last.index);
    }
  }
}
