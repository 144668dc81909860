// kubectl creating, reading, changing, watching and deleting objects on `kumo apiserver`.
// `kubectl create <kind>` sends protobuf bodies; label/annotate/patch/scale send patches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { kubectl, run, startApiServer, type TestApiServer } from '../helpers/apiserver.js';

async function json(server: TestApiServer, args: string[]): Promise<any> {
  return JSON.parse(await kubectl(server, [...args, '-o', 'json']));
}

test('kubectl object lifecycle against kumo apiserver', async (t) => {
  const server = await startApiServer(t);

  await t.test('create namespace, deployment, configmap, secret and service (protobuf bodies)', async () => {
    assert.match(await kubectl(server, ['create', 'namespace', 'shop']), /namespace\/shop created/);
    await kubectl(server, ['-n', 'shop', 'create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2']);
    await kubectl(server, ['-n', 'shop', 'create', 'configmap', 'settings', '--from-literal=color=blue']);
    await kubectl(server, ['-n', 'shop', 'create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret']);
    await kubectl(server, ['-n', 'shop', 'create', 'service', 'clusterip', 'web', '--tcp=80:8080']);

    const deploy = await json(server, ['-n', 'shop', 'get', 'deployment', 'web']);
    assert.equal(deploy.spec.replicas, 2);
    assert.equal(deploy.spec.template.spec.containers[0].image, 'nginx:1.27');
    assert.equal(deploy.metadata.generation, 1);
    assert.match(deploy.metadata.uid, /^[0-9a-f-]{36}$/);
    // Defaults applied by the server, as upstream does.
    assert.equal(deploy.spec.strategy.type, 'RollingUpdate');
    assert.equal(deploy.spec.revisionHistoryLimit, 10);
    const secret = await json(server, ['-n', 'shop', 'get', 'secret', 'creds']);
    assert.equal(Buffer.from(secret.data.password, 'base64').toString(), 's3cret');
    assert.equal(secret.type, 'Opaque');
    const svc = await json(server, ['-n', 'shop', 'get', 'service', 'web']);
    assert.equal(svc.spec.ports[0].targetPort, 8080);
    const dup = await run(server, 'kubectl', ['-n', 'shop', 'create', 'configmap', 'settings']);
    assert.notEqual(dup.code, 0);
    assert.match(dup.stderr, /configmaps "settings" already exists/);
  });

  await t.test('get with -o json, yaml, wide, custom-columns and jsonpath', async () => {
    const list = await json(server, ['-n', 'shop', 'get', 'configmaps']);
    assert.equal(list.kind, 'List');
    // kube-root-ca.crt appears in every namespace once the root CA publisher runs.
    assert.deepEqual(list.items.map((i: any) => i.metadata.name).filter((n: string) => n !== 'kube-root-ca.crt'), ['settings']);
    const yaml = await kubectl(server, ['-n', 'shop', 'get', 'configmap', 'settings', '-o', 'yaml']);
    assert.match(yaml, /^ {2}color: blue$/m);
    const wide = await kubectl(server, ['-n', 'shop', 'get', 'deployment', 'web', '-o', 'wide']);
    assert.match(wide, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m);
    // UP-TO-DATE follows the deployment controller (0 or 2 by now); with no nodes nothing is ready.
    assert.match(wide, /^web\s+0\/2\s+[02]\s+0\s+\S+\s+nginx\s+nginx:1\.27\s+app=web$/m);
    const cols = await kubectl(server, ['-n', 'shop', 'get', 'services', '-o', 'custom-columns=NAME:.metadata.name,PORT:.spec.ports[0].port']);
    assert.match(cols, /^NAME\s+PORT\nweb\s+80\n$/);
    const path = await kubectl(server, ['-n', 'shop', 'get', 'deployment', 'web', '-o', 'jsonpath={.spec.selector.matchLabels.app}']);
    assert.equal(path, 'web');
    const table = await kubectl(server, ['get', 'namespaces']);
    assert.match(table, /^NAME\s+STATUS\s+AGE$/m);
    assert.match(table, /^kube-system\s+Active\s+/m);
  });

  await t.test('label, annotate, patch (json, merge, strategic) and scale', async () => {
    await kubectl(server, ['-n', 'shop', 'label', 'deployment', 'web', 'tier=frontend']);
    await kubectl(server, ['-n', 'shop', 'annotate', 'deployment', 'web', 'owner=team-a']);
    await kubectl(server, ['-n', 'shop', 'patch', 'deployment', 'web', '--type', 'json', '-p', '[{"op":"add","path":"/spec/minReadySeconds","value":5}]']);
    await kubectl(server, ['-n', 'shop', 'patch', 'deployment', 'web', '--type', 'merge', '-p', '{"spec":{"paused":true}}']);
    // Strategic merge: the container list merges by name, so the second container is added, not replacing.
    await kubectl(server, ['-n', 'shop', 'patch', 'deployment', 'web', '--type', 'strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}']);
    await kubectl(server, ['-n', 'shop', 'scale', 'deployment', 'web', '--replicas=5']);
    const d = await json(server, ['-n', 'shop', 'get', 'deployment', 'web']);
    assert.equal(d.metadata.labels.tier, 'frontend');
    assert.equal(d.metadata.annotations.owner, 'team-a');
    assert.equal(d.spec.minReadySeconds, 5);
    assert.equal(d.spec.paused, true);
    assert.deepEqual(d.spec.template.spec.containers.map((c: any) => c.name).sort(), ['nginx', 'sidecar']);
    assert.equal(d.spec.replicas, 5);
    assert.ok(d.metadata.generation >= 5, `generation ${d.metadata.generation}`);
    const badPatch = await run(server, 'kubectl', ['-n', 'shop', 'patch', 'deployment', 'web', '--type', 'json', '-p', '[{"op":"remove","path":"/spec/nope"}]']);
    assert.notEqual(badPatch.code, 0);
    assert.match(badPatch.stderr, /The request is invalid/);
  });

  await t.test('logs: container choice and an unscheduled pod in upstream\'s words', async () => {
    await kubectl(server, ['-n', 'shop', 'apply', '-f', '-'], {
      input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: two}\nspec:\n  containers: [{name: app, image: "nginx"}, {name: side, image: "busybox"}]\n',
    });
    const noHost = await run(server, 'kubectl', ['-n', 'shop', 'logs', 'two', '-c', 'app']);
    assert.match(noHost.stderr, /Error from server \(BadRequest\): pod two does not have a host assigned/);
    const which = await run(server, 'kubectl', ['-n', 'shop', 'get', '--raw', '/api/v1/namespaces/shop/pods/two/log']);
    assert.match(which.stderr, /a container name must be specified for pod two, choose one of: \[app side\]/);
    const bad = await run(server, 'kubectl', ['-n', 'shop', 'logs', 'two', '-c', 'nope']);
    assert.match(bad.stderr, /container nope is not valid for pod two/);
  });

  await t.test('get -w sees ADDED, MODIFIED and DELETED', async () => {
    const watcher = spawn('kubectl', ['-n', 'shop', 'get', 'configmaps', '-w', '--output-watch-events', '--request-timeout=0'], { env: server.env });
    t.after(() => watcher.kill('SIGKILL'));
    let out = '';
    watcher.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const waitFor = async (re: RegExp) => {
      const deadline = Date.now() + 20_000;
      while (!re.test(out)) {
        if (Date.now() > deadline) assert.fail(`watch output never matched ${re}:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitFor(/ADDED\s+settings/);
    await kubectl(server, ['-n', 'shop', 'create', 'configmap', 'watched']);
    await waitFor(/ADDED\s+watched/);
    await kubectl(server, ['-n', 'shop', 'label', 'configmap', 'watched', 'x=y']);
    await waitFor(/MODIFIED\s+watched/);
    await kubectl(server, ['-n', 'shop', 'delete', 'configmap', 'watched']);
    await waitFor(/DELETED\s+watched/);
    watcher.kill('SIGTERM');
  });

  await t.test('delete with each --cascade mode, and wait --for=delete', async () => {
    for (const name of ['fg', 'orphan']) await kubectl(server, ['-n', 'shop', 'create', 'configmap', name]);
    // A finalizer holds the object while `kubectl wait` starts watching it; removing it completes the deletion.
    await kubectl(server, ['-n', 'shop', 'apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bg\n  finalizers: [example.com/hold]\n' });
    await kubectl(server, ['-n', 'shop', 'delete', 'configmap', 'bg', '--cascade=background', '--wait=false']);
    const waiter = spawn('kubectl', ['-n', 'shop', 'wait', '--for=delete', 'configmap/bg', '--timeout=30s', '-v=6'], { env: server.env });
    t.after(() => waiter.kill('SIGKILL'));
    let waitOut = '';
    let waitErr = '';
    waiter.stdout.on('data', (c: Buffer) => (waitOut += c.toString()));
    waiter.stderr.on('data', (c: Buffer) => (waitErr += c.toString()));
    const exited = new Promise<number | null>((resolve) => waiter.once('close', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!/watch=true/.test(waitErr)) {
      if (Date.now() > deadline) assert.fail(`kubectl wait never started watching:\n${waitErr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await kubectl(server, ['-n', 'shop', 'patch', 'configmap', 'bg', '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    assert.equal(await exited, 0, waitErr);
    assert.match(waitOut, /configmap\/bg condition met/);
    const gone = await run(server, 'kubectl', ['-n', 'shop', 'get', 'configmap', 'bg']);
    assert.match(gone.stderr, /NotFound/);

    // Foreground and orphan deletion hand the object to the garbage collector behind a finalizer;
    // with nothing depending on it, the collector (when it runs) then removes it.
    for (const [name, cascade, finalizer] of [['fg', 'foreground', 'foregroundDeletion'], ['orphan', 'orphan', 'orphan']]) {
      await kubectl(server, ['-n', 'shop', 'delete', 'configmap', name, `--cascade=${cascade}`, '--wait=false']);
      const r = await run(server, 'kubectl', ['-n', 'shop', 'get', 'configmap', name, '-o', 'json']);
      if (r.code === 0) {
        const obj = JSON.parse(r.stdout);
        assert.ok(obj.metadata.deletionTimestamp, `${name} is terminating`);
        assert.deepEqual(obj.metadata.finalizers, [finalizer]);
      } else {
        assert.match(r.stderr, /NotFound/);
      }
    }
  });
});
