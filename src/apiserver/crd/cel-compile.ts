// Compiling x-kubernetes-validations rules (apiextensions-apiserver pkg/apiserver/schema/cel
// compilation.go): parse, then check that every identifier is declared (self, oldSelf, macro
// variables) and every function exists, reporting errors in cel-go's form
// `ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')` with the source excerpt;
// then field selections and library calls against the schema (cel-check.ts), the environment's
// literal validators (cel-literals.ts) and the evident result type. @bufbuild/cel has no usable
// type checker, so other type errors surface when the rule runs instead of at CRD creation.
// Two-variable comprehensions are rewritten for the evaluator (cel-comprehensions.ts), the
// optional syntax before parsing (cel-optional-syntax.ts; positions are mapped back to the rule's
// own text) and after it (cel-optional-ast.ts).
import { parse, plan, type CelResult } from '@bufbuild/cel';
import { checkFields, resultKind } from './cel-check.js';
import { isTwoVariableMacro, rewriteTwoVariableMacros } from './cel-comprehensions.js';
import { validateLiterals } from './cel-literals.js';
import { KNOWN_FUNCTIONS, KNOWN_QUALIFIED_FUNCTIONS, ruleEnv, TYPE_NAMES } from './cel-library.js';
import { rewriteOptionals } from './cel-optional-ast.js';
import { rewriteOptionalSyntax, type Rewritten } from './cel-optional-syntax.js';
import type { SchemaNode } from './node.js';

export type Expr = ReturnType<typeof parse>['expr'];

export interface CompiledExpr {
  source: string;
  ast: Expr;
  run(bindings: { self: unknown; oldSelf?: unknown }): CelResult;
  usesOldSelf: boolean;
}

export type CompileResult = { ok: true; expr: CompiledExpr } | { ok: false; detail: string; typeError?: boolean };

function excerpt(src: string, offset: number): { line: number; col: number; text: string } {
  const before = src.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = src.indexOf('\n', offset);
  const col = offset - lineStart + 1;
  const text = src.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  return { line, col, text: `\n | ${text}\n | ${'.'.repeat(col - 1)}^` };
}

function errorAt(src: string, offset: number, msg: string): string {
  const e = excerpt(src, offset);
  return `ERROR: <input>:${e.line}:${e.col}: ${msg}${e.text}`;
}

interface Walk {
  src: string;
  positions: Record<string, number>;
  errors: string[];
  usesOldSelf: boolean;
  /** Names a type the libraries declare (`net.IP`), bound as a variable when the rule runs. */
  usesTypeNames: boolean;
}

function walk(e: Expr | undefined, scope: Set<string>, w: Walk): void {
  if (!e) return;
  const k = e.exprKind;
  const pos = () => w.positions[String(e.id)] ?? 0;
  switch (k.case) {
    case 'identExpr':
      if (k.value.name === 'oldSelf') w.usesOldSelf = true;
      if (!scope.has(k.value.name)) w.errors.push(errorAt(w.src, pos(), `undeclared reference to '${k.value.name}' (in container '')`));
      return;
    case 'selectExpr': {
      const op = k.value.operand;
      if (op?.exprKind.case === 'identExpr' && !scope.has(op.exprKind.value.name) && Object.hasOwn(TYPE_NAMES, `${op.exprKind.value.name}.${k.value.field}`)) {
        w.usesTypeNames = true;
        return;
      }
      walk(op, scope, w);
      return;
    }
    case 'callExpr': {
      const fn = k.value.function;
      const target = k.value.target;
      // Namespaced library functions (`sets.contains(a, b)`): the namespace is no variable.
      if (target?.exprKind.case === 'identExpr' && !scope.has(target.exprKind.value.name) && KNOWN_QUALIFIED_FUNCTIONS.has(`${target.exprKind.value.name}.${fn}`)) {
        for (const a of k.value.args) walk(a, scope, w);
        return;
      }
      // Two-variable comprehensions bind their first two arguments in the rest.
      if (target && isTwoVariableMacro(fn, k.value.args.length)) {
        walk(target, scope, w);
        const inner = new Set(scope);
        for (const a of k.value.args.slice(0, 2)) if (a.exprKind.case === 'identExpr') inner.add(a.exprKind.value.name);
        for (const a of k.value.args.slice(2)) walk(a, inner, w);
        return;
      }
      walk(target, scope, w);
      if (/^[A-Za-z]/.test(fn) && !KNOWN_FUNCTIONS.has(fn)) {
        // cel-go places a call at its opening parenthesis.
        const at = w.src.indexOf(`${fn}(`, pos());
        w.errors.push(errorAt(w.src, at < 0 ? pos() : at + fn.length, `undeclared reference to '${fn}' (in container '')`));
      }
      for (const a of k.value.args) walk(a, scope, w);
      return;
    }
    case 'listExpr':
      for (const el of k.value.elements) walk(el, scope, w);
      return;
    case 'structExpr':
      for (const entry of k.value.entries) {
        if (entry.keyKind.case === 'mapKey') walk(entry.keyKind.value, scope, w);
        walk(entry.value, scope, w);
      }
      return;
    case 'comprehensionExpr': {
      const c = k.value;
      walk(c.iterRange, scope, w);
      walk(c.accuInit, scope, w);
      const inner = new Set(scope);
      inner.add(c.iterVar);
      if (c.iterVar2) inner.add(c.iterVar2);
      inner.add(c.accuVar);
      walk(c.loopCondition, inner, w);
      walk(c.loopStep, inner, w);
      walk(c.result, inner, w);
      return;
    }
    default:
      return;
  }
}

