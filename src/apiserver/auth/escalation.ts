// RBAC's privilege-escalation prevention on writes of roles and bindings
// (pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/policybased,
// pkg/registry/rbac/validation, component-helpers/auth/rbac/validation): a user may only grant
// permissions they hold, unless they have the `escalate` verb on the role or `bind` on the role a
// binding refers to. Members of system:masters may do anything.
import { badRequest, forbidden } from '../../api/status.js';
import type { ClusterRole, PolicyRule, Role, RoleBinding } from './rbac-types.js';
import type { RbacAuthorizer } from './rbac-authorizer.js';
import { goQuotedList } from './sa-tokens.js';
import { aggregateMessage, SYSTEM_PRIVILEGED_GROUP, type UserInfo } from './types.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/** Splits a rule into rules of one group, resource, verb and name each (BreakdownRule). */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        if ((rule.resourceNames ?? []).length) {
          for (const name of rule.resourceNames ?? []) out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
        } else {
          out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        }
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

function hasAll(set: string[] | undefined, wanted: string[] | undefined): boolean {
  const owned = new Set(set ?? []);
  return (wanted ?? []).every((w) => owned.has(w));
}

function resourceCoversAll(owned: string[] | undefined, wanted: string[] | undefined): boolean {
  const set = owned ?? [];
  if (set.includes('*') || hasAll(set, wanted)) return true;
  for (const path of wanted ?? []) {
    if (set.includes(path)) continue;
    const slash = path.indexOf('/');
    if (slash < 0) return false;
    if (!set.includes(`*/${path.slice(slash + 1)}`)) return false;
  }
  return true;
}

function nonResourceURLCovers(owner: string, sub: string): boolean {
  return owner === sub || (owner.endsWith('*') && sub.startsWith(owner.replace(/\*+$/, '')));
}

/** Whether the owner rule covers a broken-down rule (ruleCovers). */
function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = (owner.verbs ?? []).includes('*') || hasAll(owner.verbs, sub.verbs);
  const groups = (owner.apiGroups ?? []).includes('*') || hasAll(owner.apiGroups, sub.apiGroups);
  const resources = resourceCoversAll(owner.resources, sub.resources);
  const urls = (sub.nonResourceURLs ?? []).every((u) => (owner.nonResourceURLs ?? []).some((o) => nonResourceURLCovers(o, u)));
  const ownerNames = owner.resourceNames ?? [];
  const names = (sub.resourceNames ?? []).length === 0 ? ownerNames.length === 0 : ownerNames.length === 0 || hasAll(ownerNames, sub.resourceNames);
  return verbs && groups && resources && names && urls;
}

/** Whether `owner` rules allow everything `servant` rules do, and the pieces they do not. */
export function covers(owner: PolicyRule[], servant: PolicyRule[]): { covered: boolean; missing: PolicyRule[] } {
  const missing = servant.flatMap(breakdownRule).filter((sub) => !owner.some((o) => ruleCovers(o, sub)));
  return { covered: missing.length === 0, missing };
}

/** Merges rules of one group and resource (and at most one name) that differ only in verbs (CompactRules). */
function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const compacted: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const isSimple = (r.resourceNames ?? []).length <= 1 && (r.nonResourceURLs ?? []).length === 0 && (r.apiGroups ?? []).length === 1 && (r.resources ?? []).length === 1;
    if (!isSimple) {
      compacted.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups, r.resources, r.resourceNames ?? null]);
    const existing = simple.get(key);
    if (existing) existing.verbs = [...existing.verbs, ...r.verbs];
    else simple.set(key, { ...r, verbs: [...r.verbs] });
  }
  return [...compacted, ...simple.values()];
}

/** `{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}` (CompactString). */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if ((r.apiGroups ?? []).length) parts.push(`APIGroups:${goQuotedList(r.apiGroups ?? [])}`);
  if ((r.resources ?? []).length) parts.push(`Resources:${goQuotedList(r.resources ?? [])}`);
  if ((r.nonResourceURLs ?? []).length) parts.push(`NonResourceURLs:${goQuotedList(r.nonResourceURLs ?? [])}`);
  if ((r.resourceNames ?? []).length) parts.push(`ResourceNames:${goQuotedList(r.resourceNames ?? [])}`);
  if ((r.verbs ?? []).length) parts.push(`Verbs:${goQuotedList(r.verbs ?? [])}`);
  return `{${parts.join(', ')}}`;
}

