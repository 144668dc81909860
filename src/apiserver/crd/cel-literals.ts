// The AST validators of Kubernetes' CEL environment (base.go: cel.HomogeneousAggregateLiterals
// since 1.0, ValidateDurationLiterals/TimestampLiterals/RegexLiterals/HomogeneousAggregateLiterals
// since 1.29; cel-go cel/validator.go): a list or map literal mixing element types is
// `expected type 'int' but found 'string'` at the odd element (literals inside a string format()
// call are exempt), and a constant argument of duration(), timestamp() or matches() that does not
// parse is `invalid duration argument` at that argument. Only types evident from literals are
// compared.
import { isCelError, parse, plan } from '@bufbuild/cel';
import type { Expr } from './cel-compile.js';
import { ruleEnv } from './cel-library.js';

export interface LiteralIssue {
  id: bigint;
  message: string;
}

const CONST_TYPES: Record<string, string> = { int64Value: 'int', uint64Value: 'uint', doubleValue: 'double', boolValue: 'bool', stringValue: 'string', bytesValue: 'bytes', nullValue: 'null_type' };

/** The type of a literal expression, where evident (cel-go FormatCELType). */
export function literalType(e: Expr | undefined): string | undefined {
  const k = e?.exprKind;
  if (!k) return undefined;
  if (k.case === 'constExpr') return CONST_TYPES[k.value.constantKind.case ?? ''];
  if (k.case === 'listExpr') {
    if (k.value.elements.length === 0) return undefined;
    const t = literalType(k.value.elements[0]);
    return t && `list(${t})`;
  }
  if (k.case === 'structExpr' && !k.value.messageName) {
    const first = k.value.entries[0];
    if (!first || first.keyKind.case !== 'mapKey') return undefined;
    const kt = literalType(first.keyKind.value);
    const vt = literalType(first.value);
    return kt && vt && `map(${kt}, ${vt})`;
  }
  return undefined;
}

function mismatch(issues: LiteralIssue[], e: Expr, expected: string | undefined): boolean {
  const actual = literalType(e);
  if (!expected || !actual || expected === actual) return false;
  issues.push({ id: e.id, message: `expected type '${expected}' but found '${actual}'` });
  return true;
}

let checkers: Record<string, ReturnType<typeof plan>> | undefined;

/** Whether a constant argument converts: the call evaluated on it alone. */
function literalOk(fn: 'duration' | 'timestamp' | 'matches', value: string): boolean {
  checkers ??= { duration: plan(ruleEnv(), parse('duration(self)')), timestamp: plan(ruleEnv(), parse('timestamp(self)')), matches: plan(ruleEnv(), parse("''.matches(self)")) };
  return !isCelError(checkers[fn]!({ self: value } as never));
}

function walk(e: Expr | undefined, inFormat: boolean, issues: LiteralIssue[]): void {
  const k = e?.exprKind;
  if (!e || !k) return;
  switch (k.case) {
    case 'listExpr': {
      if (!inFormat) {
        const first = k.value.elements.length ? literalType(k.value.elements[0]) : undefined;
        for (const el of k.value.elements.slice(1)) if (mismatch(issues, el, first)) break;
      }
      for (const el of k.value.elements) walk(el, inFormat, issues);
      return;
    }
    case 'structExpr': {
      const entries = k.value.entries;
      if (!inFormat && !k.value.messageName && entries[0]?.keyKind.case === 'mapKey') {
        const kt = literalType(entries[0].keyKind.value);
        const vt = literalType(entries[0].value);
        for (const en of entries.slice(1)) {
          if (en.keyKind.case === 'mapKey') mismatch(issues, en.keyKind.value, kt);
          if (en.value) mismatch(issues, en.value, vt);
        }
      }
      for (const en of entries) {
        if (en.keyKind.case === 'mapKey') walk(en.keyKind.value, inFormat, issues);
        walk(en.value, inFormat, issues);
      }
      return;
    }
    case 'callExpr': {
      const fn = k.value.function;
      const arg = k.value.args[0];
      if ((fn === 'duration' || fn === 'timestamp' || (fn === 'matches' && k.value.target)) && arg?.exprKind.case === 'constExpr' && arg.exprKind.value.constantKind.case === 'stringValue') {
        if (!literalOk(fn, arg.exprKind.value.constantKind.value)) issues.push({ id: arg.id, message: `invalid ${fn} argument` });
      }
      // Only literals directly inside format() (or nested in such literals) are exempt.
      walk(k.value.target, false, issues);
      for (const a of k.value.args) walk(a, fn === 'format', issues);
      return;
    }
    case 'selectExpr':
      walk(k.value.operand, false, issues);
      return;
    case 'comprehensionExpr':
      for (const x of [k.value.iterRange, k.value.accuInit, k.value.loopCondition, k.value.loopStep, k.value.result]) walk(x, false, issues);
      return;
    default:
      return;
  }
}

/** The AST validators' findings, in source order. */
export function validateLiterals(ast: Expr): LiteralIssue[] {
  const issues: LiteralIssue[] = [];
  walk(ast, false, issues);
  return issues;
}
