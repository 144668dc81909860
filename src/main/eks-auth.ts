// EKS authentication into one cluster: `k8s-aws-v1.` bearer tokens (a presigned STS
// GetCallerIdentity URL, checked in-process as aws-iam-authenticator checks it) mapped to a
// Kubernetes user through access entries and aws-auth, and the access policies of that identity,
// which EKS evaluates before RBAC (an allow ends the decision; anything else falls through to RBAC).
import type { TokenAuthenticator, TokenAuthResult } from '../apiserver/auth/index.js';
import { ruleAllows, type Attributes, type PolicyRule, type UserInfo } from '../apiserver/auth/index.js';
import type { AuthorizationAttributes } from '../apiserver/server/deps.js';
import { presignedUrlOfToken, verifyPresignedGetCallerIdentity, type AwsStateStore, type JwksResolver } from '../aws/index.js';
import { accessPolicyRules, type ClusterIdentity, type OidcIdentityProviderConfig } from '../aws/eks/index.js';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
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

/** The Kubernetes rules a user's EKS access policies grant in a namespace (cluster-scoped associations everywhere). */
export function accessPolicyRulesFor(clusterName: string, resolve: ResolveIdentity): (user: UserInfo) => Promise<(namespace: string) => PolicyRule[]> {
  return async (user) => {
    const arn = user.extra?.[ARN_EXTRA]?.[0];
    const identity = arn ? await resolve(clusterName, arn) : undefined;
    if (!identity) return () => [];
    return (namespace) =>
      identity.accessPolicies
        .filter((p) => p.scope.type !== 'namespace' || p.scope.namespaces.includes(namespace))
        .flatMap((p) => accessPolicyRules(p.policyArn) ?? []);
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

export interface EksOidcAuthOptions {
  /** The cluster's ACTIVE identity provider configs (clusterOidcProviders). */
  providers: () => OidcIdentityProviderConfig[];
  jwks: JwksResolver;
  clock: Clock;
}

function claimStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * Tokens of an associated OIDC identity provider, checked as kube-apiserver's --oidc-* flags do
 * (plugin/pkg/authenticator/token/oidc): signature by the issuer's keys, `iss`, `aud` holding the
 * client id, expiry, required claims; the username claim (default `sub`) prefixed with
 * usernamePrefix, or `<issuer>#` when none is set and the claim is not `email` ("-" disables it).
 */
export function eksOidcAuthenticator(opts: EksOidcAuthOptions): TokenAuthenticator {
  return {
    async authenticateToken(token: string): Promise<TokenAuthResult> {
      let iss: string | undefined;
      try {
        iss = decodeJwt(token).iss;
      } catch {
        return undefined;
      }
      const provider = opts.providers().find((p) => p.issuerUrl.replace(/\/$/, '') === iss?.replace(/\/$/, ''));
      if (!provider) return undefined;
      let claims: Record<string, unknown>;
      try {
        const keys = await opts.jwks(provider.issuerUrl);
        ({ payload: claims } = await jwtVerify(token, createLocalJWKSet(keys), { issuer: iss, audience: provider.clientId, currentDate: new Date(opts.clock.now()) }));
      } catch (err) {
        return { error: `invalid OIDC token: ${(err as Error).message}` };
      }
      for (const [k, v] of Object.entries(provider.requiredClaims ?? {})) {
        if (claims[k] !== v) return { error: `invalid OIDC token: required claim ${k} does not match` };
      }
      const usernameClaim = provider.usernameClaim ?? 'sub';
      const name = claims[usernameClaim];
      if (typeof name !== 'string' || name === '') return { error: `invalid OIDC token: no ${usernameClaim} claim` };
      if (usernameClaim === 'email' && claims['email_verified'] === false) return { error: 'invalid OIDC token: email not verified' };
      const prefix = provider.usernamePrefix === '-' ? '' : provider.usernamePrefix ?? (usernameClaim === 'email' ? '' : `${provider.issuerUrl}#`);
      const groupPrefix = provider.groupsPrefix === '-' ? '' : provider.groupsPrefix ?? '';
      const groups = provider.groupsClaim ? claimStrings(claims[provider.groupsClaim]).map((g) => groupPrefix + g) : [];
      return { user: { username: prefix + name, groups }, audiences: [] };
    },
  };
}
