// Request parsing and body decoding of the HTTP layer, with upstream's wording of every failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/api/status.js';
import { decodeObject } from '../../../src/apiserver/server/decode.js';
import { goJsonSyntaxError } from '../../../src/apiserver/server/go-json-error.js';
import { negotiateDiscovery, negotiateObject } from '../../../src/apiserver/server/media.js';
import { parseRequestInfo } from '../../../src/apiserver/server/request-info.js';

const q = (s = '') => new URLSearchParams(s);

test('request info follows upstream RequestInfoFactory', () => {
  const pod = parseRequestInfo('GET', '/api/v1/namespaces/default/pods/web/log', q());
  assert.deepEqual([pod.verb, pod.namespace, pod.resource, pod.name, pod.subresource], ['get', 'default', 'pods', 'web', 'log']);
  const list = parseRequestInfo('GET', '/apis/apps/v1/namespaces/ns1/deployments', q('watch=true'));
  assert.deepEqual([list.verb, list.apiGroup, list.apiVersion, list.resource], ['watch', 'apps', 'v1', 'deployments']);
  const ns = parseRequestInfo('DELETE', '/api/v1/namespaces/team', q());
  assert.deepEqual([ns.verb, ns.namespace, ns.resource, ns.name], ['delete', 'team', 'namespaces', 'team']);
  const finalize = parseRequestInfo('PUT', '/api/v1/namespaces/team/finalize', q());
  assert.deepEqual([finalize.verb, finalize.resource, finalize.name, finalize.subresource], ['update', 'namespaces', 'team', 'finalize']);
  const coll = parseRequestInfo('DELETE', '/api/v1/namespaces/a/configmaps', q());
  assert.equal(coll.verb, 'deletecollection');
  const legacy = parseRequestInfo('GET', '/api/v1/watch/namespaces/a/pods/p', q());
  assert.deepEqual([legacy.verb, legacy.legacyWatch, legacy.name], ['watch', true, 'p']);
  assert.equal(parseRequestInfo('GET', '/apis/apps/v1', q()).isResourceRequest, false);
  assert.equal(parseRequestInfo('GET', '/healthz', q()).isResourceRequest, false);
});

test('Go-worded JSON syntax errors', () => {
  assert.equal(goJsonSyntaxError('{"a":1,}'), `invalid character '}' looking for beginning of object key string`);
  assert.equal(goJsonSyntaxError('{"a" 1}'), `invalid character '1' after object key`);
  assert.equal(goJsonSyntaxError('{'), 'unexpected end of JSON input');
  assert.equal(goJsonSyntaxError('{"a":[1,2]}'), undefined);
});

function decodeError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError);
    return err;
  }
  assert.fail('expected an error');
}

test('body decoding: kind defaults, mismatches and malformed input become 400 BadRequest', () => {
  const cm = { group: '', version: 'v1', kind: 'ConfigMap' };
  const ok = decodeObject(Buffer.from('{"metadata":{"name":"a"}}'), 'json', cm);
  assert.equal(ok['apiVersion'], 'v1');
  assert.equal(ok['kind'], 'ConfigMap');
  const yaml = decodeObject(Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n'), 'yaml', cm);
  assert.deepEqual(yaml['metadata'], { name: 'b' });

  const malformed = decodeError(() => decodeObject(Buffer.from('{"metadata": {'), 'json', cm));
  assert.equal(malformed.code, 400);
  assert.equal(malformed.reason, 'BadRequest');
  assert.equal(malformed.message, 'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"metadata": {)');

  const wrongKind = decodeError(() => decodeObject(Buffer.from('{"apiVersion":"v1","kind":"Service"}'), 'json', cm));
  assert.equal(wrongKind.code, 400);
  assert.equal(wrongKind.message, 'Service in version "v1" cannot be handled as a ConfigMap: converting (v1.Service) to (core.ConfigMap): unknown conversion');

  const wrongVersion = decodeError(() => decodeObject(Buffer.from('{"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler"}'), 'json', { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' }));
  assert.equal(wrongVersion.message, 'the API version in the data (autoscaling/v1) does not match the expected API version (autoscaling/v2)');

  const badYaml = decodeError(() => decodeObject(Buffer.from('a: [1, 2\nb: {'), 'yaml', cm));
  assert.equal(badYaml.code, 400);
  assert.match(badYaml.message, /^the object provided is unrecognized \(must be of type ConfigMap\): error converting YAML to JSON: yaml: /);
});

test('Accept negotiation: Table, metadata, aggregated discovery, 406', () => {
  const kubectlGet = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  assert.deepEqual(negotiateObject(kubectlGet, true).representation, { as: 'Table', version: 'v1' });
  assert.deepEqual(negotiateObject('application/vnd.kubernetes.protobuf,application/json', false).representation, { as: 'object' });
  assert.deepEqual(negotiateObject('application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1', true).representation, { as: 'PartialObjectMetadataList', version: 'v1' });
  assert.throws(() => negotiateObject('application/vnd.kubernetes.protobuf', false), (e: ApiError) => e.code === 406);
  const disco = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  assert.equal(negotiateDiscovery(disco).version, 'v2');
  assert.equal(negotiateDiscovery('application/json').version, 'legacy');
});
