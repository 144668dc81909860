// One scheduling cycle for one pod (pkg/scheduler/schedule_one.go schedulePod, findNodesThatFitPod,
// prioritizeNodes, selectHost), synchronous and free of I/O: the benchmark calls it directly, and
// the scheduler loop binds the result through the client afterwards.
import type { Obj } from '../client/types.js';
import type { CycleState } from './framework/cycle-state.js';
import { FitError, newDiagnosis } from './framework/fit-error.js';
import type { Diagnosis } from './framework/fit-error.js';
import type { Framework } from './framework/framework.js';
import type { NodeScore, PostFilterResult } from './framework/interfaces.js';
import type { NodeInfo } from './framework/node-info.js';
import { numFeasibleNodesToFind } from './framework/percentage.js';
import { PodInfo, podInfoOf } from './framework/pod-info.js';
import type { Snapshot } from './framework/snapshot.js';
import { Code, Status } from './framework/status.js';

/** ErrNoNodesAvailable */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export type ScheduleOutcome =
  | { kind: 'scheduled'; pod: PodInfo; nodeName: string; evaluatedNodes: number; feasibleNodes: number; state: CycleState }
  | { kind: 'unschedulable'; pod: PodInfo; error: FitError; postFilter?: PostFilterResult }
  | { kind: 'error'; pod: PodInfo; error: Error };

/**
 * Finds a node for `pod` and, when one is found, assumes the pod there (counts it in `snapshot`
 * at once, so the next pod sees it before the binding lands) and runs Reserve and Permit. On
 * failure runs PostFilter (preemption), whose result says which pods to delete and which node to
 * nominate; the caller carries that out.
 */
export function scheduleOne(fw: Framework, snapshot: Snapshot, pod: Obj | PodInfo): ScheduleOutcome {
  fw.snapshot = snapshot;
  const info = pod instanceof PodInfo ? pod : podInfoOf(pod);
  const state = fw.newCycleState();
  const found = schedulePod(fw, snapshot, state, info);
  if (found.kind !== 'scheduled') return found;
  snapshot.addPod(info, found.nodeName);
  const reserve = fw.runReservePlugins(state, info, found.nodeName);
  const permit = reserve.isSuccess() ? fw.runPermitPlugins(state, info, found.nodeName) : reserve;
  if (!permit.isSuccess()) {
    fw.runUnreservePlugins(state, info, found.nodeName);
    snapshot.removePod(info.key);
    if (permit.code === Code.Error) return { kind: 'error', pod: info, error: permit.err ?? new Error(permit.message()) };
    const d = newDiagnosis();
    d.nodeToStatus.set(found.nodeName, permit);
    if (permit.plugin) d.unschedulablePlugins.add(permit.plugin);
    return { kind: 'unschedulable', pod: info, error: new FitError(info, 1, d) };
  }
  return found;
}

/** Forgets an assumed pod (a failed binding), as the cache's ForgetPod. */
export function forgetPod(fw: Framework, snapshot: Snapshot, info: PodInfo, state: CycleState, nodeName: string): void {
  fw.runUnreservePlugins(state, info, nodeName);
  snapshot.removePod(info.key);
}

