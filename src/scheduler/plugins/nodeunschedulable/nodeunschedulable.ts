// NodeUnschedulable: a node with spec.unschedulable takes only pods tolerating the
// node.kubernetes.io/unschedulable:NoSchedule taint (nodeunschedulable/node_unschedulable.go).
import type { AnyPlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status } from '../../framework/status.js';
import { tolerationsTolerateTaint } from '../../framework/taints.js';

export const NAME = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const ERR_REASON_UNKNOWN_CONDITION = 'node(s) had unknown conditions';
const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const };

export function newNodeUnschedulable(): AnyPlugin {
  return {
    name: NAME,
    filter(_state, pod: PodInfo, node: NodeInfo) {
      if (!node.node) return Status.unresolvable(ERR_REASON_UNKNOWN_CONDITION);
      if (!node.node.spec?.unschedulable) return undefined;
      if (tolerationsTolerateTaint(pod.tolerations, UNSCHEDULABLE_TAINT)) return undefined;
      return Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
    },
  };
}
