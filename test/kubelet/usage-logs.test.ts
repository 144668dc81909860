// Simulated usage (metrics.k8s.io objects), simulated logs, pod IPs, and the pod controller under
// concurrent writers and a shared informer factory.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/status.js';
import { SharedInformerFactory } from '../../src/client/informer-factory.js';
import type { Obj } from '../../src/client/types.js';
import { podManifest, runUntil, settle, startCluster, T0 } from './fixture.js';

describe('usage', () => {
  test('PodMetrics from annotations or requests; NodeMetrics sum pods and system use', async (t) => {
    const { client, clock, sim } = await startCluster(t);
    const [a, b] = await sim.addNodes({ count: 2 });
    const pods = client.resource('', 'v1', 'pods');
    await pods.create('default', podManifest('hot', { annotations: { 'kumo.dev/cpu-usage': '250m', 'kumo.dev/memory-usage': '128Mi' } }));
    await pods.create('default', podManifest('req', { spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '500m', memory: '256Mi' } } }, { name: 'log', image: 'fluentbit' }] } }));
    await pods.create('kube-system', { ...podManifest('other'), metadata: { name: 'other', namespace: 'kube-system' } });
    await pods.bind('default', 'hot', a);
    await pods.bind('default', 'req', a);
    await pods.bind('kube-system', 'other', b);
    assert.deepEqual(sim.usage.podMetrics(), []);
    await runUntil(clock, sim, T0 + 2_000);

    const pm = sim.usage.podMetrics('default');
    assert.deepEqual(pm.map((m) => (m.metadata as Obj).name), ['hot', 'req']);
    assert.deepEqual(pm[0], {
      kind: 'PodMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'hot', namespace: 'default', creationTimestamp: '2026-01-01T12:00:02Z', labels: {} },
      timestamp: '2026-01-01T12:00:02Z',
      window: '10s',
      containers: [{ name: 'app', usage: { cpu: '250000000n', memory: '131072Ki' } }],
    });
    // 10% of the cpu request (at least 1m), half the memory request (16Mi without one).
    assert.deepEqual(pm[1].containers, [
      { name: 'app', usage: { cpu: '50000000n', memory: '131072Ki' } },
      { name: 'log', usage: { cpu: '1000000n', memory: '16384Ki' } },
    ]);
    assert.equal(sim.usage.podMetrics().length, 3);

    const nm = sim.usage.nodeMetrics();
    assert.deepEqual(nm.map((m) => (m.metadata as Obj).name), [a, b].sort());
    const na = nm.find((m) => (m.metadata as Obj).name === a)!;
    // kube-reserved of an m5.large (70m, 574Mi) plus the pods.
    assert.deepEqual(na.usage, { cpu: `${(70 + 250 + 50 + 1) * 1e6}n`, memory: `${(574 + 128 + 128 + 16) * 1024}Ki` });
    assert.equal(na.window, '10s');

    sim.stopHeartbeat(a);
    assert.deepEqual(sim.usage.nodeMetrics().map((m) => (m.metadata as Obj).name), [b]);
    assert.deepEqual(sim.usage.podMetrics().map((m) => (m.metadata as Obj).name), ['other']);
  });
});

describe('logs', () => {
  test('synthetic lines from the status: start, ready, periodic, exit; tail, since, timestamps, previous', async (t) => {
    const { client, clock, sim } = await startCluster(t);
    const [a] = await sim.addNodes({ count: 1 });
    const pods = client.resource('', 'v1', 'pods');
    await pods.create('default', podManifest('web', { annotations: { 'kumo.dev/crash-after-seconds': '65' } }));
    await pods.bind('default', 'web', a);
    assert.throws(() => sim.logs('default', 'web', 'app'), (e: unknown) => e instanceof ApiError && e.status.code === 400 && e.status.message === 'container "app" in pod "web" is waiting to start: ContainerCreating');
    await runUntil(clock, sim, T0 + 61_000);
    assert.deepEqual(sim.logs('default', 'web', undefined), [
      'kumo: simulated container app of pod default/web started (image docker.io/library/nginx:latest, restart 0)',
      'kumo: container app is ready',
      'kumo: container app running for 30s',
      'kumo: container app running for 1m0s',
    ]);
    assert.deepEqual(sim.logs('default', 'web', 'app', { tailLines: 1, timestamps: true }), ['2026-01-01T12:01:00.000000000Z kumo: container app running for 1m0s']);
    assert.deepEqual(sim.logs('default', 'web', 'app', { sinceSeconds: 40 }), ['kumo: container app running for 30s', 'kumo: container app running for 1m0s']);
    assert.throws(() => sim.logs('default', 'web', 'app', { previous: true }), /previous terminated container "app" in pod "web" not found/);
    assert.throws(() => sim.logs('default', 'web', 'nope'), /container nope is not valid for pod web/);
    assert.throws(() => sim.logs('default', 'nope', 'app'), (e: unknown) => e instanceof ApiError && e.status.code === 404);
    await runUntil(clock, sim, T0 + 70_000);
    const prev = sim.logs('default', 'web', 'app', { previous: true });
    assert.equal(prev[0], 'kumo: simulated container app of pod default/web started (image docker.io/library/nginx:latest, restart 0)');
    assert.equal(prev.at(-1), 'kumo: container app exited with code 1 (Error)');
  });
});

