// All watch caches of one store, fed by ONE store watch over the whole key prefix.
// One shared watch (rather than one per resource) gives every cache the store's global revision
// as its clock: our Store has no etcd progress-notify, so a per-resource watch could never tell
// that it has caught up with a revision written to another resource. With the shared watch,
// "the cache has seen revision R" is exact, which consistent reads from the cache need
// (upstream: cacher.go waitUntilFreshAndBlock / ConsistentListFromCache).
import type { Clock } from '../../util/clock.js';
import type { Store, StoreWatch, WatchEvent } from '../../storage/types.js';
import { cachedFromKv } from './cached-object.js';
import type { CachedObject } from './cached-object.js';
import { parseKey } from './keys.js';
import { ResourceCache } from './resource-cache.js';

export interface CacheHubOptions {
  /** Events kept per resource for watches from an older resourceVersion. Default 10,000. */
  capacity?: number;
}

interface Waiter {
  rev: number;
  resolve: (ok: boolean) => void;
}

export class CacheHub {
  private readonly caches = new Map<string, ResourceCache>();
  private readonly capacity: number;
  private storeWatch: StoreWatch | undefined;
  private waiters: Waiter[] = [];
  private readonly resetListeners = new Set<() => void>();
  private stopped = false;
  private running: Promise<void> | undefined;
  /** Every store event with revision <= this has been applied. */
  revision = 0;
  private pendingRevision = 0;
  private publishScheduled = false;
  /** The revision the caches were (last) filled at; older watches need the store's history. */
  filledAt = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    opts: CacheHubOptions = {},
  ) {
    this.capacity = opts.capacity ?? 10_000;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.fill();
  }

  /** Stops the store watch; open watches end (their reset listeners run). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.storeWatch?.close();
    await this.running;
    for (const w of this.waiters) w.resolve(false);
    this.waiters = [];
    for (const l of [...this.resetListeners]) l();
  }

  /** True between stop() and the next start(). */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** The cache of one resource; created empty on first use (no event for it happened yet). */
  cache(id: string): ResourceCache {
    let c = this.caches.get(id);
    if (!c) {
      c = new ResourceCache(id, this.capacity, this.filledAt);
      this.caches.set(id, c);
    }
    return c;
  }

  /** Called when the caches are refilled after a broken store watch: open watches must end. */
  onReset(listener: () => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  /** Resolves true once revision `rev` has been applied, false after `timeoutMs` (or on stop). */
  waitForRevision(rev: number, timeoutMs: number): Promise<boolean> {
    if (this.revision >= rev) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = this.clock.setTimer(timeoutMs, () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      });
      const waiter: Waiter = {
        rev,
        resolve: (ok) => {
          timer.cancel();
          resolve(ok);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Waits until the caches reflect everything committed before the call (a consistent read). */
  async waitFresh(timeoutMs: number): Promise<{ ok: boolean; target: number }> {
    const target = await this.store.currentRevision();
    return { ok: await this.waitForRevision(target, timeoutMs), target };
  }

  private async fill(): Promise<void> {
    const all = await this.store.range(this.store.prefix);
    const byId = new Map<string, CachedObject[]>();
    for (const kv of all.kvs) {
      const parsed = parseKey(this.store.prefix, kv.key);
      if (!parsed) continue;
      let list = byId.get(parsed.id);
      if (!list) byId.set(parsed.id, (list = []));
      list.push(cachedFromKv(kv));
    }
    this.filledAt = all.revision;
    for (const [id, c] of this.caches) c.reset(byId.get(id) ?? [], all.revision);
    for (const [id, list] of byId) if (!this.caches.has(id)) this.cache(id).reset(list, all.revision);
    this.setRevision(all.revision);
    const watch = this.store.watch(this.store.prefix, { afterRevision: all.revision });
    this.storeWatch = watch;
    this.running = this.consume(watch);
  }

  private async consume(watch: StoreWatch): Promise<void> {
    try {
      for await (const ev of watch) this.dispatch(ev);
    } catch {
      // Compacted, overflow or store trouble: refill below, as upstream's reflector relists.
    }
    if (this.stopped) return;
    for (const l of [...this.resetListeners]) l();
    try {
      await this.fill();
    } catch {
      if (!this.stopped) this.clock.setTimer(1000, () => void this.fill().catch(() => undefined));
    }
  }

  private dispatch(ev: WatchEvent): void {
    const parsed = parseKey(this.store.prefix, ev.kv.key);
    if (parsed) this.cache(parsed.id).apply(ev);
    // A transaction's events share one revision: R counts as applied only once no further
    // event of R can follow, i.e. a later revision arrived or the delivered events ran out.
    this.setRevision(ev.kv.modRevision - 1);
    this.pendingRevision = Math.max(this.pendingRevision, ev.kv.modRevision);
    if (!this.publishScheduled) {
      this.publishScheduled = true;
      setImmediate(() => {
        this.publishScheduled = false;
        this.setRevision(this.pendingRevision);
      });
    }
  }

  private setRevision(rev: number): void {
    if (rev <= this.revision) return;
    this.revision = rev;
    if (this.waiters.length === 0) return;
    const due = this.waiters.filter((w) => w.rev <= rev);
    if (due.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.rev > rev);
    for (const w of due) w.resolve(true);
  }
}
