// The parsed form of cel-go's optional syntax and macros, turned into what @bufbuild/cel
// evaluates: the marker calls of cel-optional-syntax.ts become the presence-testing helpers of
// cel-optional.ts (cel-go's `_?._` and `_[?_]`), list and map literals with optional elements or
// entries become helper calls that drop absent ones, and a field selection or index on an
// optional value keeps propagating it (`a.?b.c` is optional; cel-go's checker types it so and
// the interpreter tests presence from the first optional qualifier on; has() of it tests the field
// of the value held). The macros
// `o.optMap(x, e)` and `o.optFlatMap(x, e)` are expanded as cel-go's ext/optional does:
// `o.hasValue() ? optional.of(cel.bind(x, o.value(), e)) : optional.none()` (optFlatMap without
// optional.of), cel.bind being an empty-range comprehension whose accumulator is x. An optional
// element or entry value of an evidently non-optional type is cel-go checkCreateList/Map's
// `expected type 'optional_type(int)' but found 'int'`.
import type { Expr } from './cel-compile.js';
import { literalType } from './cel-literals.js';
import { MARKERS } from './cel-optional-syntax.js';
import { OPT_HAS, OPT_INDEX, OPT_LIST, OPT_MAP, OPT_SELECT } from './cel-optional.js';

export interface OptionalIssue {
  /** Id of the node the issue is about (its position comes from the parser). */
  id: bigint;
  message: string;
}

type Kind = Expr['exprKind'];

let nextId = 2_000_000_000n;

class OptionalRewriter {
  /** Expressions of optional type, as far as evident from their form. */
  private readonly optional = new WeakSet<Expr>();
  readonly issues: OptionalIssue[] = [];

  constructor(private readonly positions: Record<string, number>) {}

  /** A new node placed where `at` is. */
  private node(kind: unknown, at: Expr): Expr {
    const id = nextId++;
    const pos = this.positions[String(at.id)];
    if (pos !== undefined) this.positions[String(id)] = pos;
    return { id, exprKind: kind as Kind } as Expr;
  }

  private call(at: Expr, fn: string, args: Expr[], target?: Expr): Expr {
    return this.node({ case: 'callExpr', value: { function: fn, args, ...(target ? { target } : {}) } }, at);
  }

  private list(at: Expr, elements: Expr[]): Expr {
    return this.node({ case: 'listExpr', value: { elements, optionalIndices: [] } }, at);
  }

  private int(at: Expr, n: number): Expr {
    return this.node({ case: 'constExpr', value: { constantKind: { case: 'int64Value', value: BigInt(n) } } }, at);
  }

  private opt(e: Expr): Expr {
    this.optional.add(e);
    return e;
  }

  /** A fresh copy of an expression (new ids), for macros that evaluate their target twice. */
  private clone(e: Expr): Expr {
    const copy = structuredClone(e);
    const renumber = (x: unknown): void => {
      if (typeof x !== 'object' || x === null) return;
      const o = x as Record<string, unknown>;
      if (typeof o.id === 'bigint' && 'exprKind' in o) {
        const id = nextId++;
        const pos = this.positions[String(o.id)];
        if (pos !== undefined) this.positions[String(id)] = pos;
        o.id = id;
      }
      for (const v of Object.values(o)) renumber(v);
    };
    renumber(copy);
    return copy;
  }

  private optionalMacro(e: Expr, fn: 'optMap' | 'optFlatMap', target: Expr, args: Expr[]): Expr {
    const v = args[0]!;
    if (v.exprKind.case !== 'identExpr') {
      this.issues.push({ id: v.id, message: `${fn}() variable name must be a simple identifier` });
      return e;
    }
    const name = v.exprKind.value.name;
    const optional = () => this.node({ case: 'identExpr', value: { name: 'optional' } }, e);
    const value = this.call(e, 'value', [], this.clone(target));
    const bind = this.node(
      {
        case: 'comprehensionExpr',
        value: {
          iterVar: '#unused', iterVar2: '', iterRange: this.list(e, []), accuVar: name, accuInit: value,
          loopCondition: this.node({ case: 'constExpr', value: { constantKind: { case: 'boolValue', value: false } } }, e),
          loopStep: this.node({ case: 'identExpr', value: { name } }, e), result: args[1]!,
        },
      },
      e,
    );
    const present = fn === 'optMap' ? this.call(e, 'of', [bind], optional()) : bind;
    return this.opt(this.call(e, '_?_:_', [this.call(e, 'hasValue', [], target), present, this.call(e, 'none', [], optional())]));
  }

