// Unknown fields of built-in kinds: upstream's decoder drops them (and with
// fieldValidation=Strict/Warn reports them) before anything else sees the object.
// Map values and "special" types (RawExtension, IntOrString, JSONSchemaProps, ...) are free-form.
import { badRequest } from '../../api/status.js';
import type { SchemaCatalog, TypeNode } from '../schema/types.js';
import { isObject } from './object-meta.js';

/** Removes unknown fields in place; returns their paths (`spec.foo`, `spec.containers[0].bar`). */
export function pruneUnknownFields(catalog: SchemaCatalog, typeRef: string, obj: Record<string, unknown>): string[] {
  const unknown: string[] = [];
  walkStruct(catalog, typeRef, obj, '', unknown);
  return unknown;
}

function join(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}

function walkStruct(catalog: SchemaCatalog, ref: string, obj: Record<string, unknown>, path: string, unknown: string[]): void {
  const def = catalog.struct(ref);
  if (!def) return;
  for (const key of Object.keys(obj)) {
    const field = def.byJson.get(key);
    if (!field) {
      unknown.push(join(path, key));
      delete obj[key];
      continue;
    }
    walkValue(catalog, field.type, obj[key], join(path, key), unknown);
  }
}

function walkValue(catalog: SchemaCatalog, type: TypeNode, value: unknown, path: string, unknown: string[]): void {
  if (value === null || value === undefined) return;
  switch (type.kind) {
    case 'struct':
      if (isObject(value)) walkStruct(catalog, type.ref, value, path, unknown);
      return;
    case 'list':
      if (Array.isArray(value)) value.forEach((v, i) => walkValue(catalog, type.elem, v, `${path}[${i}]`, unknown));
      return;
    case 'map':
      if (isObject(value)) for (const [k, v] of Object.entries(value)) walkValue(catalog, type.value, v, `${path}[${k}]`, unknown);
      return;
    default:
      return;
  }
}

/**
 * Applies the request's fieldValidation to the unknown fields found
 * (apiserver/pkg/endpoints/handlers: strict decoding errors become 400, warnings become headers).
 */
export function reportUnknownFields(unknown: string[], mode: 'Strict' | 'Warn' | 'Ignore', warnings: string[]): void {
  if (unknown.length === 0 || mode === 'Ignore') return;
  const texts = unknown.map((p) => `unknown field ${JSON.stringify(p)}`);
  if (mode === 'Strict') throw badRequest(`strict decoding error: ${texts.join(', ')}`);
  warnings.push(...texts);
}
