// controller.ControllerExpectations / UIDTrackingControllerExpectations: a controller records how
// many creations it made and which pods it deleted, and does not act on a key again until its
// informer has seen them (or 5 minutes have passed), so a lagging cache never causes double work.
import type { Clock } from '../../util/clock.js';

/** ExpectationsTimeout upstream. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Expectation {
  add: number;
  deletions: Set<string>;
  at: number;
}

export class Expectations {
  private readonly byKey = new Map<string, Expectation>();
  constructor(private readonly clock: Clock) {}

  /** True when nothing is pending for `key` (or the record expired). */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.deletions.size === 0) return true;
    return this.clock.now() - e.at > EXPECTATIONS_TIMEOUT_MS;
  }

  expectCreations(key: string, n: number): void {
    this.byKey.set(key, { add: n, deletions: new Set(), at: this.clock.now() });
  }

  expectDeletions(key: string, podKeys: string[]): void {
    this.byKey.set(key, { add: 0, deletions: new Set(podKeys), at: this.clock.now() });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.add--;
  }

  deletionObserved(key: string, podKey: string): void {
    this.byKey.get(key)?.deletions.delete(podKey);
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}
