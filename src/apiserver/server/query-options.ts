// Request options from the query string, validated like upstream's parameter codec and
// apimachinery/pkg/apis/meta/v1/validation (ValidateCreateOptions, ValidatePatchOptions, ...).
import { badRequest, invalid } from '../../api/status.js';
import { toStatusCauses, type FieldError } from '../../api/field-errors.js';

function single(query: URLSearchParams, name: string): string | undefined {
  const v = query.get(name);
  return v === null ? undefined : v;
}

function parseIntParam(query: URLSearchParams, name: string): number | undefined {
  const v = single(query, name);
  if (v === undefined || v === '') return undefined;
  if (!/^-?[0-9]+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

function parseBoolParam(query: URLSearchParams, name: string): boolean | undefined {
  const v = single(query, name);
  if (v === undefined || v === '') return undefined;
  // Go's strconv.ParseBool
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

export function listQuery(query: URLSearchParams): ListQuery {
  const out: ListQuery = {};
  const str = (k: 'labelSelector' | 'fieldSelector' | 'continue' | 'resourceVersion') => {
    const v = single(query, k);
    if (v !== undefined && v !== '') out[k] = v;
  };
  str('labelSelector');
  str('fieldSelector');
  str('continue');
  str('resourceVersion');
  const match = single(query, 'resourceVersionMatch');
  if (match) out.resourceVersionMatch = match as ListQuery['resourceVersionMatch'];
  const limit = parseIntParam(query, 'limit');
  if (limit !== undefined && limit > 0) out.limit = limit;
  const bookmarks = parseBoolParam(query, 'allowWatchBookmarks');
  if (bookmarks !== undefined) out.allowWatchBookmarks = bookmarks;
  const initial = parseBoolParam(query, 'sendInitialEvents');
  if (initial !== undefined) out.sendInitialEvents = initial;
  const timeoutSeconds = parseIntParam(query, 'timeoutSeconds');
  if (timeoutSeconds !== undefined) out.timeoutSeconds = timeoutSeconds;
  return out;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteQuery {
  dryRun: boolean;
  fieldManager?: string;
  fieldValidation: FieldValidation;
  force?: boolean;
}

/** Options of create, update, patch (`kind` names the options type in errors: CreateOptions, ...). */
export function writeQuery(query: URLSearchParams, kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions', patchType?: string): WriteQuery {
  const errs: FieldError[] = [];
  const dryRunValues = query.getAll('dryRun').filter((v) => v !== '');
  for (const v of dryRunValues) {
    if (v !== 'All') errs.push({ type: 'FieldValueNotSupported', field: 'dryRun', badValue: dryRunValues, detail: 'supported values: "All"' });
  }
  const fieldManager = single(query, 'fieldManager') || undefined;
  if (fieldManager !== undefined) {
    if (fieldManager.length > 128) errs.push({ type: 'FieldValueTooLong', field: 'fieldManager', badValue: fieldManager, detail: 'may not be more than 128 bytes' });
    else if (/[^\x20-\x7e]/.test(fieldManager)) errs.push({ type: 'FieldValueInvalid', field: 'fieldManager', badValue: fieldManager, detail: 'must only contain printable characters' });
  }
  const fv = single(query, 'fieldValidation') ?? '';
  // Exactly "Ignore", "Warn", "Strict" or empty (upstream: ValidateFieldValidation).
  if (fv !== '' && fv !== 'Ignore' && fv !== 'Warn' && fv !== 'Strict') {
    errs.push({ type: 'FieldValueNotSupported', field: 'fieldValidation', badValue: fv, detail: 'supported values: "Ignore", "Strict", "Warn"' });
  }
  const force = kind === 'PatchOptions' ? parseBoolParam(query, 'force') : undefined;
  if (kind === 'PatchOptions') {
    if (patchType === 'apply') {
      if (!fieldManager) errs.push({ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' });
    } else if (force !== undefined) {
      errs.push({ type: 'FieldValueForbidden', field: 'force', detail: 'may not be specified for non-apply patch' });
    }
  }
  if (errs.length) throw invalid('meta.k8s.io', kind, '', toStatusCauses(errs));
  return { dryRun: dryRunValues.length > 0, fieldManager, fieldValidation: (fv || 'Warn') as FieldValidation, force };
}

export interface DeleteQuery {
  dryRun: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  orphanDependents?: boolean;
}

export function deleteQuery(query: URLSearchParams): DeleteQuery {
  const dryRunValues = query.getAll('dryRun').filter((v) => v !== '');
  const out: DeleteQuery = { dryRun: dryRunValues.length > 0 };
  const errs: FieldError[] = [];
  for (const v of dryRunValues) if (v !== 'All') errs.push({ type: 'FieldValueNotSupported', field: 'dryRun', badValue: dryRunValues, detail: 'supported values: "All"' });
  if (errs.length) throw invalid('meta.k8s.io', 'DeleteOptions', '', toStatusCauses(errs));
  const grace = parseIntParam(query, 'gracePeriodSeconds');
  if (grace !== undefined) out.gracePeriodSeconds = grace;
  const policy = single(query, 'propagationPolicy');
  if (policy) out.propagationPolicy = policy;
  const orphan = parseBoolParam(query, 'orphanDependents');
  if (orphan !== undefined) out.orphanDependents = orphan;
  return out;
}
