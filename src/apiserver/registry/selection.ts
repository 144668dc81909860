// Which objects a list or watch returns: namespace scope plus label and field selectors.
import { badRequest } from '../../api/status.js';
import { fieldSelectorFields, fieldSelectorFor, labelSelectorFor, matchesSelectors, parseFieldSelectorParam } from '../fieldselectors/index.js';
import type { FieldRequirement } from '../fieldselectors/index.js';
import type { ResourceDef } from '../schema/types.js';
import type { ApiObject, ListOptions } from './types.js';

export interface Selection {
  /** True when no selector narrows the result (remainingItemCount is then exact). */
  everything: boolean;
  matches(obj: Readonly<ApiObject>): boolean;
}

/** A custom resource's field selector support: the labels its version allows and each object's values. */
export interface CustomFieldSelectors {
  labels: string[];
  fields(obj: Readonly<ApiObject>): Record<string, string>;
}

/** The field selector of a custom resource: metadata.name/namespace and the version's selectableFields. */
function customFieldSelector(custom: CustomFieldSelectors, s: string): FieldRequirement[] {
  const reqs = parseFieldSelectorParam(s);
  // The CR converter's ConvertFieldLabel.
  for (const r of reqs) if (!custom.labels.includes(r.field)) throw badRequest(`field label not supported: ${r.field}`);
  return reqs;
}

export function selectionFor(res: ResourceDef, opts: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>, custom?: CustomFieldSelectors): Selection {
  const label = opts.labelSelector ? labelSelectorFor(opts.labelSelector) : undefined;
  const fields = opts.fieldSelector ? (custom ? customFieldSelector(custom, opts.fieldSelector) : fieldSelectorFor(res.group, res.resource, opts.fieldSelector)) : undefined;
  const labelActive = label !== undefined && (label.nothing === true || label.requirements.length > 0);
  const fieldsActive = fields !== undefined && fields.length > 0;
  if (!labelActive && !fieldsActive) return { everything: true, matches: () => true };
  return {
    everything: false,
    matches: (obj) => {
      const meta = (obj.metadata ?? {}) as { labels?: Record<string, string> };
      const objFields = !fieldsActive ? {} : custom ? custom.fields(obj) : fieldSelectorFields(res.group, res.resource, obj as ApiObject);
      return matchesSelectors(labelActive ? label : undefined, fieldsActive ? fields : undefined, meta.labels, objFields);
    },
  };
}
