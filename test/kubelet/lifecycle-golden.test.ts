// Golden tests of the pod lifecycle: for each scenario, every pod status the simulated kubelet
// writes (phase | conditions | container states | pod IP), seen through a watch and stamped with
// simulated seconds, under a FakeClock shared with the API server.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Obj } from '../../src/client/types.js';
import { distinct, podManifest, recordPod, runUntil, startCluster, T0 } from './fixture.js';

const PRINT = process.env.KUMO_GOLDEN_PRINT === '1';

async function scenario(t: { after(fn: () => unknown): void }, manifest: Obj, seconds: number, opts: { deleteAt?: number; gracePeriodSeconds?: number } = {}): Promise<string[]> {
  const { clock, client, sim } = await startCluster(t);
  const [node] = await sim.addNodes({ count: 1 });
  const pods = client.resource('', 'v1', 'pods');
  const name = String((manifest.metadata as Obj).name);
  const log = recordPod(client, clock, name, t);
  await pods.create('default', manifest);
  await pods.bind('default', name, node);
  if (opts.deleteAt !== undefined) {
    await runUntil(clock, sim, T0 + opts.deleteAt * 1000);
    await pods.delete('default', name, opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : undefined);
  }
  await runUntil(clock, sim, T0 + seconds * 1000);
  const lines = distinct(log).map((l) => l.replace(/\([0-9a-f]{8}-[0-9a-f-]{27}\)/g, '(<uid>)'));
  if (PRINT) console.log(JSON.stringify(lines, null, 2));
  return lines;
}

const JOB_OWNER = [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: '00000000-0000-0000-0000-000000000001', controller: true }];

