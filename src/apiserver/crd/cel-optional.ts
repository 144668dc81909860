// cel-go's optional values (cel.OptionalTypes, enabled for Kubernetes rules since 1.28):
// optional.of, optional.ofNonZeroValue, optional.none, optional.unwrap, <list>.unwrapOpt(),
// hasValue(), value(), or(), orValue(); the format library's validate() returns them. The optional
// syntax (cel-optional-syntax.ts, cel-optional-ast.ts) evaluates through the helpers here:
// presence-tested selection and indexing (interpreter/attributes.go applyQualifiers: once a
// qualifier is optional, or its operand an optional value, every later one tests presence and the
// result is optional.of(value) or optional.none()), and list and map literals with optional
// elements and entries.
import { celFunc, celMap, celMethod, CelScalar, isCelList, isCelMap, isCelUint, listType, mapType, type CelValue } from '@bufbuild/cel';
import { celEquals, opaqueType } from './cel-opaque.js';

type Opt = { present: true; value: CelValue } | { present: false };

export const OPTIONAL = opaqueType<Opt>('optional_type', (a, b) => (a.present && b.present ? celEquals(a.value, b.value) : a.present === b.present));
const O = OPTIONAL.type;
const { BOOL, DYN, STRING } = CelScalar;
const NONE: Opt = { present: false };

export const optionalOf = (value: CelValue): CelValue => OPTIONAL.make({ present: true, value });
export const optionalNone = (): CelValue => OPTIONAL.make(NONE);

function opt(v: unknown): Opt {
  const o = OPTIONAL.get(v);
  if (!o) throw new Error('no such overload');
  return o;
}

function isZero(v: CelValue): boolean {
  if (v === null || v === false || v === 0n || v === 0 || v === '') return true;
  if (v instanceof Uint8Array) return v.length === 0;
  if (isCelUint(v)) return v.value === 0n;
  if (isCelList(v) || isCelMap(v)) return v.size === 0;
  return false;
}

/** Helpers the rewritten optional syntax calls; rules cannot name them (they are not identifiers). */
export const OPT_SELECT = '@kumo.optSelect';
export const OPT_INDEX = '@kumo.optIndex';
export const OPT_LIST = '@kumo.optList';
export const OPT_MAP = '@kumo.optMapLiteral';
export const OPT_HAS = '@kumo.optHas';

/** A list index as cel-go's types.IndexOrError takes it: int, uint or a whole double. */
function listIndex(key: CelValue): number {
  if (typeof key === 'bigint') return Number(key);
  if (isCelUint(key)) return Number(key.value);
  if (typeof key === 'number' && Number.isInteger(key)) return key;
  throw new Error(`unsupported index type '${typeof key === 'number' ? 'double' : typeof key}' in list`);
}

/**
 * Presence-tested qualification (refQualify with presenceTest): the value, or none where a map
 * lacks the key or a list the index. A value that is neither is `no such key`, as cel-spec's
 * conformance tests have it (optionals/map_null_entry_no_such_key).
 */
function qualify(obj: CelValue, key: CelValue): CelValue {
  let target = obj;
  const o = OPTIONAL.get(obj);
  if (o) {
    if (!o.present) return optionalNone();
    target = o.value;
  }
  if (isCelMap(target)) {
    if (typeof key === 'object' && !isCelUint(key)) return optionalNone();
    const v = target.get(key as never);
    return v === undefined ? optionalNone() : optionalOf(v);
  }
  if (isCelList(target)) {
    const i = listIndex(key);
    return i >= 0 && i < target.size ? optionalOf(target.get(i)!) : optionalNone();
  }
  throw new Error(`no such key: ${String(isCelUint(key) ? key.value : key)}`);
}

/** has() of a field of an optional value: false when none (optionals/has_map_optindex). */
function hasField(obj: CelValue, field: string): boolean {
  const o = OPTIONAL.get(obj);
  if (!o) throw new Error('no such overload');
  if (!o.present) return false;
  if (isCelMap(o.value)) return o.value.has(field);
  throw new Error(`no such key: ${field}`);
}

function optionalList(elements: Iterable<CelValue>, optionalIndices: Iterable<CelValue>): CelValue[] {
  const optional = new Set([...optionalIndices].map(Number));
  const out: CelValue[] = [];
  [...elements].forEach((v, i) => {
    if (!optional.has(i)) return void out.push(v);
    const o = OPTIONAL.get(v);
    if (!o) throw new Error(`cannot initialize optional list element from non-optional value ${String(v)}`);
    if (o.present) out.push(o.value);
  });
  return out;
}

function optionalMap(entries: Iterable<CelValue>, optionalIndices: Iterable<CelValue>): ReturnType<typeof celMap> {
  const optional = new Set([...optionalIndices].map(Number));
  const out = new Map<never, CelValue>();
  [...entries].forEach((entry, i) => {
    const [k, v] = [...(entry as Iterable<CelValue>)] as [CelValue, CelValue];
    if (!(typeof k === 'string' || typeof k === 'bigint' || typeof k === 'boolean' || isCelUint(k))) throw new Error('unsupported key type');
    const key = k as never;
    let value = v;
    if (optional.has(i)) {
      const o = OPTIONAL.get(v);
      if (!o) throw new Error(`cannot initialize optional entry '${String(k)}' from non-optional value ${String(v)}`);
      if (!o.present) return;
      value = o.value;
    }
    if (out.has(key)) throw new Error(`map key conflict: ${String(k)}`);
    out.set(key, value);
  });
  return celMap(out as never);
}

export const optionalFuncs = [
  celFunc('optional.of', [DYN], O, (v) => optionalOf(v) as never),
  celFunc('optional.ofNonZeroValue', [DYN], O, (v) => (isZero(v) ? optionalNone() : optionalOf(v)) as never),
  celFunc('optional.none', [], O, () => optionalNone() as never),
  celFunc('optional.unwrap', [listType(DYN)], listType(DYN), (list) => [...list].map(opt).flatMap((o) => (o.present ? [o.value] : []))),
  celMethod('unwrapOpt', listType(DYN), [], listType(DYN), function () {
    return [...this].map(opt).flatMap((o) => (o.present ? [o.value] : []));
  }),
  celMethod('hasValue', O, [], BOOL, function () {
    return opt(this).present;
  }),
  celMethod('value', O, [], DYN, function () {
    const o = opt(this);
    if (!o.present) throw new Error('optional.none() dereference');
    return o.value as never;
  }),
  celMethod('or', O, [O], O, function (other) {
    return (opt(this).present ? this : other) as never;
  }),
  celMethod('orValue', O, [DYN], DYN, function (v) {
    const o = opt(this);
    return (o.present ? o.value : v) as never;
  }),
  celFunc(OPT_SELECT, [DYN, STRING], O, (obj, field) => qualify(obj, field) as never),
  celFunc(OPT_HAS, [DYN, STRING], BOOL, (obj, field) => hasField(obj, field)),
  celFunc(OPT_INDEX, [DYN, DYN], O, (obj, key) => qualify(obj, key) as never),
  celFunc(OPT_LIST, [listType(DYN), listType(DYN)], listType(DYN), (elements, optionalIndices) => optionalList(elements, optionalIndices)),
  celFunc(OPT_MAP, [listType(DYN), listType(DYN)], mapType(DYN, DYN), (entries, optionalIndices) => optionalMap(entries, optionalIndices)),
];
