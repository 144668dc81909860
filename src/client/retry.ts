// client-go util/retry: run a read-modify-write again when it lost an optimistic-concurrency race.
import type { Clock } from '../util/clock.js';
import { isConflict } from './errors.js';

export interface RetryOptions {
  /** Attempts in all. Default 5 (retry.DefaultRetry). */
  steps?: number;
  /** Wait before the second attempt, ms; 0 retries at once. Default 10 ms (needs `clock`). */
  delayMs?: number;
  /** Each later wait is the previous times this. Default 1. */
  factor?: number;
  /** Waits run on this clock; without one, retries happen at once. */
  clock?: Clock;
}

/**
 * Calls `fn` until it succeeds, fails with something other than 409 Conflict, or the attempts
 * run out (then the last Conflict is thrown). `fn` must re-read what it changes on every call.
 */
export async function retryOnConflict<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const steps = Math.max(1, opts.steps ?? 5);
  let delay = opts.delayMs ?? 10;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isConflict(err) || attempt >= steps) throw err;
    }
    if (opts.clock && delay > 0) await opts.clock.sleep(delay);
    delay *= opts.factor ?? 1;
  }
}
