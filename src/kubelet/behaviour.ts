// How a simulated pod behaves, read from its annotations. These are Kumo's own failure-injection
// and timing knobs; a value that does not parse is ignored (the default applies).
//
//   kumo.dev/run-seconds          containers exit 0 (Completed) after this long. Default 5 for Job
//                                 pods (owned by a Job, or restartPolicy Never/OnFailure); pods with
//                                 restartPolicy Always run forever unless it is set.
//   kumo.dev/crash-after-seconds  containers exit with code 1 (Error) after this long: a crash loop
//                                 under restartPolicy Always/OnFailure (CrashLoopBackOff, restart counts).
//   kumo.dev/exit-code            the exit code of those crashes (default 1).
//   kumo.dev/oom-after-seconds    containers are OOM-killed after this long (exit 137, OOMKilled).
//   kumo.dev/image-pull-error     "true": image pulls fail (ErrImagePull, then ImagePullBackOff).
//   kumo.dev/fail-readiness       "true": containers run but never become ready.
//   kumo.dev/fail-containers      comma-separated container names the four failures above apply to
//                                 (default: every regular container). An init container named here
//                                 crashes or is OOM-killed instead of completing (Init:CrashLoopBackOff,
//                                 or a Failed pod under restartPolicy Never).
//   kumo.dev/init-run-seconds     how long each (non-sidecar) init container runs. Default 1.
//   kumo.dev/shutdown-seconds     how long containers take to stop after SIGTERM. Default 0. Longer
//                                 than the grace period: they are killed at its end (exit 137).
//   kumo.dev/cpu-usage            the pod's simulated CPU use, a quantity (e.g. 250m).
//   kumo.dev/memory-usage         the pod's simulated memory use, a quantity (e.g. 128Mi).
import { annotations, ownerReferences } from '../client/objects.js';
import type { Obj } from '../client/types.js';
import { parseQuantity } from '../util/quantity.js';

export const ANNOTATIONS = {
  runSeconds: 'kumo.dev/run-seconds',
  crashAfterSeconds: 'kumo.dev/crash-after-seconds',
  exitCode: 'kumo.dev/exit-code',
  oomAfterSeconds: 'kumo.dev/oom-after-seconds',
  imagePullError: 'kumo.dev/image-pull-error',
  failReadiness: 'kumo.dev/fail-readiness',
  failContainers: 'kumo.dev/fail-containers',
  initRunSeconds: 'kumo.dev/init-run-seconds',
  shutdownSeconds: 'kumo.dev/shutdown-seconds',
  cpuUsage: 'kumo.dev/cpu-usage',
  memoryUsage: 'kumo.dev/memory-usage',
} as const;

export const DEFAULT_JOB_RUN_SECONDS = 5;
export const DEFAULT_INIT_RUN_SECONDS = 1;

export interface ExitPlan {
  afterMs: number;
  exitCode: number;
  reason: 'Completed' | 'Error' | 'OOMKilled';
}

export interface PodBehaviour {
  /** Whether the failures apply to this container. */
  affects(container: string): boolean;
  /** When and how a regular container exits, or undefined when it runs until stopped. */
  exitPlan(container: string): ExitPlan | undefined;
  /** A crash or OOM kill of an init container named in kumo.dev/fail-containers, if any. */
  initFailure(container: string): ExitPlan | undefined;
  imagePullFails(container: string): boolean;
  readinessFails(container: string): boolean;
  initRunMs: number;
  shutdownMs: number;
  /** Usage in nanocores / bytes set by annotation, if any. */
  cpuNanos?: number;
  memoryBytes?: number;
}

function seconds(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v.trim());
  return v.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function flag(v: string | undefined): boolean {
  return v !== undefined && ['true', '1', 'yes'].includes(v.trim().toLowerCase());
}

/** A Job pod: owned by a Job, or with a restartPolicy other than Always. */
export function isJobLike(pod: Obj): boolean {
  if (ownerReferences(pod).some((r) => r.kind === 'Job')) return true;
  const policy = (pod.spec as Record<string, unknown> | undefined)?.restartPolicy;
  return policy === 'Never' || policy === 'OnFailure';
}

export function podBehaviour(pod: Obj): PodBehaviour {
  const a = annotations(pod);
  const only = a[ANNOTATIONS.failContainers]
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const affects = (c: string) => !only || only.length === 0 || only.includes(c);
  const run = seconds(a[ANNOTATIONS.runSeconds]) ?? (isJobLike(pod) ? DEFAULT_JOB_RUN_SECONDS : undefined);
  const crash = seconds(a[ANNOTATIONS.crashAfterSeconds]);
  const oom = seconds(a[ANNOTATIONS.oomAfterSeconds]);
  const code = Number(a[ANNOTATIONS.exitCode]);
  const crashCode = Number.isInteger(code) && code > 0 && code < 256 ? code : 1;
  const cpu = a[ANNOTATIONS.cpuUsage] !== undefined ? parseQuantity(a[ANNOTATIONS.cpuUsage]) : undefined;
  const mem = a[ANNOTATIONS.memoryUsage] !== undefined ? parseQuantity(a[ANNOTATIONS.memoryUsage]) : undefined;
  return {
    affects,
    exitPlan(c) {
      if (affects(c) && oom !== undefined) return { afterMs: oom * 1000, exitCode: 137, reason: 'OOMKilled' };
      if (affects(c) && crash !== undefined) return { afterMs: crash * 1000, exitCode: crashCode, reason: 'Error' };
      if (run !== undefined) return { afterMs: run * 1000, exitCode: 0, reason: 'Completed' };
      return undefined;
    },
    initFailure(c) {
      if (!only?.includes(c)) return undefined;
      if (oom !== undefined) return { afterMs: oom * 1000, exitCode: 137, reason: 'OOMKilled' };
      if (crash !== undefined) return { afterMs: crash * 1000, exitCode: crashCode, reason: 'Error' };
      return undefined;
    },
    imagePullFails: (c) => affects(c) && flag(a[ANNOTATIONS.imagePullError]),
    readinessFails: (c) => affects(c) && flag(a[ANNOTATIONS.failReadiness]),
    initRunMs: (seconds(a[ANNOTATIONS.initRunSeconds]) ?? DEFAULT_INIT_RUN_SECONDS) * 1000,
    shutdownMs: (seconds(a[ANNOTATIONS.shutdownSeconds]) ?? 0) * 1000,
    cpuNanos: cpu && cpu.nanos >= 0n ? Number(cpu.nanos) : undefined,
    memoryBytes: mem && mem.nanos >= 0n ? Math.ceil(mem.value) : undefined,
  };
}
