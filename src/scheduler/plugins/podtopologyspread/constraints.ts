// Topology spread constraints as the plugin uses them (podtopologyspread/common.go).
import { compileSelector, labelSelectorFromObject, newRequirement } from '../../framework/labels.js';
import type { LabelSelector } from '../../framework/labels.js';
import type { TopologySpreadConstraintSpec } from '../../framework/api.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { RequiredNodeAffinity } from '../../framework/node-affinity.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { doNotScheduleTaint, findUntoleratedTaint } from '../../framework/taints.js';

export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  minDomains: number;
  nodeAffinityPolicy: 'Honor' | 'Ignore';
  nodeTaintsPolicy: 'Honor' | 'Ignore';
}

/** The cluster-level defaults of the v1 configuration (systemDefaulted). */
export const SYSTEM_DEFAULT_CONSTRAINTS: TopologySpreadConstraintSpec[] = [
  { topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
  { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
];

/**
 * filterTopologySpreadConstraints: the constraints with this action, with matchLabelKeys merged
 * into the selector and the defaults of minDomains (1), nodeAffinityPolicy (Honor) and
 * nodeTaintsPolicy (Ignore).
 */
export function constraintsFor(specs: TopologySpreadConstraintSpec[], pod: PodInfo, action: 'DoNotSchedule' | 'ScheduleAnyway', selectorOverride?: LabelSelector): Constraint[] {
  const out: Constraint[] = [];
  for (const c of specs) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = selectorOverride ?? labelSelectorFromObject(c.labelSelector ?? undefined);
    if (!selectorOverride && c.matchLabelKeys?.length) {
      const extra = c.matchLabelKeys.filter((k) => k in pod.labels).map((k) => newRequirement(k, 'In', [pod.labels[k]]));
      if (extra.length) selector = { requirements: [...extra, ...selector.requirements], nothing: selector.nothing };
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
    });
  }
  return out;
}

/** Every topology key of the constraints is a label of the node. */
export function nodeHasAllKeys(labels: Record<string, string>, constraints: Constraint[]): boolean {
  for (const c of constraints) if (labels[c.topologyKey] === undefined) return false;
  return true;
}

/** matchNodeInclusionPolicies: whether the node counts for this constraint's domains. */
export function nodeIncluded(c: Constraint, pod: PodInfo, node: NodeInfo, required: RequiredNodeAffinity): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !required.isEmpty() && !required.matches(node.labels, node.name)) return false;
  if (c.nodeTaintsPolicy === 'Honor' && node.taints.length > 0 && findUntoleratedTaint(node.taints, pod.tolerations, doNotScheduleTaint)) return false;
  return true;
}

/** countPodsMatchSelector: pods of the namespace matching the selector, terminating ones left out. */
export function countMatching(pods: readonly PodInfo[], selector: LabelSelector, ns: string): number {
  const match = compileSelector(selector);
  let n = 0;
  for (let i = 0; i < pods.length; i++) {
    const p = pods[i];
    if (!p.terminating && p.namespace === ns && match(p.labels)) n++;
  }
  return n;
}
