// Validation of one version's openAPIV3Schema inside a CRD (apiextensions-apiserver
// pkg/apis/apiextensions/validation ValidateCustomResourceDefinitionOpenAPISchema, and
// pkg/apiserver/schema ValidateStructural): supported keywords, structural invariants, list and
// map types, metadata restrictions, x-kubernetes-validations (compiled with upstream's messages,
// with a simplified per-rule cost estimate; no per-CRD total), and defaults that validate and are pruned.
import type { FieldError } from '../../api/field-errors.js';
import { compileExpr } from './cel-compile.js';
import { re2Matches } from './re2.js';
import { costErrorMessage, estimateCost, maxCardinality, PER_EXPRESSION_COST_LIMIT } from './cel-cost.js';
import { validateRules } from './cel-rules.js';
import { buildNode, deepCopy, keyed, child, index, type SchemaNode } from './node.js';
import { pruneObject } from './prune.js';
import { isPlainObject, type JSONSchemaProps, type ValidationRule } from './types.js';
import { validateValue } from './validate-value.js';

const OPENAPI_V3_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const SUPPORTED_REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];
const META_FIELDS = new Set(['metadata', 'kind', 'apiVersion']);
/** Root keywords allowed when the status subresource is on (allowedFieldsAtRootSchema). */
const ROOT_WITH_STATUS = new Set([
  'description', 'type', 'format', 'title', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern',
  'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'required', 'items', 'properties', 'externalDocs', 'example',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-validations',
]);
const ROOT_WITH_STATUS_GO = '[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations]';

const required = (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, detail });
const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
const invalid = (field: string, badValue: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, badValue, detail });
const notSupported = (field: string, badValue: unknown, values: string[]): FieldError => ({ type: 'FieldValueNotSupported', field, badValue, detail: `supported values: ${values.map((v) => JSON.stringify(v)).join(', ')}` });

const asSchema = (v: unknown): JSONSchemaProps | undefined => (isPlainObject(v) ? (v as JSONSchemaProps) : undefined);
const props = (s: JSONSchemaProps): [string, JSONSchemaProps][] =>
  isPlainObject(s.properties) ? Object.keys(s.properties).map((k) => [k, asSchema((s.properties as Record<string, unknown>)[k]) ?? {}]) : [];

/** Schema errors and CEL errors are kept apart: CEL is only compiled where no schema error was found. */
interface Out {
  schema: FieldError[];
  cel: FieldError[];
}

interface Ctx {
  allowDefaults: boolean;
  disallowDefaultsReason: string;
  insideResourceMeta: boolean;
  /** The first ancestor where old and new values cannot be correlated (oldSelf forbidden below). */
  uncorrelatable: string | undefined;
  /** How many times a value of this node can occur in one object (enclosing lists' and maps' sizes). */
  cardinality: number;
  /** The node is the resource root (self has apiVersion, kind, metadata). */
  isRoot?: boolean;
}

