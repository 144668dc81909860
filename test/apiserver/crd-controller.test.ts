import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../src/api/field-errors.js';
import {
  CLEANUP_FINALIZER, CrdController, customResourceHooks, prepareCrdForCreate, prepareCrdForDelete,
  type CrdBackend, type CrdEventType, type CustomResourceDefinition,
} from '../../src/apiserver/crd/index.js';
import { aggregatedDiscovery } from '../../src/apiserver/discovery/documents.js';
import { openApiV3Document } from '../../src/apiserver/openapi/index.js';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import type { ResourceDef } from '../../src/apiserver/schema/types.js';
import { FakeClock } from '../../src/util/clock.js';

type Listener = (type: CrdEventType, crd: CustomResourceDefinition) => void;
type ObjRef = { namespace?: string; name: string };

/** An in-memory implementation of the controller's own backend interface. */
class MemoryBackend implements CrdBackend {
  readonly crds = new Map<string, CustomResourceDefinition>();
  readonly objects = new Map<string, ObjRef[]>();
  readonly statusWrites: string[] = [];
  failDeletes = false;
  private listeners = new Set<Listener>();

  watchCrds(onEvent: Listener): () => void {
    for (const crd of this.crds.values()) onEvent('ADDED', structuredClone(crd));
    this.listeners.add(onEvent);
    return () => this.listeners.delete(onEvent);
  }
  private emit(type: CrdEventType, crd: CustomResourceDefinition): void {
    for (const l of this.listeners) l(type, structuredClone(crd));
  }
  create(crd: CustomResourceDefinition): void {
    const c = structuredClone(crd);
    prepareCrdForCreate(c);
    this.crds.set(c.metadata!.name!, c);
    this.emit('ADDED', c);
  }
  update(name: string, mut: (c: CustomResourceDefinition) => void): void {
    const c = this.crds.get(name)!;
    mut(c);
    this.emit('MODIFIED', c);
  }
  delete(name: string, now: string): void {
    const c = this.crds.get(name)!;
    prepareCrdForDelete(c, now);
    c.metadata!.deletionTimestamp = now;
    this.emit('MODIFIED', c);
  }
  async updateCrdStatus(name: string, status: CustomResourceDefinition['status']): Promise<void> {
    const c = this.crds.get(name);
    if (!c) throw new Error(`customresourcedefinitions.apiextensions.k8s.io "${name}" not found`);
    this.statusWrites.push(name);
    c.status = structuredClone(status);
    this.emit('MODIFIED', c);
  }
  async listObjects(res: ResourceDef): Promise<ObjRef[]> {
    return [...(this.objects.get(`${res.group}/${res.resource}`) ?? [])];
  }
  async deleteObject(res: ResourceDef, namespace: string | undefined, name: string): Promise<void> {
    if (this.failDeletes) throw new Error('etcdserver: request timed out');
    const key = `${res.group}/${res.resource}`;
    this.objects.set(key, (this.objects.get(key) ?? []).filter((o) => !(o.name === name && o.namespace === namespace)));
  }
  async removeFinalizer(name: string, finalizer: string): Promise<void> {
    const c = this.crds.get(name)!;
    c.metadata!.finalizers = (c.metadata!.finalizers ?? []).filter((f) => f !== finalizer);
    if (c.metadata!.deletionTimestamp && c.metadata!.finalizers.length === 0) {
      this.crds.delete(name);
      this.emit('DELETED', c);
    } else this.emit('MODIFIED', c);
  }
}

function crontabs(mut: (c: any) => void = () => {}): CustomResourceDefinition {
  const c: any = {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com', scope: 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'], categories: ['all'] },
      versions: [
        { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
        {
          name: 'v1', served: true, storage: true,
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
          additionalPrinterColumns: [{ name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' }, { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
          selectableFields: [{ jsonPath: '.spec.cronSpec' }],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  'x-kubernetes-validations': [{ rule: 'self.replicas <= 5', message: 'at most 5 replicas' }],
                  properties: { replicas: { type: 'integer', default: 1 }, cronSpec: { type: 'string' } },
                },
                status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } },
              },
            },
          },
        },
      ],
    },
  };
  mut(c);
  return c;
}

function setup() {
  const backend = new MemoryBackend();
  const catalog = builtinCatalog();
  const clock = new FakeClock(Date.UTC(2026, 10, 27, 12, 0, 0));
  const controller = new CrdController(backend, catalog, clock);
  return { backend, catalog, clock, controller, hooks: customResourceHooks(controller, async () => ({ error: 'no services in this test' })) };
}

const cond = (crd: CustomResourceDefinition | undefined, type: string) => crd?.status?.conditions?.find((c) => c.type === type);

