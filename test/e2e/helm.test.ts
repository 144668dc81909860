// helm v4 against `kumo apiserver`: the `helm create` chart through install, list, upgrade, history,
// rollback and uninstall (release records are protobuf-encoded Secrets; installs use server-side
// apply), and `helm install --wait`, whose watcher uses WatchList (sendInitialEvents).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubectl, run, startApiServer, type TestApiServer } from '../helpers/apiserver.js';

async function helm(server: TestApiServer, args: string[], cwd: string): Promise<string> {
  const r = await run(server, 'helm', args, { cwd, timeoutMs: 90_000 });
  if (r.code !== 0) throw new Error(`helm ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

const PLAIN_CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: plain\nversion: 0.1.0\n',
  'templates/all.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
data:
  greeting: {{ .Values.greeting | default "hello" | quote }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .Release.Name }}-sa
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-svc
spec:
  selector: {app: plain}
  ports:
  - port: 80
    targetPort: 8080
`,
};

test('helm against kumo apiserver', async (t) => {
  const server = await startApiServer(t);
  const work = join(server.dataDir, 'charts');
  mkdirSync(work, { recursive: true });

  await t.test('helm create, install, list, upgrade, history, rollback, uninstall', async () => {
    await helm(server, ['create', 'demo'], work);
    const installed = await helm(server, ['install', 'demo', './demo'], work);
    assert.match(installed, /STATUS: deployed\nREVISION: 1/);
    const list = JSON.parse(await helm(server, ['list', '-o', 'json'], work));
    assert.deepEqual(list.map((r: any) => [r.name, r.revision, r.status]), [['demo', '1', 'deployed']]);
    const deploy = JSON.parse(await kubectl(server, ['get', 'deployment', 'demo', '-o', 'json']));
    assert.equal(deploy.spec.replicas, 1);
    assert.equal(deploy.metadata.labels['app.kubernetes.io/managed-by'], 'Helm');
    assert.equal(deploy.metadata.annotations['meta.helm.sh/release-name'], 'demo');

    await helm(server, ['upgrade', 'demo', './demo', '--set', 'replicaCount=2'], work);
    assert.equal(JSON.parse(await kubectl(server, ['get', 'deployment', 'demo', '-o', 'json'])).spec.replicas, 2);
    const history = JSON.parse(await helm(server, ['history', 'demo', '-o', 'json'], work));
    assert.deepEqual(history.map((h: any) => [h.revision, h.status]), [[1, 'superseded'], [2, 'deployed']]);

    await helm(server, ['rollback', 'demo', '1'], work);
    assert.equal(JSON.parse(await kubectl(server, ['get', 'deployment', 'demo', '-o', 'json'])).spec.replicas, 1);
    const after = JSON.parse(await helm(server, ['history', 'demo', '-o', 'json'], work));
    assert.deepEqual(after.map((h: any) => [h.revision, h.status, h.description]).at(-1), [3, 'deployed', 'Rollback to 1']);
    // Release records are Secrets labelled owner=helm.
    const secrets = await kubectl(server, ['get', 'secrets', '-l', 'owner=helm,name=demo', '-o', 'name']);
    assert.deepEqual(secrets.trim().split('\n').sort(), ['secret/sh.helm.release.v1.demo.v1', 'secret/sh.helm.release.v1.demo.v2', 'secret/sh.helm.release.v1.demo.v3']);

    assert.match(await helm(server, ['uninstall', 'demo'], work), /release "demo" uninstalled/);
    assert.equal(JSON.parse(await helm(server, ['list', '-o', 'json'], work)).length, 0);
    const gone = await run(server, 'kubectl', ['get', 'deployment', 'demo']);
    assert.match(gone.stderr, /NotFound/);
  });

  await t.test('helm install --wait of ConfigMaps, Services and ServiceAccounts', async () => {
    const chart = join(work, 'plain');
    for (const [file, text] of Object.entries(PLAIN_CHART)) {
      mkdirSync(join(chart, file, '..'), { recursive: true });
      writeFileSync(join(chart, file), text);
    }
    const out = await helm(server, ['install', 'plain', './plain', '--wait', '--timeout', '60s', '--set', 'greeting=hi'], work);
    assert.match(out, /STATUS: deployed/);
    assert.equal(JSON.parse(await kubectl(server, ['get', 'configmap', 'plain-config', '-o', 'json'])).data.greeting, 'hi');
    await kubectl(server, ['get', 'serviceaccount', 'plain-sa']);
    const svc = JSON.parse(await kubectl(server, ['get', 'service', 'plain-svc', '-o', 'json']));
    assert.match(svc.spec.clusterIP, /^\d+\.\d+\.\d+\.\d+$/);
    assert.match(await helm(server, ['status', 'plain'], work), /STATUS: deployed/);
    assert.match(await helm(server, ['uninstall', 'plain', '--wait', '--timeout', '60s'], work), /release "plain" uninstalled/);
    const gone = await run(server, 'kubectl', ['get', 'configmap', 'plain-config']);
    assert.match(gone.stderr, /NotFound/);
  });
});
