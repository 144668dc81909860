// selectableFields of a CRD version (CustomResourceFieldSelectors, GA in 1.32): validation
// (ValidateCustomResourceSelectableFields) and the field set a field selector matches against
// (metadata.name, metadata.namespace for namespaced kinds, then each selectable field).
import type { FieldError } from '../../api/field-errors.js';
import { evalJsonPath } from './jsonpath.js';
import { child, index, type SchemaNode } from './node.js';
import { isPlainObject } from './types.js';

const MAX_SELECTABLE_FIELDS = 8;

/** The schema node a `.a.b` path (no array notation) points to, or an error text. */
function resolve(root: SchemaNode, jsonPath: string): { node: SchemaNode; path: string[] } | string {
  if (!jsonPath.startsWith('.')) return `expected [ or . at position 0`;
  const parts = jsonPath.slice(1).split('.');
  let node = root;
  const path: string[] = [];
  for (const p of parts) {
    if (!p || /[[\]]/.test(p)) return 'unexpected format';
    const next = node.properties?.get(p) ?? node.additional;
    if (!next) return `does not refer to a valid field`;
    node = next;
    path.push(p);
  }
  return { node, path };
}

export function validateSelectableFields(fields: unknown, root: SchemaNode | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = Array.isArray(fields) ? fields : [];
  if (list.length > 0 && !root) return [{ type: 'FieldValueInvalid', field: path, badValue: '', detail: 'selectableFields may only be set when version.schema.openAPIV3Schema is not included' }];
  const seen = new Set<string>();
  list.forEach((raw, i) => {
    const p = child(index(path, i), 'jsonPath');
    const jp = isPlainObject(raw) && typeof raw.jsonPath === 'string' ? raw.jsonPath : '';
    if (!jp) {
      errs.push({ type: 'FieldValueRequired', field: p });
      return;
    }
    const r = resolve(root!, jp);
    if (typeof r === 'string') {
      errs.push({ type: 'FieldValueInvalid', field: p, badValue: jp, detail: `is an invalid path: ${r}` });
      return;
    }
    if (r.path[0] === 'metadata') errs.push({ type: 'FieldValueInvalid', field: p, badValue: jp, detail: 'must not point to fields in metadata' });
    if (!['string', 'boolean', 'integer'].includes(r.node.type)) {
      errs.push({ type: 'FieldValueInvalid', field: p, badValue: jp, detail: 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.' });
    }
    const key = r.path.join('.');
    if (seen.has(key)) errs.push({ type: 'FieldValueDuplicate', field: p, badValue: jp });
    seen.add(key);
  });
  if (seen.size > MAX_SELECTABLE_FIELDS) errs.push({ type: 'FieldValueTooMany', field: path, badValue: seen.size, detail: `must have at most ${MAX_SELECTABLE_FIELDS} items` });
  return errs;
}

/** Field labels a field selector may use on this version. */
export function selectableLabels(fields: unknown, namespaced: boolean): string[] {
  const out = namespaced ? ['metadata.name', 'metadata.namespace'] : ['metadata.name'];
  for (const f of Array.isArray(fields) ? fields : []) if (isPlainObject(f) && typeof f.jsonPath === 'string') out.push(f.jsonPath.replace(/^\./, ''));
  return out;
}

/** The field set of one object (values as field selectors compare them). */
export function selectableFieldSet(obj: Record<string, unknown>, fields: unknown, namespaced: boolean): Record<string, string> {
  const m = isPlainObject(obj.metadata) ? obj.metadata : {};
  const out: Record<string, string> = { 'metadata.name': typeof m.name === 'string' ? m.name : '' };
  if (namespaced) out['metadata.namespace'] = typeof m.namespace === 'string' ? m.namespace : '';
  for (const f of Array.isArray(fields) ? fields : []) {
    if (!isPlainObject(f) || typeof f.jsonPath !== 'string') continue;
    const [v] = evalJsonPath(obj, f.jsonPath);
    out[f.jsonPath.replace(/^\./, '')] = typeof v === 'string' ? v : typeof v === 'boolean' || typeof v === 'number' ? String(v) : '';
  }
  return out;
}