/** ConfirmNoEscalation: the reason `user` may not grant `rules` in `namespace`, or undefined when they hold them all. */
export function escalationError(user: UserInfo, namespace: string, rules: PolicyRule[], authorizer: RbacAuthorizer): string | undefined {
  const held = authorizer.rulesFor(user, namespace);
  const { covered, missing } = covers(held.rules, rules);
  if (covered) return undefined;
  const descriptions = [...new Set(compactRules(missing).map(compactString))].sort();
  let msg = `user ${JSON.stringify(user.username)} (groups=${goQuotedList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${descriptions.join('\n')}`;
  // Go's %v of the one aggregated resolution error, inside a slice.
  if (held.errors.length) msg += `; resolution errors: [${aggregateMessage(held.errors)}]`;
  return msg;
}

function isSuperuser(user: UserInfo): boolean {
  return user.groups.includes(SYSTEM_PRIVILEGED_GROUP);
}

/** True when an update touches nothing but what the garbage collector changes (IsOnlyMutatingGCFields). */
export function isOnlyMutatingGCFields(obj: object, old: object | undefined): boolean {
  if (!old) return false;
  const strip = (o: object) => {
    const copy = structuredClone(o) as { metadata?: Record<string, unknown> };
    for (const f of ['ownerReferences', 'finalizers', 'selfLink', 'managedFields', 'resourceVersion', 'generation', 'creationTimestamp', 'uid']) delete copy.metadata?.[f];
    return JSON.stringify(sortKeysDeep(copy));
  };
  return strip(obj) === strip(old);
}

function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeysDeep((v as Record<string, unknown>)[k])]));
  return v;
}

function hasAggregationRule(role: ClusterRole | undefined): boolean {
  return !!role?.aggregationRule && (role.aggregationRule.clusterRoleSelectors ?? []).length > 0;
}

export interface RoleWrite {
  user: UserInfo;
  authorizer: RbacAuthorizer;
  kind: 'Role' | 'ClusterRole';
  /** The request's namespace ("" for ClusterRoles). */
  namespace: string;
  role: Role | ClusterRole;
  /** The stored object, on update. */
  old?: Role | ClusterRole;
}

/** Throws the 403 upstream answers when a create/update of a Role or ClusterRole would grant more than the user holds. */
export function checkRoleWrite(w: RoleWrite): void {
  if (isSuperuser(w.user)) return;
  const resource = w.kind === 'Role' ? 'roles' : 'clusterroles';
  const name = w.role.metadata.name;
  // A create's request names no object, so `escalate` restricted by resourceNames does not apply to it.
  const escalate = w.authorizer.authorize(w.user, { verb: 'escalate', apiGroup: RBAC_GROUP, resource, name: w.old ? name : '', namespace: w.namespace, resourceRequest: true });
  if (escalate.allowed) return;
  if (isOnlyMutatingGCFields(w.role, w.old)) return;
  const why = escalationError(w.user, w.namespace, w.role.rules ?? [], w.authorizer);
  if (why) throw forbidden(RBAC_GROUP, resource, name, why);
  if (w.kind === 'ClusterRole' && (hasAggregationRule(w.role as ClusterRole) || hasAggregationRule(w.old as ClusterRole | undefined))) {
    if (escalationError(w.user, w.namespace, FULL_AUTHORITY, w.authorizer)) throw forbidden(RBAC_GROUP, resource, name, 'must have cluster-admin privileges to use the aggregationRule');
  }
}

export interface BindingWrite {
  user: UserInfo;
  authorizer: RbacAuthorizer;
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  /** The binding's namespace ("" for ClusterRoleBindings). */
  namespace: string;
  binding: RoleBinding;
  old?: RoleBinding;
}

/** Throws the 403 (or 400 for a missing role) upstream answers when a binding would grant more than the user holds. */
export function checkBindingWrite(w: BindingWrite): void {
  if (isSuperuser(w.user)) return;
  if (isOnlyMutatingGCFields(w.binding, w.old)) return;
  const ref = w.binding.roleRef;
  const resource = w.kind === 'RoleBinding' ? 'rolebindings' : 'clusterrolebindings';
  if (ref.kind === 'ClusterRole' || ref.kind === 'Role') {
    const bind = w.authorizer.authorize(w.user, {
      verb: 'bind',
      apiGroup: ref.apiGroup,
      resource: ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles',
      name: ref.name,
      namespace: w.namespace,
      resourceRequest: true,
    });
    if (bind.allowed) return;
  }
  const rules = w.authorizer.getRoleReferenceRules(ref, w.namespace);
  if (typeof rules === 'string') throw badRequest(rules);
  const why = escalationError(w.user, w.namespace, rules, w.authorizer);
  if (why) throw forbidden(RBAC_GROUP, resource, w.binding.metadata.name, why);
}
