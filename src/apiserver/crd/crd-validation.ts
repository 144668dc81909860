// CustomResourceDefinition validation (apiextensions-apiserver pkg/apis/apiextensions/validation
// ValidateCustomResourceDefinition / ValidateCustomResourceDefinitionUpdate) for apiextensions.k8s.io/v1.
// Not checked: the CEL cost estimate is simplified.
import type { FieldError } from '../../api/field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/meta.js';
import { dns1035LabelErrors, dns1123SubdomainErrors, nameIsDNSSubdomain } from '../validation/names.js';
import { validateAPIApproval } from './approval.js';
import { validateWebhookClientConfig } from './webhook-config-validation.js';
import { validateVersionSchema } from './schema-validation.js';
import { buildNode, child, index } from './node.js';
import { validateSelectableFields } from './selectable.js';
import { canonical } from './validate-value.js';
import { isPlainObject, type CustomResourceColumnDefinition, type CustomResourceDefinition, type CustomResourceDefinitionNames, type CustomResourceSubresources } from './types.js';

const required = (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, detail: detail || undefined });
const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
const invalid = (field: string, badValue: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, badValue, detail });
const notSupported = (field: string, badValue: unknown, values: string[]): FieldError => ({ type: 'FieldValueNotSupported', field, badValue, detail: `supported values: ${values.map((v) => JSON.stringify(v)).join(', ')}` });

const PRINTER_COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const PRINTER_COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String(x))) : []);

export function validateCustomResourceDefinitionNames(names: CustomResourceDefinitionNames | undefined, path: string): FieldError[] {
  const n = isPlainObject(names) ? names : {};
  const errs: FieldError[] = [];
  const plural = str(n.plural);
  const singular = str(n.singular);
  const kind = str(n.kind);
  const listKind = str(n.listKind);
  if (plural) { const e = dns1035LabelErrors(plural); if (e.length) errs.push(invalid(child(path, 'plural'), plural, e.join(','))); }
  if (singular) { const e = dns1035LabelErrors(singular); if (e.length) errs.push(invalid(child(path, 'singular'), singular, e.join(','))); }
  if (kind) { const e = dns1035LabelErrors(kind.toLowerCase()); if (e.length) errs.push(invalid(child(path, 'kind'), kind, `may have mixed case, but should otherwise match: ${e.join(',')}`)); }
  if (listKind) { const e = dns1035LabelErrors(listKind.toLowerCase()); if (e.length) errs.push(invalid(child(path, 'listKind'), listKind, `may have mixed case, but should otherwise match: ${e.join(',')}`)); }
  strList(n.shortNames).forEach((s, i) => { const e = dns1035LabelErrors(s); if (e.length) errs.push(invalid(index(child(path, 'shortNames'), i), s, e.join(','))); });
  if (kind && kind === listKind) errs.push(invalid(child(path, 'listKind'), listKind, 'kind and listKind may not be the same'));
  strList(n.categories).forEach((c, i) => { const e = dns1035LabelErrors(c); if (e.length) errs.push(invalid(index(child(path, 'categories'), i), c, e.join(','))); });
  return errs;
}

function validateSimpleJSONPath(s: string, path: string): FieldError[] {
  if (s.length === 0) return [invalid(path, s, 'must not be empty')];
  if (s[0] !== '.') return [invalid(path, s, 'must be a simple json path starting with .')];
  return [];
}

