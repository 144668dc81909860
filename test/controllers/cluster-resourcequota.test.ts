import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { registryAdmissionLookup } from '../../src/apiserver/admission/lookup.js';
import { ResourceQuotaAdmission } from '../../src/apiserver/admission/resourcequota/plugin.js';
import { catalog, eventually, pod, startCluster } from './cluster-fixture.js';

const withResources = (name: string, requests: Record<string, string>, limits: Record<string, string> = requests) =>
  ({ ...pod(name, {}), spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests, limits } }] } });

describe('resource quota controller', () => {
  test('status.hard and status.used follow the namespace\'s objects', async (t) => {
    const { client } = await startCluster(t, { only: ['resourcequota-controller'] });
    const quotas = client.resource('', 'v1', 'resourcequotas');
    const pods = client.resource('', 'v1', 'pods');
    await client.resource('', 'v1', 'configmaps').create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } });
    await pods.create('default', withResources('a', { cpu: '500m', memory: '128Mi' }));
    await pods.create('default', withResources('b', { cpu: '1', memory: '256Mi' }, { cpu: '2', memory: '256Mi' }));
    await client.resource('', 'v1', 'services').create('default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }], selector: { a: 'b' } } });
    await quotas.create('default', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute' },
      spec: { hard: { pods: '10', 'requests.cpu': '4', 'requests.memory': '1Gi', 'limits.cpu': '8', configmaps: '5', 'count/configmaps': '5', services: '3', 'services.nodeports': '4', 'count/deployments.apps': '2' } },
    });
    const q = await eventually(async () => {
      const x = await quotas.get('default', 'compute');
      return (x.status as any)?.used ? x : undefined;
    }, 'quota status');
    assert.deepEqual((q.status as any).hard, { configmaps: '5', 'count/configmaps': '5', 'count/deployments.apps': '2', 'limits.cpu': '8', pods: '10', 'requests.cpu': '4', 'requests.memory': '1Gi', services: '3', 'services.nodeports': '4' });
    // kube-root-ca.crt is not there (its publisher is not running): one ConfigMap.
    assert.deepEqual((q.status as any).used, { configmaps: '1', 'count/configmaps': '1', 'count/deployments.apps': '0', 'limits.cpu': '2500m', pods: '2', 'requests.cpu': '1500m', 'requests.memory': '384Mi', services: '1', 'services.nodeports': '2' });

    // A finished pod stops counting; a deleted ConfigMap too.
    const b = structuredClone(await pods.get('default', 'b')) as any;
    b.status = { phase: 'Succeeded' };
    await pods.updateStatus('default', b);
    await client.resource('', 'v1', 'configmaps').delete('default', 'one');
    await eventually(async () => {
      const used = ((await quotas.get('default', 'compute')).status as any).used;
      return used.pods === '1' && used['requests.cpu'] === '500m' && used.configmaps === '0';
    }, 'usage released');

    // Kinds counted by count/<resource>.<group> are watched too once a quota names them.
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
    await client.resource('apps', 'v1', 'deployments').create('default', deployment);
    await eventually(async () => ((await quotas.get('default', 'compute')).status as any).used['count/deployments.apps'] === '1', 'deployments counted');
  });

  test('with the admission plugin: measured usage, an exact rejection, and the charge kept by the next sync', async (t) => {
    const { client, registry, clock } = await startCluster(t, { only: ['resourcequota-controller'] });
    const quotas = client.resource('', 'v1', 'resourcequotas');
    const pods = client.resource('', 'v1', 'pods');
    await pods.create('default', withResources('first', { cpu: '1' }));
    await quotas.create('default', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute' }, spec: { hard: { 'requests.cpu': '2', 'limits.cpu': '2' } } });
    await eventually(async () => ((await quotas.get('default', 'compute')).status as any)?.used?.['requests.cpu'] === '1', 'usage measured');

    const plugin = new ResourceQuotaAdmission();
    const lookup = registryAdmissionLookup(registry, catalog, clock);
    const admit = (p: Record<string, unknown>) =>
      plugin.validate({ operation: 'CREATE', resource: catalog.resource('', 'v1', 'pods')!, namespace: 'default', name: String((p.metadata as any).name), object: p, user: { username: 'u', groups: [] }, dryRun: false }, lookup);
    await assert.rejects(admit(withResources('big', { cpu: '2' })), { code: 403, message: 'pods "big" is forbidden: exceeded quota: compute, requested: limits.cpu=2,requests.cpu=2, used: limits.cpu=1,requests.cpu=1, limited: limits.cpu=2,requests.cpu=2' });
    const second = withResources('second', { cpu: '1' });
    await admit(second);
    assert.equal(((await quotas.get('default', 'compute')).status as any).used['requests.cpu'], '2');
    await pods.create('default', second);
    await assert.rejects(admit(withResources('third', { cpu: '100m' })), /exceeded quota: compute, requested: limits.cpu=100m,requests.cpu=100m, used: limits.cpu=2,requests.cpu=2, limited: limits.cpu=2,requests.cpu=2$/);
    const q = await quotas.get('default', 'compute');
    assert.deepEqual((q.status as any).used, { 'limits.cpu': '2', 'requests.cpu': '2' });
  });
});
