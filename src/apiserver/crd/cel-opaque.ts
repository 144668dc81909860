// Opaque CEL values (cel-go's ref.Val types of k8s.io/apiserver/pkg/cel: kubernetes.Quantity,
// kubernetes.URL, net.IP, net.CIDR, kubernetes.Semver, optional_type) on @bufbuild/cel, which only
// knows protobuf messages as object values. An opaque value presents itself as a message without
// fields of its own type name, so `type(x)`, overload dispatch on objectType(name) and
// "no matching overload" errors name the type as upstream does; selecting a field of it is
// `no such key`. Equality is each type's own (upstream's Equal methods), so `==`, `!=` and `in`
// are overridden here to compare opaque values with their type's equality and delegate everything
// else to the standard definitions.
import { celEnv, celFunc, CelScalar, isCelList, isCelMap, listType, objectType, type CelFunc, type CelObjectType, type CelValue } from '@bufbuild/cel';

// @bufbuild/protobuf's marker of reflected messages (reflect/unsafe.ts), a registered symbol.
const REFLECT_MESSAGE = Symbol.for('reflect unsafe local');
const OPAQUE = Symbol('kumo.cel.opaque');

interface OpaqueBox<T> {
  [OPAQUE]: { type: OpaqueType<T>; value: T };
}

export interface OpaqueType<T> {
  readonly name: string;
  /** The CEL type for function signatures. */
  readonly type: CelObjectType;
  /** Wraps a value. */
  make(value: T): CelValue;
  /** Equality of two wrapped values (upstream's Equal). */
  equal(a: T, b: T): boolean;
  /** The wrapped value, or undefined when `v` is not of this type. */
  get(v: unknown): T | undefined;
}

export function opaqueType<T>(name: string, equal: (a: T, b: T) => boolean): OpaqueType<T> {
  const desc = Object.freeze({ kind: 'message', typeName: name, name, fields: [], members: [], oneofs: [] });
  const t: OpaqueType<T> = {
    name,
    type: objectType(name),
    equal,
    make(value: T): CelValue {
      const box = { [REFLECT_MESSAGE]: true, desc, message: {}, [OPAQUE]: { type: t, value } };
      return box as unknown as CelValue;
    },
    get(v: unknown): T | undefined {
      const box = opaqueOf(v);
      return box?.type === t ? (box.value as T) : undefined;
    },
  };
  return t;
}

function opaqueOf(v: unknown): OpaqueBox<unknown>[typeof OPAQUE] | undefined {
  return typeof v === 'object' && v !== null && OPAQUE in v ? (v as OpaqueBox<unknown>)[OPAQUE] : undefined;
}

const stdEqualsFunc = celEnv().funcs.find('_==_');

function stdEquals(a: CelValue, b: CelValue): boolean {
  return stdEqualsFunc?.call(0, undefined, [a, b]) === true;
}

/** CEL equality with opaque values compared by their type's equality. */
export function celEquals(a: CelValue, b: CelValue): boolean {
  if (typeof a !== 'object' && typeof a === typeof b) return a === b;
  const oa = opaqueOf(a);
  const ob = opaqueOf(b);
  if (oa || ob) return oa !== undefined && ob !== undefined && oa.type === ob.type && oa.type.equal(oa.value, ob.value);
  if (isCelList(a) && isCelList(b)) {
    if (a.size !== b.size) return false;
    for (let i = 0; i < a.size; i++) if (!celEquals(a.get(i)!, b.get(i)!)) return false;
    return true;
  }
  if (isCelMap(a) && isCelMap(b)) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      const w = b.get(k);
      if (w === undefined || !celEquals(v, w)) return false;
    }
    return true;
  }
  return stdEquals(a, b);
}

/** Overrides of the standard `==`, `!=` and `in list` (same overload ids, so they replace them). */
export const equalityFuncs: CelFunc[] = [
  celFunc('_==_', [CelScalar.DYN, CelScalar.DYN], CelScalar.BOOL, (a, b) => celEquals(a, b)),
  celFunc('_!=_', [CelScalar.DYN, CelScalar.DYN], CelScalar.BOOL, (a, b) => !celEquals(a, b)),
  celFunc('@in', [CelScalar.DYN, listType(CelScalar.DYN)], CelScalar.BOOL, (v, list) => {
    for (const x of list) if (celEquals(x, v)) return true;
    return false;
  }),
];
