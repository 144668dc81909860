import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Obj } from '../../src/client/types.js';
import { eventually, node, pod, runPod, startCluster } from './cluster-fixture.js';

const svc = (name: string, extra: Record<string, unknown> = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, labels: { team: 'web' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...extra },
});

describe('endpoints and EndpointSlices', () => {
  test('a Service gets an EndpointSlice and Endpoints with the ready pods\' IPs', async (t) => {
    const { client, clock } = await startCluster(t, { only: ['endpoint-controller', 'endpointslice-controller'] });
    const nodes = client.resource('', 'v1', 'nodes');
    const pods = client.resource('', 'v1', 'pods');
    const slices = client.resource('discovery.k8s.io', 'v1', 'endpointslices');
    const endpoints = client.resource('', 'v1', 'endpoints');
    await nodes.create(undefined, node('node-a', 'us-east-1a'));
    await client.resource('', 'v1', 'services').create('default', svc('web'));
    await pods.create('default', pod('web-1', { app: 'web' }));
    await pods.create('default', pod('web-2', { app: 'web' }));
    await pods.create('default', pod('web-3', { app: 'web' }));
    await pods.create('default', pod('other', { app: 'other' }));
    await runPod(client, clock, 'default', 'web-1', 'node-a', '10.1.0.1', true);
    await runPod(client, clock, 'default', 'web-2', 'node-a', '10.1.0.2', true);
    await runPod(client, clock, 'default', 'web-3', 'node-a', '10.1.0.3', false);
    await runPod(client, clock, 'default', 'other', 'node-a', '10.1.0.9', true);

    const slice = await eventually(async () => {
      const list = await slices.list('default', { labelSelector: 'kubernetes.io/service-name=web' });
      const s = list.items[0];
      return list.items.length === 1 && Array.isArray(s.endpoints) && s.endpoints.length === 3 ? s : undefined;
    }, 'an EndpointSlice with 3 endpoints');
    const meta = slice.metadata as Record<string, any>;
    assert.match(meta.name, /^web-[a-z0-9]{5}$/);
    assert.equal(meta.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(meta.labels.team, 'web');
    assert.equal(meta.ownerReferences[0].kind, 'Service');
    assert.equal(meta.ownerReferences[0].controller, true);
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const byIp = new Map((slice.endpoints as any[]).map((e) => [e.addresses[0], e]));
    assert.deepEqual(byIp.get('10.1.0.1').conditions, { ready: true, serving: true, terminating: false });
    assert.deepEqual(byIp.get('10.1.0.3').conditions, { ready: false, serving: false, terminating: false });
    assert.equal(byIp.get('10.1.0.1').nodeName, 'node-a');
    assert.equal(byIp.get('10.1.0.1').zone, 'us-east-1a');
    assert.equal(byIp.get('10.1.0.1').targetRef.name, 'web-1');
    assert.equal(byIp.has('10.1.0.9'), false);

    const ep = await eventually(async () => {
      try {
        const e = await endpoints.get('default', 'web');
        const s = (e.subsets as any[] | undefined)?.[0];
        return s && s.addresses?.length === 2 && s.notReadyAddresses?.length === 1 ? e : undefined;
      } catch {
        return undefined;
      }
    }, 'Endpoints with 2 ready and 1 not ready address');
    const subset = (ep.subsets as any[])[0];
    assert.deepEqual(subset.addresses.map((a: any) => a.ip), ['10.1.0.1', '10.1.0.2']);
    assert.deepEqual(subset.notReadyAddresses.map((a: any) => a.ip), ['10.1.0.3']);
    assert.deepEqual(subset.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.match((ep.metadata as any).annotations['endpoints.kubernetes.io/last-change-trigger-time'], /^2026-01-01T12:00:00Z$/);

    // The not-ready pod becomes ready; a ready one is deleted.
    clock.advance(5000);
    await runPod(client, clock, 'default', 'web-3', 'node-a', '10.1.0.3', true);
    await pods.delete('default', 'web-1', { gracePeriodSeconds: 0 });
    await eventually(async () => {
      const e = await endpoints.get('default', 'web');
      const s = (e.subsets as any[] | undefined)?.[0];
      return s && !s.notReadyAddresses && s.addresses.map((a: any) => a.ip).join() === '10.1.0.2,10.1.0.3';
    }, 'Endpoints following the pods');
    await eventually(async () => {
      const list = await slices.list('default', { labelSelector: 'kubernetes.io/service-name=web' });
      const eps = (list.items[0]?.endpoints as any[] | undefined) ?? [];
      return list.items.length === 1 && eps.length === 2 && eps.every((e) => e.conditions.ready);
    }, 'the slice following the pods');

    // A terminating pod stays in the slice as serving and terminating, not ready; Endpoints drop it.
    await pods.delete('default', 'web-2');
    await eventually(async () => {
      const list = await slices.list('default', { labelSelector: 'kubernetes.io/service-name=web' });
      const e = ((list.items[0]?.endpoints as any[] | undefined) ?? []).find((x) => x.addresses[0] === '10.1.0.2');
      return e && e.conditions.terminating === true && e.conditions.serving === true && e.conditions.ready === false;
    }, 'a terminating endpoint');
    await eventually(async () => {
      const s = ((await endpoints.get('default', 'web')).subsets as any[] | undefined)?.[0];
      return s && s.addresses.map((a: any) => a.ip).join() === '10.1.0.3';
    }, 'Endpoints without the terminating pod');

    // Deleting the service deletes its Endpoints.
    await client.resource('', 'v1', 'services').delete('default', 'web');
    await eventually(async () => {
      try {
        await endpoints.get('default', 'web');
        return false;
      } catch (err) {
        return (err as { code?: number }).code === 404;
      }
    }, 'Endpoints deleted');
  });

  test('publishNotReadyAddresses, a placeholder slice, and 100 endpoints per slice', async (t) => {
    const { client, clock } = await startCluster(t, { only: ['endpoint-controller', 'endpointslice-controller'] });
    const pods = client.resource('', 'v1', 'pods');
    const slices = client.resource('discovery.k8s.io', 'v1', 'endpointslices');
    await client.resource('', 'v1', 'nodes').create(undefined, node('node-a'));
    await client.resource('', 'v1', 'services').create('default', svc('empty', { selector: { app: 'nothing' } }));
    const placeholder = await eventually(async () => (await slices.list('default', { labelSelector: 'kubernetes.io/service-name=empty' })).items[0], 'a placeholder slice');
    assert.equal((placeholder.endpoints as unknown[] | undefined)?.length ?? 0, 0);

    await client.resource('', 'v1', 'services').create('default', svc('many', { selector: { app: 'many' }, publishNotReadyAddresses: true }));
    for (let i = 0; i < 105; i++) {
      await pods.create('default', pod(`m-${i}`, { app: 'many' }));
      await runPod(client, clock, 'default', `m-${i}`, 'node-a', `10.2.${Math.floor(i / 200)}.${i + 1}`, false);
    }
    const list = await eventually(async () => {
      const l = await slices.list('default', { labelSelector: 'kubernetes.io/service-name=many' });
      const sizes = l.items.map((s) => (s.endpoints as unknown[] | undefined)?.length ?? 0).sort((a, b) => a - b);
      return sizes.join() === '5,100' ? l : undefined;
    }, 'two slices of 100 and 5');
    for (const s of list.items) for (const e of s.endpoints as any[]) assert.equal(e.conditions.ready, true, 'publishNotReadyAddresses makes every endpoint ready');
  });
});
