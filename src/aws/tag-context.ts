// The tag condition keys AWS puts in a request context (IAM User Guide, "Controlling access to AWS
// resources using tags"): aws:RequestTag/<key> and aws:TagKeys for the tags a request carries (tags on
// create, TagX; UntagX sets aws:TagKeys only), aws:ResourceTag/<key> for the tags of the resource acted on.
import type { ContextValue } from './iam/policy/index.js';

export type TagMap = Record<string, string>;

/** aws:RequestTag/<key> for each tag, aws:TagKeys (multivalued) for their keys; nothing for no tags. */
export function requestTagContext(tags: TagMap): Record<string, ContextValue> {
  const keys = Object.keys(tags);
  if (keys.length === 0) return {};
  const ctx: Record<string, ContextValue> = { 'aws:TagKeys': keys };
  for (const k of keys) ctx[`aws:RequestTag/${k}`] = tags[k];
  return ctx;
}

/** aws:TagKeys alone: what an untag request carries. */
export function tagKeysContext(keys: string[]): Record<string, ContextValue> {
  return keys.length ? { 'aws:TagKeys': keys } : {};
}

/**
 * aws:ResourceTag/<key> for the resource's tags. IAM roles and users also answer to
 * iam:ResourceTag/<key> (IAM's service authorization reference lists both for those resource types).
 */
export function resourceTagContext(tags: TagMap, withIamKeys = false): Record<string, ContextValue> {
  const ctx: Record<string, ContextValue> = {};
  for (const [k, v] of Object.entries(tags)) {
    ctx[`aws:ResourceTag/${k}`] = v;
    if (withIamKeys) ctx[`iam:ResourceTag/${k}`] = v;
  }
  return ctx;
}
