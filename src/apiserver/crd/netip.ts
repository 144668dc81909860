// Go's net/netip address and prefix parsing, which Kubernetes' CEL ip and cidr libraries use:
// ParseAddr (no leading zeros in IPv4 octets, RFC 4291 IPv6 with an optional embedded IPv4 tail
// and zone) and ParsePrefix (decimal bits without sign or leading zero), with Go's error texts
// `ParseAddr("x"): msg (at "rest")` and `netip.ParsePrefix("x"): msg`. String() is Go's: dotted
// quad, or RFC 5952 IPv6 (lowercase, the longest run of two or more zero groups shortened).

export interface Addr {
  /** 4 or 6. */
  family: 4 | 6;
  /** The address as a 32- or 128-bit number. */
  value: bigint;
  zone: string;
  /** An IPv6 address whose top 96 bits are ::ffff (IPv4-mapped). */
  is4In6: boolean;
}

export interface Prefix {
  addr: Addr;
  bits: number;
}

class ParseError extends Error {}

function addrError(input: string, msg: string, at = ''): ParseError {
  return new ParseError(`ParseAddr(${JSON.stringify(input)}): ${msg}${at ? ` (at ${JSON.stringify(at)})` : ''}`);
}

function parseIPv4(s: string, input = s): bigint {
  const fields: number[] = [];
  let val = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c >= '0' && c <= '9') {
      if (digits === 1 && val === 0) throw addrError(input, 'IPv4 field has octet with leading zero');
      val = val * 10 + (c.charCodeAt(0) - 48);
      digits++;
      if (val > 255) throw addrError(input, 'IPv4 field has value >255');
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') throw addrError(input, 'IPv4 field must have at least one digit', s.slice(i));
      if (fields.length === 3) throw addrError(input, 'IPv4 address too long');
      fields.push(val);
      val = 0;
      digits = 0;
    } else {
      throw addrError(input, 'unexpected character', s.slice(i));
    }
  }
  if (fields.length < 3) throw addrError(input, 'IPv4 address too short');
  fields.push(val);
  return fields.reduce((n, f) => (n << 8n) | BigInt(f), 0n);
}

function parseIPv6(input: string): Addr {
  let s = input;
  let zone = '';
  const pct = s.indexOf('%');
  if (pct >= 0) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === '') throw addrError(input, 'zone must be a non-empty string');
  }
  const groups: number[] = [];
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return make6(new Array(8).fill(0), zone);
  }
  while (groups.length < 8) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const d = parseInt(s[off]!, 16);
      if (Number.isNaN(d)) break;
      acc = acc * 16 + d;
      if (off > 3) throw addrError(input, 'each group must have 4 or less digits', s);
      if (acc > 0xffff) throw addrError(input, 'IPv6 field has value >=2^16', s);
    }
    if (off === 0) throw addrError(input, 'each colon-separated field must have at least one digit', s);
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && groups.length !== 6) throw addrError(input, 'embedded IPv4 address must replace the final 2 fields of the address', s);
      if (groups.length + 2 > 8) throw addrError(input, 'too many hex fields to fit an embedded IPv4 at the end of the address', s);
      const v4 = parseIPv4(s, input);
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      s = '';
      break;
    }
    groups.push(acc);
    s = s.slice(off);
    if (s === '') break;
    if (s[0] !== ':') throw addrError(input, 'unexpected character, want colon', s);
    if (s.length === 1) throw addrError(input, 'colon must be followed by more characters', s);
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) throw addrError(input, 'multiple :: in address', s);
      ellipsis = groups.length;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') throw addrError(input, 'trailing garbage after address', s);
  if (groups.length < 8) {
    if (ellipsis < 0) throw addrError(input, 'address string too short');
    groups.splice(ellipsis, 0, ...new Array(8 - groups.length).fill(0));
  } else if (ellipsis >= 0) {
    throw addrError(input, 'the :: must expand to at least one field of zeros');
  }
  return make6(groups, zone);
}

