// PodTopologySpread's PreFilter and Filter for DoNotSchedule constraints (podtopologyspread/filtering.go):
// skew = matching pods in the node's domain + 1 if the pod matches itself - global minimum; it
// must not exceed maxSkew. With fewer eligible domains than minDomains the minimum counts as 0.
import { matchesLabels } from '../../framework/labels.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { Handle } from '../../framework/interfaces.js';
import type { Snapshot } from '../../framework/snapshot.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { RequiredNodeAffinity } from '../../framework/node-affinity.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status } from '../../framework/status.js';
import type { MaybeStatus } from '../../framework/status.js';
import { constraintsFor, countMatching, nodeHasAllKeys, nodeIncluded } from './constraints.js';
import type { Constraint } from './constraints.js';

export const NAME = 'PodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;
const KEY = `PreFilter${NAME}`;
// Statuses never change once made: one each, not one per rejected node.
const CONSTRAINTS_NOT_MATCH = Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
const NODE_LABEL_NOT_MATCH = Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);

/** The two domains with the fewest matching pods (criticalPaths). */
class CriticalPaths {
  v0 = '';
  n0 = Number.MAX_SAFE_INTEGER;
  v1 = '';
  n1 = Number.MAX_SAFE_INTEGER;

  update(value: string, num: number): void {
    if (value === this.v0 || value === this.v1) {
      if (value === this.v0) this.n0 = num;
      else this.n1 = num;
      if (this.n0 > this.n1) [this.v0, this.n0, this.v1, this.n1] = [this.v1, this.n1, this.v0, this.n0];
    } else if (num < this.n0) {
      [this.v1, this.n1] = [this.v0, this.n0];
      [this.v0, this.n0] = [value, num];
    } else if (num < this.n1) {
      [this.v1, this.n1] = [value, num];
    }
  }

  clone(): CriticalPaths {
    return Object.assign(new CriticalPaths(), this);
  }
}

class PreFilterState implements StateData {
  constructor(
    readonly constraints: Constraint[],
    readonly matchNum: Map<string, number>[],
    readonly paths: CriticalPaths[],
    readonly required: RequiredNodeAffinity,
    /** Per constraint: 1 when the pod matches its own selector. */
    readonly selfMatch: number[],
  ) {}

  clone(): StateData {
    return new PreFilterState(this.constraints, this.matchNum.map((m) => new Map(m)), this.paths.map((p) => p.clone()), this.required, this.selfMatch);
  }

  minMatchNum(i: number): number {
    return this.matchNum[i].size < this.constraints[i].minDomains ? 0 : this.paths[i].n0;
  }
}

export function preFilter(handle: Handle, state: CycleState, pod: PodInfo, nodes: NodeInfo[]): MaybeStatus {
  const specs = pod.pod.spec.topologySpreadConstraints ?? [];
  // Hard constraints come only from the pod: the cluster defaults are all ScheduleAnyway.
  const constraints = specs.length ? constraintsFor(specs, pod, 'DoNotSchedule') : [];
  if (constraints.length === 0) return Status.skip();
  const required = new RequiredNodeAffinity(pod.pod.spec);
  const matchNum = constraints.map(() => new Map<string, number>());
  const keys = constraints.map((c) => c.topologyKey);
  const n = constraints.length;
  if (n === 1 && nodes === handle.snapshot.nodeInfos()) {
    const c = constraints[0];
    const check = !required.isEmpty() || c.nodeTaintsPolicy === 'Honor';
    if (check) countByDomain(handle.snapshot, c, pod, required, matchNum[0]);
    else matchNum[0] = memoizedCounts(handle.snapshot, c, pod.namespace);
  } else {
    preFilterNodes(constraints, keys, matchNum, pod, nodes, required);
  }
  const paths = matchNum.map((m) => {
    const p = new CriticalPaths();
    for (const [v, num] of m) p.update(v, num);
    return p;
  });
  const selfMatch = constraints.map((c) => (matchesLabels(c.selector, pod.labels) ? 1 : 0));
  state.write(KEY, new PreFilterState(constraints, matchNum, paths, required, selfMatch));
  return undefined;
}

/** One constraint over the whole snapshot: the snapshot's domain groups, no per-node map work. */
function countByDomain(snapshot: Snapshot, c: Constraint, pod: PodInfo, required: RequiredNodeAffinity, m: Map<string, number>): void {
  for (const [value, group] of snapshot.nodesByLabelValue(c.topologyKey)) {
    let sum = 0;
    let counted = false;
    for (let j = 0; j < group.length; j++) {
      const node = group[j];
      if (!nodeIncluded(c, pod, node, required)) continue;
      counted = true;
      if (node.pods.length) sum += countMatching(node.pods, c.selector, pod.namespace);
    }
    if (counted) m.set(value, sum);
  }
}

