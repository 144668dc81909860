// runController: retries with per-item backoff on the clock, forgets on success, one worker per
// key; and a small controller wired the way real ones are (informer -> queue -> reconcile -> client).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { enqueueHandler, runController } from '../../src/client/controller.js';
import type { Controller } from '../../src/client/controller.js';
import { ApiError } from '../../src/api/status.js';
import { isConflict, isNotFound } from '../../src/client/errors.js';
import { retryOnConflict } from '../../src/client/retry.js';
import { Informer } from '../../src/client/informer.js';
import { keyOf, labels, splitKey } from '../../src/client/objects.js';
import type { KubeClient } from '../../src/client/types.js';
import { FakeClock } from '../../src/util/clock.js';
import type { Clock } from '../../src/util/clock.js';
import { WorkQueue } from '../../src/util/workqueue.js';
import { configMap, startRegistry } from './registry-fixture.js';
import { waitFor } from '../helpers/wait.js';

describe('runController', () => {
  test('a failing key is retried after 5 ms, 10 ms, 20 ms of clock time, then forgotten on success', async (t) => {
    const clock = new FakeClock();
    const queue = new WorkQueue({ clock });
    const attempts: number[] = [];
    const errors: string[] = [];
    const controller: Controller = {
      name: 'flaky',
      async reconcile(key) {
        attempts.push(clock.now());
        if (attempts.length <= 3) throw new Error(`not yet ${key}`);
      },
    };
    const ac = new AbortController();
    const running = runController(controller, queue, 2, ac.signal, { onError: (e) => errors.push((e as Error).message) });
    t.after(() => ac.abort());
    const start = clock.now();
    queue.add('k');
    for (let step = 0; step < 3; step++) {
      await waitFor(`failure ${step + 1}`, () => attempts.length === step + 1 && queue.numRequeues('k') === step + 1);
      // Not before its backoff has passed.
      clock.advance(5 * 2 ** step - 1);
      assert.equal(attempts.length, step + 1);
      clock.advance(1);
    }
    await waitFor('the success', () => attempts.length === 4 && queue.numRequeues('k') === 0);
    assert.deepEqual(attempts.map((a) => a - start), [0, 5, 15, 35]);
    assert.deepEqual(errors, ['not yet k', 'not yet k', 'not yet k']);
    ac.abort();
    await running;
  });

  test('a key is never reconciled by two workers at once; added meanwhile, it runs again after', async () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let release!: () => void;
    let gate = new Promise<void>((r) => (release = r));
    const controller: Controller = {
      name: 'slow',
      async reconcile() {
        active++;
        maxActive = Math.max(maxActive, active);
        runs++;
        await gate;
        active--;
      },
    };
    const ac = new AbortController();
    const running = runController(controller, queue, 4, ac.signal);
    queue.add('same');
    await waitFor('the first run', () => runs === 1);
    queue.add('same');
    queue.add('same');
    await new Promise((r) => setImmediate(r));
    assert.equal(runs, 1);
    const first = release;
    gate = new Promise<void>((r) => (release = r));
    first();
    await waitFor('the second run', () => runs === 2);
    release();
    await waitFor('idle', () => active === 0 && queue.len() === 0);
    assert.equal(runs, 2);
    assert.equal(maxActive, 1);
    ac.abort();
    await running;
  });

  test('maxRetries gives up on a key', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue({ clock });
    let runs = 0;
    const ac = new AbortController();
    const running = runController({ name: 'hopeless', reconcile: async () => {
          runs++;
          throw new Error('no');
        } }, queue, 1, ac.signal, { maxRetries: 2, onError: () => undefined });
    queue.add('k');
    await waitFor('run 1', () => runs === 1);
    clock.advance(5);
    await waitFor('run 2', () => runs === 2);
    clock.advance(10);
    await waitFor('run 3', () => runs === 3);
    clock.advance(1_000_000);
    await new Promise((r) => setImmediate(r));
    assert.equal(runs, 3);
    assert.equal(queue.numRequeues('k'), 0);
    ac.abort();
    await running;
  });
});

