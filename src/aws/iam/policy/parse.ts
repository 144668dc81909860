// Parsing and validation of policy documents, refusing bad ones with IAM's
// MalformedPolicyDocument messages (IAM JSON policy grammar, IAM User Guide).
import { malformedPolicy } from '../../errors.js';
import { splitArn } from './glob.js';
import { CONDITION_OPERATORS, parseOperator } from './conditions.js';
import type { Policy, PolicyKind, PrincipalSpec, Statement } from './types.js';

const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const PRINCIPAL_TYPES = new Set(['AWS', 'Federated', 'Service', 'CanonicalUser']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringList(v: unknown): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0 || !list.every((x) => typeof x === 'string')) throw malformedPolicy('Syntax errors in policy.');
  return list as string[];
}

function parsePrincipal(v: unknown): PrincipalSpec {
  if (v === '*') return '*';
  if (!isObject(v)) throw malformedPolicy('Invalid principal in policy: ' + JSON.stringify(v));
  const out: Record<string, string[]> = {};
  for (const [type, ids] of Object.entries(v)) {
    if (!PRINCIPAL_TYPES.has(type)) throw malformedPolicy(`Invalid principal in policy: "${type}":${JSON.stringify(ids)}`);
    const list = stringList(ids);
    if (type === 'AWS') {
      for (const id of list) {
        if (id !== '*' && !/^\d{12}$/.test(id) && !/^arn:aws[a-z-]*:(iam|sts)::(\d{12}|aws):.+$/.test(id)) {
          throw malformedPolicy(`Invalid principal in policy: "AWS":"${id}"`);
        }
      }
    }
    out[type] = list;
  }
  return out;
}

function checkAction(a: string): void {
  if (a === '*') return;
  const colon = a.indexOf(':');
  if (colon <= 0) throw malformedPolicy('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  if (/[*?]/.test(a.slice(0, colon))) throw malformedPolicy('Action vendors must not contain wildcards.');
  if (!/^[a-zA-Z0-9-]+$/.test(a.slice(0, colon))) throw malformedPolicy(`Vendor ${a.slice(0, colon)} is not valid`);
}

function checkResource(r: string): void {
  if (r === '*' || (r.startsWith('arn:') && splitArn(r).length === 6)) return;
  throw malformedPolicy(`Resource ${r} must be in ARN format or "*".`);
}

function parseStatement(raw: unknown, kind: PolicyKind): Statement {
  if (!isObject(raw)) throw malformedPolicy('Syntax errors in policy.');
  for (const key of Object.keys(raw)) if (!STATEMENT_FIELDS.has(key)) throw malformedPolicy('Syntax errors in policy.');
  if (raw.Effect === undefined) throw malformedPolicy('Missing required field Effect');
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') throw malformedPolicy(`Invalid effect: ${String(raw.Effect)}`);
  const st: Statement = { Effect: raw.Effect };
  if (raw.Sid !== undefined) {
    if (typeof raw.Sid !== 'string') throw malformedPolicy('Syntax errors in policy.');
    if (kind !== 'resource' && raw.Sid !== '' && !/^[A-Za-z0-9]*$/.test(raw.Sid)) throw malformedPolicy('Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*');
    st.Sid = raw.Sid;
  }
  if (raw.Action !== undefined && raw.NotAction !== undefined) throw malformedPolicy('Syntax errors in policy.');
  if (raw.Action === undefined && raw.NotAction === undefined) throw malformedPolicy('Policy statement must contain actions.');
  if (raw.Action !== undefined) (st.Action = stringList(raw.Action)).forEach(checkAction);
  if (raw.NotAction !== undefined) (st.NotAction = stringList(raw.NotAction)).forEach(checkAction);

  const hasPrincipal = raw.Principal !== undefined || raw.NotPrincipal !== undefined;
  if (kind === 'identity' && hasPrincipal) throw malformedPolicy('Policy document should not specify a principal.');
  if (kind !== 'identity' && !hasPrincipal) throw malformedPolicy('Missing required field Principal');
  if (raw.Principal !== undefined && raw.NotPrincipal !== undefined) throw malformedPolicy('Syntax errors in policy.');
  if (raw.Principal !== undefined) st.Principal = parsePrincipal(raw.Principal);
  if (raw.NotPrincipal !== undefined) {
    if (kind === 'trust') throw malformedPolicy('Has prohibited field NotPrincipal');
    st.NotPrincipal = parsePrincipal(raw.NotPrincipal);
  }

  if (raw.Resource !== undefined && raw.NotResource !== undefined) throw malformedPolicy('Syntax errors in policy.');
  if (kind === 'trust') {
    if (raw.Resource !== undefined) throw malformedPolicy('Has prohibited field Resource');
    if (raw.NotResource !== undefined) throw malformedPolicy('Has prohibited field NotResource');
  } else if (raw.Resource === undefined && raw.NotResource === undefined) {
    throw malformedPolicy('Policy statement must contain resources.');
  }
  if (raw.Resource !== undefined) (st.Resource = stringList(raw.Resource)).forEach(checkResource);
  if (raw.NotResource !== undefined) (st.NotResource = stringList(raw.NotResource)).forEach(checkResource);

  if (raw.Condition !== undefined) {
    if (!isObject(raw.Condition)) throw malformedPolicy('Syntax errors in policy.');
    const cond: Record<string, Record<string, string[]>> = {};
    for (const [op, block] of Object.entries(raw.Condition)) {
      const parsed = parseOperator(op);
      if (!parsed || !CONDITION_OPERATORS.has(parsed.base)) throw malformedPolicy(`Invalid Condition type : ${op}`);
      if (!isObject(block)) throw malformedPolicy('Syntax errors in policy.');
      const keys: Record<string, string[]> = {};
      for (const [key, values] of Object.entries(block)) {
        const list = Array.isArray(values) ? values : [values];
        if (!list.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) throw malformedPolicy('Syntax errors in policy.');
        keys[key] = list.map(String);
      }
      cond[op] = keys;
    }
    st.Condition = cond;
  }
  return st;
}

/** Parses a policy document, throwing MalformedPolicyDocument (an AwsError) when IAM would refuse it. */
export function parsePolicy(text: string, kind: PolicyKind): Policy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw malformedPolicy('Syntax errors in policy.');
  }
  if (!isObject(raw)) throw malformedPolicy('Syntax errors in policy.');
  for (const key of Object.keys(raw)) if (!['Version', 'Id', 'Statement'].includes(key)) throw malformedPolicy('Syntax errors in policy.');
  const version = raw.Version ?? '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') throw malformedPolicy('The policy failed legacy parsing');
  if (raw.Statement === undefined) throw malformedPolicy('Missing required field Statement');
  const list = Array.isArray(raw.Statement) ? raw.Statement : [raw.Statement];
  if (list.length === 0) throw malformedPolicy('Syntax errors in policy.');
  const statements = list.map((s) => parseStatement(s, kind));
  const sids = statements.map((s) => s.Sid).filter((s): s is string => !!s);
  if (new Set(sids).size !== sids.length) throw malformedPolicy('Statement IDs (SID) in a single policy must be unique.');
  const policy: Policy = { Version: version, Statement: statements };
  if (typeof raw.Id === 'string') policy.Id = raw.Id;
  return policy;
}
