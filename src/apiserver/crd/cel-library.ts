// The CEL environment of x-kubernetes-validations (k8s.io/apiserver/pkg/cel/library): the CEL
// standard library and string extensions from @bufbuild/cel, plus Kubernetes' list library
// (isSorted, sum, min, max, indexOf, lastIndexOf), regex library (find, findAll) and the
// predicates isIP, isCIDR, isURL, isQuantity. Not available: quantity(), url(), ip() and cidr()
// values with their methods, the authz and format libraries, optional types.
import { isIP } from 'node:net';
import { celEnv, celFunc, celMethod, CelScalar, isCelList, listType, type CelEnv, type CelList, type CelValue } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { parseQuantity } from '../../util/quantity.js';

const DYN_LIST = listType(CelScalar.DYN);

function compare(a: CelValue, b: CelValue): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new Error('no such overload');
}

function items(list: CelList): CelValue[] {
  return [...list];
}

function equal(a: CelValue, b: CelValue): boolean {
  try {
    return compare(a, b) === 0;
  } catch {
    return false;
  }
}

const listFuncs = [
  celMethod('isSorted', DYN_LIST, [], CelScalar.BOOL, function () {
    const xs = items(this as CelList);
    for (let i = 1; i < xs.length; i++) if (compare(xs[i - 1]!, xs[i]!) > 0) return false;
    return true;
  }),
  celMethod('sum', DYN_LIST, [], CelScalar.DYN, function () {
    const xs = items(this as CelList);
    if (xs.length === 0) return 0n;
    if (xs.every((x) => typeof x === 'bigint')) return (xs as bigint[]).reduce((s, x) => s + x, 0n);
    if (xs.every((x) => typeof x === 'number')) return (xs as number[]).reduce((s, x) => s + x, 0);
    throw new Error('no such overload');
  }),
  celMethod('min', DYN_LIST, [], CelScalar.DYN, function () {
    const xs = items(this as CelList);
    if (xs.length === 0) throw new Error('min called on empty list');
    return xs.reduce((m, x) => (compare(x, m) < 0 ? x : m)) as never;
  }),
  celMethod('max', DYN_LIST, [], CelScalar.DYN, function () {
    const xs = items(this as CelList);
    if (xs.length === 0) throw new Error('max called on empty list');
    return xs.reduce((m, x) => (compare(x, m) > 0 ? x : m)) as never;
  }),
  celMethod('indexOf', DYN_LIST, [CelScalar.DYN], CelScalar.INT, function (v) {
    return BigInt(items(this as CelList).findIndex((x) => equal(x, v)));
  }),
  celMethod('lastIndexOf', DYN_LIST, [CelScalar.DYN], CelScalar.INT, function (v) {
    const xs = items(this as CelList);
    for (let i = xs.length - 1; i >= 0; i--) if (equal(xs[i]!, v)) return BigInt(i);
    return -1n;
  }),
];

function regex(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch (err) {
    throw new Error(`invalid regex: ${(err as Error).message}`);
  }
}

const regexFuncs = [
  celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (pattern) {
    return regex(pattern).exec(this as string)?.[0] ?? '';
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING], listType(CelScalar.STRING), function (pattern) {
    return [...(this as string).matchAll(new RegExp(regex(pattern).source, 'gu'))].map((m) => m[0]);
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING, CelScalar.INT], listType(CelScalar.STRING), function (pattern, limit) {
    const all = [...(this as string).matchAll(new RegExp(regex(pattern).source, 'gu'))].map((m) => m[0]);
    return limit < 0n ? all : all.slice(0, Number(limit));
  }),
];

function validCidr(s: string): boolean {
  const [addr, bits, extra] = s.split('/');
  if (extra !== undefined || bits === undefined || !/^\d+$/.test(bits)) return false;
  const v = isIP(addr ?? '');
  return v !== 0 && Number(bits) <= (v === 4 ? 32 : 128);
}

/** The predicate parts of Kubernetes' ip, cidr, url and quantity libraries. */
const predicateFuncs = [
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (s) => isIP(s) !== 0 && !s.includes('%')),
  celFunc('isCIDR', [CelScalar.STRING], CelScalar.BOOL, (s) => validCidr(s)),
  celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (s) => URL.canParse(s) && /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s)),
  celFunc('isQuantity', [CelScalar.STRING], CelScalar.BOOL, (s) => parseQuantity(s) !== undefined),
];

/** Names a rule may call (besides operators), for compile-time "undeclared reference" errors. */
export const KNOWN_FUNCTIONS = new Set([
  // standard definitions and macros
  'size', 'has', 'all', 'exists', 'exists_one', 'map', 'filter', 'matches', 'contains', 'startsWith', 'endsWith',
  'int', 'uint', 'double', 'string', 'bytes', 'bool', 'type', 'dyn', 'duration', 'timestamp',
  'getFullYear', 'getMonth', 'getDayOfYear', 'getDayOfMonth', 'getDate', 'getDayOfWeek', 'getHours', 'getMinutes', 'getSeconds', 'getMilliseconds',
  // strings extension
  'charAt', 'indexOf', 'lastIndexOf', 'lowerAscii', 'upperAscii', 'replace', 'split', 'substring', 'trim', 'join', 'quote', 'reverse',
  // Kubernetes list and regex libraries
  'isSorted', 'sum', 'min', 'max', 'find', 'findAll',
  // Kubernetes ip, cidr, url and quantity predicates
  'isIP', 'isCIDR', 'isURL', 'isQuantity',
]);

/**
 * Functions of upstream's CEL environment this one does not implement: rules calling them compile
 * (as upstream accepts them) and are skipped when objects are validated.
 */
export const UNSUPPORTED_FUNCTIONS = new Set([
  // quantity, url, ip/cidr and semver values and their methods
  'quantity', 'sign', 'isInteger', 'asInteger', 'asApproximateFloat', 'add', 'sub', 'isGreaterThan', 'isLessThan', 'compareTo',
  'url', 'getScheme', 'getHost', 'getHostname', 'getPort', 'getEscapedPath', 'getQuery',
  'ip', 'family', 'isUnspecified', 'isLoopback', 'isLinkLocalMulticast', 'isLinkLocalUnicast', 'isGlobalUnicast',
  'cidr', 'containsIP', 'containsCIDR', 'prefixLength', 'masked',
  'semver', 'isSemver', 'major', 'minor', 'patch',
  // strings v2 format, extended lists, optional values, two-variable comprehensions
  'format', 'slice', 'flatten', 'distinct', 'sort', 'sortBy', 'hasValue', 'value', 'orValue', 'or', 'optMap', 'optFlatMap',
  'transformList', 'transformMap', 'transformMapEntry',
]);

/** Namespaces of upstream library functions (`sets.contains(...)`, `math.greatest(...)`), not implemented here. */
export const UNSUPPORTED_NAMESPACES = new Set(['sets', 'math', 'strings', 'base64', 'lists', 'optional', 'format']);

let env: CelEnv | undefined;

/** The shared environment; variables are bound per evaluation (self, oldSelf). */
export function ruleEnv(): CelEnv {
  env ??= celEnv({ variables: { self: CelScalar.DYN, oldSelf: CelScalar.DYN }, funcs: [...strings, ...listFuncs, ...regexFuncs, ...predicateFuncs] });
  return env;
}

export { isCelList };
