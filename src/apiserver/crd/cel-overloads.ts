// Compile-time overload checks of Kubernetes' library functions where argument types are evident
// (literals, schema-typed fields, values made by quantity()/url()/ip()/cidr()), reported as
// cel-go's checker does: `found no matching overload for 'quantity' applied to '(int)'`, or for a
// method `found no matching overload for 'getScheme' applied to 'string.()'`.

/** Parameter lists of each global function: a call must match one. */
const GLOBALS: Record<string, string[][]> = {
  quantity: [['string']], isQuantity: [['string']], url: [['string']], isURL: [['string']],
  ip: [['string']], isIP: [['string']], cidr: [['string']], isCIDR: [['string']],
  sign: [['kubernetes.Quantity']],
};

const Q = 'kubernetes.Quantity';
const U = 'kubernetes.URL';
const IP = 'net.IP';
const CIDR = 'net.CIDR';

/** Receiver type and parameter lists of each library method. */
const METHODS: Record<string, { target: string; params: string[][] }> = {
  isInteger: { target: Q, params: [[]] },
  asInteger: { target: Q, params: [[]] },
  asApproximateFloat: { target: Q, params: [[]] },
  compareTo: { target: Q, params: [[Q]] },
  isGreaterThan: { target: Q, params: [[Q]] },
  isLessThan: { target: Q, params: [[Q]] },
  add: { target: Q, params: [[Q], ['int']] },
  sub: { target: Q, params: [[Q], ['int']] },
  getScheme: { target: U, params: [[]] },
  getHost: { target: U, params: [[]] },
  getHostname: { target: U, params: [[]] },
  getPort: { target: U, params: [[]] },
  getEscapedPath: { target: U, params: [[]] },
  getQuery: { target: U, params: [[]] },
  family: { target: IP, params: [[]] },
  isUnspecified: { target: IP, params: [[]] },
  isLoopback: { target: IP, params: [[]] },
  isLinkLocalMulticast: { target: IP, params: [[]] },
  isLinkLocalUnicast: { target: IP, params: [[]] },
  isGlobalUnicast: { target: IP, params: [[]] },
  containsIP: { target: CIDR, params: [['string'], [IP]] },
  containsCIDR: { target: CIDR, params: [['string'], [CIDR]] },
  ip: { target: CIDR, params: [[]] },
  prefixLength: { target: CIDR, params: [[]] },
  masked: { target: CIDR, params: [[]] },
};

/** The CEL type a library call returns, for the type of nested calls. */
export const RESULT_TYPES: Record<string, string> = {
  quantity: Q, url: U, ip: IP, cidr: CIDR, masked: CIDR, add: Q, sub: Q,
  isQuantity: 'bool', isURL: 'bool', isIP: 'bool', isCIDR: 'bool', sign: 'int',
  asInteger: 'int', compareTo: 'int', family: 'int', prefixLength: 'int', asApproximateFloat: 'double',
  getScheme: 'string', getHost: 'string', getHostname: 'string', getPort: 'string', getEscapedPath: 'string',
};

function matches(params: string[][], args: string[]): boolean {
  return params.some((p) => p.length === args.length && p.every((t, i) => t === args[i]));
}

/**
 * The overload error of a call, when every type involved is known and no overload fits;
 * `target` is undefined for a global call. Unknown types (undefined) never produce an error.
 */
export function overloadError(fn: string, target: string | undefined | null, args: (string | undefined)[]): string | undefined {
  if (args.some((a) => a === undefined)) return undefined;
  const known = args as string[];
  if (target === null) {
    const params = GLOBALS[fn];
    if (!params || matches(params, known)) return undefined;
    return `found no matching overload for '${fn}' applied to '(${known.join(', ')})'`;
  }
  const m = Object.hasOwn(METHODS, fn) ? METHODS[fn] : undefined;
  if (target === undefined) return undefined;
  // A global function called as a method (`quantity(s).sign()`) has no member overload.
  if (!m && Object.hasOwn(GLOBALS, fn) && isScalarOrLibraryType(target)) return `found no matching overload for '${fn}' applied to '${target}.(${known.join(', ')})'`;
  if (!m) return undefined;
  // `ip` is also the global ip(string); `x.ip()` on a string is an error all the same.
  if (target === m.target && matches(m.params, known)) return undefined;
  if (target !== m.target && !isScalarOrLibraryType(target)) return undefined;
  return `found no matching overload for '${fn}' applied to '${target}.(${known.join(', ')})'`;
}

function isScalarOrLibraryType(t: string): boolean {
  return ['string', 'int', 'uint', 'double', 'bool', 'bytes', Q, U, IP, CIDR].includes(t);
}
