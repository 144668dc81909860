// Capacity and allocatable of a simulated EKS node (see /work/shared/notes/ec2/notes.md (b)):
// - kube-reserved cpu: 6% of the first core, 1% of the second, 0.5% of cores 3-4, 0.25% above
//   (nodeadm config.go getCPUMillicoresToReserve, "CPU ranges from GKE");
// - kube-reserved memory: 11 MiB * maxPods + 255 MiB; ephemeral-storage 1Gi;
// - evictionHard: memory.available 100Mi, nodefs.available 10%;
// - Allocatable = Capacity - Reserved - Eviction threshold.
// The memory the kubelet sees (MemTotal) is below the EC2 nominal size; like Karpenter we
// estimate it with its default VM overhead of 7.5% (--vm-memory-overhead-percent), which gives
// Karpenter's published m5.large allocatable of 1930m cpu and 6903Mi memory.
import type { InstanceType } from './instance-types.js';

const VM_MEMORY_OVERHEAD = 0.075;
/** The EKS managed node group default root volume (20 GiB gp3) as the kubelet reports it. */
const ROOT_VOLUME_KI = 20_959_212;
const GI = 1024 ** 3;

export function kubeReservedCpuMillis(vcpu: number): number {
  const total = vcpu * 1000;
  const bands: Array<[number, number, number]> = [
    [0, 1000, 600],
    [1000, 2000, 100],
    [2000, 4000, 50],
    [4000, total, 25],
  ];
  let reserved = 0;
  for (const [start, end, pct] of bands) {
    if (total <= start) continue;
    reserved += ((Math.min(total, end) - start) * pct) / 10_000;
  }
  return Math.floor(reserved);
}

export function kubeReservedMemoryMiB(maxPods: number): number {
  return 11 * maxPods + 255;
}

export interface NodeResources {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  /** Plain numbers for the usage model. */
  cpuMillis: number;
  memoryBytes: number;
  reservedCpuMillis: number;
  reservedMemoryBytes: number;
}

export function nodeResources(type: InstanceType): NodeResources {
  const memoryMiB = Math.floor(type.memoryMiB * (1 - VM_MEMORY_OVERHEAD));
  const reservedMiB = kubeReservedMemoryMiB(type.maxPods);
  const allocatableMiB = memoryMiB - reservedMiB - 100;
  const cpuMillis = type.vcpu * 1000;
  const reservedCpu = kubeReservedCpuMillis(type.vcpu);
  const storageBytes = ROOT_VOLUME_KI * 1024;
  const allocatableStorage = storageBytes - GI - Math.ceil(storageBytes * 0.1);
  const cpuQuantity = (m: number) => (m % 1000 === 0 ? String(m / 1000) : `${m}m`);
  return {
    capacity: {
      cpu: cpuQuantity(cpuMillis),
      'ephemeral-storage': `${ROOT_VOLUME_KI}Ki`,
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: `${memoryMiB}Mi`,
      pods: String(type.maxPods),
    },
    allocatable: {
      cpu: cpuQuantity(cpuMillis - reservedCpu),
      'ephemeral-storage': String(allocatableStorage),
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: `${allocatableMiB}Mi`,
      pods: String(type.maxPods),
    },
    cpuMillis,
    memoryBytes: memoryMiB * 1024 * 1024,
    reservedCpuMillis: reservedCpu,
    reservedMemoryBytes: reservedMiB * 1024 * 1024,
  };
}
