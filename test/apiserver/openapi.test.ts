import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import { openApiV3Document, openApiV3DocumentJson, openApiV3Index, schemaName } from '../../src/apiserver/openapi/index.js';

const catalog = builtinCatalog();
type Obj = Record<string, any>;

function collectRefs(node: unknown, out: string[]): string[] {
  if (Array.isArray(node)) for (const x of node) collectRefs(x, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

describe('OpenAPI v3 index', () => {
  test('lists every group-version with the hash of its document', () => {
    const index = openApiV3Index(catalog) as { paths: Record<string, { serverRelativeURL: string }> };
    const keys = Object.keys(index.paths);
    assert.equal(keys[0], 'api/v1');
    for (const p of ['apis/apps/v1', 'apis/autoscaling/v2', 'apis/autoscaling/v1', 'apis/apiextensions.k8s.io/v1', 'apis/metrics.k8s.io/v1beta1']) assert.ok(keys.includes(p), p);
    for (const [p, { serverRelativeURL }] of Object.entries(index.paths)) {
      const doc = openApiV3DocumentJson(catalog, p)!;
      assert.equal(serverRelativeURL, `/openapi/v3/${p}?hash=${doc.hash}`);
      assert.equal(doc.hash, createHash('sha512').update(doc.json).digest('hex').toUpperCase());
      assert.deepEqual(JSON.parse(doc.json), doc.document);
    }
  });

  test('documents are cached per catalog generation and follow changes', () => {
    const c = builtinCatalog();
    const first = openApiV3DocumentJson(c, 'apis/apps/v1')!;
    assert.equal(openApiV3DocumentJson(c, '/openapi/v3/apis/apps/v1'), first, 'same object from the cache');
    assert.equal(openApiV3Document(c, 'apis/nope.example.com/v1'), undefined);
    c.addResource({
      group: 'stable.example.com', version: 'v1', resource: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList',
      namespaced: true, shortNames: ['ct'], categories: [], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: [],
      typeRef: 'stable.example.com/v1.CronTab',
    });
    const idx = openApiV3Index(c) as { paths: Record<string, unknown> };
    assert.ok('apis/stable.example.com/v1' in idx.paths);
    const crd = openApiV3Document(c, 'apis/stable.example.com/v1') as Obj;
    const schema = crd.components.schemas['com.example.stable.v1.CronTab'];
    assert.equal(schema['x-kubernetes-preserve-unknown-fields'], true);
    assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    const crPatch = crd.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'].patch;
    // No strategic merge patch for custom resources: kubectl then sends a JSON merge patch.
    assert.deepEqual(Object.keys(crPatch.requestBody.content).sort(), ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']);
    // apps/v1 now lists DeleteOptions for the new group-version too, so its hash moved.
    assert.notEqual(openApiV3DocumentJson(c, 'apis/apps/v1')!.hash, first.hash);
  });
});

describe('OpenAPI v3 documents', () => {
  test('every $ref resolves inside its own document', () => {
    const index = openApiV3Index(catalog) as { paths: Record<string, unknown> };
    for (const p of Object.keys(index.paths)) {
      const doc = openApiV3Document(catalog, p) as Obj;
      assert.equal(doc.openapi, '3.0.0');
      for (const ref of collectRefs(doc, [])) {
        assert.ok(ref.startsWith('#/components/schemas/'), ref);
        assert.ok(doc.components.schemas[ref.slice('#/components/schemas/'.length)], `${p}: unresolved ${ref}`);
      }
    }
  });

  test('kinds carry their group-version-kind; fields carry patch and list metadata', () => {
    const doc = openApiV3Document(catalog, 'apis/apps/v1') as Obj;
    const s = doc.components.schemas;
    assert.deepEqual(s['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    assert.deepEqual(s['io.k8s.api.apps.v1.DeploymentList']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'DeploymentList', version: 'v1' }]);
    assert.deepEqual(s['io.k8s.api.autoscaling.v1.Scale']['x-kubernetes-group-version-kind'], [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }]);
    const containers = s['io.k8s.api.core.v1.PodSpec'].properties.containers;
    assert.deepEqual(containers, {
      type: 'array',
      items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' },
      'x-kubernetes-list-map-keys': ['name'],
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    assert.equal(s['io.k8s.api.core.v1.PodSpec'].properties.volumes['x-kubernetes-patch-strategy'], 'merge,retainKeys');
    assert.deepEqual(s['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy, {
      allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }],
      'x-kubernetes-patch-strategy': 'retainKeys',
    });
    assert.deepEqual(s['io.k8s.api.apps.v1.DeploymentSpec'].required, ['selector', 'template']);
    assert.equal(s['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector']['x-kubernetes-map-type'], 'atomic');
    assert.equal(s['io.k8s.api.core.v1.PodSpec'].properties.nodeSelector['x-kubernetes-map-type'], 'atomic');
    // Inlined structs are flattened: Volume has its VolumeSource's fields.
    assert.ok(s['io.k8s.api.core.v1.Volume'].properties.configMap);
    assert.ok(s['io.k8s.api.apps.v1.Deployment'].properties.apiVersion);
  });

  test('special types have upstream schemas', () => {
    const s = (openApiV3Document(catalog, 'api/v1') as Obj).components.schemas;
    assert.deepEqual(s['io.k8s.apimachinery.pkg.api.resource.Quantity'], { oneOf: [{ type: 'string' }, { type: 'number' }] });
    assert.deepEqual(s['io.k8s.apimachinery.pkg.util.intstr.IntOrString'], { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] });
    assert.deepEqual(s['io.k8s.apimachinery.pkg.apis.meta.v1.Time'], { type: 'string', format: 'date-time' });
    assert.deepEqual(s['io.k8s.api.core.v1.Secret'].properties.data, { type: 'object', additionalProperties: { type: 'string', format: 'byte' } });
    assert.deepEqual(s['io.k8s.api.core.v1.ResourceRequirements'].properties.limits, {
      type: 'object',
      additionalProperties: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' },
    });
  });

  test('operations: PATCH with fieldValidation and inline patch bodies; subresources; create-only kinds', () => {
    const doc = openApiV3Document(catalog, 'apis/apps/v1') as Obj;
    const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    assert.equal(item.patch.operationId, 'patchAppsV1NamespacedDeployment');
    assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
    assert.ok(item.patch.parameters.some((p: Obj) => p.name === 'fieldValidation'));
    assert.deepEqual(Object.keys(item.patch.requestBody.content).sort(), [
      'application/apply-patch+yaml',
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
    ]);
    assert.deepEqual(item.parameters.map((p: Obj) => p.name), ['name', 'namespace', 'pretty']);
    const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
    assert.deepEqual(scale.put['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
    assert.equal(doc.paths['/apis/apps/v1/deployments'].get.operationId, 'listAppsV1DeploymentForAllNamespaces');
    assert.equal(doc.paths['/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}'].get['x-kubernetes-action'], 'watch');

    const core = openApiV3Document(catalog, 'api/v1') as Obj;
    assert.equal(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/eviction'].post.operationId, 'createCoreV1NamespacedPodEviction');
    assert.equal(core.paths['/api/v1/namespaces/{name}'].delete.operationId, 'deleteCoreV1Namespace');
    assert.equal(core.paths['/api/v1/namespaces'].delete, undefined, 'namespaces have no deletecollection');

    const authn = openApiV3Document(catalog, 'apis/authentication.k8s.io/v1') as Obj;
    assert.deepEqual(Object.keys(authn.paths['/apis/authentication.k8s.io/v1/tokenreviews']).filter((k) => k !== 'parameters'), ['post']);
    assert.equal(authn.paths['/apis/authentication.k8s.io/v1/tokenreviews/{name}'], undefined);
  });

  test('schema names follow upstream', () => {
    assert.equal(schemaName('k8s.io/api/core/v1.Pod'), 'io.k8s.api.core.v1.Pod');
    assert.equal(schemaName('k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta'), 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    assert.equal(
      schemaName('k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1.CustomResourceDefinition'),
      'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
    );
  });
});
