// Evaluation of x-kubernetes-validations (apiextensions-apiserver pkg/apiserver/schema/cel
// validation.go): every rule of every schema node runs against the value there as `self`;
// transition rules (those naming oldSelf) run only on update and only where the old value
// correlates (same property or map key, same list-type=map keys, same list-type=set value;
// never inside atomic lists). A false rule reports messageExpression's result, else message,
// else `failed rule: <rule>`, under fieldPath when given, with reason as the error type. Rules
// without oldSelf on a value that did not change are skipped (validation ratcheting).
import { isCelError, type CelInput } from '@bufbuild/cel';
import type { FieldError } from '../../api/field-errors.js';
import { compileCached } from './cel-compile.js';
import { toCel } from './cel-values.js';
import { childOld, listCorrelator, unchanged, type Old } from './correlate.js';
import { child, childNode, index, type SchemaNode } from './node.js';
import { isPlainObject, type ValidationRule } from './types.js';

function ruleErrorString(rule: ValidationRule): string {
  return (rule.message ?? '').trim() || (rule.rule ?? '').trim();
}

/** fieldPath (`.spec.foo`, `.items[0]`, `['a.b']`) appended to the node's path. */
export function joinFieldPath(path: string, fieldPath: string): string {
  let out = path;
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[['"]([^'"]*)['"]\]|\[(\d+)\]/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(fieldPath))) {
    consumed = re.lastIndex;
    if (m[1] !== undefined) out = child(out, m[1]);
    else if (m[2] !== undefined) out = child(out, m[2]);
    else out = `${out}[${m[3]}]`;
  }
  return consumed === fieldPath.length ? out : child(path, fieldPath.replace(/^\./, ''));
}

function errorFor(reason: string | undefined, field: string, badValue: string, detail: string): FieldError {
  switch (reason) {
    case 'FieldValueForbidden':
      return { type: 'FieldValueForbidden', field, detail };
    case 'FieldValueRequired':
      return { type: 'FieldValueRequired', field, detail };
    case 'FieldValueDuplicate':
      return { type: 'FieldValueDuplicate', field, badValue };
    default:
      return { type: 'FieldValueInvalid', field, badValue, detail };
  }
}

/** cel-go's wording of evaluation errors. */
function celMessage(err: { message: string }): string {
  return err.message
    .replace(/^field not found: /, 'no such key: ')
    .replace(/^found no matching overload for .*$/s, 'no such overload')
    .replace(/^(?:int|uint|double) divide by zero$/, 'division by zero')
    .replace(/^(?:int|uint) modulus by zero$/, 'modulus by zero');
}

function runNodeRules(value: unknown, oldRef: Old, node: SchemaNode, fieldPath: string, isResource: boolean, errs: FieldError[]): void {
  // Upstream validates the root with a nil field.Path, which prints as `<nil>`.
  const path = fieldPath || '<nil>';
  const old = oldRef?.value;
  const same = unchanged(value, oldRef);
  let self: CelInput | undefined;
  let oldSelf: CelInput | undefined;
  const typeName = node.type || (isResource ? 'object' : '');
  for (const rule of node.rules) {
    if (typeof rule.rule !== 'string') continue;
    const compiled = compileCached(rule.rule);
    if (!compiled.ok) {
      errs.push({ type: 'InternalError', field: path, detail: `rule compile error: ${compiled.detail}` });
      continue;
    }
    if (compiled.expr.usesOldSelf ? oldRef === undefined : same) continue;
    self ??= toCel(value, node, isResource);
    if (compiled.expr.usesOldSelf) oldSelf ??= toCel(old, node, isResource);
    const bindings = compiled.expr.usesOldSelf ? { self, oldSelf } : { self };
    const result = compiled.expr.run(bindings);
    if (isCelError(result)) {
      const msg = celMessage(result);
      // A call no overload accepts at run time (a dyn value of the wrong type) is cel-go's "no such overload".
      const detail = msg.startsWith('no such overload')
        ? `'${msg}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule)}`
        : `${msg} evaluating rule: ${ruleErrorString(rule)}`;
      errs.push({ type: 'FieldValueInvalid', field: path, badValue: typeName, detail });
      continue;
    }
    if (result === true) continue;
    if (typeof result !== 'boolean') {
      errs.push({ type: 'FieldValueInvalid', field: path, badValue: typeName, detail: `rule did not evaluate to a boolean evaluating rule: ${ruleErrorString(rule)}` });
      continue;
    }
    let message = '';
    if (typeof rule.messageExpression === 'string' && rule.messageExpression.trim()) {
      const mc = compileCached(rule.messageExpression);
      if (mc.ok) {
        const out = mc.expr.run(mc.expr.usesOldSelf ? { self, oldSelf } : { self });
        // An error, a non-string or a blank result falls back to message (upstream logs it).
        if (typeof out === 'string' && out.trim() && !out.includes('\n')) message = out;
      }
    }
    if (!message) message = (rule.message ?? '').trim() || `failed rule: ${(rule.rule ?? '').trim()}`;
    const field = typeof rule.fieldPath === 'string' && rule.fieldPath ? joinFieldPath(fieldPath, rule.fieldPath) : path;
    errs.push(errorFor(rule.reason, field, typeName, message));
  }
}

/** Runs every rule below (and at) a node. `old` is undefined on create or where nothing correlates. */
export function validateRules(value: unknown, old: Old, node: SchemaNode, path: string, errs: FieldError[], isResource = false): void {
  if (value === undefined || value === null) return;
  if (node.rules.length) runNodeRules(value, old, node, path, isResource, errs);
  if (isPlainObject(value)) {
    for (const k of Object.keys(value)) {
      if ((isResource || node.embedded) && k === 'metadata') continue;
      const c = childNode(node, k);
      if (!c) continue;
      validateRules(value[k], childOld(old, k), c, child(path, k), errs);
    }
    return;
  }
  if (Array.isArray(value) && node.items) {
    const items = node.items;
    const correlate = listCorrelator(node, old);
    value.forEach((item, i) => validateRules(item, correlate(item), items, index(path, i), errs));
  }
}
