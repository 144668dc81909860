// Kubernetes' quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go): quantity(string)
// values of type kubernetes.Quantity with isQuantity, sign, isInteger, asInteger,
// asApproximateFloat, add/sub (quantity or int), compareTo, isGreaterThan, isLessThan; equality
// is numeric (quantity('1') == quantity('1000m')).
import { celFunc, celMethod, CelScalar } from '@bufbuild/cel';
import { compareQuantities, parseQuantity, QUANTITY_FORMAT_ERROR, type Quantity } from '../../util/quantity.js';
import { opaqueType } from './cel-opaque.js';

export const QUANTITY = opaqueType<Quantity>('kubernetes.Quantity', (a, b) => a.nanos === b.nanos);
const Q = QUANTITY.type;
const { BOOL, DOUBLE, INT, STRING } = CelScalar;
const NANO = 1_000_000_000n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

function q(v: unknown): Quantity {
  const out = QUANTITY.get(v);
  if (!out) throw new Error('no such overload');
  return out;
}

function fromNanos(nanos: bigint, format: Quantity['format']): Quantity {
  return { nanos, value: Number(nanos) / 1e9, format };
}

/** Quantity.AsInt64: the value when it is whole and fits an int64. */
function asInt64(x: Quantity): bigint | undefined {
  if (x.nanos % NANO !== 0n) return undefined;
  const v = x.nanos / NANO;
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

export const quantityFuncs = [
  celFunc('quantity', [STRING], Q, (s) => {
    const parsed = parseQuantity(s);
    if (!parsed) throw new Error(QUANTITY_FORMAT_ERROR);
    return QUANTITY.make(parsed) as never;
  }),
  celFunc('isQuantity', [STRING], BOOL, (s) => parseQuantity(s) !== undefined),
  // sign is a global overload (`sign(quantity(s))`); `quantity(s).sign()` finds no overload upstream.
  celFunc('sign', [Q], INT, (x) => {
    const n = q(x).nanos;
    return n === 0n ? 0n : n < 0n ? -1n : 1n;
  }),
  celMethod('isInteger', Q, [], BOOL, function () {
    return asInt64(q(this)) !== undefined;
  }),
  celMethod('asInteger', Q, [], INT, function () {
    const v = asInt64(q(this));
    if (v === undefined) throw new Error('cannot convert value to integer');
    return v;
  }),
  celMethod('asApproximateFloat', Q, [], DOUBLE, function () {
    return Number(q(this).nanos) / 1e9;
  }),
  celMethod('compareTo', Q, [Q], INT, function (o) {
    return BigInt(compareQuantities(q(this), q(o)));
  }),
  celMethod('isGreaterThan', Q, [Q], BOOL, function (o) {
    return compareQuantities(q(this), q(o)) > 0;
  }),
  celMethod('isLessThan', Q, [Q], BOOL, function (o) {
    return compareQuantities(q(this), q(o)) < 0;
  }),
  celMethod('add', Q, [Q], Q, function (o) {
    const a = q(this);
    return QUANTITY.make(fromNanos(a.nanos + q(o).nanos, a.format)) as never;
  }),
  celMethod('add', Q, [INT], Q, function (n) {
    const a = q(this);
    return QUANTITY.make(fromNanos(a.nanos + n * NANO, a.format)) as never;
  }),
  celMethod('sub', Q, [Q], Q, function (o) {
    const a = q(this);
    return QUANTITY.make(fromNanos(a.nanos - q(o).nanos, a.format)) as never;
  }),
  celMethod('sub', Q, [INT], Q, function (n) {
    const a = q(this);
    return QUANTITY.make(fromNanos(a.nanos - n * NANO, a.format)) as never;
  }),
];
