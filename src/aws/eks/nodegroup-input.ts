// CreateNodegroup's and UpdateNodegroupConfig's members checked as EKS checks them: scaling bounds,
// instance types against the catalog and the AMI type's architecture, Kubernetes label and taint
// syntax, update configuration, and the AMI release a node group runs.
import { createHash } from 'node:crypto';
import { instanceType } from '../../cloud/index.js';
import { invalidParameter } from './errors.js';
import type { Body } from './input.js';
import type { CapacityType, NodegroupScaling, NodegroupTaint, NodegroupUpdateConfig, TaintEffect } from './nodegroup-model.js';
import { minorOf, versionInfo } from './versions.js';

type Where = { clusterName: string; nodegroupName: string };

export const NODEGROUP_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;
export const CAPACITY_TYPES: CapacityType[] = ['ON_DEMAND', 'SPOT', 'CAPACITY_BLOCK'];
export const TAINT_EFFECTS: TaintEffect[] = ['NO_SCHEDULE', 'NO_EXECUTE', 'PREFER_NO_SCHEDULE'];
/** EKS: at most 50 taints per node group. */
export const MAX_TAINTS = 50;
/** EKS's maxUnavailable quota: 100 nodes; a percentage 1..100. */
export const MAX_UNAVAILABLE = 100;
/** Kubelets of 1.25 and newer may be up to three minors older than the API server (EKS update-cluster guide). */
export const KUBELET_SKEW = 3;

const AMI_TYPES = [
  'AL2_x86_64', 'AL2_x86_64_GPU', 'AL2_ARM_64', 'CUSTOM',
  'BOTTLEROCKET_ARM_64', 'BOTTLEROCKET_x86_64', 'BOTTLEROCKET_ARM_64_FIPS', 'BOTTLEROCKET_x86_64_FIPS',
  'BOTTLEROCKET_ARM_64_NVIDIA', 'BOTTLEROCKET_x86_64_NVIDIA', 'BOTTLEROCKET_ARM_64_NVIDIA_FIPS', 'BOTTLEROCKET_x86_64_NVIDIA_FIPS',
  'WINDOWS_CORE_2019_x86_64', 'WINDOWS_FULL_2019_x86_64', 'WINDOWS_CORE_2022_x86_64', 'WINDOWS_FULL_2022_x86_64',
  'WINDOWS_CORE_2025_x86_64', 'WINDOWS_FULL_2025_x86_64',
  'AL2023_x86_64_STANDARD', 'AL2023_ARM_64_STANDARD', 'AL2023_x86_64_NEURON', 'AL2023_x86_64_NVIDIA', 'AL2023_ARM_64_NVIDIA',
];

export interface AmiTypeInfo {
  arch: 'x86_64' | 'arm64';
  /** The accelerator every instance type must carry: NVIDIA GPUs or Neuron devices. */
  accelerator?: 'nvidia' | 'neuron';
  family: 'AL2' | 'AL2023' | 'BOTTLEROCKET' | 'WINDOWS' | 'CUSTOM';
}

export function amiTypeInfo(amiType: string): AmiTypeInfo | undefined {
  if (!AMI_TYPES.includes(amiType)) return undefined;
  const family = amiType.startsWith('AL2023') ? 'AL2023' : amiType.startsWith('AL2') ? 'AL2' : amiType.startsWith('BOTTLEROCKET') ? 'BOTTLEROCKET'
    : amiType.startsWith('WINDOWS') ? 'WINDOWS' : 'CUSTOM';
  const arch = amiType.includes('ARM_64') ? 'arm64' : 'x86_64';
  const accelerator = /GPU|NVIDIA/.test(amiType) ? 'nvidia' : amiType.includes('NEURON') ? 'neuron' : undefined;
  return { arch, accelerator, family };
}

function requireInt(v: unknown, field: string, where: Where): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidParameter(`${field} must be an integer`, where);
  return v;
}

