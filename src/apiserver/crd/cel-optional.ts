// cel-go's optional values (cel.OptionalTypes, enabled for Kubernetes rules since 1.28) as far as
// they are functions: optional.of, optional.ofNonZeroValue, optional.none, optional.unwrap,
// <list>.unwrapOpt(), hasValue(), value(), or(), orValue(); the format library's validate()
// returns them. Not available: the optional syntax (`a.?b`, `a[?k]`, `[?x]`, `{?k: v}`), which
// @bufbuild/cel's parser does not read, and the optMap/optFlatMap macros.
import { celFunc, celMethod, CelScalar, isCelList, isCelMap, isCelUint, listType, type CelValue } from '@bufbuild/cel';
import { celEquals, opaqueType } from './cel-opaque.js';

type Opt = { present: true; value: CelValue } | { present: false };

export const OPTIONAL = opaqueType<Opt>('optional_type', (a, b) => (a.present && b.present ? celEquals(a.value, b.value) : a.present === b.present));
const O = OPTIONAL.type;
const { BOOL, DYN } = CelScalar;
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
];
