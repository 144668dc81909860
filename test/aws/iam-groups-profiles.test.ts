// IAM groups and instance profiles through the aws CLI (botocore parses the XML) and the SDK v3:
// membership, group policies counting for members under --enforce-iam, one role per profile,
// IAM's errors, and persistence across a restart of `kumo up`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddRoleToInstanceProfileCommand, AddUserToGroupCommand, AttachGroupPolicyCommand, CreateAccessKeyCommand, CreateGroupCommand, CreateInstanceProfileCommand,
  CreateRoleCommand, CreateUserCommand, DeleteGroupCommand, DeleteInstanceProfileCommand, DeleteRoleCommand, DeleteUserCommand, DetachGroupPolicyCommand,
  GetGroupCommand, GetInstanceProfileCommand, GetRoleCommand, IAMClient, ListAttachedGroupPoliciesCommand, ListGroupPoliciesCommand, ListGroupsCommand,
  ListInstanceProfilesCommand, PutGroupPolicyCommand, RemoveRoleFromInstanceProfileCommand, RemoveUserFromGroupCommand,
} from '@aws-sdk/client-iam';
import { awsCli } from '../helpers/aws-cli.js';
import { MemoryAwsStateStore, startAwsEndpoint } from '../../src/aws/index.js';
import { RealClock } from '../../src/util/clock.js';
import { startUp } from '../../src/main/up.js';

const region = 'us-east-1';
const root = { accessKeyId: 'test', secretAccessKey: 'test' };
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

test('groups and instance profiles through the aws CLI: shapes and IAM errors', async (t) => {
  const endpoint = await startAwsEndpoint({ host: '127.0.0.1', port: 0, state: new MemoryAwsStateStore(), region, enforceIam: false, clock: new RealClock() });
  const cli = awsCli('kumo-iam-groups-', region);
  t.after(async () => {
    await endpoint.stop();
    cli.cleanup();
  });
  const aws = async (...args: string[]) => {
    const r = await cli.run(endpoint.url, ['--output', 'json', 'iam', ...args]);
    return { ...r, json: r.code === 0 && r.stdout.trim() ? JSON.parse(r.stdout) : undefined };
  };
  const iam = new IAMClient({ endpoint: endpoint.url, region, credentials: root });
  t.after(() => iam.destroy());
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await iam.send(new CreateRoleCommand({ RoleName: 'node-role', AssumeRolePolicyDocument: TRUST }));

  const [group, profile] = await Promise.all([aws('create-group', '--group-name', 'admins', '--path', '/team/'), aws('create-instance-profile', '--instance-profile-name', 'nodes')]);
  assert.equal(group.code, 0, group.stderr);
  assert.equal(group.json.Group.Arn, 'arn:aws:iam::000000000000:group/team/admins');
  assert.match(group.json.Group.GroupId, /^AGPA[A-Z2-7]{17}$/);
  assert.equal(profile.code, 0, profile.stderr);
  assert.equal(profile.json.InstanceProfile.Arn, 'arn:aws:iam::000000000000:instance-profile/nodes');
  assert.deepEqual(profile.json.InstanceProfile.Roles, []);

  const [added, addedRole, dupGroup, noUser] = await Promise.all([
    aws('add-user-to-group', '--group-name', 'admins', '--user-name', 'alice'),
    aws('add-role-to-instance-profile', '--instance-profile-name', 'nodes', '--role-name', 'node-role'),
    aws('create-group', '--group-name', 'ADMINS'),
    aws('add-user-to-group', '--group-name', 'admins', '--user-name', 'nobody'),
  ]);
  assert.equal(added.code, 0, added.stderr);
  assert.equal(addedRole.code, 0, addedRole.stderr);
  assert.match(dupGroup.stderr, /\(EntityAlreadyExists\) when calling the CreateGroup operation: Group with name ADMINS already exists\./);
  assert.match(noUser.stderr, /\(NoSuchEntity\) when calling the AddUserToGroup operation: The user with name nobody cannot be found\./);

  const [got, forUser, gotProfile, forRole, full, deleteRole, deleteGroup] = await Promise.all([
    aws('get-group', '--group-name', 'admins'),
    aws('list-groups-for-user', '--user-name', 'alice'),
    aws('get-instance-profile', '--instance-profile-name', 'nodes'),
    aws('list-instance-profiles-for-role', '--role-name', 'node-role'),
    aws('add-role-to-instance-profile', '--instance-profile-name', 'nodes', '--role-name', 'node-role'),
    aws('delete-role', '--role-name', 'node-role'),
    aws('delete-group', '--group-name', 'admins'),
  ]);
  assert.deepEqual(got.json.Users.map((u: { UserName: string }) => u.UserName), ['alice']);
  assert.equal(got.json.Group.GroupName, 'admins');
  assert.deepEqual(forUser.json.Groups.map((g: { GroupName: string }) => g.GroupName), ['admins']);
  assert.equal(gotProfile.json.InstanceProfile.Roles[0].RoleName, 'node-role');
  assert.equal(gotProfile.json.InstanceProfile.Roles[0].AssumeRolePolicyDocument.Statement[0].Principal.Service, 'ec2.amazonaws.com');
  assert.deepEqual(forRole.json.InstanceProfiles.map((p: { InstanceProfileName: string }) => p.InstanceProfileName), ['nodes']);
  assert.match(full.stderr, /\(LimitExceeded\) when calling the AddRoleToInstanceProfile operation: Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1/);
  assert.match(deleteRole.stderr, /\(DeleteConflict\) when calling the DeleteRole operation: Cannot delete entity, must remove roles from instance profile first\./);
  assert.match(deleteGroup.stderr, /\(DeleteConflict\) when calling the DeleteGroup operation: Cannot delete entity, must remove users from group first\./);

  // The same rules through the SDK's typed exceptions.
  await assert.rejects(iam.send(new DeleteUserCommand({ UserName: 'alice' })), { name: 'DeleteConflictException' });
  await assert.rejects(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'nodes' })), { name: 'DeleteConflictException' });
  await assert.rejects(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'none' })), { name: 'NoSuchEntityException', message: 'Instance Profile none cannot be found.' });
  await assert.rejects(iam.send(new GetGroupCommand({ GroupName: 'none' })), { name: 'NoSuchEntityException', message: 'The group with name none cannot be found.' });
  for (let i = 0; i < 9; i++) {
    await iam.send(new CreateGroupCommand({ GroupName: `g${i}` }));
    await iam.send(new AddUserToGroupCommand({ GroupName: `g${i}`, UserName: 'alice' }));
  }
  await iam.send(new CreateGroupCommand({ GroupName: 'g-eleventh' }));
  await assert.rejects(iam.send(new AddUserToGroupCommand({ GroupName: 'g-eleventh', UserName: 'alice' })), { name: 'LimitExceededException', message: 'Cannot exceed quota for GroupsPerUser: 10' });
  assert.equal((await iam.send(new ListGroupsCommand({ PathPrefix: '/team/' }))).Groups?.length, 1);

  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'admins', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  await iam.send(new PutGroupPolicyCommand({ GroupName: 'admins', PolicyName: 'inline', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'eks:*', Resource: '*' }] }) }));
  assert.deepEqual((await iam.send(new ListGroupPoliciesCommand({ GroupName: 'admins' }))).PolicyNames, ['inline']);
  assert.equal((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'admins' }))).AttachedPolicies?.[0].PolicyName, 'AdministratorAccess');
  await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'admins', UserName: 'alice' }));
  await assert.rejects(iam.send(new DeleteGroupCommand({ GroupName: 'admins' })), { name: 'DeleteConflictException', message: 'Cannot delete entity, must delete policies first.' });
  await assert.rejects(iam.send(new RemoveUserFromGroupCommand({ GroupName: 'admins', UserName: 'alice' })), { name: 'NoSuchEntityException' });
  await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'nodes', RoleName: 'node-role' }));
  await iam.send(new DeleteRoleCommand({ RoleName: 'node-role' }));
  await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'nodes' }));
  assert.deepEqual((await iam.send(new ListInstanceProfilesCommand({}))).InstanceProfiles, []);
});

