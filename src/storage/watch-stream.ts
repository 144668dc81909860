// A bounded async-iterable stream of watch events, shared by every driver.
// Producers push events; the consumer iterates. A consumer that lets more than `bufferLimit`
// events pile up gets WatchOverflowError after the events already buffered, never a silent gap.
import { WatchOverflowError } from './errors.js';
import type { StoreWatch, WatchEvent } from './types.js';

export const DEFAULT_WATCH_BUFFER_LIMIT = 10_000;

export interface WatchStreamOptions {
  bufferLimit?: number;
  /** Called once when the stream ends for any reason (close, error, end): unregister the producer here. */
  onStop?: () => void;
  /**
   * Called when the buffer is empty and the consumer waits: a producer that is catching up from
   * history returns the next events to deliver (or none, once it has switched to live pushes).
   * It may also end or fail the stream.
   */
  pull?: () => WatchEvent[] | undefined;
}

type Waiter = { resolve: (r: IteratorResult<WatchEvent>) => void; reject: (e: unknown) => void };

export class WatchStream implements StoreWatch {
  readonly bufferLimit: number;
  private buffer: WatchEvent[] = [];
  private head = 0;
  private waiter: Waiter | undefined;
  /** Set once no more events will be pushed; `error` is thrown after the buffer drains. */
  private finished = false;
  private error: unknown;
  private stopped = false;
  private readonly onStop: (() => void) | undefined;
  private readonly pull: (() => WatchEvent[] | undefined) | undefined;

  constructor(opts: WatchStreamOptions = {}) {
    const limit = opts.bufferLimit ?? DEFAULT_WATCH_BUFFER_LIMIT;
    if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError(`bufferLimit must be a positive integer, got ${limit}`);
    this.bufferLimit = limit;
    this.onStop = opts.onStop;
    this.pull = opts.pull;
  }

  /** True once the stream accepts no more events. */
  get done(): boolean {
    return this.finished;
  }

  /** Number of events waiting for the consumer. */
  get buffered(): number {
    return this.buffer.length - this.head;
  }

  /** Queues one event. Past the buffer limit the stream fails with WatchOverflowError. */
  push(event: WatchEvent): void {
    if (this.finished) return;
    const w = this.waiter;
    if (w && this.buffered === 0) {
      this.waiter = undefined;
      w.resolve({ value: event, done: false });
      return;
    }
    if (this.buffered >= this.bufferLimit) {
      this.fail(new WatchOverflowError(this.bufferLimit));
      return;
    }
    this.buffer.push(event);
  }

  /**
   * Queues events the consumer asked for (a catch-up page read on its behalf). They do not count
   * against the buffer limit: the consumer is not behind, it is being served.
   */
  supply(events: readonly WatchEvent[]): void {
    if (this.finished || events.length === 0) return;
    let i = 0;
    const w = this.waiter;
    if (w && this.buffered === 0) {
      this.waiter = undefined;
      i = 1;
      w.resolve({ value: events[0], done: false });
    }
    for (; i < events.length; i++) this.buffer.push(events[i]);
  }

  /** Ends the stream with `error`, delivered after the events already buffered. */
  fail(error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.error = error;
    this.stop();
    this.settleWaiter();
  }

  /** Ends the stream normally after the events already buffered. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.stop();
    this.settleWaiter();
  }

  /** The consumer is done: iteration ends now, buffered events are dropped. */
  close(): void {
    this.buffer = [];
    this.head = 0;
    this.error = undefined;
    this.end();
    this.settleWaiter();
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop?.();
  }

  private settleWaiter(): void {
    const w = this.waiter;
    if (!w || this.buffered > 0) return;
    this.waiter = undefined;
    const err = this.error;
    this.error = undefined;
    if (err !== undefined) w.reject(err);
    else w.resolve({ value: undefined, done: true });
  }

  private take(): WatchEvent | undefined {
    if (this.head >= this.buffer.length) {
      if (this.finished || !this.pull) return undefined;
      const more = this.pull();
      if (!more || more.length === 0) return undefined;
      for (const ev of more) this.buffer.push(ev);
      if (this.head >= this.buffer.length) return undefined;
    }
    const ev = this.buffer[this.head++];
    if (this.head > 1024 && this.head * 2 > this.buffer.length) {
      this.buffer = this.buffer.slice(this.head);
      this.head = 0;
    }
    return ev;
  }

  next(): Promise<IteratorResult<WatchEvent>> {
    if (this.waiter) return Promise.reject(new Error('watch supports one pending next() at a time'));
    const ev = this.take();
    if (ev !== undefined) return Promise.resolve({ value: ev, done: false });
    if (this.finished) {
      if (this.error !== undefined) {
        const err = this.error;
        this.error = undefined; // thrown once; later calls just report done
        return Promise.reject(err);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    return {
      next: () => this.next(),
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
