// The one source of time for every controller (DESIGN.md promise 4): real, fake or scaled.

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch, as this clock sees it. */
  now(): number;
  /** Runs `fn` once after `ms` of this clock's time. */
  setTimer(ms: number, fn: () => void): Timer;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
}

export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }
  setTimer(ms: number, fn: () => void): Timer {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }
}

/** Wall time sped up by `factor` from the moment it is made: 60 runs an hour a minute. */
export class ScaledClock implements Clock {
  private readonly start = Date.now();
  constructor(private readonly factor: number) {
    if (!(factor > 0)) throw new Error(`clock factor must be positive, got ${factor}`);
  }
  now(): number {
    return this.start + (Date.now() - this.start) * this.factor;
  }
  setTimer(ms: number, fn: () => void): Timer {
    const handle = setTimeout(fn, Math.max(0, ms / this.factor));
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / this.factor)));
  }
}

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Time that moves only when a test calls advance(). Timers fire in due order. */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private pending: PendingTimer[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }
  now(): number {
    return this.current;
  }
  setTimer(ms: number, fn: () => void): Timer {
    const timer: PendingTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.pending.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(ms, resolve));
  }
  /** Moves time forward by `ms`, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.pending = this.pending.filter((t) => !t.cancelled);
      const due = this.pending.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.pending.splice(this.pending.indexOf(due), 1);
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = target;
  }
}
