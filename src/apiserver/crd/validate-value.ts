// OpenAPI v3 value validation of a custom object against its structural schema, with the messages
// apiextensions-apiserver gives (kube-openapi's validators, turned into field errors by
// pkg/apiserver/validation ConvertErrors), plus x-kubernetes-list-type set/map uniqueness
// (pkg/apiserver/schema/listtype). On update, errors of values that did not change are dropped
// (validation ratcheting, KEP-4008, GA in 1.33).
import type { FieldError } from '../../api/field-errors.js';
import { canonical, childOld, listCorrelator, unchanged, type Old } from './correlate.js';
import { formatOk } from './formats.js';
import { re2Matches } from './re2.js';
import { buildNode, child, index, jsonType, type SchemaNode } from './node.js';
import { isPlainObject, type JSONSchemaProps } from './types.js';

const inBody = (path: string) => `${path || 'body'} in body`;

function typeError(path: string, want: string, v: unknown): FieldError {
  const got = jsonType(v);
  return { type: 'FieldValueInvalid', field: path, badValue: got, detail: `${inBody(path)} must be of type ${want}: ${JSON.stringify(got)}` };
}

const invalid = (path: string, v: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field: path, badValue: v, detail });

/** Whether a value has a schema type (integers are numbers too). */
function typeMatches(type: string, v: unknown): boolean {
  const t = jsonType(v);
  return t === type || (type === 'number' && t === 'integer');
}

/** Go's %v of a JSON number for messages. */
const num = (n: number) => String(n);

export { canonical };

/** Validates a value; `old` (on update) is the correlated old value, whose unchanged parts ratchet. */
export function validateValue(v: unknown, node: SchemaNode, path: string, errs: FieldError[], old?: Old): void {
  if (v === undefined) return;
  if (unchanged(v, old)) return;
  if (v === null) {
    if (!node.nullable && node.type) errs.push(typeError(path, node.type, v));
    return;
  }
  if (node.intOrString) {
    if (!(typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)))) errs.push(typeError(path, 'integer,string', v));
  } else if (node.type && !typeMatches(node.type, v)) {
    errs.push(typeError(path, node.type, v));
    return;
  }
  validateSchemaKeywords(v, node.raw, path, errs);
  if (isPlainObject(v)) {
    for (const req of node.required) if (!Object.hasOwn(v, req)) errs.push({ type: 'FieldValueRequired', field: child(path, req) });
    for (const k of Object.keys(v)) {
      const prop = node.properties?.get(k) ?? node.additional;
      if (prop) validateValue(v[k], prop, child(path, k), errs, childOld(old, k));
    }
  } else if (Array.isArray(v)) {
    validateListType(v, node, path, errs);
    if (node.items) {
      const correlate = listCorrelator(node, old);
      v.forEach((item, i) => validateValue(item, node.items!, index(path, i), errs, correlate(item)));
    }
  }
}

