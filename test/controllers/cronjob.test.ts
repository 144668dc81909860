import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { annotations, controllerOf, field, name } from '../../src/client/objects.js';
import type { Obj } from '../../src/client/types.js';
import { mostRecent, nextTime, parseSchedule } from '../../src/controllers/cronjob/schedule.js';
import { startCluster, until } from './helpers.js';

const at = (s: string) => Date.parse(s);

describe('cron schedules', () => {
  test('fields, steps, names and descriptors', () => {
    assert.equal(nextTime(parseSchedule('*/15 * * * *'), at('2026-01-01T12:07:30Z')), at('2026-01-01T12:15:00Z'));
    assert.equal(nextTime(parseSchedule('@hourly'), at('2026-01-01T12:00:00Z')), at('2026-01-01T13:00:00Z'));
    assert.equal(nextTime(parseSchedule('@daily'), at('2026-01-01T12:00:00Z')), at('2026-01-02T00:00:00Z'));
    assert.equal(nextTime(parseSchedule('@weekly'), at('2026-01-01T12:00:00Z')), at('2026-01-04T00:00:00Z')); // a Sunday
    assert.equal(nextTime(parseSchedule('@monthly'), at('2026-01-15T00:00:00Z')), at('2026-02-01T00:00:00Z'));
    assert.equal(nextTime(parseSchedule('@yearly'), at('2026-01-15T00:00:00Z')), at('2027-01-01T00:00:00Z'));
    assert.equal(nextTime(parseSchedule('30 9 * JAN-MAR MON-FRI'), at('2026-01-03T00:00:00Z')), at('2026-01-05T09:30:00Z'));
    // Both day fields restricted: either matches (the 1st, or any Friday).
    assert.equal(nextTime(parseSchedule('0 0 1 * 5'), at('2026-01-01T00:00:00Z')), at('2026-01-02T00:00:00Z'));
    assert.throws(() => parseSchedule('61 * * * *'), /above maximum/);
    assert.throws(() => parseSchedule('* * * *'), /expected exactly 5 fields/);
    assert.throws(() => parseSchedule('TZ=UTC * * * * *'), /timeZone field/);
  });

  test('time zones', () => {
    // 09:00 in New York (UTC-5 in January) is 14:00 UTC.
    assert.equal(nextTime(parseSchedule('0 9 * * *'), at('2026-01-01T00:00:00Z'), 'America/New_York'), at('2026-01-01T14:00:00Z'));
    assert.equal(nextTime(parseSchedule('0 9 * * *'), at('2026-07-01T00:00:00Z'), 'Europe/Berlin'), at('2026-07-01T07:00:00Z'));
  });

  test('the most recent missed time', () => {
    const r = mostRecent(parseSchedule('* * * * *'), at('2026-01-01T00:00:00Z'), at('2026-01-01T00:05:30Z'));
    assert.equal(r.time, at('2026-01-01T00:05:00Z'));
    assert.equal(r.missed, 5);
  });
});

describe('CronJob controller', () => {
  test('fires under the fake clock, names the Job by its scheduled minute, and records the run', async (t) => {
    const c = await startCluster(t, { fakeClock: true });
    const cjs = c.res('batch', 'v1', 'cronjobs');
    const jobs = c.res('batch', 'v1', 'jobs');
    await cjs.create('default', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tick' },
      spec: { schedule: '*/5 * * * *', successfulJobsHistoryLimit: 1, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } },
    });
    // Created at 12:00:00; nothing runs until 12:05.
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await jobs.list('default')).items.length, 0);
    c.fake!.advance(5 * 60_000 + 1000);
    const first = at('2026-01-01T12:05:00Z');
    await until(async () => (await jobs.list('default')).items.length === 1, 'the first Job');
    const [job] = (await jobs.list('default')).items;
    assert.equal(name(job), `tick-${first / 60_000}`);
    assert.equal(controllerOf(job)?.kind, 'CronJob');
    assert.equal(annotations(job)['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-01-01T12:05:00Z');
    await until(async () => {
      const cj = await cjs.get('default', 'tick');
      return field(cj, 'status', 'lastSuccessfulTime') !== undefined && field(cj, 'status', 'active') === undefined;
    }, 'lastSuccessfulTime');
    const cj = await cjs.get('default', 'tick');
    assert.equal(field(cj, 'status', 'lastScheduleTime'), '2026-01-01T12:05:00Z');

    // The next run; the history limit of 1 removes the first Job.
    c.fake!.advance(5 * 60_000 + 1000);
    await until(async () => {
      const names = (await jobs.list('default')).items.map(name);
      return names.length === 1 && names[0] === `tick-${first / 60_000 + 5}`;
    }, 'second Job replacing the first in history');
  });

  test('Forbid skips a run while the previous Job is active', async (t) => {
    const c = await startCluster(t, { fakeClock: true, outcome: () => 'running' });
    const cjs = c.res('batch', 'v1', 'cronjobs');
    const jobs = c.res('batch', 'v1', 'jobs');
    await cjs.create('default', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'slow' },
      spec: { schedule: '@hourly', concurrencyPolicy: 'Forbid', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } },
    });
    c.fake!.advance(60 * 60_000 + 1000);
    await until(async () => (await jobs.list('default')).items.length === 1, 'the first Job');
    await until(async () => ((field(await cjs.get('default', 'slow'), 'status', 'active') as Obj[]) ?? []).length === 1, 'active');
    c.fake!.advance(60 * 60_000 + 1000);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await jobs.list('default')).items.length, 1);
  });
});
