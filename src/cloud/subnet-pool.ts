// The address pool of one subnet, as EC2 hands out private IPv4 addresses and /28 prefixes.
// AWS reserves five addresses of every subnet: the network address, .1 (VPC router), .2 (DNS),
// .3 (reserved for future use) and the broadcast address (VPC user guide, "Subnet CIDR blocks").
import { formatCidr, formatIpv4, type Cidr } from './ipv4.js';

/** Addresses AWS reserves in every subnet. */
export const RESERVED_PER_SUBNET = 5;
const PREFIX_SIZE = 16;

export interface SubnetPoolState {
  /** Addresses in use, each as dotted quad, with the ENI (or other owner) holding it. */
  addresses: Record<string, string>;
  /** /28 prefixes in use, as CIDRs, with the ENI holding them. */
  prefixes: Record<string, string>;
  /** Addresses released and not yet reused, oldest first. */
  released: string[];
  /** The next never-used host offset. */
  cursor: number;
}

export class SubnetPool {
  /** owner by address; prefixes mark each of their 16 addresses here too. */
  private readonly used = new Map<number, string>();
  private readonly prefixes = new Map<number, string>();
  private released: number[] = [];
  private cursor = 4;

  constructor(readonly cidr: Cidr) {}

  /** Usable addresses: size − 5 reserved (AvailableIpAddressCount counts down from here). */
  get usable(): number {
    return Math.max(0, this.cidr.size - RESERVED_PER_SUBNET);
  }

  /** EC2's AvailableIpAddressCount: usable addresses neither assigned nor inside an assigned prefix. */
  get available(): number {
    return this.usable - this.used.size;
  }

  private isReservedOffset(offset: number): boolean {
    return offset < 4 || offset === this.cidr.size - 1;
  }

  has(ip: number): boolean {
    return this.used.has(ip);
  }

  ownerOf(ip: number): string | undefined {
    return this.used.get(ip);
  }

  /**
   * One free address for owner; undefined when the subnet is exhausted. Never-used addresses
   * go first, then released ones oldest first (the VPC CNI also holds a freed IP back a while
   * before reuse).
   */
  allocate(owner: string): string | undefined {
    const last = this.cidr.size - 1;
    while (this.cursor < last) {
      const ip = this.cidr.base + this.cursor++;
      if (!this.used.has(ip)) {
        this.used.set(ip, owner);
        return formatIpv4(ip);
      }
    }
    while (this.released.length) {
      const ip = this.released.shift()!;
      if (!this.used.has(ip)) {
        this.used.set(ip, owner);
        return formatIpv4(ip);
      }
    }
    // Addresses freed by released prefixes are not queued individually; sweep for them.
    for (let offset = 4; offset < last; offset++) {
      const ip = this.cidr.base + offset;
      if (!this.used.has(ip)) {
        this.used.set(ip, owner);
        return formatIpv4(ip);
      }
    }
    return undefined;
  }

  /** Takes this exact free address for owner (an address known to be in use elsewhere); false when it is taken or reserved. */
  claim(ip: number, owner: string): boolean {
    const offset = ip - this.cidr.base;
    if (offset < 0 || offset >= this.cidr.size || this.isReservedOffset(offset) || this.used.has(ip)) return false;
    this.used.set(ip, owner);
    return true;
  }

  /** Takes the /28 holding ip for owner when all of it is free; its network address, or undefined. */
  claimPrefix(ip: number, owner: string): number | undefined {
    if (this.cidr.prefixLength > 28) return undefined;
    const base = ip - ((ip - this.cidr.base) % PREFIX_SIZE);
    for (let o = 0; o < PREFIX_SIZE; o++) {
      if (this.isReservedOffset(base - this.cidr.base + o) || this.used.has(base + o)) return undefined;
    }
    for (let o = 0; o < PREFIX_SIZE; o++) this.used.set(base + o, owner);
    this.prefixes.set(base, owner);
    return base;
  }

  /** Frees one address (not one inside a prefix); false when it was not assigned. */
  release(ip: number): boolean {
    if (!this.used.has(ip) || this.prefixOf(ip) !== undefined) return false;
    this.used.delete(ip);
    this.released.push(ip);
    return true;
  }

  private prefixOf(ip: number): number | undefined {
    const start = ip - ((ip - this.cidr.base) % PREFIX_SIZE);
    return this.prefixes.has(start) ? start : undefined;
  }

  /**
   * A free, aligned /28 for owner; undefined when no whole block is free (EC2 then fails with
   * InsufficientCidrBlocks: a fragmented subnet can have free addresses but no free prefix).
   */
  allocatePrefix(owner: string): string | undefined {
    if (this.cidr.prefixLength > 28) return undefined;
    for (let start = 0; start + PREFIX_SIZE <= this.cidr.size; start += PREFIX_SIZE) {
      let free = true;
      for (let o = start; o < start + PREFIX_SIZE && free; o++) {
        if (this.isReservedOffset(o) || this.used.has(this.cidr.base + o)) free = false;
      }
      if (!free) continue;
      const base = this.cidr.base + start;
      for (let o = 0; o < PREFIX_SIZE; o++) this.used.set(base + o, owner);
      this.prefixes.set(base, owner);
      return formatCidr({ base, prefixLength: 28, size: PREFIX_SIZE });
    }
    return undefined;
  }

  /** Frees a /28 given by its network address; false when it was not assigned. */
  releasePrefix(base: number): boolean {
    if (!this.prefixes.has(base)) return false;
    this.prefixes.delete(base);
    for (let o = 0; o < PREFIX_SIZE; o++) this.used.delete(base + o);
    return true;
  }

  toJSON(): SubnetPoolState {
    const addresses: Record<string, string> = {};
    for (const [ip, owner] of this.used) if (this.prefixOf(ip) === undefined) addresses[formatIpv4(ip)] = owner;
    const prefixes: Record<string, string> = {};
    for (const [base, owner] of this.prefixes) prefixes[formatCidr({ base, prefixLength: 28, size: PREFIX_SIZE })] = owner;
    return { addresses, prefixes, released: this.released.map(formatIpv4), cursor: this.cursor };
  }

  static fromJSON(cidr: Cidr, state: SubnetPoolState, parseIp: (s: string) => number): SubnetPool {
    const pool = new SubnetPool(cidr);
    for (const [ip, owner] of Object.entries(state.addresses)) pool.used.set(parseIp(ip), owner);
    for (const [prefix, owner] of Object.entries(state.prefixes)) {
      const base = parseIp(prefix.split('/')[0]);
      pool.prefixes.set(base, owner);
      for (let o = 0; o < PREFIX_SIZE; o++) pool.used.set(base + o, owner);
    }
    pool.released = state.released.map(parseIp);
    pool.cursor = state.cursor;
    return pool;
  }
}
