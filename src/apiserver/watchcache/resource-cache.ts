// The watch cache of one resource (group/resource, all namespaces): current objects by key,
// the recent events, and the listeners (watches) fed synchronously as events arrive.
import type { WatchEvent } from '../../storage/types.js';
import { cachedFromKv, cachedWithRv } from './cached-object.js';
import type { CachedObject } from './cached-object.js';
import { EventRing } from './event-ring.js';

export interface CacheEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  rv: number;
  key: string;
  /** ADDED/MODIFIED: the new object. DELETED: the last state, stamped with the delete's RV. */
  object: CachedObject;
  /** MODIFIED/DELETED: the state before the event. */
  prev?: CachedObject;
}

export type CacheListener = (ev: CacheEvent) => void;

export class ResourceCache {
  private readonly objects = new Map<string, CachedObject>();
  private sortedKeys: string[] | null = null;
  private readonly ring: EventRing<CacheEvent>;
  private readonly listeners = new Set<CacheListener>();
  /** Every event with rv > windowStart is still in the ring. */
  private windowStartRv: number;
  /** Revision of the last change to this resource's content (an event, or the last refill). */
  lastEventRv = 0;

  constructor(
    readonly id: string,
    capacity: number,
    windowStart: number,
  ) {
    this.ring = new EventRing(capacity);
    this.windowStartRv = windowStart;
  }

  get windowStart(): number {
    return this.windowStartRv;
  }

  get size(): number {
    return this.objects.size;
  }

  /** Replaces the whole content (initial fill or refill after the store watch broke). */
  reset(objects: CachedObject[], revision: number): void {
    this.objects.clear();
    for (const o of objects) this.objects.set(o.key, o);
    this.sortedKeys = null;
    this.ring.clear();
    this.windowStartRv = revision;
    this.lastEventRv = revision;
  }

  /** Applies one store event and notifies listeners; returns the cache event. */
  apply(ev: WatchEvent): CacheEvent | undefined {
    const key = ev.kv.key;
    const prev = this.objects.get(key);
    let out: CacheEvent;
    if (ev.type === 'put') {
      const obj = cachedFromKv(ev.kv);
      if (!prev) this.sortedKeys = null;
      this.objects.set(key, obj);
      out = prev ? { type: 'MODIFIED', rv: obj.rv, key, object: obj, prev } : { type: 'ADDED', rv: obj.rv, key, object: obj };
    } else {
      if (!prev) return undefined;
      this.objects.delete(key);
      this.sortedKeys = null;
      const rv = ev.kv.modRevision;
      out = { type: 'DELETED', rv, key, object: cachedWithRv(prev, rv), prev };
    }
    const evicted = this.ring.push(out);
    if (evicted) this.windowStartRv = evicted.rv;
    this.lastEventRv = out.rv;
    for (const l of [...this.listeners]) l(out);
    return out;
  }

  get(key: string): CachedObject | undefined {
    return this.objects.get(key);
  }

  /** Objects whose key starts with `keyPrefix`, in key order, optionally only keys after `startAfter`. */
  list(keyPrefix: string, startAfter?: string): CachedObject[] {
    if (!this.sortedKeys) this.sortedKeys = [...this.objects.keys()].sort();
    const keys = this.sortedKeys;
    const from = startAfter !== undefined && startAfter >= keyPrefix ? startAfter : keyPrefix;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid] < from || (startAfter !== undefined && keys[mid] === startAfter)) lo = mid + 1;
      else hi = mid;
    }
    const out: CachedObject[] = [];
    for (let i = lo; i < keys.length && keys[i].startsWith(keyPrefix); i++) {
      if (startAfter !== undefined && keys[i] <= startAfter) continue;
      out.push(this.objects.get(keys[i]) as CachedObject);
    }
    return out;
  }

  /** Events with rv > `rv`, or undefined when some of them have left the ring. */
  eventsAfter(rv: number): CacheEvent[] | undefined {
    if (rv < this.windowStartRv) return undefined;
    return this.ring.after(rv);
  }

  subscribe(listener: CacheListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
