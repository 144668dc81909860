// kubectl 1.33 against `kumo apiserver`: server-side apply (managedFields, conflicts, force),
// client-side apply's strategic merge patches, and a failing JSON patch, as a user sees them.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, run, startApiServer, type TestApiServer } from '../helpers/apiserver.js';

const localKubectl = join(REPO_ROOT, '.tools', 'bin', 'kubectl');
const kubectlBin = existsSync(localKubectl) ? localKubectl : 'kubectl';

const deployment = (replicas: number, image = 'nginx:1.25') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{containerPort: 80}]
`;

describe('kubectl apply against kumo apiserver', () => {
  let server: TestApiServer;
  const kubectl = (...args: string[]) => run(server, kubectlBin, args);
  const file = (name: string, text: string) => {
    const path = join(server.dataDir, name);
    writeFileSync(path, text);
    return path;
  };
  const getJson = async (...args: string[]) => {
    const r = await kubectl('get', ...args, '-o', 'json', '--show-managed-fields');
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };

  before(async () => {
    server = await startApiServer(undefined, { storage: 'memory' });
  });
  after(async () => {
    await server?.stop();
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
  });

  test('server-side apply records kubectl as owner, conflicts name the other manager, --force-conflicts takes over', async () => {
    const applied = await kubectl('apply', '--server-side', '-f', file('d1.yaml', deployment(2)));
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /deployment.apps\/web serverside-applied/);
    const d = await getJson('deploy', 'web');
    const entry = d.metadata.managedFields.find((e: { manager: string }) => e.manager === 'kubectl');
    assert.equal(entry.operation, 'Apply');
    assert.equal(
      JSON.stringify(entry.fieldsV1),
      '{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},' +
        '"f:spec":{"f:containers":{"k:{\\"name\\":\\"web\\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}',
    );

    const conflict = await kubectl('apply', '--server-side', '--field-manager', 'ops', '-f', file('d2.yaml', deployment(5)));
    assert.equal(conflict.code, 1);
    assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas/);

    const forced = await kubectl('apply', '--server-side', '--field-manager', 'ops', '--force-conflicts', '-f', file('d2.yaml', deployment(5)));
    assert.equal(forced.code, 0, forced.stderr);
    const after = await getJson('deploy', 'web');
    assert.equal(after.spec.replicas, 5);
    const owners = Object.fromEntries(after.metadata.managedFields.map((e: { manager: string; fieldsV1: { 'f:spec'?: object } }) => [e.manager, Object.keys(e.fieldsV1['f:spec'] ?? {})]));
    assert.ok(!owners.kubectl.includes('f:replicas'), 'kubectl lost .spec.replicas');
    assert.ok(owners.ops.includes('f:replicas'), 'ops owns .spec.replicas');
  });

  test('client-side apply: create, then re-apply without a key and with a changed label', async () => {
    const cm = (data: string, tier: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: default, labels: {tier: ${tier}}}\ndata: {${data}}\n`;
    const created = await kubectl('apply', '-f', file('cm.yaml', cm('a: "1", b: "2"', 'front')));
    assert.equal(created.code, 0, created.stderr);
    const first = await getJson('cm', 'settings');
    assert.deepEqual(
      first.metadata.managedFields.map((e: { manager: string; operation: string }) => [e.manager, e.operation]),
      [['kubectl-client-side-apply', 'Update']],
    );
    const again = await kubectl('apply', '-f', file('cm.yaml', cm('a: "3"', 'back')));
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /configmap\/settings configured/);
    const second = await getJson('cm', 'settings');
    assert.deepEqual(second.data, { a: '3' });
    assert.deepEqual(second.metadata.labels, { tier: 'back' });
    assert.equal(JSON.parse(second.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).data.a, '3');
  });

  test('a JSON patch whose test fails is refused with upstream message', async () => {
    const r = await kubectl('patch', 'deploy', 'web', '--type', 'json', '-p', '[{"op":"test","path":"/spec/replicas","value":99}]');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /The request is invalid: the server rejected our request due to an error in our request/);
  });
});
