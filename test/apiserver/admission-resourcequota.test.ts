import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceQuotaAdmission } from '../../src/apiserver/admission/resourcequota/plugin.js';
import type { KubeClient, Obj } from '../../src/client/types.js';
import { attrs, podWith, startAdmissionRegistry } from './admission-fixture.js';

/** A quota as the quota controller leaves it: status.hard from spec, status.used measured. */
async function quota(client: KubeClient, name: string, hard: Record<string, string>, used: Record<string, string>, extra: Record<string, unknown> = {}): Promise<void> {
  const quotas = client.resource('', 'v1', 'resourcequotas');
  const q = await quotas.create('default', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name }, spec: { hard, ...extra } });
  await quotas.updateStatus('default', { ...q, status: { hard, used } });
}

async function rejection(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code: number; message: string };
    return { code: e.code, message: e.message };
  }
  assert.fail('expected a rejection');
}

describe('ResourceQuota admission', () => {
  test('rejects a pod over the quota with upstream\'s message', async (t) => {
    const { client, lookup } = await startAdmissionRegistry(t);
    await quota(client, 'compute', { 'requests.cpu': '2' }, { 'requests.cpu': '1' });
    const plugin = new ResourceQuotaAdmission();
    const r = await rejection(plugin.validate(attrs('CREATE', '', 'pods', 'default', podWith('big', { requests: { cpu: '2' }, limits: { cpu: '2' } })), lookup));
    assert.equal(r.code, 403);
    assert.equal(r.message, 'pods "big" is forbidden: exceeded quota: compute, requested: requests.cpu=2, used: requests.cpu=1, limited: requests.cpu=2');
  });

  test('a pod that omits tracked cpu requests and limits fails the quota', async (t) => {
    const { client, lookup } = await startAdmissionRegistry(t);
    await quota(client, 'compute', { 'requests.cpu': '2', 'limits.cpu': '4', pods: '10' }, { 'requests.cpu': '0', 'limits.cpu': '0', pods: '0' });
    const plugin = new ResourceQuotaAdmission();
    const r = await rejection(plugin.validate(attrs('CREATE', '', 'pods', 'default', podWith('bare')), lookup));
    assert.equal(r.code, 403);
    assert.equal(r.message, 'pods "bare" is forbidden: failed quota: compute: must specify limits.cpu for: app; requests.cpu for: app');
  });

  test('a quota without measured usage rejects with status unknown', async (t) => {
    const { client, lookup } = await startAdmissionRegistry(t);
    await quota(client, 'objects', { pods: '2', 'count/pods': '2' }, {});
    const r = await rejection(new ResourceQuotaAdmission().validate(attrs('CREATE', '', 'pods', 'default', podWith('p')), lookup));
    assert.equal(r.message, 'pods "p" is forbidden: status unknown for quota: objects, resources: count/pods,pods');
  });

  test('admission charges usage at once, so two quick creations cannot both pass', async (t) => {
    const { client, lookup } = await startAdmissionRegistry(t);
    await quota(client, 'compute', { 'requests.cpu': '3', 'requests.memory': '1Gi', pods: '5' }, { 'requests.cpu': '1', 'requests.memory': '0', pods: '1' });
    const plugin = new ResourceQuotaAdmission();
    const p = (name: string) => podWith(name, { requests: { cpu: '1500m', memory: '256Mi' } });
    await plugin.validate(attrs('CREATE', '', 'pods', 'default', p('dry'), undefined, true), lookup);
    const results = await Promise.allSettled([plugin.validate(attrs('CREATE', '', 'pods', 'default', p('one')), lookup), plugin.validate(attrs('CREATE', '', 'pods', 'default', p('two')), lookup)]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.match(rejected.reason.message, /exceeded quota: compute, requested: requests.cpu=1500m, used: requests.cpu=2500m, limited: requests.cpu=3$/);
    const q = await client.resource('', 'v1', 'resourcequotas').get('default', 'compute');
    // Quantity.Add keeps the receiver's format: "0" (DecimalSI) plus 256Mi prints in decimal, as upstream's does.
    assert.deepEqual((q.status as any).used, { pods: '2', 'requests.cpu': '2500m', 'requests.memory': '268435456' });
  });

  test('service updates are charged only what they add; scoped quotas take only matching pods', async (t) => {
    const { client, lookup } = await startAdmissionRegistry(t);
    await quota(client, 'svc', { 'services.nodeports': '2', services: '5' }, { 'services.nodeports': '1', services: '1' });
    await quota(client, 'best-effort', { pods: '1' }, { pods: '1' }, { scopes: ['BestEffort'] });
    const plugin = new ResourceQuotaAdmission();
    const svc = (type: string, ports: number): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { type, ports: Array.from({ length: ports }, (_, i) => ({ name: `p${i}`, port: 80 + i })) } });
    await plugin.validate(attrs('UPDATE', '', 'services', 'default', svc('NodePort', 1), svc('NodePort', 1)), lookup);
    const r = await rejection(plugin.validate(attrs('UPDATE', '', 'services', 'default', svc('NodePort', 3), svc('NodePort', 1)), lookup));
    assert.equal(r.message, 'services "s" is forbidden: exceeded quota: svc, requested: services.nodeports=2, used: services.nodeports=1, limited: services.nodeports=2');
    // A pod with requests is not best effort: the scoped quota ignores it.
    await plugin.validate(attrs('CREATE', '', 'pods', 'default', podWith('burstable', { requests: { cpu: '100m' } })), lookup);
    const be = await rejection(plugin.validate(attrs('CREATE', '', 'pods', 'default', podWith('besteffort')), lookup));
    assert.equal(be.message, 'pods "besteffort" is forbidden: exceeded quota: best-effort, requested: pods=1, used: pods=1, limited: pods=1');
  });
});
