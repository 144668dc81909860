import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ec2ModelError, LaunchTemplates, MAX_VERSIONS_PER_LAUNCH_TEMPLATE } from '../../src/cloud/index.js';

const code = (c: string) => (e: unknown) => e instanceof Ec2ModelError && e.code === c;
const base = { createdBy: 'arn:aws:iam::000000000000:root', now: 0 };

describe('launch templates', () => {
  test('names, versions from a source, ranges, $Latest/$Default across templates, resolve', () => {
    const lts = new LaunchTemplates('us-east-1');
    assert.throws(() => lts.create({ ...base, name: 'ab', data: { InstanceType: 'm5.large' } }), code('InvalidLaunchTemplateName.MalformedException'));
    assert.throws(() => lts.create({ ...base, name: 'x'.repeat(129), data: { InstanceType: 'm5.large' } }), code('InvalidLaunchTemplateName.MalformedException'));
    const a = lts.create({ ...base, name: 'a/b_(c).d-e', data: { InstanceType: 'm5.large', ImageId: 'ami-12345678' } });
    const b = lts.create({ ...base, name: 'other', data: { InstanceType: 'c5.large' } });
    for (let i = 0; i < 4; i++) lts.createVersion({ ...base, ref: { id: a.launchTemplateId }, sourceVersion: '$Latest', data: { KeyName: `k${i}` } });
    assert.deepEqual(lts.versions({ id: a.launchTemplateId }, { min: '2', max: '3' }).map((v) => v.version.versionNumber), [3, 2]);
    assert.deepEqual(lts.versions({ name: 'other' }).map((v) => v.version.versionNumber), [1]);
    assert.deepEqual(lts.versions(undefined, { versions: ['$Latest'] }).map((v) => [v.template.launchTemplateName, v.version.versionNumber]), [['a/b_(c).d-e', 5], ['other', 1]]);
    assert.throws(() => lts.versions(undefined, { versions: ['2'] }), code('MissingParameter'));
    assert.throws(() => lts.versions({ id: a.launchTemplateId, name: 'other' }), code('InvalidParameterCombination'));
    // Version 5 inherits ImageId through every source version and overrides KeyName.
    assert.deepEqual(lts.resolve({ id: a.launchTemplateId, version: '$Latest' }).data, { InstanceType: 'm5.large', ImageId: 'ami-12345678', KeyName: 'k3' });
    assert.equal(lts.resolve({ name: 'other' }).launchTemplateId, b.launchTemplateId);
    assert.throws(() => lts.resolve({ name: 'missing' }), code('InvalidLaunchTemplateName.NotFoundException'));
    assert.throws(() => lts.resolve({ id: 'lt-0000' }), code('InvalidLaunchTemplateId.Malformed'));
  });

  test(`at most ${MAX_VERSIONS_PER_LAUNCH_TEMPLATE} versions; a deleted template's ID is not handed out again after a restore`, () => {
    const lts = new LaunchTemplates('us-east-1');
    const t = lts.create({ ...base, name: 'many', data: { InstanceType: 'm5.large' } });
    for (let i = 1; i < MAX_VERSIONS_PER_LAUNCH_TEMPLATE; i++) lts.createVersion({ ...base, ref: { id: t.launchTemplateId }, data: { KeyName: String(i) } });
    assert.throws(() => lts.createVersion({ ...base, ref: { id: t.launchTemplateId }, data: { KeyName: 'x' } }), code('VersionLimitExceeded'));
    const second = lts.create({ ...base, name: 'second', data: { InstanceType: 'm5.large' } });
    lts.delete({ id: second.launchTemplateId });
    const again = new LaunchTemplates('us-east-1');
    again.restore(lts.get({ id: t.launchTemplateId }));
    const third = again.create({ ...base, name: 'second', data: { InstanceType: 'm5.large' }, now: 1 });
    assert.notEqual(third.launchTemplateId, second.launchTemplateId);
  });
});
