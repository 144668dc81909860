// Helpers every IAM action uses: parameter validation with IAM's ValidationError text,
// Marker/MaxItems paging, tag lists, ISO dates.
import { AwsError, validationError } from '../errors.js';
import { memberStructs, type Params, type XmlValue } from '../server/query.js';
import type { Tag } from './model.js';

export const NAME_PATTERN = /^[\w+=,.@-]+$/;

export function required(params: Params, name: string): string {
  const v = params[name];
  if (v === undefined) throw validationError(`1 validation error detected: Value null at '${name[0].toLowerCase() + name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return v;
}

export function checkName(value: string, member: string, max: number): void {
  const field = member[0].toLowerCase() + member.slice(1);
  if (value.length < 1 || value.length > max) {
    throw validationError(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }
  if (!NAME_PATTERN.test(value)) {
    throw validationError(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`);
  }
}

export function checkPath(path: string): void {
  // The model's pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F), at most 512 characters.
  if (!/^\/([\u0021-\u007E]*\/)?$/.test(path) || path.length > 512) {
    throw validationError(`The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
  }
}

export const isoNow = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function parseTags(params: Params, name = 'Tags'): Tag[] {
  const tags = memberStructs(params, name, ['Key', 'Value']).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
  if (tags.length > 50) throw new AwsError('LimitExceeded', 'Cannot exceed quota for TagsPerRole: 50.', 409);
  for (const t of tags) if (!t.Key) throw validationError(`1 validation error detected: Value null at 'tags.member.key' failed to satisfy constraint: Member must not be null`);
  return tags;
}

export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const out = existing.filter((t) => !added.some((a) => a.Key === t.Key));
  return [...out, ...added];
}

export const tagsXml = (tags: Tag[]): XmlValue => tags.map((t) => ({ Key: t.Key, Value: t.Value }));

/** Marker/MaxItems paging: the marker is the index of the next item. */
export function page<T>(items: T[], params: Params): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const max = params.MaxItems === undefined ? 100 : Number(params.MaxItems);
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw validationError(`1 validation error detected: Value '${params.MaxItems}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  }
  let start = 0;
  if (params.Marker !== undefined) {
    const decoded = Number(Buffer.from(params.Marker, 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0) throw validationError('Invalid Marker.');
    start = decoded;
  }
  const slice = items.slice(start, start + max);
  const next = start + max;
  return next < items.length
    ? { items: slice, IsTruncated: true, Marker: Buffer.from(String(next)).toString('base64url') }
    : { items: slice, IsTruncated: false };
}

/** IAM answers policy documents URL-encoded. */
export const encodeDocument = (doc: string) => encodeURIComponent(doc);

export function pathPrefixFilter<T extends { Path: string }>(items: T[], params: Params): T[] {
  const prefix = params.PathPrefix;
  return prefix ? items.filter((i) => i.Path.startsWith(prefix)) : items;
}