/** Matching pods per domain and per node for one (namespace, key, selector), kept between cycles. */
interface Tally {
  podVersion: number;
  topologyVersion: number;
  domains: Map<string, number>;
  perNode: Map<string, number>;
}

const tallies = new WeakMap<Snapshot, Map<string, Tally>>();
const MAX_TALLIES = 64;

/**
 * The domain counts of a constraint that every node takes part in (no inclusion policy filters
 * nodes). Consecutive pods of one workload share the tally: only nodes whose pods changed since
 * the last cycle are recounted, so the cost is not a walk over every node per pod. A copy is
 * returned, as preemption's dry runs change it.
 */
function memoizedCounts(snapshot: Snapshot, c: Constraint, ns: string): Map<string, number> {
  let bySig = tallies.get(snapshot);
  if (!bySig) tallies.set(snapshot, (bySig = new Map()));
  const sig = `${ns}\0${c.topologyKey}\0${JSON.stringify(c.selector)}`;
  let t = bySig.get(sig);
  const changes = t && t.topologyVersion === snapshot.topologyVersion ? snapshot.podChangesSince(t.podVersion) : undefined;
  if (t && changes) {
    for (const name of new Set(changes)) {
      const node = snapshot.get(name);
      const value = node?.labels[c.topologyKey];
      const before = t.perNode.get(name);
      if (node === undefined || value === undefined || before === undefined) continue;
      const now = node.pods.length ? countMatching(node.pods, c.selector, ns) : 0;
      if (now !== before) {
        t.perNode.set(name, now);
        t.domains.set(value, (t.domains.get(value) ?? 0) + now - before);
      }
    }
    t.podVersion = snapshot.podVersion;
  } else {
    t = { podVersion: snapshot.podVersion, topologyVersion: snapshot.topologyVersion, domains: new Map(), perNode: new Map() };
    for (const [value, group] of snapshot.nodesByLabelValue(c.topologyKey)) {
      let sum = 0;
      for (let j = 0; j < group.length; j++) {
        const node = group[j];
        const count = node.pods.length ? countMatching(node.pods, c.selector, ns) : 0;
        t.perNode.set(node.name, count);
        sum += count;
      }
      t.domains.set(value, sum);
    }
    if (bySig.size >= MAX_TALLIES) bySig.clear();
    bySig.set(sig, t);
  }
  return new Map(t.domains);
}

/** The general case: one pass over the given nodes. */
function preFilterNodes(constraints: Constraint[], keys: string[], matchNum: Map<string, number>[], pod: PodInfo, nodes: NodeInfo[], required: RequiredNodeAffinity): void {
  const n = constraints.length;
  nodes: for (const node of nodes) {
    const labels = node.labels;
    for (let i = 0; i < n; i++) if (labels[keys[i]] === undefined) continue nodes;
    for (let i = 0; i < n; i++) {
      const c = constraints[i];
      if (!nodeIncluded(c, pod, node, required)) continue;
      const v = labels[keys[i]];
      const count = node.pods.length === 0 ? 0 : countMatching(node.pods, c.selector, pod.namespace);
      const m = matchNum[i];
      m.set(v, (m.get(v) ?? 0) + count);
    }
  }
}

function updateWithPod(state: CycleState, pod: PodInfo, other: PodInfo, node: NodeInfo, delta: number): MaybeStatus {
  const s = state.read<PreFilterState>(KEY);
  if (!s || other.namespace !== pod.namespace || !nodeHasAllKeys(node.labels, s.constraints)) return undefined;
  s.constraints.forEach((c, i) => {
    if (!matchesLabels(c.selector, other.labels) || !nodeIncluded(c, pod, node, s.required)) return;
    const v = node.labels[c.topologyKey];
    const n = (s.matchNum[i].get(v) ?? 0) + delta;
    s.matchNum[i].set(v, n);
    s.paths[i].update(v, n);
  });
  return undefined;
}

export const addPod = (state: CycleState, pod: PodInfo, toAdd: PodInfo, node: NodeInfo) => updateWithPod(state, pod, toAdd, node, 1);
export const removePod = (state: CycleState, pod: PodInfo, toRemove: PodInfo, node: NodeInfo) => updateWithPod(state, pod, toRemove, node, -1);

export function filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
  const s = state.read<PreFilterState>(KEY);
  if (!s) return undefined;
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i];
    const value = node.labels[c.topologyKey];
    if (value === undefined) return NODE_LABEL_NOT_MATCH;
    const skew = (s.matchNum[i].get(value) ?? 0) + s.selfMatch[i] - s.minMatchNum(i);
    if (skew > c.maxSkew) return CONSTRAINTS_NOT_MATCH;
  }
  return undefined;
}
