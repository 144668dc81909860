import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultAdmissionPlugins } from '../../src/apiserver/admission/plugins.js';
import { runAdmission } from '../../src/apiserver/admission/types.js';
import { attrs, podWith, startAdmissionRegistry } from './admission-fixture.js';

describe('the default admission chain', () => {
  test('LimitRanger defaults let a bare pod pass a cpu quota, which is charged the defaults', async (t) => {
    const { client, lookup } = await startAdmissionRegistry(t);
    await client.resource('', 'v1', 'limitranges').create('default', { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '200m' } }] } });
    const quotas = client.resource('', 'v1', 'resourcequotas');
    const q = await quotas.create('default', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute' }, spec: { hard: { 'requests.cpu': '1', 'limits.cpu': '1' } } });
    await quotas.updateStatus('default', { ...q, status: { hard: { 'requests.cpu': '1', 'limits.cpu': '1' }, used: { 'requests.cpu': '0', 'limits.cpu': '0' } } });
    const plugins = defaultAdmissionPlugins();
    const pod = podWith('bare');
    await runAdmission(plugins, attrs('CREATE', '', 'pods', 'default', pod), lookup);
    assert.deepEqual((pod.spec as any).containers[0].resources, { limits: { cpu: '500m' }, requests: { cpu: '200m' } });
    assert.equal(((pod.spec as any).tolerations as any[]).length, 2);
    assert.deepEqual(((await quotas.get('default', 'compute')).status as any).used, { 'limits.cpu': '500m', 'requests.cpu': '200m' });
    await runAdmission(plugins, attrs('CREATE', '', 'pods', 'default', podWith('second')), lookup);
    await assert.rejects(runAdmission(plugins, attrs('CREATE', '', 'pods', 'default', podWith('third')), lookup), {
      message: 'pods "third" is forbidden: exceeded quota: compute, requested: limits.cpu=500m, used: limits.cpu=1, limited: limits.cpu=1',
    });
  });
});

describe('the admission chain installed in the registry', () => {
  test('creates through the registry are defaulted by LimitRanger and refused over quota, storing nothing', async (t) => {
    const { registry, client, lookup } = await startAdmissionRegistry(t);
    registry.useAdmission(defaultAdmissionPlugins(), lookup);
    await client.resource('', 'v1', 'limitranges').create('default', { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '200m' } }] } });
    const quotas = client.resource('', 'v1', 'resourcequotas');
    const q = await quotas.create('default', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute' }, spec: { hard: { 'limits.cpu': '1' } } });
    await quotas.updateStatus('default', { ...q, status: { hard: { 'limits.cpu': '1' }, used: { 'limits.cpu': '0' } } });
    const pods = client.resource('', 'v1', 'pods');

    const first = await pods.create('default', podWith('first'));
    assert.deepEqual((first.spec as any).containers[0].resources, { limits: { cpu: '500m' }, requests: { cpu: '200m' } });
    assert.match(String((first.metadata as any).annotations['kubernetes.io/limit-ranger']), /cpu request for container app/);
    await pods.create('default', podWith('second'));
    await assert.rejects(pods.create('default', podWith('third')), (e: any) => {
      assert.equal(e.code, 403);
      assert.equal(e.message, 'pods "third" is forbidden: exceeded quota: compute, requested: limits.cpu=500m, used: limits.cpu=1, limited: limits.cpu=1');
      return true;
    });
    await assert.rejects(pods.get('default', 'third'), (e: any) => e.code === 404);
    assert.deepEqual(((await quotas.get('default', 'compute')).status as any).used, { 'limits.cpu': '1' });
  });
});
