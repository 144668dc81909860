// Validation of list and watch options (apiserver/pkg/apis/meta/internalversion/validation),
// reported like upstream: 422 `ListOptions.meta.k8s.io "" is invalid: ...`.
import { badRequest, invalid } from '../../api/status.js';
import { toStatusCauses } from '../../api/field-errors.js';
import type { FieldError } from '../../api/field-errors.js';
import type { ListOptions, WatchOptions } from './types.js';

function listOptionsInvalid(errs: FieldError[]) {
  return invalid('meta.k8s.io', 'ListOptions', '', toStatusCauses(errs));
}

export function validateListOptions(opts: ListOptions): void {
  const errs: FieldError[] = [];
  const match = opts.resourceVersionMatch;
  if (match) {
    if (!opts.resourceVersion) errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden unless resourceVersion is provided' });
    if (opts.continue) errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden when continue is provided' });
    if (match !== 'Exact' && match !== 'NotOlderThan') errs.push({ type: 'FieldValueNotSupported', field: 'resourceVersionMatch', badValue: match, detail: 'supported values: "Exact", "NotOlderThan", ""' });
    if (match === 'Exact' && opts.resourceVersion === '0') errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"' });
  }
  if ('sendInitialEvents' in opts && (opts as WatchOptions).sendInitialEvents !== undefined) {
    errs.push({ type: 'FieldValueForbidden', field: 'sendInitialEvents', detail: 'sendInitialEvents is forbidden for list' });
  }
  if (errs.length) throw listOptionsInvalid(errs);
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit < 0)) throw badRequest(`invalid limit: ${opts.limit}`);
}

export function validateWatchOptions(opts: WatchOptions): void {
  const errs: FieldError[] = [];
  const match = opts.resourceVersionMatch;
  if (opts.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
    errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan' });
  }
  if (match) {
    if (opts.sendInitialEvents === undefined) errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided' });
    if (match !== 'NotOlderThan') errs.push({ type: 'FieldValueNotSupported', field: 'resourceVersionMatch', badValue: match, detail: 'supported values: "NotOlderThan"' });
  }
  if (errs.length) throw listOptionsInvalid(errs);
}

/** A resourceVersion parameter as a revision: '' and undefined give undefined. */
export function parseResourceVersion(rv: string | undefined): number | undefined {
  if (rv === undefined || rv === '') return undefined;
  if (!/^[0-9]+$/.test(rv)) throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  const n = Number(rv);
  if (!Number.isSafeInteger(n)) throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  return n;
}
