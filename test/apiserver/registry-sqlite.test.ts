// The registry over the SQLite driver: writes, lists, watches, and a restart of the process
// (store closed and reopened from its file) keeping objects, resourceVersions, uids and history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '../../src/apiserver/registry/index.js';
import type { WatchEventOut } from '../../src/apiserver/registry/index.js';
import type { ResourceDef } from '../../src/apiserver/schema/types.js';
import { openSqliteStore } from '../../src/storage/drivers/sqlite.js';
import { FakeClock } from '../../src/util/clock.js';
import { catalog, w } from './registry-fixture.js';

const configmaps = catalog.resource('', 'v1', 'configmaps') as ResourceDef;
const namespaces = catalog.resource('', 'v1', 'namespaces') as ResourceDef;

const rvOf = (o: Record<string, unknown>) => (o.metadata as { resourceVersion: string }).resourceVersion;
const nameOf = (o: Record<string, unknown>) => (o.metadata as { name: string }).name;

test('registry on SQLite survives a restart with the same objects, resourceVersions, uids and watch history', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-registry-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'state.db');
  const clock = new FakeClock();

  const store1 = await openSqliteStore({ path });
  const r1 = new Registry({ store: store1, catalog, clock });
  await r1.start();
  const a = await r1.create(configmaps, 'default', { metadata: { name: 'a' }, data: { k: 'v' } }, w());
  const b = await r1.create(configmaps, 'default', { metadata: { name: 'b' } }, w());
  const a2 = (await r1.update(configmaps, 'default', 'a', { ...a, data: { k: 'v2' } }, w())).object;
  await r1.delete(configmaps, 'default', 'b', {}, w());
  const listed = await r1.list(configmaps, 'default', {});
  assert.deepEqual((listed.items as Record<string, unknown>[]).map(nameOf), ['a']);
  await r1.stop();
  await store1.close();

  const store2 = await openSqliteStore({ path });
  const r2 = new Registry({ store: store2, catalog, clock });
  await r2.start();
  t.after(async () => {
    await r2.stop();
    await store2.close();
  });
  const got = await r2.get(configmaps, 'default', 'a', {});
  assert.deepEqual(got, a2);
  const nsBefore = (await r2.list(namespaces, undefined, {})).items as Record<string, unknown>[];
  assert.equal(nsBefore.length, 4);
  const ac = new AbortController();
  const evs: WatchEventOut[] = [];
  for await (const ev of r2.watch(configmaps, 'default', { resourceVersion: rvOf(a), signal: ac.signal })) {
    evs.push(ev);
    if (evs.length === 3) break;
  }
  ac.abort();
  assert.deepEqual(
    evs.map((e) => `${e.type} ${nameOf(e.object)}`),
    ['ADDED b', 'MODIFIED a', 'DELETED b'],
  );
  assert.equal(rvOf(evs[0].object), rvOf(b));
});
