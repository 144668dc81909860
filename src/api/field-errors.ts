// Field-level validation errors (k8s.io/apimachinery/pkg/util/validation/field), rendered the way
// upstream renders them into Status causes: `spec.replicas: Invalid value: -1: must be ...`.
import type { StatusCause } from './status.js';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'InternalError';

export interface FieldError {
  type: FieldErrorType;
  /** Dotted path with indexes and keys: spec.template.spec.containers[0].image, metadata.labels[app]. */
  field: string;
  badValue?: unknown;
  detail?: string;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
  InternalError: 'Internal error',
};

/** Upstream's error text without the field prefix: `Invalid value: -1: must be ...`. */
export function fieldErrorMessage(e: FieldError): string {
  const text = TYPE_TEXT[e.type];
  const showValue = e.type === 'FieldValueInvalid' || e.type === 'FieldValueNotSupported' || e.type === 'FieldValueDuplicate' || e.type === 'FieldValueTypeInvalid';
  let out = text;
  if (showValue && e.badValue !== undefined) {
    const v = typeof e.badValue === 'string' ? JSON.stringify(e.badValue) : typeof e.badValue === 'object' ? JSON.stringify(e.badValue) : String(e.badValue);
    out += `: ${v}`;
  }
  if (e.detail) out += `: ${e.detail}`;
  return out;
}

export function toStatusCauses(errors: FieldError[]): StatusCause[] {
  return errors.map((e) => ({ reason: e.type, message: fieldErrorMessage(e), field: e.field }));
}
