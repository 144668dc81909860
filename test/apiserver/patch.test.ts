import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/status.js';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import { catalogSchema } from '../../src/apiserver/patch/catalog-schema.js';
import { applyJsonPatch } from '../../src/apiserver/patch/json-patch.js';
import { applyMergePatch } from '../../src/apiserver/patch/merge-patch.js';
import { applyStrategicMergePatch } from '../../src/apiserver/patch/strategic-merge.js';
import { checkPatchedObjectIdentity } from '../../src/apiserver/patch/identity.js';

const catalog = builtinCatalog();
const deploymentSchema = catalogSchema(catalog, 'k8s.io/api/apps/v1.Deployment');
const podSchema = catalogSchema(catalog, 'k8s.io/api/core/v1.Pod');

function statusOf(fn: () => unknown): { code: number; reason: string | undefined; message: string | undefined } {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ApiError, `expected ApiError, got ${e}`);
    return { code: e.code, reason: e.reason, message: e.status.message };
  }
  assert.fail('expected an error');
}

describe('JSON patch (RFC 6902)', () => {
  const doc = { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, ports: [80, 443] } };

  test('add, remove, replace, move, copy and test', () => {
    const out = applyJsonPatch(doc, [
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/metadata/labels/tier', value: 'front' },
      { op: 'add', path: '/spec/ports/-', value: 8080 },
      { op: 'add', path: '/spec/ports/0', value: 22 },
      { op: 'remove', path: '/spec/ports/1' },
      { op: 'copy', from: '/metadata/labels/app', path: '/metadata/labels/name' },
      { op: 'move', from: '/metadata/labels/tier', path: '/metadata/labels/layer' },
      { op: 'add', path: '/metadata/annotations', value: { 'a/b': 'x' } },
      { op: 'remove', path: '/metadata/annotations/a~1b' },
    ]);
    assert.deepEqual(out, {
      metadata: { name: 'web', labels: { app: 'web', name: 'web', layer: 'front' }, annotations: {} },
      spec: { replicas: 3, ports: [22, 443, 8080] },
    });
    assert.equal(doc.spec.replicas, 1, 'the input is not modified');
  });

  test('a failing operation is a 422 with upstream fixed message, and changes nothing', () => {
    for (const ops of [
      [{ op: 'test', path: '/spec/replicas', value: 2 }],
      [{ op: 'remove', path: '/spec/missing' }],
      [{ op: 'add', path: '/nope/deeper', value: 1 }],
      [{ op: 'add', path: '/spec/ports/9', value: 1 }],
      [{ op: 'frobnicate', path: '/spec' }],
    ]) {
      const s = statusOf(() => applyJsonPatch(doc, ops));
      assert.deepEqual(s, { code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' });
    }
    assert.equal(doc.spec.replicas, 1);
  });

  test('evanphx v4 rules: replace sets a missing member, test of a missing member against null passes, negative indexes', () => {
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '/b', value: 2 }]), { a: 1, b: 2 });
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/b', value: null }]), { a: 1 });
    assert.deepEqual(applyJsonPatch({ l: [1, 2, 3] }, [{ op: 'remove', path: '/l/-1' }]), { l: [1, 2] });
  });

  test('a body that is not a list of operations is a 400 in encoding/json words; too many operations is a 413', () => {
    assert.deepEqual(statusOf(() => applyJsonPatch(doc, { op: 'add' })), {
      code: 400,
      reason: 'BadRequest',
      message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    });
    const many = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/spec/replicas', value: 1 }));
    const s = statusOf(() => applyJsonPatch(doc, many));
    assert.equal(s.code, 413);
    assert.equal(s.message, 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
  });
});

describe('JSON merge patch (RFC 7386)', () => {
  test('RFC 7386 appendix A examples', () => {
    const cases: [unknown, unknown, unknown][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [['a', 'b'], ['c', 'd'], ['c', 'd']],
      [{ a: 'b' }, ['c'], ['c']],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: 'b', c: null }, { a: 'b' }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [doc, patch, want] of cases) assert.deepEqual(applyMergePatch(doc, patch), want, JSON.stringify({ doc, patch }));
  });

  test('a null patch is a 400', () => {
    assert.deepEqual(statusOf(() => applyMergePatch({}, null)), { code: 400, reason: 'BadRequest', message: 'Invalid JSON Patch' });
  });
});

function liveDeployment() {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      labels: { app: 'web', tier: 'front' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}\n', 'deployment.kubernetes.io/revision': '1' },
      finalizers: ['a', 'b'],
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }], imagePullPolicy: 'IfNotPresent' },
            { name: 'sidecar', image: 'busybox', imagePullPolicy: 'Always' },
          ],
          tolerations: [{ key: 'k', operator: 'Exists' }],
          restartPolicy: 'Always',
        },
      },
    },
    status: { replicas: 2 },
  };
}

