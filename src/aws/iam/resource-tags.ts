// Tags on customer managed policies and OpenID Connect providers: TagPolicy, UntagPolicy, ListPolicyTags,
// TagOpenIDConnectProvider, UntagOpenIDConnectProvider, ListOpenIDConnectProviderTags.
import { limitExceeded } from '../errors.js';
import { memberList } from '../server/query.js';
import { mergeTags, page, parseTags, required, tagsXml } from './common.js';
import type { IamAction, IamDeps } from './deps.js';
import type { Tag } from './model.js';
import { getOidcProvider } from './oidc.js';
import { customerPolicy, loadAttachable } from './policies.js';

interface Tagged {
  Arn: string;
  Tags: Tag[];
}

/** Tag/Untag/List actions over one kind of ARN-named resource. */
function tagActions<R extends Tagged>(
  kind: string, arnParam: string, quotaName: string,
  load: (deps: IamDeps, arn: string) => Promise<R>, read: (deps: IamDeps, arn: string) => Promise<R>, save: (deps: IamDeps, r: R) => Promise<void>,
): Record<string, IamAction> {
  return {
    async [`Tag${kind}`](p, _ctx, deps) {
      const r = await load(deps, required(p, arnParam));
      const tags = mergeTags(r.Tags, parseTags(p));
      if (tags.length > 50) throw limitExceeded(`Cannot exceed quota for ${quotaName}: 50.`);
      r.Tags = tags;
      await save(deps, r);
      return undefined;
    },
    async [`Untag${kind}`](p, _ctx, deps) {
      const r = await load(deps, required(p, arnParam));
      const keys = new Set(memberList(p, 'TagKeys'));
      r.Tags = r.Tags.filter((t) => !keys.has(t.Key));
      await save(deps, r);
      return undefined;
    },
    async [`List${kind}Tags`](p, _ctx, deps) {
      const r = await read(deps, required(p, arnParam));
      const pg = page(r.Tags, p);
      return { Tags: tagsXml(pg.items), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    },
  };
}

export const resourceTagActions: Record<string, IamAction> = {
  ...tagActions('Policy', 'PolicyArn', 'TagsPerPolicy', customerPolicy, loadAttachable, (deps, r) => deps.state.put('policy', r.Arn, r)),
  ...tagActions('OpenIDConnectProvider', 'OpenIDConnectProviderArn', 'TagsPerOpenIDConnectProvider', getOidcProvider, getOidcProvider,
    (deps, r) => deps.state.put('oidc', r.Arn, r)),
};
