// The simulated data plane of one cluster: a pool of simulated nodes sharing ONE pod informer and
// ONE timer wheel, the pod lifecycle controller, simulated usage (metrics.k8s.io) and logs.
import { notFound } from '../api/status.js';
import { Informer } from '../client/informer.js';
import type { SharedInformerFactory } from '../client/informer-factory.js';
import { labels, name as nameOf } from '../client/objects.js';
import type { KubeClient, Obj } from '../client/types.js';
import type { Clock } from '../util/clock.js';
import { DEFAULT_POD_STAGES } from './default-stages.js';
import { instanceType, type InstanceTypeInfo } from '../cloud/index.js';
import { NodeIpAllocator, PodRangeAllocator, type PodIpRange } from './ip-allocator.js';
import { logsFor } from './logs.js';
import type { LogOptions } from './logs.js';
import { instanceIdFor, privateDnsName, SIMULATED_LABEL } from './node-object.js';
import type { NodeIdentity, NodeTaint } from './node-object.js';
import { DEFAULT_INSTANCE_TYPE, nodeResources, requireInstanceType, resourceOptionsOf, type NodeResourceOptions } from './node-resources.js';
import { PodController } from './pod-controller.js';
import { networkAddresses, type NodePodAddresses, type PodNetwork } from './pod-network.js';
import { SimulatedNode } from './simulated-node.js';
import type { HeartbeatOptions } from './simulated-node.js';
import type { Stage } from './stages.js';
import { TimerWheel } from './timer-wheel.js';
import { UsageSource } from './usage.js';

export const DEFAULT_REGION = 'us-east-1';

export interface NodeSimulatorOptions {
  client: KubeClient;
  clock: Clock;
  /** Share the process's pod informer; without it the simulator runs its own. */
  informers?: SharedInformerFactory;
  /** Seeds jitter and generated identifiers (instance ids, container ids). Default 1. */
  seed?: number;
  /** The pod lifecycle; default DEFAULT_POD_STAGES. */
  stages?: readonly Stage[];
  /** Concurrent pod status writers. Default 8. */
  workers?: number;
  heartbeat?: HeartbeatOptions;
  /** Record kubelet Events about pods. Default true. */
  events?: boolean;
  onError?: (err: unknown, context: string) => void;
  /** nodeInfo.kubeletVersion of nodes added from now on, read at each addNodes (it follows control-plane upgrades). Default KUBELET_VERSION. */
  kubeletVersion?: () => string;
  /** Pod IPs of nodes attached to a VPC, and the vpc-cni settings of nodes launched; default every node's own 100.64/10 block. */
  podNetwork?: PodNetwork;
}

export interface AddNodesOptions {
  count: number;
  /** Default m5.large. */
  instanceType?: string;
  /** Zone names, or bare suffixes ("a", "b") completed with the region. Default <region>a, b, c. */
  zones?: string[];
  /** Default us-east-1. */
  region?: string;
  /** Names become <prefix>-<n>; default EKS's private DNS names (ip-192-168-0-10.ec2.internal). */
  namePrefix?: string;
  /** The nodes' InternalIPs, one per node (e.g. from a subnet of the VPC model); default the simulator's own zone subnets. */
  internalIPs?: string[];
  /** The nodes' EC2 instance IDs, one per node; default derived from the name. */
  instanceIds?: string[];
  /** Labels every node registers with beside the kubelet's own (kubelet --node-labels). */
  labels?: Record<string, string>;
  /** Taints every node registers with (kubelet --register-with-taints). */
  taints?: NodeTaint[];
  /** nodeInfo.kubeletVersion of these nodes; default the simulator's kubeletVersion option. */
  kubeletVersion?: string;
  /** How the nodes were launched: prefix delegation, an explicit --max-pods, root volume size. */
  resources?: NodeResourceOptions;
  /** The nodes' names, one per node; default from namePrefix or the InternalIP. */
  names?: string[];
  /**
   * A machine that is no EC2 instance type (a Fargate micro-VM): capacity from these figures, no
   * instance-type labels. Overrides instanceType.
   */
  machine?: { vcpu: number; memoryMiB: number; maxPods: number; arch?: 'amd64' | 'arm64'; podUsesNodeIP?: boolean };
}

