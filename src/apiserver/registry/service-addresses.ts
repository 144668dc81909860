// ClusterIP and NodePort allocation of Services, as the service registry does it upstream
// (pkg/registry/core/service/storage alloc.go, ipallocator with IPAddress objects since
// MultiCIDRServiceAllocator, portallocator): each allocated ClusterIP is an IPAddress object
// named by the IP, so the store's create-if-absent makes allocations unique; node ports are
// unique across Services in the node port range.
import { randomInt, randomUUID } from 'node:crypto';
import { internalError, invalid } from '../../api/status.js';
import { toStatusCauses } from '../../api/field-errors.js';
import type { FieldError } from '../../api/field-errors.js';
import type { ResourceDef } from '../schema/types.js';
import { objectKey } from '../watchcache/index.js';
import type { RegistryContext } from './context.js';
import { isObject, metaString } from './object-meta.js';
import { cacheOf } from './reader.js';
import type { ApiObject } from './types.js';

export interface ServiceNetwork {
  /** IPv4 CIDR ClusterIPs come from (kube-apiserver --service-cluster-ip-range). */
  clusterIPRange: string;
  /** Inclusive node port range (--service-node-port-range). */
  nodePortRange: [number, number];
}

/** EKS's default service CIDR and Kubernetes' default node port range. */
export const DEFAULT_SERVICE_NETWORK: ServiceNetwork = { clusterIPRange: '10.100.0.0/16', nodePortRange: [30000, 32767] };

const IPADDRESSES = { group: 'networking.k8s.io', resource: 'ipaddresses', namespaced: false };

interface Range {
  first: number;
  /** Number of usable addresses (network and broadcast address excluded). */
  size: number;
}

function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseRange(cidr: string): Range {
  const [ip, bitsText] = cidr.split('/');
  const base = ipToInt(ip);
  const bits = Number(bitsText);
  if (base === undefined || !Number.isInteger(bits) || bits < 8 || bits > 30) throw new Error(`invalid IPv4 service CIDR ${cidr}`);
  const total = 2 ** (32 - bits);
  const network = base - (base % total);
  return { first: network + 1, size: total - 2 };
}

export function isServices(res: ResourceDef): boolean {
  return res.group === '' && res.resource === 'services';
}

function needsClusterIP(spec: Record<string, unknown>): boolean {
  return spec.type !== 'ExternalName' && spec.clusterIP !== 'None';
}

