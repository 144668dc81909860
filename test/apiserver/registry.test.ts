// Registry create/get/list/update/delete on the memory store, with upstream's Status errors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/status.js';
import type { ResourceDef } from '../../src/apiserver/schema/types.js';
import { catalog, DRIVERS, startRegistry, w, type Driver } from './registry-fixture.js';

const R = (group: string, version: string, resource: string): ResourceDef => catalog.resource(group, version, resource) as ResourceDef;
const pods = R('', 'v1', 'pods');
const configmaps = R('', 'v1', 'configmaps');
const services = R('', 'v1', 'services');
const namespaces = R('', 'v1', 'namespaces');
const deployments = R('apps', 'v1', 'deployments');

const setup = (t: { after(fn: () => unknown): void }, driver: Driver) => startRegistry(t, { driver, now: Date.UTC(2026, 0, 1, 12, 0, 0) });

function apiError(code: number, reason: string, message: string) {
  return (e: unknown) => {
    assert.ok(e instanceof ApiError, `expected ApiError, got ${String(e)}`);
    assert.equal(e.status.code, code);
    assert.equal(e.status.reason, reason);
    assert.equal(e.status.message, message);
    return true;
  };
}

const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'web' } },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
  ...extra,
});

const deployment = (name: string, replicas = 1) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

