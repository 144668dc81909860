// EKS's max-pods rule for a node, as amazon-eks-ami's max-pods-calculator.sh and the VPC CNI compute it.
import { instanceType, type InstanceTypeInfo } from './instance-types.js';

export interface MaxPodsOptions {
  /** vpc-cni ENABLE_PREFIX_DELEGATION: each secondary-IP slot holds a /28 prefix (16 addresses). Nitro only. */
  prefixDelegation?: boolean;
  /** vpc-cni custom networking: the primary ENI carries no pods, so one ENI fewer. */
  customNetworking?: boolean;
  /** max-pods-calculator.sh --cni-max-eni: use at most this many ENIs. */
  maxENIs?: number;
  /**
   * Apply the 110 / 250 cap in secondary-IP mode too, as managed node groups without a custom AMI
   * do ("whether prefix delegation is enabled or not", EKS user guide create-managed-node-group).
   * Prefix-delegation results are always capped, as max-pods-calculator.sh prints them.
   */
  managedNodeGroupCap?: boolean;
}

/** Addresses in a /28 prefix (max-pods-calculator.sh IPS_PER_PREFIX). */
export const IPS_PER_PREFIX = 16;

/**
 * The cap of max-pods-calculator.sh: 250 when vCPU > 30 (the script tests `-gt 30`, so exactly
 * 30 vCPUs gets 110), else 110 (Kubernetes' scalability threshold per the EKS user guide).
 */
export function maxPodsCap(vcpu: number): number {
  return vcpu > 30 ? 250 : 110;
}

function resolve(type: string | InstanceTypeInfo): InstanceTypeInfo {
  const info = typeof type === 'string' ? instanceType(type) : type;
  if (!info) throw new UnknownInstanceTypeError(String(type));
  return info;
}

export class UnknownInstanceTypeError extends Error {
  constructor(readonly instanceType: string) {
    super(`unknown instance type ${JSON.stringify(instanceType)}`);
    this.name = 'UnknownInstanceTypeError';
  }
}

/**
 * Max pods for a node of this type. Secondary-IP mode: ENIs × (IPv4 per ENI − 1) + 2 (the first IP
 * of each ENI is the ENI's own; +2 for host-network pods aws-node and kube-proxy; vpc-cni
 * misc/eni-max-pods.txt). Prefix delegation (Nitro only, else the secondary-IP value):
 * ENIs × ((IPv4 per ENI − 1) × 16) + 2, capped at maxPodsCap(vCPU).
 */
export function maxPods(type: string | InstanceTypeInfo, opts: MaxPodsOptions = {}): number {
  const info = resolve(type);
  let enis = info.maxENIs;
  if (opts.maxENIs !== undefined) enis = Math.min(enis, Math.max(0, Math.floor(opts.maxENIs)));
  if (opts.customNetworking) enis = Math.max(0, enis - 1);
  const slots = info.ipv4PerENI - 1;
  const cap = maxPodsCap(info.vcpu);
  if (opts.prefixDelegation && info.nitro) return Math.min(cap, enis * slots * IPS_PER_PREFIX + 2);
  const raw = enis * slots + 2;
  return opts.managedNodeGroupCap ? Math.min(cap, raw) : raw;
}

/**
 * The max pods a managed node group (no custom AMI) gives all its nodes: each type's value under
 * the 110 / 250 cap, and with several instance types "the smallest value calculated across all
 * instance types" (EKS user guide, create-managed-node-group).
 */
export function nodeGroupMaxPods(types: readonly (string | InstanceTypeInfo)[], opts: Omit<MaxPodsOptions, 'managedNodeGroupCap'> = {}): number {
  if (!types.length) throw new RangeError('a node group has at least one instance type');
  return Math.min(...types.map((t) => maxPods(t, { ...opts, managedNodeGroupCap: true })));
}
