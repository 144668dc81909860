// An informer for one resource (client-go tools/cache reflector + shared informer):
// - initial sync by WatchList (a watch with sendInitialEvents, ended by the initial-events-end
//   bookmark) when the server supports it, else LIST then WATCH from the list's resourceVersion;
// - a watch that ends is resumed from the last resourceVersion seen (events or bookmarks);
//   410 Gone/Expired relists (reflector.go: isExpiredError -> relist);
// - other failures retry with exponential backoff on the Clock (reflector: 800 ms doubling to 30 s);
// - a relist diffs against the cache: new objects are added, known ones updated (as upstream's
//   Replaced deltas, even when unchanged), vanished ones deleted with their last known state and
//   finalStateUnknown = true (DeletedFinalStateUnknown);
// - handlers are called in event order; one added late first gets an add for every cached object.
import type { Clock, Timer } from '../util/clock.js';
import { IndexedCache } from './cache.js';
import type { Indexers, Lister } from './cache.js';
import { isBadRequest, isGone, isInvalid } from './errors.js';
import { annotations, keyOf, resourceVersion } from './objects.js';
import type { Obj, ResourceClient, WatchEvent } from './types.js';

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

export interface EventHandler {
  /** `isInInitialList`: the object came with the informer's first sync. */
  onAdd?(obj: Obj, isInInitialList: boolean): void;
  /** On every change, and for every known object on a relist or a resync (then old === new possibly). */
  onUpdate?(oldObj: Obj, newObj: Obj): void;
  /**
   * `obj` is the object's last state. `finalStateUnknown` is true when the deletion was not seen
   * but inferred from a relist (client-go's DeletedFinalStateUnknown): `obj` is then the state
   * the cache last had, which may be stale.
   */
  onDelete?(obj: Obj, finalStateUnknown: boolean): void;
}

export interface HandlerRegistration {
  remove(): void;
  /** True once this handler has been given every object of the initial sync. */
  hasSynced(): boolean;
}

export interface InformerOptions {
  client: ResourceClient;
  clock: Clock;
  /** Watch one namespace; all when undefined. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  indexers?: Indexers;
  /** Use WatchList (sendInitialEvents) for the initial sync while the server accepts it. Default true. */
  useWatchList?: boolean;
  /** Backoff after failures: first delay and cap, in clock milliseconds. Default 800 ms, 30 s. */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Where failures of the list/watch and exceptions of handlers go. Default: console.error. */
  onError?: (err: unknown, context: string) => void;
  /** A name for messages, e.g. "pods". */
  name?: string;
}

interface Listener {
  handler: EventHandler;
  synced: boolean;
  resyncTimer?: Timer;
}

export class Informer {
  readonly name: string;
  private readonly client: ResourceClient;
  private readonly clock: Clock;
  private readonly opts: InformerOptions;
  private readonly cache: IndexedCache;
  private readonly listeners = new Set<Listener>();
  private watchList: boolean;
  private rv: string | undefined;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private running: Promise<void> | undefined;
  private readonly stopController = new AbortController();
  private readonly onError: (err: unknown, context: string) => void;

  constructor(opts: InformerOptions) {
    this.opts = opts;
    this.client = opts.client;
    this.clock = opts.clock;
    this.cache = new IndexedCache(opts.indexers);
    this.watchList = opts.useWatchList ?? true;
    this.name = opts.name ?? 'informer';
    this.onError = opts.onError ?? ((err, context) => console.error(`informer ${this.name}: ${context}:`, err));
  }

  get lister(): Lister {
    return this.cache;
  }

  /** Adds indexes; allowed before and after start (built from the current content). */
  addIndexers(indexers: Indexers): void {
    this.cache.addIndexers(indexers);
  }

  /** The resourceVersion the cache is at (of the last sync, event or bookmark). */
  lastSyncResourceVersion(): string {
    return this.rv ?? '';
  }

