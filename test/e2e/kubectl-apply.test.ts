// kubectl apply on `kumo apiserver`, with validation on (no --validate=false): client-side apply of a
// multi-document manifest and its re-apply (strategic merge patch), diff, and server-side apply with a
// conflict resolved by --force-conflicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, run, startApiServer } from '../helpers/apiserver.js';

const manifest = (mode: string, replicas: number, image: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  mode: ${mode}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
      - name: main
        image: ${image}
        env:
        - {name: A, value: "1"}
---
apiVersion: v1
kind: Service
metadata:
  name: app
spec:
  selector: {app: app}
  ports:
  - port: 80
`;

test('kubectl apply, diff and server-side apply', async (t) => {
  const server = await startApiServer(t);
  const get = async (args: string[]) => JSON.parse(await kubectl(server, ['get', ...args, '-o', 'json']));

  await t.test('apply -f creates every document, re-apply patches what changed', async () => {
    const first = await kubectl(server, ['apply', '-f', '-'], { input: manifest('blue', 2, 'nginx:1.26') });
    assert.match(first, /configmap\/app-config created\ndeployment\.apps\/app created\nservice\/app created/);
    const d1 = await get(['deployment', 'app']);
    assert.ok(d1.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    // Something else changes a field the manifest does not own: the strategic merge keeps it.
    await kubectl(server, ['patch', 'deployment', 'app', '--type', 'merge', '-p', '{"spec":{"minReadySeconds":7}}']);

    const diff = await run(server, 'kubectl', ['diff', '-f', '-'], { input: manifest('green', 3, 'nginx:1.27') });
    assert.equal(diff.code, 1, diff.stderr); // 1: differences found
    assert.match(diff.stdout, /^-\s+mode: blue$/m);
    assert.match(diff.stdout, /^\+\s+mode: green$/m);
    assert.match(diff.stdout, /^\+\s+replicas: 3$/m);
    // diff is a dry run: nothing changed.
    assert.equal((await get(['configmap', 'app-config'])).data.mode, 'blue');

    const second = await kubectl(server, ['apply', '-f', '-'], { input: manifest('green', 3, 'nginx:1.27') });
    assert.match(second, /configmap\/app-config configured\ndeployment\.apps\/app configured\nservice\/app unchanged/);
    const d2 = await get(['deployment', 'app']);
    assert.equal(d2.spec.replicas, 3);
    assert.equal(d2.spec.template.spec.containers[0].image, 'nginx:1.27');
    assert.deepEqual(d2.spec.template.spec.containers[0].env, [{ name: 'A', value: '1' }]);
    assert.equal(d2.spec.minReadySeconds, 7);
    assert.equal(d2.metadata.generation, d1.metadata.generation + 2);
    assert.equal((await get(['configmap', 'app-config'])).data.mode, 'green');
  });

  await t.test('apply --server-side reports conflicts, --force-conflicts takes the fields over', async () => {
    const conflict = await run(server, 'kubectl', ['apply', '--server-side', '--field-manager=ops', '-f', '-'], { input: manifest('red', 5, 'nginx:1.28') });
    assert.notEqual(conflict.code, 0);
    assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: \.data\.mode/);
    assert.match(conflict.stderr, /conflicts with "kubectl-client-side-apply" using apps\/v1:\n- \.spec\.replicas\n- \.spec\.template\.spec\.containers\[name="main"\]\.image/);
    assert.equal((await get(['configmap', 'app-config'])).data.mode, 'green');

    const forced = await kubectl(server, ['apply', '--server-side', '--field-manager=ops', '--force-conflicts', '-f', '-'], { input: manifest('red', 5, 'nginx:1.28') });
    assert.match(forced, /deployment\.apps\/app serverside-applied/);
    const d = await get(['deployment', 'app', '--show-managed-fields']);
    assert.equal(d.spec.replicas, 5);
    assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.28');
    const managers = d.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`);
    assert.ok(managers.includes('ops/Apply'), managers.join(','));

    // A new object applied server-side is created by the PATCH.
    const created = await kubectl(server, ['apply', '--server-side', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-new\ndata:\n  k: v\n' });
    assert.match(created, /configmap\/ssa-new serverside-applied/);
    assert.equal((await get(['configmap', 'ssa-new'])).data.k, 'v');
  });

  await t.test('unknown fields are refused under kubectl\'s strict validation', async () => {
    const bad = await run(server, 'kubectl', ['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\nspec:\n  x: 1\n' });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /unknown field "spec"/);
    const missing = await run(server, 'kubectl', ['get', 'configmap', 'typo']);
    assert.match(missing.stderr, /NotFound/);
  });
});
