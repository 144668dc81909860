// Upstream's 403 text (k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go) and the
// Status that carries it (apierrors.NewForbidden).
import { ApiError, forbidden } from '../../api/status.js';
import type { Attributes, UserInfo } from './types.js';

/** Go's %q for the plain strings these messages quote. */
function q(s: string): string {
  return JSON.stringify(s);
}

// Avoid emitting errors that look like valid HTML; quotes are kept (upstream's sanitizer).
function sanitize(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * `User "u" cannot list resource "pods" in API group "" in the namespace "default"`,
 * `... at the cluster scope`, or `User "u" cannot get path "/foo"`.
 */
export function forbiddenReason(user: UserInfo | undefined, attrs: Attributes): string {
  const username = user?.username ?? '';
  if (!attrs.resourceRequest) return `User ${q(username)} cannot ${attrs.verb} path ${q(attrs.path ?? '')}`;
  let resource = attrs.resource ?? '';
  if (attrs.subresource) resource = `${resource}/${attrs.subresource}`;
  const group = attrs.apiGroup ?? '';
  if (attrs.namespace) {
    return `User ${q(username)} cannot ${attrs.verb} resource ${q(resource)} in API group ${q(group)} in the namespace ${q(attrs.namespace)}`;
  }
  return `User ${q(username)} cannot ${attrs.verb} resource ${q(resource)} in API group ${q(group)} at the cluster scope`;
}

/**
 * The 403 the API server sends for a denied request: `pods "web" is forbidden: User ...`, with the
 * authorizer's reason appended after ": " when it has one. Non-resource requests read `forbidden: User ...`.
 */
export function forbiddenError(user: UserInfo | undefined, attrs: Attributes, reason = ''): ApiError {
  const msg = sanitize(forbiddenReason(user, attrs));
  const why = reason ? `${msg}: ${reason}` : msg;
  if (attrs.resourceRequest && attrs.resource) return forbidden(attrs.apiGroup ?? '', attrs.resource, attrs.name ?? '', why);
  // An empty GroupResource: NewForbidden says just "forbidden: ..." and the details are empty.
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `forbidden: ${why}`, reason: 'Forbidden', details: {}, code: 403 });
}
