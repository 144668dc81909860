import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertCompactionDoesNotBlockWrites, runStoreContract } from './contract.js';
import { MemoryStore } from '../../src/storage/drivers/memory.js';
import { SortedKeySet } from '../../src/storage/drivers/memory-key-index.js';

runStoreContract('memory', async () => new MemoryStore());

test('memory: compacting 50k revisions never blocks a concurrent write for 100 ms', async () => {
  const store = new MemoryStore();
  try {
    await assertCompactionDoesNotBlockWrites(store, 50_000);
  } finally {
    await store.close();
  }
});

test('memory key index: ordered set with rank and iteration agrees with a sorted array', () => {
  const set = new SortedKeySet();
  const ref = new Set<string>();
  let seed = 42;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let i = 0; i < 20_000; i++) {
    const key = `/k/${rnd(6000).toString().padStart(4, '0')}`;
    if (rnd(3) === 0) assert.equal(set.delete(key), ref.delete(key));
    else {
      assert.equal(set.add(key), !ref.has(key));
      ref.add(key);
    }
  }
  const sorted = [...ref].sort();
  assert.equal(set.size, sorted.length);
  assert.deepEqual([...set.from('', false)], sorted);
  for (const probe of ['/k/0000', '/k/1234', '/k/3000x', '/k/5999', '/k/9', '/a']) {
    const below = sorted.filter((k) => k < probe).length;
    assert.equal(set.rank(probe), below);
    assert.deepEqual([...set.from(probe, true)].slice(0, 5), sorted.filter((k) => k > probe).slice(0, 5));
    assert.deepEqual([...set.from(probe, false)].slice(0, 5), sorted.filter((k) => k >= probe).slice(0, 5));
  }
});

test('memory: a watch catching up over a long unrelated history yields to the event loop', async () => {
  const store = new MemoryStore();
  try {
    const start = await store.currentRevision();
    const noise = Buffer.from('n');
    for (let t = 0; t < 12; t++) {
      const success = Array.from({ length: 10_000 }, (_, i) => ({ type: 'put' as const, key: `/registry/noise/${t}/${i}`, value: noise }));
      await store.txn({ compare: [], success });
    }
    const rare = await store.create('/registry/rare/x', Buffer.from('x'));
    const w = store.watch('/registry/rare/', { afterRevision: start });
    let turns = 0;
    let done = false;
    const spin = () => {
      turns++;
      if (!done) setImmediate(spin);
    };
    setImmediate(spin);
    const first = await w[Symbol.asyncIterator]().next();
    done = true;
    w.close();
    assert.equal(first.value?.kv.modRevision, rare.modRevision);
    assert.ok(turns >= 2, `the catch-up let the event loop turn (${turns} turns)`);
  } finally {
    await store.close();
  }
});
