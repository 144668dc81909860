// deploymentutil (pkg/controller/deployment/util/deployment_util.go): revisions, replica
// annotations, finding the new ReplicaSet, fenceposts and ReplicaSet orderings.
import { annotations, creationTimestamp, deletionTimestamp, field, labels, name, uid } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';
import { canonicalJson } from '../shared/hash.js';
import { resolveFenceposts } from '../shared/int-or-percent.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const POD_TEMPLATE_HASH = 'pod-template-hash';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Annotations never copied from a Deployment to its ReplicaSets (annotationsToSkip). */
const SKIPPED = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, 'deprecated.deployment.rollback.to']);

export function spec(o: Obj): Record<string, unknown> {
  return (o.spec ?? {}) as Record<string, unknown>;
}
export function replicasOf(o: Obj): number {
  const r = spec(o).replicas;
  return typeof r === 'number' ? r : 1;
}
export function statusNum(o: Obj, f: string): number {
  const v = field(o, 'status', f);
  return typeof v === 'number' ? v : 0;
}
export function revisionOf(o: Obj): number {
  const v = Number(annotations(o)[REVISION]);
  return Number.isFinite(v) ? v : 0;
}
export function maxRevision(rss: Obj[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

export function isRollingUpdate(d: Obj): boolean {
  return field(d, 'spec', 'strategy', 'type') !== 'Recreate';
}

/** MaxSurge / MaxUnavailable of a Deployment (0 for Recreate; unavailability capped at replicas). */
export function maxSurge(d: Obj): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = field(d, 'spec', 'strategy', 'rollingUpdate') as Record<string, unknown> | undefined;
  return resolveFenceposts(ru?.maxSurge ?? '25%', ru?.maxUnavailable ?? '25%', replicasOf(d)).surge;
}
export function maxUnavailable(d: Obj): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = field(d, 'spec', 'strategy', 'rollingUpdate') as Record<string, unknown> | undefined;
  const u = resolveFenceposts(ru?.maxSurge ?? '25%', ru?.maxUnavailable ?? '25%', replicas).unavailable;
  return Math.min(u, replicas);
}

/** The template without the pod-template-hash label: what EqualIgnoreHash compares. */
function templateIgnoringHash(t: unknown): string {
  const copy = structuredClone((t ?? {}) as Record<string, unknown>);
  const meta = (copy.metadata ?? {}) as Record<string, unknown>;
  if (meta.labels && typeof meta.labels === 'object') {
    const l = { ...(meta.labels as Record<string, string>) };
    delete l[POD_TEMPLATE_HASH];
    meta.labels = Object.keys(l).length ? l : undefined;
  }
  copy.metadata = meta;
  return canonicalJson(copy);
}

export function templatesEqual(a: unknown, b: unknown): boolean {
  return templateIgnoringHash(a) === templateIgnoringHash(b);
}

function created(o: Obj): number {
  return Date.parse(creationTimestamp(o) ?? '') || 0;
}

/** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
export function byCreation(a: Obj, b: Obj): number {
  return created(a) - created(b) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template matches the Deployment's. */
export function findNewReplicaSet(d: Obj, rss: Obj[]): Obj | undefined {
  return [...rss].sort(byCreation).find((rs) => templatesEqual(spec(rs).template, spec(d).template));
}

export function isActive(rs: Obj): boolean {
  return replicasOf(rs) > 0;
}

export function sumReplicas(rss: Obj[]): number {
  return rss.reduce((n, rs) => n + replicasOf(rs), 0);
}
export function sumStatus(rss: Obj[], f: string): number {
  return rss.reduce((n, rs) => n + statusNum(rs, f), 0);
}
/**
 * Available replicas of a ReplicaSet as the rollout may count them: capped at spec.replicas, so a
 * ReplicaSet just scaled down whose status has not caught up is not counted twice.
 */
export function availableOf(rs: Obj): number {
  return Math.min(statusNum(rs, 'availableReplicas'), replicasOf(rs));
}

/** The annotations a new or existing ReplicaSet should carry copied from its Deployment. */
export function copiedAnnotations(d: Obj): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(annotations(d))) if (!SKIPPED.has(k)) out[k] = v;
  return out;
}

/** ReplicasAnnotationsNeedUpdate / SetReplicasAnnotations. */
export function replicasAnnotations(d: Obj): Record<string, string> {
  return { [DESIRED_REPLICAS]: String(replicasOf(d)), [MAX_REPLICAS]: String(replicasOf(d) + maxSurge(d)) };
}

export function labelsWithHash(l: Record<string, string>, hash: string): Record<string, string> {
  return { ...l, [POD_TEMPLATE_HASH]: hash };
}

export function isDeleting(o: Obj): boolean {
  return deletionTimestamp(o) !== undefined;
}

export { labels, uid };
