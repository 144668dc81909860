import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/status.js';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import { catalogSchema } from '../../src/apiserver/patch/catalog-schema.js';
import { crdSchema } from '../../src/apiserver/patch/crd-schema.js';
import { computeApply } from '../../src/apiserver/apply/apply.js';
import { ApplyConflictError } from '../../src/apiserver/apply/conflict.js';
import { updateManagedFields } from '../../src/apiserver/apply/update.js';
import { decodeFieldsV1, encodeFieldsV1, fieldSetOf, ignoreManagedFieldsTimestamps, pathString } from '../../src/apiserver/apply/index.js';
import { applyStrategicMergePatch } from '../../src/apiserver/patch/strategic-merge.js';

const catalog = builtinCatalog();
const deployments = catalogSchema(catalog, 'k8s.io/api/apps/v1.Deployment');
const configMaps = catalogSchema(catalog, 'k8s.io/api/core/v1.ConfigMap');
const T0 = '2026-11-27T10:00:00Z';
const T1 = '2026-11-27T10:05:00.123Z';

const nginxApply = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nginx', labels: { app: 'nginx' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'nginx' } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
    },
  },
});

function conflictOf(fn: () => unknown): ApplyConflictError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ApplyConflictError, `expected a conflict, got ${e}`);
    return e;
  }
  assert.fail('expected a conflict');
}

describe('server-side apply: managedFields as kube-apiserver 1.33 writes them', () => {
  test('ConfigMap applied by kubectl --server-side (the SSA documentation example)', () => {
    const applied = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'test-cm', namespace: 'default', labels: { 'test-label': 'test' } }, data: { key: 'some value' } };
    const { object } = computeApply(undefined, applied, { manager: 'kubectl', force: false, schema: configMaps, apiVersion: 'v1', now: T0, kind: 'ConfigMap' }) as any;
    assert.deepEqual(object.metadata.managedFields, [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2026-11-27T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:key': {} }, 'f:metadata': { 'f:labels': { 'f:test-label': {} } } },
      },
    ]);
    assert.equal(JSON.stringify(object.metadata.managedFields[0].fieldsV1), '{"f:data":{"f:key":{}},"f:metadata":{"f:labels":{"f:test-label":{}}}}');
    assert.deepEqual(object.data, { key: 'some value' });
  });

  test('Deployment applied by kubectl --server-side: list-map keys, defaulted key protocol, atomic selector', () => {
    const { object } = computeApply(undefined, nginxApply(), { manager: 'kubectl', force: false, schema: deployments, apiVersion: 'apps/v1', now: T0 }) as any;
    assert.equal(
      JSON.stringify(object.metadata.managedFields[0].fieldsV1),
      '{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},' +
        '"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}',
    );
  });

  test('Deployment created by kubectl client-side apply: a kubectl-client-side-apply Update entry', () => {
    // The created object after defaulting, as the registry stores it.
    const created = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'nginx',
        namespace: 'default',
        uid: 'u1',
        resourceVersion: '1',
        generation: 1,
        creationTimestamp: T0,
        labels: { app: 'nginx' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' },
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'nginx' } },
        template: {
          metadata: { labels: { app: 'nginx' } },
          spec: {
            containers: [
              {
                name: 'nginx',
                image: 'nginx:1.25',
                ports: [{ containerPort: 80, protocol: 'TCP' }],
                resources: {},
                terminationMessagePath: '/dev/termination-log',
                terminationMessagePolicy: 'File',
                imagePullPolicy: 'IfNotPresent',
              },
            ],
            restartPolicy: 'Always',
            terminationGracePeriodSeconds: 30,
            dnsPolicy: 'ClusterFirst',
            securityContext: {},
            schedulerName: 'default-scheduler',
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {},
    };
    updateManagedFields(undefined, created, { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', now: T0, schema: deployments });
    assert.deepEqual((created.metadata as any).managedFields, [
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': {
            'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} },
            'f:labels': { '.': {}, 'f:app': {} },
          },
          'f:spec': {
            'f:progressDeadlineSeconds': {},
            'f:replicas': {},
            'f:revisionHistoryLimit': {},
            'f:selector': {},
            'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:image': {},
                    'f:imagePullPolicy': {},
                    'f:name': {},
                    'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
                    'f:resources': {},
                    'f:terminationMessagePath': {},
                    'f:terminationMessagePolicy': {},
                  },
                },
                'f:dnsPolicy': {},
                'f:restartPolicy': {},
                'f:schedulerName': {},
                'f:securityContext': {},
                'f:terminationGracePeriodSeconds': {},
              },
            },
          },
        },
      },
    ]);
  });
});