describe('pod controller', () => {
  test('pod IPs are unique on a node and come back when pods go; hostNetwork pods use the host IP', async (t) => {
    const { client, clock, sim } = await startCluster(t);
    const [a, b] = await sim.addNodes({ count: 2, instanceType: 't3.micro' });
    const pods = client.resource('', 'v1', 'pods');
    for (let i = 0; i < 4; i++) {
      await pods.create('default', podManifest(`p${i}`));
      await pods.bind('default', `p${i}`, i < 2 ? a : b);
    }
    await pods.create('default', podManifest('host', { spec: { hostNetwork: true } }));
    await pods.bind('default', 'host', a);
    await runUntil(clock, sim, T0 + 2_000);
    const ips = async () => new Map((await pods.list('default')).items.map((p) => [(p.metadata as Obj).name as string, (p.status as Obj).podIP as string]));
    const got = await ips();
    assert.equal(got.get('host'), '192.168.0.10');
    const podIps = ['p0', 'p1', 'p2', 'p3'].map((n) => got.get(n)!);
    assert.equal(new Set(podIps).size, 4);
    for (const ip of podIps) assert.match(ip, /^100\.64\.0\.\d+$/);
    // t3.micro: 4 pods, so a block of 8 addresses (6 usable) per node.
    await pods.delete('default', 'p0', { gracePeriodSeconds: 0 });
    await pods.create('default', podManifest('late'));
    await pods.bind('default', 'late', a);
    await runUntil(clock, sim, T0 + 4_000);
    assert.ok(!podIps.slice(1).includes((await ips()).get('late')!));
  });

  test('finished pods give their address back while they stay listed', async (t) => {
    const { client, clock, sim } = await startCluster(t);
    // t3.micro: a block of 8 addresses, 6 usable.
    const [a] = await sim.addNodes({ count: 1, instanceType: 't3.micro' });
    const pods = client.resource('', 'v1', 'pods');
    for (let i = 0; i < 10; i++) {
      await pods.create('default', podManifest(`job-${i}`, { spec: { restartPolicy: 'Never' }, annotations: { 'kumo.dev/run-seconds': '1' } }));
      await pods.bind('default', `job-${i}`, a);
      await runUntil(clock, sim, clock.now() + 3_000);
    }
    const phases = (await pods.list('default')).items.map((p) => (p.status as Obj).phase);
    assert.deepEqual(phases, Array(10).fill('Succeeded'));
  });

  test('status writes survive concurrent writers (conflicts are retried) and the shared informer works', async (t) => {
    const { client, clock } = await startCluster(t);
    const { NodeSimulator } = await import('../../src/kubelet/simulator.js');
    const factory = new SharedInformerFactory(client, clock);
    const sim = new NodeSimulator({ client, clock, informers: factory, seed: 3 });
    t.after(async () => {
      await sim.stop();
      await factory.stop();
    });
    await sim.start();
    factory.start();
    await factory.waitForCacheSync();
    const [a] = await sim.addNodes({ count: 1, namePrefix: 'n' });
    const pods = client.resource('', 'v1', 'pods');
    await pods.create('default', podManifest('web', { spec: { readinessGates: [{ conditionType: 'example.com/lb' }] } }));
    await pods.bind('default', 'web', a);
    // Another writer keeps changing the pod's labels and conditions while the kubelet works.
    for (let i = 0; i < 5; i++) {
      await settle(sim);
      const cur = await pods.get('default', 'web');
      await pods.patch('default', 'web', 'merge', { metadata: { labels: { round: String(i) } } });
      if (i === 2) {
        const conds = [...(((cur.status as Obj).conditions as Obj[]) ?? []), { type: 'example.com/lb', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T12:00:00Z' }];
        await pods.patch('default', 'web', 'merge', { status: { conditions: conds } }, { subresource: 'status' });
      }
      clock.advance(200);
    }
    await runUntil(clock, sim, T0 + 5_000);
    const st = (await pods.get('default', 'web')).status as { phase: string; conditions: Array<{ type: string; status: string }> };
    assert.equal(st.phase, 'Running');
    assert.deepEqual(st.conditions.map((c) => `${c.type}=${c.status}`), ['example.com/lb=True', 'PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
  });

  test('a readiness gate not yet true keeps the pod not Ready with upstream\'s message', async (t) => {
    const { client, clock, sim } = await startCluster(t);
    const [a] = await sim.addNodes({ count: 1 });
    const pods = client.resource('', 'v1', 'pods');
    await pods.create('default', podManifest('web', { spec: { readinessGates: [{ conditionType: 'example.com/lb' }] } }));
    await pods.bind('default', 'web', a);
    await runUntil(clock, sim, T0 + 3_000);
    const ready = ((await pods.get('default', 'web')).status as { conditions: Array<Record<string, string>> }).conditions.find((c) => c.type === 'Ready')!;
    assert.deepEqual([ready.status, ready.reason, ready.message], ['False', 'ReadinessGatesNotReady', 'corresponding condition of pod readiness gate "example.com/lb" does not exist.']);
    const cur = await pods.get('default', 'web');
    const conds = [...((cur.status as Obj).conditions as Obj[]), { type: 'example.com/lb', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-01T12:00:03Z' }];
    await pods.patch('default', 'web', 'merge', { status: { conditions: conds } }, { subresource: 'status' });
    await runUntil(clock, sim, T0 + 4_000);
    const readyNow = async () => ((await pods.get('default', 'web')).status as { conditions: Array<Record<string, string>> }).conditions.find((c) => c.type === 'Ready')!;
    assert.equal((await readyNow()).message, 'the status of pod readiness gate "example.com/lb" is not "True", but False');
    const cur2 = await pods.get('default', 'web');
    const conds2 = ((cur2.status as Obj).conditions as Obj[]).map((c) => (c.type === 'example.com/lb' ? { ...c, status: 'True' } : c));
    await pods.patch('default', 'web', 'merge', { status: { conditions: conds2 } }, { subresource: 'status' });
    await runUntil(clock, sim, T0 + 5_000);
    assert.equal((await readyNow()).status, 'True');
  });
});
