// NodeResourcesFit (noderesources/fit.go, least_allocated.go, most_allocated.go): Filter checks
// the pod count and every requested resource against allocatable minus what the node's pods
// request; Score favours nodes by the LeastAllocated (default) or MostAllocated strategy.
import type { AnyPlugin } from '../../framework/interfaces.js';
import { MAX_NODE_SCORE } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { CPU, EPHEMERAL_STORAGE, MEMORY } from '../../framework/resources.js';
import { Status } from '../../framework/status.js';

export const NAME = 'NodeResourcesFit';
export const ERR_REASON_TOO_MANY_PODS = 'Too many pods';

export type ScoringStrategy = 'LeastAllocated' | 'MostAllocated';

export interface NodeResourcesFitArgs {
  scoringStrategy?: { type?: ScoringStrategy; resources?: { name: string; weight?: number }[] };
}

/** The reasons a pod does not fit a node's free resources (fitsRequest), in upstream's order. */
export function insufficientResources(pod: PodInfo, node: NodeInfo): string[] {
  const reasons: string[] = [];
  const alloc = node.allocatable;
  const used = node.requested;
  if (node.pods.length + 1 > alloc.allowedPodNumber) reasons.push(ERR_REASON_TOO_MANY_PODS);
  const req = pod.requests;
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && (!req.scalar || req.scalar.size === 0)) return reasons;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) reasons.push(`Insufficient ${CPU}`);
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) reasons.push(`Insufficient ${MEMORY}`);
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) reasons.push(`Insufficient ${EPHEMERAL_STORAGE}`);
  if (req.scalar) {
    for (const [name, q] of req.scalar) {
      if (q === 0) continue;
      if (q > alloc.get(name) - used.get(name)) reasons.push(`Insufficient ${name}`);
    }
  }
  return reasons;
}

/** The common case without allocation: no scalar resources and everything fits. */
function fitsQuickly(pod: PodInfo, node: NodeInfo): boolean {
  const alloc = node.allocatable;
  const used = node.requested;
  const req = pod.requests;
  return (
    node.pods.length + 1 <= alloc.allowedPodNumber &&
    (req.scalar === undefined || req.scalar.size === 0) &&
    req.milliCPU <= alloc.milliCPU - used.milliCPU &&
    req.memory <= alloc.memory - used.memory &&
    req.ephemeralStorage <= alloc.ephemeralStorage - used.ephemeralStorage
  );
}

function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

function mostRequested(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return Math.trunc((Math.min(requested, capacity) * MAX_NODE_SCORE) / capacity);
}

export function newNodeResourcesFit(args: Record<string, unknown> | undefined): AnyPlugin {
  const a = (args ?? {}) as NodeResourcesFitArgs;
  const type = a.scoringStrategy?.type ?? 'LeastAllocated';
  if (type !== 'LeastAllocated' && type !== 'MostAllocated') throw new Error(`scoring strategy ${String(type)} is not supported`);
  const resources = (a.scoringStrategy?.resources ?? [{ name: CPU }, { name: MEMORY }]).map((r) => ({ name: r.name, weight: r.weight ?? 1 }));
  const scorer = type === 'MostAllocated' ? mostRequested : leastRequested;
  return {
    name: NAME,
    filter(_state, pod, node) {
      if (fitsQuickly(pod, node)) return undefined;
      const reasons = insufficientResources(pod, node);
      return reasons.length ? Status.unschedulable(...reasons) : undefined;
    },
    score(_state, pod, node) {
      let total = 0;
      let weights = 0;
      for (const r of resources) {
        const allocatable = node.allocatable.get(r.name);
        if (allocatable === 0) continue;
        // cpu and memory count the scoring defaults for containers without requests (NonZeroRequested).
        const requested = r.name === CPU || r.name === MEMORY ? node.nonZeroRequested.get(r.name) + pod.nonZeroRequests.get(r.name) : node.requested.get(r.name) + pod.requests.get(r.name);
        total += scorer(requested, allocatable) * r.weight;
        weights += r.weight;
      }
      return weights === 0 ? 0 : Math.trunc(total / weights);
    },
  };
}
