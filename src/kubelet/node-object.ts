// The Node object a simulated EKS worker registers: labels as an EKS node carries them (the
// kubelet's kubernetes.io/* and beta.kubernetes.io/* ones, the AWS cloud provider's topology and
// instance-type ones, GA and beta), nodeInfo of an Amazon Linux 2023 EKS AMI, addresses, the
// daemon endpoint, capacity/allocatable (node-resources.ts) and the four node conditions with the
// kubelet's reasons and messages (pkg/kubelet/nodestatus/setters.go).
import type { Obj } from '../client/types.js';
import { hexHash, rfc3339 } from './determinism.js';
import type { InstanceTypeInfo } from '../cloud/index.js';
import { kubeArch, type NodeResources } from './node-resources.js';

/** The kubelet version of nodes whose cluster version is not given. */
export const KUBELET_VERSION = 'v1.33.5-eks-113cf36';
const EKS_BUILD_SUFFIX = '-eks-113cf36';
export const CONTAINER_RUNTIME_VERSION = 'containerd://1.7.27';
export const OS_IMAGE = 'Amazon Linux 2023.8.20250915';
export const KERNEL_VERSION = '6.1.150-174.273.amzn2023.x86_64';
export const KUBELET_PORT = 10250;
/** Marks nodes this simulator made, so a restarted Kumo takes them over again. */
export const SIMULATED_LABEL = 'kumo.dev/simulated';

export interface NodeIdentity {
  name: string;
  zone: string;
  region: string;
  internalIP: string;
  instanceId: string;
  type: InstanceTypeInfo;
  /** nodeInfo.kubeletVersion; default KUBELET_VERSION. */
  kubeletVersion?: string;
  /** Labels the node registers with beside the kubelet's own (kubelet --node-labels). */
  extraLabels?: Record<string, string>;
  /** The node's one pod has the node's own address (a Fargate micro-VM). */
  podUsesNodeIP?: boolean;
  /** spec.taints the node registers with (kubelet --register-with-taints). */
  taints?: NodeTaint[];
}

export interface NodeTaint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/**
 * The kubelet version of an EKS node for a control plane at `kubernetesVersion` (`1.32`, `v1.32.4`):
 * EKS AMIs ship the kubelet of the cluster's minor, built with an `-eks-<commit>` suffix.
 */
export function kubeletVersionFor(kubernetesVersion: string): string {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(kubernetesVersion.trim());
  if (!m) throw new Error(`invalid Kubernetes version ${JSON.stringify(kubernetesVersion)}: expected MAJOR.MINOR or MAJOR.MINOR.PATCH`);
  const [, major, minor, patch = '0'] = m;
  return `v${major}.${minor}.${patch}${EKS_BUILD_SUFFIX}`;
}

export function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

export function instanceIdFor(seed: number, nodeName: string): string {
  return `i-${hexHash(seed, 9, 'instance', nodeName).slice(0, 17)}`;
}

export function nodeLabels(id: NodeIdentity): Record<string, string> {
  const arch = kubeArch(id.type);
  // A machine without an EC2 instance type (a Fargate micro-VM) carries no instance-type labels.
  const typed = id.type.name !== '';
  return {
    'beta.kubernetes.io/arch': arch,
    ...(typed ? { 'beta.kubernetes.io/instance-type': id.type.name } : {}),
    'beta.kubernetes.io/os': 'linux',
    'failure-domain.beta.kubernetes.io/region': id.region,
    'failure-domain.beta.kubernetes.io/zone': id.zone,
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': id.name,
    'kubernetes.io/os': 'linux',
    ...(typed ? { 'node.kubernetes.io/instance-type': id.type.name } : {}),
    'topology.kubernetes.io/region': id.region,
    'topology.kubernetes.io/zone': id.zone,
    ...id.extraLabels,
    [SIMULATED_LABEL]: 'true',
  };
}

export type ConditionType = 'MemoryPressure' | 'DiskPressure' | 'PIDPressure' | 'Ready';

/** The kubelet's healthy node conditions, heartbeat and transition times as given. */
export function healthyConditions(heartbeat: number, transitions: Partial<Record<ConditionType, string>> = {}): Obj[] {
  const hb = rfc3339(heartbeat);
  const c = (type: ConditionType, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: hb,
    lastTransitionTime: transitions[type] ?? hb,
    reason,
    message,
  });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function nodeStatus(seed: number, id: NodeIdentity, res: NodeResources, now: number): Obj {
  const dns = privateDnsName(id.internalIP, id.region);
  const machine = hexHash(seed, 16, 'machine', id.name);
  const uuid = hexHash(seed, 16, 'system', id.name);
  const boot = hexHash(seed, 16, 'boot', id.name);
  const dashed = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return {
    capacity: res.capacity,
    allocatable: res.allocatable,
    conditions: healthyConditions(now),
    addresses: [
      { type: 'InternalIP', address: id.internalIP },
      { type: 'InternalDNS', address: dns },
      { type: 'Hostname', address: dns },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
    nodeInfo: {
      machineID: machine,
      // EC2 system UUIDs start with "ec2".
      systemUUID: `ec2${dashed(uuid).slice(3)}`,
      bootID: dashed(boot),
      kernelVersion: id.type.arch === 'arm64' ? KERNEL_VERSION.replace('x86_64', 'aarch64') : KERNEL_VERSION,
      osImage: OS_IMAGE,
      containerRuntimeVersion: CONTAINER_RUNTIME_VERSION,
      kubeletVersion: id.kubeletVersion ?? KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: kubeArch(id.type),
    },
  };
}

export function nodeObject(seed: number, id: NodeIdentity, res: NodeResources, now: number): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: id.name,
      labels: nodeLabels(id),
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': id.internalIP,
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { providerID: `aws:///${id.zone}/${id.instanceId}`, ...(id.taints?.length ? { taints: id.taints.map((t) => ({ ...t })) } : {}) },
    status: nodeStatus(seed, id, res, now),
  };
}
