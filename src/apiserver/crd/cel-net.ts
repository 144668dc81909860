// Kubernetes' IP and CIDR libraries (k8s.io/apiserver/pkg/cel/library/ip.go, cidr.go): ip(string)
// values of type net.IP and cidr(string) values of type net.CIDR, parsed like Go's net/netip with
// zones and IPv4-mapped IPv6 addresses refused; isIP, isCIDR, ip.isCanonical, the address
// predicates, containsIP/containsCIDR (with a value or a string), ip(), prefixLength(), masked()
// and string(). IPs are equal when their addresses are; CIDRs when address and length are (so
// cidr('10.0.0.1/8') != cidr('10.0.0.0/8')).
import { celFunc, celMethod, CelScalar } from '@bufbuild/cel';
import { opaqueType } from './cel-opaque.js';
import { addrIs, addrString, masked, parseAddr, parsePrefix, prefixContains, prefixString, type Addr, type Prefix } from './netip.js';

export const IP = opaqueType<Addr>('net.IP', (a, b) => addrString(a) === addrString(b));
export const CIDR = opaqueType<Prefix>('net.CIDR', (a, b) => prefixString(a) === prefixString(b));
const { BOOL, INT, STRING } = CelScalar;

/** parseIPAddr of ip.go. */
function parseIP(s: string): Addr {
  let addr: Addr;
  try {
    addr = parseAddr(s);
  } catch (err) {
    throw new Error(`IP Address ${JSON.stringify(s)} parse error during conversion from string: ${(err as Error).message}`);
  }
  if (addr.zone) throw new Error(`IP address ${JSON.stringify(s)} with zone value is not allowed`);
  if (addr.is4In6) throw new Error(`IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed`);
  return addr;
}

/** parseCIDR of cidr.go (the message is wrapped twice upstream, by parseCIDR and stringToCIDR). */
function parseCIDR(s: string): Prefix {
  let p: Prefix;
  try {
    p = parsePrefix(s);
  } catch (err) {
    throw new Error(`network address parse error during conversion from string: ${(err as Error).message}`);
  }
  if (p.addr.is4In6) throw new Error(`IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed`);
  return p;
}

function ok(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch {
    return false;
  }
}

function ip(v: unknown): Addr {
  const a = IP.get(v);
  if (!a) throw new Error('no such overload');
  return a;
}

function cidr(v: unknown): Prefix {
  const p = CIDR.get(v);
  if (!p) throw new Error('no such overload');
  return p;
}

function toCIDR(s: string): Prefix {
  try {
    return parseCIDR(s);
  } catch (err) {
    throw new Error(`network address parse error during conversion from string: ${(err as Error).message}`);
  }
}

/**
 * cidrContainsCIDR compares this network's masked prefix with the other's address (not masked) at
 * this length: `cidr('10.0.0.0/8').containsCIDR('10.0.0.0/16')` is true, while
 * `cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16')` is false, as upstream answers.
 */
function containsCIDR(outer: Prefix, inner: Prefix): boolean {
  return outer.bits <= inner.bits && inner.addr.family === outer.addr.family && masked(outer).addr.value === inner.addr.value;
}

export const netFuncs = [
  celFunc('ip', [STRING], IP.type, (s) => IP.make(parseIP(s)) as never),
  celFunc('isIP', [STRING], BOOL, (s) => ok(() => parseIP(s))),
  celFunc('ip.isCanonical', [STRING], BOOL, (s) => addrString(parseIP(s)) === s),
  celFunc('string', [IP.type], STRING, (v) => addrString(ip(v))),
  celMethod('family', IP.type, [], INT, function () {
    return BigInt(ip(this).family);
  }),
  celMethod('isUnspecified', IP.type, [], BOOL, function () {
    return addrIs.unspecified(ip(this));
  }),
  celMethod('isLoopback', IP.type, [], BOOL, function () {
    return addrIs.loopback(ip(this));
  }),
  celMethod('isLinkLocalMulticast', IP.type, [], BOOL, function () {
    return addrIs.linkLocalMulticast(ip(this));
  }),
  celMethod('isLinkLocalUnicast', IP.type, [], BOOL, function () {
    return addrIs.linkLocalUnicast(ip(this));
  }),
  celMethod('isGlobalUnicast', IP.type, [], BOOL, function () {
    return addrIs.globalUnicast(ip(this));
  }),

  celFunc('cidr', [STRING], CIDR.type, (s) => CIDR.make(toCIDR(s)) as never),
  celFunc('isCIDR', [STRING], BOOL, (s) => ok(() => parseCIDR(s))),
  celFunc('string', [CIDR.type], STRING, (v) => prefixString(cidr(v))),
  celMethod('containsIP', CIDR.type, [STRING], BOOL, function (s) {
    return prefixContains(cidr(this), parseIP(s));
  }),
  celMethod('containsIP', CIDR.type, [IP.type], BOOL, function (a) {
    return prefixContains(cidr(this), ip(a));
  }),
  celMethod('containsCIDR', CIDR.type, [STRING], BOOL, function (s) {
    return containsCIDR(cidr(this), toCIDR(s));
  }),
  celMethod('containsCIDR', CIDR.type, [CIDR.type], BOOL, function (o) {
    return containsCIDR(cidr(this), cidr(o));
  }),
  celMethod('ip', CIDR.type, [], IP.type, function () {
    return IP.make(cidr(this).addr) as never;
  }),
  celMethod('prefixLength', CIDR.type, [], INT, function () {
    return BigInt(cidr(this).bits);
  }),
  celMethod('masked', CIDR.type, [], CIDR.type, function () {
    return CIDR.make(masked(cidr(this))) as never;
  }),
];
