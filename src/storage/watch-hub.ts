// Watch fan-out for drivers whose writes all happen in this process (memory, SQLite).
// A watch that starts in the past catches up by reading history page by page as its consumer
// takes events, then joins the live fan-out in the same synchronous step, so nothing is missed
// or doubled: live events are published synchronously right after each commit.
import { CompactedError, StoreClosedError } from './errors.js';
import type { StoreWatch, WatchEvent, WatchOptions } from './types.js';
import { WatchStream } from './watch-stream.js';

/** The history a driver can replay. All calls are synchronous and see only committed writes. */
export interface EventHistory {
  currentRevision(): number;
  compactedRevision(): number;
  /**
   * Events under `prefix` with revision > afterRevision, in order. Returns about `limit` events,
   * always whole revisions, and the newest revision the read covered (so the caller can continue
   * after it even when no event in it matched the prefix). A read may cover only part of the
   * history (a window of revisions) to stay short; `through` then stops below the current revision.
   */
  readEvents(prefix: string, afterRevision: number, limit: number): { events: WatchEvent[]; through: number };
}

const CATCH_UP_PAGE = 500;
/** History reads a catching-up watch makes in one turn of the event loop before it yields. */
const SCANS_PER_TURN = 4;

interface LiveWatch {
  prefix: string;
  /** Events at or below this revision were already delivered from history. */
  after: number;
  stream: WatchStream;
}

export class WatchHub {
  private readonly live = new Set<LiveWatch>();
  private readonly catchingUp = new Set<WatchStream>();
  private closedWith: Error | undefined;

  constructor(private readonly history: EventHistory) {}

  get watcherCount(): number {
    return this.live.size + this.catchingUp.size;
  }

  /** `prefix` and options must already be validated by the driver. */
  watch(prefix: string, opts: WatchOptions): StoreWatch {
    const current = this.history.currentRevision();
    const start = opts.afterRevision === 0 ? current : opts.afterRevision;
    const entry: LiveWatch = { prefix, after: start, stream: undefined as unknown as WatchStream };
    let cursor = start;
    let catching = start < current;
    const stream = new WatchStream({
      bufferLimit: opts.bufferLimit,
      onStop: () => {
        this.live.delete(entry);
        this.catchingUp.delete(stream);
      },
      pull: () => {
        if (!catching || deferred) return undefined;
        const events = step();
        if (events?.length === 0 && catching) defer();
        return events;
      },
    });
    let deferred = false;
    /** Reads history after `cursor` until it finds events or has scanned a few windows. */
    const step = (): WatchEvent[] | undefined => {
      const compacted = this.history.compactedRevision();
      // Events after `cursor` are needed; those at or below the compacted revision are gone.
      if (cursor < compacted) {
        stream.fail(new CompactedError(cursor + 1, compacted));
        return undefined;
      }
      for (let scans = 0; scans < SCANS_PER_TURN; scans++) {
        const page = this.history.readEvents(prefix, cursor, CATCH_UP_PAGE);
        cursor = page.through;
        if (cursor >= this.history.currentRevision()) {
          catching = false;
          this.catchingUp.delete(stream);
          entry.after = cursor;
          this.live.add(entry);
          return page.events;
        }
        if (page.events.length > 0) return page.events;
      }
      return [];
    };
    // A long stretch of history without a matching event is scanned over several event-loop turns,
    // so a watch catching up never holds the loop (and every writer) for long.
    const defer = (): void => {
      deferred = true;
      setImmediate(() => {
        deferred = false;
        if (!catching || stream.done) return;
        const events = step();
        if (!events) return;
        stream.supply(events);
        if (events.length === 0 && catching) defer();
      });
    };
    entry.stream = stream;
    if (this.closedWith) {
      stream.fail(this.closedWith);
      return stream;
    }
    if (opts.afterRevision !== 0 && opts.afterRevision < this.history.compactedRevision()) {
      stream.fail(new CompactedError(opts.afterRevision + 1, this.history.compactedRevision()));
    } else if (catching) {
      this.catchingUp.add(stream);
    } else {
      this.live.add(entry);
    }
    return stream;
  }

  /** Delivers committed events (in revision order) to every live watch whose prefix matches. */
  publish(events: readonly WatchEvent[]): void {
    if (this.live.size === 0) return;
    for (const w of this.live) {
      for (const ev of events) {
        if (ev.kv.modRevision > w.after && ev.kv.key.startsWith(w.prefix)) w.stream.push(ev);
      }
    }
  }

  /** Ends every watch with `error` (StoreClosedError when the store closes). */
  closeAll(error: Error = new StoreClosedError()): void {
    this.closedWith = error;
    for (const w of [...this.live]) w.stream.fail(error);
    for (const s of [...this.catchingUp]) s.fail(error);
    this.live.clear();
    this.catchingUp.clear();
  }
}
