// PATCH (json, merge, strategic, apply), managedFields, pods/binding, pods/eviction and scale.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/status.js';
import type { ResourceDef } from '../../src/apiserver/schema/types.js';
import { catalog, startRegistry, w } from './registry-fixture.js';

const R = (group: string, version: string, resource: string): ResourceDef => catalog.resource(group, version, resource) as ResourceDef;
const pods = R('', 'v1', 'pods');
const configmaps = R('', 'v1', 'configmaps');
const deployments = R('apps', 'v1', 'deployments');
const pdbs = R('policy', 'v1', 'poddisruptionbudgets');

const setup = (t: { after(fn: () => unknown): void }) => startRegistry(t, { now: Date.UTC(2026, 0, 1, 12, 0, 0) });

function apiError(code: number, reason: string, message?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof ApiError, `expected ApiError, got ${String(e)}`);
    assert.equal(e.status.code, code);
    assert.equal(e.status.reason, reason);
    if (message !== undefined) assert.equal(e.status.message, message);
    return true;
  };
}

const deployment = (name: string, replicas = 1) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});
const meta = (o: Record<string, unknown>) => o.metadata as Record<string, unknown>;

describe('patch', () => {
  test('merge, json and strategic patches apply to the current object', async (t) => {
    const { registry } = await setup(t);
    await registry.create(configmaps, 'default', { metadata: { name: 'c' }, data: { a: '1', b: '2' } }, w());
    const merged = await registry.patch(configmaps, 'default', 'c', 'merge', Buffer.from('{"data":{"a":null,"c":"3"}}'), w());
    assert.deepEqual(merged.object.data, { b: '2', c: '3' });
    const json = await registry.patch(configmaps, 'default', 'c', 'json', [{ op: 'replace', path: '/data/b', value: 'x' }], w());
    assert.deepEqual(json.object.data, { b: 'x', c: '3' });
    await registry.create(deployments, 'default', deployment('d'), w());
    const smp = await registry.patch(deployments, 'default', 'd', 'strategic', { spec: { template: { spec: { containers: [{ name: 'side', image: 'busybox' }] } } } }, w());
    const containers = ((smp.object.spec as any).template.spec.containers as { name: string }[]).map((c) => c.name);
    assert.deepEqual(containers.sort(), ['c', 'side']);
    assert.equal(meta(smp.object).generation, 2);
  });

  test('a patch naming an old resourceVersion is 409; a patch of a missing object is 404', async (t) => {
    const { registry } = await setup(t);
    await registry.create(configmaps, 'default', { metadata: { name: 'c' }, data: { a: '1' } }, w());
    await assert.rejects(registry.patch(configmaps, 'default', 'c', 'merge', { metadata: { resourceVersion: '1' }, data: { a: '2' } }, w()), apiError(409, 'Conflict'));
    await assert.rejects(registry.patch(configmaps, 'default', 'nope', 'merge', { data: {} }, w()), apiError(404, 'NotFound', 'configmaps "nope" not found'));
  });

  test('server-side apply creates, records the manager, and conflicts with another manager unless forced', async (t) => {
    const { registry } = await setup(t);
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
    const first = await registry.patch(configmaps, 'default', 'c', 'apply', Buffer.from(JSON.stringify(body)), w({ fieldManager: 'helm' }));
    assert.equal(first.created, true);
    const mf = meta(first.object).managedFields as { manager: string; operation: string }[];
    assert.deepEqual(mf.map((e) => [e.manager, e.operation]), [['helm', 'Apply']]);
    await assert.rejects(
      registry.patch(configmaps, 'default', 'c', 'apply', Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "2"\n'), w({ fieldManager: 'kubectl' })),
      apiError(409, 'Conflict'),
    );
    const forced = await registry.patch(configmaps, 'default', 'c', 'apply', Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "2"\n'), w({ fieldManager: 'kubectl', force: true }));
    assert.deepEqual(forced.object.data, { a: '2' });
    await assert.rejects(registry.patch(configmaps, 'default', 'c', 'apply', body, w()), apiError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch'));
  });

  test('create and update record managedFields for the field manager or the User-Agent', async (t) => {
    const { registry } = await setup(t);
    const c = await registry.create(configmaps, 'default', { metadata: { name: 'c' }, data: { a: '1' } }, w({ userAgent: 'kubectl/v1.33.9 (linux/amd64) kubernetes/abc' }));
    const mf = meta(c).managedFields as { manager: string; operation: string; apiVersion: string; time: string }[];
    assert.deepEqual(mf.map((e) => [e.manager, e.operation, e.apiVersion, e.time]), [['kubectl', 'Update', 'v1', '2026-01-01T12:00:00Z']]);
  });
});

describe('pods/binding', () => {
  test('binds once, marks PodScheduled; a second binding is 409', async (t) => {
    const { registry } = await setup(t);
    await registry.create(pods, 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } }, w());
    const status = await registry.bindPod('default', 'p', { metadata: { name: 'p' }, target: { kind: 'Node', name: 'node-1' } }, w());
    assert.equal(status.status, 'Success');
    const pod = await registry.get(pods, 'default', 'p', {});
    assert.equal((pod.spec as { nodeName: string }).nodeName, 'node-1');
    const cond = ((pod.status as { conditions: { type: string; status: string }[] }).conditions).find((c) => c.type === 'PodScheduled');
    assert.equal(cond?.status, 'True');
    await assert.rejects(
      registry.bindPod('default', 'p', { metadata: { name: 'p' }, target: { kind: 'Node', name: 'node-2' } }, w()),
      apiError(409, 'Conflict', 'Operation cannot be fulfilled on pods "p": pod p is already assigned to node "node-1"'),
    );
  });
});

describe('pods/ephemeralcontainers and pods/resize', () => {
  test('only ephemeral containers change through ephemeralcontainers, only resources through resize', async (t) => {
    const { registry } = await setup(t);
    const p = await registry.create(pods, 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] } }, w());
    const debug = { name: 'debugger', image: 'busybox', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' };
    const withDebug = await registry.update(pods, 'default', 'p', { ...p, metadata: { ...(p.metadata as object), labels: { ignored: 'yes' } }, spec: { ...(p.spec as object), ephemeralContainers: [debug] } }, w({ subresource: 'ephemeralcontainers' }));
    assert.equal(((withDebug.object.spec as { ephemeralContainers: { name: string }[] }).ephemeralContainers)[0].name, 'debugger');
    assert.equal((withDebug.object.metadata as { labels?: unknown }).labels, undefined);
    const cur = withDebug.object;
    await assert.rejects(
      registry.update(pods, 'default', 'p', { ...cur, spec: { ...(cur.spec as object), ephemeralContainers: [] } }, w({ subresource: 'ephemeralcontainers' })),
      apiError(422, 'Invalid', 'Pod "p" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers "debugger" may not be removed'),
    );
    const containers = (cur.spec as { containers: Record<string, unknown>[] }).containers;
    const resized = await registry.patch(pods, 'default', 'p', 'strategic', { spec: { containers: [{ name: 'c', image: 'changed', resources: { requests: { cpu: '200m' } } }] } }, w({ subresource: 'resize' }));
    const after = (resized.object.spec as { containers: { image: string; resources: { requests: { cpu: string } } }[] }).containers[0];
    assert.equal(after.resources.requests.cpu, '200m');
    assert.equal(after.image, containers[0].image);
  });
});

