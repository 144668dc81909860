// --enforce-iam: the caller's identity-based policies (and permissions boundary) are evaluated
// for each call. Root is always allowed. EKS handlers call the same hook with their own error code.
import { AwsError } from './errors.js';
import type { Caller } from './identity.js';
import { awsManagedPolicy } from './iam/managed-policies.js';
import type { ManagedPolicyRecord, RoleRecord, UserRecord } from './iam/model.js';
import { roleKey, userKey } from './iam/model.js';
import { groupsOfUser } from './iam/memberships.js';
import { evaluateDetailed, parsePolicy, type ContextValue, type Policy } from './iam/policy/index.js';
import type { AwsStateStore } from './state.js';

export interface AuthorizeOptions {
  /** AccessDenied for the query protocol (IAM, STS); AccessDeniedException for restJson1 services. */
  errorCode?: string;
  /** Extra condition keys for this request (service-specific keys, aws:RequestTag/..., ...). */
  context?: Record<string, ContextValue>;
  sourceIp?: string;
  now?: number;
  /** Services checking iam:PassRole on the caller's behalf end the message after the resource, without IAM's reason clause. */
  withoutReason?: boolean;
}

export type Authorizer = (caller: Caller, action: string, resource: string, opts?: AuthorizeOptions) => Promise<void>;

/** Parsed policy documents by their text: stored documents were validated when written and never change. */
const parsed = new Map<string, Policy>();
const MAX_PARSED = 2048;

function parseStored(doc: string): Policy {
  let p = parsed.get(doc);
  if (p === undefined) {
    p = parsePolicy(doc, 'identity');
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(doc, p);
  }
  return p;
}

async function managedDocument(state: AwsStateStore, arn: string): Promise<string | undefined> {
  const aws = awsManagedPolicy(arn);
  if (aws) return aws.document;
  const p = await state.get<ManagedPolicyRecord>('policy', arn);
  return p?.Versions.find((v) => v.VersionId === p.DefaultVersionId)?.Document;
}

async function identityPolicies(state: AwsStateStore, caller: Caller): Promise<{ identity: Policy[]; boundary?: Policy[] }> {
  let holder: RoleRecord | UserRecord | undefined;
  if (caller.kind === 'user' && caller.userName) holder = await state.get<UserRecord>('user', userKey(caller.userName));
  if (caller.kind === 'assumed-role' && caller.roleName) holder = await state.get<RoleRecord>('role', roleKey(caller.roleName));
  if (!holder) return { identity: [] };
  // A user's identity policies include those of every group it belongs to.
  const holders = [holder, ...(caller.kind === 'user' && caller.userName ? await groupsOfUser(state, caller.userName) : [])];
  const docs: string[] = [];
  for (const h of holders) {
    docs.push(...Object.values(h.InlinePolicies));
    for (const arn of h.AttachedPolicies) {
      const doc = await managedDocument(state, arn);
      if (doc) docs.push(doc);
    }
  }
  const identity = docs.map(parseStored);
  if (!holder.PermissionsBoundary) return { identity };
  const boundaryDoc = await managedDocument(state, holder.PermissionsBoundary);
  return { identity, boundary: boundaryDoc ? [parseStored(boundaryDoc)] : [] };
}

/** The global condition keys AWS puts in every request context. */
export function globalContext(caller: Caller, opts: AuthorizeOptions = {}): Record<string, ContextValue> {
  const ctx: Record<string, ContextValue> = {
    'aws:PrincipalArn': caller.kind === 'assumed-role' && caller.roleArn ? caller.roleArn : caller.arn,
    'aws:PrincipalAccount': caller.accountId,
    'aws:userid': caller.userId,
    'aws:PrincipalType': caller.kind === 'root' ? 'Account' : caller.kind === 'user' ? 'User' : 'AssumedRole',
    'aws:CurrentTime': new Date(opts.now ?? Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor((opts.now ?? Date.now()) / 1000)),
    'aws:SecureTransport': 'false',
  };
  if (caller.userName) ctx['aws:username'] = caller.userName;
  if (opts.sourceIp) ctx['aws:SourceIp'] = opts.sourceIp;
  for (const [k, v] of Object.entries(caller.principalTags ?? {})) ctx[`aws:PrincipalTag/${k}`] = v;
  return { ...ctx, ...opts.context };
}

export function makeAuthorizer(state: AwsStateStore, enforce: boolean): Authorizer {
  return async (caller, action, resource, opts = {}) => {
    if (!enforce || caller.kind === 'root') return;
    const policies = await identityPolicies(state, caller);
    const principalIds = caller.roleArn ? [caller.arn, caller.roleArn] : [caller.arn];
    const result = evaluateDetailed(
      { principal: { type: 'AWS', ids: principalIds, accountId: caller.accountId }, action, resource, context: globalContext(caller, opts) },
      policies,
    );
    if (result.decision === 'Allow') return;
    const kind = result.by === 'boundary' ? 'permissions boundary' : 'identity-based policy';
    const why =
      result.decision === 'ExplicitDeny'
        ? `with an explicit deny in ${kind === 'permissions boundary' ? 'a' : 'an'} ${kind}`
        : `because no ${kind} allows the ${action} action`;
    const message = `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource}`;
    throw new AwsError(opts.errorCode ?? 'AccessDenied', opts.withoutReason ? message : `${message} ${why}`, 403);
  };
}
