// NodeAffinity (nodeaffinity/node_affinity.go): Filter on spec.nodeSelector and required node
// affinity; Score sums the weights of the matching preferred terms, normalized to 0..100.
import type { NodeSelectorTerm } from '../../framework/api.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { AnyPlugin, NodeScore } from '../../framework/interfaces.js';
import { defaultNormalizeScore } from '../../framework/normalize.js';
import { RequiredNodeAffinity, termMatches } from '../../framework/node-affinity.js';
import { Status } from '../../framework/status.js';

export const NAME = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
const PRE_FILTER_KEY = `PreFilter${NAME}`;
const NOT_MATCH = Status.unresolvable(ERR_REASON_POD);
const PRE_SCORE_KEY = `PreScore${NAME}`;

class PreFilterState implements StateData {
  constructor(readonly required: RequiredNodeAffinity) {}
  clone(): StateData {
    return this;
  }
}

class PreScoreState implements StateData {
  constructor(readonly preferred: { weight: number; preference: NodeSelectorTerm }[]) {}
  clone(): StateData {
    return this;
  }
}

export function newNodeAffinity(): AnyPlugin {
  return {
    name: NAME,
    preFilter(state: CycleState, pod) {
      const required = new RequiredNodeAffinity(pod.pod.spec);
      if (required.isEmpty()) return Status.skip();
      state.write(PRE_FILTER_KEY, new PreFilterState(required));
      return undefined;
    },
    filter(state: CycleState, pod, node) {
      const s = state.read<PreFilterState>(PRE_FILTER_KEY);
      const required = s?.required ?? new RequiredNodeAffinity(pod.pod.spec);
      if (required.matches(node.labels, node.name)) return undefined;
      return NOT_MATCH;
    },
    preScore(state: CycleState, pod) {
      const preferred = pod.pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
      if (preferred.length === 0) return Status.skip();
      state.write(PRE_SCORE_KEY, new PreScoreState(preferred));
      return undefined;
    },
    score(state: CycleState, _pod, node) {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      let total = 0;
      for (const t of s?.preferred ?? []) if (t.weight !== 0 && termMatches(t.preference, node.labels, node.name)) total += t.weight;
      return total;
    },
    normalizeScore(_state, _pod, scores: NodeScore[]) {
      defaultNormalizeScore(scores, false);
      return undefined;
    },
  };
}