describe('pods/eviction', () => {
  test('a budget with no disruptions allowed refuses with 429; otherwise the pod is deleted and the budget charged', async (t) => {
    const { registry } = await setup(t);
    const labels = { app: 'web' };
    for (const n of ['p1', 'p2']) {
      await registry.create(pods, 'default', { metadata: { name: n, labels }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] } }, w());
      const cur = await registry.get(pods, 'default', n, {});
      await registry.update(pods, 'default', n, { ...cur, status: { phase: 'Running' } }, w({ subresource: 'status' }));
    }
    const pdb = await registry.create(pdbs, 'default', { metadata: { name: 'web' }, spec: { minAvailable: 1, selector: { matchLabels: labels } } }, w());
    await registry.update(pdbs, 'default', 'web', { ...pdb, status: { observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 2 } }, w({ subresource: 'status' }));
    await assert.rejects(registry.evictPod('default', 'p1', { metadata: { name: 'p1' } }, w()), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status.code, 429);
      assert.equal(e.status.reason, 'TooManyRequests');
      assert.equal(e.status.message, "Cannot evict pod as it would violate the pod's disruption budget.");
      assert.deepEqual(e.status.details?.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 1 healthy pods and has 1 currently' }]);
      return true;
    });
    const cur = await registry.get(pdbs, 'default', 'web', {});
    await registry.update(pdbs, 'default', 'web', { ...cur, status: { ...(cur.status as object), disruptionsAllowed: 1, currentHealthy: 2 } }, w({ subresource: 'status' }));
    const ok = await registry.evictPod('default', 'p1', { metadata: { name: 'p1' }, deleteOptions: { gracePeriodSeconds: 0 } }, w());
    assert.equal(ok.status, 'Success');
    await assert.rejects(registry.get(pods, 'default', 'p1', {}), apiError(404, 'NotFound'));
    const after = await registry.get(pdbs, 'default', 'web', {});
    assert.equal((after.status as { disruptionsAllowed: number }).disruptionsAllowed, 0);
    assert.deepEqual(Object.keys((after.status as { disruptedPods: object }).disruptedPods), ['p1']);
  });
});

