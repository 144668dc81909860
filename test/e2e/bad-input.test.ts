// Bad requests get the Status upstream sends, and store nothing: malformed JSON, YAML and protobuf,
// a kind that does not match the endpoint, unknown fields under Strict, a body over 3 MiB, invalid
// names and labels (422), malformed quantities (400 at decode), unsupported media types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { apiRequest, startApiServer, type ApiResponse } from '../helpers/apiserver.js';

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

function assertStatus(res: ApiResponse, code: number, reason: string, message?: string | RegExp): void {
  assert.equal(res.status, code, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const status = res.json();
  assert.equal(status.kind, 'Status');
  assert.equal(status.apiVersion, 'v1');
  assert.equal(status.status, 'Failure');
  assert.equal(status.code, code);
  assert.equal(status.reason, reason);
  if (typeof message === 'string') assert.equal(status.message, message);
  else if (message) assert.match(status.message, message);
}

test('bad input gets upstream Status errors and changes nothing', async (t) => {
  const server = await startApiServer(t);
  const post = (path: string, body: string | Buffer, contentType = 'application/json') => apiRequest(server, 'POST', path, { body, contentType });
  // What requests stored (kube-root-ca.crt, put in every namespace by the root CA publisher, aside).
  const stored = async () =>
    ((await apiRequest(server, 'GET', CONFIGMAPS)).json().items as { metadata: { name: string } }[]).filter((i) => i.metadata.name !== 'kube-root-ca.crt').length;

  await t.test('malformed JSON, YAML and protobuf bodies are 400 BadRequest', async () => {
    assertStatus(
      await post(CONFIGMAPS, '{"metadata": {'),
      400,
      'BadRequest',
      'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"metadata": {)',
    );
    assertStatus(
      await post(CONFIGMAPS, '{"apiVersion":"v1","kind":"ConfigMap",,}'),
      400,
      'BadRequest',
      /json parse error: invalid character ',' looking for beginning of object key string/,
    );
    assertStatus(await post(CONFIGMAPS, 'a: [1\nb: {', 'application/yaml'), 400, 'BadRequest', /^the object provided is unrecognized \(must be of type ConfigMap\): error converting YAML to JSON: yaml: line \d+: /);
    const garbage = Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, 0x03, 0x61, 0x62, 0x63, 0xff, 0xff])]);
    assertStatus(await post(CONFIGMAPS, garbage, 'application/vnd.kubernetes.protobuf'), 400, 'BadRequest', /^the object provided is unrecognized \(must be of type ConfigMap\): /);
    assertStatus(await post(CONFIGMAPS, Buffer.from('not protobuf'), 'application/vnd.kubernetes.protobuf'), 400, 'BadRequest');
    assert.equal(await stored(), 0);
  });

  await t.test('a kind or version that does not match the endpoint is 400', async () => {
    assertStatus(
      await post(CONFIGMAPS, '{"apiVersion":"v1","kind":"Service","metadata":{"name":"x"}}'),
      400,
      'BadRequest',
      'Service in version "v1" cannot be handled as a ConfigMap: converting (v1.Service) to (core.ConfigMap): unknown conversion',
    );
    assertStatus(
      await post('/apis/apps/v1/namespaces/default/deployments', '{"apiVersion":"apps/v1beta1","kind":"Deployment","metadata":{"name":"x"}}'),
      400,
      'BadRequest',
      'the API version in the data (apps/v1beta1) does not match the expected API version (apps/v1)',
    );
    assert.equal(await stored(), 0);
  });

  await t.test('unknown fields: Strict refuses, Warn stores with a Warning header, Ignore drops them', async () => {
    const body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"extra"},"data":{"a":"b"},"colour":"red"}';
    assertStatus(await post(`${CONFIGMAPS}?fieldValidation=Strict`, body), 400, 'BadRequest', 'strict decoding error: unknown field "colour"');
    assert.equal(await stored(), 0);
    const warned = await post(`${CONFIGMAPS}?fieldValidation=Warn`, body);
    assert.equal(warned.status, 201, warned.body);
    assert.match(String(warned.headers['warning']), /^299 - "unknown field \\"colour\\""$/);
    assert.equal(warned.json().colour, undefined);
    const del = await apiRequest(server, 'DELETE', `${CONFIGMAPS}/extra`);
    assert.equal(del.status, 200);
    assertStatus(await post(`${CONFIGMAPS}?fieldValidation=Sloppy`, body), 422, 'Invalid', /fieldValidation: Unsupported value: "Sloppy"/);
  });

  await t.test('a body over 3 MiB is 413', async () => {
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { a: 'x'.repeat(3 * 1024 * 1024) } });
    assertStatus(await post(CONFIGMAPS, big), 413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    assert.equal(await stored(), 0);
  });

  await t.test('invalid names and labels are 422 Invalid with causes', async () => {
    const bad = await post(CONFIGMAPS, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name","labels":{"a b":"c"}}}');
    assertStatus(bad, 422, 'Invalid', /^ConfigMap "Bad_Name" is invalid: \[metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/);
    const causes = bad.json().details.causes.map((c: { field: string; reason: string }) => `${c.reason} ${c.field}`);
    assert.deepEqual(causes, ['FieldValueInvalid metadata.name', 'FieldValueInvalid metadata.labels']);
    assert.equal(await stored(), 0);
  });

  await t.test('invalid quantities fail the decode: 400 BadRequest for JSON, YAML and protobuf bodies', async () => {
    const PODS = '/api/v1/namespaces/default/pods';
    const formatWrong = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    const pod = (cpu: string) => `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"x","resources":{"limits":{"cpu":"${cpu}"}}}]}}`;
    assertStatus(await post(PODS, pod('abc')), 400, 'BadRequest', `Pod in version "v1" cannot be handled as a Pod: ${formatWrong}`);
    // The decoder's error wins over unknown fields under Strict (non-strict errors trump strict ones).
    assertStatus(await post(`${PODS}?fieldValidation=Strict`, pod('192i').replace('"spec":{', '"spec":{"colour":1,')), 400, 'BadRequest', 'Pod in version "v1" cannot be handled as a Pod: unable to parse quantity\'s suffix');
    const yaml = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers:\n      - name: c\n        image: x\n        resources: {requests: {memory: 1GB}}\n';
    assertStatus(await post('/apis/apps/v1/namespaces/default/deployments', yaml, 'application/yaml'), 400, 'BadRequest', `Deployment in version "v1" cannot be handled as a Deployment: ${formatWrong}`);
    // A ResourceQuota as client-go sends it: "k8s\0" + runtime.Unknown{typeMeta, raw}, spec.hard[cpu] = "abc".
    const W = protobuf.Writer;
    const quantity = W.create().uint32((1 << 3) | 2).string('abc').finish();
    const entry = W.create().uint32((1 << 3) | 2).string('cpu').uint32((2 << 3) | 2).bytes(quantity).finish();
    const spec = W.create().uint32((1 << 3) | 2).bytes(entry).finish();
    const meta = W.create().uint32((1 << 3) | 2).string('q').finish();
    const quota = W.create().uint32((1 << 3) | 2).bytes(meta).uint32((2 << 3) | 2).bytes(spec).finish();
    const typeMeta = W.create().uint32((1 << 3) | 2).string('v1').uint32((2 << 3) | 2).string('ResourceQuota').finish();
    const unknown = W.create().uint32((1 << 3) | 2).bytes(typeMeta).uint32((2 << 3) | 2).bytes(quota).finish();
    const body = Buffer.concat([Buffer.from('k8s\0', 'binary'), unknown]);
    assertStatus(await post('/api/v1/namespaces/default/resourcequotas', body, 'application/vnd.kubernetes.protobuf'), 400, 'BadRequest', `ResourceQuota in version "v1" cannot be handled as a ResourceQuota: ${formatWrong}`);
    assert.equal((await apiRequest(server, 'GET', PODS)).json().items.length, 0);
    assert.equal((await apiRequest(server, 'GET', '/apis/apps/v1/namespaces/default/deployments')).json().items.length, 0);
    assert.equal((await apiRequest(server, 'GET', '/api/v1/namespaces/default/resourcequotas')).json().items.length, 0);
  });

  await t.test('media types, methods and paths the server does not serve', async () => {
    assertStatus(await post(CONFIGMAPS, 'x', 'text/plain'), 415, 'UnsupportedMediaType', /^the body of the request was in an unknown format - accepted media types include: application\/json, application\/yaml, application\/vnd\.kubernetes\.protobuf/);
    assertStatus(await apiRequest(server, 'GET', CONFIGMAPS, { accept: 'application/vnd.kubernetes.protobuf' }), 406, 'NotAcceptable');
    assertStatus(await apiRequest(server, 'PATCH', `${CONFIGMAPS}/x`, { body: '{}', contentType: 'application/json' }), 415, 'UnsupportedMediaType');
    assertStatus(await apiRequest(server, 'GET', '/api/v1/namespaces/default/nothings'), 404, 'NotFound', 'the server could not find the requested resource');
    assertStatus(await apiRequest(server, 'POST', '/api/v1/configmaps', { body: '{}', contentType: 'application/json' }), 405, 'MethodNotAllowed');
    assertStatus(await apiRequest(server, 'GET', CONFIGMAPS, { token: 'wrong' }), 401, 'Unauthorized', 'Unauthorized');
    assertStatus(await apiRequest(server, 'GET', CONFIGMAPS, { token: null }), 403, 'Forbidden', 'configmaps is forbidden: User "system:anonymous" cannot list resource "configmaps" in API group "" in the namespace "default"');
    const healthz = await apiRequest(server, 'GET', '/healthz', { token: null });
    assert.equal(healthz.status, 200);
    assert.equal(healthz.body, 'ok');
  });
});