/** scalingConfig over the current one (UpdateNodegroupConfig changes only what it names). */
export function scalingConfig(body: Body | undefined, current: NodegroupScaling | undefined, where: Where): NodegroupScaling {
  const base = current ?? { minSize: 1, maxSize: 2, desiredSize: 2 };
  const pick = (k: keyof NodegroupScaling) => (body?.[k] === undefined || body[k] === null ? base[k] : requireInt(body[k], k, where));
  const s = { minSize: pick('minSize'), maxSize: pick('maxSize'), desiredSize: pick('desiredSize') };
  // Without an explicit desiredSize a new group starts at its minimum (never below the default's bound).
  if (!current && (body?.desiredSize === undefined || body.desiredSize === null)) s.desiredSize = Math.min(Math.max(s.minSize, Math.min(2, s.maxSize)), s.maxSize);
  if (s.minSize < 0) throw invalidParameter('minSize must be greater than or equal to 0', where);
  if (s.maxSize < 1) throw invalidParameter('maxSize must be greater than or equal to 1', where);
  if (s.desiredSize < 0) throw invalidParameter('desiredSize must be greater than or equal to 0', where);
  if (s.minSize > s.maxSize) throw invalidParameter(`Minimum capacity ${s.minSize} can't be greater than maximum capacity ${s.maxSize}`, where);
  if (s.minSize > s.desiredSize) throw invalidParameter(`Minimum capacity ${s.minSize} can't be greater than desired size ${s.desiredSize}`, where);
  if (s.desiredSize > s.maxSize) throw invalidParameter(`Desired capacity ${s.desiredSize} can't be greater than max size ${s.maxSize}`, where);
  return s;
}

export function updateConfig(body: Body | undefined, current: NodegroupUpdateConfig | undefined, where: Where): NodegroupUpdateConfig {
  if (!body) return current ?? { maxUnavailable: 1 };
  const n = body.maxUnavailable ?? undefined;
  const p = body.maxUnavailablePercentage ?? undefined;
  if (n !== undefined && p !== undefined) throw invalidParameter('Only one of maxUnavailable or maxUnavailablePercentage can be specified', where);
  if (n === undefined && p === undefined) throw invalidParameter('Either maxUnavailable or maxUnavailablePercentage must be specified', where);
  if (n !== undefined) {
    const v = requireInt(n, 'maxUnavailable', where);
    if (v < 1 || v > MAX_UNAVAILABLE) throw invalidParameter(`maxUnavailable must be between 1 and ${MAX_UNAVAILABLE}`, where);
    return { maxUnavailable: v };
  }
  const v = requireInt(p, 'maxUnavailablePercentage', where);
  if (v < 1 || v > 100) throw invalidParameter('maxUnavailablePercentage must be between 1 and 100', where);
  return { maxUnavailablePercentage: v };
}

// Kubernetes label syntax (apimachinery validation.IsQualifiedName / IsValidLabelValue).
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (name.length < 1 || name.length > 63 || !NAME.test(name)) return false;
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length < 1 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) return false;
  }
  return true;
}

export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && NAME.test(value));
}

export function labelMap(v: unknown, field: string, where: Where): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParameter(`${field} must be a map`, where);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (typeof val !== 'string') throw invalidParameter(`Label value for key ${k} must be a string`, where);
    if (!isQualifiedName(k)) throw invalidParameter(`Label key ${k} is not a valid Kubernetes label key`, where);
    if (!isLabelValue(val)) throw invalidParameter(`Label value ${val} for key ${k} is not a valid Kubernetes label value`, where);
    out[k] = val;
  }
  return out;
}

export function taintList(v: unknown, field: string, where: Where): NodegroupTaint[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalidParameter(`${field} must be a list`, where);
  return v.map((t) => {
    if (typeof t !== 'object' || t === null || Array.isArray(t)) throw invalidParameter(`${field} entries must be objects`, where);
    const o = t as Record<string, unknown>;
    const key = o.key;
    const value = o.value ?? undefined;
    const effect = o.effect;
    if (typeof key !== 'string' || !isQualifiedName(key)) throw invalidParameter(`Taint key ${String(key)} is not a valid Kubernetes taint key`, where);
    if (value !== undefined && (typeof value !== 'string' || !isLabelValue(value))) throw invalidParameter(`Taint value ${String(value)} for key ${key} is not valid`, where);
    if (typeof effect !== 'string' || !TAINT_EFFECTS.includes(effect as TaintEffect)) {
      throw invalidParameter(`Taint effect ${String(effect)} is invalid; valid effects are ${TAINT_EFFECTS.join(', ')}`, where);
    }
    return { key, ...(value !== undefined ? { value: value as string } : {}), effect: effect as TaintEffect };
  });
}

