// Starting a set of controllers the one way they all start: a work queue each, the shared informers
// started and synced, then each controller's workers until stop().
import { setMaxListeners } from 'node:events';
import { runController } from '../../client/controller.js';
import { isConflict } from '../../client/errors.js';
import type { SharedInformerFactory } from '../../client/informer-factory.js';
import type { Clock } from '../../util/clock.js';
import { WorkQueue } from '../../util/workqueue.js';
import type { WorkloadController } from './types.js';

export interface RunControllersOptions {
  informers: SharedInformerFactory;
  clock: Clock;
  onError?: (err: unknown, key: string, controller: string) => void;
  /** Runs after the workers have ended (e.g. flushing event recorders). */
  afterStop?: () => Promise<unknown>;
}

export async function runControllers(controllers: WorkloadController[], opts: RunControllersOptions): Promise<{ stop(): Promise<void> }> {
  const queues = controllers.map((c) => {
    const q = new WorkQueue<string>({ clock: opts.clock, name: c.name });
    c.bind(q);
    return q;
  });
  const ac = new AbortController();
  // One listener per informer (cache sync) and per controller (workers) on this signal.
  setMaxListeners(0, ac.signal);
  opts.informers.start();
  await opts.informers.waitForCacheSync(ac.signal);
  const onError =
    opts.onError ??
    ((err: unknown, key: string, name: string) => {
      if (!isConflict(err)) console.error(`controller ${name}: reconcile of ${JSON.stringify(key)} failed:`, err);
    });
  const runs = controllers.map((c, i) => runController(c, queues[i], c.workers ?? 1, ac.signal, { onError }));
  return {
    async stop() {
      ac.abort();
      await Promise.all(runs);
      await opts.afterStop?.();
    },
  };
}
