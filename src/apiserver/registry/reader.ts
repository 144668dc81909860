// get and list with upstream's resourceVersion semantics
// (https://kubernetes.io/docs/reference/using-api/api-concepts/#semantics-for-get-and-list):
//   ""  most recent: get reads the store, list reads the cache once it has caught up with the
//       store's current revision (ConsistentListFromCache);
//   "0" any: the cache as it is;
//   N   NotOlderThan: the cache once it has seen N (504 "Too large resource version" after 3s);
//   N + Exact (or a list with limit and match unset): the store at revision N (410 when compacted).
import { badRequest, notFound } from '../../api/status.js';
import { CompactedError, FutureRevisionError } from '../../storage/errors.js';
import type { KeyValue } from '../../storage/types.js';
import type { ResourceDef } from '../schema/types.js';
import { decodeKv, resourcePrefix } from '../watchcache/index.js';
import type { ResourceCache } from '../watchcache/index.js';
import type { RegistryContext } from './context.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { CONTINUE_EXPIRED, LIST_EXPIRED, resourceExpired, tooLargeResourceVersion } from './errors.js';
import { parseResourceVersion, validateListOptions } from './list-options.js';
import { keyFor } from './object-key.js';
import { selectionFor } from './selection.js';
import { customFromStorage, customListFromStorage, customSelectionView } from './custom-conversion.js';
import { storageOf } from './storage-mapping.js';
import type { Selection } from './selection.js';
import type { ApiObject, ListOptions } from './types.js';

export function groupVersion(res: ResourceDef): string {
  return res.group ? `${res.group}/${res.version}` : res.version;
}

export function cacheOf(ctx: RegistryContext, res: ResourceDef): ResourceCache {
  return ctx.hub.cache(storageOf(res).ref.id);
}

/** Waits until the cache has applied revision `rv`, else the 504 upstream sends. */
export async function waitForCache(ctx: RegistryContext, rv: number): Promise<void> {
  if (!(await ctx.hub.waitForRevision(rv, ctx.blockTimeoutMs))) throw tooLargeResourceVersion(rv, ctx.hub.revision);
}

export async function getObject(ctx: RegistryContext, res: ResourceDef, namespace: string | undefined, name: string, resourceVersion?: string): Promise<ApiObject> {
  const key = keyFor(ctx.store.prefix, res, namespace, name);
  const conv = storageOf(res).fromStorage;
  const rv = parseResourceVersion(resourceVersion);
  if (rv === undefined) {
    const kv = await ctx.store.get(key);
    if (!kv) throw notFound(res.group, res.resource, name);
    return customFromStorage(ctx, res, conv ? conv(decodeKv(kv)) : decodeKv(kv));
  }
  if (rv > 0) await waitForCache(ctx, rv);
  const cached = cacheOf(ctx, res).get(key);
  if (!cached) throw notFound(res.group, res.resource, name);
  const obj = JSON.parse(cached.json) as ApiObject;
  return customFromStorage(ctx, res, conv ? conv(obj) : obj);
}

type Converter = (obj: Readonly<ApiObject>) => ApiObject;

interface Page {
  items: Readonly<ApiObject>[];
  rv: number;
  continueToken?: string;
  remaining?: number;
}

function listObject(res: ResourceDef, page: Page): ApiObject {
  const metadata: Record<string, unknown> = { resourceVersion: String(page.rv) };
  if (page.continueToken) metadata.continue = page.continueToken;
  if (page.remaining !== undefined && page.continueToken) metadata.remainingItemCount = page.remaining;
  return { kind: res.listKind, apiVersion: groupVersion(res), metadata, items: page.items };
}

/** A page from the cache's current state (which is the state at revision `rv`). */
function pageFromCache(cache: ResourceCache, prefix: string, sel: Selection, limit: number | undefined, rv: number, startAfter?: string, conv?: Converter): Page {
  const all = cache.range(prefix, startAfter);
  const view = conv ? (o: Readonly<ApiObject>) => conv(o) : (o: Readonly<ApiObject>) => o;
  const items: Readonly<ApiObject>[] = [];
  let i = 0;
  for (; i < all.length; i++) {
    if (limit && items.length >= limit) break;
    const obj = view(all.at(i).object);
    if (sel.matches(obj)) items.push(obj);
  }
  if (i >= all.length) return { items, rv };
  // Upstream only sets continue when more matching items may follow; with selectors it cannot
  // tell cheaply, so look ahead for one.
  let more = sel.everything;
  if (!more) for (let j = i; j < all.length && !more; j++) more = sel.matches(view(all.at(j).object));
  if (!more) return { items, rv };
  return { items, rv, continueToken: encodeContinue(all.at(i - 1).key, prefix, rv), remaining: sel.everything ? all.length - i : undefined };
}

