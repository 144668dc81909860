// The converter's checks of a webhook's answer, against a real HTTPS webhook: upstream's wording
// for each way an answer can be wrong, and the metadata it restores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreatePki } from '../../src/apiserver/certs/pki.js';
import { crConverter } from '../../src/apiserver/crd/conversion.js';
import { ApiError } from '../../src/api/status.js';
import type { CustomResourceDefinition } from '../../src/apiserver/crd/types.js';

type Obj = Record<string, any>;

test('conversion webhook answers are checked as upstream checks them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-conv-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const pki = await loadOrCreatePki(dir, { dns: ['localhost'], ips: ['127.0.0.1'] });
  let answer: (req: Obj) => Obj = () => ({});
  const server = createServer({ cert: pki.cert, key: pki.key }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer(JSON.parse(body).request)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const port = (server.address() as { port: number }).port;
  const crd = {
    metadata: { name: 'things.ex.com' },
    spec: {
      group: 'ex.com',
      names: { plural: 'things', kind: 'Thing', listKind: 'ThingList' },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true }, { name: 'v2', served: true, storage: false }],
      conversion: { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: { url: `https://127.0.0.1:${port}/`, caBundle: Buffer.from(pki.caCert).toString('base64') } } },
    },
  } as unknown as CustomResourceDefinition;
  const conv = crConverter(crd, async () => ({ error: 'unused' }));
  const obj = { apiVersion: 'ex.com/v1', kind: 'Thing', metadata: { name: 'a', namespace: 'ns', uid: 'u1', resourceVersion: '5', labels: { x: '1' } }, spec: { n: 1 } };
  const ok = (req: Obj, objects: Obj[]) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response: { uid: req.uid, result: { status: 'Success' }, convertedObjects: objects } });
  const failsWith = async (message: string | RegExp, objs: Obj[] = [obj]) => {
    await assert.rejects(conv.convert(objs, 'v2'), (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.status.code, 500);
      assert.equal(err.status.reason, undefined);
      if (typeof message === 'string') assert.equal(err.status.message, message);
      else assert.match(err.status.message ?? '', message);
      return true;
    });
  };
  const prefix = 'conversion for ex.com/v1, Kind=Thing';

  answer = (req) => ok(req, req.objects.map((o: Obj) => ({ ...o, apiVersion: req.desiredAPIVersion, metadata: { name: o.metadata.name, namespace: 'ns', uid: 'u1', labels: { y: '2' } }, spec: { m: 2 } })));
  const [out] = await conv.convert([obj], 'v2');
  assert.deepEqual(out, { apiVersion: 'ex.com/v2', kind: 'Thing', metadata: { name: 'a', namespace: 'ns', uid: 'u1', resourceVersion: '5', labels: { y: '2' } }, spec: { m: 2 } }, 'metadata comes back from the original but for labels and annotations');
  assert.equal((await conv.convert([{ ...obj, apiVersion: 'ex.com/v2' }], 'v2'))[0]!.apiVersion, 'ex.com/v2', 'objects already in the version are left alone');

  answer = (req) => ok(req, req.objects.map((o: Obj) => ({ ...o, apiVersion: 'ex.com/v1' })));
  await failsWith(`${prefix} returned invalid converted object at index 1: invalid groupVersion (expected ex.com/v2, received ex.com/v1)`);
  answer = (req) => ok(req, req.objects.map((o: Obj) => ({ ...o, apiVersion: 'ex.com/v2', kind: 'Other' })));
  await failsWith(`${prefix} returned invalid converted object at index 1: invalid kind (expected Thing, received Other)`);
  answer = (req) => ok(req, req.objects.map((o: Obj) => ({ ...o, apiVersion: 'ex.com/v2', metadata: { ...o.metadata, uid: 'u2' } })));
  await failsWith(`${prefix} returned invalid converted object at index 1: must have the same UID: u1 != u2`);
  answer = (req) => ok(req, req.objects.map((o: Obj) => ({ ...o, apiVersion: 'ex.com/v2', metadata: { ...o.metadata, labels: { 'bad key!': 'v' } } })));
  await failsWith(/^conversion for ex\.com\/v1, Kind=Thing returned invalid metadata in object at index 1: metadata\.labels: Invalid value: "bad key!": name part must consist of/);
  answer = (req) => ok(req, req.objects.map((o: Obj) => ({ ...o, apiVersion: 'ex.com/v2', metadata: { ...o.metadata, annotations: { a: 1 } } })));
  await failsWith(`${prefix} returned invalid metadata in object at index 1: metadata.annotations[a] must be a string, but is int64 in converted object`);
  answer = (req) => ok(req, req.objects.map((o: Obj) => ({ apiVersion: 'ex.com/v2', kind: 'Thing', spec: o.spec })));
  await failsWith(`${prefix} returned invalid converted object at index 1: must have the same name: a != `);
  answer = (req) => ok(req, [{ apiVersion: 'ex.com/v2' }]);
  await failsWith(`${prefix} failed: Object 'Kind' is missing in '{"apiVersion":"ex.com/v2"}'`);
  answer = (req) => ({ kind: 'ConversionReview', response: { uid: req.uid, result: { status: 'Success' } } });
  await failsWith(`${prefix} failed: conversion webhook for /, Kind= failed: expected webhook response of apiextensions.k8s.io/v1, Kind=ConversionReview, got /, Kind=ConversionReview`);
  answer = (req) => ({ apiVersion: 'apiextensions.k8s.io/v1beta1', kind: 'ConversionReview', response: { uid: req.uid } });
  await failsWith(`${prefix} failed: conversion webhook for /, Kind= failed: converting (v1beta1.ConversionReview) to (v1.ConversionReview): unknown conversion`);
  answer = () => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview' });
  await failsWith(`${prefix} failed: conversion webhook for /, Kind= failed: no response provided`);
  answer = (req) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response: { uid: req.uid, result: { status: 'Failure' } } });
  await failsWith(`${prefix} failed: conversion webhook for /, Kind= failed: response.result.status was 'Failure', not 'Success'`);

  // A list: one review, items already in the version skipped.
  let seen = 0;
  answer = (req) => ((seen = req.objects.length), ok(req, req.objects.map((o: Obj) => ({ ...o, apiVersion: 'ex.com/v2' }))));
  const items = await conv.convert([obj, { ...obj, apiVersion: 'ex.com/v2', metadata: { ...obj.metadata, name: 'b' } }, { ...obj, metadata: { ...obj.metadata, name: 'c' } }], 'v2');
  assert.deepEqual(items.map((i) => [i.apiVersion, (i.metadata as Obj).name]), [['ex.com/v2', 'a'], ['ex.com/v2', 'b'], ['ex.com/v2', 'c']]);
  assert.equal(seen, 2);
  answer = (req) => ok(req, []);
  await failsWith('conversion for ex.com/v1, Kind=Thing returned 0 objects, expected 2', [obj, { ...obj, metadata: { ...obj.metadata, name: 'b' } }]);
  await assert.rejects(conv.convert([obj], 'v3'), /request to convert CR to an invalid group\/version: ex\.com\/v3/);
});
