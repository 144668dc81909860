// /openapi/v2: the Swagger 2.0 document derived from the v3 documents, and its gnostic protobuf form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import { openApiV3Document, openApiV3Index } from '../../src/apiserver/openapi/index.js';
import { openApiV2FromV3, v2Schema } from '../../src/apiserver/openapi/v2.js';
import { encodeOpenApiV2 } from '../../src/apiserver/openapi/v2-protobuf.js';

type Obj = Record<string, any>;
const catalog = builtinCatalog();
const docs = Object.keys((openApiV3Index(catalog) as { paths: Obj }).paths).map((p) => openApiV3Document(catalog, p)!);
const v2 = openApiV2FromV3(docs, 'v1.33.0') as Obj;

test('one Swagger 2.0 document: refs into #/definitions, no v3-only keywords, every ref resolves', () => {
  assert.equal(v2.swagger, '2.0');
  const text = JSON.stringify(v2);
  assert.doesNotMatch(text, /#\/components\/schemas|"requestBody"/);
  // Schema keywords v2 lacks (property names such as JSONSchemaProps' own "oneOf" aside).
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      assert.ok(!['oneOf', 'anyOf', 'nullable'].includes(k), k);
      if (k === 'properties' && v && typeof v === 'object') Object.values(v).forEach(walk);
      else walk(v);
    }
  };
  walk(v2.definitions);
  for (const m of text.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) assert.ok(v2.definitions[m[1]], m[1]);
  const tr = v2.definitions['io.k8s.api.authentication.v1.TokenReview'];
  assert.deepEqual(tr.required, ['spec']);
  assert.deepEqual(tr['x-kubernetes-group-version-kind'], [{ group: 'authentication.k8s.io', kind: 'TokenReview', version: 'v1' }]);
  assert.deepEqual(v2Schema({ oneOf: [{ type: 'string' }, { type: 'number' }] }), { type: 'string' });
  assert.deepEqual(v2Schema({ format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] }), { format: 'int-or-string', type: 'string' });
  assert.deepEqual(v2Schema({ allOf: [{ $ref: '#/components/schemas/X' }], 'x-kubernetes-list-type': 'map' }), { 'x-kubernetes-list-type': 'map', $ref: '#/definitions/X' });
});

test('operations: body parameters, produces, PATCH with fieldValidation and its group-version-kind', () => {
  const ns = v2.paths['/api/v1/namespaces/{name}'];
  const patch = ns.patch;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', kind: 'Namespace', version: 'v1' });
  assert.ok(patch.parameters.some((p: Obj) => p.name === 'fieldValidation' && p.in === 'query' && p.type === 'string'));
  assert.deepEqual(patch.parameters[0], { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' } });
  assert.ok(patch.consumes.includes('application/strategic-merge-patch+json'));
  const post = v2.paths['/apis/authentication.k8s.io/v1/tokenreviews'].post;
  assert.equal(post.operationId, 'createAuthenticationV1TokenReview');
  assert.deepEqual(post.responses['201'].schema, { $ref: '#/definitions/io.k8s.api.authentication.v1.TokenReview' });
  assert.equal(v2.paths['/apis/authentication.k8s.io/v1/tokenreviews'].patch, undefined);
});

test('the protobuf form decodes as a gnostic openapi.v2.Document', () => {
  const root = protobuf.parse(`syntax = "proto3";
    message Any { string yaml = 2; }
    message NamedAny { string name = 1; Any value = 2; }
    message TypeItem { repeated string value = 1; }
    message NamedSchema { string name = 1; Schema value = 2; }
    message Properties { repeated NamedSchema additional_properties = 1; }
    message Schema { string _ref = 1; string description = 4; repeated string required = 19; TypeItem type = 22; Properties properties = 25; repeated NamedAny vendor_extension = 31; }
    message Definitions { repeated NamedSchema additional_properties = 1; }
    message QueryParameterSubSchema { bool required = 1; string in = 2; string name = 4; string type = 6; }
    message NonBodyParameter { QueryParameterSubSchema query_parameter_sub_schema = 3; }
    message Parameter { NonBodyParameter non_body_parameter = 2; }
    message ParametersItem { Parameter parameter = 1; }
    message Operation { string operation_id = 5; repeated ParametersItem parameters = 8; repeated NamedAny vendor_extension = 13; }
    message PathItem { Operation post = 4; Operation patch = 8; }
    message NamedPathItem { string name = 1; PathItem value = 2; }
    message Paths { repeated NamedPathItem path = 2; }
    message Info { string title = 1; string version = 2; }
    message Document { string swagger = 1; Info info = 2; Paths paths = 8; Definitions definitions = 9; }`).root;
  const Document = root.lookupType('Document');
  const doc = Document.toObject(Document.decode(encodeOpenApiV2(v2)), { defaults: false }) as Obj;
  assert.equal(doc.swagger, '2.0');
  assert.deepEqual(doc.info, { title: 'Kubernetes', version: 'v1.33.0' });
  const def = doc.definitions.additionalProperties.find((d: Obj) => d.name === 'io.k8s.api.authentication.v1.TokenReview').value;
  assert.deepEqual(def.type.value, ['object']);
  assert.deepEqual(def.required, ['spec']);
  assert.equal(def.properties.additionalProperties.find((p: Obj) => p.name === 'spec').value._ref, '#/definitions/io.k8s.api.authentication.v1.TokenReviewSpec');
  const gvk = def.vendorExtension.find((e: Obj) => e.name === 'x-kubernetes-group-version-kind');
  assert.equal(gvk.value.yaml, '- group: authentication.k8s.io\n  kind: TokenReview\n  version: v1\n');
  const nsPatch = doc.paths.path.find((p: Obj) => p.name === '/api/v1/namespaces/{name}').value.patch;
  assert.equal(nsPatch.vendorExtension.find((e: Obj) => e.name === 'x-kubernetes-group-version-kind').value.yaml, 'group: ""\nkind: Namespace\nversion: v1\n');
  assert.ok(nsPatch.parameters.some((p: Obj) => p.parameter?.nonBodyParameter?.queryParameterSubSchema?.name === 'fieldValidation'));
});
