// Draining a node as EKS's managed node groups do it through the Kubernetes API: cordon, then
// evict every pod through pods/eviction (so PodDisruptionBudgets are honoured), retrying refused
// evictions until a deadline. DaemonSet pods and mirror pods stay, as with `kubectl drain
// --ignore-daemonsets`. Past the deadline the drain fails (EKS: PodEvictionFailure) unless forced,
// in which case the remaining pods are deleted.
import { isNotFound, isTooManyRequests } from '../client/errors.js';
import { annotations, controllerOf, name, namespace } from '../client/objects.js';
import type { KubeClient, Obj } from '../client/types.js';
import type { Clock } from '../util/clock.js';

export interface DrainOptions {
  clock: Clock;
  /** How long refused evictions are retried (EKS: 15 minutes). */
  timeoutMs: number;
  /** Pause between eviction rounds (kubectl drain: 5 s). */
  retryMs: number;
  /** Delete what cannot be evicted once the deadline passes. */
  force: boolean;
}

export class DrainTimeoutError extends Error {
  constructor(readonly nodeName: string, readonly pods: string[]) {
    super(`Reached max retries while trying to evict pods from nodes in node group: ${nodeName}: ${pods.join(', ')}`);
  }
}

export async function cordon(client: KubeClient, nodeName: string): Promise<void> {
  try {
    await client.resource('', 'v1', 'nodes').patch(undefined, nodeName, 'merge', { spec: { unschedulable: true } });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

function evictable(pod: Obj): boolean {
  if (controllerOf(pod)?.kind === 'DaemonSet') return false;
  if (annotations(pod)['kubernetes.io/config.mirror'] !== undefined) return false;
  const meta = (pod.metadata ?? {}) as Obj;
  return !meta.deletionTimestamp;
}

/** Pods on the node that a drain evicts. */
export async function podsToEvict(client: KubeClient, nodeName: string): Promise<Obj[]> {
  const list = await client.resource('', 'v1', 'pods').list(undefined, { fieldSelector: `spec.nodeName=${nodeName}` });
  return list.items.filter(evictable);
}

/** Cordons the node and evicts its pods; resolves with the number evicted (or deleted when forced). */
export async function drainNode(client: KubeClient, nodeName: string, opts: DrainOptions): Promise<number> {
  await cordon(client, nodeName);
  const pods = client.resource('', 'v1', 'pods');
  const deadline = opts.clock.now() + opts.timeoutMs;
  let done = 0;
  for (;;) {
    const left = await podsToEvict(client, nodeName);
    if (left.length === 0) return done;
    const refused: string[] = [];
    for (const pod of left) {
      try {
        await pods.evict(namespace(pod), name(pod));
        done++;
      } catch (err) {
        if (isNotFound(err)) continue;
        if (!isTooManyRequests(err)) throw err;
        refused.push(`${namespace(pod)}/${name(pod)}`);
      }
    }
    if (refused.length === 0) continue;
    if (opts.clock.now() >= deadline) {
      if (!opts.force) throw new DrainTimeoutError(nodeName, refused);
      for (const key of refused) {
        const [ns, n] = key.split('/');
        try {
          await pods.delete(ns, n);
          done++;
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
      continue;
    }
    await opts.clock.sleep(Math.min(opts.retryMs, Math.max(0, deadline - opts.clock.now())));
  }
}
