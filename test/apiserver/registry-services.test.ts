// Service ClusterIP and node port allocation (IPAddress objects, upstream's error texts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/status.js';
import type { ResourceDef } from '../../src/apiserver/schema/types.js';
import { catalog, startRegistry, w } from './registry-fixture.js';

const services = catalog.resource('', 'v1', 'services') as ResourceDef;
const ipaddresses = catalog.resource('networking.k8s.io', 'v1', 'ipaddresses') as ResourceDef;

async function setup(t: { after(fn: () => unknown): void }) {
  return (await startRegistry(t, { serviceNetwork: { clusterIPRange: '10.100.0.0/24', nodePortRange: [30000, 30010] } })).registry;
}

const svc = (name: string, spec: Record<string, unknown> = {}) => ({ metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } });
const specOf = (o: Record<string, unknown>) => o.spec as Record<string, any>;
const names = (l: Record<string, unknown>) => (l.items as { metadata: { name: string } }[]).map((i) => i.metadata.name);

test('a ClusterIP Service gets a free IP of the range, held by an IPAddress object until deleted', async (t) => {
  const registry = await setup(t);
  const a = await registry.create(services, 'default', svc('a'), w());
  const ip = specOf(a).clusterIP as string;
  assert.match(ip, /^10\.100\.0\.\d+$/);
  assert.deepEqual(specOf(a).clusterIPs, [ip]);
  assert.deepEqual(specOf(a).ipFamilies, ['IPv4']);
  const held = await registry.get(ipaddresses, undefined, ip, {});
  assert.deepEqual((held.spec as Record<string, unknown>).parentRef, { group: '', resource: 'services', namespace: 'default', name: 'a' });
  const b = await registry.create(services, 'default', svc('b'), w());
  assert.notEqual(specOf(b).clusterIP, ip);
  // An update that leaves clusterIP out keeps the allocated one (kubectl replace).
  const updated = await registry.update(services, 'default', 'a', { metadata: { name: 'a' }, spec: { selector: { app: 'a2' }, ports: [{ port: 80 }] } }, w());
  assert.equal(specOf(updated.object).clusterIP, ip);
  await registry.delete(services, 'default', 'a', {}, w());
  assert.deepEqual(names(await registry.list(ipaddresses, undefined, {})), [specOf(b).clusterIP]);
});

test('a requested ClusterIP must be free and in range', async (t) => {
  const registry = await setup(t);
  await registry.create(services, 'default', svc('a', { clusterIP: '10.100.0.10' }), w());
  await assert.rejects(registry.create(services, 'default', svc('b', { clusterIP: '10.100.0.10' }), w()), (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.status.code, 422);
    assert.equal(e.status.message, 'Service "b" is invalid: spec.clusterIPs: Invalid value: ["10.100.0.10"]: failed to allocate IP 10.100.0.10: provided IP is already allocated');
    return true;
  });
  await assert.rejects(registry.create(services, 'default', svc('c', { clusterIP: '10.200.0.1' }), w()), (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.match(String(e.status.message), /the provided IP \(10\.200\.0\.1\) is not in the valid range\. The range of valid IPs is 10\.100\.0\.0\/24$/);
    return true;
  });
  // Nothing leaked from the failed creates.
  assert.deepEqual(names(await registry.list(ipaddresses, undefined, {})), ['10.100.0.10']);
});

test('headless and ExternalName Services get no IP; NodePort Services get unique node ports', async (t) => {
  const registry = await setup(t);
  const headless = await registry.create(services, 'default', svc('h', { clusterIP: 'None' }), w());
  assert.deepEqual(specOf(headless).clusterIPs, ['None']);
  const ext = await registry.create(services, 'default', { metadata: { name: 'e' }, spec: { type: 'ExternalName', externalName: 'example.com' } }, w());
  assert.equal(specOf(ext).clusterIP, undefined);
  const np = await registry.create(services, 'default', svc('np', { type: 'NodePort', ports: [{ port: 80, name: 'http' }, { port: 443, name: 'https' }] }), w());
  const ports = (specOf(np).ports as { nodePort: number }[]).map((p) => p.nodePort);
  assert.equal(new Set(ports).size, 2);
  for (const p of ports) assert.ok(p >= 30000 && p <= 30010);
  await assert.rejects(registry.create(services, 'default', svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: ports[0] }] }), w()), (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.status.message, `Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: ${ports[0]}: provided port is already allocated`);
    return true;
  });
  assert.deepEqual(names(await registry.list(ipaddresses, undefined, {})), [specOf(np).clusterIP]);
});