for (const driver of DRIVERS) {
  describe(driver, () => {
    describe('registry: start', () => {
      test('creates the system namespaces, Active with the kubernetes finalizer', async (t) => {
        const { registry } = await setup(t, driver);
        const list = await registry.list(namespaces, undefined, {});
        const names = (list.items as { metadata: { name: string } }[]).map((n) => n.metadata.name);
        assert.deepEqual(names, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
        const ns = await registry.get(namespaces, undefined, 'default', {});
        assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
        assert.deepEqual(ns.status, { phase: 'Active' });
        assert.equal((ns.metadata as { labels: Record<string, string> }).labels['kubernetes.io/metadata.name'], 'default');
      });
    });

    describe('registry: create', () => {
      test('sets uid, creationTimestamp, resourceVersion and the pod status; get and list return it', async (t) => {
        const { registry } = await setup(t, driver);
        const created = await registry.create(pods, 'default', pod('web'), w());
        const m = created.metadata as Record<string, unknown>;
        assert.match(String(m.uid), /^[0-9a-f-]{36}$/);
        assert.equal(m.creationTimestamp, '2026-01-01T12:00:00Z');
        assert.equal(m.namespace, 'default');
        assert.match(String(m.resourceVersion), /^[0-9]+$/);
        assert.deepEqual(created.status, { phase: 'Pending', qosClass: 'BestEffort' });
        const got = await registry.get(pods, 'default', 'web', {});
        assert.deepEqual(got, created);
        const list = await registry.list(pods, 'default', {});
        assert.equal(list.kind, 'PodList');
        assert.equal(list.apiVersion, 'v1');
        assert.deepEqual(list.items, [created]);
        assert.ok(Number((list.metadata as { resourceVersion: string }).resourceVersion) >= Number(m.resourceVersion));
      });

      test('a second create of the same name is 409 AlreadyExists', async (t) => {
        const { registry } = await setup(t, driver);
        await registry.create(pods, 'default', pod('web'), w());
        await assert.rejects(registry.create(pods, 'default', pod('web'), w()), apiError(409, 'AlreadyExists', 'pods "web" already exists'));
      });

      test('the namespace must exist', async (t) => {
        const { registry } = await setup(t, driver);
        await assert.rejects(registry.create(pods, 'nope', pod('web'), w()), apiError(404, 'NotFound', 'namespaces "nope" not found'));
      });

      test('apiVersion and namespace mismatches are 400', async (t) => {
        const { registry } = await setup(t, driver);
        await assert.rejects(
          registry.create(deployments, 'default', { ...deployment('d'), apiVersion: 'v1' }, w()),
          apiError(400, 'BadRequest', 'the API version in the data (v1) does not match the expected API version (apps/v1)'),
        );
        await assert.rejects(
          registry.create(pods, 'default', pod('web', { metadata: { name: 'web', namespace: 'kube-system' } }), w()),
          apiError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request'),
        );
      });

      test('apiVersion and kind default to the endpoint', async (t) => {
        const { registry } = await setup(t, driver);
        const cm = await registry.create(configmaps, 'default', { metadata: { name: 'c' }, data: { a: '1' } }, w());
        assert.equal(cm.apiVersion, 'v1');
        assert.equal(cm.kind, 'ConfigMap');
      });

      test('generateName appends 5 characters of the upstream alphabet', async (t) => {
        const { registry } = await setup(t, driver);
        const cm = await registry.create(configmaps, 'default', { metadata: { generateName: 'cfg-' } }, w());
        assert.match(String((cm.metadata as { name: string }).name), /^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      });

      test('name or generateName is required (422)', async (t) => {
        const { registry } = await setup(t, driver);
        await assert.rejects(registry.create(configmaps, 'default', { metadata: {} }, w()), apiError(422, 'Invalid', 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required'));
      });

      test('fieldValidation: Strict rejects, Warn warns, Ignore drops unknown fields', async (t) => {
        const { registry } = await setup(t, driver);
        const body = { ...deployment('d'), spec: { ...deployment('d').spec, foo: 1 } };
        await assert.rejects(registry.create(deployments, 'default', body, w()), apiError(400, 'BadRequest', 'strict decoding error: unknown field "spec.foo"'));
        const opts = w({ fieldValidation: 'Warn' });
        const d = await registry.create(deployments, 'default', body, opts);
        assert.deepEqual(opts.warnings, ['unknown field "spec.foo"']);
        assert.equal((d.spec as Record<string, unknown>).foo, undefined);
        const ignored = w({ fieldValidation: 'Ignore' });
        const d2 = await registry.create(deployments, 'default', { ...body, metadata: { name: 'd2' } }, ignored);
        assert.deepEqual(ignored.warnings, []);
        assert.equal((d2.spec as Record<string, unknown>).foo, undefined);
      });

      test('defaults and validation run: invalid objects are 422 with upstream causes', async (t) => {
        const { registry } = await setup(t, driver);
        await assert.rejects(registry.create(deployments, 'default', deployment('d', -1), w()), (e: unknown) => {
          assert.ok(e instanceof ApiError);
          assert.equal(e.status.code, 422);
          assert.equal(e.status.reason, 'Invalid');
          assert.equal(e.status.message, 'Deployment.apps "d" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
          assert.deepEqual(e.status.details?.causes, [{ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' }]);
          return true;
        });
        const d = await registry.create(deployments, 'default', deployment('d'), w());
        assert.equal((d.spec as { revisionHistoryLimit: number }).revisionHistoryLimit, 10);
        const changedSelector = { ...d, spec: { ...(d.spec as object), selector: { matchLabels: { app: 'other' } } } };
        await assert.rejects(registry.update(deployments, 'default', 'd', changedSelector, w()), (e: unknown) => e instanceof ApiError && e.status.code === 422 && /spec\.selector/.test(String(e.status.message)));
      });

      test('dryRun runs everything but stores nothing', async (t) => {
        const { registry, store } = await setup(t, driver);
        const before = await store.currentRevision();
        const d = await registry.create(deployments, 'default', deployment('d'), w({ dryRun: true }));
        assert.equal((d.metadata as Record<string, unknown>).generation, 1);
        assert.equal((d.metadata as Record<string, unknown>).resourceVersion, undefined);
        assert.equal(await store.currentRevision(), before);
        await assert.rejects(registry.get(deployments, 'default', 'd', {}), apiError(404, 'NotFound', 'deployments.apps "d" not found'));
      });

      test('creates are refused in a terminating namespace', async (t) => {
        const { registry } = await setup(t, driver);
        await registry.create(namespaces, undefined, { metadata: { name: 'doomed' } }, w());
        await registry.create(configmaps, 'doomed', { metadata: { name: 'keep', finalizers: ['example.com/hold'] } }, w());
        await registry.delete(namespaces, undefined, 'doomed', {}, w());
        await assert.rejects(
          registry.create(configmaps, 'doomed', { metadata: { name: 'new' } }, w()),
          apiError(403, 'Forbidden', 'configmaps "new" is forbidden: unable to create new content in namespace doomed because it is being terminated'),
        );
      });
    });

    describe('registry: update', () => {
      test('resourceVersion mismatch is 409 Conflict; empty resourceVersion updates unconditionally', async (t) => {
        const { registry } = await setup(t, driver);
        const cm = await registry.create(configmaps, 'default', { metadata: { name: 'c' }, data: { a: '1' } }, w());
        const rv = (cm.metadata as { resourceVersion: string }).resourceVersion;
        const { object: v2 } = await registry.update(configmaps, 'default', 'c', { ...cm, data: { a: '2' } }, w());
        assert.notEqual((v2.metadata as { resourceVersion: string }).resourceVersion, rv);
        await assert.rejects(
          registry.update(configmaps, 'default', 'c', { ...cm, data: { a: '3' } }, w()),
          apiError(409, 'Conflict', 'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again'),
        );
        const { object: v3 } = await registry.update(configmaps, 'default', 'c', { metadata: { name: 'c' }, data: { a: '3' } }, w());
        assert.deepEqual(v3.data, { a: '3' });
        assert.equal((v3.metadata as { uid: string }).uid, (cm.metadata as { uid: string }).uid);
        assert.equal((v3.metadata as { creationTimestamp: string }).creationTimestamp, (cm.metadata as { creationTimestamp: string }).creationTimestamp);
      });

      test('name mismatch is 400', async (t) => {
        const { registry } = await setup(t, driver);
        await registry.create(configmaps, 'default', { metadata: { name: 'c' } }, w());
        await assert.rejects(registry.update(configmaps, 'default', 'c', { metadata: { name: 'other' } }, w()), apiError(400, 'BadRequest', 'the name of the object (other) does not match the name on the URL (c)'));
      });

      test('update of a missing object creates it where upstream allows, else 404', async (t) => {
        const { registry } = await setup(t, driver);
        const svc = { metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } };
        const r = await registry.update(services, 'default', 's', svc, w());
        assert.equal(r.created, true);
        assert.equal((r.object.metadata as { name: string }).name, 's');
        await assert.rejects(registry.update(deployments, 'default', 'd', deployment('d'), w()), apiError(404, 'NotFound', 'deployments.apps "d" not found'));
      });

      test('generation counts spec changes only; the main resource ignores status; /status changes only status', async (t) => {
        const { registry } = await setup(t, driver);
        const d = await registry.create(deployments, 'default', deployment('d'), w());
        assert.equal((d.metadata as { generation: number }).generation, 1);
        const labelled = await registry.update(deployments, 'default', 'd', { ...d, metadata: { ...(d.metadata as object), labels: { x: 'y' }, resourceVersion: undefined }, status: { replicas: 9 } }, w());
        assert.equal((labelled.object.metadata as { generation: number }).generation, 1);
        assert.deepEqual(labelled.object.status, {});
        const scaled = await registry.update(deployments, 'default', 'd', { ...labelled.object, spec: { ...(d.spec as object), replicas: 3 } }, w());
        assert.equal((scaled.object.metadata as { generation: number }).generation, 2);
        const status = await registry.update(
          deployments,
          'default',
          'd',
          { ...scaled.object, spec: { ...(d.spec as object), replicas: 7 }, metadata: { ...(scaled.object.metadata as object), labels: { changed: 'yes' } }, status: { replicas: 3, observedGeneration: 2 } },
          w({ subresource: 'status' }),
        );
        assert.deepEqual(status.object.status, { replicas: 3, observedGeneration: 2 });
        assert.equal((status.object.spec as { replicas: number }).replicas, 3);
        assert.deepEqual((status.object.metadata as { labels: unknown }).labels, { x: 'y' });
        assert.equal((status.object.metadata as { generation: number }).generation, 2);
      });

      test('dryRun update and delete change nothing', async (t) => {
        const { registry, store } = await setup(t, driver);
        const cm = await registry.create(configmaps, 'default', { metadata: { name: 'c' }, data: { a: '1' } }, w());
        const before = await store.currentRevision();
        const r = await registry.update(configmaps, 'default', 'c', { ...cm, data: { a: '2' } }, w({ dryRun: true }));
        assert.deepEqual(r.object.data, { a: '2' });
        const d = await registry.delete(configmaps, 'default', 'c', {}, w({ dryRun: true }));
        assert.equal(d.finished, true);
        assert.equal(await store.currentRevision(), before);
        assert.deepEqual((await registry.get(configmaps, 'default', 'c', {})).data, { a: '1' });
      });

      test('an update that changes nothing keeps the resourceVersion', async (t) => {
        const { registry } = await setup(t, driver);
        const cm = await registry.create(configmaps, 'default', { metadata: { name: 'c' }, data: { a: '1' } }, w());
        const r = await registry.update(configmaps, 'default', 'c', cm, w());
        assert.equal((r.object.metadata as { resourceVersion: string }).resourceVersion, (cm.metadata as { resourceVersion: string }).resourceVersion);
      });
    });

    describe('registry: delete', () => {
      test('most kinds answer a finished delete with a Status, pods with the object', async (t) => {
        const { registry } = await setup(t, driver);
        const cm = await registry.create(configmaps, 'default', { metadata: { name: 'c' } }, w());
        const r = await registry.delete(configmaps, 'default', 'c', {}, w());
        assert.equal(r.finished, true);
        assert.deepEqual(r.object, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'c', kind: 'configmaps', uid: (cm.metadata as { uid: string }).uid } });
        await assert.rejects(registry.get(configmaps, 'default', 'c', {}), apiError(404, 'NotFound', 'configmaps "c" not found'));
        await registry.create(pods, 'default', pod('p'), w());
        const rp = await registry.delete(pods, 'default', 'p', {}, w());
        assert.equal(rp.finished, true);
        assert.equal(rp.object.kind, 'Pod');
      });

      test('a pod bound to a node is deleted gracefully and stays until grace period 0', async (t) => {
        const { registry } = await setup(t, driver);
        await registry.create(pods, 'default', pod('p', { spec: { nodeName: 'n1', terminationGracePeriodSeconds: 10, containers: [{ name: 'c', image: 'x' }] } }), w());
        const r = await registry.delete(pods, 'default', 'p', {}, w());
        assert.equal(r.finished, false);
        assert.equal(r.code, 200);
        const m = r.object.metadata as Record<string, unknown>;
        assert.equal(m.deletionTimestamp, '2026-01-01T12:00:10Z');
        assert.equal(m.deletionGracePeriodSeconds, 10);
        assert.ok(await registry.get(pods, 'default', 'p', {}));
        const now = await registry.delete(pods, 'default', 'p', { gracePeriodSeconds: 0 }, w());
        assert.equal(now.finished, true);
        await assert.rejects(registry.get(pods, 'default', 'p', {}), apiError(404, 'NotFound', 'pods "p" not found'));
      });

      test('preconditions on uid and resourceVersion are 409', async (t) => {
        const { registry } = await setup(t, driver);
        const cm = await registry.create(configmaps, 'default', { metadata: { name: 'c' } }, w());
        const uid = (cm.metadata as { uid: string }).uid;
        await assert.rejects(
          registry.delete(configmaps, 'default', 'c', { preconditions: { uid: 'other' } }, w()),
          apiError(409, 'Conflict', `Operation cannot be fulfilled on configmaps "c": Precondition failed: UID in precondition: other, UID in object meta: ${uid}`),
        );
        const rv = (cm.metadata as { resourceVersion: string }).resourceVersion;
        await assert.rejects(
          registry.delete(configmaps, 'default', 'c', { preconditions: { resourceVersion: '1' } }, w()),
          apiError(409, 'Conflict', `Operation cannot be fulfilled on configmaps "c": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${rv}`),
        );
      });

      test('finalizers keep the object until an update removes the last one; propagation policies are recorded', async (t) => {
        const { registry } = await setup(t, driver);
        await registry.create(configmaps, 'default', { metadata: { name: 'c', finalizers: ['example.com/hold'] } }, w());
        const r = await registry.delete(configmaps, 'default', 'c', { propagationPolicy: 'Foreground' }, w());
        assert.equal(r.finished, false);
        const m = r.object.metadata as Record<string, unknown>;
        assert.deepEqual(m.finalizers, ['example.com/hold', 'foregroundDeletion']);
        assert.equal(m.deletionTimestamp, '2026-01-01T12:00:00Z');
        assert.equal(m.deletionGracePeriodSeconds, 0);
        const o = await registry.delete(configmaps, 'default', 'c', { propagationPolicy: 'Orphan', orphanDependents: false }, w()).catch((e) => e);
        assert.equal((o as ApiError).status.code, 422);
        const orphan = await registry.delete(configmaps, 'default', 'c', { orphanDependents: false }, w());
        assert.equal(orphan.code, 202);
        assert.deepEqual((orphan.object.metadata as Record<string, unknown>).finalizers, ['example.com/hold']);
        const cur = await registry.get(configmaps, 'default', 'c', {});
        await registry.update(configmaps, 'default', 'c', { ...cur, metadata: { ...(cur.metadata as object), finalizers: [] } }, w());
        await assert.rejects(registry.get(configmaps, 'default', 'c', {}), apiError(404, 'NotFound', 'configmaps "c" not found'));
      });

      test('system namespaces may not be deleted', async (t) => {
        const { registry } = await setup(t, driver);
        await assert.rejects(registry.delete(namespaces, undefined, 'default', {}, w()), apiError(403, 'Forbidden', 'namespaces "default" is forbidden: this namespace may not be deleted'));
      });

      test('deleting a namespace empties it, then removes it', async (t) => {
        const { registry } = await setup(t, driver);
        await registry.create(namespaces, undefined, { metadata: { name: 'team' } }, w());
        await registry.create(configmaps, 'team', { metadata: { name: 'a' } }, w());
        await registry.create(pods, 'team', pod('p'), w());
        const r = await registry.delete(namespaces, undefined, 'team', {}, w());
        assert.equal(r.finished, false);
        assert.equal((r.object.status as { phase: string }).phase, 'Terminating');
        const events = registry.watch(namespaces, undefined, { resourceVersion: (r.object.metadata as { resourceVersion: string }).resourceVersion, signal: AbortSignal.timeout(5000) });
        for await (const ev of events) {
          if (ev.type === 'DELETED' && (ev.object.metadata as { name: string }).name === 'team') break;
        }
        assert.deepEqual((await registry.list(configmaps, 'team', {})).items, []);
        assert.deepEqual((await registry.list(pods, 'team', {})).items, []);
        await assert.rejects(registry.get(namespaces, undefined, 'team', {}), apiError(404, 'NotFound', 'namespaces "team" not found'));
      });

      test('a namespace whose content is held by finalizers reports it in its conditions', async (t) => {
        const { registry } = await setup(t, driver);
        await registry.create(namespaces, undefined, { metadata: { name: 'held' } }, w());
        await registry.create(configmaps, 'held', { metadata: { name: 'c', finalizers: ['example.com/hold'] } }, w());
        const r = await registry.delete(namespaces, undefined, 'held', {}, w());
        let conditions: { type: string; status: string; message: string }[] = [];
        const ac = new AbortController();
        const stop = setTimeout(() => ac.abort(), 5000);
        for await (const ev of registry.watch(namespaces, undefined, { resourceVersion: (r.object.metadata as { resourceVersion: string }).resourceVersion, fieldSelector: 'metadata.name=held', signal: ac.signal })) {
          conditions = ((ev.object.status as { conditions?: typeof conditions }).conditions ?? []);
          if (conditions.length) break;
        }
        clearTimeout(stop);
        ac.abort();
        const byType = Object.fromEntries(conditions.map((c) => [c.type, c]));
        assert.equal(byType.NamespaceContentRemaining.status, 'True');
        assert.equal(byType.NamespaceContentRemaining.message, 'Some resources are remaining: configmaps has 1 resource instances');
        assert.equal(byType.NamespaceFinalizersRemaining.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
        assert.equal((await registry.get(namespaces, undefined, 'held', {})).status && 'Terminating', 'Terminating');
      });

      test('deleteCollection deletes what the selector selects', async (t) => {
        const { registry } = await setup(t, driver);
        await registry.create(configmaps, 'default', { metadata: { name: 'a', labels: { x: '1' } } }, w());
        await registry.create(configmaps, 'default', { metadata: { name: 'b', labels: { x: '2' } } }, w());
        const out = await registry.deleteCollection(configmaps, 'default', { labelSelector: 'x=1' }, {}, w());
        assert.deepEqual((out.items as { metadata: { name: string } }[]).map((i) => i.metadata.name), ['a']);
        const left = await registry.list(configmaps, 'default', {});
        assert.deepEqual((left.items as { metadata: { name: string } }[]).map((i) => i.metadata.name), ['b']);
      });
    });
  });
}
