// A bounded queue between synchronous producers (cache listeners) and one async consumer.
// A consumer that falls more than `limit` events behind is dropped: the queue closes and the
// watch ends, so the client re-watches instead of holding the server's memory (upstream's
// cacheWatcher does the same when its channel is full).

export class EventQueue<T> {
  private items: T[] = [];
  private head = 0;
  private wake: (() => void) | undefined;
  closed = false;
  overflowed = false;

  constructor(private readonly limit: number) {}

  push(item: T): void {
    if (this.closed) return;
    if (this.items.length - this.head >= this.limit) {
      this.overflowed = true;
      this.close();
      return;
    }
    this.items.push(item);
    this.signal();
  }

  close(): void {
    this.closed = true;
    this.signal();
  }

  private signal(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** The next item, or undefined once the queue is closed (items queued before an overflow are dropped). */
  async next(): Promise<T | undefined> {
    for (;;) {
      if (this.overflowed) return undefined;
      if (this.head < this.items.length) {
        const item = this.items[this.head++];
        if (this.head > 1024 && this.head * 2 > this.items.length) {
          this.items = this.items.slice(this.head);
          this.head = 0;
        }
        return item;
      }
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
