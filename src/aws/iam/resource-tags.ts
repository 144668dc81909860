// Tags on customer managed policies, OpenID Connect providers and instance profiles: TagPolicy, UntagPolicy,
// ListPolicyTags, TagOpenIDConnectProvider, UntagOpenIDConnectProvider, ListOpenIDConnectProviderTags,
// TagInstanceProfile, UntagInstanceProfile, ListInstanceProfileTags.
import { limitExceeded, validationError } from '../errors.js';
import { memberList } from '../server/query.js';
import { mergeTags, page, parseTags, required, tagsXml } from './common.js';
import type { IamAction, IamDeps } from './deps.js';
import { getInstanceProfile, saveProfile } from './instance-profiles.js';
import type { Tag } from './model.js';
import { getOidcProvider } from './oidc.js';
import { customerPolicy, loadAttachable } from './policies.js';

/** IAM's quota of tags on one resource. */
const MAX_TAGS = 50;

interface Tagged {
  Tags: Tag[];
}

interface TagFamily<R extends Tagged> {
  /** The resource type in the action names: Tag<kind>, Untag<kind>, List<kind>Tags. */
  kind: string;
  /** The parameter naming the resource (its ARN or name). */
  param: string;
  /** The quota named when a resource would exceed its tags. */
  quotaName: string;
  /** The resource as Tag/Untag modify it. */
  load: (deps: IamDeps, id: string) => Promise<R>;
  /** The resource as List reads it (AWS managed policies can be listed, not tagged); load when absent. */
  read?: (deps: IamDeps, id: string) => Promise<R>;
  save: (deps: IamDeps, r: R) => Promise<void>;
  /** A call without Tags (TagKeys) is a ValidationError rather than a no-op. */
  requireMembers?: boolean;
  /** List answers the tags sorted by key. */
  sortedList?: boolean;
}

const byKey = (a: Tag, b: Tag) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0);

/** Tag/Untag/List actions over one kind of tagged resource. */
function tagActions<R extends Tagged>(f: TagFamily<R>): Record<string, IamAction> {
  const read = f.read ?? f.load;
  return {
    async [`Tag${f.kind}`](p, _ctx, deps) {
      const r = await f.load(deps, required(p, f.param));
      const added = parseTags(p);
      if (f.requireMembers && !added.length) throw validationError(`1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null`);
      const tags = mergeTags(r.Tags, added);
      if (tags.length > MAX_TAGS) throw limitExceeded(`Cannot exceed quota for ${f.quotaName}: ${MAX_TAGS}.`);
      r.Tags = tags;
      await f.save(deps, r);
      return undefined;
    },
    async [`Untag${f.kind}`](p, _ctx, deps) {
      const r = await f.load(deps, required(p, f.param));
      const keys = new Set(memberList(p, 'TagKeys'));
      if (f.requireMembers && !keys.size) throw validationError(`1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null`);
      r.Tags = r.Tags.filter((t) => !keys.has(t.Key));
      await f.save(deps, r);
      return undefined;
    },
    async [`List${f.kind}Tags`](p, _ctx, deps) {
      const r = await read(deps, required(p, f.param));
      const pg = page(f.sortedList ? [...r.Tags].sort(byKey) : r.Tags, p);
      return { Tags: tagsXml(pg.items), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    },
  };
}

export const resourceTagActions: Record<string, IamAction> = {
  ...tagActions({
    kind: 'Policy', param: 'PolicyArn', quotaName: 'TagsPerPolicy', load: customerPolicy, read: loadAttachable,
    save: (deps, r) => deps.state.put('policy', r.Arn, r),
  }),
  ...tagActions({
    kind: 'OpenIDConnectProvider', param: 'OpenIDConnectProviderArn', quotaName: 'TagsPerOpenIDConnectProvider', load: getOidcProvider,
    save: (deps, r) => deps.state.put('oidc', r.Arn, r),
  }),
  // IAM answers an instance profile's tags sorted by key.
  ...tagActions({
    kind: 'InstanceProfile', param: 'InstanceProfileName', quotaName: 'TagsPerInstanceProfile', load: getInstanceProfile, save: saveProfile,
    requireMembers: true, sortedList: true,
  }),
};
