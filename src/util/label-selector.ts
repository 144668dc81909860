// Label syntax and label selectors (k8s.io/apimachinery/pkg/labels and util/validation), with
// upstream's error texts. No storage or API server dependencies: every layer may use this.

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
export const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

/** util/validation.RegexError: the message, examples and the regular expression used. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let s = `${msg} (e.g. `;
  examples.forEach((ex, i) => {
    if (i > 0) s += ' or ';
    s += `'${ex}', `;
  });
  return `${s}regex used for validation is '${fmt}')`;
}

export function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

/** IsDNS1123Subdomain: error texts, empty when valid. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** IsQualifiedName: label keys, annotation keys, finalizers. */
export function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of dns1123SubdomainErrors(prefix)) errs.push(`prefix part ${m}`);
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (name.length > 0 && !QUALIFIED_NAME_RE.test(name)) errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** IsValidLabelValue. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

export type Operator = 'In' | 'NotIn' | 'Equals' | 'DoubleEquals' | 'NotEquals' | 'Exists' | 'DoesNotExist' | 'GreaterThan' | 'LessThan';

export interface Requirement {
  key: string;
  operator: Operator;
  /** Sorted and unique, as upstream's sets.String keeps them. */
  values: string[];
}

/** A parsed selector. `nothing` is labels.Nothing(): it matches no object (a nil LabelSelector). */
export interface LabelSelector {
  requirements: Requirement[];
  nothing?: boolean;
}

export class LabelSelectorError extends Error {
  override name = 'LabelSelectorError';
}

/** labels.NewRequirement: validates key, values and their count for the operator. Throws LabelSelectorError. */
export function newRequirement(key: string, operator: Operator, values: string[], path = ''): Requirement {
  const at = (child: string) => (path ? `${path}.${child}` : child);
  const errs: string[] = [];
  for (const m of qualifiedNameErrors(key)) errs.push(`${at('key')}: Invalid value: ${JSON.stringify(key)}: ${m}`);
  const valuePath = at('values');
  // field.Invalid renders a []string value with Go's %#v.
  const shown = `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(`${valuePath}: Invalid value: ${shown}: for 'in', 'notin' operators, values set can't be empty`);
      break;
    case 'Equals':
    case 'DoubleEquals':
    case 'NotEquals':
      if (values.length !== 1) errs.push(`${valuePath}: Invalid value: ${shown}: exact-match compatibility requires one single value`);
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) errs.push(`${valuePath}: Invalid value: ${shown}: values set must be empty for exists and does not exist`);
      break;
    case 'GreaterThan':
    case 'LessThan':
      if (values.length !== 1) errs.push(`${valuePath}: Invalid value: ${shown}: for 'Gt', 'Lt' operators, exactly one value is required`);
      values.forEach((v, i) => {
        if (!/^[+-]?[0-9]+$/.test(v)) errs.push(`${valuePath}[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      });
      break;
    default:
      errs.push(`${at('operator')}: Unsupported value: ${JSON.stringify(operator)}: supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"`);
  }
  values.forEach((v, i) => {
    for (const m of labelValueErrors(v)) errs.push(`${valuePath}[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${m}`);
  });
  if (errs.length) throw new LabelSelectorError(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
  return { key, operator, values: [...new Set(values)].sort() };
}

function sortRequirements(reqs: Requirement[]): Requirement[] {
  return [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** metav1.LabelSelectorAsSelector: matchLabels and matchExpressions; undefined/null matches nothing, {} matches everything. */
export function labelSelectorFromObject(sel: unknown): LabelSelector {
  if (sel === undefined || sel === null) return { requirements: [], nothing: true };
  if (typeof sel !== 'object' || Array.isArray(sel)) throw new LabelSelectorError('a label selector must be an object');
  const s = sel as { matchLabels?: Record<string, unknown>; matchExpressions?: Array<Record<string, unknown>> };
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) reqs.push(newRequirement(k, 'Equals', [String(v)]));
  for (const expr of s.matchExpressions ?? []) {
    const values = Array.isArray(expr.values) ? expr.values.map(String) : [];
    const ops: Record<string, Operator> = { In: 'In', NotIn: 'NotIn', Exists: 'Exists', DoesNotExist: 'DoesNotExist' };
    const op = ops[String(expr.operator)];
    if (!op) throw new LabelSelectorError(`${JSON.stringify(String(expr.operator))} is not a valid label selector operator`);
    reqs.push(newRequirement(String(expr.key), op, values));
  }
  return { requirements: sortRequirements(reqs) };
}

/** A selector of exact key=value pairs (labels.SelectorFromSet), e.g. a Service's spec.selector. */
export function labelSelectorFromSet(set: Record<string, string> | undefined): LabelSelector {
  const reqs = Object.entries(set ?? {}).map(([k, v]) => newRequirement(k, 'Equals', [v]));
  return { requirements: sortRequirements(reqs) };
}

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'In':
    case 'Equals':
    case 'DoubleEquals':
      return has && r.values.includes(value as string);
    case 'NotIn':
    case 'NotEquals':
      return !has || !r.values.includes(value as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'GreaterThan':
    case 'LessThan': {
      if (!has || !/^[+-]?[0-9]+$/.test(value as string) || r.values.length !== 1) return false;
      const lv = BigInt(value as string);
      const rv = BigInt(r.values[0]);
      return r.operator === 'GreaterThan' ? lv > rv : lv < rv;
    }
  }
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined | null): boolean {
  if (sel.nothing) return false;
  const l = labels ?? {};
  return sel.requirements.every((r) => requirementMatches(r, l));
}

export function isEverything(sel: LabelSelector): boolean {
  return !sel.nothing && sel.requirements.length === 0;
}

function requirementString(r: Requirement): string {
  switch (r.operator) {
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    case 'Equals':
      return `${r.key}=${r.values[0]}`;
    case 'DoubleEquals':
      return `${r.key}==${r.values[0]}`;
    case 'NotEquals':
      return `${r.key}!=${r.values[0]}`;
    case 'In':
      return `${r.key} in (${r.values.join(',')})`;
    case 'NotIn':
      return `${r.key} notin (${r.values.join(',')})`;
    case 'GreaterThan':
      return `${r.key}>${r.values[0]}`;
    case 'LessThan':
      return `${r.key}<${r.values[0]}`;
  }
}

/** Selector.String(): requirements in key order, comma-joined. */
export function labelSelectorString(sel: LabelSelector): string {
  return sortRequirements(sel.requirements).map(requirementString).join(',');
}

/** metav1.FormatLabelSelector, as printed in tables: `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(sel: unknown): string {
  let parsed: LabelSelector;
  try {
    parsed = labelSelectorFromObject(sel);
  } catch {
    return '<error>';
  }
  const s = labelSelectorString(parsed);
  return s.length === 0 ? '<none>' : s;
}
