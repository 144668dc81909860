// The authorizer chain kube-apiserver runs: members of system:masters are allowed outright (the
// privileged-groups authorizer placed before the configured modes), then RBAC
// (plugin/pkg/auth/authorizer/rbac and pkg/registry/rbac/validation/rule.go).
import type { ClusterRoleBinding, PolicyRule, RbacSource, RoleBinding, RoleRef, Subject } from './rbac-types.js';
import { ruleAllows } from './rule-match.js';
import { aggregateMessage, splitServiceAccountUsername, SYSTEM_PRIVILEGED_GROUP, type Attributes, type Decision, type UserInfo } from './types.js';

/** One rule with where it came from, or an error met while resolving a binding's role. */
type Visitor = (source: (() => string) | undefined, rule: PolicyRule | undefined, error: string | undefined) => boolean;

export interface RulesForResult {
  rules: PolicyRule[];
  /** Resolution errors (e.g. a binding whose role does not exist), in upstream's wording. */
  errors: string[];
}

export class RbacAuthorizer {
  constructor(private readonly source: RbacSource) {}

  /** The whole chain: superuser group, then RBAC. */
  authorize(user: UserInfo, attrs: Attributes): Decision {
    if (user.groups.includes(SYSTEM_PRIVILEGED_GROUP)) return { allowed: true, denied: false, reason: '' };
    return this.authorizeRbac(user, attrs);
  }

  /** RBAC alone: allows with the granting binding as the reason, never denies (NoOpinion). */
  authorizeRbac(user: UserInfo, attrs: Attributes): Decision {
    let reason = '';
    let allowed = false;
    const errors: string[] = [];
    this.visitRulesFor(user, attrs.namespace ?? '', (source, rule, error) => {
      if (rule && source && ruleAllows(attrs, rule)) {
        allowed = true;
        reason = `RBAC: allowed by ${source()}`;
        return false;
      }
      if (error) errors.push(error);
      return true;
    });
    if (allowed) return { allowed, denied: false, reason };
    return { allowed: false, denied: false, reason: errors.length ? `RBAC: ${aggregateMessage(errors)}` : '' };
  }

  /** Every rule that applies to the user in the namespace ("" = cluster-wide bindings only). */
  rulesFor(user: UserInfo, namespace: string): RulesForResult {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(user, namespace, (_source, rule, error) => {
      if (rule) rules.push(rule);
      if (error) errors.push(error);
      return true;
    });
    return { rules, errors };
  }

  private visitRulesFor(user: UserInfo, namespace: string, visit: Visitor): void {
    const matches = subjectMatcher(user);
    for (const binding of this.source.listClusterRoleBindings()) {
      const subject = appliesTo(matches, binding.subjects, '');
      if (!subject) continue;
      const resolved = this.getRoleReferenceRules(binding.roleRef, '');
      if (typeof resolved === 'string') {
        if (!visit(undefined, undefined, resolved)) return;
        continue;
      }
      const describe = () => describeClusterRoleBinding(binding, subject);
      for (const rule of resolved) if (!visit(describe, rule, undefined)) return;
    }
    if (!namespace) return;
    for (const binding of this.source.listRoleBindings(namespace)) {
      const subject = appliesTo(matches, binding.subjects, namespace);
      if (!subject) continue;
      const resolved = this.getRoleReferenceRules(binding.roleRef, namespace);
      if (typeof resolved === 'string') {
        if (!visit(undefined, undefined, resolved)) return;
        continue;
      }
      const describe = () => describeRoleBinding(binding, subject, namespace);
      for (const rule of resolved) if (!visit(describe, rule, undefined)) return;
    }
  }

  /** The rules a binding's roleRef points at, or the error upstream reports for it. */
  getRoleReferenceRules(ref: RoleRef, bindingNamespace: string): PolicyRule[] | string {
    switch (ref.kind) {
      case 'Role': {
        const role = this.source.getRole(bindingNamespace, ref.name);
        return role ? (role.rules ?? []) : `role.rbac.authorization.k8s.io "${ref.name}" not found`;
      }
      case 'ClusterRole': {
        const role = this.source.getClusterRole(ref.name);
        return role ? (role.rules ?? []) : `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`;
      }
      default:
        return `unsupported role reference kind: ${JSON.stringify(ref.kind)}`;
    }
  }
}

type SubjectMatcher = (subject: Subject, bindingNamespace: string) => boolean;

/** The first subject of a binding that names the user, or undefined. */
function appliesTo(matches: SubjectMatcher, subjects: Subject[] | null | undefined, namespace: string): Subject | undefined {
  if (!subjects) return undefined;
  for (const s of subjects) if (matches(s, namespace)) return s;
  return undefined;
}

/** Whether a binding subject names the user; prepared once per request since bindings are many. */
function subjectMatcher(user: UserInfo): SubjectMatcher {
  const groups = new Set(user.groups);
  // Compare ServiceAccount subjects without building usernames (upstream's MatchesUsername).
  const sa = splitServiceAccountUsername(user.username);
  return (subject, namespace) => {
    switch (subject.kind) {
      case 'User':
        return user.username === subject.name;
      case 'Group':
        return groups.has(subject.name);
      case 'ServiceAccount': {
        if (!sa || sa.name !== subject.name) return false;
        // A RoleBinding's ServiceAccount subject without a namespace means the binding's own namespace.
        const ns = subject.namespace || namespace;
        return ns !== '' && ns === sa.namespace;
      }
      default:
        return false;
    }
  };
}

export function subjectAppliesTo(user: UserInfo, subject: Subject, namespace: string): boolean {
  return subjectMatcher(user)(subject, namespace);
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

function describeClusterRoleBinding(b: ClusterRoleBinding, s: Subject): string {
  return `ClusterRoleBinding ${JSON.stringify(b.metadata.name)} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)} to ${describeSubject(s, '')}`;
}

function describeRoleBinding(b: RoleBinding, s: Subject, namespace: string): string {
  const ns = b.metadata.namespace || namespace;
  return `RoleBinding ${JSON.stringify(`${b.metadata.name}/${ns}`)} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)} to ${describeSubject(s, ns)}`;
}
