// Condition operators (IAM User Guide, "IAM JSON policy elements: Condition operators" and
// "Single-valued vs. multivalued context keys"). Within one key the policy's values are ORed;
// keys and operators are ANDed by the caller.
import { BlockList, isIP } from 'node:net';
import { arnMatch, globMatch, substitute, type Lookup } from './glob.js';
import type { ContextValue } from './types.js';

type Match = (policyValue: string, requestValue: string, lookup: Lookup | undefined) => boolean;

const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
function date(s: string): number {
  if (/^\d+$/.test(s)) return Number(s) * 1000; // epoch seconds are accepted too
  return Date.parse(s);
}
const cmp = (conv: (s: string) => number, test: (a: number, b: number) => boolean): Match => (p, r, lookup) => {
  const pv = substitute(p, lookup);
  if (pv === undefined) return false;
  const a = conv(r);
  const b = conv(pv);
  return !Number.isNaN(a) && !Number.isNaN(b) && test(a, b);
};
const strEq: Match = (p, r, lookup) => substitute(p, lookup) === r;
const strEqIc: Match = (p, r, lookup) => substitute(p, lookup)?.toLowerCase() === r.toLowerCase();
const strLike: Match = (p, r, lookup) => globMatch(p, r, lookup);
const arnLike: Match = (p, r, lookup) => arnMatch(p, r, lookup);
const ipIn: Match = (p, r) => {
  const [addr, bits] = p.split('/');
  const family = isIP(addr);
  const ip = r.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
  if (!family || isIP(ip) !== family) return false;
  const list = new BlockList();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  list.addSubnet(addr, bits === undefined ? (family === 4 ? 32 : 128) : Number(bits), type);
  return list.check(ip, type);
};
const bool: Match = (p, r, lookup) => substitute(p, lookup)?.toLowerCase() === r.toLowerCase();

/** base operator -> [positive match, negated?] */
const OPERATORS: Record<string, [Match, boolean]> = {
  StringEquals: [strEq, false],
  StringNotEquals: [strEq, true],
  StringEqualsIgnoreCase: [strEqIc, false],
  StringNotEqualsIgnoreCase: [strEqIc, true],
  StringLike: [strLike, false],
  StringNotLike: [strLike, true],
  NumericEquals: [cmp(num, (a, b) => a === b), false],
  NumericNotEquals: [cmp(num, (a, b) => a === b), true],
  NumericLessThan: [cmp(num, (a, b) => a < b), false],
  NumericLessThanEquals: [cmp(num, (a, b) => a <= b), false],
  NumericGreaterThan: [cmp(num, (a, b) => a > b), false],
  NumericGreaterThanEquals: [cmp(num, (a, b) => a >= b), false],
  DateEquals: [cmp(date, (a, b) => a === b), false],
  DateNotEquals: [cmp(date, (a, b) => a === b), true],
  DateLessThan: [cmp(date, (a, b) => a < b), false],
  DateLessThanEquals: [cmp(date, (a, b) => a <= b), false],
  DateGreaterThan: [cmp(date, (a, b) => a > b), false],
  DateGreaterThanEquals: [cmp(date, (a, b) => a >= b), false],
  Bool: [bool, false],
  BinaryEquals: [strEq, false],
  IpAddress: [ipIn, false],
  NotIpAddress: [ipIn, true],
  ArnEquals: [arnLike, false],
  ArnLike: [arnLike, false],
  ArnNotEquals: [arnLike, true],
  ArnNotLike: [arnLike, true],
};

export const CONDITION_OPERATORS = new Set([...Object.keys(OPERATORS), 'Null']);

export interface ParsedOperator {
  set?: 'ForAnyValue' | 'ForAllValues';
  base: string;
  ifExists: boolean;
}

export function parseOperator(op: string): ParsedOperator | undefined {
  const m = /^(?:(ForAnyValue|ForAllValues):)?([A-Za-z]+?)(IfExists)?$/.exec(op);
  if (!m) return undefined;
  if (m[2] === 'Null' && m[3]) return undefined;
  return { set: m[1] as ParsedOperator['set'], base: m[2], ifExists: !!m[3] };
}

/** One operator block: every key must be satisfied. */
export function conditionBlockHolds(
  op: string,
  block: Record<string, string[]>,
  context: Map<string, ContextValue>,
  lookup: Lookup | undefined,
): boolean {
  const parsed = parseOperator(op);
  if (!parsed) return false;
  for (const [key, policyValues] of Object.entries(block)) {
    const present = context.get(key.toLowerCase());
    if (parsed.base === 'Null') {
      // "true": the key must be absent; "false": it must be present (empty lists count as absent).
      const absent = present === undefined || (Array.isArray(present) && present.length === 0);
      if (!policyValues.some((v) => (v.toLowerCase() === 'true') === absent)) return false;
      continue;
    }
    const [match, negated] = OPERATORS[parsed.base] ?? [];
    if (!match) return false;
    const requestValues = present === undefined ? [] : Array.isArray(present) ? present : [present];
    if (requestValues.length === 0) {
      // A missing key: IfExists and ForAllValues hold, negated operators hold, everything else fails.
      if (parsed.ifExists || parsed.set === 'ForAllValues') continue;
      if (negated && !parsed.set) continue;
      return false;
    }
    const one = (r: string) => {
      const any = policyValues.some((p) => match(p, r, lookup));
      return negated ? !any : any;
    };
    const ok = parsed.set === 'ForAllValues' ? requestValues.every(one) : requestValues.some(one);
    // A negated operator on a single-valued key without a set operator: no value may match.
    const holds = negated && !parsed.set ? requestValues.every(one) : ok;
    if (!holds) return false;
  }
  return true;
}
