// User impersonation (`kubectl --as`, `--as-group`, `--as-uid`): the filter that runs between
// authentication and authorization (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go).
// Each thing impersonated needs the `impersonate` verb on it; the request then runs as the new user.
import { internalError } from '../../api/status.js';
import type { Authorizer } from './access-reviews.js';
import { forbiddenError } from './forbidden.js';
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, ANONYMOUS_USER, SERVICE_ACCOUNTS_GROUP, serviceAccountUsername, splitServiceAccountUsername, type Attributes, type UserInfo } from './types.js';

export const IMPERSONATE_USER_HEADER = 'impersonate-user';
export const IMPERSONATE_GROUP_HEADER = 'impersonate-group';
export const IMPERSONATE_UID_HEADER = 'impersonate-uid';
export const IMPERSONATE_EXTRA_PREFIX = 'impersonate-extra-';

/** Request headers with lower-case names; repeated headers as arrays (Node's `req.headersDistinct`). */
export type HeaderMap = Record<string, string | string[] | undefined>;

interface ImpersonationRequest {
  kind: 'ServiceAccount' | 'User' | 'Group' | 'UserExtra' | 'UID';
  namespace?: string;
  name: string;
  apiVersion?: string;
  fieldPath?: string;
}

function values(headers: HeaderMap, name: string): string[] {
  const v = headers[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function unescapeExtraKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

/** Go's %v of the ObjectReference list, for the "without impersonating a user" error. */
function describeRequests(reqs: ImpersonationRequest[]): string {
  return `[${reqs.map((r) => `{${r.kind} ${r.namespace ?? ''} ${r.name}  ${r.apiVersion ?? ''}  ${r.fieldPath ?? ''}}`).join(' ')}]`;
}

function buildRequests(headers: HeaderMap): ImpersonationRequest[] {
  const reqs: ImpersonationRequest[] = [];
  const user = values(headers, IMPERSONATE_USER_HEADER)[0] ?? '';
  if (user) {
    const sa = splitServiceAccountUsername(user);
    reqs.push(sa ? { kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name } : { kind: 'User', name: user });
  }
  const groups = values(headers, IMPERSONATE_GROUP_HEADER);
  for (const g of groups) reqs.push({ kind: 'Group', name: g });
  let hasExtra = false;
  for (const header of Object.keys(headers)) {
    if (!header.startsWith(IMPERSONATE_EXTRA_PREFIX)) continue;
    hasExtra = true;
    const key = unescapeExtraKey(header.slice(IMPERSONATE_EXTRA_PREFIX.length).toLowerCase());
    for (const v of values(headers, header)) reqs.push({ kind: 'UserExtra', apiVersion: 'authentication.k8s.io/v1', name: v, fieldPath: key });
  }
  const uid = values(headers, IMPERSONATE_UID_HEADER)[0] ?? '';
  if (uid) reqs.push({ kind: 'UID', apiVersion: 'authentication.k8s.io/v1', name: uid });
  if ((groups.length || hasExtra || uid) && !user) throw internalError(`requested ${describeRequests(reqs)} without impersonating a user`);
  return reqs;
}

/**
 * The user a request acts as: undefined when it asks for no impersonation, else the impersonated
 * user. Throws a 403 ApiError (upstream's text) when `requestor` may not impersonate one of the
 * things asked for.
 */
export function impersonate(requestor: UserInfo, headers: HeaderMap, authorizer: Authorizer): UserInfo | undefined {
  const requests = buildRequests(headers);
  if (requests.length === 0) return undefined;
  // Groups named in headers are the whole truth, including system:authenticated.
  const groupsSpecified = values(headers, IMPERSONATE_GROUP_HEADER).length > 0;
  let username = '';
  let uid = '';
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  for (const r of requests) {
    const attrs: Attributes = { verb: 'impersonate', resourceRequest: true, apiGroup: '', namespace: r.namespace ?? '', name: r.name };
    switch (r.kind) {
      case 'ServiceAccount':
        attrs.resource = 'serviceaccounts';
        username = serviceAccountUsername(r.namespace ?? '', r.name);
        if (!groupsSpecified) groups = [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${r.namespace}`];
        break;
      case 'User':
        attrs.resource = 'users';
        username = r.name;
        break;
      case 'Group':
        attrs.resource = 'groups';
        groups.push(r.name);
        break;
      case 'UserExtra':
        attrs.apiGroup = 'authentication.k8s.io';
        attrs.resource = 'userextras';
        attrs.subresource = r.fieldPath;
        (extra[r.fieldPath ?? ''] ??= []).push(r.name);
        break;
      case 'UID':
        attrs.apiGroup = 'authentication.k8s.io';
        attrs.resource = 'uids';
        uid = r.name;
        break;
    }
    const decision = authorizer.authorize(requestor, attrs);
    if (!decision.allowed) throw forbiddenError(requestor, attrs, decision.reason);
  }
  if (username !== ANONYMOUS_USER) {
    if (!groups.includes(ALL_AUTHENTICATED) && !groups.includes(ALL_UNAUTHENTICATED)) groups.push(ALL_AUTHENTICATED);
  } else if (!groups.includes(ALL_UNAUTHENTICATED)) {
    groups.push(ALL_UNAUTHENTICATED);
  }
  const user: UserInfo = { username, groups };
  if (uid) user.uid = uid;
  if (Object.keys(extra).length) user.extra = extra;
  return user;
}
