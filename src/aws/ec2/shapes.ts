// What the EC2 actions share: tag sets and tag specifications as EC2 reads and writes them,
// Describe* filters (with * and ? wildcards, tag:<key>, tag-key, tag-value) and ID lists.
import type { Tags } from '../../cloud/index.js';
import { AwsError } from '../errors.js';
import { numberedList, type Ec2Xml, type Filter, type Params } from './protocol.js';

export type Item = Record<string, Ec2Xml>;
/** Per filter name, the values an object offers to match against. */
export type FilterFields = Record<string, (string | undefined)[]>;

export const tagSet = (tags: Tags): Ec2Xml[] | undefined => {
  const entries = Object.entries(tags);
  return entries.length ? entries.map(([key, value]) => ({ key, value })) : undefined;
};

export function tagFields(tags: Tags): FilterFields {
  const f: FilterFields = { 'tag-key': Object.keys(tags), 'tag-value': Object.values(tags) };
  for (const [k, v] of Object.entries(tags)) f[`tag:${k}`] = [v];
  return f;
}

/** EC2 filter values may hold * and ? wildcards. */
function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

/** Keeps the objects every filter matches (values of one filter OR together); unknown filter names fail as EC2 does. */
export function applyFilters<T>(items: T[], fs: Filter[], fields: (t: T) => FilterFields, known: string[]): T[] {
  for (const f of fs) {
    if (!known.includes(f.name) && !f.name.startsWith('tag:')) throw new AwsError('InvalidParameterValue', `The filter '${f.name}' is invalid`, 400);
  }
  return items.filter((item) => {
    const offered = fields(item);
    return fs.every((f) => (offered[f.name] ?? []).some((v) => v !== undefined && f.values.some((p) => wildcardMatch(p, v))));
  });
}

/** Picks objects by the request's ID list; every named ID must exist. */
export function byIds<T>(items: T[], ids: string[], idOf: (t: T) => string, notFound: (id: string) => AwsError): T[] {
  if (!ids.length) return items;
  for (const id of ids) if (!items.some((i) => idOf(i) === id)) throw notFound(id);
  return items.filter((i) => ids.includes(idOf(i)));
}

/** A required parameter, or EC2's MissingParameter. */
export function required(p: Params, name: string): string {
  const v = p[name];
  if (v === undefined || v === '') throw new AwsError('MissingParameter', `The request must contain the parameter ${name}`, 400);
  return v;
}

/** The tag limits of EC2 (user guide, "Tag restrictions"): 50 per resource, keys ≤ 128, values ≤ 256, no aws: prefix. */
export const MAX_TAGS_PER_RESOURCE = 50;

export function validateTags(tags: { key: string; value?: string }[]): void {
  for (const t of tags) {
    if (!t.key) throw new AwsError('InvalidParameterValue', 'Tag key cannot be empty', 400);
    if (t.key.length > 128) throw new AwsError('InvalidParameterValue', `Tag key exceeds the maximum length of 128 characters`, 400);
    if ((t.value ?? '').length > 256) throw new AwsError('InvalidParameterValue', `Tag value exceeds the maximum length of 256 characters`, 400);
    if (t.key.toLowerCase().startsWith('aws:')) throw new AwsError('InvalidParameterValue', "Tag keys starting with 'aws:' are reserved for internal use", 400);
  }
}

/** `Tag.N.Key` / `Tag.N.Value` under a prefix ("Tag", "TagSpecification.1.Tag"). */
export function tagList(p: Params, prefix: string): { key: string; value?: string }[] {
  const out: { key: string; value?: string }[] = [];
  for (let i = 1; p[`${prefix}.${i}.Key`] !== undefined || p[`${prefix}.${i}.Value`] !== undefined; i++) {
    out.push({ key: p[`${prefix}.${i}.Key`] ?? '', value: p[`${prefix}.${i}.Value`] });
  }
  return out;
}

/**
 * The tags of a create call's `TagSpecification.N` for its resource type. Another resource type
 * is refused as EC2 refuses it; so are more than 50 tags or a key given twice.
 */
export function tagsFor(p: Params, resourceType: string): Tags {
  const tags: Tags = {};
  for (let i = 1; p[`TagSpecification.${i}.ResourceType`] !== undefined || p[`TagSpecification.${i}.Tag.1.Key`] !== undefined; i++) {
    const type = p[`TagSpecification.${i}.ResourceType`];
    if (type !== resourceType) throw new AwsError('InvalidParameterValue', `'${type ?? ''}' is not a valid taggable resource type for this operation.`, 400);
    const list = tagList(p, `TagSpecification.${i}.Tag`);
    validateTags(list);
    for (const t of list) {
      if (t.key in tags) throw new AwsError('InvalidParameterValue', `Duplicate tag key '${t.key}' specified.`, 400);
      tags[t.key] = t.value ?? '';
    }
  }
  if (Object.keys(tags).length > MAX_TAGS_PER_RESOURCE) throw new AwsError('TagLimitExceeded', `The maximum number of tags per resource is ${MAX_TAGS_PER_RESOURCE}.`, 400);
  return tags;
}

export { numberedList };
