// What every eksctl-style command shares: its I/O and clock, polling with a deadline, and failures
// printed as eksctl prints them (`Error: <message>` on stderr, exit status 1).
import type { Clock } from '../../util/clock.js';
import { EksctlError } from './config.js';
import { progress, type Progress } from './progress.js';

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  /** How often waits poll. Kumo's transitions take (simulated) moments, not minutes. */
  pollMs: number;
}

export interface Ctx extends CommandIo {
  log: Progress;
}

export function withLog(io: CommandIo): Ctx {
  return { ...io, log: progress(io.stdout, io.clock) };
}

/** Polls `fn` until it answers; fails with `timed out waiting for <what> after <timeout>` past the deadline. */
export async function waitFor<T>(ctx: CommandIo, what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = ctx.clock.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (ctx.clock.now() > deadline) throw new EksctlError(`timed out waiting for ${what} after ${formatDuration(timeoutMs)}`);
    await ctx.clock.sleep(ctx.pollMs);
  }
}

/** A Go time.Duration's String(): 25m0s, 1h0m0s, 30s. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h}h${m}m${sec}s`;
  if (m) return `${m}m${sec}s`;
  return `${sec}s`;
}

/** An AWS SDK error as the message eksctl shows for it: the error code, then the service's message. */
export function describeError(err: unknown): string {
  if (err instanceof EksctlError) return err.message;
  const e = err as { name?: string; message?: string; $metadata?: unknown };
  if (e && e.$metadata !== undefined && e.name && e.name !== 'Error') return `${e.name}: ${e.message ?? ''}`;
  return e?.message ?? String(err);
}

export function isAwsError(err: unknown, name: string): boolean {
  return (err as { name?: string })?.name === name;
}
