// Pods by spec.nodeName: the node lifecycle and taint eviction controllers look up a node's pods.
import type { IndexFunc } from '../../client/cache.js';
import { field } from '../../client/objects.js';

export const PODS_BY_NODE = 'nodelifecycle:spec.nodeName';

export const podsByNode: IndexFunc = (pod) => {
  const n = field(pod, 'spec', 'nodeName');
  return typeof n === 'string' && n ? [n] : [];
};
