// NodeName: a pod with spec.nodeName fits only that node (nodename/node_name.go).
import type { AnyPlugin } from '../../framework/interfaces.js';
import { Status } from '../../framework/status.js';

export const NAME = 'NodeName';
export const ERR_REASON = "node(s) didn't match the requested node name";

export function newNodeName(): AnyPlugin {
  return {
    name: NAME,
    filter(_state, pod, node) {
      const want = pod.nodeName;
      if (!want || want === node.name) return undefined;
      return Status.unresolvable(ERR_REASON);
    },
  };
}
