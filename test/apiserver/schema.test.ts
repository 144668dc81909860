import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import { subresourceInfo } from '../../src/apiserver/schema/resources.js';
import type { StructDef, TypeNode } from '../../src/apiserver/schema/types.js';

const catalog = builtinCatalog();

function refs(t: TypeNode): string[] {
  if (t.kind === 'struct') return [t.ref];
  if (t.kind === 'list') return refs(t.elem);
  if (t.kind === 'map') return refs(t.value);
  return [];
}

describe('built-in resources', () => {
  test('discovery facts of well-known resources', () => {
    const deploy = catalog.resource('apps', 'v1', 'deployments')!;
    assert.deepEqual(
      { ...deploy },
      {
        group: 'apps',
        version: 'v1',
        resource: 'deployments',
        singular: 'deployment',
        kind: 'Deployment',
        listKind: 'DeploymentList',
        namespaced: true,
        shortNames: ['deploy'],
        categories: ['all'],
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        subresources: ['scale', 'status'],
        typeRef: 'k8s.io/api/apps/v1.Deployment',
      },
    );
    const ns = catalog.resource('', 'v1', 'namespaces')!;
    assert.equal(ns.namespaced, false);
    assert.ok(!ns.verbs.includes('deletecollection'));
    assert.deepEqual(catalog.resource('', 'v1', 'pods')!.shortNames, ['po']);
    assert.ok(catalog.resource('', 'v1', 'pods')!.subresources.includes('eviction'));
    assert.deepEqual(catalog.resource('authentication.k8s.io', 'v1', 'tokenreviews')!.verbs, ['create']);
    assert.deepEqual(catalog.resource('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!.shortNames, ['crd', 'crds']);
    assert.equal(catalog.resourceForKind('metrics.k8s.io', 'v1beta1', 'PodMetrics')!.resource, 'pods');
  });

  test('short names are unique within the served resources (except the two Event kinds)', () => {
    const seen = new Map<string, string>();
    for (const r of catalog.resources()) {
      for (const s of r.shortNames) {
        const owner = `${r.resource}`;
        if (seen.has(s)) assert.equal(seen.get(s), owner, `short name ${s}`);
        seen.set(s, owner);
      }
    }
  });

  test('every resource has its kind struct (and list kind struct when listable), with TypeMeta and metadata', () => {
    for (const r of catalog.resources()) {
      const s = catalog.struct(r.typeRef);
      assert.ok(s, `struct ${r.typeRef}`);
      assert.ok(s.byJson.has('apiVersion') && s.byJson.has('kind'), `${r.typeRef} has TypeMeta`);
      assert.ok(s.byJson.has('metadata'), `${r.typeRef} has metadata`);
      if (r.verbs.includes('list')) assert.ok(catalog.structForKind(r.group, r.version, r.listKind), `list ${r.listKind}`);
    }
  });

  test('subresources: verbs and body kinds as discovery lists them', () => {
    const deploy = catalog.resource('apps', 'v1', 'deployments')!;
    assert.deepEqual(subresourceInfo(deploy, 'scale'), {
      name: 'deployments/scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1', kind: 'Scale', typeRef: 'k8s.io/api/autoscaling/v1.Scale',
    });
    assert.equal(subresourceInfo(deploy, 'status').kind, 'Deployment');
    const pods = catalog.resource('', 'v1', 'pods')!;
    assert.deepEqual(subresourceInfo(pods, 'eviction').verbs, ['create']);
    assert.equal(subresourceInfo(pods, 'eviction').typeRef, 'k8s.io/api/policy/v1.Eviction');
    assert.equal(subresourceInfo(catalog.resource('', 'v1', 'serviceaccounts')!, 'token').kind, 'TokenRequest');
    // Every served subresource has its body struct in the catalog.
    for (const r of catalog.resources()) for (const sub of r.subresources) assert.ok(catalog.struct(subresourceInfo(r, sub).typeRef), `${r.resource}/${sub}`);
  });

  test('group-versions come in discovery order with autoscaling/v2 preferred', () => {
    const gvs = catalog.groupVersions();
    assert.deepEqual(gvs[0], { group: '', version: 'v1', preferred: true });
    assert.equal(gvs[1]!.group, 'apps');
    const autoscaling = gvs.filter((g) => g.group === 'autoscaling');
    assert.deepEqual(autoscaling, [
      { group: 'autoscaling', version: 'v2', preferred: true },
      { group: 'autoscaling', version: 'v1', preferred: false },
    ]);
    assert.equal(gvs.at(-1)!.group, 'metrics.k8s.io');
  });
});

describe('structs', () => {
  test('every struct reference resolves', () => {
    const all = new Set<string>();
    for (const r of catalog.resources()) all.add(r.typeRef);
    const queue = [...all];
    while (queue.length > 0) {
      const ref = queue.pop()!;
      const s = catalog.struct(ref);
      assert.ok(s, `unresolved struct ${ref}`);
      for (const f of s.fields) for (const x of refs(f.type)) {
        if (!all.has(x)) {
          all.add(x);
          queue.push(x);
        }
      }
    }
    assert.ok(all.size > 300);
  });

  test('fields carry wire and patch facts', () => {
    const podSpec = catalog.struct('k8s.io/api/core/v1.PodSpec')!;
    const containers = podSpec.byJson.get('containers')!;
    assert.deepEqual(containers.type, { kind: 'list', elem: { kind: 'struct', ref: 'k8s.io/api/core/v1.Container' } });
    assert.equal(containers.proto, 2);
    assert.deepEqual(containers.patchStrategy, ['merge']);
    assert.equal(containers.patchMergeKey, 'name');
    assert.equal(containers.listType, 'map');
    assert.deepEqual(containers.listMapKeys, ['name']);
    assert.deepEqual(podSpec.byJson.get('volumes')!.patchStrategy, ['merge', 'retainKeys']);
    assert.deepEqual(podSpec.byJson.get('overhead')!.type, { kind: 'map', value: { kind: 'special', ref: 'k8s.io/apimachinery/pkg/api/resource.Quantity' } });
    assert.deepEqual(podSpec.byJson.get('restartPolicy')!.type, { kind: 'scalar', scalar: 'string' });
    assert.deepEqual(catalog.struct('k8s.io/api/core/v1.Secret')!.byJson.get('data')!.type, { kind: 'map', value: { kind: 'scalar', scalar: 'bytes' } });
    assert.equal(catalog.struct('k8s.io/api/core/v1.PodTemplateSpec')!.byJson.get('metadata')!.type.kind, 'struct');
    assert.deepEqual(catalog.struct('k8s.io/api/apps/v1.DeploymentSpec')!.byJson.get('template')!.type, { kind: 'struct', ref: 'k8s.io/api/core/v1.PodTemplateSpec' });
    // A struct-level +structType=atomic reaches the fields of that type.
    assert.equal(catalog.struct('k8s.io/api/apps/v1.DeploymentSpec')!.byJson.get('selector')!.structType, 'atomic');
  });

  test('inlined structs are flattened into byJson', () => {
    const volume = catalog.struct('k8s.io/api/core/v1.Volume')!;
    assert.ok(volume.byJson.has('name'));
    assert.ok(volume.byJson.has('configMap'));
    assert.equal(volume.byJson.has(''), false);
  });

  test('fieldAt walks through lists and maps', () => {
    const f = catalog.fieldAt('k8s.io/api/apps/v1.Deployment', ['spec', 'template', 'spec', 'containers', 'ports'])!;
    assert.equal(f.patchMergeKey, 'containerPort');
    assert.equal(catalog.fieldAt('k8s.io/api/apps/v1.Deployment', ['spec', 'nope']), undefined);
    assert.equal(catalog.fieldAt('k8s.io/api/apps/v1.Deployment', ['spec', 'replicas', 'x']), undefined);
  });

  test('kinds that are not resources resolve by group-version', () => {
    assert.equal(catalog.structForKind('policy', 'v1', 'Eviction')!.name, 'k8s.io/api/policy/v1.Eviction');
    assert.equal(catalog.structForKind('autoscaling', 'v1', 'Scale')!.name, 'k8s.io/api/autoscaling/v1.Scale');
    assert.equal(catalog.structForKind('', 'v1', 'DeleteOptions')!.name, 'k8s.io/apimachinery/pkg/apis/meta/v1.DeleteOptions');
    assert.equal(catalog.structForKind('apps', 'v1', 'DeleteOptions')!.name, 'k8s.io/apimachinery/pkg/apis/meta/v1.DeleteOptions');
    assert.equal(catalog.structForKind('nope.io', 'v1', 'Thing'), undefined);
  });
});

describe('dynamic resources', () => {
  test('add, replace and remove a resource with its structs; listeners and generation follow', () => {
    const c = builtinCatalog();
    let calls = 0;
    const off = c.onChange(() => calls++);
    const g0 = c.generation;
    const spec: StructDef = {
      name: 'stable.example.com/v1.CronTabSpec',
      fields: [{ json: 'cronSpec', type: { kind: 'scalar', scalar: 'string' }, proto: 0 }],
      byJson: new Map(),
    };
    const def = {
      group: 'stable.example.com',
      version: 'v1',
      resource: 'crontabs',
      singular: 'crontab',
      kind: 'CronTab',
      listKind: 'CronTabList',
      namespaced: true,
      shortNames: ['ct'],
      categories: [],
      verbs: ['get', 'list'],
      subresources: [],
      typeRef: 'stable.example.com/v1.CronTab',
    };
    c.addResource(def, [spec]);
    assert.equal(calls, 1);
    assert.equal(c.isBuiltin('stable.example.com', 'v1', 'crontabs'), false);
    assert.equal(c.isBuiltin('apps', 'v1', 'deployments'), true);
    assert.ok(c.generation > g0);
    assert.equal(c.resource('stable.example.com', 'v1', 'crontabs'), def);
    assert.equal(c.resourceForKind('stable.example.com', 'v1', 'CronTab'), def);
    assert.ok(c.struct('stable.example.com/v1.CronTabSpec')!.byJson.has('cronSpec'));
    assert.equal(c.resources().at(-1), def);
    assert.deepEqual(c.groupVersions().at(-1), { group: 'stable.example.com', version: 'v1', preferred: true });

    c.addResource({ ...def, version: 'v1beta1', typeRef: 'stable.example.com/v1beta1.CronTab' });
    const crGvs = c.groupVersions().filter((g) => g.group === 'stable.example.com');
    assert.deepEqual(crGvs.map((g) => [g.version, g.preferred]), [['v1', true], ['v1beta1', false]]);

    // A new version of a built-in group is listed, but the built-in version stays preferred.
    c.addResource({ ...def, group: 'apps', version: 'v2', resource: 'widgets', kind: 'Widget', listKind: 'WidgetList', typeRef: 'apps/v2.Widget' });
    assert.deepEqual(c.groupVersions().filter((g) => g.group === 'apps'), [
      { group: 'apps', version: 'v1', preferred: true },
      { group: 'apps', version: 'v2', preferred: false },
    ]);
    c.removeResource('apps', 'v2', 'widgets');

    c.removeResource('stable.example.com', 'v1', 'crontabs');
    assert.equal(c.resource('stable.example.com', 'v1', 'crontabs'), undefined);
    assert.equal(c.struct('stable.example.com/v1.CronTabSpec'), undefined);
    assert.equal(calls, 5);
    off();
    c.removeResource('stable.example.com', 'v1beta1', 'crontabs');
    assert.equal(calls, 5);
    assert.throws(() => c.removeResource('apps', 'v1', 'deployments'));
    // Another catalog is unaffected.
    assert.equal(catalog.resource('stable.example.com', 'v1', 'crontabs'), undefined);
  });
});
