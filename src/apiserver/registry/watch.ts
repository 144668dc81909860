// watch from the watch cache, with upstream's semantics (apiserver/pkg/storage/cacher):
// - RV "" / "0" (or sendInitialEvents=true): synthetic ADDED events for the current state first
//   ("" waits until the cache has caught up with the store: a consistent snapshot), then changes;
// - RV N: every change after N, from the cache's event window, else from the store's history,
//   else an ERROR event 410 "too old resource version";
// - sendInitialEvents=true with allowWatchBookmarks: a BOOKMARK annotated
//   k8s.io/initial-events-end=true ends the initial events (WatchList);
// - selectors filter events; an object modified out of the selection is sent as DELETED, one
//   modified into it as ADDED (cacheWatcher.convertToWatchEvent);
// - periodic BOOKMARKs when allowWatchBookmarks; timeoutSeconds, abort or a slow consumer end it.
import { ApiError, expired, internalError } from '../../api/status.js';
import { CompactedError } from '../../storage/errors.js';
import type { StoreWatch, WatchEvent } from '../../storage/types.js';
import type { ResourceDef } from '../schema/types.js';
import { cachedWithRv, decodeKv, decodeValue, resourcePrefix } from '../watchcache/index.js';
import type { CacheEvent, CachedObject } from '../watchcache/index.js';
import type { RegistryContext } from './context.js';
import { EventQueue } from './event-queue.js';
import { cacheOf, groupVersion, waitForCache } from './reader.js';
import type { Selection } from './selection.js';
import { customListFromStorage, customSelectionView } from './custom-conversion.js';
import { storageOf } from './storage-mapping.js';
import type { ApiObject, WatchEventOut, WatchOptions } from './types.js';

export interface WatchSettings {
  bookmarkIntervalMs: number;
  /** Events a watcher may fall behind before it is dropped. */
  queueLimit: number;
}

export const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

type Out = Omit<WatchEventOut, 'object'> & { object: Readonly<ApiObject>; rv?: number };
/** An event whose selection waits for its objects' conversion (custom resources with selectors). */
type Deferred = { cacheEvent: CacheEvent } | { storeEvent: WatchEvent } | { snapshot: CachedObject[]; end?: Out };
type Item = Out | Deferred;
const isDeferred = (item: Item): item is Deferred => !('type' in item);

function errorEvent(err: unknown): WatchEventOut {
  const e = err instanceof ApiError ? err : internalError(err instanceof Error ? err.message : String(err));
  return { type: 'ERROR', object: e.status as unknown as ApiObject };
}

type View = (obj: Readonly<ApiObject>) => Readonly<ApiObject>;
const same: View = (o) => o;

/** The event a watcher with selection `sel` sees for a cache event, if any. */
function filterEvent(ev: CacheEvent, prefix: string, sel: Selection, view: View): Out | undefined {
  if (!ev.key.startsWith(prefix)) return undefined;
  const obj = view(ev.object.object);
  const prevObj = ev.prev ? view(ev.prev.object) : undefined;
  const cur = ev.type !== 'DELETED' && sel.matches(obj);
  const prev = prevObj !== undefined && sel.matches(prevObj);
  switch (ev.type) {
    case 'ADDED':
      return cur ? { type: 'ADDED', object: obj, rv: ev.rv } : undefined;
    case 'MODIFIED':
      if (cur && prev) return { type: 'MODIFIED', object: obj, rv: ev.rv };
      if (cur) return { type: 'ADDED', object: obj, rv: ev.rv };
      if (prev && ev.prev) return { type: 'DELETED', object: view(cachedWithRv(ev.prev, ev.rv).object), rv: ev.rv };
      return undefined;
    case 'DELETED':
      return sel.matches(obj) ? { type: 'DELETED', object: obj, rv: ev.rv } : undefined;
  }
}

