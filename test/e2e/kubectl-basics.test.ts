// kubectl against `kumo apiserver`: version, health, discovery. No extra flags: TLS is verified with
// the kubeconfig's CA and the admin token authenticates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { kubectl, run, startApiServer } from '../helpers/apiserver.js';

test('kubectl talks to kumo apiserver over verified TLS', async (t) => {
  const server = await startApiServer(t, { storage: 'memory' });

  await t.test('version reports the emulated Kubernetes version', async () => {
    const out = JSON.parse(await kubectl(server, ['version', '-o', 'json']));
    assert.equal(out.serverVersion.gitVersion, 'v1.33.0');
    assert.equal(out.serverVersion.major, '1');
    assert.equal(out.serverVersion.minor, '33');
  });

  await t.test('health endpoints answer ok, and verbose lists the checks', async () => {
    assert.equal(await kubectl(server, ['get', '--raw', '/livez']), 'ok');
    const verbose = await kubectl(server, ['get', '--raw', '/readyz?verbose']);
    assert.match(verbose, /^\[\+\]ping ok$/m);
    assert.match(verbose, /^\[\+\]etcd ok$/m);
    assert.match(verbose, /readyz check passed/);
    assert.equal(await kubectl(server, ['get', '--raw', '/healthz/etcd']), 'ok');
  });

  await t.test('api-resources lists built-in kinds with scope and short names', async () => {
    const out = await kubectl(server, ['api-resources', '--no-headers']);
    const rows = out.trim().split('\n').map((l) => l.trim().split(/\s+/));
    const deployments = rows.find((r) => r[0] === 'deployments');
    assert.deepEqual(deployments, ['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    const namespaces = rows.find((r) => r[0] === 'namespaces');
    assert.deepEqual(namespaces, ['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    const groups = await kubectl(server, ['api-versions']);
    assert.match(groups, /^autoscaling\/v2$/m);
    assert.match(groups, /^rbac\.authorization\.k8s\.io\/v1$/m);
  });

  await t.test('legacy discovery documents are served too', async () => {
    const v1 = JSON.parse(await kubectl(server, ['get', '--raw', '/api/v1']));
    assert.equal(v1.kind, 'APIResourceList');
    const eviction = v1.resources.find((r: { name: string }) => r.name === 'pods/eviction');
    assert.deepEqual({ group: eviction.group, version: eviction.version, kind: eviction.kind }, { group: 'policy', version: 'v1', kind: 'Eviction' });
    const autoscaling = JSON.parse(await kubectl(server, ['get', '--raw', '/apis/autoscaling']));
    assert.equal(autoscaling.preferredVersion.version, 'v2');
  });

  await t.test('explain reads the OpenAPI v3 documents', async () => {
    const out = await kubectl(server, ['explain', 'deployment.spec.strategy']);
    assert.match(out, /KIND:\s+Deployment/);
    assert.match(out, /FIELD: strategy <DeploymentStrategy>/);
    assert.match(out, /rollingUpdate\s+<RollingUpdateDeployment>/);
    const index = JSON.parse(await kubectl(server, ['get', '--raw', '/openapi/v3']));
    assert.match(index.paths['apis/apps/v1'].serverRelativeURL, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/);
  });

  await t.test('metrics.k8s.io serves empty lists until nodes report usage', async () => {
    const nodes = JSON.parse(await kubectl(server, ['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']));
    assert.deepEqual([nodes.kind, nodes.items], ['NodeMetricsList', []]);
    const pods = JSON.parse(await kubectl(server, ['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods']));
    assert.deepEqual([pods.kind, pods.items], ['PodMetricsList', []]);
  });

  await t.test('a TokenReview of the admin token', async () => {
    const token = /token: (\S+)/.exec(readFileSync(server.kubeconfig, 'utf8'))![1];
    const review = JSON.parse(
      await kubectl(server, ['create', '--raw', '/apis/authentication.k8s.io/v1/tokenreviews', '-f', '-'], {
        input: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }),
      }),
    );
    assert.equal(review.status.authenticated, true);
    assert.equal(review.status.user.username, 'kubernetes-admin');
  });

  await t.test('a wrong token gets 401 and unknown paths a NotFound Status', async () => {
    const bad = await run(server, 'kubectl', ['--token', 'nope', 'get', '--raw', '/api']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Unauthorized/);
    const missing = await run(server, 'kubectl', ['get', '--raw', '/no/such/path']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /the server could not find the requested resource/);
  });
});
