import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient, Obj } from '../../src/client/types.js';
import type { FakeClock } from '../../src/util/clock.js';
import { DefaultTolerationSeconds } from '../../src/apiserver/admission/defaulttolerationseconds/plugin.js';
import { catalog, eventually, node, pod, runPod, startCluster } from './cluster-fixture.js';

const micro = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');
const secs = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

async function readyNode(client: KubeClient, clock: FakeClock, name: string, zone: string): Promise<void> {
  const n = node(name, zone);
  (n.status as Record<string, unknown>).conditions = [
    { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: secs(clock.now()), lastTransitionTime: secs(clock.now()) },
    { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', lastHeartbeatTime: secs(clock.now()), lastTransitionTime: secs(clock.now()) },
  ];
  await client.resource('', 'v1', 'nodes').create(undefined, n);
  await client.resource('coordination.k8s.io', 'v1', 'leases').create('kube-node-lease', {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: 'kube-node-lease' },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: micro(clock.now()) },
  });
}

async function renew(client: KubeClient, clock: FakeClock, name: string): Promise<void> {
  const leases = client.resource('coordination.k8s.io', 'v1', 'leases');
  const l = structuredClone(await leases.get('kube-node-lease', name)) as Obj;
  (l.spec as Record<string, unknown>).renewTime = micro(clock.now());
  await leases.update('kube-node-lease', l);
}

const condition = (o: Obj, type: string) => ((o.status as any)?.conditions as any[] | undefined)?.find((c) => c.type === type);

