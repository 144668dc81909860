// DefaultPreemption (PostFilter; defaultpreemption/default_preemption.go and framework/preemption):
// when no node fits, find nodes where deleting lower-priority pods makes room, pick one by
// upstream's criteria, and answer it as the nominated node with the pods to delete. The scheduler
// loop deletes the victims and sets status.nominatedNodeName.
import type { CycleState } from '../../framework/cycle-state.js';
import { fitErrorMessage, newDiagnosis } from '../../framework/fit-error.js';
import type { AnyPlugin, Handle, NodeToStatus } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Code, Status } from '../../framework/status.js';
import { moreImportant, selectVictimsOnNode } from './victims.js';
import type { Victims } from './victims.js';

export const NAME = 'DefaultPreemption';
export const ERR_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
const MIN_CANDIDATE_NODES_ABSOLUTE = 100;
const INT32_OFFSET = 2 ** 31;

interface Candidate {
  node: NodeInfo;
  victims: Victims;
}

/** PodEligibleToPreemptOthers: the reason the pod may not preempt, or undefined. */
function notEligible(handle: Handle, pod: PodInfo): string | undefined {
  if (pod.pod.spec.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  const nominated = pod.pod.status?.nominatedNodeName;
  if (nominated) {
    const node = handle.snapshot.get(nominated);
    // A lower-priority pod still terminating on the nominated node: an earlier preemption is under way.
    if (node?.pods.some((p) => p.terminating && p.priority < pod.priority)) return 'not eligible due to a terminating pod on the nominated node.';
  }
  return undefined;
}

/** pickOneNodeForPreemption: fewest PDB violations, lowest top victim priority, lowest priority sum, fewest victims, latest start. */
export function pickCandidate(candidates: Candidate[]): Candidate {
  const criteria: ((c: Candidate) => number)[] = [
    (c) => -c.victims.numPDBViolations,
    (c) => -(c.victims.pods[0]?.priority ?? 0),
    (c) => -c.victims.pods.reduce((sum, p) => sum + p.priority + INT32_OFFSET, 0),
    (c) => -c.victims.pods.length,
    (c) => {
      const top = c.victims.pods[0]?.priority;
      let earliest = Infinity;
      for (const p of c.victims.pods) if (p.priority === top && p.startTime < earliest) earliest = p.startTime;
      return earliest;
    },
  ];
  let left = candidates;
  for (const score of criteria) {
    if (left.length === 1) break;
    const best = Math.max(...left.map(score));
    left = left.filter((c) => score(c) === best);
  }
  return left[0];
}

export function newDefaultPreemption(_args: Record<string, unknown> | undefined, handle: Handle): AnyPlugin {
  return {
    name: NAME,
    postFilter(state: CycleState, pod: PodInfo, statuses: NodeToStatus) {
      const why = notEligible(handle, pod);
      if (why) return { status: Status.unschedulable(`preemption: ${why}`) };
      const all = handle.snapshot.nodeInfos();
      const diagnosis = newDiagnosis();
      diagnosis.nodeToStatus.absent = Status.unresolvable(ERR_NOT_HELPFUL);
      const potential: NodeInfo[] = [];
      for (const n of all) {
        if (statuses.get(n.name)?.code === Code.Unschedulable) potential.push(n);
        else diagnosis.nodeToStatus.set(n.name, Status.unresolvable(ERR_NOT_HELPFUL));
      }
      const pdbs = handle.pdbs();
      const candidates: Candidate[] = [];
      if (potential.length) {
        let want = Math.trunc((potential.length * MIN_CANDIDATE_NODES_PERCENTAGE) / 100);
        if (want < MIN_CANDIDATE_NODES_ABSOLUTE) want = MIN_CANDIDATE_NODES_ABSOLUTE;
        if (want > potential.length) want = potential.length;
        const offset = Math.floor(handle.snapshot.numNodes() > 0 ? Math.random() * potential.length : 0);
        for (let i = 0; i < potential.length && candidates.length < want; i++) {
          const node = potential[(offset + i) % potential.length];
          const copy = node.clone();
          const out = selectVictimsOnNode(handle, state.clone(), pod, copy, pdbs);
          if (out instanceof Status) diagnosis.nodeToStatus.set(node.name, out);
          else if (out.pods.length === 0) diagnosis.nodeToStatus.set(node.name, Status.error(new Error(`expected at least one victim pod on node "${node.name}"`)));
          else candidates.push({ node, victims: out });
        }
      }
      if (candidates.length === 0) {
        // The pod's nominated node, if any, is cleared.
        return { result: { nominatedNodeName: '' }, status: Status.unschedulable(`preemption: ${fitErrorMessage(all.length, diagnosis)}`) };
      }
      const best = pickCandidate(candidates);
      return { result: { nominatedNodeName: best.node.name, victims: [...best.victims.pods].sort(moreImportant) }, status: Status.success() };
    },
  };
}
