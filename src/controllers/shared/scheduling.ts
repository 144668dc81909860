// Node matching a DaemonSet needs (component-helpers/scheduling/corev1): nodeSelector, required
// node affinity terms (matchExpressions on labels, matchFields on metadata.name), and taints
// against tolerations.
import { labels, name } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

function requirementMatches(r: Requirement, value: string | undefined): boolean {
  const vals = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && vals.includes(value);
    case 'NotIn':
      return value === undefined || !vals.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || !/^-?\d+$/.test(value) || vals.length !== 1) return false;
      return r.operator === 'Gt' ? Number(value) > Number(vals[0]) : Number(value) < Number(vals[0]);
    }
    default:
      return false;
  }
}

/** A node selector term: all of its expressions and fields match; an empty term matches nothing. */
function termMatches(term: { matchExpressions?: Requirement[]; matchFields?: Requirement[] }, node: Obj): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const l = labels(node);
  if (!exprs.every((r) => requirementMatches(r, Object.prototype.hasOwnProperty.call(l, r.key) ? l[r.key] : undefined))) return false;
  return fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, name(node)));
}

/** The pod's nodeSelector and required node affinity both accept the node. */
export function podMatchesNode(podSpec: Record<string, unknown>, node: Obj): boolean {
  const sel = (podSpec.nodeSelector ?? {}) as Record<string, string>;
  const l = labels(node);
  if (!Object.entries(sel).every(([k, v]) => l[k] === v)) return false;
  const terms = ((podSpec.affinity as Record<string, unknown> | undefined)?.nodeAffinity as Record<string, unknown> | undefined)?.requiredDuringSchedulingIgnoredDuringExecution as { nodeSelectorTerms?: unknown[] } | undefined;
  if (!terms) return true;
  return (terms.nodeSelectorTerms ?? []).some((t) => termMatches(t as never, node));
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

export function nodeTaints(node: Obj): Taint[] {
  const t = (node.spec as Record<string, unknown> | undefined)?.taints;
  return Array.isArray(t) ? (t as Taint[]) : [];
}

/** Taints with one of `effects` not tolerated by any toleration. */
export function untoleratedTaints(node: Obj, tolerations: Toleration[], effects: string[]): Taint[] {
  return nodeTaints(node).filter((taint) => effects.includes(taint.effect) && !tolerations.some((t) => tolerates(t, taint)));
}
