// `kumo up` resolves a request's access key from a cache: changes to the key or its user take effect
// on the very next request (deactivation, reactivation, deletion, principal tags under --enforce-iam);
// UpdateGroup is authorized on the group's old and new ARN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAccessKeyCommand, CreateGroupCommand, CreateUserCommand, GetGroupCommand, DeleteAccessKeyCommand, IAMClient, ListUsersCommand, PutUserPolicyCommand, TagUserCommand, UntagUserCommand,
  UpdateAccessKeyCommand, UpdateGroupCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startUp } from '../../src/main/up.js';
import { awsCli } from '../helpers/aws-cli.js';

const region = 'us-east-1';
const root = { accessKeyId: 'test', secretAccessKey: 'test' };

test('kumo up: key deactivation, deletion and user tag changes apply to the next request', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-access-keys-'));
  const up = await startUp({ port: 0, host: '127.0.0.1', dataDir: dir, storage: 'memory', region, enforceIam: true, clusterCreateDelayMs: 0, nodesPerCluster: 0 });
  const cli = awsCli('kumo-access-keys-cli-', region);
  const iam = new IAMClient({ endpoint: up.url, region, credentials: root });
  t.after(async () => {
    iam.destroy();
    await up.close();
    cli.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  await iam.send(new CreateUserCommand({ UserName: 'ci' }));
  // Listing users is allowed only while the user carries the tag team=a.
  await iam.send(new PutUserPolicyCommand({
    UserName: 'ci', PolicyName: 'list-if-team-a',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a' } } }] }),
  }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'ci' }));
  const creds = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  const sts = new STSClient({ endpoint: up.url, region, credentials: creds });
  const userIam = new IAMClient({ endpoint: up.url, region, credentials: creds });
  t.after(() => [sts, userIam].forEach((c) => c.destroy()));
  const whoami = () => sts.send(new GetCallerIdentityCommand({}));
  const invalidToken = { name: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' };

  assert.equal((await whoami()).Arn, 'arn:aws:iam::000000000000:user/ci');
  assert.equal((await whoami()).Arn, 'arn:aws:iam::000000000000:user/ci');

  // Principal tags are read from the user as it is now.
  await assert.rejects(userIam.send(new ListUsersCommand({})), { name: 'AccessDenied' });
  await iam.send(new TagUserCommand({ UserName: 'ci', Tags: [{ Key: 'team', Value: 'a' }] }));
  assert.deepEqual((await userIam.send(new ListUsersCommand({}))).Users?.map((u) => u.UserName), ['ci']);
  await iam.send(new UntagUserCommand({ UserName: 'ci', TagKeys: ['team'] }));
  await assert.rejects(userIam.send(new ListUsersCommand({})), { name: 'AccessDenied' });

  // UpdateGroup needs permission on the group under its old and its new name.
  await iam.send(new CreateGroupCommand({ GroupName: 'old' }));
  const updateGroupOn = (...names: string[]) => iam.send(new PutUserPolicyCommand({
    UserName: 'ci', PolicyName: 'update-group',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:UpdateGroup', Resource: names.map((n) => `arn:aws:iam::000000000000:group/${n}`) }] }),
  }));
  await updateGroupOn('old');
  await assert.rejects(userIam.send(new UpdateGroupCommand({ GroupName: 'old', NewGroupName: 'new' })), {
    name: 'AccessDenied',
    message: 'User: arn:aws:iam::000000000000:user/ci is not authorized to perform: iam:UpdateGroup on resource: arn:aws:iam::000000000000:group/new because no identity-based policy allows the iam:UpdateGroup action',
  });
  await updateGroupOn('old', 'new');
  await userIam.send(new UpdateGroupCommand({ GroupName: 'old', NewGroupName: 'new' }));
  assert.equal((await iam.send(new GetGroupCommand({ GroupName: 'new' }))).Group?.Arn, 'arn:aws:iam::000000000000:group/new');

  // Inactive: refused at once, as the aws CLI shows; active again: accepted at once.
  await iam.send(new UpdateAccessKeyCommand({ UserName: 'ci', AccessKeyId: creds.accessKeyId, Status: 'Inactive' }));
  await assert.rejects(whoami(), invalidToken);
  const viaCli = await cli.run(up.url, ['sts', 'get-caller-identity'], { key: creds.accessKeyId, secret: creds.secretAccessKey });
  assert.ok(viaCli.code !== 0 && viaCli.stderr.includes('An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.'), viaCli.stderr);
  await iam.send(new UpdateAccessKeyCommand({ UserName: 'ci', AccessKeyId: creds.accessKeyId, Status: 'Active' }));
  assert.equal((await whoami()).Arn, 'arn:aws:iam::000000000000:user/ci');

  await iam.send(new DeleteAccessKeyCommand({ UserName: 'ci', AccessKeyId: creds.accessKeyId }));
  await assert.rejects(whoami(), invalidToken);
});
