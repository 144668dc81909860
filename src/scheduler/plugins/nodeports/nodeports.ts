// NodePorts: a pod's hostPorts must be free on the node (nodeports/node_ports.go).
import type { AnyPlugin } from '../../framework/interfaces.js';
import { Status } from '../../framework/status.js';

export const NAME = 'NodePorts';
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";

export function newNodePorts(): AnyPlugin {
  return {
    name: NAME,
    preFilter(_state, pod) {
      return pod.hostPorts.length === 0 ? Status.skip() : undefined;
    },
    filter(_state, pod, node) {
      for (const hp of pod.hostPorts) if (node.portConflicts(hp)) return Status.unschedulable(ERR_REASON);
      return undefined;
    },
  };
}
