// resource.Quantity fields are parsed while the body is decoded upstream (Quantity.UnmarshalJSON,
// and Quantity.Unmarshal for protobuf), so a malformed quantity fails the decode: 400 BadRequest
// "<Kind> in version "<v>" cannot be handled as a <Kind>: <ParseQuantity error>"
// (handlers/rest.go transformDecodeError), before defaulting, validation or admission.
import { badRequest, type ApiError } from '../../api/status.js';
import { QUANTITY_FORMAT_ERROR, parseQuantity } from '../../util/quantity.js';
import type { SchemaCatalog, TypeNode } from '../schema/types.js';

const QUANTITY_REF = 'k8s.io/apimachinery/pkg/api/resource.Quantity';
/** resource.ErrSuffix and resource.ErrNumeric. */
const SUFFIX_ERROR = "unable to parse quantity's suffix";
const NUMERIC_ERROR = 'unable to parse numeric part of quantity';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** parseQuantityString's shape check: the suffix, or undefined where it reports ErrFormatWrong. */
function quantitySuffix(s: string): string | undefined {
  let pos = 0;
  if (s[0] === '-' || s[0] === '+') pos++;
  while (s[pos] === '0') pos++;
  if (pos >= s.length) return '';
  while (isDigit(s[pos])) pos++;
  if (pos >= s.length) return '';
  if (s[pos] === '.') {
    pos++;
    while (isDigit(s[pos])) pos++;
    if (pos >= s.length) return '';
  }
  const suffixStart = pos;
  while (pos < s.length && 'eEinumkKMGTP'.includes(s[pos])) pos++;
  if (pos >= s.length) return s.slice(suffixStart);
  if (s[pos] === '-' || s[pos] === '+') pos++;
  while (isDigit(s[pos])) pos++;
  return pos >= s.length ? s.slice(suffixStart) : undefined;
}

/** quantitySuffixer.interpret: the decimal and binary SI suffixes and e/E exponents. */
function knownSuffix(suffix: string): boolean {
  if (['', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'].includes(suffix)) return true;
  return suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1));
}

/**
 * The error Quantity.UnmarshalJSON gives for a JSON value, or undefined when it parses. JSON null
 * is the zero quantity; numbers are read from their text; other values are not quantities.
 */
export function quantityDecodeError(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return parseQuantity(String(value)) ? undefined : NUMERIC_ERROR;
  if (typeof value !== 'string') return QUANTITY_FORMAT_ERROR;
  const s = value.trim();
  if (s === '') return QUANTITY_FORMAT_ERROR;
  if (parseQuantity(s)) return undefined;
  const suffix = quantitySuffix(s);
  if (suffix === undefined) return QUANTITY_FORMAT_ERROR;
  if (!knownSuffix(suffix)) return SUFFIX_ERROR;
  // Shapes upstream accepts that this parser does not ("-", "."): left to validation.
  return /[0-9]/.test(s) ? NUMERIC_ERROR : undefined;
}

/** The first malformed quantity in the object (in field order, as the decoder meets them). */
function firstError(catalog: SchemaCatalog, type: TypeNode, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (type.kind) {
    case 'struct': {
      const def = catalog.struct(type.ref);
      if (!def || !isRecord(value)) return undefined;
      for (const [key, v] of Object.entries(value)) {
        const field = def.byJson.get(key);
        const err = field ? firstError(catalog, field.type, v) : undefined;
        if (err) return err;
      }
      return undefined;
    }
    case 'list':
      if (!Array.isArray(value)) return undefined;
      for (const v of value) {
        const err = firstError(catalog, type.elem, v);
        if (err) return err;
      }
      return undefined;
    case 'map':
      if (!isRecord(value)) return undefined;
      for (const v of Object.values(value)) {
        const err = firstError(catalog, type.value, v);
        if (err) return err;
      }
      return undefined;
    case 'special':
      return type.ref === QUANTITY_REF ? quantityDecodeError(value) : undefined;
    default:
      return undefined;
  }
}

/** The decode error of the first malformed quantity of an object of type `typeRef`, if any. */
export function firstQuantityError(catalog: SchemaCatalog, typeRef: string, obj: Record<string, unknown>): string | undefined {
  return firstError(catalog, { kind: 'struct', ref: typeRef }, obj);
}

/** Throws the decode error of the first malformed quantity of a decoded body of type `typeRef`. */
export function checkQuantities(catalog: SchemaCatalog, typeRef: string, obj: Record<string, unknown>): void {
  const err = firstQuantityError(catalog, typeRef, obj);
  if (err) throw cannotBeHandled(obj, err);
}

function cannotBeHandled(obj: Record<string, unknown>, why: string): ApiError {
  const kind = String(obj['kind'] ?? '');
  const apiVersion = String(obj['apiVersion'] ?? '');
  const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
  return badRequest(`${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: ${why}`);
}