/** The group's taints after adding/replacing `add` (by key and effect) and dropping `remove` (by key). */
export function mergeTaints(current: NodegroupTaint[], add: NodegroupTaint[], remove: NodegroupTaint[], where: Where): NodegroupTaint[] {
  const same = (a: NodegroupTaint, b: NodegroupTaint) => a.key === b.key && a.effect === b.effect;
  let out = current.filter((t) => !add.some((a) => same(a, t)));
  out.push(...add);
  out = out.filter((t) => !remove.some((r) => r.key === t.key && (r.effect === undefined || r.effect === t.effect)));
  if (out.length > MAX_TAINTS) throw invalidParameter(`The number of taints can't exceed ${MAX_TAINTS}`, where);
  return out;
}

/** The AMI type EKS picks when none is given: AL2023 of the instance types' architecture (GPU types get the NVIDIA variant). */
export function defaultAmiType(types: string[]): string {
  const info = instanceType(types[0]);
  const arm = info?.arch === 'arm64';
  if (info?.acceleratorKind === 'nvidia') return arm ? 'AL2023_ARM_64_NVIDIA' : 'AL2023_x86_64_NVIDIA';
  if (info?.acceleratorKind === 'neuron') return 'AL2023_x86_64_NEURON';
  return arm ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';
}

/** Instance types against the catalog and the AMI type (architecture, accelerators). */
export function checkInstanceTypes(types: string[], amiType: string, capacityType: CapacityType, where: Where): void {
  if (types.length === 0) throw invalidParameter('instanceTypes must contain at least one instance type', where);
  if (new Set(types).size !== types.length) throw invalidParameter('instanceTypes must not contain duplicates', where);
  // EKS allows up to 20 instance types (Spot diversification; On-Demand uses them in priority order).
  if (types.length > 20) throw invalidParameter('A maximum of 20 instance types can be specified', where);
  if (capacityType === 'CAPACITY_BLOCK' && types.length > 1) throw invalidParameter('Only one instance type can be specified for CAPACITY_BLOCK', where);
  const ami = amiTypeInfo(amiType)!;
  for (const t of types) {
    const info = instanceType(t);
    if (!info) throw invalidParameter(`Instance type ${t} is not supported in this region`, where);
    const accelOk = ami.accelerator === undefined ? true : info.acceleratorKind === ami.accelerator;
    if (info.arch !== ami.arch || !accelOk) throw invalidParameter(`[${t}] is not a valid instance type for requested amiType ${amiType}`, where);
  }
}

/** AMI types EKS no longer ships for a Kubernetes version: AL2 ends with 1.32. */
export function checkAmiTypeForVersion(amiType: string, version: string, where: Where): void {
  const fam = amiTypeInfo(amiType)!.family;
  if (fam === 'AL2' && minorOf(version) >= 33) throw invalidParameter(`Requested AMI type ${amiType} is not supported for Kubernetes version ${version}`, where);
  if (fam === 'WINDOWS' || fam === 'CUSTOM') throw invalidParameter(`AMI type ${amiType} is not supported by this endpoint`, where);
}

/** EKS-optimized AMI release date of the catalog (one build for every version). */
const AMI_BUILD = '20250915';

/** The latest release version of the version's EKS-optimized AMI (AL2/AL2023: <k8s patch>-<date>; Bottlerocket: its own). */
export function latestReleaseVersion(version: string, amiType: string): string {
  const info = versionInfo(version)!;
  if (amiTypeInfo(amiType)?.family === 'BOTTLEROCKET') return '1.46.0-2d0a6ae4';
  return `${info.kubernetesPatchVersion}-${AMI_BUILD}`;
}

export function checkReleaseVersion(releaseVersion: string, version: string, amiType: string, where: Where): void {
  if (releaseVersion !== latestReleaseVersion(version, amiType)) {
    throw invalidParameter(`Requested release version ${releaseVersion} is not valid for kubernetes version ${version}.`, where);
  }
}

/** The EKS-optimized AMI ID of a release in a region (stable, so every node of a release carries the same image label). */
export function amiIdFor(region: string, amiType: string, releaseVersion: string): string {
  return `ami-${createHash('sha256').update(`${region}/${amiType}/${releaseVersion}`).digest('hex').slice(0, 17)}`;
}

export function isCapacityType(v: string): v is CapacityType {
  return (CAPACITY_TYPES as string[]).includes(v);
}
