// The authorization.k8s.io review resources (pkg/registry/authorization/*): create-only objects
// that answer "may this user do that?" (`kubectl auth can-i`) and "what may I do here?"
// (`kubectl auth can-i --list`).
import { badRequest, invalid, type ApiError, type StatusCause } from '../../api/status.js';
import type { RbacAuthorizer } from './rbac-authorizer.js';
import type { PolicyRule } from './rbac-types.js';
import { aggregateMessage, type Attributes, type Decision, type UserInfo } from './types.js';

const GROUP = 'authorization.k8s.io';
const DEFAULT_API_VERSION = `${GROUP}/v1`;

export interface Authorizer {
  authorize(user: UserInfo, attrs: Attributes): Decision;
}

type Obj = Record<string, unknown>;

function asObject(v: unknown): Obj | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

const RESOURCE_FIELDS = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name', 'fieldSelector', 'labelSelector'] as const;

/** The typed view of spec.resourceAttributes / nonResourceAttributes, dropping unknown fields as decoding does. */
function pickAttributes(spec: Obj): { resource?: Obj; nonResource?: Obj } {
  const out: { resource?: Obj; nonResource?: Obj } = {};
  const ra = asObject(spec.resourceAttributes);
  if (ra) {
    out.resource = {};
    for (const f of RESOURCE_FIELDS) if (ra[f] !== undefined && ra[f] !== '' && ra[f] !== null) out.resource[f] = ra[f];
  }
  const nra = asObject(spec.nonResourceAttributes);
  if (nra) {
    out.nonResource = {};
    if (str(nra.path)) out.nonResource.path = nra.path;
    if (str(nra.verb)) out.nonResource.verb = nra.verb;
  }
  return out;
}

/** Go's %#v of the internal NonResourceAttributes, as field.Invalid prints it. */
function goNonResource(nra: Obj | undefined): string {
  if (!nra) return '"null"';
  return `authorization.NonResourceAttributes{Path:${JSON.stringify(str(nra.path))}, Verb:${JSON.stringify(str(nra.verb))}}`;
}

function cause(field: string, message: string): StatusCause {
  return { reason: 'FieldValueInvalid', field, message };
}

function specCauses(attrs: { resource?: Obj; nonResource?: Obj }): StatusCause[] {
  const causes: StatusCause[] = [];
  if (attrs.resource && attrs.nonResource) {
    causes.push(cause('spec.nonResourceAttributes', `Invalid value: ${goNonResource(attrs.nonResource)}: cannot be specified in combination with resourceAttributes`));
  }
  if (!attrs.resource && !attrs.nonResource) {
    causes.push(cause('spec.resourceAttributes', `Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`));
  }
  return causes;
}

/** ObjectMeta must be empty on these requests (creationTimestamp: null is what clients send). */
function metadataIsEmpty(meta: Obj, allowNamespace: boolean): boolean {
  return Object.entries(meta).every(([k, v]) => {
    if (v === null || v === undefined || v === '') return true;
    if (k === 'managedFields') return true;
    if (k === 'namespace' && allowNamespace) return true;
    if (typeof v === 'object' && Object.keys(v as object).length === 0) return true;
    return false;
  });
}

function attributesFrom(attrs: { resource?: Obj; nonResource?: Obj }): Attributes {
  if (attrs.resource) {
    const r = attrs.resource;
    return {
      verb: str(r.verb),
      resourceRequest: true,
      namespace: str(r.namespace),
      apiGroup: str(r.group),
      // An unset version means "any version" to authorizers.
      apiVersion: str(r.version) || '*',
      resource: str(r.resource),
      subresource: str(r.subresource),
      name: str(r.name),
    };
  }
  const n = attrs.nonResource ?? {};
  return { verb: str(n.verb), resourceRequest: false, path: str(n.path) };
}

function statusOf(d: Decision): Obj {
  const s: Obj = { allowed: d.allowed };
  if (d.denied) s.denied = true;
  if (d.reason) s.reason = d.reason;
  return s;
}

function requireObject(body: unknown, kind: string): Obj {
  const o = asObject(body);
  if (!o) throw badRequest(`not a ${kind}: ${JSON.stringify(body)}`);
  return o;
}

function outSpec(spec: Obj, attrs: { resource?: Obj; nonResource?: Obj }, subjectFields: boolean): Obj {
  const out: Obj = {};
  if (attrs.resource) out.resourceAttributes = attrs.resource;
  if (attrs.nonResource) out.nonResourceAttributes = attrs.nonResource;
  if (subjectFields) {
    if (str(spec.user)) out.user = spec.user;
    if (strings(spec.groups).length) out.groups = strings(spec.groups);
    if (asObject(spec.extra) && Object.keys(spec.extra as Obj).length) out.extra = spec.extra;
    if (str(spec.uid)) out.uid = spec.uid;
  }
  return out;
}

function invalidReview(kind: string, causes: StatusCause[]): ApiError {
  return invalid(GROUP, kind, '', causes);
}

/** POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews for the requesting user. */
export function selfSubjectAccessReview(user: UserInfo, body: unknown, authorizer: Authorizer): Obj {
  const review = requireObject(body, 'SelfSubjectAccessReview');
  const spec = asObject(review.spec) ?? {};
  const meta = asObject(review.metadata) ?? {};
  const attrs = pickAttributes(spec);
  const causes = specCauses(attrs);
  if (!metadataIsEmpty(meta, false)) causes.push(cause('metadata', `Invalid value: ${JSON.stringify(meta)}: must be empty`));
  if (causes.length) throw invalidReview('SelfSubjectAccessReview', causes);
  const decision = authorizer.authorize(user, attributesFrom(attrs));
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: str(review.apiVersion) || DEFAULT_API_VERSION,
    metadata: { creationTimestamp: null },
    spec: outSpec(spec, attrs, false),
    status: statusOf(decision),
  };
}

