// The workqueue's client-go semantics under a fake clock: dedup, one worker per key, requeue after
// done, delays, per-item exponential backoff, the overall bucket, shutdown.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/util/clock.js';
import { BucketRateLimiter, defaultControllerRateLimiter, ItemExponentialFailureRateLimiter } from '../../src/util/rate-limiter.js';
import { WorkQueue } from '../../src/util/workqueue.js';

/** Resolves with what `p` resolved to, or 'pending' when it has not resolved after the microtasks ran. */
async function peek<T>(p: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((r) => setImmediate(() => r('pending')))]);
}

describe('workqueue', () => {
  test('an item added twice is handed out once, in FIFO order', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add('a');
    q.add('b');
    q.add('a');
    assert.equal(q.len(), 2);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    assert.equal(await peek(q.get()), 'pending');
  });

  test('a key being processed is not handed to another worker; added meanwhile, it comes back after done', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add('a');
    const item = await q.get();
    assert.equal(item, 'a');
    q.add('a');
    q.add('a');
    // The second worker must not get 'a' while the first still processes it.
    const second = q.get();
    assert.equal(await peek(second), 'pending');
    q.done('a');
    assert.equal(await second, 'a');
    q.done('a');
    assert.equal(q.len(), 0);
  });

  test('a waiting worker gets an item added later', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    const w = q.get();
    q.add('x');
    assert.equal(await w, 'x');
    // handed out: it is being processed, so adding it again only marks it dirty.
    q.add('x');
    assert.equal(q.len(), 0);
    q.done('x');
    assert.equal(q.len(), 1);
  });

  test('addAfter adds when the clock reaches the delay; the earliest of two delays wins', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.addAfter('a', 1000);
    q.addAfter('a', 300);
    q.addAfter('a', 5000);
    q.addAfter('now', 0);
    assert.equal(await q.get(), 'now');
    clock.advance(299);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
    assert.equal(await q.get(), 'a');
    q.done('a');
    clock.advance(10_000);
    assert.equal(q.len(), 0, 'the later delays were folded into the earliest');
  });

  test('addRateLimited backs off 5 ms, 10 ms, 20 ms ... per item; forget resets', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1000 * 1000) });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const start = clock.now();
      q.addRateLimited('k');
      while (q.len() === 0) clock.advance(1);
      delays.push(clock.now() - start);
      assert.equal(await q.get(), 'k');
      q.done('k');
    }
    assert.deepEqual(delays, [5, 10, 20, 40]);
    assert.equal(q.numRequeues('k'), 4);
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
    q.addRateLimited('k');
    clock.advance(4);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
  });

  test('the per-item backoff caps at 1000 s', () => {
    const l = new ItemExponentialFailureRateLimiter(5, 1000 * 1000);
    let last = 0;
    for (let i = 0; i < 40; i++) last = l.when('x');
    assert.equal(last, 1_000_000);
    assert.equal(l.when('y'), 5, 'other items keep their own count');
  });

  test('the bucket allows a burst of 100, then 10 per second', () => {
    const clock = new FakeClock();
    const b = new BucketRateLimiter(clock, 10, 100);
    for (let i = 0; i < 100; i++) assert.equal(b.when(`i${i}`), 0);
    assert.equal(b.when('x'), 100);
    assert.equal(b.when('y'), 200);
    clock.advance(1000);
    // Ten tokens came back, two were owed.
    assert.equal(b.when('z'), 0);
    const d = defaultControllerRateLimiter(clock);
    assert.equal(d.when('p'), 5);
    assert.equal(d.when('p'), 10);
  });

  test('shutdown: idle workers get undefined, adds are ignored, queued items still drain', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    const idle = q.get();
    q.add('a');
    assert.equal(await idle, 'a');
    q.add('b');
    q.addAfter('later', 10);
    q.shutdown();
    q.add('c');
    clock.advance(100);
    assert.equal(await q.get(), 'b');
    assert.equal(await q.get(), undefined);
    assert.equal(q.isShuttingDown(), true);
  });

  test('shutdownWithDrain waits for items being processed', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add('a');
    const item = await q.get();
    let drained = false;
    const d = q.shutdownWithDrain().then(() => (drained = true));
    await peek(d);
    assert.equal(drained, false);
    q.done(item!);
    await d;
    assert.equal(drained, true);
  });
});