describe('node lifecycle', () => {
  test('a node whose Lease stops renewing goes Unknown, is tainted, and its pods are evicted by their tolerations', async (t) => {
    const { client, clock, errors } = await startCluster(t, { only: ['node-lifecycle-controller', 'taint-eviction-controller'] });
    const nodes = client.resource('', 'v1', 'nodes');
    const pods = client.resource('', 'v1', 'pods');
    await readyNode(client, clock, 'node-a', 'us-east-1a');
    await readyNode(client, clock, 'node-b', 'us-east-1a');
    await pods.create('default', pod('plain', { app: 'x' }));
    await pods.create('default', pod('tolerates-60s', { app: 'x' }, { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }] }));
    await pods.create('default', pod('tolerates-forever', { app: 'x' }, { tolerations: [{ operator: 'Exists' }] }));
    await pods.create('default', pod('on-b', { app: 'x' }));
    await runPod(client, clock, 'default', 'plain', 'node-a', '10.1.0.1', true);
    await runPod(client, clock, 'default', 'tolerates-60s', 'node-a', '10.1.0.2', true);
    await runPod(client, clock, 'default', 'tolerates-forever', 'node-a', '10.1.0.3', true);
    await runPod(client, clock, 'default', 'on-b', 'node-b', '10.1.0.4', true);

    // 60 s pass; node-b's kubelet renews its Lease every 10 s, node-a's does not.
    for (let i = 0; i < 6; i++) {
      clock.advance(10_000);
      await renew(client, clock, 'node-b');
    }
    const a = await eventually(async () => {
      const n = await nodes.get(undefined, 'node-a');
      return condition(n, 'Ready')?.status === 'Unknown' && (n.spec as any)?.taints?.length === 2 ? n : undefined;
    }, 'node-a Unknown and tainted');
    const ready = condition(a, 'Ready');
    assert.equal(ready.reason, 'NodeStatusUnknown');
    assert.equal(ready.message, 'Kubelet stopped posting node status.');
    assert.equal(condition(a, 'MemoryPressure').status, 'Unknown');
    const taints = ((a.spec as any).taints as any[]).map((x) => `${x.key}:${x.effect}`).sort();
    assert.deepEqual(taints, ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    assert.ok(((a.spec as any).taints as any[]).find((x) => x.effect === 'NoExecute').timeAdded);
    const b = await nodes.get(undefined, 'node-b');
    assert.equal(condition(b, 'Ready').status, 'True');
    assert.equal((b.spec as any)?.taints, undefined);

    // The pod without a toleration is evicted at once, with the DisruptionTarget condition.
    const plain = await eventually(async () => {
      const p = await pods.get('default', 'plain');
      return (p.metadata as any).deletionTimestamp ? p : undefined;
    }, 'plain evicted');
    assert.equal(condition(plain, 'DisruptionTarget')?.reason, 'DeletionByTaintManager');
    // MarkPodsNotReady.
    await eventually(async () => condition(await pods.get('default', 'tolerates-forever'), 'Ready').status === 'False', 'pods on node-a not ready');
    assert.equal((((await pods.get('default', 'tolerates-60s')).metadata) as any).deletionTimestamp, undefined);
    assert.equal(condition(await pods.get('default', 'on-b'), 'Ready').status, 'True');

    // tolerationSeconds: 60 later the tolerating pod goes, the one tolerating forever stays.
    for (let i = 0; i < 6; i++) {
      clock.advance(10_000);
      await renew(client, clock, 'node-b');
    }
    await eventually(async () => Boolean(((await pods.get('default', 'tolerates-60s')).metadata as any).deletionTimestamp), 'tolerates-60s evicted');
    assert.equal(((await pods.get('default', 'tolerates-forever')).metadata as any).deletionTimestamp, undefined);
    assert.equal(((await pods.get('default', 'on-b')).metadata as any).deletionTimestamp, undefined);

    // Events were recorded.
    const events = await eventually(async () => {
      const l = await client.resource('', 'v1', 'events').list('default');
      return l.items.some((e) => e.reason === 'TaintManagerEviction') ? l.items : undefined;
    }, 'eviction events');
    assert.ok(events.some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/plain'));

    // The kubelet comes back: Ready again, and the controller lifts its taints.
    const back = structuredClone(await nodes.get(undefined, 'node-a')) as any;
    back.status.conditions = back.status.conditions.map((c: any) => (c.type === 'Ready' ? { ...c, status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: secs(clock.now()), lastTransitionTime: secs(clock.now()) } : c));
    await nodes.updateStatus(undefined, back);
    await renew(client, clock, 'node-a');
    await eventually(async () => ((await nodes.get(undefined, 'node-a')).spec as any)?.taints === undefined, 'taints lifted');
    assert.deepEqual(errors.filter((e) => (e as { code?: number }).code !== 409), []);
  });

  test('when every node of every zone is down, no node gets NoExecute taints', async (t) => {
    const { client, clock } = await startCluster(t, { only: ['node-lifecycle-controller', 'taint-eviction-controller'] });
    const nodes = client.resource('', 'v1', 'nodes');
    await readyNode(client, clock, 'solo', 'us-east-1a');
    // Time passes in 10 s steps until the controller has noticed (it measures from when it first saw the node).
    let steps = 0;
    const n = await eventually(async () => {
      const x = await nodes.get(undefined, 'solo');
      if (condition(x, 'Ready')?.status === 'Unknown' && (x.spec as any)?.taints?.length) return x;
      if (steps++ < 20) clock.advance(10_000);
      return undefined;
    }, 'solo Unknown');
    assert.ok(steps >= 5, 'not before the 50 s grace period');
    assert.deepEqual(((n.spec as any).taints as any[]).map((x) => `${x.key}:${x.effect}`), ['node.kubernetes.io/unreachable:NoSchedule']);
  });
});

describe('DefaultTolerationSeconds admission', () => {
  const pods = catalog.resource('', 'v1', 'pods')!;
  const lookup = { list: async () => [], updateStatus: async (_g: string, _v: string, _r: string, o: Record<string, unknown>) => o, now: () => 0 };
  const user = { username: 'u', groups: [] };

  test('adds 300 s not-ready and unreachable NoExecute tolerations unless the pod has them', async () => {
    const plugin = new DefaultTolerationSeconds();
    const p = pod('x', {});
    await plugin.admit({ operation: 'CREATE', resource: pods, namespace: 'default', name: 'x', object: p, user, dryRun: false });
    assert.deepEqual((p.spec as any).tolerations, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    const q = pod('y', {}, { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }] });
    await plugin.admit({ operation: 'CREATE', resource: pods, namespace: 'default', name: 'y', object: q, user, dryRun: false });
    assert.deepEqual(((q.spec as any).tolerations as any[]).map((x) => `${x.key}=${x.tolerationSeconds}`), ['node.kubernetes.io/unreachable=5', 'node.kubernetes.io/not-ready=300']);
    const r = pod('z', {}, { tolerations: [{ operator: 'Exists' }] });
    await plugin.admit({ operation: 'CREATE', resource: pods, namespace: 'default', name: 'z', object: r, user, dryRun: false });
    assert.deepEqual((r.spec as any).tolerations, [{ operator: 'Exists' }]);
    void lookup;
  });
});
