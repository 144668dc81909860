import { test } from 'node:test';
import { assertCompactionDoesNotBlockWrites, runStoreContract } from './contract.js';
import { MemoryStore } from '../../src/storage/drivers/memory.js';

runStoreContract('memory', async () => new MemoryStore());

test('memory: compacting 50k revisions never blocks a concurrent write for 100 ms', async () => {
  const store = new MemoryStore();
  try {
    await assertCompactionDoesNotBlockWrites(store, 50_000);
  } finally {
    await store.close();
  }
});
