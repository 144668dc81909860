// TypeMeta and ObjectMeta of embedded resources (x-kubernetes-embedded-resource; apiextensions-
// apiserver pkg/apiserver/schema/objectmeta/validation.go): apiVersion and kind are required and
// well-formed, metadata is validated as ObjectMeta with path-segment names (a missing name is fine).
import type { FieldError } from '../../api/field-errors.js';
import { validateObjectMeta } from '../validation/meta.js';
import { dns1035LabelErrors, nameIsPathSegment } from '../validation/names.js';
import { child, index, keyed, type SchemaNode } from './node.js';
import { isPlainObject } from './types.js';

function validateEmbeddedResource(path: string, x: Record<string, unknown>, errs: FieldError[]): void {
  if (!Object.hasOwn(x, 'apiVersion')) errs.push({ type: 'FieldValueRequired', field: child(path, 'apiVersion') });
  if (!Object.hasOwn(x, 'kind')) errs.push({ type: 'FieldValueRequired', field: child(path, 'kind') });
  for (const k of Object.keys(x)) {
    const v = x[k];
    if (k === 'apiVersion') {
      if (typeof v !== 'string') errs.push({ type: 'FieldValueInvalid', field: child(path, k), badValue: v, detail: 'must be a string' });
      else if (v.length === 0) errs.push({ type: 'FieldValueInvalid', field: child(path, k), badValue: v, detail: 'must not be empty' });
      else if (v.split('/').length > 2) errs.push({ type: 'FieldValueInvalid', field: child(path, k), badValue: v, detail: `unexpected GroupVersion string: ${v}` });
    } else if (k === 'kind') {
      if (typeof v !== 'string') errs.push({ type: 'FieldValueInvalid', field: child(path, k), badValue: v, detail: 'must be a string' });
      else if (v.length === 0) errs.push({ type: 'FieldValueInvalid', field: child(path, k), badValue: v, detail: 'must not be empty' });
      else {
        const e = dns1035LabelErrors(v.toLowerCase());
        if (e.length) errs.push({ type: 'FieldValueInvalid', field: child(path, k), badValue: v, detail: `may have mixed case, but should otherwise match: ${e.join(',')}` });
      }
    } else if (k === 'metadata' && isPlainObject(v)) {
      const meta = { ...v, name: typeof v.name === 'string' && v.name ? v.name : 'fakename' };
      const namespaced = typeof v.namespace === 'string' && v.namespace.length > 0;
      errs.push(...validateObjectMeta(meta, { namespaced: namespaced ? true : undefined, nameRule: nameIsPathSegment }, child(path, 'metadata')));
    }
  }
}

/** Validates every embedded resource below a node (the root itself is the registry's). */
export function validateEmbedded(x: unknown, node: SchemaNode | undefined, path: string, errs: FieldError[], isRoot = false): void {
  if (!node) return;
  if (isPlainObject(x)) {
    if (node.embedded && !isRoot) validateEmbeddedResource(path, x, errs);
    for (const k of Object.keys(x)) {
      const prop = node.properties?.get(k);
      if (prop) validateEmbedded(x[k], prop, child(path, k), errs);
      else if (node.additional) validateEmbedded(x[k], node.additional, keyed(path, k), errs);
    }
  } else if (Array.isArray(x) && node.items) {
    x.forEach((v, i) => validateEmbedded(v, node.items, index(path, i), errs));
  }
}
