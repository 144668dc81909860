// Pod lifecycle as data, in the manner of KWOK's Stage objects: each stage has a selector (does it
// apply to this pod now?), a delay (milliseconds plus jitter, counted from when the kubelet first
// saw the pod in its current state, or an absolute time derived from the status), and a `next`
// (the new status, or the pod's deletion). Of the stages that match, the one due first runs; the
// status it writes comes back through the informer and the stages are matched again.
// Jitter is a hash of the seed, the pod and the stage: a run replays exactly.
import { name, namespace } from '../client/objects.js';
import type { Obj } from '../client/types.js';
import type { PodBehaviour } from './behaviour.js';
import { unitHash } from './determinism.js';
import type { StageEvent } from './events.js';
import type { PodIpAssignment } from './pod-network.js';
import type { PodStatus } from './pod-status.js';

/** What the kubelet remembers about a pod between stages (upstream keeps its back-off in memory too). */
export interface PodMemory {
  /** Image pull failures per container: how many, and when the last one was. */
  pulls: Map<string, { failures: number; lastFailureAt: number }>;
  /** Exact start time of each container's current instance, by container name (the status holds it rounded down to the second). */
  starts: Map<string, { id: string; at: number }>;
}

export interface StageContext {
  pod: Obj;
  /** A private copy of the pod's status: `next` may change it and return it. */
  status: PodStatus;
  now: number;
  seed: number;
  behaviour: PodBehaviour;
  hostIP: string;
  /** An address for the pod's sandbox, or the network plugin's failure (FailedCreatePodSandBox). */
  allocatePodIP(): PodIpAssignment;
  memory: PodMemory;
  /** Events `next` records about the pod (written after its status). */
  events: StageEvent[];
}

export type StageDelay = { ms: number; jitterMs?: number } | { at: number };

export interface StageResult {
  /** The status to write (the kubelet recomputes phase and conditions from its containers). */
  status?: PodStatus;
  /** Delete the pod object with gracePeriodSeconds 0. */
  delete?: boolean;
  /** Nothing could be done now: try this stage again after this long. */
  retryAfterMs?: number;
}

export interface Stage {
  name: string;
  selector(ctx: StageContext): boolean;
  delay(ctx: StageContext): StageDelay;
  /** Distinguishes repeated runs of a stage (e.g. per restart) for jitter. */
  key?(ctx: StageContext): string;
  next(ctx: StageContext): StageResult;
}

export interface PlannedStage {
  stage: Stage;
  dueAt: number;
}

/** The matching stage due first (ties: the earlier in the list). `since`: when the pod's current state was first seen. */
export function planStage(stages: readonly Stage[], ctx: StageContext, since: number): PlannedStage | undefined {
  let best: PlannedStage | undefined;
  for (const stage of stages) {
    if (!stage.selector(ctx)) continue;
    const d = stage.delay(ctx);
    let dueAt: number;
    if ('at' in d) dueAt = d.at;
    else {
      const jitter = d.jitterMs ? Math.floor(d.jitterMs * unitHash(ctx.seed, namespace(ctx.pod), name(ctx.pod), stage.name, stage.key?.(ctx) ?? '')) : 0;
      dueAt = since + d.ms + jitter;
    }
    if (!best || dueAt < best.dueAt) best = { stage, dueAt };
  }
  return best;
}
