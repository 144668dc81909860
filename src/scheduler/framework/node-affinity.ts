// Node selector matching (k8s.io/component-helpers/scheduling/corev1/nodeaffinity): terms are
// ORed, requirements within a term ANDed; a term without requirements matches nothing; an invalid
// requirement makes its term match nothing. matchFields supports metadata.name only.
import type { NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from './api.js';

const INT_RE = /^[+-]?[0-9]+$/;

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean | undefined {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      if (values.length === 0) return undefined;
      return value !== undefined && values.includes(value);
    case 'NotIn':
      if (values.length === 0) return undefined;
      return value === undefined || !values.includes(value);
    case 'Exists':
      if (values.length !== 0) return undefined;
      return value !== undefined;
    case 'DoesNotExist':
      if (values.length !== 0) return undefined;
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (values.length !== 1 || !INT_RE.test(values[0])) return undefined;
      if (value === undefined || !INT_RE.test(value)) return false;
      const a = BigInt(value);
      const b = BigInt(values[0]);
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return undefined;
  }
}

export function termMatches(term: NodeSelectorTerm, labels: Record<string, string>, nodeName: string): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const r of exprs) {
    const v = Object.prototype.hasOwnProperty.call(labels, r.key) ? labels[r.key] : undefined;
    if (requirementMatches(r, v) !== true) return false;
  }
  for (const r of fields) {
    if (r.key !== 'metadata.name') return false;
    if (r.operator !== 'In' && r.operator !== 'NotIn') return false;
    if ((r.values ?? []).length !== 1) return false;
    if (requirementMatches(r, nodeName) !== true) return false;
  }
  return true;
}

export function termsMatch(terms: readonly NodeSelectorTerm[], labels: Record<string, string>, nodeName: string): boolean {
  for (const t of terms) if (termMatches(t, labels, nodeName)) return true;
  return false;
}

/** nodeaffinity.RequiredNodeAffinity: spec.nodeSelector AND the required node affinity terms. */
export class RequiredNodeAffinity {
  private readonly selector: [string, string][];
  private readonly terms: NodeSelectorTerm[] | undefined;
  private readonly empty: boolean;

  constructor(spec: PodSpec) {
    this.selector = Object.entries(spec.nodeSelector ?? {});
    const req = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    this.terms = req ? req.nodeSelectorTerms ?? [] : undefined;
    this.empty = this.selector.length === 0 && this.terms === undefined;
  }

  /** True when the pod sets neither a nodeSelector nor required node affinity. */
  isEmpty(): boolean {
    return this.empty;
  }

  matches(labels: Record<string, string>, nodeName: string): boolean {
    if (this.empty) return true;
    for (const [k, v] of this.selector) if (labels[k] !== v) return false;
    if (this.terms !== undefined && !termsMatch(this.terms, labels, nodeName)) return false;
    return true;
  }
}
