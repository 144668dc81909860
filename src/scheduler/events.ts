// events.k8s.io/v1 Events as kube-scheduler records them (reportingController default-scheduler).
import type { KubeClient, Obj } from '../client/types.js';
import type { Clock } from '../util/clock.js';

export const SCHEDULER_NAME = 'default-scheduler';

let seq = 0;

/** MicroTime: RFC 3339 with microseconds. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export interface EventRecorder {
  event(regarding: Obj, type: 'Normal' | 'Warning', reason: string, action: string, note: string): Promise<void>;
}

export function newEventRecorder(client: KubeClient, clock: Clock, instance: string, onError: (err: unknown) => void): EventRecorder {
  const events = client.resource('events.k8s.io', 'v1', 'events');
  return {
    async event(regarding, type, reason, action, note) {
      const m = (regarding.metadata ?? {}) as { name: string; namespace?: string; uid?: string; resourceVersion?: string };
      const now = clock.now();
      const ns = m.namespace || 'default';
      const ev: Obj = {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        // "<object>.<unix nanos in hex>", as the event recorder names them.
        metadata: { name: `${m.name}.${(BigInt(now) * 1_000_000n + BigInt(seq++ % 1_000_000)).toString(16)}`, namespace: ns },
        eventTime: microTime(now),
        reportingController: SCHEDULER_NAME,
        reportingInstance: instance,
        action,
        reason,
        type,
        note: note.length > 1024 ? note.slice(0, 1024) : note,
        regarding: { kind: 'Pod', apiVersion: 'v1', namespace: m.namespace, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion },
      };
      try {
        await events.create(ns, ev);
      } catch (err) {
        onError(err);
      }
    },
  };
}
