// IPv4 addresses and CIDR blocks as unsigned 32-bit numbers.

export interface Cidr {
  /** The network address. */
  base: number;
  prefixLength: number;
  /** Addresses in the block (2^(32 − prefixLength)). */
  size: number;
}

const OCTET = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

/** "10.0.0.1" as a number; undefined when not a dotted-quad address. */
export function parseIpv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * "10.0.0.0/16" as a block; undefined when malformed or when host bits are set (EC2 rejects
 * "10.0.0.1/16" as "not a valid CIDR block").
 */
export function parseCidr(s: string): Cidr | undefined {
  const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(s);
  if (!m) return undefined;
  const base = parseIpv4(m[1]);
  const prefixLength = Number(m[2]);
  if (base === undefined || prefixLength > 32) return undefined;
  const size = 2 ** (32 - prefixLength);
  if (base % size !== 0) return undefined;
  return { base, prefixLength, size };
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.base)}/${c.prefixLength}`;
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
}

export function cidrContainsIp(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip < c.base + c.size;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}