/** Rewrites @bufbuild/cel's parse error (of the rewritten text) into cel-go's shape. */
function syntaxError(src: string, rewritten: Rewritten, err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const m = /<input>:(\d+):(\d+):\s*(.*)$/s.exec(msg);
  if (!m) return `ERROR: <input>:1:1: Syntax error: ${msg}`;
  const line = Number(m[1]);
  const col = Number(m[2]);
  const lines = rewritten.text.split('\n');
  const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + col - 1;
  const original = rewritten.map[Math.min(offset, rewritten.text.length)] ?? src.length;
  return errorAt(src, Math.min(original, src.length), `Syntax error: ${m[3]}`);
}

export interface CompileOptions {
  /** What the expression must evaluate to: a rule to a bool, a messageExpression to a string. */
  expect?: 'bool' | 'string';
  /** The schema of `self`: field selections are then checked against it. */
  self?: SchemaNode;
  /** `self` is a resource (the root): apiVersion, kind and metadata.name/generateName exist. */
  isResource?: boolean;
}

/** Compiles one expression with the rule variables self and oldSelf. */
export function compileExpr(src: string, opts: CompileOptions = {}): CompileResult {
  const vars = ['self', 'oldSelf'];
  const rewritten = rewriteOptionalSyntax(src);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(rewritten.text);
  } catch (err) {
    return { ok: false, detail: syntaxError(src, rewritten, err) };
  }
  const positions: Record<string, number> = {};
  for (const [id, off] of Object.entries(parsed.sourceInfo?.positions ?? {})) positions[id] = rewritten.map[off] ?? off;
  // Literals are checked as written: the optional syntax's helpers take lists of mixed types.
  const literalIssues = validateLiterals(parsed.expr);
  const optionals = rewriteOptionals(parsed.expr, positions);
  if (optionals.issues.length) return { ok: false, detail: optionals.issues.map((i) => errorAt(src, positions[String(i.id)] ?? 0, i.message)).join('\n') };
  parsed.expr = optionals.expr;
  const w: Walk = { src, positions, errors: [], usesOldSelf: false, usesTypeNames: false };
  walk(parsed.expr, new Set(vars), w);
  if (w.errors.length === 0 && opts.self) {
    for (const issue of checkFields(parsed.expr, opts.self, opts.isResource === true, positions, src)) w.errors.push(errorAt(src, issue.offset, issue.message));
  }
  if (w.errors.length === 0) {
    for (const issue of literalIssues) w.errors.push(errorAt(src, positions[String(issue.id)] ?? 0, issue.message));
  }
  if (w.errors.length) return { ok: false, detail: w.errors.join('\n') };
  if (opts.self && opts.expect) {
    const kind = resultKind(parsed.expr, opts.self, opts.isResource === true);
    if (kind !== 'unknown' && kind !== opts.expect) return { ok: false, typeError: true, detail: opts.expect === 'bool' ? 'cel expression must evaluate to a bool' : 'messageExpression must evaluate to a string' };
  }
  parsed.expr = rewriteTwoVariableMacros(parsed.expr) ?? parsed.expr;
  const program = plan(ruleEnv(), parsed);
  return {
    ok: true,
    expr: {
      source: src,
      ast: parsed.expr,
      usesOldSelf: w.usesOldSelf,
      run: w.usesTypeNames ? (b) => program({ ...TYPE_NAMES, ...b } as never) : (b) => program(b as never),
    },
  };
}

const cache = new Map<string, CompileResult>();

/** compileExpr, memoized: the same rule text compiles once for every object it checks. */
export function compileCached(src: string): CompileResult {
  let r = cache.get(src);
  if (!r) {
    r = compileExpr(src);
    if (cache.size > 5000) cache.clear();
    cache.set(src, r);
  }
  return r;
}
