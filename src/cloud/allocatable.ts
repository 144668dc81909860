// Node capacity and allocatable as an EKS AMI node reports them:
// Allocatable = Capacity − kube-reserved − system-reserved − hard eviction threshold
// (amazon-eks-ami nodeadm internal/kubelet/config.go and AL2 bootstrap.sh use the same formulas).
import { canonicalQuantity } from '../util/quantity.js';
import { instanceType, type InstanceTypeInfo } from './instance-types.js';
import { maxPods, UnknownInstanceTypeError, type MaxPodsOptions } from './max-pods.js';

export type ResourceList = Record<string, string>;

export interface NodeResourceOptions extends MaxPodsOptions {
  /** The kubelet's --max-pods when set explicitly (e.g. from a launch template); default maxPods(type, opts). */
  maxPodsOverride?: number;
  /** Root volume size; managed node groups default to 20 GiB. */
  volumeSizeGiB?: number;
  /**
   * Share of nominal memory the hypervisor/OS keeps: Karpenter's --vm-memory-overhead-percent default
   * 0.075 (pkg/operator/options). A real node reports its own MemTotal; this is the same estimate.
   */
  vmMemoryOverheadPercent?: number;
}

export interface NodeResources {
  maxPods: number;
  capacity: ResourceList;
  allocatable: ResourceList;
  kubeReserved: ResourceList;
  /** nodeadm sets no systemReserved values, so this is empty unless a caller adds its own. */
  systemReserved: ResourceList;
  evictionHard: Record<string, string>;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * kube-reserved CPU in millicores: 6% of the first core, 1% of the second, 0.5% of cores 3–4 and
 * 0.25% above 4 cores (nodeadm getCPUMillicoresToReserve, "ranges from GKE"); integer arithmetic
 * in units of percent×100 as upstream does.
 */
export function kubeReservedCpuMillis(vcpu: number): number {
  const total = Math.round(vcpu * 1000);
  const ranges = [0, 1000, 2000, 4000, total];
  const pct = [600, 100, 50, 25];
  let reserved = 0;
  for (let i = 0; i < pct.length; i++) {
    const start = ranges[i];
    const end = Math.max(start, Math.min(total, ranges[i + 1]));
    if (total <= start) break;
    reserved += Math.floor(((end - start) * pct[i]) / 10000);
  }
  return reserved;
}

/** kube-reserved memory in MiB: 11 × maxPods + 255 (nodeadm getMemoryMebibytesToReserve). */
export function kubeReservedMemoryMiB(pods: number): number {
  return 11 * pods + 255;
}

/** Bytes as a BinarySI quantity string in the canonical form (20Gi, 1536Mi, ...). */
function bytesQuantity(bytes: number): string {
  return canonicalQuantity(`${Math.floor(bytes / 1024)}Ki`);
}

/** Capacity and allocatable ResourceLists for a node of this instance type. */
export function nodeResources(type: string | InstanceTypeInfo, opts: NodeResourceOptions = {}): NodeResources {
  const info = typeof type === 'string' ? instanceType(type) : type;
  if (!info) throw new UnknownInstanceTypeError(String(type));
  const pods = opts.maxPodsOverride ?? maxPods(info, opts);
  const overhead = opts.vmMemoryOverheadPercent ?? 0.075;
  // Karpenter subtracts ceil(MiB × overhead) from the nominal size.
  const memCapMiB = info.memoryMiB - Math.ceil(info.memoryMiB * overhead);
  const volumeBytes = (opts.volumeSizeGiB ?? 20) * GiB;

  const cpuMillis = info.vcpu * 1000;
  const cpuReserved = kubeReservedCpuMillis(info.vcpu);
  const memReservedMiB = kubeReservedMemoryMiB(pods);
  const evictionMemMiB = 100;
  const storageReserved = 1 * GiB;
  // nodefs.available: 10% of the volume.
  const storageEviction = Math.ceil(volumeBytes * 0.1);

  const capacity: ResourceList = {
    cpu: canonicalQuantity(`${cpuMillis}m`),
    'ephemeral-storage': bytesQuantity(volumeBytes),
    memory: canonicalQuantity(`${memCapMiB}Mi`),
    pods: String(pods),
  };
  const allocatable: ResourceList = {
    cpu: canonicalQuantity(`${Math.max(0, cpuMillis - cpuReserved)}m`),
    'ephemeral-storage': bytesQuantity(Math.max(0, volumeBytes - storageReserved - storageEviction)),
    memory: canonicalQuantity(`${Math.max(0, memCapMiB - memReservedMiB - evictionMemMiB)}Mi`),
    pods: String(pods),
  };
  if (info.acceleratorKind) {
    // Device plugins advertise these extended resources: NVIDIA's nvidia.com/gpu and the Neuron plugin's aws.amazon.com/neuron.
    const name = info.acceleratorKind === 'nvidia' ? 'nvidia.com/gpu' : 'aws.amazon.com/neuron';
    capacity[name] = String(info.gpus);
    allocatable[name] = String(info.gpus);
  }
  return {
    maxPods: pods,
    capacity,
    allocatable,
    kubeReserved: { cpu: canonicalQuantity(`${cpuReserved}m`), memory: `${memReservedMiB}Mi`, 'ephemeral-storage': '1Gi' },
    systemReserved: {},
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '10%', 'nodefs.inodesFree': '5%' },
  };
}

/** Shorthand for nodeResources(type, opts).allocatable. */
export function allocatable(type: string | InstanceTypeInfo, opts: NodeResourceOptions = {}): ResourceList {
  return nodeResources(type, opts).allocatable;
}
