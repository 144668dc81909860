// The scheduling queue on a fake clock: priority order, per-pod backoff, unschedulable pods moved
// back by cluster events or after five minutes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { podInfoOf } from '../../src/scheduler/framework/pod-info.js';
import { newPrioritySort } from '../../src/scheduler/plugins/prioritysort/prioritysort.js';
import { SchedulingQueue } from '../../src/scheduler/queue.js';
import { FakeClock } from '../../src/util/clock.js';
import { pod } from './fixtures.js';

function queue() {
  const clock = new FakeClock();
  const sort = newPrioritySort();
  return { clock, q: new SchedulingQueue(clock, (a, b) => sort.less!(a, b)) };
}

describe('scheduling queue', () => {
  test('higher priority first, then first come', async () => {
    const { clock, q } = queue();
    q.add(podInfoOf(pod('a', { priority: 1 })));
    clock.advance(1);
    q.add(podInfoOf(pod('b', { priority: 5 })));
    clock.advance(1);
    q.add(podInfoOf(pod('c', { priority: 1 })));
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await q.pop())!.pod.name);
    assert.deepEqual(order, ['b', 'a', 'c']);
  });

  test('backoff doubles from 1 s to at most 10 s', () => {
    const { q } = queue();
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => q.backoffDuration(n)), [1000, 2000, 4000, 8000, 10000, 10000]);
  });

  test('an unschedulable pod waits for a cluster event, then its backoff', async () => {
    const { clock, q } = queue();
    q.add(podInfoOf(pod('p')));
    const qpi = (await q.pop())!;
    q.addUnschedulable(qpi, q.cycle);
    assert.deepEqual(q.counts(), { active: 0, backoff: 0, unschedulable: 1 });
    clock.advance(400);
    q.moveAllToActiveOrBackoff();
    assert.deepEqual(q.counts(), { active: 0, backoff: 1, unschedulable: 0 });
    clock.advance(599);
    assert.deepEqual(q.counts().active, 0);
    clock.advance(1);
    assert.deepEqual(q.counts(), { active: 1, backoff: 0, unschedulable: 0 });
  });

  test('an unschedulable pod is retried after five minutes without events', async () => {
    const { clock, q } = queue();
    q.add(podInfoOf(pod('p')));
    q.addUnschedulable((await q.pop())!, q.cycle);
    clock.advance(5 * 60_000 - 1);
    assert.equal(q.counts().unschedulable, 1);
    clock.advance(1);
    assert.equal(q.counts().active, 1);
  });

  test('an event during the attempt sends the failed pod to backoff, not to wait', async () => {
    const { clock, q } = queue();
    q.add(podInfoOf(pod('p')));
    const qpi = (await q.pop())!;
    const cycle = q.cycle;
    q.moveAllToActiveOrBackoff();
    q.addUnschedulable(qpi, cycle);
    assert.deepEqual(q.counts(), { active: 0, backoff: 1, unschedulable: 0 });
    clock.advance(1000);
    assert.equal(q.counts().active, 1);
  });

  test('a status-only update leaves an unschedulable pod waiting; a spec change retries it', async () => {
    const { q } = queue();
    const p = pod('p');
    q.add(podInfoOf(p));
    q.addUnschedulable((await q.pop())!, q.cycle);
    q.update(podInfoOf({ ...p, status: { conditions: [{ type: 'PodScheduled', status: 'False' }] } }));
    assert.equal(q.counts().unschedulable, 1);
    q.update(podInfoOf({ ...p, metadata: { ...(p.metadata as object), labels: { new: 'label' } } }));
    assert.equal(q.counts().unschedulable, 0);
  });

  test('pop waits for a pod and close releases waiters', async () => {
    const { q } = queue();
    const waiting = q.pop();
    q.add(podInfoOf(pod('late')));
    assert.equal((await waiting)!.pod.name, 'late');
    const pending = q.pop();
    q.close();
    assert.equal(await pending, undefined);
  });
});
