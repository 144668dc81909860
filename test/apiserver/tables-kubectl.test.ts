// kubectl 1.33 against `kumo apiserver`: what `kubectl get` prints comes from Kumo's server-side
// Tables, and selector and validation errors reach the user in upstream's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, run, startApiServer } from '../helpers/apiserver.js';

/** Rows of kubectl's table output, split on runs of two or more spaces. */
function rows(out: string): string[][] {
  return out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));
}

test('kubectl get prints server-side tables; selectors and validation answer like upstream', async (t) => {
  const server = await startApiServer(t, { storage: 'memory' });
  await kubectl(server, ['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
  await kubectl(server, ['create', 'service', 'clusterip', 'web', '--tcp=80:8080']);
  await kubectl(server, ['run', 'p1', '--image=busybox:1.36', '--labels=app=x']);
  // The deployment controller runs in every `kumo apiserver`: with no nodes its pods stay Pending,
  // so wait for it to have created them before reading the columns.
  await kubectl(server, ['wait', '--for=jsonpath={.status.updatedReplicas}=2', 'deployment/web', '--timeout=30s']);

  await t.test('deployments, services and pods have their columns', async () => {
    const deploy = rows(await kubectl(server, ['get', 'deployments']));
    assert.deepEqual(deploy[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    assert.deepEqual(deploy[1].slice(0, 4), ['web', '0/2', '2', '0']);
    assert.match(deploy[1][4], /^\d+s$/);

    const wide = rows(await kubectl(server, ['get', 'deployments', '-o', 'wide']));
    assert.deepEqual(wide[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    assert.deepEqual(wide[1].slice(5), ['nginx', 'nginx', 'app=web']);

    const svc = rows(await kubectl(server, ['get', 'services', 'web']));
    assert.deepEqual(svc[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    assert.equal(svc[1][1], 'ClusterIP');
    assert.equal(svc[1][3], '<none>');
    assert.equal(svc[1][4], '80/TCP');

    const pods = rows(await kubectl(server, ['get', 'pods', '-o', 'wide']));
    assert.deepEqual(pods[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    assert.deepEqual([pods[1][0], pods[1][1], pods[1][3]], ['p1', '0/1', '0']);
  });

  await t.test('kinds without printer columns show Created At', async () => {
    const roles = rows(await kubectl(server, ['get', 'roles', '-n', 'kube-system']));
    assert.deepEqual(roles[0], ['NAME', 'CREATED AT']);
    assert.match(roles[1][1], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  await t.test('selectors filter, and bad ones get upstream errors', async () => {
    assert.match(await kubectl(server, ['get', 'pods', '-l', 'app in (x,y)', '--no-headers']), /^p1\s/);
    const none = await run(server, 'kubectl', ['get', 'pods', '-l', '!app']);
    assert.match(none.stderr, /No resources found/);
    assert.match(await kubectl(server, ['get', 'pods', '--field-selector', 'status.phase!=Running', '--no-headers']), /^p1\s/);
    const badField = await run(server, 'kubectl', ['get', 'pods', '--field-selector', 'spec.foo=x']);
    assert.notEqual(badField.code, 0);
    assert.match(badField.stderr, /field label not supported: spec\.foo/);
    const badLabel = await run(server, 'kubectl', ['get', 'pods', '-l', 'app=-bad']);
    assert.match(badLabel.stderr, /unable to parse requirement: values\[0\]\[app\]: Invalid value: "-bad": a valid label must be an empty string/);
  });

  await t.test('validation errors reach kubectl in upstream words', async () => {
    const badName = await run(server, 'kubectl', ['create', 'deployment', 'Bad_Name', '--image=nginx']);
    assert.match(badName.stderr, /Deployment\.apps "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/);
    const badCron = await run(server, 'kubectl', ['create', 'cronjob', 'c1', '--image=busybox', '--schedule=61 * * * *']);
    assert.match(badCron.stderr, /CronJob\.batch "c1" is invalid: spec\.schedule: Invalid value: "61 \* \* \* \*": end of range \(61\) above maximum \(59\): 61/);
  });

  await t.test('defaults are stored', async () => {
    const d = JSON.parse(await kubectl(server, ['get', 'deployment', 'web', '-o', 'json']));
    assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, 'Always');
    const p = JSON.parse(await kubectl(server, ['get', 'pod', 'p1', '-o', 'json']));
    assert.equal(p.spec.enableServiceLinks, true);
    assert.equal(p.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  });
});