describe('strategic merge patch', () => {
  test('kubectl apply (client-side) re-apply: a container removed, a label changed, $setElementOrder kept', () => {
    // The patch kubectl 1.33 computes (CreateThreeWayMergePatch) when the manifest drops the
    // sidecar and changes tier=front to tier=back.
    const patch = {
      metadata: {
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}\n' },
        labels: { tier: 'back' },
      },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }],
            containers: [{ $patch: 'delete', name: 'sidecar' }],
          },
        },
      },
    };
    const live = liveDeployment();
    const out = applyStrategicMergePatch(live, patch, deploymentSchema) as any;
    assert.deepEqual(out.metadata.labels, { app: 'web', tier: 'back' });
    assert.deepEqual(out.metadata.annotations, {
      'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}\n',
      'deployment.kubernetes.io/revision': '1',
    });
    assert.deepEqual(out.spec.template.spec.containers, [live.spec.template.spec.containers[0]]);
    assert.equal(out.spec.replicas, 2);
    assert.equal(live.spec.template.spec.containers.length, 2, 'the input is not modified');
  });

  test('kubectl set image: containers merge by name', () => {
    const out = applyStrategicMergePatch(liveDeployment(), { spec: { template: { spec: { containers: [{ image: 'nginx:1.26', name: 'web' }] } } } }, deploymentSchema) as any;
    assert.deepEqual(
      out.spec.template.spec.containers.map((c: any) => [c.name, c.image, c.imagePullPolicy]),
      [
        ['web', 'nginx:1.26', 'IfNotPresent'],
        ['sidecar', 'busybox', 'Always'],
      ],
    );
  });

  test('$setElementOrder orders merged items (upstream case: insert 4 between 1 and 2)', () => {
    const live = liveDeployment();
    live.spec.template.spec.containers = ['1', '2', '3'].map((name) => ({ name })) as any;
    const out = applyStrategicMergePatch(
      live,
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: '1' }, { name: '4' }, { name: '2' }, { name: '3' }], containers: [{ name: '4' }] } } } },
      deploymentSchema,
    ) as any;
    assert.deepEqual(out.spec.template.spec.containers, [{ name: '1' }, { name: '4' }, { name: '2' }, { name: '3' }]);
    const reordered = applyStrategicMergePatch(
      live,
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: '3' }, { name: '1' }, { name: '2' }] } } } },
      deploymentSchema,
    ) as any;
    assert.deepEqual(reordered.spec.template.spec.containers, [{ name: '3' }, { name: '1' }, { name: '2' }]);
  });

  test('merging lists: ports by containerPort, env by name; new items before server-only ones without an order directive', () => {
    const out = applyStrategicMergePatch(
      liveDeployment(),
      { spec: { template: { spec: { containers: [{ name: 'web', ports: [{ containerPort: 443 }], env: [{ name: 'A', value: '2' }, { name: 'B', value: '3' }] }] } } } },
      deploymentSchema,
    ) as any;
    const web = out.spec.template.spec.containers[0];
    assert.deepEqual(web.ports, [{ containerPort: 443 }, { containerPort: 80, protocol: 'TCP' }]);
    assert.deepEqual(web.env, [
      { name: 'A', value: '2' },
      { name: 'B', value: '3' },
    ]);
  });

  test('lists without patch strategy merge are replaced (tolerations); maps merge; null deletes', () => {
    const out = applyStrategicMergePatch(
      liveDeployment(),
      { metadata: { labels: { tier: null, x: 'y' } }, spec: { replicas: null, template: { spec: { tolerations: [{ key: 'other', operator: 'Exists' }] } } } },
      deploymentSchema,
    ) as any;
    assert.deepEqual(out.metadata.labels, { app: 'web', x: 'y' });
    assert.ok(!('replicas' in out.spec));
    assert.deepEqual(out.spec.template.spec.tolerations, [{ key: 'other', operator: 'Exists' }]);
  });

  test('primitive merge lists (finalizers) are sets; $deleteFromPrimitiveList removes', () => {
    const added = applyStrategicMergePatch(liveDeployment(), { metadata: { finalizers: ['c', 'a'] } }, deploymentSchema) as any;
    assert.deepEqual(added.metadata.finalizers, ['c', 'a', 'b']);
    const ordered = applyStrategicMergePatch(
      liveDeployment(),
      { metadata: { '$setElementOrder/finalizers': ['a', 'b', 'c'], finalizers: ['c'] } },
      deploymentSchema,
    ) as any;
    assert.deepEqual(ordered.metadata.finalizers, ['a', 'b', 'c']);
    const removed = applyStrategicMergePatch(liveDeployment(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } }, deploymentSchema) as any;
    assert.deepEqual(removed.metadata.finalizers, ['a']);
  });

  test('$retainKeys clears the keys it does not list (Deployment strategy switch to Recreate)', () => {
    const out = applyStrategicMergePatch(liveDeployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, deploymentSchema) as any;
    assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
    assert.deepEqual(statusOf(() => applyStrategicMergePatch(liveDeployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, deploymentSchema)), {
      code: 400,
      reason: 'BadRequest',
      message: 'invalid patch format of retainKeys',
    });
  });

  test('$patch directives on maps and list items', () => {
    const replaced = applyStrategicMergePatch(liveDeployment(), { metadata: { labels: { $patch: 'replace', only: 'this' } } }, deploymentSchema) as any;
    assert.deepEqual(replaced.metadata.labels, { only: 'this' });
    const deleted = applyStrategicMergePatch(liveDeployment(), { spec: { strategy: { $patch: 'delete' } } }, deploymentSchema) as any;
    assert.deepEqual(deleted.spec.strategy, {});
    const listReplaced = applyStrategicMergePatch(
      liveDeployment(),
      { spec: { template: { spec: { containers: [{ name: 'only', image: 'i' }, { $patch: 'replace' }] } } } },
      deploymentSchema,
    ) as any;
    assert.deepEqual(listReplaced.spec.template.spec.containers, [{ name: 'only', image: 'i' }]);
    const s = statusOf(() => applyStrategicMergePatch(liveDeployment(), { spec: { template: { spec: { containers: [{ $patch: 'merge', name: 'web' }] } } } }, deploymentSchema));
    assert.deepEqual(s, { code: 500, reason: '', message: 'merging lists cannot yet be specified in the patch' });
    const bad = statusOf(() => applyStrategicMergePatch(liveDeployment(), { metadata: { labels: { $patch: 'frob' } } }, deploymentSchema));
    assert.deepEqual(bad, { code: 500, reason: '', message: 'unknown patch type: frob in map: map[$patch:frob]' });
  });

  test('an item of a merging list without its merge key is upstream error', () => {
    const s = statusOf(() => applyStrategicMergePatch(liveDeployment(), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, deploymentSchema));
    assert.deepEqual(s, { code: 500, reason: '', message: 'map: map[image:x] does not contain declared merge key: name' });
  });

  test('fields the schema does not know merge like a merge patch; imagePullSecrets merge by name in a Pod', () => {
    const out = applyStrategicMergePatch({ spec: { x: { a: 1, b: [1] } } }, { spec: { x: { b: [2], c: 3 } } }, podSchema) as any;
    assert.deepEqual(out.spec.x, { a: 1, b: [2], c: 3 });
    const pod = { spec: { imagePullSecrets: [{ name: 'a' }], containers: [] } };
    const merged = applyStrategicMergePatch(pod, { spec: { imagePullSecrets: [{ name: 'b' }] } }, podSchema) as any;
    assert.deepEqual(merged.spec.imagePullSecrets, [{ name: 'b' }, { name: 'a' }]);
  });
});

