// EKS authentication into one cluster: `k8s-aws-v1.` bearer tokens (a presigned STS
// GetCallerIdentity URL, checked in-process as aws-iam-authenticator checks it) mapped to a
// Kubernetes user through access entries and aws-auth, and the access policies of that identity,
// which EKS evaluates before RBAC (an allow ends the decision; anything else falls through to RBAC).
import type { TokenAuthenticator, TokenAuthResult } from '../apiserver/auth/index.js';
import { ruleAllows, type Attributes } from '../apiserver/auth/index.js';
import type { AuthorizationAttributes } from '../apiserver/server/deps.js';
import { presignedUrlOfToken, verifyPresignedGetCallerIdentity, type AwsStateStore } from '../aws/index.js';
import { accessPolicyRules, type ClusterIdentity } from '../aws/eks/index.js';
import type { Clock } from '../util/clock.js';

export type ResolveIdentity = (clusterName: string, callerArn: string) => Promise<ClusterIdentity | undefined>;

/** The user.extra key carrying the caller's ARN, as EKS's authenticator sets it. */
export const ARN_EXTRA = 'arn';
const CANONICAL_ARN_EXTRA = 'canonicalArn';
const SESSION_EXTRA = 'sessionName';
const ACCESS_KEY_EXTRA = 'accessKeyId';

export interface EksTokenAuthOptions {
  clusterName: string;
  state: AwsStateStore;
  resolve: ResolveIdentity;
  clock: Clock;
  accountId?: string;
}

/** Accepts `k8s-aws-v1.` tokens for this cluster only; every other token is left to the next authenticator. */
export function eksTokenAuthenticator(opts: EksTokenAuthOptions): TokenAuthenticator {
  return {
    async authenticateToken(token: string): Promise<TokenAuthResult> {
      const url = presignedUrlOfToken(token);
      if (url === undefined) return undefined;
      // aws-iam-authenticator refuses tokens whose signature does not cover the cluster id header.
      const signedHeaders = (() => {
        try {
          return (new URL(url).searchParams.get('X-Amz-SignedHeaders') ?? '').toLowerCase().split(';');
        } catch {
          return [];
        }
      })();
      if (!signedHeaders.includes('x-k8s-aws-id')) return { error: 'invalid EKS token: x-k8s-aws-id is not signed' };
      // The token binds the cluster through its signed x-k8s-aws-id header (aws-iam-authenticator).
      const who = await verifyPresignedGetCallerIdentity(opts.state, url, { 'x-k8s-aws-id': opts.clusterName }, opts.clock.now(), opts.accountId);
      if (!who.ok) return { error: `invalid EKS token: ${who.reason}` };
      const identity = await opts.resolve(opts.clusterName, who.arn);
      if (!identity) return { error: 'the IAM identity is not mapped to this cluster' };
      const extra: Record<string, string[]> = { [ARN_EXTRA]: [who.arn], [ACCESS_KEY_EXTRA]: [who.accessKeyId] };
      if (who.roleArn) extra[CANONICAL_ARN_EXTRA] = [who.roleArn];
      if (who.sessionName) extra[SESSION_EXTRA] = [who.sessionName];
      return { user: { username: identity.username, uid: `aws-iam-authenticator:${who.accountId}:${who.userId}`, groups: identity.groups, extra }, audiences: [] };
    },
  };
}

/** Whether the caller's EKS access policies allow the request, within each association's scope. */
export function accessPolicyAuthorizer(clusterName: string, resolve: ResolveIdentity): (attrs: AuthorizationAttributes) => Promise<boolean> {
  return async (attrs) => {
    const arn = attrs.user.extra?.[ARN_EXTRA]?.[0];
    if (!arn) return false;
    const identity = await resolve(clusterName, arn);
    if (!identity) return false;
    const request: Attributes = {
      verb: attrs.verb,
      resourceRequest: attrs.isResourceRequest,
      apiGroup: attrs.apiGroup,
      apiVersion: attrs.apiVersion,
      resource: attrs.resource,
      subresource: attrs.subresource,
      namespace: attrs.namespace,
      name: attrs.name,
      path: attrs.path,
    };
    for (const p of identity.accessPolicies) {
      // A namespace-scoped association covers requests inside those namespaces only.
      if (p.scope.type === 'namespace' && !(attrs.namespace && p.scope.namespaces.includes(attrs.namespace))) continue;
      const rules = accessPolicyRules(p.policyArn) ?? [];
      if (rules.some((r) => ruleAllows(request, r))) return true;
    }
    return false;
  };
}
