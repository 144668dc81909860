// Per-item and overall rate limiters of client-go's workqueue (util/workqueue/default_rate_limiters.go),
// on the injectable Clock. `when(item)` answers how long to wait before the item's next retry.
import type { Clock } from './clock.js';

export interface RateLimiter<T = string> {
  /** The delay before `item` may be processed again; counts one more failure of it. */
  when(item: T): number;
  /** Stops tracking `item` (after it succeeded): its next failure starts from the base delay. */
  forget(item: T): void;
  /** How many times `item` was rate-limited since it was last forgotten. */
  numRequeues(item: T): number;
}

/** base * 2^failures, capped at max (ItemExponentialFailureRateLimiter). */
export class ItemExponentialFailureRateLimiter<T = string> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();
  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {}
  when(item: T): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    const backoff = this.baseMs * Math.pow(2, n);
    return Number.isFinite(backoff) ? Math.min(backoff, this.maxMs) : this.maxMs;
  }
  forget(item: T): void {
    this.failures.delete(item);
  }
  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * A token bucket over all items (BucketRateLimiter over golang.org/x/time/rate): `qps` tokens a
 * second, at most `burst` saved; each call takes one and waits when the bucket is in debt.
 */
export class BucketRateLimiter<T = string> implements RateLimiter<T> {
  private tokens: number;
  private last: number;
  constructor(
    private readonly clock: Clock,
    private readonly qps: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }
  when(_item: T): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }
  forget(_item: T): void {}
  numRequeues(_item: T): number {
    return 0;
  }
}

/** The longest delay of several limiters (MaxOfRateLimiter). */
export class MaxOfRateLimiter<T = string> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];
  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }
  when(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.when(item));
    return max;
  }
  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }
  numRequeues(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.numRequeues(item));
    return max;
  }
}

/**
 * DefaultControllerRateLimiter: per item 5 ms doubling up to 1000 s, and overall 10 retries a
 * second with a burst of 100.
 */
export function defaultControllerRateLimiter<T = string>(clock: Clock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialFailureRateLimiter<T>(5, 1000 * 1000), new BucketRateLimiter<T>(clock, 10, 100));
}
