// Victim selection on one node (pkg/scheduler/framework/preemption SelectVictimsOnNode): remove
// every lower-priority pod, check the pod fits, then give back as many pods as possible, most
// important first and PDB-protected ones before the others.
import { matchesLabels } from '../../framework/labels.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { DisruptionBudget, Handle } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status } from '../../framework/status.js';

export const ERR_NO_VICTIMS = 'No preemption victims found for incoming pod';

/** MoreImportantPod: higher priority, then the one that started earlier. */
export function moreImportant(a: PodInfo, b: PodInfo): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return a.startTime - b.startTime;
}

/** filterPodsWithPDBViolation: pods whose eviction would exceed a budget's disruptionsAllowed. */
export function splitByPDB(pods: PodInfo[], pdbs: DisruptionBudget[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.disruptionsAllowed);
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const p of pods) {
    let violates = false;
    pdbs.forEach((pdb, i) => {
      if (pdb.namespace !== p.namespace) return;
      // An empty selector selects nothing here, as upstream.
      if (pdb.selector.nothing || pdb.selector.requirements.length === 0 || !matchesLabels(pdb.selector, p.labels)) return;
      if (pdb.disruptedPods.has(p.name)) return;
      allowed[i]--;
      if (allowed[i] < 0) violates = true;
    });
    (violates ? violating : nonViolating).push(p);
  }
  return { violating, nonViolating };
}

export interface Victims {
  pods: PodInfo[];
  numPDBViolations: number;
}

export function selectVictimsOnNode(handle: Handle, state: CycleState, pod: PodInfo, node: NodeInfo, pdbs: DisruptionBudget[]): Victims | Status {
  const potential: PodInfo[] = [];
  for (const p of [...node.pods]) {
    if (p.priority < pod.priority) {
      potential.push(p);
      node.removePod(p.key);
      const s = handle.runPreFilterRemovePod(state, pod, p, node);
      if (!s.isSuccess()) return s;
    }
  }
  if (potential.length === 0) return Status.unresolvable(ERR_NO_VICTIMS);
  const fits = handle.runFilterWithNominatedPods(state, pod, node);
  if (!fits.isSuccess()) return fits;
  potential.sort(moreImportant);
  const { violating, nonViolating } = splitByPDB(potential, pdbs);
  const victims: PodInfo[] = [];
  let numPDBViolations = 0;
  const reprieve = (p: PodInfo): boolean => {
    node.addPod(p);
    handle.runPreFilterAddPod(state, pod, p, node);
    if (handle.runFilterWithNominatedPods(state, pod, node).isSuccess()) return true;
    node.removePod(p.key);
    handle.runPreFilterRemovePod(state, pod, p, node);
    victims.push(p);
    return false;
  };
  for (const p of violating) if (!reprieve(p)) numPDBViolations++;
  for (const p of nonViolating) reprieve(p);
  return { pods: victims, numPDBViolations };
}
