// A fixed-size ring of the most recent events, ordered by resourceVersion.

export class EventRing<T extends { rv: number }> {
  private readonly buf: (T | undefined)[];
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new Error(`ring capacity must be positive, got ${capacity}`);
    this.buf = new Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Appends `item`; returns the evicted oldest item when the ring was full. */
  push(item: T): T | undefined {
    if (this.size < this.capacity) {
      this.buf[(this.head + this.size) % this.capacity] = item;
      this.size++;
      return undefined;
    }
    const evicted = this.buf[this.head];
    this.buf[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
    return evicted;
  }

  at(i: number): T {
    return this.buf[(this.head + i) % this.capacity] as T;
  }

  /** Items with rv > `rv`, oldest first. */
  after(rv: number): T[] {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    const out: T[] = [];
    for (let i = lo; i < this.size; i++) out.push(this.at(i));
    return out;
  }

  clear(): void {
    this.buf.fill(undefined);
    this.head = 0;
    this.size = 0;
  }
}
