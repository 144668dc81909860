// ClusterRole aggregation (pkg/controller/clusterroleaggregation): a ClusterRole with an
// aggregationRule gets the union of the rules of every other ClusterRole its selectors match.
import { labelSelectorFromObject, matchesLabels, type LabelSelector } from '../../util/label-selector.js';
import type { ClusterRole, PolicyRule } from './rbac-types.js';

function normalized(rule: PolicyRule): string {
  // Semantic equality: a missing list equals an empty one.
  return JSON.stringify([rule.verbs ?? [], rule.apiGroups ?? [], rule.resources ?? [], rule.resourceNames ?? [], rule.nonResourceURLs ?? []]);
}

function sameRules(a: PolicyRule[], b: PolicyRule[]): boolean {
  return a.length === b.length && a.every((r, i) => normalized(r) === normalized(b[i]));
}

/**
 * The rules the aggregation controller would write into `role`, given the current state of all
 * ClusterRoles; undefined when the role has no aggregationRule or a selector does not parse
 * (upstream leaves such a role as it is).
 */
export function aggregatedRules(role: ClusterRole, all: ClusterRole[]): PolicyRule[] | undefined {
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  if (!role.aggregationRule) return undefined;
  const parsed: LabelSelector[] = [];
  try {
    for (const s of selectors ?? []) parsed.push(labelSelectorFromObject(s));
  } catch {
    return undefined;
  }
  const out: PolicyRule[] = [];
  const seen = new Set<string>();
  for (const selector of parsed) {
    const matching = all
      .filter((r) => r.metadata.name !== role.metadata.name && matchesLabels(selector, r.metadata.labels))
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
    for (const source of matching) {
      for (const rule of source.rules ?? []) {
        const key = normalized(rule);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(rule);
      }
    }
  }
  return out;
}

/**
 * Runs aggregation to its fixed point (the controller converges the same way, one role at a time,
 * since aggregated roles such as `edit` are themselves aggregated into `admin`). Returns only the
 * ClusterRoles whose rules changed, as new objects; the inputs are not modified.
 */
export function aggregateClusterRoles(clusterRoles: ClusterRole[]): ClusterRole[] {
  const current = new Map(clusterRoles.map((r) => [r.metadata.name, r]));
  const changed = new Map<string, ClusterRole>();
  // Each pass can only add rules, and the set of distinct rules is finite, so this ends; the bound
  // is a guard against a bug, not a limit real policies reach.
  for (let pass = 0; pass <= clusterRoles.length + 1; pass++) {
    let any = false;
    const snapshot = [...current.values()];
    for (const role of snapshot) {
      const rules = aggregatedRules(role, snapshot);
      if (!rules || sameRules(rules, role.rules ?? [])) continue;
      const updated: ClusterRole = { ...role, rules };
      current.set(role.metadata.name, updated);
      changed.set(role.metadata.name, updated);
      any = true;
    }
    if (!any) break;
  }
  return [...changed.values()];
}