/** A machine outside the EC2 catalog (a Fargate micro-VM) in the catalog's shape; its empty name marks it. */
function machineType(m: NonNullable<AddNodesOptions['machine']>): InstanceTypeInfo {
  return {
    name: '', family: '', generation: 0, arch: m.arch === 'arm64' ? 'arm64' : 'x86_64', vcpu: m.vcpu, memoryMiB: m.memoryMiB, gpus: 0,
    maxENIs: 1, ipv4PerENI: 1, maxPodsSecondaryIP: m.maxPods, onDemandUSDPerHour: {}, nitro: true,
  };
}

export class NodeSimulator {
  readonly usage: UsageSource;
  private readonly client: KubeClient;
  private readonly clock: Clock;
  private readonly seed: number;
  private readonly wheel: TimerWheel;
  private readonly informer: Informer;
  private readonly ownInformer: boolean;
  private readonly pods: PodController;
  private readonly nodes = new Map<string, SimulatedNode>();
  private readonly nodeIps = new NodeIpAllocator();
  private readonly podRanges = new PodRangeAllocator();
  /** The own pod address blocks of nodes without a network attachment. */
  private readonly ranges = new Map<string, PodIpRange>();
  private readonly zoneIndex = new Map<string, number>();
  private readonly prefixCounters = new Map<string, number>();
  private readonly onError: (err: unknown, context: string) => void;
  private started = false;

  constructor(private readonly opts: NodeSimulatorOptions) {
    this.client = opts.client;
    this.clock = opts.clock;
    this.seed = opts.seed ?? 1;
    this.onError = opts.onError ?? ((err, context) => console.error(`kubelet: ${context}:`, err));
    this.wheel = new TimerWheel(opts.clock);
    if (opts.informers) {
      this.informer = opts.informers.informerFor('', 'v1', 'pods');
      this.ownInformer = false;
    } else {
      this.informer = new Informer({ client: opts.client.resource('', 'v1', 'pods'), clock: opts.clock, name: 'pods', onError: this.onError });
      this.ownInformer = true;
    }
    this.pods = new PodController({
      client: opts.client,
      clock: opts.clock,
      informer: this.informer,
      wheel: this.wheel,
      stages: opts.stages ?? DEFAULT_POD_STAGES,
      seed: this.seed,
      hostFor: (n) => this.nodes.get(n),
      workers: opts.workers,
      events: opts.events,
      onError: this.onError,
    });
    this.usage = new UsageSource(opts.clock, this.informer.lister, () => [...this.nodes.values()]);
  }

