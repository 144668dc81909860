// Authentication and authorization for the Kubernetes API server: tokens, RBAC, reviews.
//
// Wiring, in kube-apiserver's order:
//   authn   Authenticator.authenticateRequest(header): {user} → go on; {error} → 401; {} → 401 (anonymous off)
//   --as    impersonate(user, req.headersDistinct, rbac) → the user the request runs as (403 if not allowed)
//   authz   RbacAuthorizer.authorize(user, attrs) → !allowed: throw forbiddenError(user, attrs, reason)
//   writes  checkRoleWrite / checkBindingWrite before storing (cluster)roles and (cluster)rolebindings
//   reviews selfSubjectAccessReview, subjectAccessReview, localSubjectAccessReview, selfSubjectRulesReview,
//           selfSubjectReview, tokenReview; serviceaccounts/<name>/token → ServiceAccountTokens.tokenRequest
// Startup: ServiceAccountTokens.loadOrCreate(dataDir, issuer); store bootstrapPolicy() objects that are
// missing; whenever ClusterRoles change, store what aggregateClusterRoles(all) returns.
export type { UserInfo, Attributes, Decision } from './types.js';
export {
  ADMIN_USER,
  ALL_AUTHENTICATED,
  ALL_UNAUTHENTICATED,
  ANONYMOUS_USER,
  SERVICE_ACCOUNTS_GROUP,
  SYSTEM_PRIVILEGED_GROUP,
  EXTRA_CREDENTIAL_ID,
  EXTRA_NODE_NAME,
  EXTRA_NODE_UID,
  EXTRA_POD_NAME,
  EXTRA_POD_UID,
  serviceAccountUsername,
  splitServiceAccountUsername,
} from './types.js';
export type { PolicyRule, Role, ClusterRole, RoleBinding, ClusterRoleBinding, Subject, RoleRef, RbacSource } from './rbac-types.js';
export { RbacAuthorizer, subjectAppliesTo, type RulesForResult } from './rbac-authorizer.js';
export { ruleAllows } from './rule-match.js';
export { aggregateClusterRoles, aggregatedRules } from './aggregation.js';
export { forbiddenReason, forbiddenError } from './forbidden.js';
export { bootstrapPolicy, type BootstrapPolicy } from './bootstrap-policy.js';
export type { ServiceAccountLookup, LiveObject, LivePod, LiveSecret } from './lookup.js';
export { ServiceAccountTokens, LEGACY_ISSUER, type LegacyTokenClaims, type IssueOptions, type TokenClaims, type KubernetesClaims, type BoundObject, type VerifyResult } from './sa-tokens.js';
export { tokenRequest, type TokenRequestOptions, type TokenRequestResult } from './token-request.js';
export { DEFAULT_TOKEN_EXPIRATION_SECONDS, MIN_TOKEN_EXPIRATION_SECONDS, validateExpirationSeconds } from './token-limits.js';
export { Authenticator, bearerToken, LEGACY_TOKEN_INVALID_SINCE_LABEL, type AuthenticatorOptions, type AuthenticationResult, type TokenAuthenticator, type TokenAuthResult } from './authenticator.js';
export { selfSubjectAccessReview, subjectAccessReview, localSubjectAccessReview, selfSubjectRulesReview, type Authorizer } from './access-reviews.js';
export { selfSubjectReview, tokenReview } from './authn-reviews.js';
export { impersonate, IMPERSONATE_USER_HEADER, IMPERSONATE_GROUP_HEADER, IMPERSONATE_UID_HEADER, IMPERSONATE_EXTRA_PREFIX, type HeaderMap } from './impersonation.js';
export { checkRoleWrite, checkBindingWrite, covers, breakdownRule, compactString, escalationError, type RoleWrite, type BindingWrite } from './escalation.js';
