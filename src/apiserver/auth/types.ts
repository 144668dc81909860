// The identity and request attributes that authentication produces and authorization consumes
// (k8s.io/apiserver/pkg/authentication/user and pkg/authorization/authorizer).

/** user.Info. Structurally identical to the registry's UserInfo. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** authorizer.Attributes: what a request asks to do. */
export interface Attributes {
  verb: string;
  /** True for /api and /apis resource paths; false for non-resource URLs such as /healthz. */
  resourceRequest: boolean;
  apiGroup?: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The request path; used for non-resource requests. */
  path?: string;
}

export interface Decision {
  allowed: boolean;
  /** Upstream has Deny decisions only from webhooks/Node authorizer; RBAC and the superuser check never deny. */
  denied: boolean;
  /** Why: e.g. `RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "z"`, or resolution errors on denial. */
  reason: string;
}

/** Well-known user and group names (k8s.io/apiserver/pkg/authentication/user). */
export const SYSTEM_PRIVILEGED_GROUP = 'system:masters';
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS_USER = 'system:anonymous';
export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';
export const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';
export const ADMIN_USER = 'kubernetes-admin';

/** Extra keys that ServiceAccount token authentication sets (k8s.io/apiserver/pkg/authentication/serviceaccount). */
export const EXTRA_POD_NAME = 'authentication.kubernetes.io/pod-name';
export const EXTRA_POD_UID = 'authentication.kubernetes.io/pod-uid';
export const EXTRA_NODE_NAME = 'authentication.kubernetes.io/node-name';
export const EXTRA_NODE_UID = 'authentication.kubernetes.io/node-uid';
export const EXTRA_CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;
}

/** Splits "system:serviceaccount:<ns>:<name>"; undefined for other users. */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_USERNAME_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/** utilerrors.NewAggregate(...).Error(): one message alone, several deduplicated inside brackets. */
export function aggregateMessage(messages: string[]): string {
  const seen: string[] = [];
  for (const m of messages) if (!seen.includes(m)) seen.push(m);
  if (seen.length === 0) return '';
  if (seen.length === 1) return seen[0];
  return `[${seen.join(', ')}]`;
}
