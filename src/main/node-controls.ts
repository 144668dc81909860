// Runtime control of the simulated nodes through the API, so any client can drive it:
//   - deleting a simulated Node removes it from the pool (its pods are left to the pod GC, as when
//     a real instance is terminated);
//   - annotating a Node kumo.dev/heartbeat=stopped silences its kubelet (no Lease renewals, no
//     status posts, pods frozen); removing the annotation brings it back.
import type { SharedInformerFactory } from '../client/informer-factory.js';
import { isNotFound } from '../client/errors.js';
import type { Obj } from '../client/types.js';
import type { NodeSimulator } from '../kubelet/simulator.js';

export const HEARTBEAT_ANNOTATION = 'kumo.dev/heartbeat';
export const HEARTBEAT_STOPPED = 'stopped';

function nodeName(obj: Obj): string {
  return String(((obj['metadata'] ?? {}) as Obj)['name'] ?? '');
}

function heartbeatStopped(obj: Obj): boolean {
  const annotations = (((obj['metadata'] ?? {}) as Obj)['annotations'] ?? {}) as Record<string, string>;
  return annotations[HEARTBEAT_ANNOTATION] === HEARTBEAT_STOPPED;
}

export interface NodeControls {
  stop(): void;
  /** Resolves once the removals started so far are done (a replacement may reuse the name). */
  removalsDone(): Promise<void>;
}

export function watchNodeControls(informers: SharedInformerFactory, simulator: NodeSimulator): NodeControls {
  const silenced = new Set<string>();
  const removals = new Set<Promise<void>>();
  const apply = (obj: Obj) => {
    const name = nodeName(obj);
    if (!simulator.node(name)) return;
    const stop = heartbeatStopped(obj);
    if (stop && !silenced.has(name)) {
      silenced.add(name);
      simulator.stopHeartbeat(name);
    } else if (!stop && silenced.has(name)) {
      silenced.delete(name);
      simulator.resumeHeartbeat(name);
    }
  };
  const registration = informers.informerFor('', 'v1', 'nodes').addEventHandler({
    onAdd: (obj) => apply(obj),
    onUpdate: (_old, obj) => apply(obj),
    onDelete: (obj) => {
      const name = nodeName(obj);
      silenced.delete(name);
      if (!simulator.node(name)) return;
      const removal = simulator.removeNode(name).catch((err: unknown) => {
        if (!isNotFound(err)) console.error(`kubelet: removing node ${name}:`, err);
      });
      removals.add(removal);
      void removal.finally(() => removals.delete(removal));
    },
  });
  return {
    stop: () => registration.remove(),
    removalsDone: async () => void (await Promise.all([...removals])),
  };
}
