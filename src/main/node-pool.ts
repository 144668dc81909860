// The size of the simulated node pool, set through the API like a managed node group's desired
// size: ConfigMap kube-system/kumo-node-pool, key `nodes` (a count). While it exists the runtime
// keeps that many simulated nodes: it adds nodes (spread over the zones, optional keys `zones`,
// comma separated, and `instanceType` override the server's flags) or removes the newest ones; a
// deleted Node is replaced, as an Auto Scaling group replaces a terminated instance. Without the
// ConfigMap the pool keeps the size it has.
import type { SharedInformerFactory } from '../client/informer-factory.js';
import type { EventRecorder } from '../controllers/events/recorder.js';
import type { Obj } from '../client/types.js';
import type { NodeSimulator } from '../kubelet/simulator.js';

export const NODE_POOL_NAMESPACE = 'kube-system';
export const NODE_POOL_CONFIGMAP = 'kumo-node-pool';

export interface NodePoolDefaults {
  zones: string[];
  region: string;
  instanceType: string;
}

interface Desired {
  nodes: number;
  zones: string[];
  instanceType: string;
}

function desiredOf(cm: Obj, defaults: NodePoolDefaults): Desired | string {
  const data = (cm['data'] ?? {}) as Record<string, string>;
  const raw = (data['nodes'] ?? '').trim();
  const nodes = Number(raw);
  if (raw === '' || !Number.isInteger(nodes) || nodes < 0) return `data.nodes must be a non-negative integer, got ${JSON.stringify(data['nodes'] ?? '')}`;
  const zones = (data['zones'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return { nodes, zones: zones.length ? zones : defaults.zones, instanceType: data['instanceType']?.trim() || defaults.instanceType };
}

function isPoolConfigMap(obj: Obj): boolean {
  const meta = (obj['metadata'] ?? {}) as Obj;
  return meta['namespace'] === NODE_POOL_NAMESPACE && meta['name'] === NODE_POOL_CONFIGMAP;
}

/**
 * `settle` resolves once pending removals of deleted Nodes are done, before nodes are added.
 * Bad input and failures are reported as Warning Events on the ConfigMap.
 */
export function watchNodePool(informers: SharedInformerFactory, simulator: NodeSimulator, defaults: NodePoolDefaults, settle: () => Promise<void>, recorder: EventRecorder): { stop(): void; idle(): Promise<void> } {
  const configMaps = informers.informerFor('', 'v1', 'configmaps');
  const nodes = informers.informerFor('', 'v1', 'nodes');
  // Reconciles run one at a time; a change during one is picked up by the next.
  let chain: Promise<void> = Promise.resolve();
  let pending = false;
  let stopped = false;

  const reconcile = async () => {
    const cm = configMaps.lister.get(NODE_POOL_NAMESPACE, NODE_POOL_CONFIGMAP);
    if (!cm) return;
    const desired = desiredOf(cm, defaults);
    if (typeof desired === 'string') {
      recorder.event(cm, 'Warning', 'InvalidNodePool', `${desired}; the node pool is left as it is`);
      return;
    }
    // Fargate's nodes belong to their pods, not to the pool.
    const current = simulator.nodeNames().filter((n) => simulator.node(n)?.identity.extraLabels?.['eks.amazonaws.com/compute-type'] !== 'fargate');
    if (current.length < desired.nodes) {
      await settle();
      // Like an Auto Scaling group, new nodes go to the zones with the fewest first.
      const count = new Map(desired.zones.map((z) => [z, 0]));
      for (const name of current) {
        const zone = simulator.node(name)?.identity.zone;
        if (zone !== undefined && count.has(zone)) count.set(zone, count.get(zone)! + 1);
      }
      const zones = [...desired.zones].sort((a, b) => count.get(a)! - count.get(b)!);
      await simulator.addNodes({ count: desired.nodes - current.length, zones, region: defaults.region, instanceType: desired.instanceType });
    } else if (current.length > desired.nodes) {
      for (const name of current.slice(desired.nodes).reverse()) await simulator.removeNode(name);
    }
  };
  const schedule = () => {
    if (stopped || pending) return;
    pending = true;
    chain = chain.then(async () => {
      pending = false;
      if (stopped) return;
      try {
        await reconcile();
      } catch (err) {
        const cm = configMaps.lister.get(NODE_POOL_NAMESPACE, NODE_POOL_CONFIGMAP);
        if (cm) recorder.event(cm, 'Warning', 'NodePoolResizeFailed', err instanceof Error ? err.message : String(err));
        else console.error('kumo: resizing the node pool failed:', err);
      }
    });
  };

  const cmRegistration = configMaps.addEventHandler({
    onAdd: (obj) => isPoolConfigMap(obj) && schedule(),
    onUpdate: (_old, obj) => isPoolConfigMap(obj) && schedule(),
  });
  // A Node deleted by a client shrinks the pool below the desired size.
  const nodeRegistration = nodes.addEventHandler({ onDelete: () => schedule() });
  return {
    stop() {
      stopped = true;
      cmRegistration.remove();
      nodeRegistration.remove();
    },
    idle: () => chain,
  };
}
