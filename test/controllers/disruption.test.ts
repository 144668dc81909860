import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deletionTimestamp, name } from '../../src/client/objects.js';
import { isTooManyRequests } from '../../src/client/errors.js';
import type { Obj } from '../../src/client/types.js';
import { deploymentManifest, startCluster, until } from './helpers.js';

describe('disruption controller', () => {
  test('PDB status follows ready pods; eviction waits (429) until a replacement is Ready, as kubectl drain does', async (t) => {
    const c = await startCluster(t);
    const deps = c.res('apps', 'v1', 'deployments');
    const pdbs = c.res('policy', 'v1', 'poddisruptionbudgets');
    await deps.create('default', deploymentManifest('web', 3));
    await pdbs.create('default', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } });
    await until(async () => (await pdbs.get('default', 'web')).status !== undefined && ((await pdbs.get('default', 'web')).status as Obj).currentHealthy === 3, 'three healthy');
    const pdb = await pdbs.get('default', 'web');
    const s = pdb.status as Obj;
    assert.deepEqual([s.expectedPods, s.currentHealthy, s.desiredHealthy, s.disruptionsAllowed, s.observedGeneration], [3, 3, 2, 1, 1]);
    const cond = (s.conditions as Obj[])[0];
    assert.deepEqual([cond.type, cond.status, cond.reason], ['DisruptionAllowed', 'True', 'SufficientPods']);

    // Drain: the simulated kubelet stops, so an evicted pod stays Terminating and its replacement Pending.
    c.kubelet.paused = true;
    const pods = (await c.pods.list('default')).items;
    await c.pods.evict('default', name(pods[0]));
    await until(async () => ((await pdbs.get('default', 'web')).status as Obj).disruptionsAllowed === 0 && ((await pdbs.get('default', 'web')).status as Obj).currentHealthy === 2, 'budget spent');
    const spent = (await pdbs.get('default', 'web')).status as Obj;
    assert.deepEqual([(spent.conditions as Obj[])[0].status, (spent.conditions as Obj[])[0].reason], ['False', 'InsufficientPods']);
    await assert.rejects(c.pods.evict('default', name(pods[1])), (e) => isTooManyRequests(e));

    c.kubelet.paused = false;
    c.kubelet.poke();
    await until(async () => ((await pdbs.get('default', 'web')).status as Obj).disruptionsAllowed === 1, 'replacement Ready');
    await c.pods.evict('default', name(pods[1]));
    await until(async () => (await c.pods.list('default')).items.filter((p) => !deletionTimestamp(p)).length === 3, 'replacement pods');
  });

  test('maxUnavailable as a percentage is taken of the controllers scale', async (t) => {
    const c = await startCluster(t);
    const pdbs = c.res('policy', 'v1', 'poddisruptionbudgets');
    await c.res('apps', 'v1', 'deployments').create('default', deploymentManifest('api', 4));
    await pdbs.create('default', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api' }, spec: { maxUnavailable: '30%', selector: { matchLabels: { app: 'api' } } } });
    await until(async () => ((await pdbs.get('default', 'api')).status as Obj | undefined)?.currentHealthy === 4, 'four healthy');
    const s = (await pdbs.get('default', 'api')).status as Obj;
    // 30% of 4 rounds up to 2 unavailable: 2 must stay healthy.
    assert.deepEqual([s.expectedPods, s.desiredHealthy, s.disruptionsAllowed], [4, 2, 2]);
  });
});