  /**
   * Registers a handler. If the informer already holds objects, the handler first gets an add for
   * each. With `resyncPeriodMs` it gets an update(obj, obj) for every cached object that often.
   */
  addEventHandler(handler: EventHandler, resyncPeriodMs?: number): HandlerRegistration {
    const listener: Listener = { handler, synced: this.synced };
    this.listeners.add(listener);
    if (this.cache.size() > 0) for (const obj of this.cache.list()) this.call(listener, 'onAdd', () => handler.onAdd?.(obj, true));
    if (resyncPeriodMs && resyncPeriodMs > 0) {
      const tick = () => {
        if (!this.listeners.has(listener)) return;
        for (const obj of this.cache.list()) this.call(listener, 'onUpdate', () => handler.onUpdate?.(obj, obj));
        listener.resyncTimer = this.clock.setTimer(resyncPeriodMs, tick);
      };
      listener.resyncTimer = this.clock.setTimer(resyncPeriodMs, tick);
    }
    return {
      remove: () => {
        listener.resyncTimer?.cancel();
        this.listeners.delete(listener);
      },
      hasSynced: () => listener.synced,
    };
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced, false if `signal` aborts or the informer stops first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal?.aborted || this.stopController.signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        this.syncWaiters = this.syncWaiters.filter((w) => w !== done);
        resolve(false);
      };
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        this.stopController.signal.removeEventListener('abort', onAbort);
        resolve(true);
      };
      this.syncWaiters.push(done);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.stopController.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  isRunning(): boolean {
    return this.running !== undefined && !this.stopController.signal.aborted;
  }

  /** Starts listing and watching (once; later calls do nothing). */
  start(): void {
    if (this.running || this.stopController.signal.aborted) return;
    this.running = this.run();
  }

  /** Stops the watch; resolves when the informer has stopped. The cache keeps its content. */
  async stop(): Promise<void> {
    this.stopController.abort();
    for (const l of this.listeners) l.resyncTimer?.cancel();
    await this.running;
  }

  private get stopped(): boolean {
    return this.stopController.signal.aborted;
  }

  private async run(): Promise<void> {
    const initial = this.opts.backoffInitialMs ?? 800;
    const max = this.opts.backoffMaxMs ?? 30_000;
    let backoff = initial;
    let relistedAfterGone = false;
    while (!this.stopped) {
      const attempt = new AbortController();
      const onStop = () => attempt.abort();
      this.stopController.signal.addEventListener('abort', onStop, { once: true });
      const started = this.clock.now();
      let progress = false;
      try {
        if (this.rv === undefined) {
          progress = this.watchList ? await this.syncByWatchList(attempt.signal) : await this.syncByList(attempt.signal);
        } else {
          progress = await this.watchFrom(this.rv, attempt.signal);
        }
        relistedAfterGone = false;
        if (this.stopped) break;
        // A watch that ends normally is resumed at once, unless it ended quickly without news.
        if (progress || this.clock.now() - started >= 1000) {
          backoff = initial;
          continue;
        }
      } catch (err) {
        if (this.stopped) break;
        if (isGone(err)) {
          // Too old: relist. Immediately the first time; a 410 right after a relist backs off.
          this.rv = undefined;
          if (!relistedAfterGone) {
            relistedAfterGone = true;
            continue;
          }
        } else if (this.watchList && this.rv === undefined && (isBadRequest(err) || isInvalid(err))) {
          // The server refuses sendInitialEvents: fall back to LIST then WATCH.
          this.watchList = false;
          continue;
        } else {
          this.onError(err, this.rv === undefined ? 'initial sync failed' : `watch from resourceVersion ${this.rv} failed`);
        }
      } finally {
        this.stopController.signal.removeEventListener('abort', onStop);
        attempt.abort();
      }
      if (progress) backoff = initial;
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, max);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const onStop = () => {
        timer.cancel();
        resolve();
      };
      const timer = this.clock.setTimer(ms, () => {
        this.stopController.signal.removeEventListener('abort', onStop);
        resolve();
      });
      this.stopController.signal.addEventListener('abort', onStop, { once: true });
    });
  }

  /** Upstream's watch timeout: the minimum (5 min) times 1 to 2, so watches of many clients spread. */
  private watchTimeoutSeconds(): number {
    return Math.floor(300 * (1 + Math.random()));
  }

  private watchOpts(signal: AbortSignal) {
    return {
      labelSelector: this.opts.labelSelector,
      fieldSelector: this.opts.fieldSelector,
      allowWatchBookmarks: true,
      timeoutSeconds: this.watchTimeoutSeconds(),
      signal,
    };
  }

  /** LIST, replace the cache, then WATCH from the list's resourceVersion. */
  private async syncByList(signal: AbortSignal): Promise<boolean> {
    const list = await this.opts.client.list(this.opts.namespace, { labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector });
    if (signal.aborted) return true;
    const listRv = list.metadata.resourceVersion ?? '';
    const items = new Map<string, Obj>();
    for (const obj of list.items) items.set(keyOf(obj), obj);
    this.replace(items, listRv);
    await this.watchFrom(listRv, signal);
    return true;
  }

  /** A watch with sendInitialEvents: collect until the initial-events-end bookmark, replace, then stream. */
  private async syncByWatchList(signal: AbortSignal): Promise<boolean> {
    const initial = new Map<string, Obj>();
    let done = false;
    const events = this.client.watch(this.opts.namespace, { ...this.watchOpts(signal), sendInitialEvents: true, resourceVersion: '' });
    for await (const ev of events) {
      if (signal.aborted) return true;
      if (done) {
        this.handle(ev);
        continue;
      }
      switch (ev.type) {
        case 'ADDED':
        case 'MODIFIED':
          initial.set(keyOf(ev.object), ev.object);
          break;
        case 'DELETED':
          initial.delete(keyOf(ev.object));
          break;
        case 'BOOKMARK':
          if (annotations(ev.object)[INITIAL_EVENTS_END] === 'true') {
            this.replace(initial, resourceVersion(ev.object));
            done = true;
          }
          break;
      }
    }
    return done;
  }

  /** Watches from `rv` until the stream ends; true when any event arrived. Throws on ERROR events. */
  private async watchFrom(rv: string, signal: AbortSignal): Promise<boolean> {
    let progress = false;
    for await (const ev of this.client.watch(this.opts.namespace, { ...this.watchOpts(signal), resourceVersion: rv })) {
      if (signal.aborted) break;
      progress = true;
      this.handle(ev);
    }
    return progress;
  }

  private handle(ev: WatchEvent): void {
    const rv = resourceVersion(ev.object);
    switch (ev.type) {
      case 'ADDED':
      case 'MODIFIED': {
        const old = this.cache.set(ev.object);
        if (old === undefined) this.notify('onAdd', (h) => h.onAdd?.(ev.object, false));
        else this.notify('onUpdate', (h) => h.onUpdate?.(old, ev.object));
        break;
      }
      case 'DELETED': {
        this.cache.remove(keyOf(ev.object));
        this.notify('onDelete', (h) => h.onDelete?.(ev.object, false));
        break;
      }
      case 'BOOKMARK':
        break;
    }
    if (rv) this.rv = rv;
  }

  /** Makes the cache hold exactly `items` (by key: a sync), telling handlers the differences. */
  private replace(items: Map<string, Obj>, rv: string): void {
    const first = !this.synced;
    const quiet = this.listeners.size === 0;
    for (const [key, obj] of items) {
      const old = this.cache.set(obj, key);
      if (quiet) continue;
      if (old === undefined) this.notify('onAdd', (h) => h.onAdd?.(obj, first));
      else this.notify('onUpdate', (h) => h.onUpdate?.(old, obj));
    }
    // Every key of `items` is in the cache now: a larger cache holds objects that are gone.
    if (this.cache.size() > items.size) {
      for (const [key, obj] of [...this.cache.entries()]) {
        if (items.has(key)) continue;
        this.cache.remove(key);
        this.notify('onDelete', (h) => h.onDelete?.(obj, true));
      }
    }
    this.rv = rv;
    if (first) {
      this.synced = true;
      for (const l of this.listeners) l.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private notify(what: string, fn: (h: EventHandler) => void): void {
    for (const l of this.listeners) this.call(l, what, () => fn(l.handler));
  }

  private call(_l: Listener, what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.onError(err, `${what} handler threw`);
    }
  }
}