describe('server-side apply: ownership, conflicts and force', () => {
  const apply = (live: object | undefined, applied: object, manager: string, force = false, now = T0) =>
    computeApply(live, applied, { manager, force, schema: deployments, apiVersion: 'apps/v1', now }).object as any;

  test('two appliers share a field set to the same value; a different value conflicts; force takes it over', () => {
    const first = apply(undefined, nginxApply(), 'alice');
    const shared = apply(first, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx' }, spec: { replicas: 2 } }, 'bob', false, T1);
    // Bob's apply changes no value: upstream returns the live object and sets no time for bob,
    // whose entry (time 0) then sorts first.
    assert.deepEqual(
      shared.metadata.managedFields.map((e: any) => [e.manager, e.operation, e.time, JSON.stringify(e.fieldsV1)]),
      [
        ['bob', 'Apply', undefined, '{"f:spec":{"f:replicas":{}}}'],
        ['alice', 'Apply', T0, JSON.stringify(first.metadata.managedFields[0].fieldsV1)],
      ],
    );
    const bobWants3 = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx' }, spec: { replicas: 3 } };
    const err = conflictOf(() => apply(shared, bobWants3, 'bob'));
    assert.equal(err.code, 409);
    assert.equal(err.reason, 'Conflict');
    assert.equal(err.status.message, 'Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
    assert.deepEqual(err.status.details, { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.replicas' }] });

    const forced = apply(shared, bobWants3, 'bob', true);
    assert.equal(forced.spec.replicas, 3);
    const alice = forced.metadata.managedFields.find((e: any) => e.manager === 'alice');
    assert.ok(!('f:replicas' in alice.fieldsV1['f:spec']), 'alice lost spec.replicas');
    assert.deepEqual(forced.metadata.managedFields.find((e: any) => e.manager === 'bob').fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  });

  test('conflict with an Update manager names its apiVersion (kubectl-client-side-apply)', () => {
    const live = apply(undefined, nginxApply(), 'helm');
    const scaled = structuredClone(live);
    scaled.spec.replicas = 5;
    updateManagedFields(live, scaled, { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', now: T1, schema: deployments });
    const entries = scaled.metadata.managedFields.map((e: any) => [e.manager, e.operation, JSON.stringify(e.fieldsV1)]);
    assert.deepEqual(entries[1], ['kubectl-client-side-apply', 'Update', '{"f:spec":{"f:replicas":{}}}']);
    assert.ok(!('f:replicas' in scaled.metadata.managedFields[0].fieldsV1['f:spec']), 'helm lost spec.replicas to the update');

    const err = conflictOf(() => apply(scaled, nginxApply(), 'helm'));
    assert.equal(err.status.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    assert.deepEqual(err.status.details!.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }]);

    const twoFields = structuredClone(nginxApply());
    twoFields.spec.template.spec.containers[0]!.image = 'nginx:1.26';
    const scaledAndSet = structuredClone(scaled);
    scaledAndSet.spec.template.spec.containers[0].image = 'nginx:1.27';
    updateManagedFields(scaled, scaledAndSet, { manager: 'kubectl-set', operation: 'Update', apiVersion: 'apps/v1', now: T1, schema: deployments });
    const err2 = conflictOf(() => apply(scaledAndSet, twoFields, 'helm'));
    assert.equal(
      err2.status.message,
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\nconflicts with "kubectl-set" using apps/v1:\n- .spec.template.spec.containers[name="nginx"].image',
    );
  });

  test('re-apply without a container and a label removes them; fields another applier owns stay', () => {
    const two = nginxApply();
    two.metadata.labels = { app: 'nginx', tier: 'web' } as any;
    two.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox' } as any);
    const live = apply(undefined, two, 'kubectl');
    const other = apply(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', labels: { owner: 'ops' } } }, 'ops', false, T1);
    const again = apply(other, nginxApply(), 'kubectl', false, T1);
    assert.deepEqual(again.metadata.labels, { app: 'nginx', owner: 'ops' });
    assert.deepEqual(
      again.spec.template.spec.containers.map((c: any) => c.name),
      ['nginx'],
    );
    const kubectl = again.metadata.managedFields.find((e: any) => e.manager === 'kubectl');
    assert.deepEqual(Object.keys(kubectl.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']), ['k:{"name":"nginx"}']);
  });

  test('fields set by an Update manager are kept when the applier stops applying them', () => {
    const live = apply(undefined, nginxApply(), 'kubectl');
    const labeled = structuredClone(live);
    labeled.metadata.labels.team = 'blue';
    updateManagedFields(live, labeled, { manager: 'kubectl-label', operation: 'Update', apiVersion: 'apps/v1', now: T1, schema: deployments });
    const again = apply(labeled, nginxApply(), 'kubectl', false, T1);
    assert.deepEqual(again.metadata.labels, { app: 'nginx', team: 'blue' });
  });

  test('kubectl --server-side takes over from its client-side apply without conflicts (last-applied annotation)', () => {
    const cfg = nginxApply();
    const csa = structuredClone(cfg) as any;
    csa.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(cfg)}\n` };
    csa.metadata.namespace = 'default';
    updateManagedFields(undefined, csa, { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', now: T0, schema: deployments });
    const changed = structuredClone(cfg);
    changed.spec.replicas = 4;
    const out = apply(csa, changed, 'kubectl', false, T1);
    assert.equal(out.spec.replicas, 4);
    const annotation = out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
    assert.ok(annotation.endsWith('\n'));
    assert.equal(JSON.parse(annotation).spec.replicas, 4);
    // Another manager name gets the conflict.
    conflictOf(() => apply(csa, changed, 'helm', false, T1));
  });

  test('an object with no managedFields is first owned by before-first-apply', () => {
    const live = { ...nginxApply(), metadata: { name: 'nginx', namespace: 'default', labels: { app: 'nginx' } } };
    const changed = structuredClone(nginxApply());
    changed.spec.replicas = 7;
    const err = conflictOf(() => apply(live, changed, 'helm'));
    assert.equal(err.status.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
  });

  test('bad applied objects: wrong version or kind, managedFields set, items without keys or duplicated, unknown fields', () => {
    const status = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        assert.ok(e instanceof ApiError);
        return [e.code, e.reason, e.status.message];
      }
      assert.fail('expected an error');
    };
    const opts = { manager: 'm', force: false, schema: deployments, apiVersion: 'apps/v1', now: T0, kind: 'Deployment' };
    assert.deepEqual(status(() => computeApply(undefined, { ...nginxApply(), apiVersion: 'apps/v1beta1' }, opts)), [400, 'BadRequest', 'invalid object type: apps/v1beta1, Kind=Deployment']);
    assert.deepEqual(status(() => computeApply(undefined, { ...nginxApply(), kind: 'StatefulSet' }, opts)), [400, 'BadRequest', 'invalid object type: apps/v1, Kind=StatefulSet']);
    assert.deepEqual(status(() => computeApply(undefined, { ...nginxApply(), metadata: { name: 'x', managedFields: [] } }, opts)), [400, 'BadRequest', 'metadata.managedFields must be nil']);
    const dup = nginxApply();
    dup.spec.template.spec.containers.push({ name: 'nginx', image: 'x' } as any);
    assert.deepEqual(status(() => computeApply(undefined, dup, opts)), [
      500,
      '',
      'failed to create typed patch object (/nginx; apps/v1, Kind=Deployment): .spec.template.spec.containers: duplicate entries for key [name="nginx"]',
    ]);
    const unknown = { ...nginxApply(), spec: { ...nginxApply().spec, replica: 1 } };
    assert.deepEqual(status(() => computeApply(undefined, unknown, opts)), [
      500,
      '',
      'failed to create typed patch object (/nginx; apps/v1, Kind=Deployment): .spec.replica: field not declared in schema',
    ]);
  });
});

describe('field management of updates', () => {
  test('a create by kubectl create (ConfigMap) and a later label by another manager', () => {
    const cm: any = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', uid: 'u', creationTimestamp: T0 }, data: { a: '1' } };
    updateManagedFields(undefined, cm, { manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', now: T0, schema: configMaps });
    assert.deepEqual(cm.metadata.managedFields, [
      { manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } } },
    ]);
    const next = structuredClone(cm);
    next.data.a = '2';
    next.metadata.labels = { x: 'y' };
    updateManagedFields(cm, next, { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'v1', now: T1, schema: configMaps });
    assert.deepEqual(
      next.metadata.managedFields.map((e: any) => [e.manager, e.time, JSON.stringify(e.fieldsV1)]),
      [
        ['kubectl-create', T0, '{"f:data":{}}'],
        ['kubectl-edit', '2026-11-27T10:05:00Z', '{"f:data":{"f:a":{}},"f:metadata":{"f:labels":{".":{},"f:x":{}}}}'],
      ],
    );
    // No change: the manager's entry and time stay as they were.
    const same = structuredClone(next);
    updateManagedFields(next, same, { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'v1', now: '2026-11-27T11:00:00Z', schema: configMaps });
    assert.deepEqual(same.metadata.managedFields, next.metadata.managedFields);
    // Removing a field takes it away from its owner; empty entries disappear.
    const removed = structuredClone(next);
    delete removed.metadata.labels;
    updateManagedFields(next, removed, { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'v1', now: T1, schema: configMaps });
    assert.deepEqual(removed.metadata.managedFields.map((e: any) => JSON.stringify(e.fieldsV1)), ['{"f:data":{}}', '{"f:data":{"f:a":{}}}']);
  });

  test('an empty managedFields list in the request resets tracking; an absent one keeps it', () => {
    const cm: any = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
    updateManagedFields(undefined, cm, { manager: 'm1', operation: 'Update', apiVersion: 'v1', now: T0, schema: configMaps });
    const kept = { ...structuredClone(cm), metadata: { name: 'c' }, data: { a: '1', b: '2' } };
    updateManagedFields(cm, kept, { manager: 'm2', operation: 'Update', apiVersion: 'v1', now: T1, schema: configMaps });
    assert.deepEqual(kept.metadata.managedFields.map((e: any) => e.manager), ['m1', 'm2']);
    const reset = { ...structuredClone(kept), metadata: { name: 'c', managedFields: [] } };
    updateManagedFields(kept, reset, { manager: 'm3', operation: 'Update', apiVersion: 'v1', now: T1, schema: configMaps });
    assert.ok(!('managedFields' in reset.metadata));
  });

  test('more than ten update managers fold the oldest into ancient-changes', () => {
    let cur: any = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} };
    for (let i = 0; i < 12; i++) {
      const next = structuredClone(cur);
      next.data[`k${i}`] = 'v';
      updateManagedFields(i === 0 ? undefined : cur, next, { manager: `m${i}`, operation: 'Update', apiVersion: 'v1', now: `2026-11-27T10:00:${String(i).padStart(2, '0')}Z`, schema: configMaps });
      cur = next;
    }
    const managers = cur.metadata.managedFields.map((e: any) => e.manager);
    assert.equal(managers.length, 10);
    assert.ok(managers.includes('ancient-changes'));
    assert.ok(!managers.includes('m0') && !managers.includes('m1') && !managers.includes('m2'));
  });
});

describe('custom resources', () => {
  const schema = crdSchema({
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          replicas: { type: 'integer' },
          ports: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['port', 'protocol'],
            items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' }, name: { type: 'string' } } },
          },
          tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
          selector: { type: 'object', 'x-kubernetes-map-type': 'atomic', additionalProperties: { type: 'string' } },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    },
  });

  test('apply uses x-kubernetes-list-type/-map-keys/-map-type and key defaults; unstructured create gives "." on spec', () => {
    const cr = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { replicas: 1, ports: [{ port: 80, name: 'http' }], tags: ['b', 'a'], selector: { app: 'w' }, extra: { x: { y: 1 } } },
    };
    const { object } = computeApply(undefined, cr, { manager: 'helm', force: false, schema, apiVersion: 'example.com/v1', now: T0 }) as any;
    assert.equal(
      JSON.stringify(object.metadata.managedFields[0].fieldsV1),
      '{"f:spec":{"f:extra":{"f:x":{".":{},"f:y":{}}},"f:ports":{"k:{\\"port\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:name":{},"f:port":{}}},"f:replicas":{},"f:selector":{},"f:tags":{"v:\\"a\\"":{},"v:\\"b\\"":{}}}}',
    );
    const created: any = structuredClone(cr);
    updateManagedFields(undefined, created, { manager: 'kubectl-create', operation: 'Update', apiVersion: 'example.com/v1', now: T0, schema });
    assert.equal(
      JSON.stringify(created.metadata.managedFields[0].fieldsV1['f:spec']['f:ports']),
      '{".":{},"k:{\\"port\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:name":{},"f:port":{}}}',
    );
    assert.ok('.' in created.metadata.managedFields[0].fieldsV1['f:spec']);
  });

  test('a strategic merge patch body works on CRD schemas as a merge (the wiring answers 415 upstream-style before this)', () => {
    const out = applyStrategicMergePatch({ spec: { tags: ['a'] } }, { spec: { tags: ['b'] } }, schema) as any;
    assert.deepEqual(out.spec.tags, ['b']);
  });
});

describe('FieldsV1 encoding', () => {
  test('decode and re-encode keep upstream order: "." first, fields, then keys, values, indexes; keys sorted', () => {
    const raw =
      '{"f:metadata":{"f:finalizers":{".":{},"v:\\"b\\"":{},"v:\\"a\\"":{},"v:2":{}},"f:labels":{"f:z":{},".":{},"f:a":{}}},' +
      '"f:spec":{"f:ports":{"k:{\\"protocol\\":\\"UDP\\",\\"port\\":53}":{".":{},"f:port":{}},"k:{\\"port\\":53,\\"protocol\\":\\"TCP\\"}":{".":{}},"i:1":{},"f:x":{}}}}';
    const set = decodeFieldsV1(JSON.parse(raw));
    assert.equal(
      JSON.stringify(encodeFieldsV1(set)),
      '{"f:metadata":{"f:finalizers":{".":{},"v:2":{},"v:\\"a\\"":{},"v:\\"b\\"":{}},"f:labels":{".":{},"f:a":{},"f:z":{}}},' +
        '"f:spec":{"f:ports":{"f:x":{},"k:{\\"port\\":53,\\"protocol\\":\\"TCP\\"}":{},"k:{\\"port\\":53,\\"protocol\\":\\"UDP\\"}":{".":{},"f:port":{}},"i:1":{}}}}',
    );
    assert.deepEqual(
      set.paths().map((p) => pathString(p)),
      // Set.Iterate: a level's members before its children.
      [
        '.metadata.finalizers',
        '.metadata.labels',
        '.metadata.finalizers[=2]',
        '.metadata.finalizers[="a"]',
        '.metadata.finalizers[="b"]',
        '.metadata.labels.a',
        '.metadata.labels.z',
        '.spec.ports.x',
        '.spec.ports[port=53,protocol="TCP"]',
        '.spec.ports[port=53,protocol="UDP"]',
        '.spec.ports[1]',
        '.spec.ports[port=53,protocol="UDP"].port',
      ],
    );
  });

  test('fieldSetOf a live object: maps entries are members, structs are not, atomic values are leaves', () => {
    const set = fieldSetOf(nginxApply(), deployments);
    assert.ok(set.has([{ t: 'f', name: 'metadata' }, { t: 'f', name: 'labels' }, { t: 'f', name: 'app' }]));
    assert.ok(!set.has([{ t: 'f', name: 'metadata' }, { t: 'f', name: 'labels' }]));
    assert.ok(set.has([{ t: 'f', name: 'spec' }, { t: 'f', name: 'selector' }]));
    assert.ok(!set.has([{ t: 'f', name: 'spec' }]));
  });
});

describe('apply details', () => {
  test('a subresource applier is identified with its subresource; the no-op re-apply keeps timestamps', () => {
    const first = computeApply(undefined, nginxApply(), { manager: 'kubectl', force: false, schema: deployments, apiVersion: 'apps/v1', now: T0 }).object as any;
    const again = computeApply(first, nginxApply(), { manager: 'kubectl', force: false, schema: deployments, apiVersion: 'apps/v1', now: T1 }).object as any;
    assert.deepEqual(again, first, 'a no-op apply changes nothing, not even the time');
    const touched = structuredClone(first);
    touched.metadata.managedFields[0].time = T1;
    const kept = ignoreManagedFieldsTimestamps(touched, first) as any;
    assert.equal(kept.metadata.managedFields[0].time, T0);
    const status = computeApply(first, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx' }, status: { replicas: 2 } }, {
      manager: 'ctrl',
      force: false,
      schema: deployments,
      apiVersion: 'apps/v1',
      now: T1,
      subresource: 'status',
    }).object as any;
    const entry = status.metadata.managedFields.find((e: any) => e.manager === 'ctrl');
    assert.deepEqual(entry, {
      manager: 'ctrl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: '2026-11-27T10:05:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': { 'f:replicas': {} } },
      subresource: 'status',
    });
    const changed = ignoreManagedFieldsTimestamps(status, first) as any;
    assert.equal(changed.metadata.managedFields.length, 2, 'a real change keeps the new managedFields');
  });
});

describe('reset fields', () => {
  test('fields the strategy resets (status on the main resource) are owned by nobody', () => {
    const applied = { ...nginxApply(), status: { replicas: 9 } };
    const { object } = computeApply(undefined, applied, { manager: 'kubectl', force: false, schema: deployments, apiVersion: 'apps/v1', now: T0, ignoredFields: [['status']] }) as any;
    assert.ok(!('f:status' in object.metadata.managedFields[0].fieldsV1));
    const next = structuredClone(object);
    next.status = { replicas: 2, readyReplicas: 2 };
    next.spec.replicas = 5;
    updateManagedFields(object, next, { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', now: T1, schema: deployments, subresource: 'status', ignoredFields: [['spec']] });
    const ctrl = next.metadata.managedFields.find((e: any) => e.manager === 'kube-controller-manager');
    assert.deepEqual(ctrl.fieldsV1, { 'f:status': { 'f:readyReplicas': {}, 'f:replicas': {} } });
    assert.equal(ctrl.subresource, 'status');
  });
});

describe('custom resources through catalog structs (as the CRD engine registers them)', () => {
  test('objects are unstructured: creates own "spec" itself, fields the struct does not declare may be applied', () => {
    const cat = builtinCatalog();
    const typeRef = 'example.com/v1.Widget';
    cat.addResource(
      { group: 'example.com', version: 'v1', resource: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', namespaced: true, shortNames: [], categories: [], verbs: [], subresources: [], typeRef },
      [
        {
          name: typeRef,
          fields: [
            { json: 'apiVersion', type: { kind: 'scalar', scalar: 'string' }, proto: 0, optional: true },
            { json: 'kind', type: { kind: 'scalar', scalar: 'string' }, proto: 0, optional: true },
            { json: 'metadata', type: { kind: 'struct', ref: 'k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta' }, proto: 0, optional: true },
            { json: 'spec', type: { kind: 'struct', ref: `${typeRef}.spec` }, proto: 0, optional: true },
          ],
          byJson: new Map(),
        },
        { name: `${typeRef}.spec`, fields: [{ json: 'size', type: { kind: 'scalar', scalar: 'int64' }, proto: 0, optional: true }], byJson: new Map() },
      ],
    );
    const schema = catalogSchema(cat, typeRef);
    const created: any = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } };
    updateManagedFields(undefined, created, { manager: 'kubectl-create', operation: 'Update', apiVersion: 'example.com/v1', now: T0, schema });
    assert.deepEqual(created.metadata.managedFields[0].fieldsV1, { 'f:spec': { '.': {}, 'f:size': {} } });
    const { object } = computeApply(created, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { extra: { a: 1 } } }, {
      manager: 'helm',
      force: false,
      schema,
      apiVersion: 'example.com/v1',
      now: T1,
    }) as any;
    assert.deepEqual(object.spec, { size: 1, extra: { a: 1 } });
    assert.deepEqual(object.metadata.managedFields.find((e: any) => e.manager === 'helm').fieldsV1, { 'f:spec': { 'f:extra': { '.': {}, 'f:a': {} } } });
  });
});
