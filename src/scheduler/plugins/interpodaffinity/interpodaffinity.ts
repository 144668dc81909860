// InterPodAffinity (interpodaffinity/filtering.go, scoring.go): required pod affinity and
// anti-affinity of the incoming pod, the required anti-affinity of existing pods (symmetry), and
// preferred terms of both sides for scoring.
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { AnyPlugin, Handle, NodeScore } from '../../framework/interfaces.js';
import { MAX_NODE_SCORE } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { equalityLabel } from '../../framework/snapshot.js';
import type { AffinityTerm, PodInfo } from '../../framework/pod-info.js';
import { Status } from '../../framework/status.js';
import type { MaybeStatus } from '../../framework/status.js';

export const NAME = 'InterPodAffinity';
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
const PRE_FILTER_KEY = `PreFilter${NAME}`;
const PRE_SCORE_KEY = `PreScore${NAME}`;
/** InterPodAffinityArgs.hardPodAffinityWeight default. */
const DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;

/** Counts per topology pair "key\0value". */
type Counts = Map<string, number>;
const pair = (key: string, value: string) => `${key}\0${value}`;

function bump(m: Counts, k: string, d: number): void {
  const n = (m.get(k) ?? 0) + d;
  if (n === 0) m.delete(k);
  else m.set(k, n);
}

class PreFilterState implements StateData {
  constructor(
    readonly existingAntiAffinity: Counts,
    readonly affinity: Counts,
    readonly antiAffinity: Counts,
  ) {}
  clone(): StateData {
    return new PreFilterState(new Map(this.existingAntiAffinity), new Map(this.affinity), new Map(this.antiAffinity));
  }
}

class PreScoreState implements StateData {
  constructor(readonly scores: Map<string, Map<string, number>>) {}
  clone(): StateData {
    return this;
  }
}