function schedulePod(fw: Framework, snapshot: Snapshot, state: CycleState, pod: PodInfo): ScheduleOutcome {
  const all = snapshot.nodeInfos();
  if (all.length === 0) return { kind: 'error', pod, error: new Error(NO_NODES_AVAILABLE) };
  const diagnosis = newDiagnosis();
  const fit = findNodesThatFit(fw, state, pod, all, diagnosis);
  if ('error' in fit) return { kind: 'error', pod, error: fit.error };
  const feasible = fit.nodes;
  if (feasible.length === 0) {
    // The pod fits nowhere: PostFilter (preemption) may make room.
    const post = fw.postFilterPlugins.length ? fw.runPostFilterPlugins(state, pod, diagnosis.nodeToStatus) : undefined;
    if (post) {
      if (post.status.code === Code.Error) return { kind: 'error', pod, error: post.status.err ?? new Error(post.status.message()) };
      diagnosis.postFilterMsg = post.status.message();
    }
    return { kind: 'unschedulable', pod, error: new FitError(pod, all.length, diagnosis), postFilter: post?.result };
  }
  if (feasible.length === 1) return { kind: 'scheduled', pod, nodeName: feasible[0].name, evaluatedNodes: fit.evaluated, feasibleNodes: 1, state };
  const pre = fw.runPreScorePlugins(state, pod, feasible);
  if (!pre.isSuccess()) return { kind: 'error', pod, error: pre.err ?? new Error(pre.message()) };
  const { totals, status } = fw.runScorePlugins(state, pod, feasible);
  if (!status.isSuccess()) return { kind: 'error', pod, error: status.err ?? new Error(status.message()) };
  return { kind: 'scheduled', pod, nodeName: selectHost(totals, fw.random), evaluatedNodes: fit.evaluated, feasibleNodes: feasible.length, state };
}

/** selectHost: the highest total; ties broken uniformly at random (reservoir sampling). */
export function selectHost(scores: NodeScore[], random: () => number): string {
  let best = scores[0];
  let count = 1;
  for (let i = 1; i < scores.length; i++) {
    const s = scores[i];
    if (s.score > best.score) {
      best = s;
      count = 1;
    } else if (s.score === best.score) {
      count++;
      if (random() * count < 1) best = s;
    }
  }
  return best.name;
}

function findNodesThatFit(fw: Framework, state: CycleState, pod: PodInfo, all: NodeInfo[], diagnosis: Diagnosis): { nodes: NodeInfo[]; evaluated: number } | { error: Error } {
  const pre = fw.runPreFilterPlugins(state, pod, all);
  if (!pre.status.isSuccess()) {
    if (pre.status.code === Code.Error) return { error: pre.status.err ?? new Error(pre.status.message()) };
    // Every node gets the PreFilter's status; the message names it once.
    diagnosis.nodeToStatus.absent = pre.status;
    diagnosis.preFilterMsg = pre.status.message();
    if (pre.status.plugin) diagnosis.unschedulablePlugins.add(pre.status.plugin);
    return { nodes: [], evaluated: 0 };
  }
  // A nominated node (set by an earlier preemption) is tried first (evaluateNominatedNode).
  const nominated = pod.pod.status?.nominatedNodeName;
  if (nominated) {
    const n = fw.snapshot.get(nominated);
    if (n && (!pre.result.nodeNames || pre.result.nodeNames.has(nominated)) && fw.runFilterWithNominatedPods(state, pod, n).isSuccess()) return { nodes: [n], evaluated: 1 };
  }
  let nodes = all;
  if (pre.result.nodeNames) {
    nodes = [];
    for (const name of pre.result.nodeNames) {
      const n = fw.snapshot.get(name);
      if (n) nodes.push(n);
    }
    // Nodes left out by the PreFilter result count as unresolvable with no reason of their own.
    diagnosis.nodeToStatus.absent = new Status(Code.UnschedulableAndUnresolvable, [`node(s) didn't satisfy plugin(s) [${pre.restrictedBy.join(' ')}]`]);
  }
  const want = numFeasibleNodesToFind(nodes.length, fw.percentageOfNodesToScore);
  const feasible: NodeInfo[] = [];
  const n = nodes.length;
  const start = fw.nextStartNodeIndex % n;
  let processed = 0;
  for (let i = 0; i < n && feasible.length < want; i++) {
    const node = nodes[(start + i) % n];
    processed++;
    const s = fw.runFilterWithNominatedPods(state, pod, node);
    if (s.isSuccess()) feasible.push(node);
    else if (s.code === Code.Error) return { error: s.err ?? new Error(s.message()) };
    else {
      diagnosis.nodeToStatus.set(node.name, s);
      if (s.plugin) diagnosis.unschedulablePlugins.add(s.plugin);
    }
  }
  fw.nextStartNodeIndex = (start + processed) % n;
  return { nodes: feasible, evaluated: processed };
}