function subjectFrom(spec: Obj): UserInfo {
  const user: UserInfo = { username: str(spec.user), groups: strings(spec.groups) };
  if (str(spec.uid)) user.uid = str(spec.uid);
  const extra = asObject(spec.extra);
  if (extra) user.extra = Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, strings(v)]));
  return user;
}

function subjectCauses(spec: Obj): StatusCause[] {
  if (!str(spec.user) && strings(spec.groups).length === 0) {
    return [cause('spec.user', `Invalid value: ${JSON.stringify(str(spec.user))}: at least one of user or group must be specified`)];
  }
  return [];
}

/** POST /apis/authorization.k8s.io/v1/subjectaccessreviews: may spec.user/groups do this? */
export function subjectAccessReview(body: unknown, authorizer: Authorizer): Obj {
  const review = requireObject(body, 'SubjectAccessReview');
  const spec = asObject(review.spec) ?? {};
  const meta = asObject(review.metadata) ?? {};
  const attrs = pickAttributes(spec);
  const causes = [...specCauses(attrs), ...subjectCauses(spec)];
  if (!metadataIsEmpty(meta, false)) causes.push(cause('metadata', `Invalid value: ${JSON.stringify(meta)}: must be empty`));
  if (causes.length) throw invalidReview('SubjectAccessReview', causes);
  const decision = authorizer.authorize(subjectFrom(spec), attributesFrom(attrs));
  return {
    kind: 'SubjectAccessReview',
    apiVersion: str(review.apiVersion) || DEFAULT_API_VERSION,
    metadata: { creationTimestamp: null },
    spec: outSpec(spec, attrs, true),
    status: statusOf(decision),
  };
}

/** POST /apis/authorization.k8s.io/v1/namespaces/<ns>/localsubjectaccessreviews. */
export function localSubjectAccessReview(namespace: string, body: unknown, authorizer: Authorizer): Obj {
  const review = requireObject(body, 'LocalSubjectAccessReview');
  const spec = asObject(review.spec) ?? {};
  const meta = { ...(asObject(review.metadata) ?? {}) };
  if (!namespace) throw badRequest(`namespace is required on this type: ${namespace}`);
  // The create handler fills an empty metadata.namespace from the URL and refuses a different one.
  if (!str(meta.namespace)) meta.namespace = namespace;
  else if (meta.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  const attrs = pickAttributes(spec);
  const causes = [...specCauses(attrs), ...subjectCauses(spec)];
  if (!metadataIsEmpty(meta, true)) causes.push(cause('metadata', `Invalid value: ${JSON.stringify(meta)}: must be empty except for namespace`));
  if (attrs.resource && str(attrs.resource.namespace) !== namespace) {
    causes.push(cause('spec.resourceAttributes.namespace', `Invalid value: ${JSON.stringify(str(attrs.resource.namespace))}: must match metadata.namespace`));
  }
  if (attrs.nonResource) causes.push(cause('spec.nonResourceAttributes', `Invalid value: ${goNonResource(attrs.nonResource)}: disallowed on this kind of request`));
  if (causes.length) throw invalidReview('LocalSubjectAccessReview', causes);
  const decision = authorizer.authorize(subjectFrom(spec), attributesFrom(attrs));
  return {
    kind: 'LocalSubjectAccessReview',
    apiVersion: str(review.apiVersion) || DEFAULT_API_VERSION,
    metadata: { namespace, creationTimestamp: null },
    spec: outSpec(spec, attrs, true),
    status: statusOf(decision),
  };
}

/**
 * POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews: the user's rules in spec.namespace.
 * `rulesBefore` gives the rules of an authorizer that runs ahead of RBAC (EKS access policies) for
 * the namespace; as upstream's union authorizer does, each authorizer's rules are listed in turn.
 */
export function selfSubjectRulesReview(user: UserInfo, body: unknown, authorizer: RbacAuthorizer, rulesBefore?: (namespace: string) => PolicyRule[]): Obj {
  const review = requireObject(body, 'SelfSubjectRulesReview');
  const namespace = str(asObject(review.spec)?.namespace);
  if (!namespace) throw badRequest('no namespace on request');
  const { rules, errors } = authorizer.rulesFor(user, namespace);
  const resourceRules: Obj[] = [];
  const nonResourceRules: Obj[] = [];
  for (const r of [...(rulesBefore?.(namespace) ?? []), ...rules]) {
    if (r.resources && r.resources.length) {
      const rr: Obj = { verbs: [...(r.verbs ?? [])] };
      if (r.apiGroups && r.apiGroups.length) rr.apiGroups = [...r.apiGroups];
      rr.resources = [...r.resources];
      if (r.resourceNames && r.resourceNames.length) rr.resourceNames = [...r.resourceNames];
      resourceRules.push(rr);
    }
    if (r.nonResourceURLs && r.nonResourceURLs.length) nonResourceRules.push({ verbs: [...(r.verbs ?? [])], nonResourceURLs: [...r.nonResourceURLs] });
  }
  const status: Obj = { resourceRules, nonResourceRules, incomplete: false };
  if (errors.length) status.evaluationError = aggregateMessage(errors);
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: str(review.apiVersion) || DEFAULT_API_VERSION,
    metadata: { creationTimestamp: null },
    spec: {},
    status,
  };
}
