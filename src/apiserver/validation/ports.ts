// Port numbers and names (util/validation IsValidPortNum, IsValidPortName) and IntOrString ports.
import type { FieldError } from './errors.js';
import { invalid } from './errors.js';

export function portNumErrors(port: unknown): string[] {
  const n = Number(port);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

export function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** ValidatePortNumOrName for an IntOrString port. */
export function validatePortNumOrName(port: unknown, field: string): FieldError[] {
  // An unset IntOrString is the integer 0.
  if (port === undefined || port === null) return portNumErrors(0).map((m) => invalid(field, 0, m));
  if (typeof port === 'number') return portNumErrors(port).map((m) => invalid(field, port, m));
  if (typeof port === 'string') return portNameErrors(port).map((m) => invalid(field, port, m));
  return [invalid(field, port, 'must contain an int or string')];
}
