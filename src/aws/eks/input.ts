// Reading restJson1 request members: type checks with EKS's InvalidParameterException, tags and pagination.
import { invalidParameter } from './errors.js';
import type { Tags } from './model.js';

export type Body = Record<string, unknown>;

export function optString(body: Body, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidParameter(`${key} must be a string`);
  return v;
}

export function reqString(body: Body, key: string): string {
  const v = optString(body, key);
  if (v === undefined || v === '') throw invalidParameter(`${key} is required`);
  return v;
}

export function optBool(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidParameter(`${key} must be a boolean`);
  return v;
}

export function optObject(body: Body, key: string): Body | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParameter(`${key} must be an object`);
  return v as Body;
}

export function optStringList(body: Body, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw invalidParameter(`${key} must be a list of strings`);
  return v as string[];
}

/** TagMap: 1..50 entries, keys 1..128 characters, values up to 256, no `aws:` prefix. */
export function optTags(body: Body, key = 'tags'): Tags | undefined {
  const v = optObject(body, key);
  if (v === undefined) return undefined;
  const entries = Object.entries(v);
  if (entries.length < 1 || entries.length > 50) throw invalidParameter(`${key} must contain between 1 and 50 tags`);
  for (const [k, val] of entries) {
    if (typeof val !== 'string') throw invalidParameter(`Tag value for key ${k} must be a string`);
    if (k.length < 1 || k.length > 128) throw invalidParameter(`Tag key ${k} must be between 1 and 128 characters`);
    if (val.length > 256) throw invalidParameter(`Tag value for key ${k} must be at most 256 characters`);
    if (k.toLowerCase().startsWith('aws:')) throw invalidParameter('Tag keys starting with aws: are reserved');
  }
  return v as Tags;
}

export type Query = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function queryString(q: Query, key: string): string | undefined {
  return first(q[key]);
}

export function queryList(q: Query, key: string): string[] {
  const v = q[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function queryBool(q: Query, key: string): boolean | undefined {
  const v = first(q[key]);
  if (v === undefined) return undefined;
  if (v !== 'true' && v !== 'false') throw invalidParameter(`${key} must be true or false`);
  return v === 'true';
}

/** One page of `items` (already in answer order) after the item named by nextToken. */
export function paginate<T>(items: T[], keyOf: (t: T) => string, q: Query): { page: T[]; nextToken?: string } {
  const maxText = queryString(q, 'maxResults');
  let max = 100;
  if (maxText !== undefined) {
    max = Number(maxText);
    if (!Number.isInteger(max) || max < 1 || max > 100) throw invalidParameter('maxResults must be between 1 and 100');
  }
  let start = 0;
  const token = queryString(q, 'nextToken');
  if (token !== undefined && token !== '') {
    let after: string;
    try {
      after = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')).after;
    } catch {
      throw invalidParameter('The nextToken provided is invalid');
    }
    if (typeof after !== 'string') throw invalidParameter('The nextToken provided is invalid');
    const i = items.findIndex((t) => keyOf(t) > after);
    start = i < 0 ? items.length : i;
  }
  const page = items.slice(start, start + max);
  const more = start + max < items.length;
  return { page, nextToken: more ? Buffer.from(JSON.stringify({ after: keyOf(page[page.length - 1]) })).toString('base64url') : undefined };
}
