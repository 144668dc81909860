// controller.ControllerExpectations / UIDTrackingControllerExpectations: a controller records how
// many creations it made and which pods it deleted, and does not act on a key again until its
// informer has seen them (or 5 minutes have passed), so a lagging cache never causes double work.
import type { EventHandler } from '../../client/informer.js';
import { deletionTimestamp, keyOf } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';
import type { Clock } from '../../util/clock.js';
import type { WorkQueue } from '../../util/workqueue.js';

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

/**
 * Pod event handlers of a controller that keeps expectations (upstream addPod/updatePod/deletePod
 * for owned pods): a new pod, and a pod whose deletion starts or completes, is observed against its
 * owner's expectations, and the owner is queued. `updated` then runs for an owned pod's update.
 */
export function ownedPodHandlers(
  expectations: Expectations,
  queue: WorkQueue<string>,
  ownerKey: (pod: Obj) => string | undefined,
  updated?: (old: Obj, pod: Obj, owner: string) => void,
): EventHandler {
  return {
    onAdd: (p) => {
      const k = ownerKey(p);
      if (!k) return;
      expectations.creationObserved(k);
      queue.add(k);
    },
    onUpdate: (o, p) => {
      const k = ownerKey(p);
      if (!k) return;
      if (deletionTimestamp(p) && !deletionTimestamp(o)) expectations.deletionObserved(k, keyOf(p));
      queue.add(k);
      updated?.(o, p, k);
    },
    onDelete: (p) => {
      const k = ownerKey(p);
      if (!k) return;
      expectations.deletionObserved(k, keyOf(p));
      queue.add(k);
    },
  };
}
