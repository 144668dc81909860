import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deprecationWarning } from '../../src/apiserver/crd/deprecation.js';
import { crdOpenAPIV3Schemas } from '../../src/apiserver/crd/index.js';
import { crdResourceDefs, crdTable, crdTableColumns, scaleFromObject, ScalePathError, type CustomResourceDefinition } from '../../src/apiserver/crd/index.js';

function crd(columns?: unknown[], mut: (c: any) => void = () => {}): CustomResourceDefinition {
  const c: any = {
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com', scope: 'Cluster',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } }, ...(columns ? { additionalPrinterColumns: columns } : {}) }],
    },
  };
  mut(c);
  return c;
}

const NOW = Date.parse('2026-11-27T12:00:00Z');

describe('Table output of custom resources', () => {
  test('without printer columns: Name and Age', () => {
    const c = crd();
    assert.deepEqual(crdTableColumns(c, 'v1').map(({ name, type, format, priority }) => ({ name, type, format, priority })), [
      { name: 'Name', type: 'string', format: 'name', priority: 0 },
      { name: 'Age', type: 'date', format: '', priority: 0 },
    ]);
    const t = crdTable(c, 'v1', [
      { metadata: { name: 'a', creationTimestamp: '2026-11-27T11:58:30Z', resourceVersion: '7' } },
      { metadata: { name: 'b', creationTimestamp: '2026-11-20T06:00:00Z' } },
      { metadata: { name: 'c' } },
    ], { now: NOW, resourceVersion: '9' });
    assert.deepEqual(t.rows.map((r) => r.cells), [['a', '90s'], ['b', '7d6h'], ['c', null]]);
    assert.deepEqual(t.metadata, { resourceVersion: '9' });
    assert.deepEqual(t.rows[0]!.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'a', creationTimestamp: '2026-11-27T11:58:30Z', resourceVersion: '7' } });
  });

  test('printer columns: JSONPath, types, formats and priorities', () => {
    const c = crd([
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Ratio', type: 'number', format: 'double', jsonPath: '.spec.ratio' },
      { name: 'Ready', type: 'boolean', jsonPath: '.status.ready' },
      { name: 'Image', type: 'string', priority: 1, description: 'the image', jsonPath: '.spec.containers[0].image' },
      { name: 'Sel', type: 'string', jsonPath: ".spec.selector['app.kubernetes.io/name']" },
      { name: 'Labels', type: 'string', jsonPath: '.spec.labels' },
      { name: 'Ports', type: 'string', jsonPath: '.spec.ports' },
      { name: 'Last', type: 'string', jsonPath: '.spec.ports[-1]' },
      { name: 'Since', type: 'date', jsonPath: '.status.since' },
      { name: 'Count', type: 'integer', jsonPath: '.spec.count' },
    ]);
    assert.deepEqual(crdTableColumns(c, 'v1').map((x) => [x.name, x.type, x.format, x.priority, x.description]), [
      ['Name', 'string', 'name', 0, crdTableColumns(c, 'v1')[0]!.description],
      ['Replicas', 'integer', '', 0, ''], ['Ratio', 'number', 'double', 0, ''], ['Ready', 'boolean', '', 0, ''], ['Image', 'string', '', 1, 'the image'],
      ['Sel', 'string', '', 0, ''], ['Labels', 'string', '', 0, ''], ['Ports', 'string', '', 0, ''], ['Last', 'string', '', 0, ''], ['Since', 'date', '', 0, ''], ['Count', 'integer', '', 0, ''],
    ]);
    const obj = {
      metadata: { name: 'w' },
      spec: { replicas: 3.7, ratio: 0.5, containers: [{ image: 'nginx' }], selector: { 'app.kubernetes.io/name': 'web' }, labels: { b: '2', a: 1 }, ports: [80, 443], count: 'seven' },
      status: { ready: 'yes', since: '2026-11-27T09:00:00Z' },
    };
    assert.deepEqual(crdTable(c, 'v1', [obj], { now: NOW, includeObject: 'None' }).rows[0], {
      cells: ['w', 3, 0.5, null, 'nginx', 'web', 'map[a:1 b:2]', '[80 443]', '443', '3h', null],
      object: null,
    });
    assert.equal(crdTable(c, 'v1', [obj], { now: NOW, noHeaders: true }).columnDefinitions, null);
  });
});