  /** Starts pod handling and the heartbeats of every node (nodes added later start at once). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (this.ownInformer) this.informer.start();
    this.pods.start();
    for (const node of this.nodes.values()) node.startHeartbeat();
  }

  async stop(): Promise<void> {
    for (const node of this.nodes.values()) node.stopHeartbeat();
    this.wheel.stop();
    await this.pods.stop();
    if (this.ownInformer) await this.informer.stop();
  }

  private zoneNumber(zone: string): number {
    let i = this.zoneIndex.get(zone);
    if (i === undefined) this.zoneIndex.set(zone, (i = this.zoneIndex.size));
    return i;
  }

  private nextName(prefix: string): string {
    let n = this.prefixCounters.get(prefix) ?? 0;
    while (this.nodes.has(`${prefix}-${n}`)) n++;
    this.prefixCounters.set(prefix, n + 1);
    return `${prefix}-${n}`;
  }

  /** Registers `count` nodes, spread round-robin over the zones; resolves with their names. */
  async addNodes(o: AddNodesOptions): Promise<string[]> {
    if (!Number.isInteger(o.count) || o.count < 0) throw new Error(`node count must be a non-negative integer, got ${o.count}`);
    const type = o.machine ? machineType(o.machine) : requireInstanceType(o.instanceType ?? DEFAULT_INSTANCE_TYPE);
    const region = o.region ?? DEFAULT_REGION;
    const zones = (o.zones?.length ? o.zones : ['a', 'b', 'c']).map((z) => (/^[a-z]$/.test(z) ? `${region}${z}` : z));
    const launchOptions = o.machine ? { ...o.resources, maxPods: o.machine.maxPods } : o.resources;
    for (const [what, list] of [['internalIPs', o.internalIPs], ['instanceIds', o.instanceIds], ['names', o.names]] as const) {
      if (list && list.length !== o.count) throw new Error(`${what} must name one value per node: ${list.length} for ${o.count} nodes`);
    }
    // Nodes launched now follow the vpc-cni settings in force (prefix delegation decides max pods).
    const network = this.opts.podNetwork;
    const launched = launchOptions?.prefixDelegation === undefined && !o.machine && o.count > 0 ? await network?.launchSettings?.() : undefined;
    const kubeletVersion = o.kubeletVersion ?? this.opts.kubeletVersion?.();
    const ids: NodeIdentity[] = [];
    const taken = new Set<string>();
    for (let i = 0; i < o.count; i++) {
      const zone = zones[i % zones.length];
      const given = o.internalIPs?.[i];
      const ip = given ?? this.nodeIps.allocate(this.zoneNumber(zone));
      if (given !== undefined) this.nodeIps.markUsed(given);
      const name = o.names?.[i] ?? (o.namePrefix ? this.nextName(o.namePrefix) : privateDnsName(ip, region));
      if (this.nodes.has(name) || taken.has(name)) {
        for (const id of ids) this.nodeIps.release(id.internalIP);
        if (given === undefined) this.nodeIps.release(ip);
        throw new Error(`a node named ${name} already exists`);
      }
      taken.add(name);
      ids.push({
        name, zone, region, internalIP: ip, instanceId: o.instanceIds?.[i] ?? instanceIdFor(this.seed, name), type, kubeletVersion,
        extraLabels: o.labels, taints: o.taints, podUsesNodeIP: o.machine?.podUsesNodeIP,
      });
    }
    const made: SimulatedNode[] = [];
    for (const id of ids) {
      const attached = network?.attachment({ name: id.name, instanceId: id.instanceId });
      const prefixDelegation = launchOptions?.prefixDelegation ?? attached?.prefixDelegation ?? launched?.prefixDelegation;
      const res = nodeResources(type, { ...launchOptions, prefixDelegation });
      const node = new SimulatedNode(this.nodeDeps(), id, res, this.addressesFor(id, res.maxPods, attached !== undefined));
      this.nodes.set(id.name, node);
      made.push(node);
    }
    for (let i = 0; i < made.length; i += 50) {
      await Promise.all(made.slice(i, i + 50).map((n) => n.register()));
    }
    for (const node of made) {
      if (this.started) node.startHeartbeat();
      this.pods.resyncNode(node.name);
    }
    return made.map((n) => n.name);
  }

