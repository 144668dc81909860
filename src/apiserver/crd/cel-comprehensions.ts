// cel-go's two-variable comprehensions (ext.TwoVarComprehensions, for Kubernetes rules since
// 1.32): <range>.all(k, v, p), exists(k, v, p), existsOne/exists_one(k, v, p),
// transformList(k, v, [filter,] t), transformMap(k, v, [filter,] t) and
// transformMapEntry(k, v, [filter,] m). @bufbuild/cel's parser leaves these as plain calls and its
// evaluator folds over one variable, so each call is rewritten into a one-variable comprehension
// over [key, value] pairs (list: index and element; map: key and value) with k and v replaced by
// pair[0] and pair[1], expanded the way cel-go's macros expand.
import { celFunc, celMap, CelScalar, isCelList, isCelMap, listType, mapType, type CelMap, type CelValue } from '@bufbuild/cel';
import type { Expr } from './cel-compile.js';

/** Macro name -> the argument counts it takes. */
export const TWO_VARIABLE_MACROS: Record<string, number[]> = {
  all: [3], exists: [3], existsOne: [3], exists_one: [3], transformList: [3, 4], transformMap: [3, 4], transformMapEntry: [3, 4],
};

export function isTwoVariableMacro(fn: string, argCount: number): boolean {
  return Object.hasOwn(TWO_VARIABLE_MACROS, fn) && TWO_VARIABLE_MACROS[fn]!.includes(argCount);
}

/** The helper listing a range's [key, value] pairs; the cost estimate iterates over its argument. */
export const ENTRIES = '@kumo.entries';
const MAP_INSERT = '@kumo.mapInsert';
const MAP_MERGE = '@kumo.mapMerge';

function entries(range: CelValue): CelValue[][] {
  if (isCelList(range)) return [...range].map((v, i) => [BigInt(i), v]);
  if (isCelMap(range)) return [...range].map(([k, v]) => [k, v]);
  throw new Error('no such overload');
}

function insert(m: CelMap, k: CelValue, v: CelValue): CelMap {
  if (m.has(k as never)) throw new Error(`insert failed: key ${String(k)} already exists`);
  return celMap(new Map([...m, [k as never, v]]));
}

/** Helpers the rewritten comprehensions call; rules cannot name them (they are not identifiers). */
export const comprehensionFuncs = [
  celFunc(ENTRIES, [CelScalar.DYN], listType(CelScalar.DYN), (r) => entries(r) as never),
  celFunc(MAP_INSERT, [mapType(CelScalar.DYN, CelScalar.DYN), CelScalar.DYN, CelScalar.DYN], mapType(CelScalar.DYN, CelScalar.DYN), (m, k, v) => insert(m, k, v)),
  celFunc(MAP_MERGE, [mapType(CelScalar.DYN, CelScalar.DYN), mapType(CelScalar.DYN, CelScalar.DYN)], mapType(CelScalar.DYN, CelScalar.DYN), (m, add) => {
    let out = m;
    for (const [k, v] of add) out = insert(out, k, v);
    return out;
  }),
];

let nextId = 1_000_000_000n;

function node(kind: Expr['exprKind']): Expr {
  return { id: nextId++, exprKind: kind } as Expr;
}
const ident = (name: string) => node({ case: 'identExpr', value: { name } } as Expr['exprKind']);
const call = (fn: string, ...args: Expr[]) => node({ case: 'callExpr', value: { function: fn, args } } as unknown as Expr['exprKind']);
const konst = (c: { case: string; value: unknown }) => node({ case: 'constExpr', value: { constantKind: c } } as unknown as Expr['exprKind']);
const int = (n: bigint) => konst({ case: 'int64Value', value: n });
const bool = (b: boolean) => konst({ case: 'boolValue', value: b });
const list = (...elements: Expr[]) => node({ case: 'listExpr', value: { elements, optionalIndices: [] } } as unknown as Expr['exprKind']);
const emptyMap = () => node({ case: 'structExpr', value: { messageName: '', entries: [] } } as unknown as Expr['exprKind']);

