// The node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go):
// - node health: a node is heard from when its Ready condition's lastHeartbeatTime or its Lease's
//   renewTime (kube-node-lease/<node>) changes; the time is this controller's own observation time,
//   not the kubelet's. After --node-monitor-grace-period (50 s since 1.32) without news, its Ready,
//   MemoryPressure, DiskPressure and PIDPressure conditions become Unknown ("Kubelet stopped
//   posting node status."); a node that never posted gets them after the 60 s startup grace period;
// - when Ready stops being True: a NodeNotReady event and the node's pods' Ready condition set to
//   False (MarkPodsNotReady);
// - NoSchedule taints from conditions (TaintNodesByCondition) and node.kubernetes.io/unschedulable;
// - NoExecute taints not-ready (Ready False) or unreachable (Ready Unknown), swapped at once when
//   the node already has the other, otherwise added under a per-zone rate limit (0.1 nodes/s;
//   0.01 in a partially disrupted zone of more than 50 nodes, none in a smaller one); when every
//   zone is fully disrupted no node is tainted and existing NoExecute taints are removed
//   ("master disruption mode"). Removing them when the node is Ready again is not rate limited.
// Each node is checked every --node-monitor-period (5 s) of the Clock.
import { isNotFound } from '../../client/errors.js';
import type { Informer } from '../../client/informer.js';
import { clone, creationTimestamp, field, labels, name, namespace } from '../../client/objects.js';
import type { Obj, ResourceClient } from '../../client/types.js';
import type { WorkQueue } from '../../util/workqueue.js';
import type { EventRecorder } from '../events/recorder.js';
import type { ControllerDeps, WorkloadController } from '../shared/types.js';
import { podsByNode, PODS_BY_NODE } from './pod-index.js';
import {
  nodeTaints,
  sameTaint,
  TAINT_DISK_PRESSURE,
  TAINT_MEMORY_PRESSURE,
  TAINT_NETWORK_UNAVAILABLE,
  TAINT_NOT_READY,
  TAINT_PID_PRESSURE,
  TAINT_UNREACHABLE,
  TAINT_UNSCHEDULABLE,
} from './taints.js';
import type { Taint } from './taints.js';

export interface NodeLifecycleOptions {
  /** --node-monitor-grace-period: 50 s since Kubernetes 1.32 (40 s before). */
  nodeMonitorGracePeriodMs?: number;
  /** --node-startup-grace-period. */
  nodeStartupGracePeriodMs?: number;
  /** --node-monitor-period. */
  nodeMonitorPeriodMs?: number;
  /** --node-eviction-rate (nodes per second per zone). */
  evictionRate?: number;
  /** --secondary-node-eviction-rate. */
  secondaryEvictionRate?: number;
  /** --unhealthy-zone-threshold. */
  unhealthyZoneThreshold?: number;
  /** --large-cluster-size-threshold. */
  largeClusterSizeThreshold?: number;
}

const LEASE_NAMESPACE = 'kube-node-lease';
const CONDITIONS_SET_UNKNOWN = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];
/** nodeConditionToTaintKeyStatusMap of the NoSchedule tainting pass. */
const CONDITION_TAINTS: Array<[string, string, string]> = [
  ['Ready', 'False', TAINT_NOT_READY],
  ['Ready', 'Unknown', TAINT_UNREACHABLE],
  ['MemoryPressure', 'True', TAINT_MEMORY_PRESSURE],
  ['DiskPressure', 'True', TAINT_DISK_PRESSURE],
  ['NetworkUnavailable', 'True', TAINT_NETWORK_UNAVAILABLE],
  ['PIDPressure', 'True', TAINT_PID_PRESSURE],
];
const NO_SCHEDULE_KEYS = new Set([...CONDITION_TAINTS.map(([, , k]) => k), TAINT_UNSCHEDULABLE]);

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

interface Health {
  /** When this controller last heard from the node (its own clock). */
  probe: number;
  readyHeartbeat?: string;
  readyStatus?: string;
  leaseRenew?: number;
  /** Ready status as last computed, and the zone it was counted in. */
  status: string;
  zone: string;
  /** Whether the node is counted in `zones`. */
  counted?: boolean;
}