describe('patched object identity', () => {
  test('name and namespace must match the request; a missing namespace is filled in', () => {
    assert.deepEqual(statusOf(() => checkPatchedObjectIdentity({ metadata: { name: 'b' } }, { name: 'a', namespace: 'default' })), {
      code: 400,
      reason: 'BadRequest',
      message: 'the name of the object (b) does not match the name on the URL (a)',
    });
    assert.deepEqual(statusOf(() => checkPatchedObjectIdentity({ metadata: { name: 'a', namespace: 'kube-system' } }, { name: 'a', namespace: 'default' })), {
      code: 400,
      reason: 'BadRequest',
      message: 'the namespace of the object (kube-system) does not match the namespace on the request (default)',
    });
    const obj: any = { metadata: { name: 'a' } };
    checkPatchedObjectIdentity(obj, { name: 'a', namespace: 'default' });
    assert.equal(obj.metadata.namespace, 'default');
    const cluster: any = { metadata: { name: 'n', namespace: 'x' } };
    checkPatchedObjectIdentity(cluster, { name: 'n', namespace: '' });
    assert.ok(!('namespace' in cluster.metadata));
  });
});

describe('keys named __proto__ are ordinary fields', () => {
  test('merge, strategic and JSON patches keep them as own members and never touch prototypes', () => {
    const doc = JSON.parse('{"metadata":{"labels":{"a":"1"}}}');
    const merged = applyMergePatch(doc, JSON.parse('{"metadata":{"labels":{"__proto__":{"polluted":true}}}}')) as any;
    assert.ok(Object.prototype.hasOwnProperty.call(merged.metadata.labels, '__proto__'));
    assert.equal(Object.getPrototypeOf(merged.metadata.labels), Object.prototype);
    const smp = applyStrategicMergePatch(doc, JSON.parse('{"metadata":{"labels":{"__proto__":"x"}}}'), deploymentSchema) as any;
    assert.equal(JSON.stringify(smp.metadata.labels), '{"a":"1","__proto__":"x"}');
    const jp = applyJsonPatch(doc, [{ op: 'add', path: '/metadata/labels/__proto__', value: { polluted: true } }]) as any;
    assert.equal(Object.getPrototypeOf(jp.metadata.labels), Object.prototype);
    assert.equal(({} as any).polluted, undefined);
  });
});
