import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedInformerFactory } from '../../src/client/informer-factory.js';
import { annotations, deletionTimestamp, field, keyOf, labels, name } from '../../src/client/objects.js';
import type { Obj } from '../../src/client/types.js';
import { RealClock } from '../../src/util/clock.js';
import { deploymentManifest, startCluster, until } from './helpers.js';
import type { Cluster } from './helpers.js';

const isReady = (p: Obj) => ((field(p, 'status', 'conditions') as Obj[]) ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** What `kubectl rollout status` waits for (kubectl/pkg/polymorphichelpers/rollout_status.go). */
function rolloutDone(d: Obj): boolean {
  const s = (d.status ?? {}) as Record<string, number>;
  const gen = Number((d.metadata as Obj).generation);
  const want = Number(field(d, 'spec', 'replicas'));
  return (s.observedGeneration ?? 0) >= gen && (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === (s.updatedReplicas ?? 0) && (s.availableReplicas ?? 0) === (s.updatedReplicas ?? 0);
}

async function waitRollout(c: Cluster, nm: string): Promise<Obj> {
  const deps = c.res('apps', 'v1', 'deployments');
  let d: Obj = {};
  await until(async () => rolloutDone((d = await deps.get('default', nm))), `rollout of ${nm}`);
  return d;
}

async function replicaSets(c: Cluster): Promise<Obj[]> {
  return (await c.res('apps', 'v1', 'replicasets').list('default')).items;
}

describe('Deployment controller', () => {
  test('a 3-replica rollout completes with the status rollout status and kstatus read', async (t) => {
    const c = await startCluster(t);
    await c.res('apps', 'v1', 'deployments').create('default', deploymentManifest('web', 3));
    const d = await waitRollout(c, 'web');
    const rss = await replicaSets(c);
    assert.equal(rss.length, 1);
    const rs = rss[0];
    const hash = labels(rs)['pod-template-hash'];
    assert.ok(hash);
    assert.equal(name(rs), `web-${hash}`);
    assert.equal(annotations(rs)['deployment.kubernetes.io/revision'], '1');
    assert.equal(annotations(rs)['deployment.kubernetes.io/desired-replicas'], '3');
    assert.equal(annotations(rs)['deployment.kubernetes.io/max-replicas'], '4');
    assert.equal(annotations(d)['deployment.kubernetes.io/revision'], '1');
    const s = d.status as Obj;
    assert.deepEqual([s.observedGeneration, s.replicas, s.updatedReplicas, s.readyReplicas, s.availableReplicas, s.unavailableReplicas], [1, 3, 3, 3, 3, undefined]);
    const conds = Object.fromEntries((s.conditions as Obj[]).map((x) => [x.type, x]));
    assert.equal(conds.Available.status, 'True');
    assert.equal(conds.Available.reason, 'MinimumReplicasAvailable');
    assert.equal(conds.Available.message, 'Deployment has minimum availability.');
    assert.equal(conds.Progressing.status, 'True');
    assert.equal(conds.Progressing.reason, 'NewReplicaSetAvailable');
    assert.equal(conds.Progressing.message, `ReplicaSet "${name(rs)}" has successfully progressed.`);
    const pods = (await c.pods.list('default')).items;
    assert.equal(pods.length, 3);
    for (const p of pods) assert.equal(labels(p)['pod-template-hash'], hash);

    // What `kubectl describe` lists: the Deployment's scaling and the ReplicaSet's pod creations.
    const events = c.res('', 'v1', 'events');
    const about = (all: Obj[], kind: string, nm: string) => all.filter((e) => field(e, 'involvedObject', 'kind') === kind && field(e, 'involvedObject', 'name') === nm);
    let evs: Obj[] = [];
    await until(async () => {
      evs = (await events.list('default')).items;
      return about(evs, 'ReplicaSet', name(rs)).filter((e) => e.reason === 'SuccessfulCreate').length === 3 && about(evs, 'Deployment', 'web').length > 0;
    }, 'rollout events');
    const scaling = about(evs, 'Deployment', 'web');
    assert.deepEqual(
      scaling.map((e) => [e.type, e.reason, e.message, field(e, 'source', 'component')]),
      [['Normal', 'ScalingReplicaSet', `Scaled up replica set ${name(rs)} from 0 to 3`, 'deployment-controller']],
    );
    assert.equal(field(scaling[0], 'involvedObject', 'uid'), field(d, 'metadata', 'uid'));
    const created = about(evs, 'ReplicaSet', name(rs)).filter((e) => e.reason === 'SuccessfulCreate');
    assert.deepEqual(created.map((e) => e.message).sort(), pods.map((p) => `Created pod: ${name(p)}`).sort());
    for (const e of created) assert.equal(field(e, 'source', 'component'), 'replicaset-controller');
  });

  test('set image keeps maxUnavailable and maxSurge at every observed moment; rollout undo reuses the old ReplicaSet', async (t) => {
    const c = await startCluster(t);
    const deps = c.res('apps', 'v1', 'deployments');
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } };
    await deps.create('default', deploymentManifest('web', 4, 'nginx:1.25', { strategy }));
    await waitRollout(c, 'web');

    // Watch every pod change and check the bounds on the state after each event.
    const watcher = new SharedInformerFactory(c.client, new RealClock());
    const informer = watcher.informerFor('', 'v1', 'pods');
    const state = new Map<string, Obj>();
    const violations: string[] = [];
    let events = 0;
    let armed = false;
    const check = () => {
      if (!armed) return;
      events++;
      const live = [...state.values()].filter((p) => !deletionTimestamp(p));
      const ready = live.filter(isReady).length;
      if (ready < 3) violations.push(`only ${ready} ready pods at event ${events}`);
      if (live.length > 5) violations.push(`${live.length} pods at event ${events}`);
    };
    informer.addEventHandler({
      onAdd: (p) => (state.set(keyOf(p), p), check()),
      onUpdate: (_o, p) => (state.set(keyOf(p), p), check()),
      onDelete: (p) => (state.delete(keyOf(p)), check()),
    });
    informer.start();
    t.after(() => watcher.stop());
    await informer.waitForSync();
    armed = true;
    check();

    await deps.patch('default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } });
    const d2 = await waitRollout(c, 'web');
    assert.deepEqual(violations, []);
    assert.ok(events > 10, `saw ${events} pod events`);
    assert.equal(annotations(d2)['deployment.kubernetes.io/revision'], '2');
    const live = (await c.pods.list('default')).items.filter((p) => !deletionTimestamp(p));
    assert.equal(live.length, 4);
    assert.deepEqual(new Set(live.map((p) => (field(p, 'spec', 'containers') as Obj[])[0].image)), new Set(['nginx:1.26']));

    // kubectl rollout undo (client-side in 1.33): the template of revision 1, without the hash label.
    const rss = await replicaSets(c);
    assert.equal(rss.length, 2);
    const first = rss.find((rs) => annotations(rs)['deployment.kubernetes.io/revision'] === '1')!;
    const template = structuredClone(field(first, 'spec', 'template') as Obj);
    delete ((template.metadata as Obj).labels as Record<string, string>)['pod-template-hash'];
    await deps.patch('default', 'web', 'json', [{ op: 'replace', path: '/spec/template', value: template }]);
    const d3 = await waitRollout(c, 'web');
    assert.deepEqual(violations, []);
    assert.equal(annotations(d3)['deployment.kubernetes.io/revision'], '3');
    const after = await replicaSets(c);
    assert.equal(after.length, 2, 'no new ReplicaSet for a rollback');
    const reused = after.find((rs) => name(rs) === name(first))!;
    assert.equal(annotations(reused)['deployment.kubernetes.io/revision'], '3');
    assert.equal(annotations(reused)['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(field(reused, 'spec', 'replicas'), 4);
  });

  test('scale to 0 and back; Recreate replaces all pods; pause holds a template change', async (t) => {
    const c = await startCluster(t);
    const deps = c.res('apps', 'v1', 'deployments');
    await deps.create('default', deploymentManifest('web', 2, 'nginx:1.25', { strategy: { type: 'Recreate' } }));
    await waitRollout(c, 'web');
    await deps.patch('default', 'web', 'merge', { spec: { replicas: 0 } });
    await until(async () => (await c.pods.list('default')).items.length === 0 && rolloutDone(await deps.get('default', 'web')), 'scale to 0');
    await deps.patch('default', 'web', 'merge', { spec: { replicas: 3 } });
    const d = await waitRollout(c, 'web');
    assert.equal((d.status as Obj).availableReplicas, 3);
    assert.equal((await c.pods.list('default')).items.length, 3);

    await deps.patch('default', 'web', 'merge', { spec: { paused: true } });
    await until(async () => field(await deps.get('default', 'web'), 'status', 'conditions') !== undefined && ((field(await deps.get('default', 'web'), 'status', 'conditions') as Obj[]).some((x) => x.reason === 'DeploymentPaused')), 'Paused condition');
    await deps.patch('default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } });
    await until(async () => field(await deps.get('default', 'web'), 'status', 'observedGeneration') === 4, 'paused change observed');
    assert.equal((await replicaSets(c)).length, 1, 'no rollout while paused');

    await deps.patch('default', 'web', 'merge', { spec: { paused: false } });
    const d2 = await waitRollout(c, 'web');
    assert.equal(annotations(d2)['deployment.kubernetes.io/revision'], '2');
    const pods = (await c.pods.list('default')).items.filter((p) => !deletionTimestamp(p));
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => (field(p, 'spec', 'containers') as Obj[])[0].image === 'nginx:1.26'));
  });

  test('a rollout whose pods never become ready exceeds its progress deadline under the fake clock', async (t) => {
    const c = await startCluster(t, { fakeClock: true, outcome: () => 'running' });
    const deps = c.res('apps', 'v1', 'deployments');
    await deps.create('default', deploymentManifest('slow', 2, 'nginx', { progressDeadlineSeconds: 30 }));
    await until(async () => Number(field(await deps.get('default', 'slow'), 'status', 'replicas')) === 2, 'pods created');
    const d = await deps.get('default', 'slow');
    const conds = Object.fromEntries(((d.status as Obj).conditions as Obj[]).map((x) => [x.type, x]));
    assert.equal(conds.Available.reason, 'MinimumReplicasUnavailable');
    assert.equal(conds.Available.message, 'Deployment does not have minimum availability.');
    assert.equal(conds.Progressing.status, 'True');
    c.fake!.advance(31_000);
    await until(async () => {
      const p = ((field(await deps.get('default', 'slow'), 'status', 'conditions') as Obj[]) ?? []).find((x) => x.type === 'Progressing');
      return p?.reason === 'ProgressDeadlineExceeded';
    }, 'ProgressDeadlineExceeded');
    const p = ((field(await deps.get('default', 'slow'), 'status', 'conditions') as Obj[]) ?? []).find((x) => x.type === 'Progressing')!;
    assert.equal(p.status, 'False');
    assert.match(String(p.message), /^ReplicaSet "slow-[a-z0-9]+" has timed out progressing\.$/);
  });
});
