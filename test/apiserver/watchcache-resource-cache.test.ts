// The per-resource cache: key order kept as objects come and go, ranges by prefix and start key,
// and the event window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceCache } from '../../src/apiserver/watchcache/index.js';
import type { WatchEvent } from '../../src/storage/types.js';

const P = '/registry/core/pods/';
let rev = 10;
const put = (key: string): WatchEvent => ({ type: 'put', kv: { key, value: Buffer.from(JSON.stringify({ metadata: { name: key.split('/').pop() } })), createRevision: rev, modRevision: ++rev, version: 1 } });
const del = (key: string): WatchEvent => ({ type: 'delete', kv: { key, value: Buffer.alloc(0), createRevision: 0, modRevision: ++rev, version: 0 } });
const keys = (c: ResourceCache, prefix: string, after?: string) => c.list(prefix, after).map((o) => o.key);

test('keys stay ordered through adds and deletes; ranges honour prefix boundaries and start keys', () => {
  const c = new ResourceCache('core/pods', 100, rev);
  for (const k of ['b/2', 'a/1', 'ab/1', 'b/1', 'a/3', 'a/2']) c.apply(put(P + k));
  assert.deepEqual(keys(c, P), ['a/1', 'a/2', 'a/3', 'ab/1', 'b/1', 'b/2'].map((k) => P + k));
  assert.deepEqual(keys(c, `${P}a/`), ['a/1', 'a/2', 'a/3'].map((k) => P + k));
  assert.deepEqual(keys(c, `${P}a/`, `${P}a/1`), ['a/2', 'a/3'].map((k) => P + k));
  assert.deepEqual(keys(c, P, `${P}a/3`), ['ab/1', 'b/1', 'b/2'].map((k) => P + k));
  c.apply(del(`${P}a/2`));
  c.apply(put(`${P}a/0`));
  assert.deepEqual(keys(c, `${P}a/`), ['a/0', 'a/1', 'a/3'].map((k) => P + k));
  assert.equal(c.range(`${P}c/`).length, 0);
});

test('events after a revision come from the window until they leave it', () => {
  const start = rev;
  const c = new ResourceCache('core/pods', 2, start);
  const e1 = c.apply(put(`${P}x/1`));
  const e2 = c.apply(put(`${P}x/2`));
  assert.deepEqual(c.eventsAfter(start)?.map((e) => e.type), ['ADDED', 'ADDED']);
  const e3 = c.apply(del(`${P}x/1`));
  assert.equal(c.eventsAfter(start), undefined);
  assert.deepEqual(c.eventsAfter(e1!.rv)?.map((e) => e.rv), [e2!.rv, e3!.rv]);
  assert.equal(e3?.type, 'DELETED');
  assert.equal((e3?.object.object.metadata as { resourceVersion: string }).resourceVersion, String(e3?.rv));
});
