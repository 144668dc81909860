// Request authentication as kube-apiserver composes it (pkg/kubeapiserver/authenticator/config.go):
// bearer tokens (a static admin token, ServiceAccount JWTs, any extra token authenticators), the
// system:authenticated group added to every authenticated user, and the anonymous user for
// requests that carry no credentials at all.
import { RealClock, type Clock } from '../../util/clock.js';
import type { ServiceAccountLookup } from './lookup.js';
import type { ServiceAccountTokens, TokenClaims } from './sa-tokens.js';
import { TOKEN_LEEWAY_SECONDS } from './token-limits.js';
import {
  ADMIN_USER,
  aggregateMessage,
  ALL_AUTHENTICATED,
  ALL_UNAUTHENTICATED,
  ANONYMOUS_USER,
  EXTRA_CREDENTIAL_ID,
  EXTRA_NODE_NAME,
  EXTRA_NODE_UID,
  EXTRA_POD_NAME,
  EXTRA_POD_UID,
  SERVICE_ACCOUNTS_GROUP,
  serviceAccountUsername,
  SYSTEM_PRIVILEGED_GROUP,
  type UserInfo,
} from './types.js';

/** What one token authenticator says: not mine (undefined), a user, or an error. */
export type TokenAuthResult = { user: UserInfo; audiences: string[] } | { error: string } | undefined;

/** A further source of bearer tokens (e.g. EKS `k8s-aws-v1.` tokens), tried after the built-in ones. */
export interface TokenAuthenticator {
  authenticateToken(token: string, audiences: string[]): Promise<TokenAuthResult>;
}

export interface AuthenticationResult {
  user?: UserInfo;
  /** The audiences the credential is valid for, among those asked for. */
  audiences?: string[];
  /** Why credentials were refused, in upstream's words: `[invalid bearer token, service account token has expired]`. */
  error?: string;
}

export interface AuthenticatorOptions {
  adminToken: string;
  serviceAccounts: ServiceAccountTokens;
  lookup: ServiceAccountLookup;
  /** --anonymous-auth; upstream's default is true. */
  anonymous?: boolean;
  /** --api-audiences; default: the ServiceAccount issuer. */
  apiAudiences?: string[];
  clock?: Clock;
  tokenAuthenticators?: TokenAuthenticator[];
}

const INVALID_TOKEN = 'invalid bearer token';
export const LEGACY_TOKEN_INVALID_SINCE_LABEL = 'kubernetes.io/legacy-token-invalid-since';

export class Authenticator {
  private readonly anonymous: boolean;
  readonly apiAudiences: string[];
  private readonly clock: Clock;

  constructor(private readonly opts: AuthenticatorOptions) {
    this.anonymous = opts.anonymous ?? true;
    this.apiAudiences = opts.apiAudiences && opts.apiAudiences.length ? [...opts.apiAudiences] : [opts.serviceAccounts.issuer];
    this.clock = opts.clock ?? new RealClock();
  }

  /** The user for an Authorization header, or undefined when the server must answer 401. */
  async authenticate(authorizationHeader: string | undefined): Promise<UserInfo | undefined> {
    return (await this.authenticateRequest(authorizationHeader)).user;
  }

  /** Like authenticate, with the reason for a refusal. */
  async authenticateRequest(authorizationHeader: string | undefined): Promise<AuthenticationResult> {
    const token = bearerToken(authorizationHeader);
    if (token === undefined) {
      // No bearer credentials: the anonymous authenticator, when enabled, takes the request.
      if (this.anonymous) return { user: { username: ANONYMOUS_USER, groups: [ALL_UNAUTHENTICATED] }, audiences: this.apiAudiences };
      return {};
    }
    return this.authenticateToken(token);
  }

  /** Authenticates a bearer token for the given audiences (default: the API server's), as TokenReview does. */
  async authenticateToken(token: string, audiences?: string[]): Promise<AuthenticationResult> {
    const wanted = audiences && audiences.length ? audiences : this.apiAudiences;
    const errors: string[] = [];
    // In upstream's order (token file, service accounts, then the rest); the first user wins.
    const authenticators: Array<() => TokenAuthResult | Promise<TokenAuthResult>> = [
      () => this.adminTokenResult(token, wanted),
      () => this.serviceAccountResult(token, wanted),
      () => this.legacyTokenResult(token, wanted),
      ...(this.opts.tokenAuthenticators ?? []).map((a) => () => a.authenticateToken(token, wanted)),
    ];
    for (const authenticate of authenticators) {
      const r = await authenticate();
      if (r && 'user' in r) return { user: withAuthenticatedGroup(r.user), audiences: r.audiences };
      if (r && 'error' in r) errors.push(r.error);
    }
    return { error: errors.length ? aggregateMessage([INVALID_TOKEN, ...errors]) : INVALID_TOKEN };
  }

  /** The static admin token is audience-agnostic: valid only for requests aimed at the API server itself. */
  private adminTokenResult(token: string, wanted: string[]): TokenAuthResult {
    if (!this.opts.adminToken || !constantTimeEqual(token, this.opts.adminToken)) return undefined;
    const audiences = wanted.filter((a) => this.apiAudiences.includes(a));
    if (audiences.length === 0) return undefined;
    return { user: { username: ADMIN_USER, groups: [SYSTEM_PRIVILEGED_GROUP] }, audiences };
  }

