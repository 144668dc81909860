// client-go's workqueue semantics (util/workqueue: queue.go, delaying_queue.go,
// rate_limiting_queue.go) on the injectable Clock:
// - an item queued twice is queued once (dirty set);
// - an item being processed is not handed to another worker; added meanwhile, it is queued again
//   when done() is called for it;
// - addAfter(item, ms) adds it when the delay has passed (the earliest of several delays wins);
// - addRateLimited uses a RateLimiter (per-item exponential backoff by default), forget() resets it;
// - shutdown(): adds are ignored, delayed items dropped; get() still hands out what is queued and
//   answers undefined once the queue is empty (queue.go Get).
import type { Clock, Timer } from './clock.js';
import { defaultControllerRateLimiter } from './rate-limiter.js';
import type { RateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions<T> {
  clock: Clock;
  /** Default: defaultControllerRateLimiter (5 ms doubling to 1000 s per item, 10 qps burst 100 overall). */
  rateLimiter?: RateLimiter<T>;
  name?: string;
}

export class WorkQueue<T = string> {
  readonly name: string;
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<T>;
  /** FIFO of items ready to hand out. Index `head` is the front; compacted as it grows. */
  private queue: T[] = [];
  private head = 0;
  /** Items that need processing (queued, or added while being processed). */
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private readonly waiters: ((item: T | undefined) => void)[] = [];
  private readonly waiting = new Map<T, { at: number; timer: Timer }>();
  private shuttingDown = false;
  private drained: (() => void)[] = [];

  constructor(opts: WorkQueueOptions<T>) {
    this.clock = opts.clock;
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(opts.clock);
    this.name = opts.name ?? '';
  }

  /** Marks `item` as needing processing. */
  add(item: T): void {
    if (this.shuttingDown || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.push(item);
  }

  private push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      this.take(item);
      waiter(item);
      return;
    }
    this.queue.push(item);
  }

  private take(item: T): void {
    this.processing.add(item);
    this.dirty.delete(item);
  }

  /** Items ready to be handed out. */
  len(): number {
    return this.queue.length - this.head;
  }

  /** The next item, waiting for one; undefined once the queue shuts down. Call done(item) after. */
  get(): Promise<T | undefined> {
    if (this.len() > 0) {
      const item = this.queue[this.head++];
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.take(item);
      return Promise.resolve(item);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Processing of `item` finished: if it was added meanwhile it is queued again. */
  done(item: T): void {
    if (!this.processing.delete(item)) return;
    if (this.dirty.has(item)) this.push(item);
    if (this.processing.size === 0 && this.len() === 0) for (const fn of this.drained.splice(0)) fn();
  }

  /** Adds `item` after `ms` of the clock's time (at once when ms <= 0). */
  addAfter(item: T, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(item);
      return;
    }
    const at = this.clock.now() + ms;
    const existing = this.waiting.get(item);
    if (existing) {
      if (existing.at <= at) return;
      existing.timer.cancel();
    }
    const timer = this.clock.setTimer(ms, () => {
      this.waiting.delete(item);
      this.add(item);
    });
    this.waiting.set(item, { at, timer });
  }

  /** Adds `item` once the rate limiter allows it (its next backoff step). */
  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** The item succeeded: its backoff starts from the beginning next time. */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Stops accepting items; delayed ones are dropped. Idle workers get undefined at once. */
  shutdown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const w of this.waiting.values()) w.timer.cancel();
    this.waiting.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** Shuts down, then resolves when every queued item has been handed out and marked done (ShutDownWithDrain). */
  shutdownWithDrain(): Promise<void> {
    this.shutdown();
    if (this.processing.size === 0 && this.len() === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }
}
