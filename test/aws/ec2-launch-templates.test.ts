// EC2 launch templates through the aws CLI: the EKS guide's create-launch-template (3.3), versions
// from a source version, $Latest/$Default, modify-launch-template, tags, EC2's errors, and the
// templates kept in the state store across an endpoint restart; resolve() as node groups use it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LaunchTemplateStore } from '../../src/aws/index.js';
import { ec2CliFixture } from './ec2-cli-fixture.js';

const region = 'ap-northeast-1';

// 3.3 of the guide, as written.
const GUIDE_DATA = `{
"BlockDeviceMappings": [
{
"DeviceName": "/dev/xvda",
"Ebs": {
"VolumeSize": 100,
"VolumeType": "gp3",
"Iops": 3000,
"Throughput": 125,
"Encrypted": true,
"KmsKeyId": "arn:aws:kms:ap-northeast-1:123456789012:key/xxx"
}
}
],
"MetadataOptions": {
"HttpTokens": "required",
"HttpPutResponseHopLimit": 2,
"HttpEndpoint": "enabled"
},
"TagSpecifications": [
{
"ResourceType": "instance",
"Tags": [
{"Key": "Environment", "Value": "production"}
]
}
]
}`;

describe('aws ec2 launch templates', () => {
  const { state, aws, fails, restart } = ec2CliFixture('kumo-ec2-lt-', region);

  test("the guide's create-launch-template, versions, default version, tags, errors, restart", async () => {
    const created = await aws('create-launch-template', '--launch-template-name', 'eks-custom-lt', '--launch-template-data', GUIDE_DATA,
      '--tag-specifications', 'ResourceType=launch-template,Tags=[{Key=team,Value=platform}]');
    assert.equal(created.code, 0, created.stderr);
    const lt = created.json.LaunchTemplate;
    assert.match(lt.LaunchTemplateId, /^lt-[0-9a-f]{17}$/);
    assert.equal(lt.LaunchTemplateName, 'eks-custom-lt');
    assert.equal(lt.DefaultVersionNumber, 1);
    assert.equal(lt.LatestVersionNumber, 1);
    assert.equal(lt.CreatedBy, 'arn:aws:iam::000000000000:root');
    assert.deepEqual(lt.Tags, [{ Key: 'team', Value: 'platform' }]);

    const userData = Buffer.from('#!/bin/bash\necho hello\n').toString('base64');
    const [v2, dup, badName, badData, empty, unknownSource] = await Promise.all([
      aws('create-launch-template-version', '--launch-template-id', lt.LaunchTemplateId, '--source-version', '1', '--version-description', 'bigger nodes',
        '--launch-template-data', JSON.stringify({ InstanceType: 'm5.xlarge', ImageId: 'ami-0123456789abcdef0', SecurityGroupIds: ['sg-0123456789abcdef0'], UserData: userData })),
      aws('create-launch-template', '--launch-template-name', 'eks-custom-lt', '--launch-template-data', '{"InstanceType":"m5.large"}'),
      aws('create-launch-template', '--launch-template-name', 'bad name!', '--launch-template-data', '{"InstanceType":"m5.large"}'),
      aws('create-launch-template', '--launch-template-name', 'bad-user-data', '--launch-template-data', '{"UserData":"not base64!"}'),
      aws('create-launch-template', '--launch-template-name', 'empty-data', '--launch-template-data', '{}'),
      aws('create-launch-template-version', '--launch-template-name', 'eks-custom-lt', '--source-version', '7', '--launch-template-data', '{"InstanceType":"c5.large"}'),
    ]);
    assert.equal(v2.code, 0, v2.stderr);
    assert.equal(v2.json.LaunchTemplateVersion.VersionNumber, 2);
    assert.equal(v2.json.LaunchTemplateVersion.DefaultVersion, false);
    for (const [r, code] of [[dup, 'InvalidLaunchTemplateName.AlreadyExistsException'], [badName, 'InvalidLaunchTemplateName.MalformedException'],
      [badData, 'InvalidUserData.Malformed'], [empty, 'MissingParameter'], [unknownSource, 'InvalidLaunchTemplateId.VersionNotFound']] as const) {
      assert.notEqual(r.code, 0);
      assert.ok(r.stderr.includes(`(${code})`), r.stderr);
    }

    // Version 2 inherits the guide's block devices and metadata options from version 1.
    const [latest, byDefault, all] = await Promise.all([
      aws('describe-launch-template-versions', '--launch-template-name', 'eks-custom-lt', '--versions', '$Latest'),
      aws('describe-launch-template-versions', '--launch-template-id', lt.LaunchTemplateId, '--versions', '$Default'),
      aws('describe-launch-template-versions', '--launch-template-id', lt.LaunchTemplateId),
    ]);
    const data2 = latest.json.LaunchTemplateVersions[0].LaunchTemplateData;
    assert.equal(data2.InstanceType, 'm5.xlarge');
    assert.equal(data2.UserData, userData);
    assert.deepEqual(data2.SecurityGroupIds, ['sg-0123456789abcdef0']);
    assert.deepEqual(data2.BlockDeviceMappings, [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 100, VolumeType: 'gp3', Iops: 3000, Throughput: 125, Encrypted: true, KmsKeyId: 'arn:aws:kms:ap-northeast-1:123456789012:key/xxx' } }]);
    assert.deepEqual(data2.MetadataOptions, { HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' });
    assert.deepEqual(data2.TagSpecifications, [{ ResourceType: 'instance', Tags: [{ Key: 'Environment', Value: 'production' }] }]);
    assert.equal(latest.json.LaunchTemplateVersions[0].VersionDescription, 'bigger nodes');
    assert.equal(byDefault.json.LaunchTemplateVersions[0].VersionNumber, 1);
    assert.equal(byDefault.json.LaunchTemplateVersions[0].LaunchTemplateData.InstanceType, undefined);
    assert.deepEqual(all.json.LaunchTemplateVersions.map((v: { VersionNumber: number }) => v.VersionNumber), [2, 1]);

    const modified = await aws('modify-launch-template', '--launch-template-name', 'eks-custom-lt', '--default-version', '2');
    assert.equal(modified.code, 0, modified.stderr);
    assert.equal(modified.json.LaunchTemplate.DefaultVersionNumber, 2);
    await Promise.all([
      fails('InvalidLaunchTemplateId.VersionNotFound', 'modify-launch-template', '--launch-template-id', lt.LaunchTemplateId, '--default-version', '666'),
      fails('InvalidLaunchTemplateId.NotFound', 'describe-launch-templates', '--launch-template-ids', 'lt-0123456789abcdef0'),
      fails('InvalidLaunchTemplateId.Malformed', 'describe-launch-templates', '--launch-template-ids', 'lt-nope'),
      fails('InvalidLaunchTemplateName.NotFoundException', 'describe-launch-templates', '--launch-template-names', 'nope'),
    ]);

    // Tags by create-tags, tag filters, and a restart over the same state.
    assert.equal((await aws('create-tags', '--resources', lt.LaunchTemplateId, '--tags', 'Key=env,Value=prod')).code, 0);
    await restart();
    const [byTag, none] = await Promise.all([
      aws('describe-launch-templates', '--filters', 'Name=tag:env,Values=prod'),
      aws('describe-launch-templates', '--filters', 'Name=tag:env,Values=dev'),
    ]);
    assert.deepEqual(byTag.json.LaunchTemplates.map((t: { LaunchTemplateName: string; DefaultVersionNumber: number; LatestVersionNumber: number }) => [t.LaunchTemplateName, t.DefaultVersionNumber, t.LatestVersionNumber]), [['eks-custom-lt', 2, 2]]);
    assert.deepEqual(none.json.LaunchTemplates, []);

    // What a node group reads: the default version (2) by name, or a given version.
    const store = await LaunchTemplateStore.open(state, [region]);
    const resolved = store.model(region).resolve({ name: 'eks-custom-lt' });
    assert.equal(resolved.launchTemplateId, lt.LaunchTemplateId);
    assert.equal(resolved.versionNumber, 2);
    assert.equal(resolved.data.InstanceType, 'm5.xlarge');
    assert.equal(resolved.data.BlockDeviceMappings?.[0].Ebs?.VolumeSize, 100);
    assert.equal(store.model(region).resolve({ id: lt.LaunchTemplateId, version: '1' }).data.InstanceType, undefined);
    assert.throws(() => store.model(region).resolve({ name: 'eks-custom-lt', version: '3' }), /InvalidLaunchTemplateId.VersionNotFound|does not exist/);

    const deleted = await aws('delete-launch-template', '--launch-template-name', 'eks-custom-lt');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.json.LaunchTemplate.LaunchTemplateId, lt.LaunchTemplateId);
    assert.deepEqual((await aws('describe-launch-templates')).json.LaunchTemplates, []);
    assert.deepEqual(await state.list('launchtemplate'), []);
  });
});