type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function conditionsOf(node: Obj): Condition[] {
  const c = field(node, 'status', 'conditions');
  return Array.isArray(c) ? (c as Condition[]) : [];
}

/** utilnode.GetZoneKey: region and zone labels. */
function zoneKey(node: Obj): string {
  const l = labels(node);
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region || zone ? `${region}:\u0000:${zone}` : '';
}

export class NodeLifecycleController implements WorkloadController {
  readonly name = 'node-lifecycle-controller';
  readonly workers = 2;
  private readonly nodes: Informer;
  private readonly leases: Informer;
  private readonly pods: Informer;
  private readonly nodeClient: ResourceClient;
  private readonly podClient: ResourceClient;
  private readonly health = new Map<string, Health>();
  /** Per zone: nodes counted and those whose Ready is not True. */
  private readonly zones = new Map<string, { total: number; notReady: number }>();
  /** Per zone: when the eviction rate limiter next has a token. */
  private readonly zoneNextToken = new Map<string, number>();
  private queue: WorkQueue<string> | undefined;
  private readonly grace: number;
  private readonly startupGrace: number;
  private readonly period: number;
  private readonly opts: Required<NodeLifecycleOptions>;

  constructor(
    private readonly deps: ControllerDeps,
    private readonly recorder?: EventRecorder,
    options: NodeLifecycleOptions = {},
  ) {
    this.opts = {
      nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs ?? 50_000,
      nodeStartupGracePeriodMs: options.nodeStartupGracePeriodMs ?? 60_000,
      nodeMonitorPeriodMs: options.nodeMonitorPeriodMs ?? 5_000,
      evictionRate: options.evictionRate ?? 0.1,
      secondaryEvictionRate: options.secondaryEvictionRate ?? 0.01,
      unhealthyZoneThreshold: options.unhealthyZoneThreshold ?? 0.55,
      largeClusterSizeThreshold: options.largeClusterSizeThreshold ?? 50,
    };
    this.grace = this.opts.nodeMonitorGracePeriodMs;
    this.startupGrace = this.opts.nodeStartupGracePeriodMs;
    this.period = this.opts.nodeMonitorPeriodMs;
    this.nodes = deps.informers.informerFor('', 'v1', 'nodes');
    this.leases = deps.informers.informerFor('coordination.k8s.io', 'v1', 'leases');
    this.pods = deps.informers.informerFor('', 'v1', 'pods', { [PODS_BY_NODE]: podsByNode });
    this.nodeClient = deps.client.resource('', 'v1', 'nodes');
    this.podClient = deps.client.resource('', 'v1', 'pods');
  }

  bind(queue: WorkQueue<string>): void {
    this.queue = queue;
    const enqueue = (n: Obj) => queue.add(name(n));
    this.nodes.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    this.leases.addEventHandler({
      onAdd: (l) => namespace(l) === LEASE_NAMESPACE && queue.add(name(l)),
      onUpdate: (_o, l) => namespace(l) === LEASE_NAMESPACE && queue.add(name(l)),
    });
    // A pod that turns up Ready on a node that is not (processPod) is marked not ready.
    this.pods.addEventHandler({
      onUpdate: (_o, p) => {
        const nodeName = field(p, 'spec', 'nodeName');
        if (typeof nodeName !== 'string' || !nodeName) return;
        const h = this.health.get(nodeName);
        if (h && h.status !== 'True' && podReady(p)) queue.add(nodeName);
      },
    });
  }

  async reconcile(key: string): Promise<void> {
    let node = this.nodes.lister.get(undefined, key);
    if (!node) {
      this.forget(key);
      return;
    }
    const now = this.deps.clock.now();
    const before = this.health.get(key);
    const observedReady = conditionsOf(node).find((c) => c.type === 'Ready')?.status ?? 'Unknown';
    node = await this.updateHealth(node, now);
    const conds = conditionsOf(node);
    const ready = conds.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
    this.count(key, zoneKey(node), ready);

    const wasReady = (before?.status ?? observedReady) === 'True';
    if (wasReady && ready !== 'True') this.recorder?.event(node, 'Normal', 'NodeNotReady', `Node ${key} status is now: NodeNotReady`);
    if (ready !== 'True') await this.markPodsNotReady(key, now);

    node = await this.noScheduleTaintingPass(node, conds);
    await this.noExecuteTaintingPass(node, ready, now);
    this.queue?.addAfter(key, this.period);
  }