/** Replaces identifiers k and v (where not shadowed) by pair[0] and pair[1]. */
function substitute(e: Expr | undefined, names: Map<string, () => Expr>): Expr | undefined {
  if (!e || names.size === 0) return e;
  const k = e.exprKind;
  switch (k.case) {
    case 'identExpr': {
      const make = names.get(k.value.name);
      return make ? make() : e;
    }
    case 'selectExpr':
      k.value.operand = substitute(k.value.operand, names);
      return e;
    case 'callExpr':
      k.value.target = substitute(k.value.target, names);
      k.value.args = k.value.args.map((a) => substitute(a, names)!);
      return e;
    case 'listExpr':
      k.value.elements = k.value.elements.map((a) => substitute(a, names)!);
      return e;
    case 'structExpr':
      for (const en of k.value.entries) {
        if (en.keyKind.case === 'mapKey') en.keyKind.value = substitute(en.keyKind.value, names)!;
        en.value = substitute(en.value, names);
      }
      return e;
    case 'comprehensionExpr': {
      const c = k.value;
      c.iterRange = substitute(c.iterRange, names);
      c.accuInit = substitute(c.accuInit, names);
      const inner = new Map(names);
      for (const bound of [c.iterVar, c.iterVar2, c.accuVar]) inner.delete(bound);
      c.loopCondition = substitute(c.loopCondition, inner);
      c.loopStep = substitute(c.loopStep, inner);
      c.result = substitute(c.result, inner);
      return e;
    }
    default:
      return e;
  }
}

function expand(fn: string, range: Expr, args: Expr[], n: bigint): Expr {
  const pair = `@kv${n}`;
  const accu = `@result${n}`;
  const names = new Map<string, () => Expr>();
  const [k, v] = args.map((a) => (a.exprKind.case === 'identExpr' ? a.exprKind.value.name : ''));
  if (k) names.set(k, () => call('_[_]', ident(pair), int(0n)));
  if (v) names.set(v, () => call('_[_]', ident(pair), int(1n)));
  const rest = args.slice(2).map((a) => substitute(a, names)!);
  const [filter, last] = rest.length === 2 ? rest : [undefined, rest[0]!];
  const step = (value: Expr) => (filter ? call('_?_:_', filter, value, ident(accu)) : value);
  let init: Expr;
  let cond: Expr = bool(true);
  let loopStep: Expr;
  let result: Expr = ident(accu);
  switch (fn) {
    case 'all':
      init = bool(true);
      cond = call('@not_strictly_false', ident(accu));
      loopStep = call('_&&_', ident(accu), last);
      break;
    case 'exists':
      init = bool(false);
      cond = call('@not_strictly_false', call('!_', ident(accu)));
      loopStep = call('_||_', ident(accu), last);
      break;
    case 'existsOne':
    case 'exists_one':
      init = int(0n);
      loopStep = call('_?_:_', last, call('_+_', ident(accu), int(1n)), ident(accu));
      result = call('_==_', ident(accu), int(1n));
      break;
    case 'transformList':
      init = list();
      loopStep = step(call('_+_', ident(accu), list(last)));
      break;
    case 'transformMap':
      init = emptyMap();
      loopStep = step(call(MAP_INSERT, ident(accu), call('_[_]', ident(pair), int(0n)), last));
      break;
    default:
      init = emptyMap();
      loopStep = step(call(MAP_MERGE, ident(accu), last));
  }
  const comprehension = { iterVar: pair, iterVar2: '', iterRange: call(ENTRIES, range), accuVar: accu, accuInit: init, loopCondition: cond, loopStep, result };
  return node({ case: 'comprehensionExpr', value: comprehension } as unknown as Expr['exprKind']);
}

/** Rewrites every two-variable macro call below (and at) e, innermost first; returns the new root. */
export function rewriteTwoVariableMacros(e: Expr | undefined): Expr | undefined {
  if (!e) return e;
  const k = e.exprKind;
  switch (k.case) {
    case 'selectExpr':
      k.value.operand = rewriteTwoVariableMacros(k.value.operand);
      return e;
    case 'callExpr': {
      k.value.target = rewriteTwoVariableMacros(k.value.target);
      k.value.args = k.value.args.map((a) => rewriteTwoVariableMacros(a)!);
      if (k.value.target && isTwoVariableMacro(k.value.function, k.value.args.length)) return expand(k.value.function, k.value.target, k.value.args, nextId++);
      return e;
    }
    case 'listExpr':
      k.value.elements = k.value.elements.map((a) => rewriteTwoVariableMacros(a)!);
      return e;
    case 'structExpr':
      for (const en of k.value.entries) {
        if (en.keyKind.case === 'mapKey') en.keyKind.value = rewriteTwoVariableMacros(en.keyKind.value)!;
        en.value = rewriteTwoVariableMacros(en.value);
      }
      return e;
    case 'comprehensionExpr': {
      const c = k.value;
      c.iterRange = rewriteTwoVariableMacros(c.iterRange);
      c.accuInit = rewriteTwoVariableMacros(c.accuInit);
      c.loopCondition = rewriteTwoVariableMacros(c.loopCondition);
      c.loopStep = rewriteTwoVariableMacros(c.loopStep);
      c.result = rewriteTwoVariableMacros(c.result);
      return e;
    }
    default:
      return e;
  }
}
