import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LimitRanger } from '../../src/apiserver/admission/limitranger/plugin.js';
import { runAdmission } from '../../src/apiserver/admission/types.js';
import type { KubeClient, Obj } from '../../src/client/types.js';
import { attrs, podWith, startAdmissionRegistry } from './admission-fixture.js';

async function limitRange(client: KubeClient, name: string, limits: Record<string, unknown>[]): Promise<void> {
  await client.resource('', 'v1', 'limitranges').create('default', { apiVersion: 'v1', kind: 'LimitRange', metadata: { name }, spec: { limits } });
}

async function message(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.equal((err as { code?: number }).code, 403);
    return (err as Error).message;
  }
  assert.fail('expected a rejection');
}

describe('LimitRanger admission', () => {
  test('defaults container requests and limits and records what it set', async (t) => {
    const { client, lookup } = await startAdmissionRegistry(t);
    await limitRange(client, 'defaults', [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '250m' }, max: { cpu: '1' } }]);
    const plugins = [new LimitRanger()];
    const pod = podWith('web', undefined, { initContainers: [{ name: 'init', image: 'busybox', resources: { requests: { cpu: '100m' } } }] });
    await runAdmission(plugins, attrs('CREATE', '', 'pods', 'default', pod), lookup);
    const [app] = (pod.spec as any).containers;
    // The LimitRange's own defaulting filled defaultRequest.memory from default.memory.
    assert.deepEqual(app.resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '250m', memory: '256Mi' } });
    assert.deepEqual((pod.spec as any).initContainers[0].resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '256Mi' } });
    assert.equal(
      (pod.metadata as any).annotations['kubernetes.io/limit-ranger'],
      'LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app; memory request for init container init; cpu, memory limit for init container init',
    );

    const big = podWith('big', { limits: { cpu: '2' }, requests: { cpu: '2' } });
    const m = await message(runAdmission(plugins, attrs('CREATE', '', 'pods', 'default', big), lookup));
    assert.equal(m, 'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
  });

  test('min, max and ratio per Container and Pod, aggregated', async (t) => {
    const { client, lookup } = await startAdmissionRegistry(t);
    await limitRange(client, 'bounds', [
      { type: 'Container', min: { memory: '64Mi' }, maxLimitRequestRatio: { cpu: '2' } },
      { type: 'Pod', max: { memory: '1Gi' } },
    ]);
    const plugin = new LimitRanger();
    const pod: Obj = podWith('p', { requests: { cpu: '100m', memory: '32Mi' }, limits: { cpu: '400m', memory: '2Gi' } });
    const m = await message(plugin.validate(attrs('CREATE', '', 'pods', 'default', pod), lookup));
    assert.equal(m, 'pods "p" is forbidden: [minimum memory usage per Container is 64Mi, but request is 32Mi, cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000, maximum memory usage per Pod is 1Gi, but limit is 2Gi]');
    const noRequest = podWith('q', { limits: { memory: '128Mi' } });
    assert.equal(
      await message(plugin.validate(attrs('CREATE', '', 'pods', 'default', noRequest), lookup)),
      'pods "q" is forbidden: [minimum memory usage per Container is 64Mi.  No request is specified, cpu max limit to request ratio per Container is 2, but no request is specified or request is 0]',
    );
    await plugin.validate(attrs('CREATE', '', 'pods', 'default', podWith('ok', { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '512Mi' } })), lookup);
    // Pods are not checked on update (their containers' resources cannot change there).
    await plugin.validate(attrs('UPDATE', '', 'pods', 'default', pod, pod), lookup);
  });

  test('PersistentVolumeClaim storage min and max', async (t) => {
    const { client, lookup } = await startAdmissionRegistry(t);
    await limitRange(client, 'storage', [{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '2Gi' } }]);
    const pvc = (name: string, storage: string): Obj => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
    });
    const plugin = new LimitRanger();
    assert.equal(await message(plugin.validate(attrs('CREATE', '', 'persistentvolumeclaims', 'default', pvc('big', '5Gi')), lookup)), 'persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi');
    assert.equal(await message(plugin.validate(attrs('UPDATE', '', 'persistentvolumeclaims', 'default', pvc('small', '500Mi'), pvc('small', '1Gi')), lookup)), 'persistentvolumeclaims "small" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi');
    await plugin.validate(attrs('CREATE', '', 'persistentvolumeclaims', 'default', pvc('fine', '1536Mi')), lookup);
  });
});