test('with --enforce-iam a user is allowed by its groups\' policies; groups and profiles survive a restart of kumo up', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-iam-groups-up-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const opts = { port: 0, host: '127.0.0.1', dataDir: dir, storage: 'sqlite' as const, region, enforceIam: true, clusterCreateDelayMs: 0, nodesPerCluster: 0 };
  let up = await startUp(opts);
  t.after(() => up.close());
  let iam = new IAMClient({ endpoint: up.url, region, credentials: root });
  await iam.send(new CreateUserCommand({ UserName: 'bob' }));
  await iam.send(new CreateGroupCommand({ GroupName: 'readers' }));
  await iam.send(new CreateRoleCommand({ RoleName: 'r1', AssumeRolePolicyDocument: TRUST }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'p1' }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'p1', RoleName: 'r1' }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey!;
  const bob = new IAMClient({ endpoint: up.url, region, credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
  t.after(() => bob.destroy());
  await assert.rejects(bob.send(new GetRoleCommand({ RoleName: 'r1' })), { name: 'AccessDenied' });
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  await assert.rejects(bob.send(new GetRoleCommand({ RoleName: 'r1' })), { name: 'AccessDenied' });
  await iam.send(new AddUserToGroupCommand({ GroupName: 'readers', UserName: 'bob' }));
  assert.equal((await bob.send(new GetRoleCommand({ RoleName: 'r1' }))).Role?.RoleName, 'r1');
  await iam.send(new PutGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'no-roles', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:GetRole', Resource: '*' }] }) }));
  await assert.rejects(bob.send(new GetRoleCommand({ RoleName: 'r1' })), { name: 'AccessDenied', message: /with an explicit deny in an identity-based policy/ });
  await iam.send(new DetachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  iam.destroy();

  await up.close();
  up = await startUp(opts);
  iam = new IAMClient({ endpoint: up.url, region, credentials: root });
  t.after(() => iam.destroy());
  assert.deepEqual((await iam.send(new GetGroupCommand({ GroupName: 'readers' }))).Users?.map((u) => u.UserName), ['bob']);
  assert.deepEqual((await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'p1' }))).InstanceProfile?.Roles?.map((r) => r.RoleName), ['r1']);
});
