// The CEL environment of x-kubernetes-validations as Kubernetes 1.33 compiles new rules (k8s.io/
// apiserver/pkg/cel/environment base.go at compatibility version 1.32): the CEL standard library
// with cross-type numeric comparisons, cel-go's strings extension (version 2) and sets extension,
// optional values (cel-optional.ts) with the optional syntax `a.?b`, `a[?k]`, `[?x]`, `{?k: v}`
// (cel-optional-syntax.ts) and the macros optMap/optFlatMap (cel-optional-ast.ts), and
// Kubernetes' libraries: lists
// (isSorted, sum, min, max, indexOf, lastIndexOf), regex (find, findAll), quantity
// (cel-quantity.ts), url (cel-url.ts), ip and cidr (cel-net.ts) and format (cel-format.ts).
// Two-variable comprehensions are rewritten into one-variable ones (cel-comprehensions.ts).
// Not available: the authz library (it needs an authorizer, which CRD rules do not have). The semver library is introduced in 1.33, so new rules cannot use it until 1.34:
// semver() and isSemver() are undeclared references, as upstream reports.
import { celEnv, celMethod, CelScalar, isCelList, listType, type CelEnv, type CelList, type CelType, type CelValue } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { comprehensionFuncs } from './cel-comprehensions.js';
import { formatFuncs, FORMAT_NAMES } from './cel-format.js';
import { CIDR, IP, netFuncs } from './cel-net.js';
import { celEquals, equalityFuncs } from './cel-opaque.js';
import { optionalFuncs } from './cel-optional.js';
import { quantityFuncs } from './cel-quantity.js';
import { setsFuncs } from './cel-sets.js';
import { urlFuncs } from './cel-url.js';

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

const equal = celEquals;

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

/** Names a rule may call as plain functions or methods (besides operators). */
export const KNOWN_FUNCTIONS = new Set([
  // standard definitions and macros
  'size', 'has', 'all', 'exists', 'exists_one', 'map', 'filter', 'matches', 'contains', 'startsWith', 'endsWith',
  'int', 'uint', 'double', 'string', 'bytes', 'bool', 'type', 'dyn', 'duration', 'timestamp',
  'getFullYear', 'getMonth', 'getDayOfYear', 'getDayOfMonth', 'getDate', 'getDayOfWeek', 'getHours', 'getMinutes', 'getSeconds', 'getMilliseconds',
  // strings extension, version 2
  'charAt', 'indexOf', 'lastIndexOf', 'lowerAscii', 'upperAscii', 'replace', 'split', 'substring', 'trim', 'join', 'format',
  // Kubernetes list and regex libraries
  'isSorted', 'sum', 'min', 'max', 'find', 'findAll',
  // quantity
  'quantity', 'isQuantity', 'sign', 'isInteger', 'asInteger', 'asApproximateFloat', 'add', 'sub', 'compareTo', 'isGreaterThan', 'isLessThan',
  // url
  'url', 'isURL', 'getScheme', 'getHost', 'getHostname', 'getPort', 'getEscapedPath', 'getQuery',
  // ip and cidr
  'ip', 'isIP', 'family', 'isUnspecified', 'isLoopback', 'isLinkLocalMulticast', 'isLinkLocalUnicast', 'isGlobalUnicast',
  'cidr', 'isCIDR', 'containsIP', 'containsCIDR', 'prefixLength', 'masked',
  // optional values and the format library
  'hasValue', 'value', 'or', 'orValue', 'unwrapOpt', 'validate',
]);

/** Namespaced functions (`sets.contains(...)`): the namespace is not a variable. */
export const KNOWN_QUALIFIED_FUNCTIONS = new Set([
  'sets.contains', 'sets.equivalent', 'sets.intersects', 'strings.quote', 'ip.isCanonical',
  'optional.of', 'optional.ofNonZeroValue', 'optional.none', 'optional.unwrap',
  'format.named', ...FORMAT_NAMES.map((n) => `format.${n}`),
]);

/** Type names the ip and cidr libraries declare (`type(x) == net.IP`), with their values. */
export const TYPE_NAMES: Record<string, CelType> = { 'net.IP': IP.type, 'net.CIDR': CIDR.type };

let env: CelEnv | undefined;

/** The shared environment; variables are bound per evaluation (self, oldSelf). */
export function ruleEnv(): CelEnv {
  env ??= celEnv({
    variables: { self: CelScalar.DYN, oldSelf: CelScalar.DYN, 'net.IP': CelScalar.TYPE, 'net.CIDR': CelScalar.TYPE },
    funcs: [...strings, ...listFuncs, ...regexFuncs, ...quantityFuncs, ...urlFuncs, ...netFuncs, ...setsFuncs, ...optionalFuncs, ...formatFuncs, ...comprehensionFuncs, ...equalityFuncs],
  });
  return env;
}

export { isCelList };
