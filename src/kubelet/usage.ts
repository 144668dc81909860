// Simulated resource use, served as metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics in the
// shape metrics-server answers (usage cpu in nanocores "<n>n", memory in "<n>Ki", a timestamp
// and window). A pod uses what its kumo.dev/cpu-usage and kumo.dev/memory-usage annotations say
// (split evenly over its running containers), else a fraction of each container's requests:
// 10% of the cpu request (at least 1m) and 50% of the memory request (16Mi without one). A node
// uses the sum of its running pods plus its system daemons, modelled as its kube-reserved amounts.
import type { Lister } from '../client/cache.js';
import { labels, name, namespace } from '../client/objects.js';
import type { Obj } from '../client/types.js';
import type { Clock } from '../util/clock.js';
import { parseQuantity } from '../util/quantity.js';
import { podBehaviour } from './behaviour.js';
import { rfc3339 } from './determinism.js';
import { kubeArch } from './node-resources.js';
import { NODE_NAME_INDEX } from './pod-controller.js';
import { containersOf, initContainersOf, isSidecar, statusOf } from './pod-status.js';
import type { ContainerSpec } from './pod-status.js';
import type { SimulatedNode } from './simulated-node.js';

export const METRICS_API_VERSION = 'metrics.k8s.io/v1beta1';
export const METRICS_WINDOW = '10s';
const MI = 1024 * 1024;

export interface Usage {
  cpuNanos: number;
  memoryBytes: number;
}

function request(c: ContainerSpec, res: 'cpu' | 'memory'): number | undefined {
  const v = c.resources?.requests?.[res] ?? c.resources?.limits?.[res];
  const q = typeof v === 'string' || typeof v === 'number' ? parseQuantity(String(v)) : undefined;
  return q ? q.value : undefined;
}

export function cpuString(nanos: number): string {
  return `${Math.round(nanos)}n`;
}

export function memoryString(bytes: number): string {
  return `${Math.ceil(bytes / 1024)}Ki`;
}

/** Usage per running container of a pod (empty when none runs). */
export function containerUsage(pod: Obj): Array<{ name: string; usage: Usage }> {
  const st = statusOf(pod);
  const specs = [...initContainersOf(pod).filter(isSidecar), ...containersOf(pod)];
  const statuses = [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])];
  const runningSpecs = specs.filter((c) => statuses.some((s) => s.name === c.name && s.state.running));
  if (runningSpecs.length === 0) return [];
  const b = podBehaviour(pod);
  return runningSpecs.map((c) => {
    const cpuReq = request(c, 'cpu');
    const memReq = request(c, 'memory');
    const cpu = b.cpuNanos !== undefined ? b.cpuNanos / runningSpecs.length : Math.max(1e6, (cpuReq ?? 0) * 1e9 * 0.1);
    const mem = b.memoryBytes !== undefined ? b.memoryBytes / runningSpecs.length : memReq !== undefined ? memReq * 0.5 : 16 * MI;
    return { name: c.name, usage: { cpuNanos: Math.round(cpu), memoryBytes: Math.round(mem) } };
  });
}

export class UsageSource {
  constructor(
    private readonly clock: Clock,
    private readonly pods: Lister,
    private readonly nodes: () => SimulatedNode[],
  ) {}

  private stamp(): string {
    return rfc3339(this.clock.now());
  }

  /** Pods running on live simulated nodes (a node that stopped heartbeating cannot be scraped). */
  private runningPods(): Obj[] {
    const out: Obj[] = [];
    for (const node of this.nodes()) {
      if (!node.live) continue;
      for (const pod of this.pods.byIndex(NODE_NAME_INDEX, node.name)) if (statusOf(pod).phase === 'Running') out.push(pod);
    }
    return out;
  }

  nodeMetrics(): Obj[] {
    const ts = this.stamp();
    return this.nodes()
      .filter((n) => n.live)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((node) => {
        let cpu = node.resources.reservedCpuMillis * 1e6;
        let mem = node.resources.reservedMemoryBytes;
        for (const pod of this.pods.byIndex(NODE_NAME_INDEX, node.name)) {
          if (statusOf(pod).phase !== 'Running') continue;
          for (const c of containerUsage(pod)) {
            cpu += c.usage.cpuNanos;
            mem += c.usage.memoryBytes;
          }
        }
        return {
          kind: 'NodeMetrics',
          apiVersion: METRICS_API_VERSION,
          metadata: { name: node.name, creationTimestamp: ts, labels: { ...this.nodeLabels(node) } },
          timestamp: ts,
          window: METRICS_WINDOW,
          usage: { cpu: cpuString(cpu), memory: memoryString(mem) },
        };
      });
  }

  private nodeLabels(node: SimulatedNode): Record<string, string> {
    return { 'kubernetes.io/hostname': node.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': kubeArch(node.identity.type), 'node.kubernetes.io/instance-type': node.identity.type.name, 'topology.kubernetes.io/zone': node.identity.zone };
  }

  /** PodMetrics of running pods, of one namespace or all. */
  podMetrics(ns?: string): Obj[] {
    const ts = this.stamp();
    return this.runningPods()
      .filter((p) => !ns || namespace(p) === ns)
      .map((pod) => ({
        kind: 'PodMetrics',
        apiVersion: METRICS_API_VERSION,
        metadata: { name: name(pod), namespace: namespace(pod), creationTimestamp: ts, labels: { ...labels(pod) } },
        timestamp: ts,
        window: METRICS_WINDOW,
        containers: containerUsage(pod).map((c) => ({ name: c.name, usage: { cpu: cpuString(c.usage.cpuNanos), memory: memoryString(c.usage.memoryBytes) } })),
      }))
      .filter((m) => m.containers.length > 0)
      .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  }
}
