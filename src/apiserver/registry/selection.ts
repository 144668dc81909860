// Which objects a list or watch returns: namespace scope plus label and field selectors.
import { fieldSelectorFields, fieldSelectorFor, labelSelectorFor, matchesSelectors } from '../fieldselectors/index.js';
import type { ResourceDef } from '../schema/types.js';
import type { ApiObject, ListOptions } from './types.js';

export interface Selection {
  /** True when no selector narrows the result (remainingItemCount is then exact). */
  everything: boolean;
  matches(obj: Readonly<ApiObject>): boolean;
}

export function selectionFor(res: ResourceDef, opts: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>): Selection {
  const label = opts.labelSelector ? labelSelectorFor(opts.labelSelector) : undefined;
  const fields = opts.fieldSelector ? fieldSelectorFor(res.group, res.resource, opts.fieldSelector) : undefined;
  const labelActive = label !== undefined && (label.nothing === true || label.requirements.length > 0);
  const fieldsActive = fields !== undefined && fields.length > 0;
  if (!labelActive && !fieldsActive) return { everything: true, matches: () => true };
  return {
    everything: false,
    matches: (obj) => {
      const meta = (obj.metadata ?? {}) as { labels?: Record<string, string> };
      const objFields = fieldsActive ? fieldSelectorFields(res.group, res.resource, obj as ApiObject) : {};
      return matchesSelectors(labelActive ? label : undefined, fieldsActive ? fields : undefined, meta.labels, objFields);
    },
  };
}