/** Converts a store event (watches older than the cache window read the store's history). */
function fromStoreEvent(ev: WatchEvent, sel: Selection, view: View): Out | undefined {
  if (ev.type === 'put') {
    const obj = view(decodeKv(ev.kv));
    const prev = ev.prevKv ? view(decodeKv(ev.prevKv)) : undefined;
    const cur = sel.matches(obj);
    const was = prev !== undefined && sel.matches(prev);
    if (cur && was) return { type: 'MODIFIED', object: obj, rv: ev.kv.modRevision };
    if (cur) return { type: 'ADDED', object: obj, rv: ev.kv.modRevision };
    if (was && ev.prevKv) return { type: 'DELETED', object: view(decodeValue(ev.prevKv.value, ev.kv.modRevision)), rv: ev.kv.modRevision };
    return undefined;
  }
  if (!ev.prevKv) return undefined;
  const last = view(decodeValue(ev.prevKv.value, ev.kv.modRevision));
  return sel.matches(last) ? { type: 'DELETED', object: last, rv: ev.kv.modRevision } : undefined;
}

export async function* watchObjects(ctx: RegistryContext, res: ResourceDef, namespace: string | undefined, opts: WatchOptions, sel: Selection, rv: number | undefined, settings: WatchSettings): AsyncGenerator<WatchEventOut> {
  const mapping = storageOf(res);
  const view: View = mapping.fromStorage ?? same;
  const prefix = resourcePrefix(ctx.store.prefix, mapping.ref, namespace);
  const cache = cacheOf(ctx, res);
  const queue = new EventQueue<Item>(settings.queueLimit);
  // Custom resources: selectors match the watched version, so events are selected after conversion.
  const custom = ctx.customResources?.forResource(res) !== undefined;
  const deferSelection = custom && !sel.everything;
  const cleanups: (() => void)[] = [];
  const bookmark = (rv: number, initialEnd = false): Out => {
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    if (initialEnd) metadata.annotations = { [INITIAL_EVENTS_END]: 'true' };
    return { type: 'BOOKMARK', object: { kind: res.kind, apiVersion: groupVersion(res), metadata }, rv };
  };
  let lastRv = 0;
  try {
    if (opts.signal.aborted) return;
    const onAbort = () => queue.close();
    opts.signal.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => opts.signal.removeEventListener('abort', onAbort));
    if (opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0) {
      const t = ctx.clock.setTimer(opts.timeoutSeconds * 1000, () => queue.close());
      cleanups.push(() => t.cancel());
    }

    const sendInitial = opts.sendInitialEvents ?? (rv === undefined || rv === 0);
    let initial: Item[] = [];
    let storeWatch: StoreWatch | undefined;
    try {
      if (rv === undefined && sendInitial) {
        const fresh = await ctx.hub.waitFresh(ctx.blockTimeoutMs);
        if (!fresh.ok) await waitForCache(ctx, fresh.target);
      } else if (rv !== undefined && rv > 0) {
        await waitForCache(ctx, rv);
      }
    } catch (err) {
      yield errorEvent(err);
      return;
    }
    if (opts.signal.aborted || ctx.hub.isStopped) return;

    // From here to subscribe() nothing awaits: the snapshot and the live events join without a gap.
    const listen = (ev: CacheEvent) => {
      if (deferSelection) {
        if (ev.key.startsWith(prefix)) queue.push({ cacheEvent: ev });
        return;
      }
      const out = filterEvent(ev, prefix, sel, view);
      if (out) queue.push(out);
    };
    if (sendInitial) {
      lastRv = ctx.hub.revision;
      const end = opts.sendInitialEvents === true && opts.allowWatchBookmarks ? bookmark(lastRv, true) : undefined;
      if (deferSelection) {
        initial.push({ snapshot: cache.list(prefix), end });
      } else {
        for (const c of cache.list(prefix)) {
          const obj = view(c.object);
          if (sel.matches(obj)) initial.push({ type: 'ADDED', object: obj, rv: c.rv });
        }
        if (end) initial.push(end);
      }
      cleanups.push(cache.subscribe(listen));
    } else if (rv === undefined || rv === 0) {
      lastRv = ctx.hub.revision;
      cleanups.push(cache.subscribe(listen));
    } else {
      const window = cache.eventsAfter(rv);
      if (window) {
        lastRv = rv;
        for (const ev of window) {
          if (deferSelection) {
            if (ev.key.startsWith(prefix)) initial.push({ cacheEvent: ev });
            continue;
          }
          const out = filterEvent(ev, prefix, sel, view);
          if (out) initial.push(out);
        }
        cleanups.push(cache.subscribe(listen));
      } else {
        // Older than the cache's window: replay the store's history (410 once compacted).
        lastRv = rv;
        storeWatch = ctx.store.watch(prefix, { afterRevision: rv, bufferLimit: settings.queueLimit });
        const sw = storeWatch;
        cleanups.push(() => sw.close());
        void (async () => {
          try {
            for await (const ev of sw) {
              if (deferSelection) {
                queue.push({ storeEvent: ev });
                continue;
              }
              const out = fromStoreEvent(ev, sel, view);
              if (out) queue.push(out);
            }
            queue.close();
          } catch (err) {
            if (err instanceof CompactedError) queue.push({ type: 'ERROR', object: expired(rv, err.compactedRevision + 1).status as unknown as ApiObject });
            else queue.push(errorEvent(err));
            queue.close();
          }
        })();
      }
    }
    if (!storeWatch) cleanups.push(ctx.hub.onReset(() => queue.close()));

    if (opts.allowWatchBookmarks && settings.bookmarkIntervalMs > 0) {
      let timer = ctx.clock.setTimer(settings.bookmarkIntervalMs, function tick() {
        // A bookmark promises every earlier event was sent: for cache-fed watches that is the
        // cache's revision, for store-history watches only the last event's.
        const at = storeWatch ? lastRv : Math.max(lastRv, ctx.hub.revision);
        if (at > 0) queue.push(bookmark(at));
        timer = ctx.clock.setTimer(settings.bookmarkIntervalMs, tick);
      });
      cleanups.push(() => timer.cancel());
    }

    // Deferred items: their objects converted (one batch each), then selected as above.
    const resolve = async (item: Item): Promise<Out[]> => {
      if (!isDeferred(item)) return [item];
      if ('snapshot' in item) {
        const v = await customSelectionView(ctx, res, item.snapshot.map((c) => c.object));
        const out: Out[] = [];
        for (const c of item.snapshot) {
          const obj = v(c.object);
          if (sel.matches(obj)) out.push({ type: 'ADDED', object: obj, rv: c.rv });
        }
        if (item.end) out.push(item.end);
        return out;
      }
      if ('cacheEvent' in item) {
        const ev = item.cacheEvent;
        const v = await customSelectionView(ctx, res, ev.prev ? [ev.object.object, ev.prev.object] : [ev.object.object]);
        const out = filterEvent(ev, prefix, sel, v);
        return out ? [out] : [];
      }
      const ev = item.storeEvent;
      const objs = [decodeKv(ev.kv)];
      if (ev.prevKv) objs.push(decodeKv(ev.prevKv), decodeValue(ev.prevKv.value, ev.kv.modRevision));
      const out = fromStoreEvent(ev, sel, await customSelectionView(ctx, res, objs));
      return out ? [out] : [];
    };
    // Custom objects are delivered in the watched version (a failed conversion ends the watch
    // with its Status); the initial ones in one conversion.
    const carriesObject = (ev: Out) => ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED';
    const deliver = async (items: Item[]): Promise<Out[]> => {
      const outs: Out[] = [];
      for (const item of items) outs.push(...(await resolve(item)));
      if (!custom) return outs;
      const withObjects = outs.filter(carriesObject);
      const converted = await customListFromStorage(ctx, res, withObjects.map((ev) => ev.object as ApiObject));
      withObjects.forEach((ev, i) => (ev.object = converted[i]!));
      return outs;
    };
    let ready: Out[];
    try {
      ready = await deliver(initial);
    } catch (err) {
      yield errorEvent(err);
      return;
    }
    for (const ev of ready) {
      if (queue.closed) return;
      yield { type: ev.type, object: ev.object as ApiObject };
    }
    initial = [];
    for (;;) {
      const item = await queue.next();
      if (!item) return;
      let outs: Out[];
      try {
        outs = custom ? await deliver([item]) : [item as Out];
      } catch (err) {
        yield errorEvent(err);
        return;
      }
      for (const ev of outs) {
        if (ev.rv !== undefined) lastRv = Math.max(lastRv, ev.rv);
        yield { type: ev.type, object: ev.object as ApiObject };
        if (ev.type === 'ERROR') return;
      }
    }
  } finally {
    for (const c of cleanups.reverse()) c();
  }
}
