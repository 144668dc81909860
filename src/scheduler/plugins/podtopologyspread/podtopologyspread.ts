// PodTopologySpread: spreads pods over topology domains (hard DoNotSchedule, soft ScheduleAnyway).
import type { AnyPlugin, Handle } from '../../framework/interfaces.js';
import { addPod, filter, NAME, preFilter, removePod } from './filtering.js';
import { normalizeScore, preScore, score } from './scoring.js';

export { NAME, ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH } from './filtering.js';

export function newPodTopologySpread(_args: Record<string, unknown> | undefined, handle: Handle): AnyPlugin {
  return {
    name: NAME,
    preFilter: (state, pod, nodes) => preFilter(handle, state, pod, nodes),
    addPod,
    removePod,
    filter,
    preScore: (state, pod, nodes) => preScore(handle, state, pod, nodes),
    score,
    normalizeScore,
  };
}
