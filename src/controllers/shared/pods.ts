// Pod predicates controllers share (k8s.io/kubernetes/pkg/api/v1/pod and controller_utils.go).
import { deletionTimestamp, field } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';
import type { WorkQueue } from '../../util/workqueue.js';

export function phase(pod: Obj): string {
  return String(field(pod, 'status', 'phase') ?? '');
}

export function nodeName(pod: Obj): string {
  return String(field(pod, 'spec', 'nodeName') ?? '');
}

function podCondition(pod: Obj, type: string): { status?: string; lastTransitionTime?: string } | undefined {
  const conds = field(pod, 'status', 'conditions');
  if (!Array.isArray(conds)) return undefined;
  return conds.find((c) => c && typeof c === 'object' && (c as { type?: unknown }).type === type) as { status?: string; lastTransitionTime?: string } | undefined;
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Obj): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** When the pod last became Ready (ms), if it is. */
export function readySince(pod: Obj): number | undefined {
  const c = podCondition(pod, 'Ready');
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  return Date.parse(c.lastTransitionTime);
}

/** podutil.IsPodAvailable: Ready for at least minReadySeconds. */
export function isPodAvailable(pod: Obj, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = readySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}

/** A pod turning Ready becomes available minReadySeconds later: its owner's key is queued again for then. */
export function requeueWhenAvailable(queue: WorkQueue<string>, key: string, owner: Obj | undefined, old: Obj, pod: Obj): void {
  const minReady = Number((owner?.spec as Record<string, unknown> | undefined)?.minReadySeconds ?? 0);
  if (minReady > 0 && !isPodReady(old) && isPodReady(pod)) queue.addAfter(key, minReady * 1000 + 1);
}

/** controller.IsPodActive: not finished and not being deleted. */
export function isPodActive(pod: Obj): boolean {
  const p = phase(pod);
  return p !== 'Succeeded' && p !== 'Failed' && deletionTimestamp(pod) === undefined;
}

export function isPodTerminating(pod: Obj): boolean {
  const p = phase(pod);
  return deletionTimestamp(pod) !== undefined && p !== 'Succeeded' && p !== 'Failed';
}

export function restartCount(pod: Obj): number {
  const cs = field(pod, 'status', 'containerStatuses');
  if (!Array.isArray(cs)) return 0;
  return cs.reduce((n, c) => n + (typeof c?.restartCount === 'number' ? c.restartCount : 0), 0);
}
