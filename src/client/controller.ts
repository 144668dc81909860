// The one shape of a controller (DESIGN.md "Habits"): a name and reconcile(key), fed by a
// workqueue. runController is client-go's worker loop (processNextWorkItem): a failed key is
// requeued with rate limiting, a reconciled key is forgotten (its backoff reset), and a key is
// never reconciled by two workers at once.
import type { WorkQueue } from '../util/workqueue.js';
import type { EventHandler } from './informer.js';
import { keyOf } from './objects.js';
import type { Obj } from './types.js';

export interface Controller {
  readonly name: string;
  /** Makes the world match the desired state of the object with this key ("ns/name" or "name"). Throw to retry. */
  reconcile(key: string): Promise<void>;
}

export interface RunControllerOptions {
  /** Called for every failed reconcile (before the key is requeued). Default: console.error. */
  onError?: (err: unknown, key: string, controller: string) => void;
  /** Give up on a key after this many consecutive failures (forget it). Default: never. */
  maxRetries?: number;
}

/**
 * Runs `workers` loops taking keys from `queue` until `signal` aborts (then the queue shuts down;
 * reconciles in progress finish). Resolves when every worker has stopped.
 */
export async function runController(controller: Controller, queue: WorkQueue<string>, workers: number, signal: AbortSignal, opts: RunControllerOptions = {}): Promise<void> {
  const onError = opts.onError ?? ((err, key, name) => console.error(`controller ${name}: reconcile of ${JSON.stringify(key)} failed:`, err));
  const stop = () => queue.shutdown();
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });

  const worker = async (): Promise<void> => {
    for (;;) {
      if (signal.aborted) return;
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await controller.reconcile(key);
        queue.forget(key);
      } catch (err) {
        onError(err, key, controller.name);
        if (opts.maxRetries !== undefined && queue.numRequeues(key) >= opts.maxRetries) queue.forget(key);
        else queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, workers) }, worker));
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/** An informer handler that queues the key of every added, updated or deleted object. */
export function enqueueHandler(queue: WorkQueue<string>, keyFn: (obj: Obj) => string | undefined = keyOf): EventHandler {
  const add = (obj: Obj) => {
    const key = keyFn(obj);
    if (key !== undefined) queue.add(key);
  };
  return { onAdd: add, onUpdate: (_old, obj) => add(obj), onDelete: add };
}
