// Capacity and allocatable as the kubelet of a simulated EKS node reports them. The figures come
// from the AWS side's model (src/cloud: instance catalog, EKS's max pods, nodeadm's kube-reserved
// and eviction thresholds, Karpenter's VM memory overhead estimate). What is the kubelet's own is
// how it reports them: ephemeral-storage is the root filesystem's size as statfs gives it (below
// the volume's nominal size), and the hugepages-* resources of a node without huge pages.
import { nodeResources as cloudNodeResources, instanceType, listInstanceTypes, type InstanceTypeInfo } from '../cloud/index.js';
import { parseQuantity } from '../util/quantity.js';

export const DEFAULT_INSTANCE_TYPE = 'm5.large';

export interface NodeResourceOptions {
  /** vpc-cni ENABLE_PREFIX_DELEGATION on the node when it was launched: max pods per EKS's prefix formula. */
  prefixDelegation?: boolean;
  /** The kubelet's --max-pods when set explicitly (e.g. a launch template's bootstrap arguments). */
  maxPods?: number;
  /** Root volume size; EKS managed node groups default to 20 GiB. */
  volumeSizeGiB?: number;
}

export interface NodeResources {
  maxPods: number;
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  /** Plain numbers for the usage model. */
  cpuMillis: number;
  memoryBytes: number;
  reservedCpuMillis: number;
  reservedMemoryBytes: number;
}

/** The kubelet's `kubernetes.io/arch` value (GOARCH) for an instance type. */
export function kubeArch(type: InstanceTypeInfo): 'amd64' | 'arm64' {
  return type.arch === 'arm64' ? 'arm64' : 'amd64';
}

/** The catalog entry of an instance type, or an error naming the known ones. */
export function requireInstanceType(name: string): InstanceTypeInfo {
  const type = instanceType(name);
  if (!type) throw new Error(`unknown instance type ${JSON.stringify(name)}; known: ${listInstanceTypes().map((t) => t.name).join(', ')}`);
  return type;
}

/**
 * XFS metadata and log that the root filesystem keeps out of statfs's total: the EKS AMI's 20 GiB
 * root volume reports 20959212Ki of ephemeral-storage capacity (20971520Ki nominal).
 */
const FILESYSTEM_OVERHEAD_KI = 12_308;
const GI = 1024 ** 3;

function bytesOf(quantity: string): number {
  const q = parseQuantity(quantity);
  if (!q) throw new Error(`bad quantity ${quantity}`);
  return q.value;
}

/** The launch options that give a registered Node its reported pods and ephemeral-storage capacity. */
export function resourceOptionsOf(node: { status?: unknown }): NodeResourceOptions {
  const capacity = ((node.status as { capacity?: Record<string, string> } | undefined)?.capacity ?? {});
  const opts: NodeResourceOptions = {};
  const pods = Number(capacity.pods);
  if (Number.isInteger(pods) && pods > 0) opts.maxPods = pods;
  const storage = capacity['ephemeral-storage'] ? parseQuantity(capacity['ephemeral-storage']) : undefined;
  if (storage) opts.volumeSizeGiB = Math.round((storage.value / 1024 + FILESYSTEM_OVERHEAD_KI) / (1024 * 1024));
  return opts;
}

export function nodeResources(type: InstanceTypeInfo, opts: NodeResourceOptions = {}): NodeResources {
  const model = cloudNodeResources(type, { prefixDelegation: opts.prefixDelegation, maxPodsOverride: opts.maxPods, volumeSizeGiB: opts.volumeSizeGiB });
  const storageKi = (opts.volumeSizeGiB ?? 20) * 1024 * 1024 - FILESYSTEM_OVERHEAD_KI;
  const storageBytes = storageKi * 1024;
  // Allocatable = capacity − kube-reserved ephemeral-storage (1Gi) − nodefs.available eviction (10%).
  const allocatableStorage = Math.max(0, storageBytes - GI - Math.ceil(storageBytes * 0.1));
  const hugepages = { 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' };
  return {
    maxPods: model.maxPods,
    capacity: { ...model.capacity, 'ephemeral-storage': `${storageKi}Ki`, ...hugepages },
    allocatable: { ...model.allocatable, 'ephemeral-storage': String(allocatableStorage), ...hugepages },
    cpuMillis: type.vcpu * 1000,
    memoryBytes: bytesOf(model.capacity.memory),
    reservedCpuMillis: Math.round(bytesOf(model.kubeReserved.cpu) * 1000),
    reservedMemoryBytes: bytesOf(model.kubeReserved.memory),
  };
}
