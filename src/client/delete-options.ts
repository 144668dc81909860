// DeleteOptions as a request body: what both clients (HTTP and in-process) send.
import type { DeleteOptions } from './types.js';

/** `body` with the fields `opts` sets (dryRun as ["All"]). */
export function withDeleteOptions<T extends Record<string, unknown>>(body: T, opts: DeleteOptions | undefined): T {
  if (!opts) return body;
  const out: Record<string, unknown> = body;
  if (opts.gracePeriodSeconds !== undefined) out.gracePeriodSeconds = opts.gracePeriodSeconds;
  if (opts.preconditions) out.preconditions = { ...opts.preconditions };
  if (opts.propagationPolicy) out.propagationPolicy = opts.propagationPolicy;
  if (opts.orphanDependents !== undefined) out.orphanDependents = opts.orphanDependents;
  if (opts.dryRun) out.dryRun = ['All'];
  return body;
}