describe('pod lifecycle (golden)', () => {
  test('a plain pod: ContainerCreating, then Running and Ready at once', async (t) => {
    assert.deepEqual(await scenario(t, podManifest('web'), 5), [
      "0.000 Pending |  |  | no-ip",
      "0.000 Pending | PodScheduled=True |  | no-ip",
      "0.000 Pending | PodReadyToStartContainers=False Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | no-ip",
      "0.142 Pending | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | ip",
      "0.541 Running | PodReadyToStartContainers=True Initialized=True Ready=True ContainersReady=True PodScheduled=True | app:running r0 ready started | ip",
    ]);
  });
  test('readiness after the probe\'s initialDelaySeconds', async (t) => {
    assert.deepEqual(await scenario(t, podManifest('web', { spec: { containers: [{ name: 'app', image: 'nginx', readinessProbe: { httpGet: { port: 80 }, initialDelaySeconds: 5 } }] } }), 10), [
      "0.000 Pending |  |  | no-ip",
      "0.000 Pending | PodScheduled=True |  | no-ip",
      "0.000 Pending | PodReadyToStartContainers=False Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | no-ip",
      "0.142 Pending | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | ip",
      "0.541 Running | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:running r0 started | ip",
      "5.541 Running | PodReadyToStartContainers=True Initialized=True Ready=True ContainersReady=True PodScheduled=True | app:running r0 ready started | ip",
    ]);
  });
  test('init containers one by one, a sidecar keeps running', async (t) => {
    const spec = { initContainers: [{ name: 'migrate', image: 'busybox' }, { name: 'proxy', image: 'envoyproxy/envoy:v1.30', restartPolicy: 'Always' }, { name: 'warm', image: 'busybox' }] };
    assert.deepEqual(await scenario(t, podManifest('web', { annotations: { 'kumo.dev/init-run-seconds': '2' }, spec }), 10), [
      "0.000 Pending |  |  | no-ip",
      "0.000 Pending | PodScheduled=True |  | no-ip",
      "0.000 Pending | PodReadyToStartContainers=False Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:waiting(PodInitializing) r0, init:proxy:waiting(PodInitializing) r0, init:warm:waiting(PodInitializing) r0, app:waiting(PodInitializing) r0 | no-ip",
      "0.142 Pending | PodReadyToStartContainers=True Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:waiting(PodInitializing) r0, init:proxy:waiting(PodInitializing) r0, init:warm:waiting(PodInitializing) r0, app:waiting(PodInitializing) r0 | ip",
      "0.341 Pending | PodReadyToStartContainers=True Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:running r0 started, init:proxy:waiting(PodInitializing) r0, init:warm:waiting(PodInitializing) r0, app:waiting(PodInitializing) r0 | ip",
      "2.341 Pending | PodReadyToStartContainers=True Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:terminated(Completed 0) r0 ready, init:proxy:waiting(PodInitializing) r0, init:warm:waiting(PodInitializing) r0, app:waiting(PodInitializing) r0 | ip",
      "2.540 Pending | PodReadyToStartContainers=True Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:terminated(Completed 0) r0 ready, init:proxy:running r0 ready started, init:warm:waiting(PodInitializing) r0, app:waiting(PodInitializing) r0 | ip",
      "2.739 Pending | PodReadyToStartContainers=True Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:terminated(Completed 0) r0 ready, init:proxy:running r0 ready started, init:warm:running r0 started, app:waiting(PodInitializing) r0 | ip",
      "4.739 Pending | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:terminated(Completed 0) r0 ready, init:proxy:running r0 ready started, init:warm:terminated(Completed 0) r0 ready, app:waiting(PodInitializing) r0 | ip",
      "5.138 Running | PodReadyToStartContainers=True Initialized=True Ready=True ContainersReady=True PodScheduled=True | init:migrate:terminated(Completed 0) r0 ready, init:proxy:running r0 ready started, init:warm:terminated(Completed 0) r0 ready, app:running r0 ready started | ip",
    ]);
  });
  test('a Job pod succeeds after its run time', async (t) => {
    assert.deepEqual(await scenario(t, podManifest('pi', { ownerReferences: JOB_OWNER, spec: { restartPolicy: 'Never' } }), 10), [
      "0.000 Pending |  |  | no-ip",
      "0.000 Pending | PodScheduled=True |  | no-ip",
      "0.000 Pending | PodReadyToStartContainers=False Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | no-ip",
      "0.189 Pending | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | ip",
      "0.458 Running | PodReadyToStartContainers=True Initialized=True Ready=True ContainersReady=True PodScheduled=True | app:running r0 ready started | ip",
      "5.458 Succeeded | PodReadyToStartContainers=False Initialized=True(PodCompleted) Ready=False(PodCompleted) ContainersReady=False(PodCompleted) PodScheduled=True | app:terminated(Completed 0) r0 | ip",
    ]);
  });
  test('a crash loop: immediate first restart, then CrashLoopBackOff 10s, 20s, 40s', async (t) => {
    assert.deepEqual(await scenario(t, podManifest('web', { annotations: { 'kumo.dev/crash-after-seconds': '2' } }), 90), [
      "0.000 Pending |  |  | no-ip",
      "0.000 Pending | PodScheduled=True |  | no-ip",
      "0.000 Pending | PodReadyToStartContainers=False Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | no-ip",
      "0.142 Pending | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | ip",
      "0.541 Running | PodReadyToStartContainers=True Initialized=True Ready=True ContainersReady=True PodScheduled=True | app:running r0 ready started | ip",
      "2.541 Running | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:terminated(Error 1) r0 | ip",
      "2.541 Running | PodReadyToStartContainers=True Initialized=True Ready=True ContainersReady=True PodScheduled=True | app:running r1 ready started last=terminated(Error 1) | ip",
      "4.541 Running | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:terminated(Error 1) r1 last=terminated(Error 1) | ip",
      "4.541 Running | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(CrashLoopBackOff: back-off 10s restarting failed container=app pod=web_default(<uid>)) r1 last=terminated(Error 1) | ip",
      "14.000 Running | PodReadyToStartContainers=True Initialized=True Ready=True ContainersReady=True PodScheduled=True | app:running r2 ready started last=terminated(Error 1) | ip",
      "16.000 Running | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:terminated(Error 1) r2 last=terminated(Error 1) | ip",
      "16.000 Running | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(CrashLoopBackOff: back-off 20s restarting failed container=app pod=web_default(<uid>)) r2 last=terminated(Error 1) | ip",
      "36.000 Running | PodReadyToStartContainers=True Initialized=True Ready=True ContainersReady=True PodScheduled=True | app:running r3 ready started last=terminated(Error 1) | ip",
      "38.000 Running | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:terminated(Error 1) r3 last=terminated(Error 1) | ip",
      "38.000 Running | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(CrashLoopBackOff: back-off 40s restarting failed container=app pod=web_default(<uid>)) r3 last=terminated(Error 1) | ip",
      "78.000 Running | PodReadyToStartContainers=True Initialized=True Ready=True ContainersReady=True PodScheduled=True | app:running r4 ready started last=terminated(Error 1) | ip",
      "80.000 Running | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:terminated(Error 1) r4 last=terminated(Error 1) | ip",
      "80.000 Running | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(CrashLoopBackOff: back-off 1m20s restarting failed container=app pod=web_default(<uid>)) r4 last=terminated(Error 1) | ip",
    ]);
  });
  test('OOMKilled under restartPolicy Never: the pod fails', async (t) => {
    assert.deepEqual(await scenario(t, podManifest('hog', { annotations: { 'kumo.dev/oom-after-seconds': '3' }, spec: { restartPolicy: 'Never' } }), 10), [
      "0.000 Pending |  |  | no-ip",
      "0.000 Pending | PodScheduled=True |  | no-ip",
      "0.000 Pending | PodReadyToStartContainers=False Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | no-ip",
      "0.129 Pending | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | ip",
      "0.389 Running | PodReadyToStartContainers=True Initialized=True Ready=True ContainersReady=True PodScheduled=True | app:running r0 ready started | ip",
      "3.389 Failed | PodReadyToStartContainers=False Initialized=True Ready=False(PodFailed) ContainersReady=False(PodFailed) PodScheduled=True | app:terminated(OOMKilled 137) r0 | ip",
    ]);
  });
  test('image pull errors: ErrImagePull, then ImagePullBackOff with back-off', async (t) => {
    assert.deepEqual(await scenario(t, podManifest('web', { annotations: { 'kumo.dev/image-pull-error': 'true' } }), 40), [
      "0.000 Pending |  |  | no-ip",
      "0.000 Pending | PodScheduled=True |  | no-ip",
      "0.000 Pending | PodReadyToStartContainers=False Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | no-ip",
      "0.142 Pending | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | ip",
      "0.492 Pending | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ErrImagePull) r0 | ip",
      "1.492 Pending | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ImagePullBackOff) r0 | ip",
      "10.492 Pending | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ErrImagePull) r0 | ip",
      "11.492 Pending | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ImagePullBackOff) r0 | ip",
      "30.492 Pending | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ErrImagePull) r0 | ip",
      "31.492 Pending | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ImagePullBackOff) r0 | ip",
    ]);
  });
  test('failing readiness: Running, never Ready', async (t) => {
    assert.deepEqual(await scenario(t, podManifest('web', { annotations: { 'kumo.dev/fail-readiness': 'true' } }), 30), [
      "0.000 Pending |  |  | no-ip",
      "0.000 Pending | PodScheduled=True |  | no-ip",
      "0.000 Pending | PodReadyToStartContainers=False Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | no-ip",
      "0.142 Pending | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | ip",
      "0.541 Running | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:running r0 started | ip",
    ]);
  });
  test('deletion: containers stop after their shutdown time, then the pod is deleted', async (t) => {
    assert.deepEqual(await scenario(t, podManifest('web', { annotations: { 'kumo.dev/shutdown-seconds': '2' } }), 20, { deleteAt: 5 }), [
      "0.000 Pending |  |  | no-ip",
      "0.000 Pending | PodScheduled=True |  | no-ip",
      "0.000 Pending | PodReadyToStartContainers=False Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | no-ip",
      "0.142 Pending | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | ip",
      "0.541 Running | PodReadyToStartContainers=True Initialized=True Ready=True ContainersReady=True PodScheduled=True | app:running r0 ready started | ip",
      "5.000 Running | PodReadyToStartContainers=True Initialized=True Ready=True ContainersReady=True PodScheduled=True | app:running r0 ready started | ip | deleting",
      "7.000 Succeeded | PodReadyToStartContainers=False Initialized=True(PodCompleted) Ready=False(PodCompleted) ContainersReady=False(PodCompleted) PodScheduled=True | app:terminated(Completed 0) r0 | ip | deleting",
      "7.000 DELETED",
    ]);
  });
  test('deletion: containers still running at the end of the grace period are killed', async (t) => {
    assert.deepEqual(await scenario(t, podManifest('web', { annotations: { 'kumo.dev/shutdown-seconds': '60' } }), 30, { deleteAt: 5, gracePeriodSeconds: 10 }), [
      "0.000 Pending |  |  | no-ip",
      "0.000 Pending | PodScheduled=True |  | no-ip",
      "0.000 Pending | PodReadyToStartContainers=False Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | no-ip",
      "0.142 Pending | PodReadyToStartContainers=True Initialized=True Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | app:waiting(ContainerCreating) r0 | ip",
      "0.541 Running | PodReadyToStartContainers=True Initialized=True Ready=True ContainersReady=True PodScheduled=True | app:running r0 ready started | ip",
      "5.000 Running | PodReadyToStartContainers=True Initialized=True Ready=True ContainersReady=True PodScheduled=True | app:running r0 ready started | ip | deleting",
      "15.000 Failed | PodReadyToStartContainers=False Initialized=True Ready=False(PodFailed) ContainersReady=False(PodFailed) PodScheduled=True | app:terminated(Error 137) r0 | ip | deleting",
      "15.000 DELETED",
    ]);
  });
  test('a failing init container: Init:CrashLoopBackOff, the app never starts', async (t) => {
    const spec = { initContainers: [{ name: 'migrate', image: 'busybox' }] };
    assert.deepEqual(await scenario(t, podManifest('web', { annotations: { 'kumo.dev/crash-after-seconds': '1', 'kumo.dev/fail-containers': 'migrate' }, spec }), 20), [
      "0.000 Pending |  |  | no-ip",
      "0.000 Pending | PodScheduled=True |  | no-ip",
      "0.000 Pending | PodReadyToStartContainers=False Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:waiting(PodInitializing) r0, app:waiting(PodInitializing) r0 | no-ip",
      "0.142 Pending | PodReadyToStartContainers=True Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:waiting(PodInitializing) r0, app:waiting(PodInitializing) r0 | ip",
      "0.341 Pending | PodReadyToStartContainers=True Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:running r0 started, app:waiting(PodInitializing) r0 | ip",
      "1.341 Pending | PodReadyToStartContainers=True Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:terminated(Error 1) r0, app:waiting(PodInitializing) r0 | ip",
      "1.341 Pending | PodReadyToStartContainers=True Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:running r1 started last=terminated(Error 1), app:waiting(PodInitializing) r0 | ip",
      "2.341 Pending | PodReadyToStartContainers=True Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:terminated(Error 1) r1 last=terminated(Error 1), app:waiting(PodInitializing) r0 | ip",
      "2.341 Pending | PodReadyToStartContainers=True Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:waiting(CrashLoopBackOff: back-off 10s restarting failed container=migrate pod=web_default(<uid>)) r1 last=terminated(Error 1), app:waiting(PodInitializing) r0 | ip",
      "12.000 Pending | PodReadyToStartContainers=True Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:running r2 started last=terminated(Error 1), app:waiting(PodInitializing) r0 | ip",
      "13.000 Pending | PodReadyToStartContainers=True Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:terminated(Error 1) r2 last=terminated(Error 1), app:waiting(PodInitializing) r0 | ip",
      "13.000 Pending | PodReadyToStartContainers=True Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:waiting(CrashLoopBackOff: back-off 20s restarting failed container=migrate pod=web_default(<uid>)) r2 last=terminated(Error 1), app:waiting(PodInitializing) r0 | ip",
    ]);
  });
  test('a failing init container under restartPolicy Never fails the pod', async (t) => {
    const spec = { restartPolicy: 'Never', initContainers: [{ name: 'migrate', image: 'busybox' }] };
    assert.deepEqual(await scenario(t, podManifest('web', { annotations: { 'kumo.dev/crash-after-seconds': '1', 'kumo.dev/fail-containers': 'migrate' }, spec }), 5), [
      "0.000 Pending |  |  | no-ip",
      "0.000 Pending | PodScheduled=True |  | no-ip",
      "0.000 Pending | PodReadyToStartContainers=False Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:waiting(PodInitializing) r0, app:waiting(PodInitializing) r0 | no-ip",
      "0.142 Pending | PodReadyToStartContainers=True Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:waiting(PodInitializing) r0, app:waiting(PodInitializing) r0 | ip",
      "0.341 Pending | PodReadyToStartContainers=True Initialized=False(ContainersNotInitialized) Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) PodScheduled=True | init:migrate:running r0 started, app:waiting(PodInitializing) r0 | ip",
      "1.341 Failed | PodReadyToStartContainers=False Initialized=False(ContainersNotInitialized) Ready=False(PodFailed) ContainersReady=False(PodFailed) PodScheduled=True | init:migrate:terminated(Error 1) r0, app:waiting(PodInitializing) r0 | ip",
    ]);
  });
});
