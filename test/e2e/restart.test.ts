// Stop `kumo apiserver` and start it again on the same data directory: every object and
// resourceVersion, the CA and the admin kubeconfig, and ServiceAccount tokens keep working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectl, run, startApiServer, type TestApiServer } from '../helpers/apiserver.js';

test('state survives a restart on the same data directory', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kumo-restart-'));
  const servers: TestApiServer[] = [];
  t.after(async () => {
    for (const s of servers) await s.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const first = await startApiServer(undefined, { dataDir });
  servers.push(first);
  await kubectl(first, ['create', 'namespace', 'keep']);
  await kubectl(first, ['-n', 'keep', 'create', 'configmap', 'c', '--from-literal=k=v']);
  await kubectl(first, ['-n', 'keep', 'create', 'serviceaccount', 'bot']);
  await kubectl(first, ['create', 'clusterrolebinding', 'bot-view', '--clusterrole=view', '--serviceaccount=keep:bot']);
  const token = (await kubectl(first, ['-n', 'keep', 'create', 'token', 'bot'])).trim();
  const before = JSON.parse(await kubectl(first, ['-n', 'keep', 'get', 'configmap', 'c', '-o', 'json']));
  const kubeconfig = readFileSync(first.kubeconfig, 'utf8');
  const ca = readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8');
  await first.stop();

  const second = await startApiServer(undefined, { dataDir });
  servers.push(second);
  assert.equal(readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8'), ca, 'the CA is kept');
  const newConfig = readFileSync(second.kubeconfig, 'utf8');
  const tokenLine = (text: string) => /token: (\S+)/.exec(text)?.[1];
  assert.equal(tokenLine(newConfig), tokenLine(kubeconfig), 'the admin token is kept');

  const after = JSON.parse(await kubectl(second, ['-n', 'keep', 'get', 'configmap', 'c', '-o', 'json']));
  assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
  assert.equal(after.metadata.uid, before.metadata.uid);
  assert.deepEqual(after.data, { k: 'v' });
  // A new write continues the revision sequence.
  await kubectl(second, ['-n', 'keep', 'label', 'configmap', 'c', 'x=y']);
  const labelled = JSON.parse(await kubectl(second, ['-n', 'keep', 'get', 'configmap', 'c', '-o', 'json']));
  assert.ok(Number(labelled.metadata.resourceVersion) > Number(before.metadata.resourceVersion));

  // The ServiceAccount signing key is kept: the token minted before the restart still authenticates.
  const asBot = await run(second, 'kubectl', ['--token', token, '-n', 'keep', 'get', 'configmap', 'c', '-o', 'name']);
  assert.equal(asBot.code, 0, asBot.stderr);
  assert.equal(asBot.stdout.trim(), 'configmap/c');
});
