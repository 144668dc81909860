// The cluster side of `kumo apiserver`: admission, the scheduler, the controllers and the simulated
// nodes, all on one shared informer factory over in-process clients. Each component writes as its
// upstream identity (system:kube-scheduler, system:kube-controller-manager, system:nodes), so
// managedFields and events name who did what.
import { registryAdmissionLookup } from '../apiserver/admission/lookup.js';
import { defaultAdmissionPlugins } from '../apiserver/admission/plugins.js';
import type { Registry } from '../apiserver/registry/index.js';
import type { SchemaCatalog } from '../apiserver/schema/types.js';
import { createInProcessClient } from '../client/in-process.js';
import type { KubeClient } from '../client/types.js';
import { SharedInformerFactory } from '../client/informer-factory.js';
import { startClusterControllers } from '../controllers/cluster.js';
import { EventRecorder } from '../controllers/events/recorder.js';
import { startWorkloadControllers } from '../controllers/index.js';
import { FargateScheduler, type FargateAddresses } from '../cloud/fargate-scheduler.js';
import { kubeletVersionFor } from '../kubelet/node-object.js';
import type { PodNetwork } from '../kubelet/pod-network.js';
import { NodeSimulator } from '../kubelet/simulator.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { Clock } from '../util/clock.js';
import type { DataPlane } from './data-plane.js';
import { watchNodeControls } from './node-controls.js';
import { watchNodePool } from './node-pool.js';

export interface ClusterRuntimeOptions {
  registry: Registry;
  catalog: SchemaCatalog;
  clock: Clock;
  /** The cluster CA, published as kube-root-ca.crt in every namespace. */
  caPem: string;
  nodes: number;
  zones: string[];
  region: string;
  instanceType: string;
  /** Where Fargate nodes take their addresses (the region's VPC model under `kumo up`). */
  fargateAddresses?: FargateAddresses;
  /** The control plane's Kubernetes version (`1.32`, `v1.32.4`), read when nodes are created: their kubelets match it. */
  kubernetesVersion?: () => string;
  /** Pod IPs from a VPC for attached nodes, over a client of this cluster (EKS); default the simulator's own ranges. */
  podNetwork?: (client: KubeClient) => PodNetwork;
}

export interface ClusterRuntime {
  simulator: NodeSimulator;
  /** Usage and logs of the simulated nodes, for metrics.k8s.io and pods/log. */
  dataPlane: DataPlane;
  stop(): Promise<void>;
}

const USER_AGENT_SUFFIX = 'kumo';

export async function startClusterRuntime(opts: ClusterRuntimeOptions): Promise<ClusterRuntime> {
  const { registry, catalog, clock } = opts;
  registry.useAdmission(defaultAdmissionPlugins(), registryAdmissionLookup(registry, catalog, clock));

  const client = (username: string, groups: string[], agent: string) =>
    createInProcessClient(registry, catalog, { username, groups: [...groups, 'system:authenticated'] }, `${agent}/${USER_AGENT_SUFFIX}`);
  const controllerClient = client('system:kube-controller-manager', [], 'kube-controller-manager');
  const schedulerClient = client('system:kube-scheduler', [], 'kube-scheduler');
  // EKS's fargate-scheduler (a control-plane component of EKS, not a Kubernetes one).
  const fargateClient = client('eks:fargate-scheduler', ['system:masters'], 'fargate-scheduler');
  // One client for the whole simulated node pool: the simulator drives every node through it.
  const kubeletClient = client('system:node:kumo-simulated-nodes', ['system:nodes'], 'kubelet');

  const onInformerError = (err: unknown) => console.error('informer:', err);
  const informers = new SharedInformerFactory(controllerClient, clock, { onError: onInformerError });

  const controlPlaneVersion = opts.kubernetesVersion;
  const kubeletVersion = controlPlaneVersion && (() => kubeletVersionFor(controlPlaneVersion()));
  const simulator = new NodeSimulator({ client: kubeletClient, clock, informers, kubeletVersion, podNetwork: opts.podNetwork?.(controllerClient) });
  const scheduler = new Scheduler({ client: schedulerClient, informers, clock });
  const stops: Array<() => Promise<void>> = [];
  try {
    // Informers are made by each component's constructor/start; every start waits for their sync.
    const workload = await startWorkloadControllers({ client: controllerClient, informers, clock });
    stops.push(() => workload.stop());
    const cluster = await startClusterControllers({ client: controllerClient, informers, clock, rootCaPem: opts.caPem });
    stops.push(() => cluster.stop());
    await scheduler.start();
    stops.push(() => scheduler.stop());
    await simulator.adoptExisting();
    await simulator.start();
    stops.push(() => simulator.stop());
    const missing = opts.nodes - simulator.nodeNames().length;
    if (missing > 0) await simulator.addNodes({ count: missing, zones: opts.zones, region: opts.region, instanceType: opts.instanceType });
    const fargateEvents = new EventRecorder({ client: fargateClient, clock, component: 'fargate-scheduler' });
    const fargate = new FargateScheduler({
      client: fargateClient, informers, clock, region: opts.region, events: fargateEvents, addresses: opts.fargateAddresses,
      nodes: {
        has: (name) => simulator.node(name) !== undefined,
        remove: (name) => simulator.removeNode(name),
        add: async (n) => {
          await simulator.addNodes({
            count: 1, names: [n.name], zones: [n.zone], region: n.region, internalIPs: [n.internalIP], labels: n.labels, taints: n.taints,
            machine: { vcpu: n.vcpu, memoryMiB: n.memoryMiB, maxPods: 1, podUsesNodeIP: true },
          });
        },
      },
    });
    await fargate.start();
    stops.push(async () => {
      await fargate.stop();
      await fargateEvents.flush();
    });
    const controls = watchNodeControls(informers, simulator);
    stops.push(async () => controls.stop());
    const poolEvents = new EventRecorder({ client: kubeletClient, clock, component: 'kumo-node-pool' });
    const pool = watchNodePool(informers, simulator, { zones: opts.zones, region: opts.region, instanceType: opts.instanceType }, () => controls.removalsDone(), poolEvents);
    stops.push(async () => {
      pool.stop();
      await pool.idle();
      await poolEvents.flush();
    });
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await informers.stop();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    simulator,
    dataPlane: {
      nodeMetrics: () => simulator.usage.nodeMetrics(),
      podMetrics: (ns) => simulator.usage.podMetrics(ns),
      logs: (ns, pod, container, o) => simulator.logs(ns, pod, container, o),
    },
    stop() {
      stopping ??= (async () => {
        for (const stop of [...stops].reverse()) {
          try {
            await stop();
          } catch (err) {
            console.error('cluster runtime: stop failed:', err);
          }
        }
        await informers.stop();
      })();
      return stopping;
    },
  };
}