export function validateSubresources(sub: CustomResourceSubresources | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isPlainObject(sub) || !isPlainObject(sub.scale)) return errs;
  const scale = sub.scale;
  const spec = str(scale.specReplicasPath);
  if (!spec) errs.push(required(child(path, 'scale.specReplicasPath')));
  else {
    const e = validateSimpleJSONPath(spec, child(path, 'scale.specReplicasPath'));
    if (e.length) errs.push(...e);
    else if (!spec.startsWith('.spec.')) errs.push(invalid(child(path, 'scale.specReplicasPath'), spec, 'should be a json path under .spec'));
  }
  const status = str(scale.statusReplicasPath);
  if (!status) errs.push(required(child(path, 'scale.statusReplicasPath')));
  else {
    const e = validateSimpleJSONPath(status, child(path, 'scale.statusReplicasPath'));
    if (e.length) errs.push(...e);
    else if (!status.startsWith('.status.')) errs.push(invalid(child(path, 'scale.statusReplicasPath'), status, 'should be a json path under .status'));
  }
  const sel = str(scale.labelSelectorPath);
  if (sel) {
    const e = validateSimpleJSONPath(sel, child(path, 'scale.labelSelectorPath'));
    if (e.length) errs.push(...e);
    else if (!sel.startsWith('.spec.') && !sel.startsWith('.status.')) errs.push(invalid(child(path, 'scale.labelSelectorPath'), sel, 'should be a json path under either .spec or .status'));
  }
  return errs;
}

export function validatePrinterColumn(col: CustomResourceColumnDefinition, path: string): FieldError[] {
  const c = isPlainObject(col) ? col : {};
  const errs: FieldError[] = [];
  if (!str(c.name)) errs.push(required(child(path, 'name')));
  const type = str(c.type);
  if (!type) errs.push(required(child(path, 'type'), `must be one of ${PRINTER_COLUMN_TYPES.join(',')}`));
  else if (!PRINTER_COLUMN_TYPES.includes(type)) errs.push(invalid(child(path, 'type'), type, `must be one of ${PRINTER_COLUMN_TYPES.join(',')}`));
  const format = str(c.format);
  if (format && !PRINTER_COLUMN_FORMATS.includes(format)) errs.push(invalid(child(path, 'format'), format, `must be one of ${PRINTER_COLUMN_FORMATS.join(',')}`));
  const jp = str(c.jsonPath);
  if (!jp) errs.push(required(child(path, 'JSONPath')));
  else errs.push(...validateSimpleJSONPath(jp, child(path, 'JSONPath')));
  return errs;
}

function validateDeprecationWarning(deprecated: boolean, warning: unknown): string[] {
  if (!deprecated && warning !== undefined && warning !== null) return ['can only be set for deprecated versions'];
  if (typeof warning !== 'string') return [];
  const out: string[] = [];
  if (warning.length > 256) out.push('must be <= 256 characters long');
  if (warning.length === 0) out.push('must not be an empty string');
  // eslint-disable-next-line no-control-regex
  const ctl = /[\u0000-\u001f\u007f-\u009f]/.exec(warning);
  if (ctl) out.push(`must only contain printable UTF-8 characters; control character found at index ${Buffer.byteLength(warning.slice(0, ctl.index))}`);
  return out;
}

