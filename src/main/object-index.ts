// An in-memory copy of one resource's objects, kept current by a registry watch (a tiny informer).
// Used where a synchronous read is needed on every request (RBAC). It restarts its watch after an
// ERROR event (e.g. 410 Expired), re-reading the full state.
import type { Registry } from '../apiserver/registry/index.js';
import { INITIAL_EVENTS_END } from '../apiserver/registry/index.js';
import type { ResourceDef } from '../apiserver/schema/types.js';

type Obj = Record<string, unknown>;

function metaOf(obj: Obj): { name: string; namespace: string; annotations: Record<string, string> } {
  const m = (obj['metadata'] ?? {}) as Record<string, unknown>;
  return { name: String(m['name'] ?? ''), namespace: String(m['namespace'] ?? ''), annotations: (m['annotations'] ?? {}) as Record<string, string> };
}

export class ObjectIndex<T> {
  private objects = new Map<string, T>();
  private readonly controller = new AbortController();
  private ready!: Promise<void>;
  private listeners = new Set<() => void>();

  constructor(
    private readonly registry: Registry,
    private readonly res: ResourceDef,
  ) {}

  /** Starts watching; resolves once the initial state is loaded. */
  start(): Promise<void> {
    this.ready = new Promise<void>((resolveReady, rejectReady) => {
      let first = true;
      const loop = async () => {
        while (!this.controller.signal.aborted) {
          try {
            await this.runOnce(() => {
              if (first) {
                first = false;
                resolveReady();
              }
            });
          } catch (err) {
            if (first) {
              rejectReady(err);
              return;
            }
          }
          if (!this.controller.signal.aborted) await new Promise((r) => setTimeout(r, 200));
        }
      };
      void loop();
    });
    return this.ready;
  }

  stop(): void {
    this.controller.abort();
  }

  /** Called after every change. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get(namespace: string, name: string): T | undefined {
    return this.objects.get(`${namespace}/${name}`);
  }

  list(namespace?: string): T[] {
    if (namespace === undefined) return [...this.objects.values()];
    const prefix = `${namespace}/`;
    const out: T[] = [];
    for (const [k, v] of this.objects) if (k.startsWith(prefix)) out.push(v);
    return out;
  }

  private async runOnce(onSynced: () => void): Promise<void> {
    // WatchList: the current state as ADDED events, then a bookmark marking its end, then changes.
    const events = this.registry.watch(this.res, undefined, {
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
      resourceVersion: '',
      allowWatchBookmarks: true,
      signal: this.controller.signal,
    });
    const fresh = new Map<string, T>();
    let syncing = true;
    for await (const ev of events) {
      if (ev.type === 'ERROR') return;
      if (ev.type === 'BOOKMARK') {
        if (syncing && metaOf(ev.object).annotations[INITIAL_EVENTS_END] === 'true') {
          syncing = false;
          this.objects = fresh;
          this.notify();
          onSynced();
        }
        continue;
      }
      const { namespace, name } = metaOf(ev.object);
      const target = syncing ? fresh : this.objects;
      if (ev.type === 'DELETED') target.delete(`${namespace}/${name}`);
      else target.set(`${namespace}/${name}`, ev.object as T);
      if (!syncing) this.notify();
    }
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }
}
