import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, exists, startCluster } from './cluster-fixture.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

describe('service accounts and the root CA publisher', () => {
  test('a new namespace gets the default ServiceAccount, recreated when deleted', async (t) => {
    const { client } = await startCluster(t, { only: ['serviceaccount-controller'] });
    const sas = client.resource('', 'v1', 'serviceaccounts');
    await eventually(() => exists(() => sas.get('kube-system', 'default')), 'default SA in kube-system');
    await client.resource('', 'v1', 'namespaces').create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    const first = await eventually(async () => (await exists(() => sas.get('team-a', 'default'))) && sas.get('team-a', 'default'), 'default SA in team-a');
    await sas.delete('team-a', 'default');
    const second = await eventually(async () => {
      const sa = (await exists(() => sas.get('team-a', 'default'))) ? await sas.get('team-a', 'default') : undefined;
      return sa && (sa.metadata as any).uid !== (first.metadata as any).uid ? sa : undefined;
    }, 'default SA recreated');
    assert.equal((second.metadata as any).name, 'default');
  });

  test('every namespace gets kube-root-ca.crt with the CA; edits are put back', async (t) => {
    const { client } = await startCluster(t, { only: ['root-ca-cert-publisher'], rootCaPem: PEM });
    const cms = client.resource('', 'v1', 'configmaps');
    await client.resource('', 'v1', 'namespaces').create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b' } });
    const cm = await eventually(async () => (await exists(() => cms.get('team-b', 'kube-root-ca.crt'))) && cms.get('team-b', 'kube-root-ca.crt'), 'the CA ConfigMap');
    assert.deepEqual(cm.data, { 'ca.crt': PEM });
    assert.match((cm.metadata as any).annotations['kubernetes.io/description'], /^Contains a CA bundle/);
    await cms.update('team-b', { ...cm, data: { 'ca.crt': 'tampered' } });
    await eventually(async () => ((await cms.get('team-b', 'kube-root-ca.crt')).data as any)['ca.crt'] === PEM, 'the CA restored');
    await cms.delete('team-b', 'kube-root-ca.crt');
    await eventually(async () => (await exists(() => cms.get('team-b', 'kube-root-ca.crt'))), 'the CA ConfigMap recreated');
    assert.ok(await exists(() => cms.get('kube-public', 'kube-root-ca.crt')));
  });
});