function needsNodePorts(spec: Record<string, unknown>): boolean {
  return spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

function ipAddressObject(ip: string, svc: ApiObject): ApiObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IPAddress',
    metadata: { name: ip, labels: { 'ipaddress.kubernetes.io/ip-family': 'IPv4', 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' } },
    spec: { parentRef: { group: '', resource: 'services', namespace: metaString(svc, 'namespace'), name: metaString(svc, 'name') } },
  };
}

function systemTime(ctx: RegistryContext): string {
  return new Date(Math.floor(ctx.clock.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Creates the IPAddress object for `ip`; false when it is taken. */
async function claimIP(ctx: RegistryContext, ip: string, svc: ApiObject, dryRun: boolean): Promise<boolean> {
  const key = objectKey(ctx.store.prefix, IPADDRESSES, undefined, ip);
  if (dryRun) return (await ctx.store.get(key)) === undefined;
  const obj = ipAddressObject(ip, svc);
  const meta = obj.metadata as Record<string, unknown>;
  meta.uid = randomUUID();
  meta.creationTimestamp = systemTime(ctx);
  try {
    await ctx.store.create(key, Buffer.from(JSON.stringify(obj)));
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'KeyExists') return false;
    throw err;
  }
}

export async function releaseIP(ctx: RegistryContext, ip: string): Promise<void> {
  try {
    await ctx.store.delete(objectKey(ctx.store.prefix, IPADDRESSES, undefined, ip));
  } catch (err) {
    if ((err as { code?: string }).code !== 'NotFound') throw err;
  }
}

/**
 * A dynamic ClusterIP: random, from the upper part of the range first (the lower band is left
 * for static choices, ipallocator's "dynamic block" split), then anywhere.
 */
async function allocateDynamicIP(ctx: RegistryContext, range: Range, svc: ApiObject, dryRun: boolean): Promise<string> {
  const staticBand = Math.min(Math.max(16, Math.floor(range.size / 16)), 256, range.size);
  const bands: [number, number][] = range.size > staticBand ? [[staticBand, range.size], [0, staticBand]] : [[0, range.size]];
  for (const [lo, hi] of bands) {
    for (let i = 0; i < 32; i++) {
      const ip = intToIp(range.first + randomInt(lo, hi));
      if (await claimIP(ctx, ip, svc, dryRun)) return ip;
    }
    for (let off = lo; off < hi; off++) {
      const ip = intToIp(range.first + off);
      if (await claimIP(ctx, ip, svc, dryRun)) return ip;
    }
  }
  throw internalError('failed to allocate a serviceIP: range is full');
}

async function usedNodePorts(ctx: RegistryContext, services: ResourceDef, except: string): Promise<Set<number>> {
  await ctx.hub.waitFresh(ctx.blockTimeoutMs);
  const used = new Set<number>();
  for (const c of cacheOf(ctx, services).list('')) {
    if (c.key === except) continue;
    const spec = isObject(c.object.spec) ? c.object.spec : {};
    for (const p of Array.isArray(spec.ports) ? spec.ports : []) if (isObject(p) && typeof p.nodePort === 'number') used.add(p.nodePort);
  }
  return used;
}

/**
 * Fills in spec.clusterIP(s) and node ports of a Service being created or updated (for an
 * update, `old` carries the values already allocated). Returns a function that releases what
 * this call allocated, for when the write fails.
 */
export async function allocateServiceAddresses(ctx: RegistryContext, services: ResourceDef, svc: ApiObject, old: ApiObject | undefined, dryRun: boolean): Promise<() => Promise<void>> {
  const spec = isObject(svc.spec) ? svc.spec : (svc.spec = {});
  const oldSpec = old && isObject(old.spec) ? old.spec : {};
  const errs: FieldError[] = [];
  const claimed: string[] = [];
  const release = async () => {
    if (!dryRun) for (const ip of claimed) await releaseIP(ctx, ip);
  };

  // patchAllocatedValues: an update that leaves clusterIP out keeps the allocated one.
  if (old && needsClusterIP(spec) && !spec.clusterIP && typeof oldSpec.clusterIP === 'string' && oldSpec.clusterIP && oldSpec.clusterIP !== 'None') {
    spec.clusterIP = oldSpec.clusterIP;
    spec.clusterIPs = Array.isArray(oldSpec.clusterIPs) ? oldSpec.clusterIPs : [oldSpec.clusterIP];
  }
  if (spec.clusterIP === 'None' && !Array.isArray(spec.clusterIPs)) spec.clusterIPs = ['None'];
  if (needsClusterIP(spec) && (!spec.clusterIP || spec.clusterIP !== oldSpec.clusterIP)) {
    const range = parseRange(ctx.serviceNetwork.clusterIPRange);
    const requested = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
    if (requested) {
      const n = ipToInt(requested);
      if (n !== undefined) {
        if (n < range.first || n >= range.first + range.size) {
          errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', badValue: [requested], detail: `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${ctx.serviceNetwork.clusterIPRange}` });
        } else if (!(await claimIP(ctx, requested, svc, dryRun))) {
          errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', badValue: [requested], detail: `failed to allocate IP ${requested}: provided IP is already allocated` });
        } else claimed.push(requested);
      }
    } else {
      const ip = await allocateDynamicIP(ctx, range, svc, dryRun);
      claimed.push(ip);
      spec.clusterIP = ip;
    }
    if (typeof spec.clusterIP === 'string' && spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
  }

  if (needsNodePorts(spec) && Array.isArray(spec.ports)) {
    const [lo, hi] = ctx.serviceNetwork.nodePortRange;
    const key = objectKey(ctx.store.prefix, services, metaString(svc, 'namespace'), metaString(svc, 'name'));
    const used = await usedNodePorts(ctx, services, key);
    const oldPorts = Array.isArray(oldSpec.ports) ? oldSpec.ports.filter(isObject) : [];
    spec.ports.forEach((p, i) => {
      if (!isObject(p)) return;
      if (p.nodePort === undefined || p.nodePort === 0) {
        const prev = oldPorts.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP') && typeof o.nodePort === 'number');
        if (prev) p.nodePort = prev.nodePort;
      }
      if (typeof p.nodePort === 'number' && p.nodePort !== 0) {
        if (oldPorts.some((o) => o.nodePort === p.nodePort)) return;
        if (p.nodePort < lo || p.nodePort > hi) {
          errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, badValue: p.nodePort, detail: `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}` });
        } else if (used.has(p.nodePort)) {
          errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, badValue: p.nodePort, detail: 'provided port is already allocated' });
        }
        used.add(p.nodePort);
        return;
      }
      let port = 0;
      for (let tries = 0; tries < 64 && !port; tries++) {
        const c = randomInt(lo, hi + 1);
        if (!used.has(c)) port = c;
      }
      for (let c = lo; !port && c <= hi; c++) if (!used.has(c)) port = c;
      if (!port) throw internalError('failed to allocate a nodePort: range is full');
      used.add(port);
      p.nodePort = port;
    });
  }
  if (errs.length) {
    await release();
    throw invalid('', 'Service', metaString(svc, 'name'), toStatusCauses(errs));
  }
  return release;
}

/** The ClusterIPs a Service holds, for release when it is deleted or no longer needs them. */
export function clusterIPsOf(svc: Readonly<ApiObject>): string[] {
  const spec = isObject(svc.spec) ? svc.spec : {};
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : typeof spec.clusterIP === 'string' ? [spec.clusterIP] : [];
  return ips.filter((ip): ip is string => typeof ip === 'string' && ip !== '' && ip !== 'None');
}