  private async serviceAccountResult(token: string, wanted: string[]): Promise<TokenAuthResult> {
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    const verified = await this.opts.serviceAccounts.verify(token, nowSeconds, wanted);
    if (!verified.ok) return verified.ours && verified.error ? { error: verified.error } : undefined;
    const checked = await this.checkLiveObjects(verified.claims, nowSeconds);
    if (typeof checked === 'string') return { error: checked };
    return { user: checked, audiences: verified.audiences };
  }

  /** Secret-based tokens (pkg/serviceaccount/legacy.go): valid while their Secret holds them and the ServiceAccount lives. */
  private async legacyTokenResult(token: string, wanted: string[]): Promise<TokenAuthResult> {
    const verified = await this.opts.serviceAccounts.verifyLegacy(token, this.apiAudiences, wanted);
    if (!verified.ok) return verified.ours && verified.error ? { error: verified.error } : undefined;
    const c = verified.claims;
    const ns = c['kubernetes.io/serviceaccount/namespace'];
    const name = c['kubernetes.io/serviceaccount/service-account.name'];
    const uid = c['kubernetes.io/serviceaccount/service-account.uid'];
    const { lookup } = this.opts;
    const secret = await lookup.getSecret(ns, c['kubernetes.io/serviceaccount/secret.name']);
    if (!secret || secret.deletionTimestamp) return { error: 'Token has been invalidated' };
    if (secret.token === undefined || !constantTimeEqual(secret.token, token)) return { error: "Token does not match server's copy" };
    // The legacy token cleaner marks unused tokens; once marked they no longer authenticate.
    if (secret.labels?.[LEGACY_TOKEN_INVALID_SINCE_LABEL]) return { error: 'Token has been invalidated' };
    const sa = await lookup.getServiceAccount(ns, name);
    if (!sa) return { error: `serviceaccounts ${JSON.stringify(name)} not found` };
    if (sa.deletionTimestamp) return { error: `ServiceAccount ${ns}/${name} has been deleted` };
    if (sa.uid !== uid) return { error: `ServiceAccount UID (${sa.uid}) does not match claim (${uid})` };
    return { user: { username: serviceAccountUsername(ns, name), uid, groups: [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${ns}`] }, audiences: verified.audiences };
  }

  /** pkg/serviceaccount/claims.go Validate: the ServiceAccount and any bound object must still exist with the same uid. */
  private async checkLiveObjects(claims: TokenClaims, nowSeconds: number): Promise<UserInfo | string> {
    const k8s = claims['kubernetes.io'];
    const ns = k8s.namespace;
    const saRef = k8s.serviceaccount;
    const { lookup } = this.opts;
    // Objects whose deletion began more than the leeway ago no longer vouch for tokens.
    const deletedLongAgo = (ts?: string) => ts !== undefined && Date.parse(ts) / 1000 < nowSeconds - TOKEN_LEEWAY_SECONDS;

    const sa = await lookup.getServiceAccount(ns, saRef.name);
    if (!sa) return `serviceaccounts ${JSON.stringify(saRef.name)} not found`;
    if (deletedLongAgo(sa.deletionTimestamp)) return `service account ${ns}/${saRef.name} has been deleted`;
    if (sa.uid !== saRef.uid) return `service account UID (${sa.uid}) does not match claim (${saRef.uid})`;

    if (k8s.secret) {
      const secret = await lookup.getSecret(ns, k8s.secret.name);
      if (!secret || deletedLongAgo(secret.deletionTimestamp)) return 'service account token has been invalidated';
      if (secret.uid !== k8s.secret.uid) return `secret UID (${secret.uid}) does not match service account secret ref claim (${k8s.secret.uid ?? ''})`;
    }
    const extra: Record<string, string[]> = {};
    if (k8s.pod) {
      const pod = await lookup.getPod(ns, k8s.pod.name);
      if (!pod || deletedLongAgo(pod.deletionTimestamp)) return 'service account token has been invalidated';
      if (pod.uid !== k8s.pod.uid) return `pod UID (${pod.uid}) does not match service account pod ref claim (${k8s.pod.uid ?? ''})`;
      extra[EXTRA_POD_NAME] = [k8s.pod.name];
      extra[EXTRA_POD_UID] = [k8s.pod.uid ?? ''];
    }
    if (k8s.node) {
      if (!k8s.pod) {
        // A node-bound token dies with its node; a pod-bound one only records the node.
        const node = await lookup.getNode(k8s.node.name);
        if (!node || deletedLongAgo(node.deletionTimestamp)) return 'service account token has been invalidated';
        if (node.uid !== k8s.node.uid) return `node UID (${node.uid}) does not match service account node ref claim (${k8s.node.uid ?? ''})`;
      }
      extra[EXTRA_NODE_NAME] = [k8s.node.name];
      if (k8s.node.uid) extra[EXTRA_NODE_UID] = [k8s.node.uid];
    }
    if (claims.jti) extra[EXTRA_CREDENTIAL_ID] = [`JTI=${claims.jti}`];
    const user: UserInfo = {
      username: serviceAccountUsername(ns, saRef.name),
      uid: saRef.uid,
      groups: [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${ns}`],
    };
    if (Object.keys(extra).length) user.extra = extra;
    return user;
  }
}

/** `Bearer <token>` (scheme case-insensitive); undefined when the header carries no bearer token. */
export function bearerToken(header: string | undefined): string | undefined {
  const auth = (header ?? '').trim();
  if (!auth) return undefined;
  const parts = auth.split(' ');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer') return undefined;
  const token = parts[1];
  return token ? token : undefined;
}

function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes(ALL_AUTHENTICATED)) return user;
  return { ...user, groups: [...user.groups, ALL_AUTHENTICATED] };
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}