describe('pods/eviction of pods that are not running', () => {
  test('a pending pod is evicted without asking its budget', async (t) => {
    const { registry } = await setup(t);
    await registry.create(pods, 'default', { metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } }, w());
    await registry.create(pdbs, 'default', { metadata: { name: 'web' }, spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'web' } } } }, w());
    const r = await registry.evictPod('default', 'p', { metadata: { name: 'p' } }, w());
    assert.deepEqual(r, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' });
    await assert.rejects(registry.get(pods, 'default', 'p', {}), apiError(404, 'NotFound', 'pods "p" not found'));
  });

  test('a budget its controller has not observed yet refuses with 429 and retry after 10s', async (t) => {
    const { registry } = await setup(t);
    await registry.create(pods, 'default', { metadata: { name: 'p', labels: { app: 'web' } }, spec: { nodeName: 'n', containers: [{ name: 'c', image: 'x' }] } }, w());
    const cur = await registry.get(pods, 'default', 'p', {});
    await registry.update(pods, 'default', 'p', { ...cur, status: { phase: 'Running' } }, w({ subresource: 'status' }));
    await registry.create(pdbs, 'default', { metadata: { name: 'web' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } }, w());
    await assert.rejects(registry.evictPod('default', 'p', {}, w()), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status.code, 429);
      assert.equal(e.status.details?.retryAfterSeconds, 10);
      assert.deepEqual(e.status.details?.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget web is still being processed by the server.' }]);
      return true;
    });
  });
});

describe('autoscaling/v1 and v2 HorizontalPodAutoscalers', () => {
  const v1 = R('autoscaling', 'v1', 'horizontalpodautoscalers');
  const v2 = R('autoscaling', 'v2', 'horizontalpodautoscalers');
  const target = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

  test('a v1 CPU target is a v2 Resource metric and back', async (t) => {
    const { registry } = await setup(t);
    await registry.create(v1, 'default', { metadata: { name: 'h' }, spec: { scaleTargetRef: target, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 } }, w());
    const asV2 = await registry.get(v2, 'default', 'h', {});
    assert.equal(asV2.apiVersion, 'autoscaling/v2');
    assert.deepEqual((asV2.spec as { metrics: unknown }).metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
    const asV1 = await registry.get(v1, 'default', 'h', {});
    assert.equal(asV1.apiVersion, 'autoscaling/v1');
    assert.equal((asV1.spec as { targetCPUUtilizationPercentage: number }).targetCPUUtilizationPercentage, 50);
    assert.equal((asV1.metadata as { annotations?: unknown }).annotations, undefined);
  });

  test('what v1 cannot show survives a v1 read-modify-write in annotations', async (t) => {
    const { registry } = await setup(t);
    const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } };
    const behavior = { scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } };
    await registry.create(v2, 'default', { metadata: { name: 'h' }, spec: { scaleTargetRef: target, minReplicas: 1, maxReplicas: 5, metrics: [memory], behavior } }, w());
    const asV1 = await registry.get(v1, 'default', 'h', {});
    const annotations = (asV1.metadata as { annotations: Record<string, string> }).annotations;
    assert.deepEqual(JSON.parse(annotations['autoscaling.alpha.kubernetes.io/metrics']), [{ type: 'Resource', resource: { name: 'memory', targetAverageValue: '500Mi' } }]);
    await registry.update(v1, 'default', 'h', { ...asV1, spec: { ...(asV1.spec as object), maxReplicas: 7 } }, w());
    const back = await registry.get(v2, 'default', 'h', {});
    const spec = back.spec as { maxReplicas: number; metrics: unknown; behavior: { scaleDown: { stabilizationWindowSeconds: number } } };
    assert.equal(spec.maxReplicas, 7);
    assert.deepEqual(spec.metrics, [memory]);
    assert.equal(spec.behavior.scaleDown.stabilizationWindowSeconds, 60);
    assert.equal((back.metadata as { annotations?: unknown }).annotations, undefined);
  });
});

describe('scale', () => {
  test('get, update and patch the scale of a deployment', async (t) => {
    const { registry } = await setup(t);
    await registry.create(deployments, 'default', deployment('d', 2), w());
    const scale = await registry.getScale(deployments, 'default', 'd');
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.apiVersion, 'autoscaling/v1');
    assert.deepEqual(scale.spec, { replicas: 2 });
    assert.deepEqual(scale.status, { replicas: 0, selector: 'app=d' });
    const up = await registry.updateScale(deployments, 'default', 'd', { ...scale, spec: { replicas: 5 } }, w());
    assert.deepEqual(up.spec, { replicas: 5 });
    const d = await registry.get(deployments, 'default', 'd', {});
    assert.equal((d.spec as { replicas: number }).replicas, 5);
    assert.equal(meta(d).generation, 2);
    const patched = await registry.patch(deployments, 'default', 'd', 'merge', { spec: { replicas: 1 } }, w({ subresource: 'scale' }));
    assert.deepEqual(patched.object.spec, { replicas: 1 });
    await assert.rejects(
      registry.updateScale(deployments, 'default', 'd', { metadata: { name: 'd' }, spec: { replicas: -1 } }, w()),
      apiError(422, 'Invalid', 'Scale.autoscaling "d" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'),
    );
    await assert.rejects(registry.updateScale(deployments, 'default', 'd', { ...scale, spec: { replicas: 3 } }, w()), apiError(409, 'Conflict'));
  });
});
