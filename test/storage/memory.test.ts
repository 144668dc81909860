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
