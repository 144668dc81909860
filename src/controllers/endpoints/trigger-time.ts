// endpointutil.TriggerTimeTracker: the endpoints.kubernetes.io/last-change-trigger-time annotation
// is the earliest time among the changes that triggered this sync: a pod whose readiness time
// changed since the last sync, or the service itself when it is new or changed.
import { annotations, creationTimestamp, keyOf, uid } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';
import { podTriggerTime, rfc3339Nano } from './pod-endpoints.js';

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

/** The annotations to write: the current object's, with last-change-trigger-time set to `trigger` or, without one, removed. */
export function withTriggerTime(current: Obj | undefined, trigger: number | undefined): Record<string, string> {
  const ann: Record<string, string> = current ? { ...annotations(current) } : {};
  if (trigger !== undefined) ann[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(trigger);
  else delete ann[LAST_CHANGE_TRIGGER_TIME];
  return ann;
}

interface State {
  serviceVersion: string;
  pods: Map<string, number>;
}

export class TriggerTimeTracker {
  private readonly byService = new Map<string, State>();

  /** The trigger time of this sync, or undefined when nothing that counts changed. */
  compute(svc: Obj, pods: Obj[]): number | undefined {
    const key = keyOf(svc);
    const prev = this.byService.get(key);
    const version = `${uid(svc)}/${String((svc.metadata as Record<string, unknown> | undefined)?.resourceVersion ?? '')}`;
    let min: number | undefined;
    const consider = (t: number | undefined) => {
      if (t !== undefined && !Number.isNaN(t) && (min === undefined || t < min)) min = t;
    };
    const next: State = { serviceVersion: version, pods: new Map() };
    for (const pod of pods) {
      // Only readiness changes count; a pod without a Ready condition has no trigger time yet.
      const t = podTriggerTime(pod);
      if (t === undefined || Number.isNaN(t)) continue;
      next.pods.set(keyOf(pod), t);
      if (prev?.pods.get(keyOf(pod)) !== t) consider(t);
    }
    if (!prev || prev.serviceVersion !== version) consider(Date.parse(creationTimestamp(svc) ?? ''));
    this.byService.set(key, next);
    return min;
  }

  delete(svcKey: string): void {
    this.byService.delete(svcKey);
  }
}
