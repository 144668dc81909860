// The fields of a pod status the simulated kubelet writes, beyond the golden summaries: container
// IDs, images, back-off and pull messages, lastState, times, addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Obj } from '../../src/client/types.js';
import { podManifest, runUntil, startCluster, T0 } from './fixture.js';

type CS = { name: string; state: Record<string, Record<string, unknown>>; lastState: Record<string, Record<string, unknown>>; ready: boolean; restartCount: number; image: string; imageID: string; containerID?: string; started: boolean };

test('a crash-looping container: CrashLoopBackOff message, lastState, container and image IDs', async (t) => {
  const { clock, client, sim } = await startCluster(t);
  const [node] = await sim.addNodes({ count: 1 });
  const pods = client.resource('', 'v1', 'pods');
  await pods.create('default', podManifest('web-xyz', { annotations: { 'kumo.dev/crash-after-seconds': '2', 'kumo.dev/exit-code': '3' }, spec: { containers: [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:1.27' }] } }));
  await pods.bind('default', 'web-xyz', node);
  await runUntil(clock, sim, T0 + 6_000);
  const pod = await pods.get('default', 'web-xyz');
  const uid = (pod.metadata as Obj).uid as string;
  const st = pod.status as { containerStatuses: CS[]; hostIP: string; hostIPs: Obj[]; podIP: string; podIPs: Obj[]; startTime: string; qosClass: string };
  const [c] = st.containerStatuses;
  assert.deepEqual(c.state, { waiting: { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=app pod=web-xyz_default(${uid})` } });
  assert.equal(c.restartCount, 1);
  assert.equal(c.ready, false);
  assert.equal(c.started, false);
  assert.equal(c.image, 'public.ecr.aws/nginx/nginx:1.27');
  assert.match(c.imageID, /^public\.ecr\.aws\/nginx\/nginx@sha256:[0-9a-f]{64}$/);
  assert.match(c.containerID!, /^containerd:\/\/[0-9a-f]{64}$/);
  const last = c.lastState.terminated as Record<string, unknown>;
  assert.equal(last.exitCode, 3);
  assert.equal(last.reason, 'Error');
  assert.equal(last.containerID, c.containerID);
  assert.equal(Date.parse(String(last.finishedAt)) - Date.parse(String(last.startedAt)), 2000);
  assert.deepEqual([st.hostIP, st.hostIPs, st.podIPs, st.startTime, st.qosClass], ['192.168.0.10', [{ ip: '192.168.0.10' }], [{ ip: st.podIP }], '2026-01-01T12:00:00Z', 'BestEffort']);
});

test('image pull failures carry the runtime error and the kubelet back-off message', async (t) => {
  const { clock, client, sim } = await startCluster(t);
  const [node] = await sim.addNodes({ count: 1 });
  const pods = client.resource('', 'v1', 'pods');
  await pods.create('default', podManifest('web', { annotations: { 'kumo.dev/image-pull-error': 'true', 'kumo.dev/fail-containers': 'app' }, spec: { containers: [{ name: 'app', image: 'nginx' }, { name: 'log', image: 'fluent/fluent-bit:3.0' }] } }));
  await pods.bind('default', 'web', node);
  const cs = async () => ((await pods.get('default', 'web')).status as { containerStatuses: CS[] }).containerStatuses;
  await runUntil(clock, sim, T0 + 1_000);
  assert.deepEqual((await cs())[0].state, {
    waiting: {
      reason: 'ErrImagePull',
      message: 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:latest": failed to resolve reference "docker.io/library/nginx:latest": docker.io/library/nginx:latest: not found',
    },
  });
  assert.equal((await cs())[0].imageID, '');
  assert.ok((await cs())[1].state.running, 'the other container runs');
  await runUntil(clock, sim, T0 + 3_000);
  assert.deepEqual((await cs())[0].state, { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:latest"' } });
  const phase = ((await pods.get('default', 'web')).status as Obj).phase;
  assert.equal(phase, 'Pending');
});

test('OOMKilled under restartPolicy Always restarts with the same back-off', async (t) => {
  const { clock, client, sim } = await startCluster(t);
  const [node] = await sim.addNodes({ count: 1 });
  const pods = client.resource('', 'v1', 'pods');
  await pods.create('default', podManifest('hog', { annotations: { 'kumo.dev/oom-after-seconds': '1' } }));
  await pods.bind('default', 'hog', node);
  await runUntil(clock, sim, T0 + 3_000);
  const [c] = ((await pods.get('default', 'hog')).status as { containerStatuses: CS[] }).containerStatuses;
  assert.equal(c.state.waiting?.reason, 'CrashLoopBackOff');
  assert.deepEqual([c.lastState.terminated.exitCode, c.lastState.terminated.reason], [137, 'OOMKilled']);
});

test('restartPolicy OnFailure: a failed container restarts, a completed one ends the pod Succeeded', async (t) => {
  const { clock, client, sim } = await startCluster(t);
  const [node] = await sim.addNodes({ count: 1 });
  const pods = client.resource('', 'v1', 'pods');
  await pods.create('default', podManifest('retry', { annotations: { 'kumo.dev/crash-after-seconds': '1' }, spec: { restartPolicy: 'OnFailure' } }));
  await pods.create('default', podManifest('done', { annotations: { 'kumo.dev/run-seconds': '2' }, spec: { restartPolicy: 'OnFailure' } }));
  await pods.bind('default', 'retry', node);
  await pods.bind('default', 'done', node);
  await runUntil(clock, sim, T0 + 5_000);
  const retry = (await pods.get('default', 'retry')).status as { phase: string; containerStatuses: CS[] };
  assert.equal(retry.phase, 'Running');
  assert.equal(retry.containerStatuses[0].state.waiting?.reason, 'CrashLoopBackOff');
  const done = (await pods.get('default', 'done')).status as { phase: string; containerStatuses: CS[] };
  assert.equal(done.phase, 'Succeeded');
  assert.equal(done.containerStatuses[0].restartCount, 0);
});

test('kubelet events: image, Created, Started, BackOff repeated with a count, Killing on deletion', async (t) => {
  const { clock, client, sim } = await startCluster(t);
  const [node] = await sim.addNodes({ count: 1 });
  const pods = client.resource('', 'v1', 'pods');
  await pods.create('default', podManifest('web', { annotations: { 'kumo.dev/crash-after-seconds': '2' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } }));
  await pods.bind('default', 'web', node);
  // Starts at ~0.5 s, 2.5 s (at once after the 1st crash), 14 s and 36 s (after back-offs of 10 s and 20 s).
  await runUntil(clock, sim, T0 + 37_000);
  await pods.delete('default', 'web');
  await runUntil(clock, sim, T0 + 38_000);
  const events = (await client.resource('', 'v1', 'events').list('default')).items as Array<Record<string, any>>;
  const mine = events.filter((e) => e.source?.component === 'kubelet').sort((a, b) => String(a.firstTimestamp).localeCompare(String(b.firstTimestamp)) || 0);
  const seen = (reason: string) => mine.filter((e) => e.reason === reason);
  assert.equal(seen('Pulled')[0].message, 'Container image "nginx:1.27" already present on machine');
  assert.equal(seen('Pulled')[0].count, 4, 'one start and three restarts');
  assert.equal(seen('Created')[0].message, 'Created container: app');
  assert.equal(seen('Started')[0].message, 'Started container app');
  const backoff = seen('BackOff');
  assert.equal(backoff.length, 1);
  assert.match(backoff[0].message, /^Back-off restarting failed container app in pod web_default\([0-9a-f-]{36}\)$/);
  assert.equal(backoff[0].type, 'Warning');
  assert.equal(backoff[0].count, 2, 'after the 2nd and 3rd crash (the 1st restarts at once)');
  assert.deepEqual(seen('Killing').map((e) => e.message), ['Stopping container app']);
  const started = seen('Started')[0];
  assert.deepEqual(started.involvedObject.fieldPath, 'spec.containers{app}');
  assert.deepEqual(started.source, { component: 'kubelet', host: node });
  assert.equal(started.reportingInstance, node);
});