function make6(groups: number[], zone: string): Addr {
  const value = groups.reduce((n, g) => (n << 16n) | BigInt(g), 0n);
  return { family: 6, value, zone, is4In6: value >> 32n === 0xffffn };
}

/** netip.ParseAddr; throws with Go's message. */
export function parseAddr(s: string): Addr {
  for (const c of s) {
    if (c === '.') return { family: 4, value: parseIPv4(s), zone: '', is4In6: false };
    if (c === ':') return parseIPv6(s);
    if (c === '%') throw addrError(s, 'missing IPv6 address');
  }
  throw addrError(s, 'unable to parse IP');
}

/** netip.ParsePrefix; throws with Go's message. */
export function parsePrefix(s: string): Prefix {
  const fail = (msg: string) => new ParseError(`netip.ParsePrefix(${JSON.stringify(s)}): ${msg}`);
  const slash = s.lastIndexOf('/');
  if (slash < 0) throw fail("no '/'");
  let addr: Addr;
  try {
    addr = parseAddr(s.slice(0, slash));
  } catch (err) {
    throw fail((err as Error).message);
  }
  if (addr.family === 6 && addr.zone) throw fail('IPv6 zones cannot be present in a prefix');
  const bitsStr = s.slice(slash + 1);
  if (!/^(0|[1-9][0-9]*)$/.test(bitsStr)) throw fail(`bad bits after slash: ${JSON.stringify(bitsStr)}`);
  const bits = Number(bitsStr);
  if (bits > (addr.family === 4 ? 32 : 128)) throw fail('prefix length out of range');
  return { addr, bits };
}

function width(a: Addr): bigint {
  return a.family === 4 ? 32n : 128n;
}

/** Prefix.Masked: the host bits cleared. */
export function masked(p: Prefix): Prefix {
  const host = width(p.addr) - BigInt(p.bits);
  return { addr: { ...p.addr, value: (p.addr.value >> host) << host }, bits: p.bits };
}

/** Prefix.Contains. */
export function prefixContains(p: Prefix, a: Addr): boolean {
  if (a.family !== p.addr.family || a.zone) return false;
  const host = width(a) - BigInt(p.bits);
  return a.value >> host === p.addr.value >> host;
}

/** Addr.String. */
export function addrString(a: Addr): string {
  if (a.family === 4) return [24n, 16n, 8n, 0n].map((sh) => String((a.value >> sh) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((a.value >> BigInt(112 - 16 * i)) & 0xffffn));
  const zone = a.zone ? `%${a.zone}` : '';
  if (a.is4In6) return `::ffff:${addrString({ family: 4, value: a.value & 0xffffffffn, zone: '', is4In6: false })}${zone}`;
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(groups) + zone;
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}${zone}`;
}

export function prefixString(p: Prefix): string {
  return `${addrString(p.addr)}/${p.bits}`;
}

const V4_BROADCAST = 0xffffffffn;

/** The predicates of netip.Addr used by the ip library. */
export const addrIs = {
  unspecified: (a: Addr) => a.value === 0n,
  loopback: (a: Addr) => (a.family === 4 ? a.value >> 24n === 127n : a.value === 1n),
  multicast: (a: Addr) => (a.family === 4 ? a.value >> 28n === 0xen : a.value >> 120n === 0xffn),
  linkLocalMulticast: (a: Addr) => (a.family === 4 ? a.value >> 8n === 0xe00000n : ((a.value >> 112n) & 0xff0fn) === 0xff02n),
  linkLocalUnicast: (a: Addr) => (a.family === 4 ? a.value >> 16n === 0xa9fen : a.value >> 118n === 0x3fan),
  globalUnicast(a: Addr): boolean {
    if (a.family === 4 && (a.value === 0n || a.value === V4_BROADCAST)) return false;
    return !(a.family === 6 && a.value === 0n) && !addrIs.loopback(a) && !addrIs.multicast(a) && !addrIs.linkLocalUnicast(a);
  },
};