describe('resources of a CRD', () => {
  test('served versions only, scope, names, verbs and subresources', () => {
    const c = crd(undefined, (x) => {
      x.spec.versions.push({ name: 'v2', served: false, storage: false });
      x.spec.versions.push({ name: 'v1beta1', served: true, storage: false, subresources: { status: {}, scale: { specReplicasPath: '.spec.r', statusReplicasPath: '.status.r' } } });
      x.spec.names.shortNames = ['wd'];
      x.spec.names.categories = ['all'];
    });
    const defs = crdResourceDefs(c);
    assert.deepEqual(defs.map((d) => [d.version, d.namespaced, d.subresources, d.typeRef]), [
      ['v1', false, [], 'example.com/v1.Widget'],
      ['v1beta1', false, ['status', 'scale'], 'example.com/v1beta1.Widget'],
    ]);
    assert.deepEqual(defs[0], {
      group: 'example.com', version: 'v1', resource: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', namespaced: false,
      shortNames: ['wd'], categories: ['all'], verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'], subresources: [], typeRef: 'example.com/v1.Widget',
    });
  });

  test('accepted names win over spec names once set', () => {
    const c = crd(undefined, (x) => { x.spec.names.shortNames = ['new']; x.status = { acceptedNames: { plural: 'widgets', kind: 'Widget', shortNames: ['old'] } }; });
    assert.deepEqual(crdResourceDefs(c)[0]!.shortNames, ['old']);
    assert.equal(crdResourceDefs(c)[0]!.listKind, 'WidgetList');
  });

  test('scale: missing paths read as 0, non-integers are an error', () => {
    const paths = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' };
    assert.deepEqual(scaleFromObject({ metadata: { name: 'x', uid: 'u' } }, paths), { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'x', uid: 'u' }, spec: { replicas: 0 }, status: { replicas: 0 } });
    assert.throws(() => scaleFromObject({ metadata: { name: 'x' }, spec: { replicas: 'two' } }, paths), ScalePathError);
  });
});

describe('deprecated versions', () => {
  test('the default warning points at the most stable newer served version; a custom one wins', () => {
    const c = crd(undefined, (x) => {
      x.spec.versions = [
        { name: 'v1alpha1', served: true, storage: false, deprecated: true },
        { name: 'v1beta1', served: true, storage: false },
        { name: 'v1', served: true, storage: true },
        { name: 'v2', served: false, storage: false },
        { name: 'v1beta2', served: true, storage: false, deprecated: true, deprecationWarning: 'v1beta2 goes away in 2027' },
      ];
    });
    assert.equal(deprecationWarning(c, 'v1alpha1'), 'example.com/v1alpha1 Widget is deprecated; use example.com/v1 Widget');
    assert.equal(deprecationWarning(c, 'v1beta2'), 'v1beta2 goes away in 2027');
    assert.equal(deprecationWarning(c, 'v1'), undefined);
  });
});

describe('published OpenAPI', () => {
  test('the kind keeps descriptions and validations, gains apiVersion/kind/metadata and its GVK; the list kind refers to it', () => {
    const c = crd(undefined, (x) => {
      x.spec.versions[0].schema.openAPIV3Schema = {
        type: 'object', description: 'A widget.',
        properties: {
          metadata: { type: 'object' },
          spec: { type: 'object', description: 'Desired state.', properties: { size: { type: 'integer', minimum: 1, description: 'How big.' }, pod: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } } },
        },
      };
    });
    const out = crdOpenAPIV3Schemas(c, 'v1') as any;
    assert.deepEqual(Object.keys(out), ['com.example.v1.Widget', 'com.example.v1.WidgetList']);
    const w = out['com.example.v1.Widget'];
    assert.equal(w.description, 'A widget.');
    assert.deepEqual(w.properties.spec.properties.size, { type: 'integer', minimum: 1, description: 'How big.' });
    assert.deepEqual(w.properties.metadata.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    assert.equal(w.properties.kind.type, 'string');
    assert.deepEqual(Object.keys(w.properties.spec.properties.pod.properties).sort(), ['apiVersion', 'kind', 'metadata']);
    assert.deepEqual(w['x-kubernetes-group-version-kind'], [{ group: 'example.com', kind: 'Widget', version: 'v1' }]);
    const list = out['com.example.v1.WidgetList'];
    assert.deepEqual(list.properties.items.items, { $ref: '#/components/schemas/com.example.v1.Widget' });
    assert.deepEqual(list['x-kubernetes-group-version-kind'], [{ group: 'example.com', kind: 'WidgetList', version: 'v1' }]);
  });
});
