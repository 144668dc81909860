// The EC2 instance catalog: the generated rows of data/ec2-data.ts behind a lookup API.
import { INSTANCE_TYPE_ROWS, type InstanceTypeRow } from './data/ec2-data.js';

export type Arch = 'x86_64' | 'arm64';

export interface InstanceTypeInfo {
  name: string;
  /** e.g. "m5" for m5.large. */
  family: string;
  generation: number;
  arch: Arch;
  vcpu: number;
  memoryMiB: number;
  /** GPUs (NVIDIA), or Neuron accelerators for inf2 (see acceleratorKind). */
  gpus: number;
  gpuModel?: string;
  /** "nvidia" for GPU types, "neuron" for Inferentia; absent without accelerators. */
  acceleratorKind?: 'nvidia' | 'neuron';
  /** ENIs of the default network card (the only card the VPC CNI uses). */
  maxENIs: number;
  ipv4PerENI: number;
  /** EKS's eni-max-pods.txt value: maxENIs × (ipv4PerENI − 1) + 2. */
  maxPodsSecondaryIP: number;
  /** Linux on-demand USD per hour, only for the regions the data has. */
  onDemandUSDPerHour: Readonly<Record<string, number>>;
  /**
   * Built on the Nitro system (prefix delegation needs it). The EC2 user guide lists P3
   * (p3.2xlarge/8xlarge/16xlarge) among the Xen-based types; every other family here is Nitro.
   */
  nitro: boolean;
}

// The EC2 user guide's Xen-based families (everything else here runs on Nitro).
const XEN_FAMILIES = new Set(['p3', 'm4', 'c4', 'r4', 't2']);

function toInfo(row: InstanceTypeRow): InstanceTypeInfo {
  const info: InstanceTypeInfo = {
    name: row.name,
    family: row.family,
    generation: row.generation,
    arch: row.arch,
    vcpu: row.vcpu,
    memoryMiB: row.memoryMiB,
    gpus: row.gpus,
    maxENIs: row.maxENIs,
    ipv4PerENI: row.ipv4PerENI,
    maxPodsSecondaryIP: row.maxPodsSecondaryIP,
    onDemandUSDPerHour: Object.freeze({ ...row.onDemandUSDPerHour }),
    nitro: !XEN_FAMILIES.has(row.family),
  };
  if (row.gpuModel) info.gpuModel = row.gpuModel;
  if (row.gpus > 0) info.acceleratorKind = row.family.startsWith('inf') ? 'neuron' : 'nvidia';
  return Object.freeze(info);
}

const CATALOG: ReadonlyMap<string, InstanceTypeInfo> = new Map(INSTANCE_TYPE_ROWS.map((r) => [r.name, toInfo(r)]));

/** The catalog entry for an instance type name such as "m5.large"; undefined when unknown. */
export function instanceType(name: string): InstanceTypeInfo | undefined {
  return CATALOG.get(name);
}

export interface InstanceTypeFilter {
  arch?: Arch;
  family?: string;
  /** Instance-type families starting with this letter group, e.g. "m", "c", "inf". */
  category?: string;
  minVcpu?: number;
  maxVcpu?: number;
  minMemoryMiB?: number;
  maxMemoryMiB?: number;
  /** true: only types with GPUs/accelerators; false: only types without. */
  gpu?: boolean;
  /** Only types with an on-demand price known for this region. */
  pricedIn?: string;
}

/** Every catalog entry matching the filter, in catalog order (family, then size). */
export function listInstanceTypes(filter: InstanceTypeFilter = {}): InstanceTypeInfo[] {
  const out: InstanceTypeInfo[] = [];
  for (const t of CATALOG.values()) {
    if (filter.arch !== undefined && t.arch !== filter.arch) continue;
    if (filter.family !== undefined && t.family !== filter.family) continue;
    if (filter.category !== undefined && /^[a-z]+/.exec(t.family)?.[0] !== filter.category) continue;
    if (filter.minVcpu !== undefined && t.vcpu < filter.minVcpu) continue;
    if (filter.maxVcpu !== undefined && t.vcpu > filter.maxVcpu) continue;
    if (filter.minMemoryMiB !== undefined && t.memoryMiB < filter.minMemoryMiB) continue;
    if (filter.maxMemoryMiB !== undefined && t.memoryMiB > filter.maxMemoryMiB) continue;
    if (filter.gpu !== undefined && (t.gpus > 0) !== filter.gpu) continue;
    if (filter.pricedIn !== undefined && t.onDemandUSDPerHour[filter.pricedIn] === undefined) continue;
    out.push(t);
  }
  return out;
}

/** Linux on-demand USD per hour in a region; undefined when the data has no price there. */
export function onDemandPrice(type: string | InstanceTypeInfo, region: string): number | undefined {
  const info = typeof type === 'string' ? instanceType(type) : type;
  return info?.onDemandUSDPerHour[region];
}
