// OpenID Connect identity providers: the IAM side of IRSA. The provider ARN is
// arn:aws:iam::<account>:oidc-provider/<issuer host and path>.
import { entityAlreadyExists, invalidInput, noSuchEntity, validationError } from '../errors.js';
import { memberList } from '../server/query.js';
import { isoNow, parseTags, required, tagsXml } from './common.js';
import type { IamAction, IamDeps } from './deps.js';
import type { OidcProviderRecord } from './model.js';

export async function getOidcProvider(deps: IamDeps, arn: string): Promise<OidcProviderRecord> {
  const p = await deps.state.get<OidcProviderRecord>('oidc', arn);
  if (!p) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return p;
}

function checkThumbprints(list: string[]): void {
  if (list.length > 5) throw invalidInput('Thumbprint list must contain fewer than 5 entries.');
  for (const t of list) if (!/^[0-9a-fA-F]{40}$/.test(t)) throw validationError(`1 validation error detected: Value '${t}' at 'thumbprintList' failed to satisfy constraint: Member must have length greater than or equal to 40`);
}

export const oidcActions: Record<string, IamAction> = {
  async CreateOpenIDConnectProvider(p, ctx, deps) {
    const url = required(p, 'Url');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw validationError('Invalid Open ID Connect Provider URL');
    }
    if (parsed.protocol !== 'https:') throw validationError('Invalid Open ID Connect Provider URL');
    const hostPath = (parsed.host + parsed.pathname).replace(/\/$/, '');
    const thumbprints = memberList(p, 'ThumbprintList');
    checkThumbprints(thumbprints);
    const clientIds = memberList(p, 'ClientIDList');
    const arn = `arn:aws:iam::${deps.accountId}:oidc-provider/${hostPath}`;
    if (await deps.state.get('oidc', arn)) throw entityAlreadyExists(`Provider with url ${url} already exists.`);
    const rec: OidcProviderRecord = { Arn: arn, Url: hostPath, ClientIDList: clientIds, ThumbprintList: thumbprints, CreateDate: isoNow(ctx.clock.now()), Tags: parseTags(p) };
    await deps.state.put('oidc', arn, rec);
    return { OpenIDConnectProviderArn: arn, Tags: rec.Tags.length ? tagsXml(rec.Tags) : undefined };
  },
  async GetOpenIDConnectProvider(p, _ctx, deps) {
    const rec = await getOidcProvider(deps, required(p, 'OpenIDConnectProviderArn'));
    return { Url: rec.Url, ClientIDList: rec.ClientIDList, ThumbprintList: rec.ThumbprintList, CreateDate: rec.CreateDate, Tags: tagsXml(rec.Tags) };
  },
  async ListOpenIDConnectProviders(_p, _ctx, deps) {
    const all = await deps.state.list<OidcProviderRecord>('oidc');
    return { OpenIDConnectProviderList: all.map((r) => ({ Arn: r.Arn })) };
  },
  async DeleteOpenIDConnectProvider(p, _ctx, deps) {
    const rec = await getOidcProvider(deps, required(p, 'OpenIDConnectProviderArn'));
    await deps.state.delete('oidc', rec.Arn);
    return undefined;
  },
  async AddClientIDToOpenIDConnectProvider(p, _ctx, deps) {
    const rec = await getOidcProvider(deps, required(p, 'OpenIDConnectProviderArn'));
    const id = required(p, 'ClientID');
    if (!rec.ClientIDList.includes(id)) rec.ClientIDList.push(id);
    await deps.state.put('oidc', rec.Arn, rec);
    return undefined;
  },
  async RemoveClientIDFromOpenIDConnectProvider(p, _ctx, deps) {
    const rec = await getOidcProvider(deps, required(p, 'OpenIDConnectProviderArn'));
    const id = required(p, 'ClientID');
    rec.ClientIDList = rec.ClientIDList.filter((c) => c !== id);
    await deps.state.put('oidc', rec.Arn, rec);
    return undefined;
  },
  async UpdateOpenIDConnectProviderThumbprint(p, _ctx, deps: IamDeps) {
    const rec = await getOidcProvider(deps, required(p, 'OpenIDConnectProviderArn'));
    const list = memberList(p, 'ThumbprintList');
    checkThumbprints(list);
    rec.ThumbprintList = list;
    await deps.state.put('oidc', rec.Arn, rec);
    return undefined;
  },
};
