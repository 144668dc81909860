// Label selectors for plugins (which import only the framework): util's implementation.
export { labelSelectorFromObject, matchesLabels, newRequirement } from '../../util/label-selector.js';
export type { LabelSelector } from '../../util/label-selector.js';
