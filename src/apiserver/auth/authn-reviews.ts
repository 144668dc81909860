// The authentication.k8s.io review resources (pkg/registry/authentication/*): who am I
// (`kubectl auth whoami`) and whose is this token.
import { badRequest } from '../../api/status.js';
import type { Authenticator } from './authenticator.js';
import { rfc3339 } from './token-limits.js';
import type { UserInfo } from './types.js';

const DEFAULT_API_VERSION = 'authentication.k8s.io/v1';
type Obj = Record<string, unknown>;

/** authentication/v1 UserInfo with upstream's omitempty fields. */
function userInfoJson(user: UserInfo): Obj {
  const out: Obj = { username: user.username };
  if (user.uid) out.uid = user.uid;
  if (user.groups.length) out.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length) out.extra = structuredClone(user.extra);
  return out;
}

/** POST /apis/authentication.k8s.io/v1/selfsubjectreviews. */
export function selfSubjectReview(user: UserInfo, nowSeconds = Date.now() / 1000, apiVersion = DEFAULT_API_VERSION): Obj {
  return {
    kind: 'SelfSubjectReview',
    apiVersion,
    metadata: { creationTimestamp: rfc3339(Math.floor(nowSeconds)) },
    status: { userInfo: userInfoJson(user) },
  };
}

/** POST /apis/authentication.k8s.io/v1/tokenreviews (cluster-scoped: a namespace is refused). */
export async function tokenReview(body: unknown, authenticator: Authenticator, namespace = ''): Promise<Obj> {
  const review = body && typeof body === 'object' && !Array.isArray(body) ? (body as Obj) : undefined;
  if (!review) throw badRequest(`not a TokenReview: ${JSON.stringify(body)}`);
  if (namespace) throw badRequest(`namespace is not allowed on this type: ${namespace}`);
  const spec = (review.spec && typeof review.spec === 'object' ? review.spec : {}) as Obj;
  const token = typeof spec.token === 'string' ? spec.token : '';
  if (!token) throw badRequest('token is required for TokenReview in authentication');
  const audiences = Array.isArray(spec.audiences) ? spec.audiences.filter((a): a is string => typeof a === 'string') : [];
  const result = await authenticator.authenticateToken(token, audiences);
  const status: Obj = {};
  if (result.user) status.authenticated = true;
  status.user = result.user ? userInfoJson(result.user) : {};
  if (result.user && result.audiences) status.audiences = result.audiences;
  if (result.error) status.error = result.error;
  const outSpec: Obj = { token };
  if (audiences.length) outSpec.audiences = audiences;
  return {
    kind: 'TokenReview',
    apiVersion: typeof review.apiVersion === 'string' && review.apiVersion ? review.apiVersion : DEFAULT_API_VERSION,
    metadata: { creationTimestamp: null },
    spec: outSpec,
    status,
  };
}
