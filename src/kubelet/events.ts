// Events the kubelet records about pods (core/v1 Events, source component "kubelet", the node as
// host), with client-go's correlator behaviour for repeats: the same reason and message about the
// same object again increments count and lastTimestamp of the first event instead of adding one.
// Messages follow kuberuntime and images/image_manager.go: "Pulling image %q", "Created container:
// %v", "Started container %v", "Stopping container %v", "Back-off restarting failed container %s
// in pod %s", "Back-off pulling image %q", "Failed to pull image %q: %v", "Error: ErrImagePull".
import { name as nameOf, namespace as namespaceOf, uid as uidOf } from '../client/objects.js';
import type { KubeClient, Obj } from '../client/types.js';
import { rfc3339 } from './determinism.js';

export interface StageEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** spec.containers{app} / spec.initContainers{init}, for container events. */
  fieldPath?: string;
  /** When it happened, if not now. */
  at?: number;
}

interface Seen {
  name: string;
  count: number;
}

export class EventRecorder {
  /** pod uid -> event key -> the event recorded first. */
  private readonly seen = new Map<string, Map<string, Seen>>();
  private seq = 0;
  /** Event creates and count updates written. */
  written = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly onError: (err: unknown, context: string) => void,
  ) {}

  /** Records the events about `pod` from node `host`; failures are reported, never thrown. */
  async record(pod: Obj, host: string, events: StageEvent[], now: number): Promise<void> {
    const api = this.client.resource('', 'v1', 'events');
    const ns = namespaceOf(pod);
    for (const ev of events) {
      const at = ev.at ?? now;
      const key = `${ev.fieldPath ?? ''}|${ev.type}|${ev.reason}|${ev.message}`;
      let perPod = this.seen.get(uidOf(pod));
      if (!perPod) this.seen.set(uidOf(pod), (perPod = new Map()));
      const seen = perPod.get(key);
      try {
        if (seen) {
          seen.count++;
          await api.patch(ns, seen.name, 'merge', { count: seen.count, lastTimestamp: rfc3339(at) });
          this.written++;
          continue;
        }
        // client-go names events <object>.<unix nanoseconds in hex>.
        const name = `${nameOf(pod)}.${(BigInt(at) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16)}`;
        await api.create(ns, {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace: ns },
          involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: ns, name: nameOf(pod), uid: uidOf(pod), ...(ev.fieldPath ? { fieldPath: ev.fieldPath } : {}) },
          reason: ev.reason,
          message: ev.message,
          source: { component: 'kubelet', host },
          firstTimestamp: rfc3339(at),
          lastTimestamp: rfc3339(at),
          count: 1,
          type: ev.type,
          eventTime: null,
          reportingComponent: 'kubelet',
          reportingInstance: host,
        });
        perPod.set(key, { name, count: 1 });
        this.written++;
      } catch (err) {
        this.onError(err, `event ${ev.reason} for pod ${ns}/${nameOf(pod)}`);
      }
    }
  }

  /** Forgets the repeats of a pod that is gone. */
  forgetPod(uid: string): void {
    this.seen.delete(uid);
  }
}
