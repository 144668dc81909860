// --enforce-iam: the caller's identity-based policies (and permissions boundary) are evaluated
// for each call. Root is always allowed. EKS handlers call the same hook with their own error code.
import { AwsError } from './errors.js';
import type { Caller } from './identity.js';
import { awsManagedPolicy } from './iam/managed-policies.js';
import type { InstanceProfileRecord, ManagedPolicyRecord, OidcProviderRecord, RoleRecord, Tag, UserRecord } from './iam/model.js';
import { instanceProfileKey, roleKey, userKey } from './iam/model.js';
import { groupsOfUser } from './iam/memberships.js';
import { evaluateDetailed, parsePolicy, type ContextValue, type Policy } from './iam/policy/index.js';
import type { AwsStateStore } from './state.js';
import { resourceTagContext } from './tag-context.js';

export interface AuthorizeOptions {
  /** AccessDenied for the query protocol (IAM, STS); AccessDeniedException for restJson1 services. */
  errorCode?: string;
  /** Extra condition keys for this request (service-specific keys, aws:RequestTag/..., ...). */
  context?: Record<string, ContextValue>;
  sourceIp?: string;
  now?: number;
  /**
   * The tags of the resource acted on, for services that keep them beside the resource (EKS). Called only
   * when a policy in force names a resource tag; without it the tags of the IAM resource the ARN names are used.
   */
  resourceTags?: () => Record<string, string> | undefined;
  /** Services checking iam:PassRole on the caller's behalf end the message after the resource, without IAM's reason clause. */
  withoutReason?: boolean;
}

export type Authorizer = (caller: Caller, action: string, resource: string, opts?: AuthorizeOptions) => Promise<void>;

/** Parsed policy documents by their text: stored documents were validated when written and never change. */
const parsed = new Map<string, Policy>();
const MAX_PARSED = 2048;
/** The parsed policies that name a resource tag (as a condition key or a policy variable). */
const namingResourceTags = new WeakSet<Policy>();

function parseStored(doc: string): Policy {
  let p = parsed.get(doc);
  if (p === undefined) {
    p = parsePolicy(doc, 'identity');
    if (/resourcetag\//i.test(JSON.stringify(p.Statement))) namingResourceTags.add(p);
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(doc, p);
  }
  return p;
}

/**
 * Whether any policy in force can read aws:ResourceTag/<key> or iam:ResourceTag/<key>: keys are looked up
 * by name only (conditions, ${...} variables), so a policy that names none never sees the resource's tags.
 */
function readsResourceTags(policies: { identity: Policy[]; boundary?: Policy[] }): boolean {
  return policies.identity.some((p) => namingResourceTags.has(p)) || (policies.boundary ?? []).some((p) => namingResourceTags.has(p));
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

/**
 * aws:ResourceTag/<key> (and iam:ResourceTag/<key> for roles and users) of the tagged IAM resource an ARN
 * names: every IAM action on a role, user, managed policy, instance profile or OIDC provider sees them,
 * and so does iam:PassRole when another service checks it on a role.
 */
async function iamResourceContext(state: AwsStateStore, arn: string): Promise<Record<string, ContextValue>> {
  const m = /^arn:aws[a-z-]*:iam::\d{12}:(role|user|policy|instance-profile|oidc-provider)\/(.+)$/.exec(arn);
  if (!m) return {};
  const name = m[2].slice(m[2].lastIndexOf('/') + 1);
  let rec: { Arn: string; Tags: Tag[] } | undefined;
  if (m[1] === 'role') rec = await state.get<RoleRecord>('role', roleKey(name));
  else if (m[1] === 'user') rec = await state.get<UserRecord>('user', userKey(name));
  else if (m[1] === 'instance-profile') rec = await state.get<InstanceProfileRecord>('instanceprofile', instanceProfileKey(name));
  else if (m[1] === 'policy') rec = awsManagedPolicy(arn) ? undefined : await state.get<ManagedPolicyRecord>('policy', arn);
  else rec = await state.get<OidcProviderRecord>('oidc', arn);
  if (!rec || rec.Arn !== arn || !rec.Tags?.length) return {};
  return resourceTagContext(Object.fromEntries(rec.Tags.map((t) => [t.Key, t.Value])), m[1] === 'role' || m[1] === 'user');
}

/** The resource tag keys of a request, looked up only when a policy in force names one. */
async function resourceContext(
  state: AwsStateStore, resource: string, policies: { identity: Policy[]; boundary?: Policy[] }, opts: AuthorizeOptions,
): Promise<Record<string, ContextValue>> {
  if (!readsResourceTags(policies)) return {};
  const serviceTags = opts.resourceTags?.();
  return serviceTags ? resourceTagContext(serviceTags) : iamResourceContext(state, resource);
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
    const context = { ...(await resourceContext(state, resource, policies, opts)), ...globalContext(caller, opts) };
    const result = evaluateDetailed(
      { principal: { type: 'AWS', ids: principalIds, accountId: caller.accountId }, action, resource, context },
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
