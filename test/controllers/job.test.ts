import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { annotations, field, labels, name } from '../../src/client/objects.js';
import type { Obj } from '../../src/client/types.js';
import { startCluster, until } from './helpers.js';

const jobManifest = (nm: string, spec: Obj = {}, podSpec: Obj = {}): Obj => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: nm, namespace: 'default' },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }], ...podSpec } }, ...spec },
});

const cond = (job: Obj, type: string) => ((field(job, 'status', 'conditions') as Obj[]) ?? []).find((c) => c.type === type);

describe('Job controller', () => {
  test('a Job with completions 3 and parallelism 2 completes', async (t) => {
    const c = await startCluster(t);
    const jobs = c.res('batch', 'v1', 'jobs');
    await jobs.create('default', jobManifest('pi', { completions: 3, parallelism: 2 }));
    let job: Obj = {};
    await until(async () => cond((job = await jobs.get('default', 'pi')), 'Complete')?.status === 'True', 'Complete');
    const s = job.status as Obj;
    assert.equal(s.succeeded, 3);
    assert.equal(s.active, undefined);
    assert.equal(s.ready, 0);
    assert.equal(s.terminating, 0);
    assert.deepEqual(s.uncountedTerminatedPods, {});
    assert.ok(s.startTime && s.completionTime);
    assert.equal(cond(job, 'SuccessCriteriaMet')?.reason, 'CompletionsReached');
    assert.equal(cond(job, 'Complete')?.message, 'Reached expected number of succeeded pods');
    const pods = (await c.pods.list('default')).items;
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => labels(p)['batch.kubernetes.io/job-name'] === 'pi'));
    // Counted pods no longer hold the tracking finalizer.
    assert.ok(pods.every((p) => !((p.metadata as Obj).finalizers as string[] | undefined)?.includes('batch.kubernetes.io/job-tracking')));
    // `kubectl describe job` lists one SuccessfulCreate per pod and the completion.
    let evs: Obj[] = [];
    await until(async () => {
      evs = (await c.res('', 'v1', 'events').list('default')).items.filter((e) => field(e, 'involvedObject', 'kind') === 'Job' && field(e, 'involvedObject', 'name') === 'pi');
      return evs.some((e) => e.reason === 'Completed') && evs.filter((e) => e.reason === 'SuccessfulCreate').length === 3;
    }, 'Job events');
    assert.deepEqual(evs.filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message).sort(), pods.map((p) => `Created pod: ${name(p)}`).sort());
    assert.deepEqual(evs.filter((e) => e.reason === 'Completed').map((e) => [e.type, e.message, field(e, 'source', 'component')]), [['Normal', 'Job completed', 'job-controller']]);
  });

  test('an Indexed Job runs one pod per index with its index annotation, label and hostname', async (t) => {
    const c = await startCluster(t);
    const jobs = c.res('batch', 'v1', 'jobs');
    await jobs.create('default', jobManifest('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    let job: Obj = {};
    await until(async () => cond((job = await jobs.get('default', 'idx')), 'Complete')?.status === 'True', 'Complete');
    assert.equal((job.status as Obj).completedIndexes, '0-2');
    const pods = (await c.pods.list('default')).items.sort((a, b) => (annotations(a)['batch.kubernetes.io/job-completion-index'] < annotations(b)['batch.kubernetes.io/job-completion-index'] ? -1 : 1));
    assert.deepEqual(pods.map((p) => annotations(p)['batch.kubernetes.io/job-completion-index']), ['0', '1', '2']);
    assert.deepEqual(pods.map((p) => labels(p)['batch.kubernetes.io/job-completion-index']), ['0', '1', '2']);
    assert.deepEqual(pods.map((p) => field(p, 'spec', 'hostname')), ['idx-0', 'idx-1', 'idx-2']);
    pods.forEach((p, i) => assert.match(name(p), new RegExp(`^idx-${i}-[a-z0-9]{5}$`)));
  });

  test('failing pods exhaust backoffLimit (with the 10 s backoff on the fake clock); a FailJob rule fails at once', async (t) => {
    const c = await startCluster(t, { fakeClock: true, outcome: (p) => (name(p).startsWith('policy') ? { fail: 42 } : { fail: 1 }) });
    const jobs = c.res('batch', 'v1', 'jobs');
    await jobs.create('default', jobManifest('flaky', { backoffLimit: 1 }));
    let job: Obj = {};
    await until(async () => cond((job = await jobs.get('default', 'flaky')), 'Failed')?.status === 'True', 'Failed', { clock: c.fake });
    assert.equal((job.status as Obj).failed, 2);
    assert.equal(cond(job, 'FailureTarget')?.reason, 'BackoffLimitExceeded');
    assert.equal(cond(job, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(cond(job, 'Failed')?.message, 'Job has reached the specified backoff limit');

    await jobs.create('default', jobManifest('policy', { backoffLimit: 6, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } }] } }));
    await until(async () => cond((job = await jobs.get('default', 'policy')), 'Failed')?.status === 'True', 'Failed by policy');
    assert.equal(cond(job, 'Failed')?.reason, 'PodFailurePolicy');
    assert.match(String(cond(job, 'Failed')?.message), /^Container main for pod default\/policy-[a-z0-9]+ failed with exit code 42 matching FailJob rule at index 0$/);
  });

  test('ttlSecondsAfterFinished deletes the finished Job; suspend keeps pods from starting', async (t) => {
    const c = await startCluster(t, { fakeClock: true });
    const jobs = c.res('batch', 'v1', 'jobs');
    await jobs.create('default', jobManifest('short', { ttlSecondsAfterFinished: 60 }));
    await until(async () => cond(await jobs.get('default', 'short'), 'Complete')?.status === 'True', 'Complete');
    c.fake!.advance(59_000);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(await jobs.get('default', 'short'));
    c.fake!.advance(2_000);
    await until(async () => (await jobs.list('default')).items.length === 0 && (await c.pods.list('default')).items.length === 0, 'TTL deletion with its pods');

    await jobs.create('default', jobManifest('later', { suspend: true }));
    await until(async () => cond(await jobs.get('default', 'later'), 'Suspended')?.status === 'True', 'Suspended');
    assert.equal((await c.pods.list('default', { labelSelector: 'batch.kubernetes.io/job-name=later' })).items.length, 0);
    await jobs.patch('default', 'later', 'merge', { spec: { suspend: false } });
    let job: Obj = {};
    await until(async () => cond((job = await jobs.get('default', 'later')), 'Complete')?.status === 'True', 'Complete after resume');
    assert.equal(cond(job, 'Suspended')?.reason, 'JobResumed');
  });
});

describe('Job pod tracking', () => {
  test('running pods hold the tracking finalizer; deleting the Job releases them', async (t) => {
    const c = await startCluster(t, { outcome: () => 'ready' });
    const jobs = c.res('batch', 'v1', 'jobs');
    await jobs.create('default', jobManifest('long', { parallelism: 2, completions: 4 }));
    await until(async () => (field(await jobs.get('default', 'long'), 'status', 'ready') as number) === 2, 'two ready pods');
    const pods = (await c.pods.list('default')).items;
    assert.equal(pods.length, 2);
    assert.ok(pods.every((p) => ((p.metadata as Obj).finalizers as string[]).includes('batch.kubernetes.io/job-tracking')));
    assert.equal(field(await jobs.get('default', 'long'), 'status', 'active'), 2);
    await jobs.delete('default', 'long', { propagationPolicy: 'Background' });
    await until(async () => (await c.pods.list('default')).items.length === 0, 'pods released and gone');
  });
});
