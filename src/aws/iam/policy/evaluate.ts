// Policy evaluation (IAM User Guide, "Policy evaluation logic"), single-account form:
// an explicit Deny in any policy wins; SCPs and permissions boundaries must also allow;
// then an Allow in an identity-based or a resource-based policy allows; otherwise implicit deny.
import { conditionBlockHolds } from './conditions.js';
import { arnMatch, globMatch, type Lookup } from './glob.js';
import type { ContextValue, Decision, Policy, PrincipalSpec, RequestContext, RequestPrincipal, Statement } from './types.js';

export interface PolicySet {
  identity: Policy[];
  resource?: Policy[];
  /** A permissions boundary: when given, it must allow too. */
  boundary?: Policy[];
  /** Service control policies: when given, they must allow too. */
  scp?: Policy[];
}

export interface DetailedDecision {
  decision: Decision;
  /** Which kind of policy denied explicitly, or failed to allow. */
  by?: 'identity' | 'resource' | 'boundary' | 'scp';
}

function principalMatches(spec: PrincipalSpec, p: RequestPrincipal): boolean {
  if (spec === '*') return true;
  for (const [type, ids] of Object.entries(spec)) {
    if (type !== p.type) continue;
    for (const id of ids) {
      if (id === '*') return true;
      if (type === 'AWS' && p.accountId && (id === p.accountId || id === `arn:aws:iam::${p.accountId}:root`)) return true;
      if (p.ids.includes(id)) return true;
    }
  }
  return false;
}

function statementApplies(st: Statement, version: Policy['Version'], req: RequestContext, ctx: Map<string, ContextValue>): boolean {
  const lookup: Lookup | undefined =
    version === '2012-10-17'
      ? (key) => {
          const v = ctx.get(key.toLowerCase());
          return Array.isArray(v) ? undefined : v;
        }
      : undefined;
  if (st.Principal && !principalMatches(st.Principal, req.principal)) return false;
  if (st.NotPrincipal && principalMatches(st.NotPrincipal, req.principal)) return false;
  // Actions never take policy variables, and match case-insensitively.
  if (st.Action && !st.Action.some((a) => globMatch(a, req.action, undefined, true))) return false;
  if (st.NotAction && st.NotAction.some((a) => globMatch(a, req.action, undefined, true))) return false;
  if (st.Resource && !st.Resource.some((r) => arnMatch(r, req.resource, lookup))) return false;
  if (st.NotResource && st.NotResource.some((r) => arnMatch(r, req.resource, lookup))) return false;
  if (st.Condition) {
    for (const [op, block] of Object.entries(st.Condition)) {
      if (!conditionBlockHolds(op, block, ctx, lookup)) return false;
    }
  }
  return true;
}

/** 'Deny' when a matching statement denies, 'Allow' when one allows (and none denies), else undefined. */
function effectOf(policies: Policy[], req: RequestContext, ctx: Map<string, ContextValue>): 'Allow' | 'Deny' | undefined {
  let allowed = false;
  for (const policy of policies) {
    for (const st of policy.Statement) {
      if (!statementApplies(st, policy.Version, req, ctx)) continue;
      if (st.Effect === 'Deny') return 'Deny';
      allowed = true;
    }
  }
  return allowed ? 'Allow' : undefined;
}

export function normalizeContext(context: Record<string, ContextValue>): Map<string, ContextValue> {
  const out = new Map<string, ContextValue>();
  for (const [k, v] of Object.entries(context)) out.set(k.toLowerCase(), v);
  return out;
}

export function evaluateDetailed(req: RequestContext, policies: PolicySet): DetailedDecision {
  const ctx = normalizeContext(req.context);
  const identity = effectOf(policies.identity, req, ctx);
  const resource = policies.resource ? effectOf(policies.resource, req, ctx) : undefined;
  const boundary = policies.boundary ? effectOf(policies.boundary, req, ctx) : undefined;
  const scp = policies.scp ? effectOf(policies.scp, req, ctx) : undefined;
  if (scp === 'Deny') return { decision: 'ExplicitDeny', by: 'scp' };
  if (resource === 'Deny') return { decision: 'ExplicitDeny', by: 'resource' };
  if (identity === 'Deny') return { decision: 'ExplicitDeny', by: 'identity' };
  if (boundary === 'Deny') return { decision: 'ExplicitDeny', by: 'boundary' };
  if (policies.scp && scp !== 'Allow') return { decision: 'ImplicitDeny', by: 'scp' };
  if (resource === 'Allow') return { decision: 'Allow' };
  if (policies.boundary && boundary !== 'Allow') return { decision: 'ImplicitDeny', by: 'boundary' };
  if (identity === 'Allow') return { decision: 'Allow' };
  return { decision: 'ImplicitDeny', by: policies.resource && !policies.identity.length ? 'resource' : 'identity' };
}

export function evaluate(req: RequestContext, policies: PolicySet): Decision {
  return evaluateDetailed(req, policies).decision;
}

/**
 * A role's trust policy for sts:AssumeRole, sts:AssumeRoleWithWebIdentity, sts:TagSession ...:
 * the trust policy is the resource-based policy of the role and must allow on its own.
 */
export function evaluateTrust(trust: Policy, req: RequestContext): Decision {
  const ctx = normalizeContext(req.context);
  const effect = effectOf([trust], req, ctx);
  return effect === 'Deny' ? 'ExplicitDeny' : effect === 'Allow' ? 'Allow' : 'ImplicitDeny';
}
