// IAM against `kumo up` through the aws CLI and the SDK v3: UpdateGroup (rename and move keep members
// and policies), instance-profile tags, ListEntitiesForPolicy with its filters and paging, IAM's errors
// leaving state unchanged, and all of it still there after a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddUserToGroupCommand, AttachGroupPolicyCommand, AttachRolePolicyCommand, AttachUserPolicyCommand, CreateGroupCommand,
  CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, GetGroupCommand, GetGroupPolicyCommand, GetPolicyCommand, IAMClient, ListAttachedGroupPoliciesCommand,
  ListEntitiesForPolicyCommand, type ListEntitiesForPolicyCommandInput, ListGroupsForUserCommand, ListInstanceProfileTagsCommand, PutGroupPolicyCommand, TagInstanceProfileCommand,
  UntagInstanceProfileCommand, UpdateGroupCommand,
} from '@aws-sdk/client-iam';
import { startUp, type RunningUp } from '../../src/main/up.js';
import { awsCli } from '../helpers/aws-cli.js';

const region = 'us-east-1';
const root = { accessKeyId: 'test', secretAccessKey: 'test' };
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const ALLOW_S3 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });

test('UpdateGroup, instance-profile tags and ListEntitiesForPolicy against kumo up, across a restart', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-iam-entities-'));
  const cli = awsCli('kumo-iam-entities-cli-', region);
  const start = () => startUp({ port: 0, host: '127.0.0.1', dataDir: dir, storage: 'sqlite', region, enforceIam: false, clusterCreateDelayMs: 0, nodesPerCluster: 0 });
  let up: RunningUp = await start();
  let iam = new IAMClient({ endpoint: up.url, region, credentials: root });
  t.after(async () => {
    iam.destroy();
    await up.close();
    cli.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  const aws = async (...args: string[]) => {
    const r = await cli.run(up.url, ['--output', 'json', 'iam', ...args]);
    return { ...r, json: r.code === 0 && r.stdout.trim() ? JSON.parse(r.stdout) : undefined };
  };
  const fails = async (args: string[], code: string, message: string) => {
    const r = await aws(...args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.ok(r.stderr.includes(`An error occurred (${code})`) && r.stderr.includes(message), r.stderr);
  };
  const refused = (call: Promise<unknown>, code: string, message: string) =>
    assert.rejects(call, (err: Error) => (err.name === code || err.name === `${code}Exception`) && err.message.includes(message) || assert.fail(`${err.name}: ${err.message}`));
  const sdkEntities = async (input: Omit<ListEntitiesForPolicyCommandInput, 'PolicyArn'>) => {
    const r = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: policyArn, ...input }));
    return { groups: r.PolicyGroups!.map((g) => g.GroupName), users: r.PolicyUsers!.map((u) => u.UserName), roles: r.PolicyRoles!.map((x) => x.RoleName) };
  };

  // ---- UpdateGroup -------------------------------------------------------------------------
  const policyArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'read', PolicyDocument: ALLOW_S3 }))).Policy!.Arn!;
  const created = (await iam.send(new CreateGroupCommand({ GroupName: 'devs', Path: '/eng/' }))).Group!;
  await iam.send(new CreateGroupCommand({ GroupName: 'ops' }));
  for (const u of ['alice', 'bob']) await iam.send(new CreateUserCommand({ UserName: u }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: policyArn }));
  await iam.send(new PutGroupPolicyCommand({ GroupName: 'devs', PolicyName: 'inline', PolicyDocument: ALLOW_S3 }));

  const renamed = await aws('update-group', '--group-name', 'devs', '--new-group-name', 'developers', '--new-path', '/team/');
  assert.equal(renamed.code, 0, renamed.stderr);
  const moved = await iam.send(new GetGroupCommand({ GroupName: 'developers' }));
  assert.deepEqual(
    { name: moved.Group?.GroupName, path: moved.Group?.Path, arn: moved.Group?.Arn, id: moved.Group?.GroupId, users: moved.Users?.map((u) => u.UserName) },
    { name: 'developers', path: '/team/', arn: 'arn:aws:iam::000000000000:group/team/developers', id: created.GroupId, users: ['alice'] },
  );
  await refused(iam.send(new GetGroupCommand({ GroupName: 'devs' })), 'NoSuchEntity', 'The group with name devs cannot be found.');
  assert.deepEqual((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'developers' }))).AttachedPolicies?.map((p) => p.PolicyArn), [policyArn]);
  assert.equal((await iam.send(new GetGroupPolicyCommand({ GroupName: 'developers', PolicyName: 'inline' }))).PolicyName, 'inline');
  assert.deepEqual((await iam.send(new ListGroupsForUserCommand({ UserName: 'alice' }))).Groups?.map((g) => g.GroupName), ['developers']);
  // Refused updates change nothing.
  await fails(['update-group', '--group-name', 'developers', '--new-group-name', 'OPS'], 'EntityAlreadyExists', 'Group with name OPS already exists.');
  await refused(iam.send(new UpdateGroupCommand({ GroupName: 'nobody', NewGroupName: 'x' })), 'NoSuchEntity', 'The group with name nobody cannot be found.');
  await refused(iam.send(new UpdateGroupCommand({ GroupName: 'developers', NewPath: 'no-slash' })), 'ValidationError', 'It must begin and end with /');
  await refused(iam.send(new UpdateGroupCommand({ GroupName: 'developers', NewGroupName: 'bad name' })), 'ValidationError', 'Member must satisfy regular expression pattern');
  assert.equal((await iam.send(new GetGroupCommand({ GroupName: 'developers' }))).Group?.Arn, 'arn:aws:iam::000000000000:group/team/developers');
  // A change of case only is the same group renamed.
  await iam.send(new UpdateGroupCommand({ GroupName: 'developers', NewGroupName: 'Developers' }));
  assert.equal((await iam.send(new GetGroupCommand({ GroupName: 'developers' }))).Group?.GroupName, 'Developers');

  // ---- instance-profile tags -----------------------------------------------------------------
  const profile = await aws('create-instance-profile', '--instance-profile-name', 'nodes', '--tags', 'Key=team,Value=a', 'Key=env,Value=dev');
  assert.deepEqual(profile.json.InstanceProfile.Tags, [{ Key: 'team', Value: 'a' }, { Key: 'env', Value: 'dev' }]);
  await iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'nodes', Tags: [{ Key: 'team', Value: 'b' }, { Key: 'cost', Value: '7' }] }));
  await iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: 'nodes', TagKeys: ['env', 'absent'] }));
  // Sorted by key, paged.
  const tagPage = await iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'nodes', MaxItems: 1 }));
  assert.deepEqual([tagPage.Tags, tagPage.IsTruncated], [[{ Key: 'cost', Value: '7' }], true]);
  const rest = await iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'nodes', Marker: tagPage.Marker }));
  assert.deepEqual([rest.Tags, rest.IsTruncated], [[{ Key: 'team', Value: 'b' }], false]);
  await fails(['tag-instance-profile', '--instance-profile-name', 'none', '--tags', 'Key=a,Value=b'], 'NoSuchEntity', 'Instance Profile none cannot be found.');
  await refused(iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'none' })), 'NoSuchEntity', 'Instance Profile none cannot be found.');
  const many = Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  await assert.rejects(iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'nodes', Tags: many })), { name: 'LimitExceededException' });
  assert.equal((await iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'nodes' }))).Tags?.length, 2);

  // ---- ListEntitiesForPolicy -------------------------------------------------------------------
  await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: policyArn }));
  await iam.send(new CreateRoleCommand({ RoleName: 'worker', Path: '/svc/', AssumeRolePolicyDocument: TRUST }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: policyArn }));
  await iam.send(new CreateUserCommand({ UserName: 'carol', PermissionsBoundary: policyArn }));
  const entities = async (args: string[] = []) => {
    const r = await aws('list-entities-for-policy', '--policy-arn', policyArn, ...args);
    assert.equal(r.code, 0, r.stderr);
    const names = (list: Record<string, string>[], key: string) => list.map((e) => e[key]);
    return { groups: names(r.json.PolicyGroups, 'GroupName'), users: names(r.json.PolicyUsers, 'UserName'), roles: names(r.json.PolicyRoles, 'RoleName') };
  };
  assert.deepEqual(await entities(), { groups: ['Developers'], users: ['alice', 'carol'], roles: ['worker'] });
  assert.deepEqual(await entities(['--entity-filter', 'Role']), { groups: [], users: [], roles: ['worker'] });
  assert.deepEqual(await sdkEntities({ EntityFilter: 'LocalManagedPolicy' }), { groups: [], users: [], roles: [] });
  assert.deepEqual(await sdkEntities({ PathPrefix: '/svc/' }), { groups: [], users: [], roles: ['worker'] });
  assert.deepEqual(await sdkEntities({ PolicyUsageFilter: 'PermissionsBoundary' }), { groups: [], users: ['carol'], roles: [] });
  assert.deepEqual(await sdkEntities({ PolicyUsageFilter: 'PermissionsPolicy', EntityFilter: 'User' }), { groups: [], users: ['alice'], roles: [] });
  // The SDK's own paging over Marker/MaxItems.
  const first = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: policyArn, MaxItems: 2 }));
  assert.deepEqual([first.PolicyGroups?.map((g) => g.GroupId), first.PolicyUsers?.map((u) => u.UserName), first.PolicyRoles, first.IsTruncated],
    [[created.GroupId], ['alice'], [], true]);
  const second = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: policyArn, MaxItems: 2, Marker: first.Marker }));
  assert.deepEqual([second.PolicyGroups, second.PolicyUsers?.map((u) => u.UserName), second.PolicyRoles?.map((r) => r.RoleName), second.IsTruncated],
    [[], ['carol'], ['worker'], false]);
  await fails(['list-entities-for-policy', '--policy-arn', policyArn, '--entity-filter', 'Robot'], 'ValidationError', "Value 'Robot' at 'entityFilter' failed to satisfy constraint");
  await refused(iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: 'arn:aws:iam::000000000000:policy/none' })), 'NoSuchEntity', 'Policy arn:aws:iam::000000000000:policy/none does not exist or is not attachable.');
  const counts = (await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy!;
  assert.deepEqual([counts.AttachmentCount, counts.PermissionsBoundaryUsageCount], [3, 1]);

  // ---- after a restart ---------------------------------------------------------------------
  iam.destroy();
  await up.close();
  up = await start();
  iam = new IAMClient({ endpoint: up.url, region, credentials: root });
  const again = await iam.send(new GetGroupCommand({ GroupName: 'developers' }));
  assert.deepEqual([again.Group?.Arn, again.Group?.GroupId, again.Users?.map((u) => u.UserName)],
    ['arn:aws:iam::000000000000:group/team/Developers', created.GroupId, ['alice']]);
  assert.deepEqual((await iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'nodes' }))).Tags, [{ Key: 'cost', Value: '7' }, { Key: 'team', Value: 'b' }]);
  assert.deepEqual(await sdkEntities({}), { groups: ['Developers'], users: ['alice', 'carol'], roles: ['worker'] });
});
