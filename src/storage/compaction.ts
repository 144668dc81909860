// Automatic compaction, shared by every driver: keep the history written within `retainMs`,
// drop the rest. Like kube-apiserver's compactor (which compacts every 5 minutes to the revision it
// saw one interval earlier), it samples the store revision on each run and compacts to the newest
// sample that is at least `retainMs` old, so every dropped revision was written that long ago.
import type { Clock, Timer } from '../util/clock.js';
import { StoreClosedError } from './errors.js';
import type { CompactionPolicy, Store } from './types.js';

export interface CompactionHandle {
  /** Stops future runs (a run in progress finishes). */
  stop(): void;
  /** Resolves once the run in progress, if any, has finished. */
  idle(): Promise<void>;
}

export interface CompactionPolicyOptions {
  /** Called with a run's unexpected error; the policy keeps running. Default: ignore. */
  onError?: (error: unknown) => void;
}

interface Sample {
  at: number;
  revision: number;
}

export function startCompactionPolicy(
  store: Pick<Store, 'currentRevision' | 'compactedRevision' | 'compact'>,
  policy: CompactionPolicy,
  clock: Clock,
  opts: CompactionPolicyOptions = {},
): CompactionHandle {
  if (!(policy.intervalMs > 0)) throw new TypeError(`compaction intervalMs must be positive, got ${policy.intervalMs}`);
  if (!(policy.retainMs >= 0)) throw new TypeError(`compaction retainMs must not be negative, got ${policy.retainMs}`);
  const samples: Sample[] = [];
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: Timer | undefined;

  const runOnce = async (): Promise<void> => {
    // Revision first, then time: every revision up to `revision` was written by `at`.
    const revision = await store.currentRevision();
    const at = clock.now();
    samples.push({ at, revision });
    const cutoff = at - policy.retainMs;
    let target: Sample | undefined;
    while (samples.length > 0 && samples[0].at <= cutoff) target = samples.shift();
    if (!target) return;
    // Keep the chosen sample: the next run may still need it if nothing newer is old enough.
    samples.unshift(target);
    if (target.revision > (await store.compactedRevision())) await store.compact(target.revision);
  };

  const tick = (): void => {
    if (stopped) return;
    timer = clock.setTimer(policy.intervalMs, tick);
    if (running) return; // the previous run is still busy; skip this one
    running = runOnce()
      .catch((error) => {
        if (error instanceof StoreClosedError) stop();
        else opts.onError?.(error);
      })
      .finally(() => (running = undefined));
  };

  const stop = (): void => {
    stopped = true;
    timer?.cancel();
  };

  // The first sample is taken now, so the first compaction comes retainMs after the start.
  running = runOnce()
    .catch((error) => (error instanceof StoreClosedError ? stop() : opts.onError?.(error)))
    .finally(() => (running = undefined));
  timer = clock.setTimer(policy.intervalMs, tick);

  return {
    stop,
    idle: async () => {
      while (running) await running;
    },
  };
}