/** Keeps a "<name>-copy" of every config map labelled mirror=yes, with the same data. */
class MirrorController implements Controller {
  readonly name = 'mirror';
  readonly queue: WorkQueue<string>;
  readonly informer: Informer;
  constructor(
    clock: Clock,
    private readonly client: KubeClient,
  ) {
    this.queue = new WorkQueue({ clock, name: this.name });
    this.informer = new Informer({ client: client.resource('', 'v1', 'configmaps'), clock, name: 'configmaps' });
    this.informer.addEventHandler(enqueueHandler(this.queue, (o) => (labels(o).mirror === 'yes' ? keyOf(o) : undefined)));
  }
  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cms = this.client.resource('', 'v1', 'configmaps');
    const source = this.informer.lister.get(namespace, name);
    if (!source) {
      await cms.delete(namespace, `${name}-copy`).catch((e) => {
        if (!isNotFound(e)) throw e;
      });
      return;
    }
    const existing = this.informer.lister.get(namespace, `${name}-copy`);
    if (!existing) await cms.create(namespace, configMap(`${name}-copy`, source.data as Record<string, string>));
    else if (JSON.stringify(existing.data) !== JSON.stringify(source.data)) await cms.update(namespace, { ...existing, data: source.data });
  }
}

describe('a controller wired as the real ones', () => {
  test('informer events drive reconciles that write through the client', async (t) => {
    const { client, clock } = await startRegistry(t);
    const cms = client.resource('', 'v1', 'configmaps');
    await cms.create('default', configMap('a', { x: '1' }, { mirror: 'yes' }));
    const c = new MirrorController(clock, client);
    const ac = new AbortController();
    c.informer.start();
    t.after(() => c.informer.stop());
    await c.informer.waitForSync();
    const running = runController(c, c.queue, 2, ac.signal);
    t.after(async () => {
      ac.abort();
      await running;
    });
    const data = async (n: string) => (await cms.get('default', n).catch(() => undefined))?.data;
    const eventually = async (n: string, want: unknown) => {
      const deadline = Date.now() + 10_000;
      while (JSON.stringify(await data(n)) !== JSON.stringify(want)) {
        if (Date.now() > deadline) throw new Error(`${n} never became ${JSON.stringify(want)}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await eventually('a-copy', { x: '1' });
    await cms.patch('default', 'a', 'merge', { data: { x: '2' } });
    await eventually('a-copy', { x: '2' });
    await cms.create('default', configMap('plain', { y: '1' }));
    await cms.delete('default', 'a');
    await eventually('a-copy', undefined);
    assert.equal(await data('plain-copy'), undefined);
  });
});

describe('retryOnConflict', () => {
  test('a read-modify-write that loses a race is run again on fresh state', async (t) => {
    const { client } = await startRegistry(t);
    const cms = client.resource('', 'v1', 'configmaps');
    await cms.create('default', configMap('counter', { n: '0' }));
    // Ten concurrent increments: every one lands, some after conflicts.
    let conflicts = 0;
    const increment = () =>
      retryOnConflict(
        async () => {
          const cur = await cms.get('default', 'counter');
          const n = Number((cur.data as { n: string }).n);
          try {
            return await cms.update('default', { ...cur, data: { n: String(n + 1) } });
          } catch (e) {
            if (isConflict(e)) conflicts++;
            throw e;
          }
        },
        { steps: 20, delayMs: 0 },
      );
    await Promise.all(Array.from({ length: 10 }, increment));
    assert.equal(((await cms.get('default', 'counter')).data as { n: string }).n, '10');
    assert.ok(conflicts > 0, 'the increments raced');
  });

  test('gives up after the attempts with the last Conflict; other errors are not retried', async () => {
    let calls = 0;
    const conflictError = new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Conflict', code: 409, message: 'conflict' });
    await assert.rejects(
      retryOnConflict(async () => {
        calls++;
        throw conflictError;
      }, { steps: 3, delayMs: 0 }),
      (e) => e === conflictError,
    );
    assert.equal(calls, 3);
    calls = 0;
    await assert.rejects(
      retryOnConflict(async () => {
        calls++;
        throw new Error('other');
      }),
      /other/,
    );
    assert.equal(calls, 1);
  });

  test('waits on the clock between attempts', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const conflictError = new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Conflict', code: 409, message: 'conflict' });
    const p = retryOnConflict(async () => {
      if (++calls < 3) throw conflictError;
      return 'done';
    }, { clock, delayMs: 10, factor: 2 });
    await waitFor('first call', () => calls === 1);
    clock.advance(9);
    await new Promise((r) => setImmediate(r));
    assert.equal(calls, 1);
    clock.advance(1);
    await waitFor('second call', () => calls === 2);
    clock.advance(19);
    await new Promise((r) => setImmediate(r));
    assert.equal(calls, 2);
    clock.advance(1);
    assert.equal(await p, 'done');
  });
});
