// One simulated worker node: its Node object, its Lease heartbeat and its status reports, on the
// shared timer wheel. Upstream's kubelet renews its Lease in kube-node-lease every 10 s
// (renewInterval = 0.25 * leaseDurationSeconds 40) and posts node status when something changed
// or nodeStatusReportFrequency (default 5 min) has passed; lastHeartbeatTime moves on each post,
// lastTransitionTime only when a condition's status changes.
import { isAlreadyExists, isNotFound } from '../client/errors.js';
import { uid } from '../client/objects.js';
import type { KubeClient, Obj } from '../client/types.js';
import type { Clock } from '../util/clock.js';
import { microTime, rfc3339 } from './determinism.js';
import { healthyConditions, nodeObject } from './node-object.js';
import type { ConditionType, NodeIdentity } from './node-object.js';
import type { NodeResources } from './node-resources.js';
import type { PodHost } from './pod-controller.js';
import type { NodePodAddresses, PodIpAssignment } from './pod-network.js';
import type { TimerWheel } from './timer-wheel.js';

export const LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40;
export const LEASE_RENEW_INTERVAL_MS = 10_000;
export const NODE_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;

export interface HeartbeatOptions {
  leaseRenewIntervalMs?: number;
  nodeStatusReportFrequencyMs?: number;
}

export interface SimulatedNodeDeps {
  client: KubeClient;
  clock: Clock;
  wheel: TimerWheel;
  seed: number;
  onError: (err: unknown, context: string) => void;
  heartbeat?: HeartbeatOptions;
}

export class SimulatedNode implements PodHost {
  private heartbeating = false;
  private removed = false;
  private nodeUid = '';

  constructor(
    private readonly deps: SimulatedNodeDeps,
    readonly identity: NodeIdentity,
    readonly resources: NodeResources,
    /** Where its pods' addresses come from: its own block, or the VPC through the pod network. */
    readonly podAddresses: NodePodAddresses,
  ) {}

  get name(): string {
    return this.identity.name;
  }
  get hostIP(): string {
    return this.identity.internalIP;
  }
  /** The kubelet is up: heartbeats go out and pods progress. */
  get live(): boolean {
    return this.heartbeating && !this.removed;
  }

  allocatePodIP(): PodIpAssignment {
    // A Fargate micro-VM's one ENI is its pod's: the pod has the node's address.
    return this.identity.podUsesNodeIP ? { ip: this.hostIP } : this.podAddresses.allocate();
  }
  markPodIP(ip: string): void {
    if (!this.identity.podUsesNodeIP) this.podAddresses.markUsed(ip);
  }
  releasePodIP(ip: string): void {
    if (!this.identity.podUsesNodeIP) this.podAddresses.release(ip);
  }

  private get nodes() {
    return this.deps.client.resource('', 'v1', 'nodes');
  }
  private get leases() {
    return this.deps.client.resource('coordination.k8s.io', 'v1', 'leases');
  }

  /** Creates the Node (or takes over an existing one of the same name). */
  async register(): Promise<void> {
    const now = this.deps.clock.now();
    let node: Obj;
    try {
      node = await this.nodes.create(undefined, nodeObject(this.deps.seed, this.identity, this.resources, now));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      node = await this.nodes.get(undefined, this.name);
    }
    this.nodeUid = uid(node);
  }

  /** Starts (or resumes) heartbeats: a Lease renewal and a status post now, then on their periods. */
  startHeartbeat(): void {
    if (this.heartbeating || this.removed) return;
    this.heartbeating = true;
    void this.renewLease();
    void this.postStatus();
  }

  stopHeartbeat(): void {
    this.heartbeating = false;
    this.deps.wheel.cancel(this.leaseKey);
    this.deps.wheel.cancel(this.statusKey);
  }

  /** Stops everything and deletes the Node object and its Lease. */
  async remove(): Promise<void> {
    this.stopHeartbeat();
    this.removed = true;
    for (const del of [() => this.nodes.delete(undefined, this.name), () => this.leases.delete(LEASE_NAMESPACE, this.name)]) {
      try {
        await del();
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  private get leaseKey(): string {
    return `lease:${this.name}`;
  }
  private get statusKey(): string {
    return `nodestatus:${this.name}`;
  }

  private get renewMs(): number {
    return this.deps.heartbeat?.leaseRenewIntervalMs ?? LEASE_RENEW_INTERVAL_MS;
  }
  private get reportMs(): number {
    return this.deps.heartbeat?.nodeStatusReportFrequencyMs ?? NODE_STATUS_REPORT_FREQUENCY_MS;
  }

  private leaseObject(now: number): Obj {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.name,
        namespace: LEASE_NAMESPACE,
        ...(this.nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.name, uid: this.nodeUid }] } : {}),
      },
      spec: { holderIdentity: this.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now) },
    };
  }

  private async renewLease(): Promise<void> {
    if (!this.live) return;
    const now = this.deps.clock.now();
    // Schedule the next renewal first: a slow or failed write does not stop the heartbeat.
    this.deps.wheel.schedule(this.leaseKey, now + this.renewMs, () => void this.renewLease());
    try {
      try {
        await this.leases.patch(LEASE_NAMESPACE, this.name, 'merge', { spec: { holderIdentity: this.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now) } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
        await this.leases.create(LEASE_NAMESPACE, this.leaseObject(now));
      }
    } catch (err) {
      this.deps.onError(err, `lease renewal of node ${this.name}`);
    }
  }

  private async postStatus(): Promise<void> {
    if (!this.live) return;
    const now = this.deps.clock.now();
    this.deps.wheel.schedule(this.statusKey, now + this.reportMs, () => void this.postStatus());
    try {
      const node = await this.nodes.get(undefined, this.name);
      const old = (((node.status as Obj | undefined)?.conditions ?? []) as Array<Record<string, string>>);
      const transitions: Partial<Record<ConditionType, string>> = {};
      for (const c of healthyConditions(now)) {
        const prev = old.find((o) => o.type === c.type);
        transitions[c.type as ConditionType] = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now);
      }
      await this.nodes.patch(undefined, this.name, 'merge', { status: { conditions: healthyConditions(now, transitions) } }, { subresource: 'status' });
    } catch (err) {
      if (isNotFound(err)) return;
      this.deps.onError(err, `status update of node ${this.name}`);
    }
  }
}