/** The keyword checks that do not recurse into children (also used for allOf/anyOf/oneOf/not). */
function validateSchemaKeywords(v: unknown, s: JSONSchemaProps, path: string, errs: FieldError[]): void {
  if (Array.isArray(s.enum) && s.enum.length > 0) {
    const c = canonical(v);
    if (!s.enum.some((e) => canonical(e) === c)) {
      errs.push({ type: 'FieldValueNotSupported', field: path, badValue: v, detail: `supported values: ${s.enum.map((e) => (typeof e === 'string' ? JSON.stringify(e) : canonical(e))).join(', ')}` });
    }
  }
  if (typeof v === 'number') {
    if (typeof s.maximum === 'number') {
      if (s.exclusiveMaximum === true ? v >= s.maximum : v > s.maximum) {
        errs.push(invalid(path, v, `${inBody(path)} should be less than ${s.exclusiveMaximum === true ? '' : 'or equal to '}${num(s.maximum)}`));
      }
    }
    if (typeof s.minimum === 'number') {
      if (s.exclusiveMinimum === true ? v <= s.minimum : v < s.minimum) {
        errs.push(invalid(path, v, `${inBody(path)} should be greater than ${s.exclusiveMinimum === true ? '' : 'or equal to '}${num(s.minimum)}`));
      }
    }
    if (typeof s.multipleOf === 'number' && s.multipleOf > 0) {
      const q = v / s.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9) errs.push(invalid(path, v, `${inBody(path)} should be a multiple of ${num(s.multipleOf)}`));
    }
  }
  if (typeof v === 'string') {
    const len = [...v].length;
    if (typeof s.maxLength === 'number' && len > s.maxLength) errs.push({ type: 'FieldValueTooLong', field: path, badValue: v, detail: `may not be more than ${s.maxLength} bytes` });
    if (typeof s.minLength === 'number' && len < s.minLength) errs.push(invalid(path, v, `${inBody(path)} should be at least ${s.minLength} chars long`));
    if (typeof s.pattern === 'string' && re2Matches(s.pattern, v) === false) errs.push(invalid(path, v, `${inBody(path)} should match '${s.pattern}'`));
    if (typeof s.format === 'string' && s.format && !formatOk(s.format, v)) errs.push(invalid(path, v, `${inBody(path)} must be of type ${s.format}: ${JSON.stringify(v)}`));
  }
  if (Array.isArray(v)) {
    if (typeof s.maxItems === 'number' && v.length > s.maxItems) errs.push({ type: 'FieldValueTooMany', field: path, badValue: v.length, detail: `must have at most ${s.maxItems} items` });
    if (typeof s.minItems === 'number' && v.length < s.minItems) errs.push(invalid(path, v, `${inBody(path)} should have at least ${s.minItems} items`));
    if (s.uniqueItems === true) {
      const seen = new Set<string>();
      for (const item of v) {
        const c = canonical(item);
        if (seen.has(c)) {
          errs.push({ type: 'FieldValueDuplicate', field: path, badValue: item });
          break;
        }
        seen.add(c);
      }
    }
  }
  if (isPlainObject(v)) {
    const n = Object.keys(v).length;
    if (typeof s.maxProperties === 'number' && n > s.maxProperties) errs.push({ type: 'FieldValueTooMany', field: path, badValue: n, detail: `must have at most ${s.maxProperties} items` });
    if (typeof s.minProperties === 'number' && n < s.minProperties) errs.push(invalid(path, v, `${inBody(path)} should have at least ${s.minProperties} properties`));
  }
  // Value validation junctors: the structural part already lives in the node tree, so the
  // subschemas are checked as plain value validations of the same value.
  const passes = (sub: JSONSchemaProps) => {
    const sub_errs: FieldError[] = [];
    validateValue(v, buildNode({ ...sub, nullable: true }), path, sub_errs);
    return sub_errs.length === 0;
  };
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    for (const sub of s.allOf) {
      const subErrs: FieldError[] = [];
      validateValue(v, buildNode({ ...sub, nullable: true }), path, subErrs);
      errs.push(...subErrs);
    }
  }
  if (Array.isArray(s.anyOf) && s.anyOf.length > 0 && !s.anyOf.some(passes)) errs.push(invalid(path, v, `${inBody(path)} must validate at least one schema (anyOf)`));
  if (Array.isArray(s.oneOf) && s.oneOf.length > 0 && s.oneOf.filter(passes).length !== 1) errs.push(invalid(path, v, `${inBody(path)} must validate one and only one schema (oneOf)`));
  if (isPlainObject(s.not) && passes(s.not)) errs.push(invalid(path, v, `${inBody(path)} must not validate the schema (not)`));
}

/** x-kubernetes-list-type set: unique items; map: unique key tuples. */
function validateListType(v: unknown[], node: SchemaNode, path: string, errs: FieldError[]): void {
  if (node.listType === 'set') {
    const seen = new Set<string>();
    v.forEach((item, i) => {
      const c = canonical(item);
      if (seen.has(c)) errs.push({ type: 'FieldValueDuplicate', field: index(path, i), badValue: item });
      seen.add(c);
    });
  } else if (node.listType === 'map' && node.listMapKeys.length > 0) {
    const seen = new Set<string>();
    v.forEach((item, i) => {
      if (!isPlainObject(item)) return;
      const keys: Record<string, unknown> = {};
      for (const k of node.listMapKeys) {
        const kv = Object.hasOwn(item, k) ? item[k] : node.items?.properties?.get(k)?.default;
        if (kv !== undefined) keys[k] = kv;
      }
      const c = canonical(keys);
      if (seen.has(c)) errs.push({ type: 'FieldValueDuplicate', field: index(path, i), badValue: keys });
      seen.add(c);
    });
  }
}
