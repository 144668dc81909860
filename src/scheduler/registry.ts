// The one explicit map of in-tree plugins (pkg/scheduler/framework/plugins/registry.go) and the
// default profile (the v1 configuration's default plugins and score weights).
import type { PluginConfig } from './framework/framework.js';
import type { PluginFactory } from './framework/interfaces.js';
import { newDefaultPreemption } from './plugins/defaultpreemption/defaultpreemption.js';
import { newInterPodAffinity } from './plugins/interpodaffinity/interpodaffinity.js';
import { newNodeAffinity } from './plugins/nodeaffinity/nodeaffinity.js';
import { newNodeName } from './plugins/nodename/nodename.js';
import { newNodePorts } from './plugins/nodeports/nodeports.js';
import { newNodeResourcesFit } from './plugins/noderesourcesfit/noderesourcesfit.js';
import { newNodeUnschedulable } from './plugins/nodeunschedulable/nodeunschedulable.js';
import { newPodTopologySpread } from './plugins/podtopologyspread/podtopologyspread.js';
import { newPrioritySort } from './plugins/prioritysort/prioritysort.js';
import { newTaintToleration } from './plugins/tainttoleration/tainttoleration.js';

export const IN_TREE_PLUGINS: ReadonlyMap<string, PluginFactory> = new Map<string, PluginFactory>([
  ['PrioritySort', newPrioritySort],
  ['NodeUnschedulable', newNodeUnschedulable],
  ['NodeName', newNodeName],
  ['TaintToleration', newTaintToleration],
  ['NodeAffinity', newNodeAffinity],
  ['NodePorts', newNodePorts],
  ['NodeResourcesFit', newNodeResourcesFit],
  ['PodTopologySpread', newPodTopologySpread],
  ['InterPodAffinity', newInterPodAffinity],
  ['DefaultPreemption', newDefaultPreemption],
]);

/** The default profile: plugins in the order their filters run, with upstream's score weights. */
export function defaultPlugins(): PluginConfig[] {
  return [
    { name: 'PrioritySort' },
    { name: 'NodeUnschedulable' },
    { name: 'NodeName' },
    { name: 'TaintToleration', weight: 3 },
    { name: 'NodeAffinity', weight: 2 },
    { name: 'NodePorts' },
    { name: 'NodeResourcesFit', weight: 1 },
    { name: 'PodTopologySpread', weight: 2 },
    { name: 'InterPodAffinity', weight: 2 },
    { name: 'DefaultPreemption' },
  ];
}