  private rewriteCall(e: Expr, k: Extract<Kind, { case: 'callExpr' }>): Expr {
    const c = k.value;
    c.target = this.rewrite(c.target);
    c.args = c.args.map((a) => this.rewrite(a)!);
    const fn = c.function;
    const target = c.target;
    // has() takes a field selection; cel-go's parser makes `a.?b` a call (macro.go makeHas).
    const arg = c.args[0]?.exprKind;
    if (fn === 'has' && !target && c.args.length === 1 && arg?.case === 'callExpr' && (arg.value.function === MARKERS.select || arg.value.function === OPT_SELECT)) {
      this.issues.push({ id: c.args[0]!.id, message: 'invalid argument to has() macro' });
      return e;
    }
    if (fn === MARKERS.select && target && c.args.length === 1) return this.opt(this.call(e, OPT_SELECT, [target, c.args[0]!]));
    if (fn === MARKERS.index && target && c.args.length === 1) return this.opt(this.call(e, OPT_INDEX, [target, c.args[0]!]));
    if (fn === '_[_]' && c.args.length === 2 && this.optional.has(c.args[0]!)) return this.opt(this.call(e, OPT_INDEX, c.args));
    if ((fn === 'optMap' || fn === 'optFlatMap') && target && c.args.length === 2) return this.optionalMacro(e, fn, target, c.args);
    const namespaced = target?.exprKind.case === 'identExpr' && target.exprKind.value.name === 'optional';
    if ((namespaced && (fn === 'of' || fn === 'ofNonZeroValue' || fn === 'none')) || (fn === 'or' && target && !namespaced)) return this.opt(e);
    if (fn === '_?_:_' && c.args.length === 3 && this.optional.has(c.args[1]!) && this.optional.has(c.args[2]!)) return this.opt(e);
    return e;
  }

  /** Reports an optional element or entry value whose literal type is evidently not optional. */
  private expectOptional(e: Expr): void {
    const t = literalType(e);
    if (t) this.issues.push({ id: e.id, message: `expected type 'optional_type(${t})' but found '${t}'` });
  }

  /** The marker's argument when `e` is `marker(x)`. */
  private unmark(e: Expr | undefined, marker: string): Expr | undefined {
    const k = e?.exprKind;
    return k?.case === 'callExpr' && k.value.function === marker && !k.value.target && k.value.args.length === 1 ? k.value.args[0] : undefined;
  }

  rewrite(e: Expr | undefined): Expr | undefined {
    if (!e) return e;
    const k = e.exprKind;
    switch (k.case) {
      case 'selectExpr': {
        k.value.operand = this.rewrite(k.value.operand);
        const operand = k.value.operand;
        if (operand && this.optional.has(operand)) {
          const field = this.node({ case: 'constExpr', value: { constantKind: { case: 'stringValue', value: k.value.field } } }, e);
          // has(o.f) of an optional o tests the field of the value it holds.
          return k.value.testOnly ? this.call(e, OPT_HAS, [operand, field]) : this.opt(this.call(e, OPT_SELECT, [operand, field]));
        }
        return e;
      }
      case 'callExpr':
        return this.rewriteCall(e, k);
      case 'listExpr': {
        const indices: number[] = [];
        const elements = k.value.elements.map((el, i) => {
          const inner = this.unmark(el, MARKERS.element);
          if (inner) {
            indices.push(i);
            this.expectOptional(inner);
          }
          return this.rewrite(inner ?? el)!;
        });
        k.value.elements = elements;
        if (!indices.length) return e;
        return this.call(e, OPT_LIST, [this.list(e, elements), this.list(e, indices.map((i) => this.int(e, i)))]);
      }
      case 'structExpr': {
        const indices: number[] = [];
        for (const [i, en] of k.value.entries.entries()) {
          if (en.keyKind.case === 'mapKey') {
            const inner = this.unmark(en.keyKind.value, MARKERS.entry);
            if (inner) {
              indices.push(i);
              if (en.value) this.expectOptional(en.value);
            }
            en.keyKind.value = this.rewrite(inner ?? en.keyKind.value)!;
          }
          en.value = this.rewrite(en.value);
        }
        if (!indices.length || k.value.messageName) return e;
        const pairs = k.value.entries.map((en) => this.list(e, [en.keyKind.value as Expr, en.value!]));
        return this.call(e, OPT_MAP, [this.list(e, pairs), this.list(e, indices.map((i) => this.int(e, i)))]);
      }
      case 'comprehensionExpr': {
        const c = k.value;
        c.iterRange = this.rewrite(c.iterRange);
        c.accuInit = this.rewrite(c.accuInit);
        c.loopCondition = this.rewrite(c.loopCondition);
        c.loopStep = this.rewrite(c.loopStep);
        c.result = this.rewrite(c.result);
        return e;
      }
      default:
        return e;
    }
  }
}

/**
 * Rewrites the optional syntax's marker calls and the optMap/optFlatMap macros below (and at) e;
 * returns the new root and the macro misuses cel-go reports. New nodes get positions in `positions`.
 */
export function rewriteOptionals(e: Expr, positions: Record<string, number>): { expr: Expr; issues: OptionalIssue[] } {
  const r = new OptionalRewriter(positions);
  const expr = r.rewrite(e) ?? e;
  return { expr, issues: r.issues };
}
