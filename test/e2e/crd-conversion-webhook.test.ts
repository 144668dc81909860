// CRD conversion webhooks through kubectl: objects are stored in the storage version and served in
// the version asked for by a real HTTPS webhook the test runs (v1 spec.host + spec.port <->
// v2 spec.address), lists convert in one ConversionReview, watches deliver converted objects,
// and a failing or unreachable webhook gives the client upstream's error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreatePki } from '../../src/apiserver/certs/pki.js';
import { apiRequest, kubectl, run, startApiServer } from '../helpers/apiserver.js';

type Obj = Record<string, any>;

interface Review {
  apiVersion: string;
  desiredAPIVersion: string;
  objects: Obj[];
}

/** How the webhook answers: convert, or one of the broken answers upstream checks for. */
type Mode = 'convert' | 'fail' | 'wrong-uid' | 'rename' | 'drop' | 'not-found';

function convert(obj: Obj, desired: string): Obj {
  const out = structuredClone(obj);
  out.apiVersion = desired;
  const spec = out.spec ?? {};
  if (desired.endsWith('/v2') && 'host' in spec) {
    out.spec = { address: `${spec.host}:${spec.port}` };
  } else if (desired.endsWith('/v1') && 'address' in spec) {
    const [host, port] = String(spec.address).split(':');
    out.spec = { host, port: Number(port) };
  }
  out.metadata = { ...out.metadata, labels: { ...(out.metadata?.labels ?? {}), converted: 'yes' } };
  return out;
}

async function startWebhook(t: { after(fn: () => void | Promise<void>): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-webhook-'));
  const pki = await loadOrCreatePki(dir, { dns: ['localhost'], ips: ['127.0.0.1'] });
  const reviews: Review[] = [];
  const state = { mode: 'convert' as Mode };
  const server: Server = createServer({ cert: pki.cert, key: pki.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString()) as Obj;
      const { uid, desiredAPIVersion, objects } = review.request;
      reviews.push({ apiVersion: review.apiVersion, desiredAPIVersion, objects });
      if (state.mode === 'not-found') {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('404 page not found\n');
        return;
      }
      let response: Obj;
      switch (state.mode) {
        case 'fail':
          response = { uid, result: { status: 'Failure', message: 'refusing to convert' } };
          break;
        case 'wrong-uid':
          response = { uid: 'not-the-uid', result: { status: 'Success' }, convertedObjects: objects.map((o: Obj) => convert(o, desiredAPIVersion)) };
          break;
        case 'rename':
          response = { uid, result: { status: 'Success' }, convertedObjects: objects.map((o: Obj) => ({ ...convert(o, desiredAPIVersion), metadata: { ...o.metadata, name: 'other' } })) };
          break;
        case 'drop':
          response = { uid, result: { status: 'Success' }, convertedObjects: [] };
          break;
        default:
          response = { uid, result: { status: 'Success' }, convertedObjects: objects.map((o: Obj) => convert(o, desiredAPIVersion)) };
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: review.apiVersion, kind: 'ConversionReview', response }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });
  const port = (server.address() as { port: number }).port;
  return { url: `https://127.0.0.1:${port}/convert`, caBundle: Buffer.from(pki.caCert).toString('base64'), reviews, state };
}

