// Events expire: kube-apiserver writes them with an etcd lease of --event-ttl (default 1h),
// renewed by every write, and etcd removes them when it runs out. Kumo's stores have no leases,
// so this sweeper deletes events whose last write is older than the TTL. The last write is the
// newest of the event's own timestamps and its managedFields times (set on every change).
import type { Timer } from '../../util/clock.js';
import type { RegistryContext } from './context.js';
import { isObject } from './object-meta.js';
import type { ApiObject } from './types.js';

/** How often expired events are looked for. */
const SWEEP_MS = 60_000;
// events.k8s.io/v1 Events are stored with the core/v1 ones (storage-mapping.ts).
const EVENT_RESOURCES = ['core/events'];

function parseTime(v: unknown): number {
  if (typeof v !== 'string' || !v) return 0;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : 0;
}

/** When an event was last written, as far as the object tells. */
export function lastWriteTime(ev: Readonly<ApiObject>): number {
  const m = isObject(ev.metadata) ? ev.metadata : {};
  let t = parseTime(m.creationTimestamp);
  for (const f of Array.isArray(m.managedFields) ? m.managedFields : []) if (isObject(f)) t = Math.max(t, parseTime(f.time));
  t = Math.max(t, parseTime(ev.lastTimestamp), parseTime(ev.eventTime), parseTime(ev.deprecatedLastTimestamp));
  const series = isObject(ev.series) ? ev.series : {};
  return Math.max(t, parseTime(series.lastObservedTime));
}

export class EventExpiry {
  private timer: Timer | undefined;
  private stopped = true;

  constructor(
    private readonly ctx: RegistryContext,
    private readonly ttlMs: number,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.ctx.clock.setTimer(SWEEP_MS, () => {
      void this.sweep()
        .catch(() => undefined)
        .finally(() => this.schedule());
    });
  }

  /** Deletes every event older than the TTL; returns how many went. */
  async sweep(): Promise<number> {
    const deadline = this.ctx.clock.now() - this.ttlMs;
    let removed = 0;
    for (const id of EVENT_RESOURCES) {
      for (const c of this.ctx.hub.cache(id).list('')) {
        if (this.stopped) return removed;
        if (lastWriteTime(c.object) > deadline) continue;
        try {
          // Guarded by the revision seen: an event written meanwhile lives on.
          await this.ctx.store.delete(c.key, c.rv);
          removed++;
        } catch {
          // Changed or gone meanwhile.
        }
      }
    }
    return removed;
  }
}
