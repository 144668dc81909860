// Deadline-bounded waits for a condition: the one way tests wait (no sleeps that hide races).
import assert from 'node:assert/strict';

export interface WaitOptions {
  /** How long to keep trying; default 10 s. */
  timeoutMs?: number;
  /** Pause between tries; default 5 ms. */
  intervalMs?: number;
  /** A throw counts as "not yet" and the last error is named on timeout (by default a throw fails at once). */
  retryErrors?: boolean;
  /** Runs after each pause, before the next try (e.g. to advance a fake clock). */
  between?: () => void;
}

/**
 * Tries `check` until it gives something other than undefined or false, and returns that; fails
 * with "timed out waiting for <what>" past the deadline. `what` may be computed at that point.
 */
export async function waitFor<T>(what: string | (() => string), check: () => T | undefined | false | Promise<T | undefined | false>, opts: WaitOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      if (!opts.retryErrors) throw err;
      last = err;
    }
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${typeof what === 'string' ? what : what()}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 5));
    opts.between?.();
  }
}

/** waitFor as the tests against a running `kumo up` or API server use it: every 100 ms, 20 s by default. */
export function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  return waitFor(what, check, { timeoutMs, intervalMs: 100 });
}

/** Like until, with kubectl-driven checks that may fail while the cluster settles: errors are retried, every 200 ms, 30 s by default. */
export function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  return waitFor(what, check, { timeoutMs, intervalMs: 200, retryErrors: true });
}

/** Calls `read` until `ok` accepts its result, and returns that result; past the deadline, fails showing the last one. */
export async function readUntil<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  let last: T | undefined;
  const found = await waitFor(
    () => `a result that passes; the last was ${JSON.stringify(last)}`,
    async () => {
      last = await read();
      return ok(last) ? { value: last } : undefined;
    },
    { timeoutMs, intervalMs: 10 },
  );
  return found.value;
}

/** Lets pending promise chains (store writes) settle. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}
