// Field and label selectors for list and watch requests: parsing, per-resource field sets, matching.
import { badRequest } from '../../api/status.js';
import { FieldSelectorError, matchesFieldSelector, parseFieldSelector } from './fields.js';
import type { FieldRequirement } from './fields.js';
import { LabelSelectorError, matchesLabels, parseLabelSelector } from './labels.js';
import type { LabelSelector } from './labels.js';
import { hasCustomFieldLabels, supportedFieldLabels } from './selectable.js';

export { parseFieldSelector, matchesFieldSelector, fieldSelectorString, FieldSelectorError } from './fields.js';
export type { FieldRequirement } from './fields.js';
export { parseLabelSelector, matchesLabels, labelSelectorString, LabelSelectorError } from './labels.js';
export type { LabelSelector, Requirement } from './labels.js';
export { fieldSelectorFields, supportedFieldLabels, hasCustomFieldLabels } from './selectable.js';

/**
 * The error upstream's field label conversion gives for a field the resource cannot be selected
 * by, or undefined when every field is supported.
 */
export function unsupportedFieldLabel(group: string, resource: string, reqs: FieldRequirement[]): string | undefined {
  const supported = supportedFieldLabels(group, resource);
  for (const r of reqs) {
    if (supported.includes(r.field)) continue;
    if (hasCustomFieldLabels(group, resource)) return `field label not supported: ${r.field}`;
    // runtime.DefaultMetaV1FieldSelectorConversion
    return `${JSON.stringify(r.field)} is not a known field selector: only "metadata.name", "metadata.namespace"`;
  }
  return undefined;
}

/** Parses a fieldSelector query parameter; a syntax error is the 400 ApiError with the parser's message. */
export function parseFieldSelectorParam(s: string): FieldRequirement[] {
  try {
    return parseFieldSelector(s);
  } catch (e) {
    if (e instanceof FieldSelectorError) throw badRequest(e.message);
    throw e;
  }
}

/** Parses a fieldSelector query parameter for a resource; throws the 400 ApiError upstream sends. */
export function fieldSelectorFor(group: string, resource: string, s: string): FieldRequirement[] {
  const reqs = parseFieldSelectorParam(s);
  const unsupported = unsupportedFieldLabel(group, resource, reqs);
  if (unsupported) throw badRequest(unsupported);
  return reqs;
}

/** Parses a labelSelector query parameter; throws a 400 ApiError with the parser's message. */
export function labelSelectorFor(s: string): LabelSelector {
  try {
    return parseLabelSelector(s);
  } catch (e) {
    if (e instanceof LabelSelectorError) throw badRequest(e.message);
    throw e;
  }
}

/** Both selectors of a list/watch request against one object's labels and field set. */
export function matchesSelectors(label: LabelSelector | undefined, fields: FieldRequirement[] | undefined, objLabels: Record<string, string> | undefined, objFields: Record<string, string>): boolean {
  if (fields && !matchesFieldSelector(fields, objFields)) return false;
  if (label) return matchesLabels(label, objLabels);
  return true;
}
