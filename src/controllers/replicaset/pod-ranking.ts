// Which pods a ReplicaSet deletes first when scaling down (controller.ActivePodsWithRanks.Less,
// pkg/controller/controller_utils.go): unscheduled before scheduled; Pending before Unknown before
// Running; not ready before ready; pods doubled up on a node (higher rank) first; ready for a
// shorter time first; more restarts first; newer first.
import { creationTimestamp, uid } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';
import { isPodReady, nodeName, phase, readySince, restartCount } from '../shared/pods.js';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function compare(a: Obj, b: Obj, rankA: number, rankB: number): number {
  const na = nodeName(a) ? 1 : 0;
  const nb = nodeName(b) ? 1 : 0;
  if (na !== nb) return na - nb;
  const pa = PHASE_ORDER[phase(a)] ?? 0;
  const pb = PHASE_ORDER[phase(b)] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a) ? 1 : 0;
  const rb = isPodReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  if (rankA !== rankB) return rankB - rankA;
  if (ra && rb) {
    const sa = readySince(a) ?? 0;
    const sb = readySince(b) ?? 0;
    if (sa !== sb) return sb - sa;
  }
  const ca = restartCount(a);
  const cb = restartCount(b);
  if (ca !== cb) return cb - ca;
  const ta = Date.parse(creationTimestamp(a) ?? '') || 0;
  const tb = Date.parse(creationTimestamp(b) ?? '') || 0;
  if (ta !== tb) return tb - ta;
  return uid(a) < uid(b) ? -1 : uid(a) > uid(b) ? 1 : 0;
}

/**
 * getPodsToDelete: the `n` pods to delete among `pods`; `related` are the active pods of the
 * owner's siblings (same Deployment), whose co-location raises a pod's rank.
 */
export function podsToDelete(pods: Obj[], related: Obj[], n: number): Obj[] {
  if (n >= pods.length) return pods;
  const perNode = new Map<string, number>();
  for (const p of related) if (nodeName(p)) perNode.set(nodeName(p), (perNode.get(nodeName(p)) ?? 0) + 1);
  const ranked = pods.map((p) => ({ p, rank: nodeName(p) ? (perNode.get(nodeName(p)) ?? 0) : 0 }));
  ranked.sort((x, y) => compare(x.p, y.p, x.rank, y.rank));
  return ranked.slice(0, n).map((x) => x.p);
}
