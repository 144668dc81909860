// One informer per resource, shared by every controller of a process (client-go's
// SharedInformerFactory): each resource is listed and watched once, whatever the number of users.
import type { Clock } from '../util/clock.js';
import type { Indexers } from './cache.js';
import { Informer } from './informer.js';
import type { InformerOptions } from './informer.js';
import type { KubeClient } from './types.js';

export interface SharedInformerFactoryOptions {
  /** Watch only this namespace; all when undefined. */
  namespace?: string;
  useWatchList?: boolean;
  onError?: InformerOptions['onError'];
  backoffInitialMs?: number;
  backoffMaxMs?: number;
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, Informer>();
  private stopped = false;

  constructor(
    private readonly client: KubeClient,
    private readonly clock: Clock,
    private readonly opts: SharedInformerFactoryOptions = {},
  ) {}

  /**
   * The informer of a resource, made on first use. `indexers` are added to it (an index name
   * already taken by a different function throws). Informers made after start() start at once.
   */
  informerFor(group: string, version: string, resource: string, indexers?: Indexers): Informer {
    const key = `${group}/${version}/${resource}`;
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new Informer({
        client: this.client.resource(group, version, resource),
        clock: this.clock,
        namespace: this.opts.namespace,
        useWatchList: this.opts.useWatchList,
        onError: this.opts.onError,
        backoffInitialMs: this.opts.backoffInitialMs,
        backoffMaxMs: this.opts.backoffMaxMs,
        name: group ? `${resource}.${group}` : resource,
      });
      this.informers.set(key, informer);
      if (this.started && !this.stopped) informer.start();
    }
    if (indexers) informer.addIndexers(indexers);
    return informer;
  }

  private started = false;

  /** Starts every informer made so far (and, from now on, each one when it is made). */
  start(): void {
    if (this.stopped) return;
    this.started = true;
    for (const informer of this.informers.values()) informer.start();
  }

  /** Resolves true once every informer has synced; false when `signal` aborts first. */
  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }

  /** Stops every informer; resolves when all have stopped. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
