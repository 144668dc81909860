// PodTopologySpread's PreScore, Score and NormalizeScore for ScheduleAnyway constraints
// (podtopologyspread/scoring.go): a node scores the matching pods of its domains, weighted by
// log(number of domains + 2); fewer is better after normalization.
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { Handle, NodeScore } from '../../framework/interfaces.js';
import { MAX_NODE_SCORE } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { RequiredNodeAffinity } from '../../framework/node-affinity.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status } from '../../framework/status.js';
import type { MaybeStatus } from '../../framework/status.js';
import { LABEL_HOSTNAME } from '../../framework/api.js';
import { constraintsFor, countMatching, nodeHasAllKeys, nodeIncluded, SYSTEM_DEFAULT_CONSTRAINTS } from './constraints.js';
import type { Constraint } from './constraints.js';
import { NAME } from './filtering.js';

const KEY = `PreScore${NAME}`;

class PreScoreState implements StateData {
  constructor(
    readonly constraints: Constraint[],
    readonly ignored: Set<string>,
    readonly counts: Map<string, number>[],
    readonly weights: number[],
  ) {}
  clone(): StateData {
    return this;
  }
}

export function preScore(handle: Handle, state: CycleState, pod: PodInfo, filtered: NodeInfo[]): MaybeStatus {
  const all = handle.snapshot.nodeInfos();
  if (all.length === 0) return Status.skip();
  const specs = pod.pod.spec.topologySpreadConstraints ?? [];
  let constraints: Constraint[];
  if (specs.length) constraints = constraintsFor(specs, pod, 'ScheduleAnyway');
  else {
    const sel = handle.defaultSpreadSelector(pod);
    constraints = sel && sel.requirements.length ? constraintsFor(SYSTEM_DEFAULT_CONSTRAINTS, pod, 'ScheduleAnyway', sel) : [];
  }
  if (constraints.length === 0) return Status.skip();
  // Nodes missing a topology key are ignored, except under the system defaults (so nodes without
  // a zone label still get hostname spreading).
  const requireAll = specs.length > 0;
  const ignored = new Set<string>();
  const counts = constraints.map(() => new Map<string, number>());
  const sizes = constraints.map(() => 0);
  for (const n of filtered) {
    if (requireAll && !nodeHasAllKeys(n.labels, constraints)) {
      ignored.add(n.name);
      continue;
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey === LABEL_HOSTNAME) return;
      const v = n.labels[c.topologyKey];
      if (!counts[i].has(v)) {
        counts[i].set(v, 0);
        sizes[i]++;
      }
    });
  }
  const weights = constraints.map((c, i) => Math.log((c.topologyKey === LABEL_HOSTNAME ? filtered.length - ignored.size : sizes[i]) + 2));
  const required = new RequiredNodeAffinity(pod.pod.spec);
  for (const n of all) {
    if (requireAll && !nodeHasAllKeys(n.labels, constraints)) continue;
    constraints.forEach((c, i) => {
      if (!nodeIncluded(c, pod, n, required)) return;
      const v = n.labels[c.topologyKey];
      const cur = counts[i].get(v);
      if (cur === undefined) return;
      counts[i].set(v, cur + countMatching(n.pods, c.selector, pod.namespace));
    });
  }
  state.write(KEY, new PreScoreState(constraints, ignored, counts, weights));
  return undefined;
}

export function score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
  const s = state.read<PreScoreState>(KEY);
  if (!s || s.ignored.has(node.name)) return 0;
  let total = 0;
  s.constraints.forEach((c, i) => {
    const v = node.labels[c.topologyKey];
    if (v === undefined) return;
    const cnt = c.topologyKey === LABEL_HOSTNAME ? countMatching(node.pods, c.selector, pod.namespace) : s.counts[i].get(v) ?? 0;
    total += cnt * s.weights[i] + (c.maxSkew - 1);
  });
  return Math.round(total);
}

export function normalizeScore(state: CycleState, _pod: PodInfo, scores: NodeScore[]): MaybeStatus {
  const s = state.read<PreScoreState>(KEY);
  if (!s) return undefined;
  let min = Number.MAX_SAFE_INTEGER;
  let max = 0;
  for (const sc of scores) {
    if (s.ignored.has(sc.name)) continue;
    if (sc.score < min) min = sc.score;
    if (sc.score > max) max = sc.score;
  }
  for (const sc of scores) {
    if (s.ignored.has(sc.name)) sc.score = 0;
    else if (max === 0) sc.score = MAX_NODE_SCORE;
    else sc.score = Math.trunc((MAX_NODE_SCORE * (max + min - sc.score)) / max);
  }
  return undefined;
}