/** A page read from the store at revision `rv` (0: current), filling up to `limit` matches. */
async function pageFromStore(ctx: RegistryContext, prefix: string, sel: Selection, limit: number | undefined, rv: number, startAfter: string | undefined, continuing: boolean, conv?: Converter): Promise<Page> {
  const items: Readonly<ApiObject>[] = [];
  let revision = rv;
  let after = startAfter;
  let lastKey: string | undefined;
  for (;;) {
    let result;
    try {
      result = await ctx.store.range(prefix, { revision: revision || undefined, limit: limit ? limit - items.length : undefined, startAfter: after });
    } catch (err) {
      if (err instanceof CompactedError) {
        if (continuing && after) throw resourceExpired(CONTINUE_EXPIRED, encodeContinue(after, prefix, -1));
        throw resourceExpired(LIST_EXPIRED);
      }
      if (err instanceof FutureRevisionError) throw tooLargeResourceVersion(err.requestedRevision, err.currentRevision);
      throw err;
    }
    revision = result.revision;
    const kvs: KeyValue[] = result.kvs;
    for (const kv of kvs) {
      const obj = conv ? conv(decodeKv(kv)) : decodeKv(kv);
      if (sel.matches(obj)) items.push(obj);
      lastKey = kv.key;
    }
    if (!result.more || kvs.length === 0) return { items, rv: revision };
    if (limit && items.length >= limit) {
      return { items, rv: revision, continueToken: encodeContinue(lastKey as string, prefix, revision) };
    }
    after = lastKey;
  }
}

export async function listObjects(ctx: RegistryContext, res: ResourceDef, namespace: string | undefined, opts: ListOptions): Promise<ApiObject> {
  validateListOptions(opts);
  const custom = ctx.customResources?.forResource(res);
  const sel = selectionFor(res, opts, custom?.fieldSelectors);
  if (!custom) return listStored(ctx, res, namespace, opts, sel);
  // Custom objects: selectors match the endpoint's version; the page's items are converted in one batch.
  let view: Converter | undefined;
  if (!sel.everything) {
    view = await customSelectionView(ctx, res, cacheOf(ctx, res).list(resourcePrefix(ctx.store.prefix, storageOf(res).ref, namespace)).map((c) => c.object));
  }
  const list = await listStored(ctx, res, namespace, opts, sel, view);
  list.items = await customListFromStorage(ctx, res, list.items as ApiObject[]);
  return list;
}

/** A list page of stored objects; `opts` already validated and `sel` built from them. */
async function listStored(ctx: RegistryContext, res: ResourceDef, namespace: string | undefined, opts: ListOptions, sel: Selection, view?: Converter): Promise<ApiObject> {
  const mapping = storageOf(res);
  const conv = view ?? mapping.fromStorage;
  const prefix = resourcePrefix(ctx.store.prefix, mapping.ref, namespace);
  const cache = cacheOf(ctx, res);
  const limit = opts.limit && opts.limit > 0 ? opts.limit : undefined;

  if (opts.continue) {
    if (opts.resourceVersion && opts.resourceVersion !== '0') throw badRequest('specifying resource version is not allowed when using continue');
    const token = decodeContinue(opts.continue, prefix);
    const startAfter = token.startKey.endsWith('\u0000') ? token.startKey.slice(0, -1) : token.startKey;
    if (token.rv < 0) {
      // An inconsistent continuation (the token of a 410): the rest of the current state.
      return listObject(res, pageFromCache(cache, prefix, sel, limit, ctx.hub.revision, startAfter, conv));
    }
    // Nothing of this resource changed since the token's revision: the cache holds that state.
    if (cache.lastEventRv <= token.rv && token.rv <= ctx.hub.revision) {
      return listObject(res, pageFromCache(cache, prefix, sel, limit, token.rv, startAfter, conv));
    }
    return listObject(res, await pageFromStore(ctx, prefix, sel, limit, token.rv, startAfter, true, conv));
  }

  const rv = parseResourceVersion(opts.resourceVersion);
  if (rv === undefined) {
    const fresh = await ctx.hub.waitFresh(ctx.blockTimeoutMs);
    if (!fresh.ok) return listObject(res, await pageFromStore(ctx, prefix, sel, limit, 0, undefined, false, conv));
    return listObject(res, pageFromCache(cache, prefix, sel, limit, ctx.hub.revision, undefined, conv));
  }
  if (rv === 0) return listObject(res, pageFromCache(cache, prefix, sel, limit, ctx.hub.revision, undefined, conv));
  const exact = opts.resourceVersionMatch === 'Exact' || (opts.resourceVersionMatch === undefined && limit !== undefined);
  if (exact) {
    if (cache.lastEventRv <= rv && rv <= ctx.hub.revision) return listObject(res, pageFromCache(cache, prefix, sel, limit, rv, undefined, conv));
    return listObject(res, await pageFromStore(ctx, prefix, sel, limit, rv, undefined, false, conv));
  }
  await waitForCache(ctx, rv);
  return listObject(res, pageFromCache(cache, prefix, sel, limit, ctx.hub.revision, undefined, conv));
}