describe('CrdController', () => {
  test('a new CRD is accepted, established and served: catalog, discovery and OpenAPI follow', async (t) => {
    const { backend, catalog, controller, hooks } = setup();
    controller.start();
    t.after(() => controller.stop());
    let changes = 0;
    catalog.onChange(() => changes++);
    backend.create(crontabs());
    await controller.idle();

    const crd = backend.crds.get('crontabs.stable.example.com')!;
    assert.deepEqual(crd.status?.acceptedNames, { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'], categories: ['all'] });
    assert.deepEqual({ ...cond(crd, 'NamesAccepted'), lastTransitionTime: undefined }, { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: undefined });
    assert.deepEqual({ ...cond(crd, 'Established'), lastTransitionTime: undefined }, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: undefined });
    assert.equal(cond(crd, 'Established')?.lastTransitionTime, '2026-11-27T12:00:00Z');
    assert.deepEqual(crd.status?.storedVersions, ['v1']);
    assert.equal(backend.statusWrites.length, 1, 'the status is written once; its own MODIFIED event changes nothing');

    const v1 = catalog.resource('stable.example.com', 'v1', 'crontabs')!;
    assert.deepEqual(v1.verbs, ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch']);
    assert.deepEqual(v1.subresources, ['status', 'scale']);
    assert.deepEqual(v1.shortNames, ['ct']);
    assert.ok(catalog.resource('stable.example.com', 'v1beta1', 'crontabs'));
    assert.ok(changes >= 2);
    assert.deepEqual(catalog.groupVersions().filter((g) => g.group === 'stable.example.com'), [
      { group: 'stable.example.com', version: 'v1', preferred: true },
      { group: 'stable.example.com', version: 'v1beta1', preferred: false },
    ]);
    const disco = aggregatedDiscovery(catalog.resources(), 'apis', 'v2') as { items: { metadata: { name: string } }[] };
    assert.ok(disco.items.some((g) => g.metadata.name === 'stable.example.com'));
    const doc = openApiV3Document(catalog, 'apis/stable.example.com/v1') as any;
    const schema = doc.components.schemas['com.example.stable.v1.CronTab'];
    assert.deepEqual(Object.keys(schema.properties).sort(), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);

    const h = hooks.forResource(v1)!;
    assert.equal(hooks.forResource(v1), h, 'the same handlers until the CRD changes');
    assert.equal(hooks.forResource({ group: 'apps', version: 'v1', resource: 'deployments' }), undefined);
    const obj: Record<string, unknown> = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'a', namespace: 'default', creationTimestamp: '2026-11-27T11:00:00Z' }, spec: { cronSpec: '* * * * *', junk: 1 } };
    assert.deepEqual(h.prune(obj), ['spec.junk']);
    h.applyDefaults(obj);
    assert.equal((obj.spec as any).replicas, 1);
    assert.deepEqual(h.validate(obj), []);
    (obj.spec as any).replicas = 9;
    assert.deepEqual(h.validate(obj).map((e) => `${e.field}: ${fieldErrorMessage(e)}`), ['spec: Invalid value: "object": at most 5 replicas']);
    const table = h.table([obj], { now: Date.parse('2026-11-27T12:00:00Z') });
    assert.deepEqual(table.columnDefinitions?.map((c) => c.name), ['Name', 'Replicas', 'Age']);
    assert.deepEqual(table.rows[0]!.cells, ['a', 9, '60m']);
    assert.deepEqual(h.scale!.read({ ...obj, status: { replicas: 2, selector: 'app=x' } }), {
      kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'a', namespace: 'default', creationTimestamp: '2026-11-27T11:00:00Z' },
      spec: { replicas: 9 }, status: { replicas: 2, selector: 'app=x' },
    });
    h.scale!.write(obj, 3);
    assert.equal((obj.spec as any).replicas, 3);
    assert.equal(h.storageVersion, 'v1');
    assert.equal((await h.convert([obj], 'v1beta1'))[0]!.apiVersion, 'stable.example.com/v1beta1');
    assert.deepEqual(h.fieldSelectors.labels, ['metadata.name', 'metadata.namespace', 'spec.cronSpec']);
    assert.deepEqual(h.fieldSelectors.fields(obj), { 'metadata.name': 'a', 'metadata.namespace': 'default', 'spec.cronSpec': '* * * * *' });
  });

  test('names taken by another CRD of the group are not accepted', async (t) => {
    const { backend, catalog, controller } = setup();
    controller.start();
    t.after(() => controller.stop());
    backend.create(crontabs());
    await controller.idle();
    backend.create(crontabs((c) => { c.metadata.name = 'crons.stable.example.com'; c.spec.names = { plural: 'crons', singular: 'cron', kind: 'Cron', listKind: 'CronList', shortNames: ['ct'] }; }));
    await controller.idle();
    const second = backend.crds.get('crons.stable.example.com')!;
    assert.deepEqual({ ...cond(second, 'NamesAccepted'), lastTransitionTime: undefined }, { type: 'NamesAccepted', status: 'False', reason: 'ShortNamesConflict', message: '"ct" is already in use', lastTransitionTime: undefined });
    assert.deepEqual({ ...cond(second, 'Established'), lastTransitionTime: undefined }, { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted', lastTransitionTime: undefined });
    assert.equal(catalog.resource('stable.example.com', 'v1', 'crons'), undefined);

    backend.update('crons.stable.example.com', (c) => { c.spec!.names!.shortNames = ['cr']; });
    await controller.idle();
    assert.equal(cond(backend.crds.get('crons.stable.example.com'), 'Established')?.status, 'True');
    assert.ok(catalog.resource('stable.example.com', 'v1', 'crons'));
  });

  test('updates re-register changed versions; an unserved version goes away', async (t) => {
    const { backend, catalog, controller, hooks } = setup();
    controller.start();
    t.after(() => controller.stop());
    backend.create(crontabs());
    await controller.idle();
    backend.update('crontabs.stable.example.com', (c) => {
      c.spec!.versions![0]!.served = false;
      (c.spec!.versions![1]!.schema!.openAPIV3Schema!.properties!.spec!.properties as any).image = { type: 'string' };
    });
    await controller.idle();
    assert.equal(catalog.resource('stable.example.com', 'v1beta1', 'crontabs'), undefined);
    const v1 = catalog.resource('stable.example.com', 'v1', 'crontabs')!;
    assert.ok(catalog.struct('stable.example.com/v1.CronTab.spec')?.byJson.has('image'));
    const obj = { metadata: { name: 'x', namespace: 'n' }, spec: { image: 'nginx' } };
    assert.deepEqual(hooks.forResource(v1)!.prune(obj), []);
  });

  test('deleting a CRD deletes its objects, stops serving it and removes the finalizer', async (t) => {
    const { backend, catalog, controller, clock, hooks } = setup();
    controller.start();
    t.after(() => controller.stop());
    backend.create(crontabs());
    await controller.idle();
    backend.objects.set('stable.example.com/crontabs', [{ namespace: 'a', name: 'one' }, { namespace: 'b', name: 'two' }]);
    backend.failDeletes = true;
    backend.delete('crontabs.stable.example.com', '2026-11-27T12:00:00Z');
    await controller.idle();
    const failing = backend.crds.get('crontabs.stable.example.com')!;
    assert.deepEqual(failing.metadata?.finalizers, [CLEANUP_FINALIZER]);
    assert.deepEqual({ ...cond(failing, 'Terminating'), lastTransitionTime: undefined }, {
      type: 'Terminating', status: 'True', reason: 'InstanceDeletionFailed',
      message: 'could not issue all deletes: etcdserver: request timed out, etcdserver: request timed out', lastTransitionTime: undefined,
    });
    const v1 = catalog.resource('stable.example.com', 'v1', 'crontabs')!;
    assert.ok(v1, 'still served while objects remain');
    assert.equal(hooks.forResource(v1)!.terminating, true, 'creates are refused while terminating');

    backend.failDeletes = false;
    clock.advance(1000);
    await controller.idle();
    assert.equal(backend.crds.has('crontabs.stable.example.com'), false, 'the CRD is gone once the finalizer is removed');
    assert.deepEqual(backend.objects.get('stable.example.com/crontabs'), []);
    assert.equal(catalog.resource('stable.example.com', 'v1', 'crontabs'), undefined);
    assert.equal(catalog.resource('stable.example.com', 'v1beta1', 'crontabs'), undefined);
    assert.equal(catalog.groupVersions().some((g) => g.group === 'stable.example.com'), false);
    assert.equal(openApiV3Document(catalog, 'apis/stable.example.com/v1'), undefined);
  });

  test('a CRD removed without the finalizer still has its objects cleaned up', async (t) => {
    const { backend, catalog, controller } = setup();
    controller.start();
    t.after(() => controller.stop());
    backend.create(crontabs());
    await controller.idle();
    backend.objects.set('stable.example.com/crontabs', [{ namespace: 'a', name: 'one' }]);
    const crd = backend.crds.get('crontabs.stable.example.com')!;
    backend.crds.delete('crontabs.stable.example.com');
    (backend as any).emit('DELETED', crd);
    await controller.idle();
    assert.deepEqual(backend.objects.get('stable.example.com/crontabs'), []);
    assert.equal(catalog.resource('stable.example.com', 'v1', 'crontabs'), undefined);
  });

  test('CRDs that exist at start are served', async (t) => {
    const { backend, catalog, controller } = setup();
    backend.create(crontabs());
    controller.start();
    t.after(() => controller.stop());
    await controller.idle();
    assert.ok(catalog.resource('stable.example.com', 'v1', 'crontabs'));
  });
});
