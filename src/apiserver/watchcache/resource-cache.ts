// The watch cache of one resource (group/resource, all namespaces): current objects by key,
// the recent events, and the listeners (watches) fed synchronously as events arrive.
import type { WatchEvent } from '../../storage/types.js';
import { cachedFromKv, cachedWithRv } from './cached-object.js';
import type { CachedObject } from './cached-object.js';
import { EventRing } from './event-ring.js';
import { lowerBound } from '../../util/sorted.js';

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

/** A run of cached objects in key order, read by index. Valid until the cache next changes. */
export interface CacheRange {
  length: number;
  at(i: number): CachedObject;
}

export class ResourceCache {
  private readonly objects = new Map<string, CachedObject>();
  /** The keys of `objects` in order, kept sorted as keys come and go. */
  private sortedKeys: string[] = [];
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
    this.sortedKeys = [...this.objects.keys()].sort();
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
      if (!prev) this.sortedKeys.splice(this.lowerBound(key), 0, key);
      this.objects.set(key, obj);
      out = prev ? { type: 'MODIFIED', rv: obj.rv, key, object: obj, prev } : { type: 'ADDED', rv: obj.rv, key, object: obj };
    } else {
      if (!prev) return undefined;
      this.objects.delete(key);
      const at = this.lowerBound(key);
      if (this.sortedKeys[at] === key) this.sortedKeys.splice(at, 1);
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

  /** Index of the first key >= `key` in sortedKeys. */
  private lowerBound(key: string): number {
    return lowerBound(this.sortedKeys, key);
  }

  /**
   * The objects whose key starts with `keyPrefix` (and is after `startAfter`), in key order, as
   * a view that reads them one by one: a page of a large list costs only its own items.
   */
  range(keyPrefix: string, startAfter?: string): CacheRange {
    const keys = this.sortedKeys;
    let start = this.lowerBound(keyPrefix);
    if (startAfter !== undefined && startAfter >= keyPrefix) {
      start = Math.max(start, this.lowerBound(startAfter));
      if (keys[start] === startAfter) start++;
    }
    // Keys under the prefix form one run; its end is the first key >= prefix + U+FFFF.
    const end = Math.max(start, this.lowerBound(`${keyPrefix}\uffff`));
    const objects = this.objects;
    return { length: end - start, at: (i) => objects.get(keys[start + i]) as CachedObject };
  }

  /** Objects whose key starts with `keyPrefix`, in key order, optionally only keys after `startAfter`. */
  list(keyPrefix: string, startAfter?: string): CachedObject[] {
    const r = this.range(keyPrefix, startAfter);
    const out: CachedObject[] = new Array(r.length);
    for (let i = 0; i < r.length; i++) out[i] = r.at(i);
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