function validateSpec(crd: CustomResourceDefinition): FieldError[] {
  const spec = isPlainObject(crd.spec) ? crd.spec : {};
  const errs: FieldError[] = [];
  const group = str(spec.group);
  if (!group) errs.push(required('spec.group'));
  else {
    const e = dns1123SubdomainErrors(group);
    if (e.length) errs.push(invalid('spec.group', group, e.join(',')));
    else if (group.split('.').length < 2) errs.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  const scope = str(spec.scope);
  if (!scope) errs.push(required('spec.scope'));
  else if (scope !== 'Cluster' && scope !== 'Namespaced') errs.push(notSupported('spec.scope', scope, ['Cluster', 'Namespaced']));

  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  let storageCount = 0;
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((raw, i) => {
    const v = isPlainObject(raw) ? raw : {};
    const vp = index('spec.versions', i);
    if (v.storage === true) storageCount++;
    const name = str(v.name);
    if (seen.has(name)) unique = false;
    seen.add(name);
    const e = dns1035LabelErrors(name);
    if (e.length) errs.push(invalid(child(vp, 'name'), name, e.join(',')));
    if (!isPlainObject(v.schema) || !isPlainObject(v.schema.openAPIV3Schema)) {
      errs.push(required(child(child(vp, 'schema'), 'openAPIV3Schema'), 'schemas are required'));
    }
    for (const msg of validateDeprecationWarning(v.deprecated === true, v.deprecationWarning)) errs.push(invalid(child(vp, 'deprecationWarning'), v.deprecationWarning, msg));
    const statusEnabled = isPlainObject(v.subresources) && isPlainObject(v.subresources.status);
    if (isPlainObject(v.schema)) errs.push(...validateVersionSchema(v.schema.openAPIV3Schema, statusEnabled, child(child(vp, 'schema'), 'openAPIV3Schema')));
    errs.push(...validateSubresources(v.subresources as CustomResourceSubresources | undefined, child(vp, 'subresources')));
    (Array.isArray(v.additionalPrinterColumns) ? v.additionalPrinterColumns : []).forEach((col, j) => errs.push(...validatePrinterColumn(col, index(child(vp, 'additionalPrinterColumns'), j))));
    if (Array.isArray(v.selectableFields) && v.selectableFields.length) {
      const root = isPlainObject(v.schema) && isPlainObject(v.schema.openAPIV3Schema) ? buildNode(v.schema.openAPIV3Schema) : undefined;
      errs.push(...validateSelectableFields(v.selectableFields, root, child(vp, 'selectableFields')));
    }
  });
  if (versions.length > 1) {
    const same = (f: (v: Record<string, unknown>) => unknown, nonEmpty: (x: unknown) => boolean) => {
      const vals = versions.map((v) => (isPlainObject(v) ? f(v) : undefined));
      return vals.every((x) => nonEmpty(x) && canonical(x) === canonical(vals[0]));
    };
    const present = (x: unknown) => x !== undefined && x !== null;
    if (same((v) => v.schema, present)) errs.push(invalid('spec.versions', versions, 'per-version schemas may not all be set to identical values (top-level validation should be used instead)'));
    if (same((v) => v.subresources, present)) errs.push(invalid('spec.versions', versions, 'per-version subresources may not all be set to identical values (top-level subresources should be used instead)'));
    if (same((v) => v.additionalPrinterColumns, (x) => Array.isArray(x) && x.length > 0)) errs.push(invalid('spec.versions', versions, 'per-version additionalPrinterColumns may not all be set to identical values (top-level additionalPrinterColumns should be used instead)'));
  }
  if (!unique) errs.push(invalid('spec.versions', versions, 'must contain unique version names'));
  if (storageCount !== 1) errs.push(invalid('spec.versions', versions, 'must have exactly one version marked as storage version'));

  const names = isPlainObject(spec.names) ? spec.names : {};
  if (!str(names.plural)) errs.push(required('spec.names.plural'));
  if (!str(names.singular)) errs.push(required('spec.names.singular'));
  if (!str(names.kind)) errs.push(required('spec.names.kind'));
  if (!str(names.listKind)) errs.push(required('spec.names.listKind'));
  errs.push(...validateCustomResourceDefinitionNames(names, 'spec.names'));

  const conv = spec.conversion;
  if (isPlainObject(conv)) {
    const strategy = str(conv.strategy);
    if (!strategy) errs.push(required('spec.conversion.strategy'));
    else if (strategy !== 'None' && strategy !== 'Webhook') errs.push(notSupported('spec.conversion.strategy', strategy, ['None', 'Webhook']));
    const wh = isPlainObject(conv.webhook) ? conv.webhook : undefined;
    if (strategy === 'Webhook') {
      if (!wh || !isPlainObject(wh.clientConfig)) errs.push(required('spec.conversion.webhookClientConfig', 'required when strategy is set to Webhook'));
      else if ((wh.clientConfig.url === undefined) === (wh.clientConfig.service === undefined)) errs.push(required('spec.conversion.webhookClientConfig', 'exactly one of url or service is required'));
      else errs.push(...validateWebhookClientConfig(wh.clientConfig, 'spec.conversion.webhookClientConfig'));
      const crv = strList(wh?.conversionReviewVersions);
      if (crv.length === 0) errs.push(required('spec.conversion.conversionReviewVersions'));
      else if (!crv.some((v) => v === 'v1' || v === 'v1beta1')) errs.push(invalid('spec.conversion.conversionReviewVersions', crv, 'must include at least one of v1, v1beta1'));
    } else if (wh) {
      if (wh.clientConfig !== undefined) errs.push(forbidden('spec.conversion.webhookClientConfig', 'should not be set when strategy is not set to Webhook'));
      if (strList(wh.conversionReviewVersions).length) errs.push(forbidden('spec.conversion.conversionReviewVersions', 'should not be set when strategy is not set to Webhook'));
    }
  }
  if (spec.preserveUnknownFields === true) errs.push(invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'));
  return errs;
}

function validateStatus(crd: CustomResourceDefinition, forUpdate: boolean): FieldError[] {
  const status = isPlainObject(crd.status) ? crd.status : {};
  const errs = validateCustomResourceDefinitionNames(status.acceptedNames as CustomResourceDefinitionNames | undefined, 'status.acceptedNames');
  const stored = strList(status.storedVersions);
  // The strategy sets storedVersions on create, so only updates can get this wrong.
  if (!forUpdate) return errs;
  if (stored.length === 0) return [...errs, invalid('status.storedVersions', stored, 'must have at least one stored version')];
  const versions = Array.isArray(crd.spec?.versions) ? crd.spec.versions.filter(isPlainObject) : [];
  const remaining = new Map(stored.map((v, i) => [v, i]));
  for (const v of versions) {
    if (v.storage === true && !remaining.has(str(v.name)) && !stored.includes(str(v.name))) errs.push(invalid('status.storedVersions', stored, `must have the storage version ${str(v.name)}`));
    remaining.delete(str(v.name));
  }
  for (const [v, i] of remaining) {
    errs.push(invalid(index('status.storedVersions', i), v, `missing from spec.versions; ${v} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${v} and removes ${v} from status.storedVersions`));
  }
  return errs;
}

const isEstablished = (crd: CustomResourceDefinition | undefined) =>
  (Array.isArray(crd?.status?.conditions) ? crd.status.conditions : []).some((c) => isPlainObject(c) && c.type === 'Established' && c.status === 'True');

/** CRD validation on create (no `old`) and update, with upstream's field paths and messages. */
export function validateCustomResourceDefinition(crd: CustomResourceDefinition, old?: CustomResourceDefinition): FieldError[] {
  const c: CustomResourceDefinition = isPlainObject(crd) ? crd : {};
  const errs: FieldError[] = [];
  if (!old) {
    const requiredName = `${str(c.spec?.names?.plural)}.${str(c.spec?.group)}`;
    errs.push(...validateObjectMeta(c.metadata, {
      namespaced: false,
      nameRule: (name, prefix) => {
        const out = nameIsDNSSubdomain(name, prefix);
        if (!prefix && name !== requiredName) out.push('must be spec.names.plural+"."+spec.group');
        return out;
      },
    }));
  } else {
    errs.push(...validateObjectMetaUpdate(c.metadata, old.metadata));
  }
  errs.push(...validateSpec(c));
  if (old) {
    const spec = c.spec ?? {};
    const oldSpec = old.spec ?? {};
    const immutable = (field: string, a: unknown, b: unknown) => {
      if (canonical(a) !== canonical(b)) errs.push(invalid(field, a ?? '', 'field is immutable'));
    };
    if (isEstablished(old)) {
      immutable('spec.scope', spec.scope, oldSpec.scope);
      immutable('spec.names.kind', spec.names?.kind, oldSpec.names?.kind);
    }
    immutable('spec.group', spec.group, oldSpec.group);
    immutable('spec.names.plural', spec.names?.plural, oldSpec.names?.plural);
  }
  errs.push(...validateStatus(c, old !== undefined));
  errs.push(...validateAPIApproval(c, old));
  return errs;
}

/** ValidateUpdateCustomResourceDefinitionStatus: writes to the status subresource. */
export function validateCustomResourceDefinitionStatusUpdate(crd: CustomResourceDefinition, old: CustomResourceDefinition): FieldError[] {
  const c: CustomResourceDefinition = isPlainObject(crd) ? crd : {};
  const status = isPlainObject(c.status) ? c.status : {};
  return [
    ...validateObjectMetaUpdate(c.metadata, old.metadata),
    ...validateCustomResourceDefinitionNames(status.acceptedNames as CustomResourceDefinitionNames | undefined, 'status.acceptedNames'),
  ];
}