function crd(group: string, clientConfig: Obj, reviewVersions = ['v1', 'v1beta1']): string {
  return JSON.stringify({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `backends.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'backends', singular: 'backend', kind: 'Backend' },
      conversion: { strategy: 'Webhook', webhook: { clientConfig, conversionReviewVersions: reviewVersions } },
      versions: [
        { name: 'v1', served: true, storage: false, selectableFields: [{ jsonPath: '.spec.host' }], schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { host: { type: 'string' }, port: { type: 'integer' } } } } } } },
        { name: 'v2', served: true, storage: true, selectableFields: [{ jsonPath: '.spec.address' }], schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { address: { type: 'string' } } } } } } },
      ],
    },
  });
}

async function eventually(what: string, fn: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!(await fn())) {
    if (Date.now() - t0 > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('CRD conversion webhooks on kumo apiserver', async (t) => {
  const [server, hook] = await Promise.all([startApiServer(t), startWebhook(t)]);
  await kubectl(server, ['apply', '-f', '-'], { input: crd('conv.example.com', { url: hook.url, caBundle: hook.caBundle }) });
  await eventually('both versions served', async () => (await run(server, 'kubectl', ['get', 'backends.v1.conv.example.com'])).code === 0 && (await run(server, 'kubectl', ['get', 'backends.v2.conv.example.com'])).code === 0);

  await t.test('an object applied as v1 is stored as v2 and read in either version', async () => {
    await kubectl(server, ['apply', '-f', '-'], { input: 'apiVersion: conv.example.com/v1\nkind: Backend\nmetadata: {name: db}\nspec: {host: db.local, port: 5432}\n' });
    assert.ok(hook.reviews.some((r) => r.desiredAPIVersion === 'conv.example.com/v2' && r.objects[0]?.apiVersion === 'conv.example.com/v1'), 'the create was converted to the storage version');
    const v2 = JSON.parse(await kubectl(server, ['get', 'backends.v2.conv.example.com', 'db', '-o', 'json']));
    assert.equal(v2.apiVersion, 'conv.example.com/v2');
    assert.deepEqual(v2.spec, { address: 'db.local:5432' });
    assert.equal(v2.metadata.labels.converted, 'yes', 'labels set by the webhook are kept');
    const v1 = JSON.parse(await kubectl(server, ['get', 'backends.v1.conv.example.com', 'db', '-o', 'json']));
    assert.equal(v1.apiVersion, 'conv.example.com/v1');
    assert.deepEqual(v1.spec, { host: 'db.local', port: 5432 });
    assert.equal(v1.metadata.uid, v2.metadata.uid);
  });

  await t.test('a list converts all its items in one ConversionReview', async () => {
    await kubectl(server, ['apply', '-f', '-'], { input: 'apiVersion: conv.example.com/v2\nkind: Backend\nmetadata: {name: cache}\nspec: {address: "cache.local:6379"}\n' });
    hook.reviews.length = 0;
    const list = JSON.parse(await kubectl(server, ['get', 'backends.v1.conv.example.com', '-o', 'json']));
    assert.deepEqual(list.items.map((i: Obj) => [i.apiVersion, i.metadata.name, i.spec]), [
      ['conv.example.com/v1', 'cache', { host: 'cache.local', port: 6379 }],
      ['conv.example.com/v1', 'db', { host: 'db.local', port: 5432 }],
    ]);
    assert.deepEqual(hook.reviews.map((r) => [r.desiredAPIVersion, r.objects.length]), [['conv.example.com/v1', 2]]);
  });

  await t.test('selectors match the requested version\'s fields and labels', async () => {
    const names = async (args: string[]) => (await kubectl(server, ['get', 'backends.v1.conv.example.com', '-o', 'name', ...args])).trim().split('\n').filter(Boolean);
    assert.deepEqual(await names(['--field-selector', 'spec.host=cache.local']), ['backend.conv.example.com/cache']);
    // "cache" was created as v2: only its conversion to v1 gives it the webhook's label.
    assert.deepEqual(await names(['-l', 'converted=yes']), ['backend.conv.example.com/cache', 'backend.conv.example.com/db']);
    assert.deepEqual((await kubectl(server, ['get', 'backends.v2.conv.example.com', '-o', 'name', '--field-selector', 'spec.address=db.local:5432'])).trim(), 'backend.conv.example.com/db');
    const unsupported = await apiRequest(server, 'GET', '/apis/conv.example.com/v1/namespaces/default/backends?fieldSelector=spec.address%3Dx');
    assert.deepEqual([unsupported.status, unsupported.json().message], [400, 'field label not supported: spec.address']);
    hook.reviews.length = 0;
    const watching = apiRequest(server, 'GET', '/apis/conv.example.com/v1/namespaces/default/backends?watch=true&timeoutSeconds=2&fieldSelector=spec.host%3Ddb.local');
    await eventually('the watch to select its initial objects', async () => hook.reviews.length > 0);
    await kubectl(server, ['label', 'backends.v2.conv.example.com', 'cache', 'touched=1']);
    await kubectl(server, ['label', 'backends.v2.conv.example.com', 'db', 'touched=1']);
    const events = (await watching).body.trim().split('\n').map((l) => { const e = JSON.parse(l); return [e.type, e.object.metadata.name, e.object.spec.host, e.object.metadata.labels.touched]; });
    assert.deepEqual(events, [['ADDED', 'db', 'db.local', undefined], ['MODIFIED', 'db', 'db.local', '1']]);
  });

  await t.test('a webhook that speaks only v1beta1 gets a v1beta1 ConversionReview', async (tt) => {
    tt.after(() => kubectl(server, ['apply', '-f', '-'], { input: crd('conv.example.com', { url: hook.url, caBundle: hook.caBundle }) }));
    await kubectl(server, ['apply', '-f', '-'], { input: crd('conv.example.com', { url: hook.url, caBundle: hook.caBundle }, ['v2beta9', 'v1beta1']) });
    await eventually('reviews sent as v1beta1', async () => {
      hook.reviews.length = 0;
      await kubectl(server, ['get', 'backends.v1.conv.example.com', 'db', '-o', 'name']);
      return hook.reviews[0]?.apiVersion === 'apiextensions.k8s.io/v1beta1';
    });
    const v1 = JSON.parse(await kubectl(server, ['get', 'backends.v1.conv.example.com', 'db', '-o', 'json']));
    assert.deepEqual(v1.spec, { host: 'db.local', port: 5432 });
  });

  await t.test('a watch delivers converted objects', async () => {
    hook.reviews.length = 0;
    const watch = apiRequest(server, 'GET', '/apis/conv.example.com/v1/namespaces/default/backends?watch=true&timeoutSeconds=2');
    await eventually('the initial events converted', async () => hook.reviews.length > 0);
    await kubectl(server, ['patch', 'backends.v2.conv.example.com', 'cache', '--type', 'merge', '-p', '{"spec":{"address":"cache.local:6380"}}']);
    const events = (await watch).body.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(events.map((e: Obj) => [e.type, e.object.apiVersion, e.object.metadata.name, e.object.spec.port]), [
      ['ADDED', 'conv.example.com/v1', 'cache', 6379],
      ['ADDED', 'conv.example.com/v1', 'db', 5432],
      ['MODIFIED', 'conv.example.com/v1', 'cache', 6380],
    ]);
  });

  await t.test('a webhook that fails or answers wrongly gives upstream\'s error', async (tt) => {
    tt.after(() => void (hook.state.mode = 'convert'));
    const prefix = 'conversion for conv.example.com/v2, Kind=Backend';
    hook.state.mode = 'fail';
    const r = await run(server, 'kubectl', ['get', 'backends.v1.conv.example.com', 'db']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `Error from server: ${prefix} failed: conversion webhook for /, Kind= failed: refusing to convert`);
    const raw = await apiRequest(server, 'GET', '/apis/conv.example.com/v1/namespaces/default/backends/db');
    assert.equal(raw.status, 500);
    assert.deepEqual(raw.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${prefix} failed: conversion webhook for /, Kind= failed: refusing to convert`, code: 500 });

    const list = await run(server, 'kubectl', ['get', 'backends.v1.conv.example.com']);
    assert.equal(list.stderr.trim(), `Error from server: ${prefix} failed: conversion webhook for /, Kind= failed: refusing to convert`);

    hook.state.mode = 'wrong-uid';
    const uid = await apiRequest(server, 'GET', '/apis/conv.example.com/v1/namespaces/default/backends/db');
    assert.match(uid.json().message, /^conversion for conv\.example\.com\/v2, Kind=Backend failed: conversion webhook for \/, Kind= failed: expected response\.uid="[0-9a-f-]{36}", got "not-the-uid"$/);

    hook.state.mode = 'rename';
    const renamed = await apiRequest(server, 'GET', '/apis/conv.example.com/v1/namespaces/default/backends/db');
    assert.equal(renamed.json().message, `${prefix} returned invalid converted object at index 1: must have the same name: db != other`);

    hook.state.mode = 'drop';
    const dropped = await apiRequest(server, 'GET', '/apis/conv.example.com/v1/namespaces/default/backends/db');
    assert.equal(dropped.json().message, `${prefix} returned 0 objects, expected 1`);

    hook.state.mode = 'not-found';
    const notFound = await apiRequest(server, 'GET', '/apis/conv.example.com/v1/namespaces/default/backends/db');
    assert.equal(notFound.json().message, `${prefix} failed: conversion webhook for /, Kind= failed: the server could not find the requested resource`);

    // A write in the other version fails the same way and stores nothing.
    hook.state.mode = 'fail';
    const create = await run(server, 'kubectl', ['create', '-f', '-'], { input: 'apiVersion: conv.example.com/v1\nkind: Backend\nmetadata: {name: web}\nspec: {host: web.local, port: 80}\n' });
    assert.equal(create.code, 1);
    assert.match(create.stderr, /conversion for conv\.example\.com\/v1, Kind=Backend failed: conversion webhook for \/, Kind= failed: refusing to convert/);
    assert.equal((await run(server, 'kubectl', ['get', 'backends.v2.conv.example.com', 'web'])).code, 1);
  });

  await t.test('a service reference resolves through the Service\'s EndpointSlices; nothing listens at a pod IP', async () => {
    await kubectl(server, ['apply', '-f', '-'], { input: crd('svc.example.com', { service: { namespace: 'default', name: 'converter', path: '/convert' }, caBundle: hook.caBundle }) });
    await eventually('the second CRD served', async () => (await run(server, 'kubectl', ['get', 'backends.v2.svc.example.com'])).code === 0);
    await kubectl(server, ['apply', '-f', '-'], { input: 'apiVersion: svc.example.com/v2\nkind: Backend\nmetadata: {name: db}\nspec: {address: "db.local:5432"}\n' });
    const missing = await run(server, 'kubectl', ['get', 'backends.v1.svc.example.com', 'db']);
    assert.equal(missing.stderr.trim(), 'Error from server: conversion for svc.example.com/v2, Kind=Backend failed: conversion webhook for /, Kind= failed: Post "https://converter.default.svc:443/convert?timeout=30s": service "converter" not found');

    const failure = (cause: string) => `Error from server: conversion for svc.example.com/v2, Kind=Backend failed: conversion webhook for /, Kind= failed: Post "https://converter.default.svc:443/convert?timeout=30s": ${cause}`;
    await kubectl(server, ['create', 'service', 'clusterip', 'converter', '--tcp=443:8443']);
    assert.equal((await run(server, 'kubectl', ['get', 'backends.v1.svc.example.com', 'db'])).stderr.trim(), failure('no endpoints available for service "converter"'));

    // A selectorless Service with a ready endpoint: the API server dials the pod's IP, where nothing listens.
    await kubectl(server, ['delete', 'service', 'converter']);
    await kubectl(server, ['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'converter' }, spec: { ports: [{ name: 'https', port: 443, targetPort: 8443 }] } },
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'converter-1', labels: { 'kubernetes.io/service-name': 'converter' } }, addressType: 'IPv4', ports: [{ name: 'https', port: 8443 }], endpoints: [{ addresses: ['10.0.0.7'], conditions: { ready: true } }] },
    ] }) });
    assert.equal((await run(server, 'kubectl', ['get', 'backends.v1.svc.example.com', 'db'])).stderr.trim(), failure('dial tcp 10.0.0.7:8443: connect: connection refused'));
    // The storage version needs no conversion.
    assert.equal((await kubectl(server, ['get', 'backends.v2.svc.example.com', 'db', '-o', 'jsonpath={.spec.address}'])), 'db.local:5432');
  });

  await t.test('strategy None: the same object under the other version', async () => {
    const none = JSON.parse(crd('none.example.com', {}));
    none.spec.conversion = { strategy: 'None' };
    await kubectl(server, ['apply', '-f', '-'], { input: JSON.stringify(none) });
    await eventually('the None CRD served', async () => (await run(server, 'kubectl', ['get', 'backends.v1.none.example.com'])).code === 0);
    await kubectl(server, ['apply', '-f', '-'], { input: 'apiVersion: none.example.com/v1\nkind: Backend\nmetadata: {name: db}\nspec: {host: db.local, port: 5432}\n' });
    const v2 = JSON.parse(await kubectl(server, ['get', 'backends.v2.none.example.com', 'db', '-o', 'json']));
    assert.equal(v2.apiVersion, 'none.example.com/v2');
    // Stored as v2 and read as v2: v1's fields are pruned by v2's schema (upstream's schemaCoercingConverter).
    assert.deepEqual(v2.spec, {});
  });

  await t.test('the caBundle is the only trust; a URL where nothing listens is refused', async () => {
    const other = mkdtempSync(join(tmpdir(), 'kumo-other-ca-'));
    t.after(() => rmSync(other, { recursive: true, force: true }));
    const otherCa = Buffer.from((await loadOrCreatePki(other)).caCert).toString('base64');
    await kubectl(server, ['apply', '-f', '-'], { input: crd('conv.example.com', { url: hook.url, caBundle: otherCa }) });
    await eventually('the new caBundle in effect', async () => /unknown authority/.test((await run(server, 'kubectl', ['get', 'backends.v1.conv.example.com', 'db'])).stderr));
    const r = await run(server, 'kubectl', ['get', 'backends.v1.conv.example.com', 'db']);
    assert.equal(r.stderr.trim(), `Error from server: conversion for conv.example.com/v2, Kind=Backend failed: conversion webhook for /, Kind= failed: Post "${hook.url}?timeout=30s": tls: failed to verify certificate: x509: certificate signed by unknown authority`);

    // Nothing listening at the URL.
    await kubectl(server, ['apply', '-f', '-'], { input: crd('conv.example.com', { url: 'https://127.0.0.1:1/convert', caBundle: hook.caBundle }) });
    await eventually('the new url in effect', async () => /connection refused/.test((await run(server, 'kubectl', ['get', 'backends.v1.conv.example.com', 'db'])).stderr));
    const refused = await run(server, 'kubectl', ['get', 'backends.v1.conv.example.com', 'db']);
    assert.equal(refused.stderr.trim(), 'Error from server: conversion for conv.example.com/v2, Kind=Backend failed: conversion webhook for /, Kind= failed: Post "https://127.0.0.1:1/convert?timeout=30s": dial tcp 127.0.0.1:1: connect: connection refused');
  });
});