  /**
   * Takes over the simulated nodes a previous run registered (label kumo.dev/simulated=true):
   * same names, zones, addresses and instance types. Resolves with their names.
   */
  async adoptExisting(): Promise<string[]> {
    const list = await this.client.resource('', 'v1', 'nodes').list(undefined, { labelSelector: `${SIMULATED_LABEL}=true` });
    const names: string[] = [];
    for (const obj of list.items) {
      const name = nameOf(obj);
      if (this.nodes.has(name)) continue;
      const l = labels(obj);
      const type = instanceType(l['node.kubernetes.io/instance-type'] ?? '');
      const ip = addressOf(obj, 'InternalIP');
      if (!type || !ip) continue;
      this.nodeIps.markUsed(ip);
      const zone = l['topology.kubernetes.io/zone'] ?? '';
      this.zoneNumber(zone);
      const nodeInfo = ((obj['status'] as Obj | undefined)?.['nodeInfo'] ?? {}) as Obj;
      const kubeletVersion = typeof nodeInfo['kubeletVersion'] === 'string' ? nodeInfo['kubeletVersion'] : undefined;
      // providerID is aws:///<zone>/<instance id>.
      const providerID = String(((obj['spec'] as Obj | undefined)?.['providerID']) ?? '');
      const instanceId = /\/(i-[0-9a-f]+)$/.exec(providerID)?.[1] ?? instanceIdFor(this.seed, name);
      const id: NodeIdentity = { name, zone, region: l['topology.kubernetes.io/region'] ?? DEFAULT_REGION, internalIP: ip, instanceId, type, kubeletVersion };
      // The node keeps the max pods and volume it was launched with.
      const res = nodeResources(type, resourceOptionsOf(obj));
      const attached = this.opts.podNetwork?.attachment({ name, instanceId }) !== undefined;
      const node = new SimulatedNode(this.nodeDeps(), id, res, this.addressesFor(id, res.maxPods, attached));
      await node.register();
      this.nodes.set(name, node);
      if (this.started) node.startHeartbeat();
      this.pods.resyncNode(name);
      names.push(name);
    }
    return names;
  }

  private nodeDeps() {
    return { client: this.client, clock: this.clock, wheel: this.wheel, seed: this.seed, onError: this.onError, heartbeat: this.opts.heartbeat };
  }

  /** The pod network's addresses for an attached node, else a block of its own. */
  private addressesFor(id: NodeIdentity, maxPods: number, attached: boolean): NodePodAddresses {
    if (attached && this.opts.podNetwork) return networkAddresses(this.opts.podNetwork, { name: id.name, instanceId: id.instanceId });
    const range = this.podRanges.allocate(maxPods);
    this.ranges.set(id.name, range);
    return range;
  }

  /** Deletes the Node (and its Lease); its pods are left to the pod garbage collector, as upstream. */
  async removeNode(name: string): Promise<void> {
    const node = this.requireNode(name);
    this.pods.pauseNode(name);
    this.nodes.delete(name);
    this.nodeIps.release(node.hostIP);
    const range = this.ranges.get(name);
    if (range) this.podRanges.release(range);
    this.ranges.delete(name);
    await node.remove();
  }

  /** The node's kubelet goes silent: no Lease renewals, no status posts, its pods freeze. */
  stopHeartbeat(name: string): void {
    this.requireNode(name).stopHeartbeat();
    this.pods.pauseNode(name);
  }

  resumeHeartbeat(name: string): void {
    const node = this.requireNode(name);
    if (this.started) node.startHeartbeat();
    this.pods.resyncNode(name);
  }

  nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  node(name: string): SimulatedNode | undefined {
    return this.nodes.get(name);
  }

  /** `kubectl logs` for a pod on a simulated node (synthetic lines; see logs.ts). */
  logs(namespace: string, pod: string, container: string | undefined, opts: LogOptions = {}): string[] {
    const obj = this.informer.lister.get(namespace, pod);
    if (!obj) throw notFound('', 'pods', pod);
    return logsFor(obj, container, opts, this.clock.now());
  }

  /** True when no pod work is queued, in flight, or awaiting its echo through the informer. */
  idle(): boolean {
    return this.pods.idle();
  }

  /** Pod status writes, conflicts met, pod deletions and Event writes so far. */
  podStats(): { statusWrites: number; conflicts: number; deletes: number; eventWrites: number } {
    return this.pods.stats;
  }

  /** The next moment a node or pod timer is due (for tests driving a FakeClock). */
  nextDueAt(): number | undefined {
    return this.wheel.nextDueAt();
  }

  /** The pod informer in use (the shared one when given). */
  podInformer(): Informer {
    return this.informer;
  }

  private requireNode(name: string): SimulatedNode {
    const node = this.nodes.get(name);
    if (!node) throw notFound('', 'nodes', name);
    return node;
  }
}

function addressOf(node: Obj, type: string): string | undefined {
  const list = ((node.status as Obj | undefined)?.addresses ?? []) as Array<{ type?: string; address?: string }>;
  return list.find((a) => a.type === type)?.address;
}
