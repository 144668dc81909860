// Fargate pod sizing on EKS (EKS user guide, fargate-pod-configuration): the pod's requests plus
// 256 MB for kubelet, kube-proxy and containerd, rounded up to the next vCPU/memory combination.
import { parseQuantity } from '../util/quantity.js';
import { FARGATE_COMBINATION_ROWS, FARGATE_PRICE_ROWS } from './data/ec2-data.js';

export interface FargateCombination {
  vcpu: number;
  /** Fargate's "GB" are binary: 0.5GB is 512 MiB. */
  memoryGB: number;
}

export interface FargateSize extends FargateCombination {
  /** The CapacityProvisioned annotation value, e.g. "0.25vCPU 0.5GB". */
  capacityProvisioned: string;
}

/** The memory Fargate adds to each pod for the Kubernetes components on its node. */
export const FARGATE_OVERHEAD_MIB = 256;
/** Ephemeral storage every Fargate pod gets without asking. */
export const FARGATE_DEFAULT_EPHEMERAL_GIB = 20;
export const CAPACITY_PROVISIONED_ANNOTATION = 'CapacityProvisioned';

/** Every combination, ordered by vCPU then memory: the order "rounds up to the following configuration" walks. */
export const FARGATE_COMBINATIONS: readonly FargateCombination[] = Object.freeze(
  [...FARGATE_COMBINATION_ROWS].sort((a, b) => a.vcpu - b.vcpu || a.memoryGB - b.memoryGB).map((c) => Object.freeze({ ...c })),
);

export class InvalidQuantityError extends Error {
  constructor(readonly resource: string, readonly value: string) {
    super(`invalid ${resource} quantity ${JSON.stringify(value)}`);
    this.name = 'InvalidQuantityError';
  }
}

export interface FargateRequests {
  /** A Kubernetes quantity ("250m", "1"). */
  cpu?: string;
  /** A Kubernetes quantity ("512Mi", "1G"). */
  memory?: string;
}

interface ContainerLike {
  resources?: { requests?: Record<string, string> };
}
export interface PodSpecLike {
  containers: ContainerLike[];
  initContainers?: ContainerLike[];
}

function parse(resource: string, value: string | undefined): number {
  if (value === undefined) return 0;
  const q = parseQuantity(value);
  if (!q || q.nanos < 0n) throw new InvalidQuantityError(resource, value);
  return q.value;
}

/**
 * The pod's vCPU and memory request as Fargate sees it: the larger of the maximum over init
 * containers and the sum over long-running containers, per resource. Returns cores and bytes.
 */
export function fargatePodRequests(spec: PodSpecLike): { cpuCores: number; memoryBytes: number } {
  const sum = { cpu: 0, memory: 0 };
  for (const c of spec.containers) {
    sum.cpu += parse('cpu', c.resources?.requests?.cpu);
    sum.memory += parse('memory', c.resources?.requests?.memory);
  }
  const init = { cpu: 0, memory: 0 };
  for (const c of spec.initContainers ?? []) {
    init.cpu = Math.max(init.cpu, parse('cpu', c.resources?.requests?.cpu));
    init.memory = Math.max(init.memory, parse('memory', c.resources?.requests?.memory));
  }
  return { cpuCores: Math.max(sum.cpu, init.cpu), memoryBytes: Math.max(sum.memory, init.memory) };
}

function formatNumber(n: number): string {
  return String(Number(n.toFixed(4)));
}

/** "0.25vCPU 0.5GB" for a combination. */
export function capacityProvisionedText(c: FargateCombination): string {
  return `${formatNumber(c.vcpu)}vCPU ${formatNumber(c.memoryGB)}GB`;
}

/**
 * The smallest combination that fits the requests plus 256 MiB; the smallest one (.25 vCPU,
 * 0.5 GB) when nothing is requested. Undefined when no combination is large enough (the pod
 * cannot run on Fargate). Accepts either resource quantities or a pod spec.
 */
export function fargateSizeFor(requests: FargateRequests | PodSpecLike): FargateSize | undefined {
  let cpuCores: number;
  let memoryBytes: number;
  if ('containers' in requests) ({ cpuCores, memoryBytes } = fargatePodRequests(requests));
  else {
    cpuCores = parse('cpu', requests.cpu);
    memoryBytes = parse('memory', requests.memory);
  }
  const neededMiB = memoryBytes / (1024 * 1024) + FARGATE_OVERHEAD_MIB;
  const fit = FARGATE_COMBINATIONS.find((c) => c.vcpu >= cpuCores - 1e-9 && c.memoryGB * 1024 >= neededMiB - 1e-9);
  return fit ? { ...fit, capacityProvisioned: capacityProvisionedText(fit) } : undefined;
}

export interface FargatePrice {
  region: string;
  platform: string;
  usdPerVcpuHour: number;
  usdPerGBHour: number;
  usdPerExtraEphemeralGBHour?: number;
  /** How sure the data is (all Fargate prices come from third-party pages). */
  confidence: string;
  source: string;
}

/** The Fargate price row for a region and platform (Linux/x86_64 by default); undefined without data. */
export function fargatePrice(region: string, platform = 'Linux/x86_64'): FargatePrice | undefined {
  const row = FARGATE_PRICE_ROWS.find((r) => r.region === region && r.platform === platform);
  return row ? { ...row } : undefined;
}

/**
 * USD per hour of a Fargate pod of this size: vCPU × vCPU-hour + GB × GB-hour, plus ephemeral
 * storage above the 20 GiB included. Undefined when the region has no price data.
 */
export function fargateHourlyCost(size: FargateCombination, region: string, ephemeralGiB = FARGATE_DEFAULT_EPHEMERAL_GIB): number | undefined {
  const p = fargatePrice(region);
  if (!p) return undefined;
  const extra = Math.max(0, ephemeralGiB - FARGATE_DEFAULT_EPHEMERAL_GIB);
  if (extra > 0 && p.usdPerExtraEphemeralGBHour === undefined) return undefined;
  return size.vcpu * p.usdPerVcpuHour + size.memoryGB * p.usdPerGBHour + extra * (p.usdPerExtraEphemeralGBHour ?? 0);
}
