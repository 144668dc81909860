// TaintToleration (tainttoleration/taint_toleration.go): Filter rejects nodes with an untolerated
// NoSchedule/NoExecute taint; Score counts untolerated PreferNoSchedule taints, fewer is better.
import type { Toleration } from '../../framework/api.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { AnyPlugin, NodeScore } from '../../framework/interfaces.js';
import { defaultNormalizeScore } from '../../framework/normalize.js';
import { Status } from '../../framework/status.js';
import { doNotScheduleTaint, findUntoleratedTaint, tolerationsTolerateTaint } from '../../framework/taints.js';

export const NAME = 'TaintToleration';
const PRE_SCORE_KEY = `PreScore${NAME}`;

class PreScoreState implements StateData {
  constructor(readonly tolerations: Toleration[]) {}
  clone(): StateData {
    return this;
  }
}

export function newTaintToleration(): AnyPlugin {
  return {
    name: NAME,
    filter(_state, pod, node) {
      const taint = findUntoleratedTaint(node.taints, pod.tolerations, doNotScheduleTaint);
      if (!taint) return undefined;
      return Status.unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
    },
    preScore(state: CycleState, pod) {
      // Only tolerations with an empty or PreferNoSchedule effect count (getAllTolerationPreferNoSchedule).
      state.write(PRE_SCORE_KEY, new PreScoreState(pod.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule')));
      return undefined;
    },
    score(state: CycleState, _pod, node) {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      const tolerations = s?.tolerations ?? [];
      let count = 0;
      for (const taint of node.taints) if (taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, taint)) count++;
      return count;
    },
    normalizeScore(_state, _pod, scores: NodeScore[]) {
      defaultNormalizeScore(scores, true);
      return undefined;
    },
  };
}
