// Addresses of simulated nodes and pods. Nodes get an InternalIP in their zone's subnet of the
// VPC 192.168.0.0/16 (eksctl's default CIDR; zone i owns 192.168.(32*i).0/19). Each node owns a
// block of pod addresses in 100.64.0.0/10 (the range EKS custom networking uses), sized to the
// next power of two above its max pods, so pod IPs are unique per node and across nodes.
import type { NodePodAddresses, PodIpAssignment } from './pod-network.js';

export function ipToInt(ip: string): number {
  const p = ip.split('.').map(Number);
  return ((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3];
}

export function intToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const VPC_BASE = ipToInt('192.168.0.0');
const ZONE_SUBNET_SIZE = 1 << 13;
const POD_BASE = ipToInt('100.64.0.0');
const POD_SPACE = 1 << 22;

/** Node InternalIPs per zone subnet; addresses already taken (adopted nodes) are skipped. */
export class NodeIpAllocator {
  private readonly used = new Set<string>();

  markUsed(ip: string): void {
    this.used.add(ip);
  }

  release(ip: string): void {
    this.used.delete(ip);
  }

  /** The next free address of zone number `zoneIndex` (the first 10 of a subnet are AWS's and ours). */
  allocate(zoneIndex: number): string {
    const base = VPC_BASE + zoneIndex * ZONE_SUBNET_SIZE;
    for (let off = 10; off < ZONE_SUBNET_SIZE - 1; off++) {
      const ip = intToIp(base + off);
      if (!this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
    throw new Error(`the subnet of zone ${zoneIndex} has no free address`);
  }
}

/** One node's pod address block. */
export class PodIpRange implements NodePodAddresses {
  private readonly used = new Set<number>();
  private cursor = 1;

  constructor(
    readonly base: number,
    readonly size: number,
  ) {}

  get cidr(): string {
    return `${intToIp(this.base)}/${32 - Math.log2(this.size)}`;
  }

  contains(ip: string): boolean {
    const n = ipToInt(ip);
    return n >= this.base && n < this.base + this.size;
  }

  markUsed(ip: string): void {
    if (this.contains(ip)) this.used.add(ipToInt(ip) - this.base);
  }

  release(ip: string): void {
    if (this.contains(ip)) this.used.delete(ipToInt(ip) - this.base);
  }

  /** The next free address (not the block's first or last), round-robin so a freed one is not reused at once. */
  allocate(): PodIpAssignment {
    const ip = this.next();
    return ip === undefined ? { error: 'NoAddress', message: `no free address in the node's pod range ${this.cidr}` } : { ip };
  }

  private next(): string | undefined {
    const usable = this.size - 2;
    for (let i = 0; i < usable; i++) {
      const off = ((this.cursor - 1 + i) % usable) + 1;
      if (!this.used.has(off)) {
        this.used.add(off);
        this.cursor = (off % usable) + 1;
        return intToIp(this.base + off);
      }
    }
    return undefined;
  }
}

/** Hands out pod blocks in 100.64.0.0/10, aligned to their size. */
export class PodRangeAllocator {
  private cursor = 0;
  private readonly free: PodIpRange[] = [];

  allocate(maxPods: number): PodIpRange {
    let size = 4;
    while (size - 2 < maxPods) size *= 2;
    const reuse = this.free.findIndex((r) => r.size === size);
    if (reuse >= 0) return new PodIpRange(this.free.splice(reuse, 1)[0].base, size);
    const start = Math.ceil(this.cursor / size) * size;
    if (start + size > POD_SPACE) throw new Error('the pod address space 100.64.0.0/10 is exhausted');
    this.cursor = start + size;
    return new PodIpRange(POD_BASE + start, size);
  }

  release(range: PodIpRange): void {
    this.free.push(range);
  }
}