  private forget(nodeName: string): void {
    const h = this.health.get(nodeName);
    if (h) {
      const z = this.zones.get(h.zone);
      if (z) {
        z.total--;
        if (h.status !== 'True') z.notReady--;
        if (z.total <= 0) this.zones.delete(h.zone);
      }
    }
    this.health.delete(nodeName);
  }

  /** Keeps the per-zone counts in step with the node's Ready status. */
  private count(nodeName: string, zone: string, status: string): void {
    const h = this.health.get(nodeName)!;
    if (h.counted) {
      const old = this.zones.get(h.zone)!;
      old.total--;
      if (h.status !== 'True') old.notReady--;
      if (old.total <= 0) this.zones.delete(h.zone);
    }
    let z = this.zones.get(zone);
    if (!z) this.zones.set(zone, (z = { total: 0, notReady: 0 }));
    z.total++;
    if (status !== 'True') z.notReady++;
    h.zone = zone;
    h.status = status;
    h.counted = true;
  }

  /** tryUpdateNodeHealth: returns the node as stored after any change. */
  private async updateHealth(node: Obj, now: number): Promise<Obj> {
    const nodeName = name(node);
    const conds = conditionsOf(node);
    const ready = conds.find((c) => c.type === 'Ready');
    let h = this.health.get(nodeName);
    if (!h) {
      // A node that never posted status is timed from its creation.
      const created = Date.parse(creationTimestamp(node) ?? '');
      h = { probe: ready || Number.isNaN(created) ? now : created, readyHeartbeat: ready?.lastHeartbeatTime, readyStatus: ready?.status, status: ready?.status ?? 'Unknown', zone: '' };
      this.health.set(nodeName, h);
    } else if (ready && (ready.lastHeartbeatTime !== h.readyHeartbeat || ready.status !== h.readyStatus)) {
      h.probe = now;
      h.readyHeartbeat = ready.lastHeartbeatTime;
      h.readyStatus = ready.status;
    }
    const lease = this.leases.lister.get(LEASE_NAMESPACE, nodeName);
    const renew = lease ? Date.parse(String(field(lease, 'spec', 'renewTime') ?? '')) : NaN;
    if (!Number.isNaN(renew) && (h.leaseRenew === undefined || renew > h.leaseRenew)) {
      h.leaseRenew = renew;
      h.probe = now;
    }
    const grace = ready ? this.grace : this.startupGrace;
    if (now <= h.probe + grace) return node;

    const ts = rfc3339(now);
    const next = conds.map((c) => ({ ...c }));
    let changed = false;
    for (const type of CONDITIONS_SET_UNKNOWN) {
      const c = next.find((x) => x.type === type);
      if (!c) {
        next.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: creationTimestamp(node), lastTransitionTime: ts });
        changed = true;
      } else if (c.status !== 'Unknown') {
        c.status = 'Unknown';
        c.reason = 'NodeStatusUnknown';
        c.message = 'Kubelet stopped posting node status.';
        c.lastTransitionTime = ts;
        changed = true;
      }
    }
    if (!changed) return node;
    const body = clone(node);
    (body.status as Record<string, unknown>).conditions = next;
    const stored = await this.nodeClient.updateStatus(undefined, body);
    const r = next.find((c) => c.type === 'Ready');
    h.readyHeartbeat = r?.lastHeartbeatTime;
    h.readyStatus = r?.status;
    return stored;
  }

  /** nodeutil.MarkPodsNotReady. */
  private async markPodsNotReady(nodeName: string, now: number): Promise<void> {
    for (const pod of this.pods.lister.byIndex(PODS_BY_NODE, nodeName)) {
      if (!podReady(pod)) continue;
      const body = clone(pod);
      const conds = field(body, 'status', 'conditions') as Condition[];
      const ready = conds.find((c) => c.type === 'Ready')!;
      ready.status = 'False';
      ready.lastTransitionTime = rfc3339(now);
      try {
        await this.podClient.updateStatus(namespace(pod), body);
        this.recorder?.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  private async writeTaints(node: Obj, taints: Taint[]): Promise<Obj> {
    const body = clone(node);
    const spec = (body.spec ?? (body.spec = {})) as Record<string, unknown>;
    if (taints.length) spec.taints = taints;
    else delete spec.taints;
    return this.nodeClient.update(undefined, body);
  }

  /** doNoScheduleTaintingPass. */
  private async noScheduleTaintingPass(node: Obj, conds: Condition[]): Promise<Obj> {
    const want = new Set<string>();
    for (const [type, status, key] of CONDITION_TAINTS) if (conds.some((c) => c.type === type && c.status === status)) want.add(key);
    if (field(node, 'spec', 'unschedulable') === true) want.add(TAINT_UNSCHEDULABLE);
    const current = nodeTaints(node);
    const have = new Set(current.filter((t) => t.effect === 'NoSchedule' && NO_SCHEDULE_KEYS.has(t.key)).map((t) => t.key));
    if (want.size === have.size && [...want].every((k) => have.has(k))) return node;
    const kept = current.filter((t) => !(t.effect === 'NoSchedule' && NO_SCHEDULE_KEYS.has(t.key) && !want.has(t.key)));
    for (const key of want) if (!have.has(key)) kept.push({ key, effect: 'NoSchedule' });
    return this.writeTaints(node, kept);
  }

  private zoneState(zone: string): ZoneState {
    const z = this.zones.get(zone);
    if (!z || z.total === 0) return 'Normal';
    const ready = z.total - z.notReady;
    if (ready === 0 && z.notReady > 0) return 'FullDisruption';
    if (z.notReady > 2 && z.notReady / z.total >= this.opts.unhealthyZoneThreshold) return 'PartialDisruption';
    return 'Normal';
  }

  private allZonesFullyDisrupted(): boolean {
    if (this.zones.size === 0) return false;
    for (const zone of this.zones.keys()) if (this.zoneState(zone) !== 'FullDisruption') return false;
    return true;
  }

  private zoneRate(zone: string): number {
    switch (this.zoneState(zone)) {
      case 'PartialDisruption':
        return (this.zones.get(zone)?.total ?? 0) > this.opts.largeClusterSizeThreshold ? this.opts.secondaryEvictionRate : 0;
      default:
        return this.opts.evictionRate;
    }
  }

  /** processTaintBaseEviction and doNoExecuteTaintingPass. */
  private async noExecuteTaintingPass(node: Obj, ready: string, now: number): Promise<void> {
    const current = nodeTaints(node);
    const notReady: Taint = { key: TAINT_NOT_READY, effect: 'NoExecute' };
    const unreachable: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute' };
    const has = (t: Taint) => current.some((c) => sameTaint(c, t));
    const without = (...ts: Taint[]) => current.filter((c) => !ts.some((t) => sameTaint(c, t)));
    if (ready === 'True' || this.allZonesFullyDisrupted()) {
      if (has(notReady) || has(unreachable)) await this.writeTaints(node, without(notReady, unreachable));
      return;
    }
    const want = ready === 'False' ? notReady : unreachable;
    const other = ready === 'False' ? unreachable : notReady;
    if (has(want) && !has(other)) return;
    const added = { ...want, timeAdded: rfc3339(now) };
    if (has(other)) {
      // Swapped at once: the node was already being evicted.
      await this.writeTaints(node, [...without(want, other), added]);
      return;
    }
    const zone = zoneKey(node);
    const rate = this.zoneRate(zone);
    if (rate <= 0) return;
    const next = this.zoneNextToken.get(zone) ?? 0;
    if (now < next) {
      this.queue?.addAfter(name(node), next - now);
      return;
    }
    this.zoneNextToken.set(zone, now + 1000 / rate);
    await this.writeTaints(node, [...current, added]);
  }
}

function podReady(pod: Obj): boolean {
  const conds = field(pod, 'status', 'conditions');
  return Array.isArray(conds) && conds.some((c) => c?.type === 'Ready' && c.status === 'True');
}
