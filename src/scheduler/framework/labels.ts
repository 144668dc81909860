// Label selectors for plugins (which import only the framework): util's implementation, plus a
// compiled form for the hot loops that match one selector against thousands of pods.
import { matchesLabels } from '../../util/label-selector.js';
import type { LabelSelector } from '../../util/label-selector.js';

export { labelSelectorFromObject, matchesLabels, newRequirement } from '../../util/label-selector.js';
export type { LabelSelector } from '../../util/label-selector.js';

export type LabelMatcher = (labels: Record<string, string>) => boolean;

const compiled = new WeakMap<LabelSelector, LabelMatcher>();

/**
 * The selector as a function, made once per selector object. Equality requirements (matchLabels)
 * get a closure-free loop; anything else falls back to util's matcher.
 */
export function compileSelector(sel: LabelSelector): LabelMatcher {
  let fn = compiled.get(sel);
  if (fn) return fn;
  if (sel.nothing) fn = () => false;
  else if (sel.requirements.every((r) => (r.operator === 'Equals' || r.operator === 'DoubleEquals' || r.operator === 'In') && r.values.length === 1)) {
    const keys = sel.requirements.map((r) => r.key);
    const values = sel.requirements.map((r) => r.values[0]);
    const n = keys.length;
    fn = (labels) => {
      for (let i = 0; i < n; i++) if (labels[keys[i]] !== values[i] || !Object.prototype.hasOwnProperty.call(labels, keys[i])) return false;
      return true;
    };
  } else fn = (labels) => matchesLabels(sel, labels);
  compiled.set(sel, fn);
  return fn;
}