/** Schema keywords, extensions and CEL rules of every node (ValidateCustomResourceDefinitionOpenAPISchema). */
function validateOpenAPISchema(s: JSONSchemaProps | undefined, path: string, parentCtx: Ctx, isRoot: boolean, out: Out): void {
  if (!s) return;
  const ctx = { ...parentCtx, isRoot };
  const errs = out.schema;
  const schemaErrsBefore = errs.length;
  if (typeof s.type === 'string' && s.type && !OPENAPI_V3_TYPES.includes(s.type)) errs.push(notSupported(child(path, 'type'), s.type, OPENAPI_V3_TYPES));
  if (s.default !== undefined && !ctx.allowDefaults) errs.push(forbidden(child(path, 'default'), `must not be set${ctx.disallowDefaultsReason ? ` ${ctx.disallowDefaultsReason}` : ''}`));
  if (s.id) errs.push(forbidden(child(path, 'id'), 'id is not supported'));
  if (s.additionalItems !== undefined) errs.push(forbidden(child(path, 'additionalItems'), 'additionalItems is not supported'));
  if (isPlainObject(s.patternProperties) && Object.keys(s.patternProperties).length) errs.push(forbidden(child(path, 'patternProperties'), 'patternProperties is not supported'));
  if (isPlainObject(s.definitions) && Object.keys(s.definitions).length) errs.push(forbidden(child(path, 'definitions'), 'definitions is not supported'));
  if (s.dependencies !== undefined) errs.push(forbidden(child(path, 'dependencies'), 'dependencies is not supported'));
  if (s.$ref !== undefined) errs.push(forbidden(child(path, '$ref'), '$ref is not supported'));
  if (s.type === 'null') errs.push(forbidden(child(path, 'type'), 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items)) errs.push(forbidden(child(path, 'items'), 'items must be a schema object and not an array'));
  if (ctx.insideResourceMeta && s['x-kubernetes-embedded-resource'] === true) errs.push(forbidden(child(path, 'x-kubernetes-embedded-resource'), 'must not be used inside of resource meta'));
  if (s.uniqueItems === true) errs.push(forbidden(child(path, 'uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));

  const hasProps = props(s).length > 0;
  if (s.additionalProperties !== undefined) {
    if (hasProps && (s.additionalProperties === false || isPlainObject(s.additionalProperties))) {
      errs.push(forbidden(child(path, 'additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
    }
    const sub = ctx.insideResourceMeta ? { ...ctx, allowDefaults: false, disallowDefaultsReason: 'inside additionalProperties applying to object metadata' } : ctx;
    const ap = asSchema(s.additionalProperties);
    const mapCard = ap ? maxCardinality(buildNode(s)) : 1;
    validateOpenAPISchema(ap, child(path, 'additionalProperties'), { ...sub, cardinality: sub.cardinality * mapCard }, false, out);
  }
  for (const [k, p] of props(s)) {
    let sub = ctx;
    if (s['x-kubernetes-map-type'] === 'atomic') sub = { ...sub, uncorrelatable: sub.uncorrelatable ?? path };
    if ((isRoot || s['x-kubernetes-embedded-resource'] === true) && META_FIELDS.has(k)) {
      sub = { ...sub, insideResourceMeta: true };
      if (isRoot) sub = { ...sub, allowDefaults: false, disallowDefaultsReason: `in top-level ${k}` };
    }
    validateOpenAPISchema(p, keyed(child(path, 'properties'), k), sub, false, out);
  }
  validateOpenAPISchema(asSchema(s.not), child(path, 'not'), ctx, false, out);
  for (const [name, list] of [['allOf', s.allOf], ['oneOf', s.oneOf], ['anyOf', s.anyOf]] as const) {
    if (Array.isArray(list)) list.forEach((sub, i) => validateOpenAPISchema(asSchema(sub), index(child(path, name), i), ctx, false, out));
  }
  const items = asSchema(s.items);
  if (items) {
    const sub = s['x-kubernetes-list-type'] === 'map' ? ctx : { ...ctx, uncorrelatable: ctx.uncorrelatable ?? path };
    validateOpenAPISchema(items, child(path, 'items'), { ...sub, cardinality: sub.cardinality * maxCardinality(buildNode(s)) }, false, out);
  }

  if (s['x-kubernetes-preserve-unknown-fields'] === false) errs.push(invalid(child(path, 'x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && s.type !== 'object') {
    errs.push(s.type ? invalid(child(path, 'type'), s.type, 'must be object if x-kubernetes-map-type is specified') : required(child(path, 'type'), 'must be object if x-kubernetes-map-type is specified'));
  }
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular') errs.push(notSupported(child(path, 'x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
  const listType = s['x-kubernetes-list-type'];
  if (listType !== undefined && s.type !== 'array') {
    errs.push(s.type ? invalid(child(path, 'type'), s.type, 'must be array if x-kubernetes-list-type is specified') : required(child(path, 'type'), 'must be array if x-kubernetes-list-type is specified'));
  } else if (listType === 'set' && items) {
    if (items.type === 'array' && items['x-kubernetes-list-type'] !== undefined && items['x-kubernetes-list-type'] !== 'atomic') {
      errs.push(invalid(child(child(path, 'items'), 'x-kubernetes-list-type'), items['x-kubernetes-list-type'], 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
    if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      errs.push(invalid(child(child(path, 'items'), 'x-kubernetes-map-type'), items['x-kubernetes-list-type'] ?? null, 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
  }
  if (listType !== undefined && listType !== 'atomic' && listType !== 'set' && listType !== 'map') errs.push(notSupported(child(path, 'x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
  const mapKeys = Array.isArray(s['x-kubernetes-list-map-keys']) ? s['x-kubernetes-list-map-keys'] : [];
  if (mapKeys.length > 0) {
    if (listType === undefined) errs.push(required(child(path, 'x-kubernetes-list-type'), 'must be map if x-kubernetes-list-map-keys is non-empty'));
    else if (listType !== 'map') errs.push(invalid(child(path, 'x-kubernetes-list-type'), listType, 'must be map if x-kubernetes-list-map-keys is non-empty'));
  }
  if (listType === 'map') {
    if (mapKeys.length === 0) errs.push(required(child(path, 'x-kubernetes-list-map-keys'), 'must not be empty if x-kubernetes-list-type is map'));
    if (s.items === undefined) errs.push(required(child(path, 'items'), 'must have a schema if x-kubernetes-list-type is map'));
    if (items && items.type !== 'object') errs.push(invalid(child(child(path, 'items'), 'type'), items.type ?? '', "must be object if parent array's x-kubernetes-list-type is map"));
    if (items && items.type === 'object') {
      const itemProps = new Map(props(items));
      const seen = new Set<string>();
      for (const k of mapKeys) {
        const p = itemProps.get(k);
        if (p) {
          if (p.type === 'array' || p.type === 'object') errs.push(invalid(child(keyed(child(child(path, 'items'), 'properties'), k), 'type'), items.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
        } else {
          errs.push(invalid(child(path, 'x-kubernetes-list-map-keys'), mapKeys, 'entries must all be names of item properties'));
        }
        if (seen.has(k)) errs.push(invalid(child(path, 'x-kubernetes-list-map-keys'), mapKeys, 'must not contain duplicate entries'));
        seen.add(k);
      }
    }
  }
  // validateMapListKeysMapSet
  if (items && (listType === 'set' || listType === 'map')) {
    if (items.nullable === true) errs.push(forbidden(child(child(path, 'items'), 'nullable'), `cannot be nullable when x-kubernetes-list-type is ${listType}`));
    if (listType === 'map') {
      const req = new Set(Array.isArray(items.required) ? items.required : []);
      const itemProps = new Map(props(items));
      for (const k of mapKeys) {
        const p = itemProps.get(k);
        if (!p) continue;
        const kp = keyed(child(child(path, 'items'), 'properties'), k);
        if (!req.has(k) && p.default === undefined) errs.push(required(child(kp, 'default'), 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property'));
        if (p.nullable === true) errs.push(forbidden(child(kp, 'nullable'), 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable'));
      }
    }
  }
  const rules = Array.isArray(s['x-kubernetes-validations']) ? s['x-kubernetes-validations'] : [];
  if (rules.length) validateRuleDefs(s, rules, path, ctx, errs.length === schemaErrsBefore, out);
}

function hasNewlines(s: string): boolean {
  return /[\n\r]/.test(s);
}

/** x-kubernetes-validations entries: required rule, message rules, reason, fieldPath, then compilation. */
function validateRuleDefs(s: JSONSchemaProps, rules: ValidationRule[], path: string, ctx: Ctx, compile: boolean, out: Out): void {
  const errs = out.cel;
  const schemaErrs: FieldError[] = [];
  rules.forEach((rule, i) => {
    const rp = index(child(path, 'x-kubernetes-validations'), i);
    const r = isPlainObject(rule) ? rule : {};
    const ruleText = typeof r.rule === 'string' ? r.rule : '';
    const msg = typeof r.message === 'string' ? r.message : '';
    const msgExpr = typeof r.messageExpression === 'string' ? r.messageExpression : '';
    if (!ruleText.trim()) schemaErrs.push(required(child(rp, 'rule'), 'rule is not specified'));
    else if (msg.length > 0 && !msg.trim()) schemaErrs.push(invalid(child(rp, 'message'), msg, 'message must be non-empty if specified'));
    else if (hasNewlines(msg.trim())) schemaErrs.push(invalid(child(rp, 'message'), msg, 'message must not contain line breaks'));
    else if (hasNewlines(ruleText.trim()) && !msg.trim()) schemaErrs.push(required(child(rp, 'message'), 'message must be specified if rule contains line breaks'));
    if (msgExpr.length > 0 && !msgExpr.trim()) schemaErrs.push(required(child(rp, 'messageExpression'), 'messageExpression must be non-empty if specified'));
    if (r.reason !== undefined && !SUPPORTED_REASONS.includes(String(r.reason))) schemaErrs.push(notSupported(child(rp, 'reason'), r.reason, SUPPORTED_REASONS));
    const fp = typeof r.fieldPath === 'string' ? r.fieldPath : '';
    if (fp.length > 0 && !fp.trim()) schemaErrs.push(invalid(child(rp, 'fieldPath'), fp, 'fieldPath must be non-empty if specified'));
    if (hasNewlines(fp)) schemaErrs.push(invalid(child(rp, 'fieldPath'), fp, 'fieldPath must not contain line breaks'));
    if (fp.length > 0 && !fieldPathValid(s, fp)) schemaErrs.push(invalid(child(rp, 'fieldPath'), fp, 'fieldPath must be a valid path'));
  });
  out.schema.push(...schemaErrs);
  // Upstream skips CEL compilation when this node or any below has schema errors.
  if (!compile || schemaErrs.length) return;
  let selfNode: SchemaNode | undefined;
  const self = () => (selfNode ??= buildNode(s));
  rules.forEach((rule, i) => {
    const rp = index(child(path, 'x-kubernetes-validations'), i);
    if (!isPlainObject(rule) || typeof rule.rule !== 'string' || !rule.rule.trim()) return;
    const compiled = compileExpr(rule.rule, { self: self(), isResource: ctx.isRoot, expect: 'bool' });
    if (!compiled.ok) {
      errs.push(invalid(child(rp, 'rule'), rule, compiled.typeError ? compiled.detail : `compilation failed: ${compiled.detail}`));
    } else {
      const cost = estimateCost(compiled.expr.ast, self(), ctx.cardinality);
      if (cost > PER_EXPRESSION_COST_LIMIT) errs.push(forbidden(child(rp, 'rule'), costErrorMessage('estimated rule cost', cost, PER_EXPRESSION_COST_LIMIT)));
    }
    if (typeof rule.messageExpression === 'string' && rule.messageExpression.trim()) {
      const mc = compileExpr(rule.messageExpression, { self: self(), isResource: ctx.isRoot, expect: 'string' });
      if (!mc.ok) errs.push(invalid(child(rp, 'messageExpression'), rule, mc.typeError ? mc.detail : `messageExpression compilation failed: ${mc.detail}`));
    }
    if (!compiled.ok) return;
    if (compiled.expr.usesOldSelf) {
      if (ctx.uncorrelatable !== undefined) errs.push(invalid(child(rp, 'rule'), rule.rule, `oldSelf cannot be used on the uncorrelatable portion of the schema within ${ctx.uncorrelatable}`));
    } else if (rule.optionalOldSelf !== undefined) {
      errs.push(invalid(child(rp, 'optionalOldSelf'), rule.optionalOldSelf, 'may not be set if oldSelf is not used in rule'));
    }
  });
}

/** cel.ValidFieldPath: `.a.b`, `['a.b']`, `.list[0]`-free paths through properties/additionalProperties. */
function fieldPathValid(s: JSONSchemaProps, fieldPath: string): boolean {
  let node: JSONSchemaProps | undefined = s;
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[['"]([^'"]+)['"]\]/y;
  let pos = 0;
  let m: RegExpExecArray | null;
  if (!fieldPath.startsWith('.') && !fieldPath.startsWith('[')) return false;
  while (pos < fieldPath.length) {
    re.lastIndex = pos;
    m = re.exec(fieldPath);
    if (!m) return false;
    pos = re.lastIndex;
    const name = m[1] ?? m[2]!;
    if (!node) return false;
    const p: JSONSchemaProps | undefined = isPlainObject(node.properties) ? asSchema((node.properties as Record<string, unknown>)[name]) : undefined;
    if (p) node = p;
    else if (isPlainObject(node.additionalProperties)) node = node.additionalProperties as JSONSchemaProps;
    else return false;
  }
  return true;
}

// ---- structural invariants (pkg/apiserver/schema/validation.go) ----

type Level = 'root' | 'item' | 'field';

function validateStructural(s: JSONSchemaProps, lvl: Level, path: string, errs: FieldError[]): void {
  if (s.type === 'array' && s.items === undefined) errs.push(required(child(path, 'items'), 'must be specified'));
  const items = asSchema(s.items);
  if (items) validateStructural(items, 'item', child(path, 'items'), errs);
  for (const [k, p] of props(s)) validateStructural(p, 'field', keyed(child(path, 'properties'), k), errs);
  if (s.additionalProperties !== undefined) {
    if (lvl === 'root') errs.push(forbidden(child(path, 'additionalProperties'), 'must not be used at the root'));
    const ap = asSchema(s.additionalProperties);
    if (ap) validateStructural(ap, 'field', child(path, 'additionalProperties'), errs);
  }
  const ios = s['x-kubernetes-int-or-string'] === true;
  const pres = s['x-kubernetes-preserve-unknown-fields'] === true;
  const emb = s['x-kubernetes-embedded-resource'] === true;
  if (ios && pres) errs.push(invalid(child(path, 'x-kubernetes-preserve-unknown-fields'), true, 'must be false if x-kubernetes-int-or-string is true'));
  if (ios && emb) errs.push(invalid(child(path, 'x-kubernetes-embedded-resource'), true, 'must be false if x-kubernetes-int-or-string is true'));
  validateValueValidation(s, ios && isIntOrStringAnyOf(s.anyOf), ios && Array.isArray(s.allOf) && isIntOrStringAnyOf(asSchema(s.allOf[0])?.anyOf), path, errs);
  const type = typeof s.type === 'string' ? s.type : '';
  if (emb && type !== 'object') {
    errs.push(type ? invalid(child(path, 'type'), type, 'must be object if x-kubernetes-embedded-resource is true') : required(child(path, 'type'), 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!type && !ios && !pres) {
    errs.push(required(child(path, 'type'), lvl === 'root' ? 'must not be empty at the root' : lvl === 'item' ? 'must not be empty for specified array items' : 'must not be empty for specified object fields'));
  }
  if (emb && s.additionalProperties !== undefined) errs.push(forbidden(child(path, 'additionalProperties'), 'must not be used if x-kubernetes-embedded-resource is set'));
  if (lvl === 'root' && type && type !== 'object') errs.push(invalid(child(path, 'type'), type, 'must be object at the root'));
  const checkMetadata = lvl === 'root' || emb;
  const pm = new Map(props(s));
  for (const f of ['kind', 'apiVersion']) {
    const p = pm.get(f);
    if (p && checkMetadata && p.type !== 'string') errs.push(invalid(child(keyed(child(path, 'properties'), f), 'type'), p.type ?? '', 'must be string'));
  }
  const metadata = pm.get('metadata');
  if (metadata && checkMetadata && metadata.type !== 'object') errs.push(invalid(child(keyed(child(path, 'properties'), 'metadata'), 'type'), metadata.type ?? '', 'must be object'));
  if (metadata && lvl === 'root' && !metadataOnlyNames(metadata)) {
    errs.push(forbidden(keyed(child(path, 'properties'), 'metadata'), 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  }
  if (emb && !pres && pm.size === 0) errs.push(required(child(path, 'properties'), 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
}

/** The root metadata schema may only restrict name and generateName (type object, no other keywords). */
function metadataOnlyNames(m: JSONSchemaProps): boolean {
  for (const k of Object.keys(m)) {
    if (k === 'type' || k === 'default') continue;
    if (k === 'properties') {
      const names = Object.keys(isPlainObject(m.properties) ? m.properties : {});
      if (names.some((n) => n !== 'name' && n !== 'generateName')) return false;
      continue;
    }
    return false;
  }
  return true;
}

function isIntOrStringAnyOf(anyOf: unknown): boolean {
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return false;
  const [a, b] = anyOf.map(asSchema);
  return !!a && !!b && Object.keys(a).join() === 'type' && a.type === 'integer' && Object.keys(b).join() === 'type' && b.type === 'string';
}

function validateValueValidation(s: JSONSchemaProps, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, path: string, errs: FieldError[]): void {
  if (!skipAnyOf && Array.isArray(s.anyOf)) s.anyOf.forEach((sub, i) => validateNested(asSchema(sub), false, index(child(path, 'anyOf'), i), errs));
  if (Array.isArray(s.allOf)) s.allOf.forEach((sub, i) => validateNested(asSchema(sub), skipFirstAllOfAnyOf && i === 0, index(child(path, 'allOf'), i), errs));
  if (Array.isArray(s.oneOf)) s.oneOf.forEach((sub, i) => validateNested(asSchema(sub), false, index(child(path, 'oneOf'), i), errs));
  validateNested(asSchema(s.not), false, child(path, 'not'), errs);
  if (typeof s.pattern === 'string' && s.pattern) {
    const r = re2Matches(s.pattern, '');
    if (r instanceof Error) errs.push(invalid(child(path, 'pattern'), s.pattern, `must be a valid regular expression, but isn't: ${r.message}`));
  }
}

/** Value validation under allOf/anyOf/oneOf/not may not carry structural keywords. */
function validateNested(v: JSONSchemaProps | undefined, skipAnyOf: boolean, path: string, errs: FieldError[]): void {
  if (!v) return;
  validateValueValidation(v, skipAnyOf, false, path, errs);
  validateNested(asSchema(v.items), false, child(path, 'items'), errs);
  for (const [k, p] of props(v)) validateNested(p, false, keyed(child(path, 'properties'), k), errs);
  if (v.type) errs.push(forbidden(child(path, 'type'), 'must be empty to be structural'));
  if (v.additionalProperties !== undefined) errs.push(forbidden(child(path, 'additionalProperties'), 'must be undefined to be structural'));
  if (v.default !== undefined) errs.push(forbidden(child(path, 'default'), 'must be undefined to be structural'));
  if (v.title) errs.push(forbidden(child(path, 'title'), 'must be empty to be structural'));
  if (v.description) errs.push(forbidden(child(path, 'description'), 'must be empty to be structural'));
  if (v.nullable === true) errs.push(forbidden(child(path, 'nullable'), 'must be false to be structural'));
  if (v['x-kubernetes-preserve-unknown-fields'] === true) errs.push(forbidden(child(path, 'x-kubernetes-preserve-unknown-fields'), 'must be false to be structural'));
  if (v['x-kubernetes-embedded-resource'] === true) errs.push(forbidden(child(path, 'x-kubernetes-embedded-resource'), 'must be false to be structural'));
  if (v['x-kubernetes-int-or-string'] === true) errs.push(forbidden(child(path, 'x-kubernetes-int-or-string'), 'must be false to be structural'));
  if (Array.isArray(v['x-kubernetes-list-map-keys']) && v['x-kubernetes-list-map-keys'].length) errs.push(forbidden(child(path, 'x-kubernetes-list-map-keys'), 'must be empty to be structural'));
  if (v['x-kubernetes-list-type'] !== undefined) errs.push(forbidden(child(path, 'x-kubernetes-list-type'), 'must be undefined to be structural'));
  if (isPlainObject(v.properties) && Object.hasOwn(v.properties, 'metadata')) errs.push(forbidden(keyed(child(path, 'properties'), 'metadata'), 'must not be specified in a nested context'));
}

/** validateStructuralCompleteness: everything named in value validation also exists in the structural part. */
function validateCompleteness(s: JSONSchemaProps, path: string, errs: FieldError[]): void {
  const check = (v: JSONSchemaProps | undefined, sNode: JSONSchemaProps | undefined, sPath: string, vPath: string) => {
    if (!v) return;
    if (!sNode) {
      errs.push(required(sPath, `because it is defined in ${vPath}`));
      return;
    }
    nested(v, sNode, sPath, vPath);
  };
  const nested = (v: JSONSchemaProps, sNode: JSONSchemaProps, sPath: string, vPath: string) => {
    for (const [name, list] of [['allOf', v.allOf], ['anyOf', v.anyOf], ['oneOf', v.oneOf]] as const) {
      if (Array.isArray(list)) list.forEach((sub, i) => check(asSchema(sub), sNode, sPath, index(child(vPath, name), i)));
    }
    if (asSchema(v.not)) check(asSchema(v.not), sNode, sPath, child(vPath, 'not'));
    if (asSchema(v.items)) check(asSchema(v.items), asSchema(sNode.items), child(sPath, 'items'), child(vPath, 'items'));
    const sp = new Map(props(sNode));
    for (const [k, p] of props(v)) check(p, sp.get(k), keyed(child(sPath, 'properties'), k), keyed(child(vPath, 'properties'), k));
  };
  const walk = (n: JSONSchemaProps, p: string) => {
    for (const [name, list] of [['allOf', n.allOf], ['anyOf', n.anyOf], ['oneOf', n.oneOf]] as const) {
      if (Array.isArray(list)) list.forEach((sub, i) => { const v = asSchema(sub); if (v) nested(v, n, p, index(child(p, name), i)); });
    }
    const not = asSchema(n.not);
    if (not) nested(not, n, p, child(p, 'not'));
    const items = asSchema(n.items);
    if (items) walk(items, child(p, 'items'));
    for (const [k, c] of props(n)) walk(c, keyed(child(p, 'properties'), k));
    const ap = asSchema(n.additionalProperties);
    if (ap) walk(ap, child(p, 'additionalProperties'));
  };
  walk(s, path);
}

/** Defaults must validate against their schema and survive pruning (structuraldefaulting.ValidateDefaults). */
function validateDefaults(node: SchemaNode, path: string, errs: FieldError[], isRoot = false): void {
  if (node.hasDefault && !isRoot) {
    const dp = child(path, 'default');
    const value = deepCopy(node.default);
    if (isPlainObject(value)) {
      const wrapper = buildNode({ type: 'object', properties: { x: node.raw } });
      const holder = { x: value };
      if (pruneObject(holder, wrapper).length) errs.push(invalid(dp, node.default, 'must not have unknown fields'));
    }
    const verrs: FieldError[] = [];
    validateValue(value, node, dp, verrs);
    validateRules(value, undefined, node, dp, verrs);
    errs.push(...verrs);
  }
  for (const [k, p] of node.properties ?? []) validateDefaults(p, keyed(child(path, 'properties'), k), errs);
  if (node.items) validateDefaults(node.items, child(path, 'items'), errs);
  if (node.additional && node.raw.additionalProperties !== true) validateDefaults(node.additional, child(path, 'additionalProperties'), errs);
}

/**
 * All errors of one version's schema; `path` is the openAPIV3Schema field path
 * (`spec.versions[0].schema.openAPIV3Schema`).
 */
export function validateVersionSchema(schema: unknown, statusEnabled: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const s = asSchema(schema);
  if (!s) return errs;
  if (statusEnabled) {
    for (const k of Object.keys(s)) {
      const v = (s as Record<string, unknown>)[k];
      if (v === undefined || v === null || v === false || v === '' || (Array.isArray(v) && v.length === 0)) continue;
      if (k === 'type') {
        if (s.type !== 'object') {
          errs.push(invalid(child(path, 'type'), s.type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled'));
          break;
        }
        continue;
      }
      if (!ROOT_WITH_STATUS.has(k)) {
        errs.push(invalid(path, s, `only ${ROOT_WITH_STATUS_GO} fields are allowed at the root of the schema if the status subresource is enabled`));
        break;
      }
    }
  }
  if (s.nullable === true) errs.push(forbidden(child(path, 'nullable'), 'nullable cannot be true at the root'));
  const structural: FieldError[] = [];
  validateStructural(s, 'root', path, structural);
  validateCompleteness(s, path, structural);
  structural.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  errs.push(...structural);
  let compileRules = structural.length === 0;
  if (structural.length === 0) {
    const defaults: FieldError[] = [];
    validateDefaults(buildNode(s), path, defaults, true);
    errs.push(...defaults);
    compileRules = defaults.length === 0;
  }
  const out: Out = { schema: [], cel: [] };
  validateOpenAPISchema(s, path, { allowDefaults: true, disallowDefaultsReason: '', insideResourceMeta: false, uncorrelatable: undefined, cardinality: 1 }, true, out);
  errs.push(...out.schema);
  // CEL only when the structural schema and its defaults are sound (upstream builds no CEL context otherwise).
  if (compileRules) errs.push(...out.cel);
  return errs;
}
