import { test, after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/storage/drivers/sqlite.js';
import { assertCompactionDoesNotBlockWrites } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'kumo-sqlite-compact-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('sqlite: compacting 50k revisions never blocks a concurrent write for 100 ms', async () => {
  const store = await openSqliteStore({ path: join(dir, 'store.db') });
  try {
    await assertCompactionDoesNotBlockWrites(store, 50_000);
  } finally {
    await store.close();
  }
});
