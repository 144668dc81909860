// CreateCluster's request members checked and turned into the cluster's stored configuration.
import { createHash, randomBytes } from 'node:crypto';
import { invalidParameter } from './errors.js';
import { optBool, optObject, optString, optStringList, type Body } from './input.js';
import type { AuthenticationMode, Cluster, LogSetup } from './model.js';

export const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
export const AUTH_MODES: AuthenticationMode[] = ['API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP'];

const hex = (seed: string, n: number) => createHash('sha256').update(seed).digest('hex').slice(0, n);

/**
 * resourcesVpcConfig. Kumo has no EC2 model yet: subnets and security groups are checked by ID form
 * and taken to be in the region's one VPC (a stable vpc- ID per account and region).
 */
export function vpcConfig(body: Body, clusterName: string, account: string, region: string): Cluster['resourcesVpcConfig'] {
  const subnetIds = optStringList(body, 'subnetIds') ?? [];
  const securityGroupIds = optStringList(body, 'securityGroupIds') ?? [];
  for (const s of subnetIds) if (!/^subnet-[0-9a-f]{1,17}$/.test(s)) throw invalidParameter(`The subnet ID '${s}' does not exist`, { clusterName });
  for (const g of securityGroupIds) if (!/^sg-[0-9a-f]{1,17}$/.test(g)) throw invalidParameter(`The security group '${g}' does not exist`, { clusterName });
  // One subnet lies in one AZ; EKS needs subnets in two AZs, so at least two subnets.
  if (new Set(subnetIds).size < 2) throw invalidParameter('Subnets specified must be in at least two different AZs', { clusterName });
  const access = endpointAccess(body, { endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] }, clusterName);
  return {
    subnetIds,
    securityGroupIds,
    clusterSecurityGroupId: `sg-${randomBytes(9).toString("hex").slice(0, 17)}`,
    vpcId: `vpc-${hex(`${account}/${region}/vpc`, 17)}`,
    ...access,
  };
}

type EndpointAccess = Pick<Cluster['resourcesVpcConfig'], 'endpointPublicAccess' | 'endpointPrivateAccess' | 'publicAccessCidrs'>;

export function endpointAccess(body: Body, current: EndpointAccess, clusterName: string): EndpointAccess {
  const pub = optBool(body, 'endpointPublicAccess') ?? current.endpointPublicAccess;
  const priv = optBool(body, 'endpointPrivateAccess') ?? current.endpointPrivateAccess;
  const cidrs = optStringList(body, 'publicAccessCidrs') ?? current.publicAccessCidrs;
  if (!pub && !priv) throw invalidParameter('Private and public endpoint access cannot be disabled at the same time', { clusterName });
  for (const c of cidrs) if (!isIpv4Cidr(c)) throw invalidParameter(`The following CIDRs are invalid in publicAccessCidrs: [${c}]`, { clusterName });
  return { endpointPublicAccess: pub, endpointPrivateAccess: priv, publicAccessCidrs: cidrs };
}

function parseCidr(c: string): { base: number; bits: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(c);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  return { base: ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0, bits };
}

const isIpv4Cidr = (c: string) => parseCidr(c) !== undefined;

function within(c: { base: number; bits: number }, block: string): boolean {
  const b = parseCidr(block)!;
  const mask = b.bits === 0 ? 0 : (~0 << (32 - b.bits)) >>> 0;
  return c.bits >= b.bits && ((c.base & mask) >>> 0) === b.base;
}

/** kubernetesNetworkConfig: the service CIDR rules of KubernetesNetworkConfigRequest. */
export function networkConfig(body: Body | undefined, clusterName: string): Cluster['kubernetesNetworkConfig'] {
  const ipFamily = (body && optString(body, 'ipFamily')) ?? 'ipv4';
  if (ipFamily !== 'ipv4' && ipFamily !== 'ipv6') throw invalidParameter(`Invalid ipFamily: ${ipFamily}`, { clusterName });
  const cidr = body && optString(body, 'serviceIpv4Cidr');
  const elb = body && optObject(body, 'elasticLoadBalancing');
  const elasticLoadBalancing = elb ? { enabled: optBool(elb, 'enabled') ?? false } : undefined;
  if (ipFamily === 'ipv6') {
    if (cidr !== undefined) throw invalidParameter("serviceIpv4Cidr can't be specified with ipFamily ipv6", { clusterName });
    return { ipFamily, serviceIpv6Cidr: `fd${hex(clusterName, 2)}:${hex(clusterName + '6', 4)}:${hex(clusterName + '7', 4)}::/108`, elasticLoadBalancing };
  }
  if (cidr === undefined) {
    // EKS picks 10.100.0.0/16, or 172.20.0.0/16 when the VPC is in 10.0.0.0/8; Kumo's VPC is not.
    return { ipFamily, serviceIpv4Cidr: '10.100.0.0/16', elasticLoadBalancing };
  }
  const parsed = parseCidr(cidr);
  const privateBlock = parsed && ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].some((b) => within(parsed, b));
  if (!parsed || !privateBlock || parsed.bits < 12 || parsed.bits > 24 || ((parsed.base << parsed.bits) >>> 0 !== 0 && parsed.bits < 32)) {
    throw invalidParameter(
      `Invalid serviceIpv4Cidr ${cidr}: the block must be within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, between /24 and /12, and start at its network address`,
      { clusterName },
    );
  }
  return { ipFamily, serviceIpv4Cidr: cidr, elasticLoadBalancing };
}

/** logging.clusterLogging: known log types; later setups override earlier ones per type. */
export function logging(body: Body | undefined, current: LogSetup[] | undefined, clusterName: string): LogSetup[] {
  const enabled = new Map<string, boolean>();
  for (const s of current ?? []) for (const t of s.types) enabled.set(t, s.enabled);
  const setups = body?.clusterLogging;
  if (setups !== undefined && !Array.isArray(setups)) throw invalidParameter('clusterLogging must be a list', { clusterName });
  for (const s of (setups as Body[] | undefined) ?? []) {
    const types = optStringList(s, 'types') ?? [];
    const on = optBool(s, 'enabled') ?? false;
    for (const t of types) {
      if (!LOG_TYPES.includes(t)) throw invalidParameter(`Invalid log type: ${t}. Valid types are ${LOG_TYPES.join(', ')}`, { clusterName });
      enabled.set(t, on);
    }
  }
  const on = LOG_TYPES.filter((t) => enabled.get(t) === true);
  const off = LOG_TYPES.filter((t) => enabled.get(t) !== true);
  const out: LogSetup[] = [];
  if (on.length) out.push({ types: on, enabled: true });
  if (off.length) out.push({ types: off, enabled: false });
  return out;
}