export function newInterPodAffinity(args: Record<string, unknown> | undefined, handle: Handle): AnyPlugin {
  const hardWeight = typeof args?.hardPodAffinityWeight === 'number' ? args.hardPodAffinityWeight : DEFAULT_HARD_POD_AFFINITY_WEIGHT;
  const nsLabels = (ns: string) => handle.namespaceLabels(ns);
  /** term.Matches with the namespace labels of the candidate pod's namespace. */
  const matches = (t: AffinityTerm, p: PodInfo) => {
    if (t.namespaces.has(p.namespace)) return t.matchLabels(p.labels);
    return t.nsSelector !== undefined && t.matches(p, nsLabels(p.namespace));
  };
  const matchesAll = (terms: AffinityTerm[], p: PodInfo) => terms.every((t) => matches(t, p));

  /** Adds the pairs of `node` for the anti-affinity terms that match `p`. */
  const antiTerms = (m: Counts, terms: AffinityTerm[], p: PodInfo, node: NodeInfo, d: number) => {
    for (const t of terms) {
      const v = node.labels[t.topologyKey];
      if (v !== undefined && matches(t, p)) bump(m, pair(t.topologyKey, v), d);
    }
  };
  /** Adds the pairs of `node` for every affinity term when `p` matches them all. */
  const affinityTerms = (m: Counts, terms: AffinityTerm[], p: PodInfo, node: NodeInfo, d: number) => {
    if (!matchesAll(terms, p)) return;
    for (const t of terms) {
      const v = node.labels[t.topologyKey];
      if (v !== undefined) bump(m, pair(t.topologyKey, v), d);
    }
  };

  const updateWithPod = (state: CycleState, pod: PodInfo, other: PodInfo, node: NodeInfo, d: number): MaybeStatus => {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return undefined;
    antiTerms(s.existingAntiAffinity, other.requiredAntiAffinityTerms, pod, node, d);
    if (pod.requiredAffinityTerms.length) affinityTerms(s.affinity, pod.requiredAffinityTerms, other, node, d);
    antiTerms(s.antiAffinity, pod.requiredAntiAffinityTerms, other, node, d);
    return undefined;
  };

  return {
    name: NAME,
    preFilter(state: CycleState, pod: PodInfo, nodes: NodeInfo[]) {
      if (pod.parseError) return Status.error(pod.parseError);
      const snapshot = handle.snapshot;
      const whole = nodes === snapshot.nodeInfos();
      const existingAnti: Counts = new Map();
      if (whole) {
        // Only pods whose anti-affinity could name this pod's labels (the snapshot's index).
        for (const existing of snapshot.antiAffinityCandidates(pod.labels)) {
          const node = snapshot.nodeInfoOfPod(existing.key);
          if (node) antiTerms(existingAnti, existing.requiredAntiAffinityTerms, pod, node, 1);
        }
      } else {
        for (const node of snapshot.havePodsWithRequiredAntiAffinity()) {
          for (const existing of node.podsWithRequiredAntiAffinity) antiTerms(existingAnti, existing.requiredAntiAffinityTerms, pod, node, 1);
        }
      }
      const affinity: Counts = new Map();
      const anti: Counts = new Map();
      const aff = pod.requiredAffinityTerms;
      const antiT = pod.requiredAntiAffinityTerms;
      if (aff.length === 0 && antiT.length === 0 && existingAnti.size === 0) return Status.skip();
      // Existing pods a term can match: those with the term's first demanded label, when it has one.
      const candidates = (t: AffinityTerm): Iterable<PodInfo> | undefined => {
        const label = whole ? equalityLabel(t.selector) : undefined;
        if (label === undefined) return undefined;
        const i = label.indexOf('=');
        return snapshot.podsWithLabel(label.slice(0, i), label.slice(i + 1)) ?? [];
      };
      const walkAll = (fn: (existing: PodInfo, node: NodeInfo) => void) => {
        for (const node of nodes) for (const existing of node.pods) fn(existing, node);
      };
      const walk = (pods: Iterable<PodInfo> | undefined, fn: (existing: PodInfo, node: NodeInfo) => void) => {
        if (pods === undefined) return walkAll(fn);
        for (const existing of pods) {
          const node = snapshot.nodeInfoOfPod(existing.key);
          if (node) fn(existing, node);
        }
      };
      if (aff.length) walk(candidates(aff[0]), (existing, node) => affinityTerms(affinity, aff, existing, node, 1));
      for (const t of antiT) walk(candidates(t), (existing, node) => antiTerms(anti, [t], existing, node, 1));
      state.write(PRE_FILTER_KEY, new PreFilterState(existingAnti, affinity, anti));
      return undefined;
    },
    addPod: (state, pod, toAdd, node) => updateWithPod(state, pod, toAdd, node, 1),
    removePod: (state, pod, toRemove, node) => updateWithPod(state, pod, toRemove, node, -1),
    filter(state: CycleState, pod: PodInfo, node: NodeInfo) {
      const s = state.read<PreFilterState>(PRE_FILTER_KEY);
      if (!s) return undefined;
      // satisfyPodAffinity: every term's topology label on the node, with matching pods in its domain.
      let podsExist = true;
      for (const t of pod.requiredAffinityTerms) {
        const v = node.labels[t.topologyKey];
        if (v === undefined) return Status.unresolvable(ERR_REASON_AFFINITY);
        if ((s.affinity.get(pair(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
      }
      // The first pod of a group with affinity to itself may go anywhere no other pod matches.
      if (!podsExist && !(s.affinity.size === 0 && matchesAll(pod.requiredAffinityTerms, pod))) return Status.unresolvable(ERR_REASON_AFFINITY);
      for (const t of pod.requiredAntiAffinityTerms) {
        const v = node.labels[t.topologyKey];
        if (v !== undefined && (s.antiAffinity.get(pair(t.topologyKey, v)) ?? 0) > 0) return Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
      }
      if (s.existingAntiAffinity.size) {
        for (const [k, v] of Object.entries(node.labels)) {
          if ((s.existingAntiAffinity.get(pair(k, v)) ?? 0) > 0) return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
        }
      }
      return undefined;
    },
    preScore(state: CycleState, pod: PodInfo) {
      const hasPreferred = pod.preferredAffinityTerms.length + pod.preferredAntiAffinityTerms.length > 0;
      const nodes = hasPreferred ? handle.snapshot.nodeInfos() : handle.snapshot.havePodsWithAffinity();
      if (nodes.length === 0) return Status.skip();
      const scores = new Map<string, Map<string, number>>();
      const add = (t: AffinityTerm, weight: number, p: PodInfo, node: NodeInfo) => {
        const v = node.labels[t.topologyKey];
        if (v === undefined || !matches(t, p)) return;
        let m = scores.get(t.topologyKey);
        if (!m) scores.set(t.topologyKey, (m = new Map()));
        m.set(v, (m.get(v) ?? 0) + weight);
      };
      for (const node of nodes) {
        if (Object.keys(node.labels).length === 0) continue;
        for (const existing of hasPreferred ? node.pods : node.podsWithAffinity) {
          for (const t of pod.preferredAffinityTerms) add(t, t.weight, existing, node);
          for (const t of pod.preferredAntiAffinityTerms) add(t, -t.weight, existing, node);
          if (hardWeight > 0) for (const t of existing.requiredAffinityTerms) add(t, hardWeight, pod, node);
          for (const t of existing.preferredAffinityTerms) add(t, t.weight, pod, node);
          for (const t of existing.preferredAntiAffinityTerms) add(t, -t.weight, pod, node);
        }
      }
      if (scores.size === 0) return Status.skip();
      state.write(PRE_SCORE_KEY, new PreScoreState(scores));
      return undefined;
    },
    score(state: CycleState, _pod: PodInfo, node: NodeInfo) {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      if (!s) return 0;
      let total = 0;
      for (const [key, m] of s.scores) {
        const v = node.labels[key];
        if (v !== undefined) total += m.get(v) ?? 0;
      }
      return total;
    },
    normalizeScore(state: CycleState, _pod: PodInfo, scores: NodeScore[]) {
      if (!state.read<PreScoreState>(PRE_SCORE_KEY)) return undefined;
      let min = Infinity;
      let max = -Infinity;
      for (const s of scores) {
        if (s.score < min) min = s.score;
        if (s.score > max) max = s.score;
      }
      const diff = max - min;
      for (const s of scores) s.score = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (s.score - min)) / diff) : 0;
      return undefined;
    },
  };
}
