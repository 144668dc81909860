// The preinstalled aws CLI (botocore) against the endpoint, --enforce-iam, clock skew, and the
// EKS token a cluster verifies (aws eks get-token's presigned GetCallerIdentity URL).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { awsCli, type AwsCli } from '../helpers/aws-cli.js';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetRoleCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { FakeClock, RealClock } from '../../src/util/clock.js';
import { MemoryAwsStateStore, presignedUrlOfToken, startAwsEndpoint, verifyPresignedGetCallerIdentity, type AwsEndpoint } from '../../src/aws/index.js';

const region = 'us-east-1';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe('aws CLI', () => {
  let endpoint: AwsEndpoint;
  let cli: AwsCli;
  const state = new MemoryAwsStateStore();
  const aws = (args: string[], secret = 'test') => cli.run(endpoint.url, ['--output', 'json', ...args], { secret });

  before(async () => {
    cli = awsCli('kumo-aws-cli-', region);
    endpoint = await startAwsEndpoint({ host: '127.0.0.1', port: 0, state, region, enforceIam: false, clock: new RealClock() });
  });
  after(async () => {
    await endpoint.stop();
    cli.cleanup();
  });

  test('create-role, attach-role-policy, list-attached-role-policies', async () => {
    const created = await aws(['iam', 'create-role', '--role-name', 'cluster-role', '--assume-role-policy-document', TRUST]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(JSON.parse(created.stdout).Role.Arn, 'arn:aws:iam::000000000000:role/cluster-role');
    const attached = await aws(['iam', 'attach-role-policy', '--role-name', 'cluster-role', '--policy-arn', 'arn:aws:iam::aws:policy/AdministratorAccess']);
    assert.equal(attached.code, 0, attached.stderr);
    const listed = await aws(['iam', 'list-attached-role-policies', '--role-name', 'cluster-role']);
    assert.deepEqual(JSON.parse(listed.stdout).AttachedPolicies, [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]);
  });

  test('get-caller-identity, a wrong secret, and a get-token token verified as a cluster does', async () => {
    const [who, wrong, token] = await Promise.all([
      aws(['sts', 'get-caller-identity']),
      aws(['sts', 'get-caller-identity'], 'wrong'),
      aws(['eks', 'get-token', '--cluster-name', 'my-cluster']),
    ]);
    assert.equal(JSON.parse(who.stdout).Arn, 'arn:aws:iam::000000000000:root');
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /SignatureDoesNotMatch/);
    const bearer = JSON.parse(token.stdout).status.token as string;
    const url = presignedUrlOfToken(bearer)!;
    assert.match(url, /X-Amz-Expires=60/);
    const now = Date.now();
    const ok = await verifyPresignedGetCallerIdentity(state, url, { 'x-k8s-aws-id': 'my-cluster' }, now);
    assert.deepEqual(ok, { ok: true, arn: 'arn:aws:iam::000000000000:root', accountId: '000000000000', userId: '000000000000', accessKeyId: 'test', sessionName: undefined, roleArn: undefined });
    assert.deepEqual(await verifyPresignedGetCallerIdentity(state, url, { 'x-k8s-aws-id': 'other-cluster' }, now), { ok: false, reason: 'signature mismatch' });
    assert.deepEqual(await verifyPresignedGetCallerIdentity(state, url, { 'x-k8s-aws-id': 'my-cluster' }, now + 16 * 60 * 1000), { ok: false, reason: 'token expired' });
  });
});

describe('--enforce-iam and clock skew (SDK v3)', () => {
  let endpoint: AwsEndpoint;
  let skewed: AwsEndpoint;
  const root = { accessKeyId: 'test', secretAccessKey: 'test' };
  before(async () => {
    endpoint = await startAwsEndpoint({ host: '127.0.0.1', port: 0, state: new MemoryAwsStateStore(), region, enforceIam: true, clock: new RealClock() });
    skewed = await startAwsEndpoint({ host: '127.0.0.1', port: 0, state: new MemoryAwsStateStore(), region, enforceIam: false, clock: new FakeClock(Date.now() + 20 * 60 * 1000) });
  });
  after(async () => {
    await endpoint.stop();
    await skewed.stop();
  });

  test('identity policies are evaluated for every IAM and STS call; root is always allowed', async () => {
    const iamRoot = new IAMClient({ endpoint: endpoint.url, region, credentials: root });
    await iamRoot.send(new CreateUserCommand({ UserName: 'bob' }));
    await iamRoot.send(new PutUserPolicyCommand({
      UserName: 'bob', PolicyName: 'read',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*'], Resource: '*' }, { Effect: 'Deny', Action: 'iam:GetRole', Resource: 'arn:aws:iam::000000000000:role/secret-*' }] }),
    }));
    const key = (await iamRoot.send(new CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey!;
    const bob = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    const iamBob = new IAMClient({ endpoint: endpoint.url, region, credentials: bob });
    await assert.rejects(iamBob.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST })), {
      name: 'AccessDenied',
      message: 'User: arn:aws:iam::000000000000:user/bob is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::000000000000:role/r because no identity-based policy allows the iam:CreateRole action',
    });
    await iamRoot.send(new CreateRoleCommand({ RoleName: 'secret-r', AssumeRolePolicyDocument: TRUST }));
    await assert.rejects(iamBob.send(new GetRoleCommand({ RoleName: 'secret-r' })), {
      name: 'AccessDenied',
      message: 'User: arn:aws:iam::000000000000:user/bob is not authorized to perform: iam:GetRole on resource: arn:aws:iam::000000000000:role/secret-r with an explicit deny in an identity-based policy',
    });
    await assert.rejects(iamBob.send(new GetRoleCommand({ RoleName: 'other' })), { name: 'NoSuchEntityException' });
    const who = await new STSClient({ endpoint: endpoint.url, region, credentials: bob }).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, 'arn:aws:iam::000000000000:user/bob');

    // A trust policy naming bob suffices; one trusting the account needs bob's identity policy too.
    const trust = (aws: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole' }] });
    await iamRoot.send(new CreateRoleCommand({ RoleName: 'names-bob', AssumeRolePolicyDocument: trust('arn:aws:iam::000000000000:user/bob') }));
    await iamRoot.send(new CreateRoleCommand({ RoleName: 'trusts-account', AssumeRolePolicyDocument: trust('000000000000') }));
    const stsBob = new STSClient({ endpoint: endpoint.url, region, credentials: bob });
    const s = await stsBob.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/names-bob', RoleSessionName: 'bb' }));
    assert.equal(s.AssumedRoleUser?.Arn, 'arn:aws:sts::000000000000:assumed-role/names-bob/bb');
    await assert.rejects(stsBob.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/trusts-account', RoleSessionName: 'bb' })), {
      name: 'AccessDenied',
      message: 'User: arn:aws:iam::000000000000:user/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/trusts-account because no identity-based policy allows the sts:AssumeRole action',
    });
  });

  test('a request signed more than 15 minutes from the server clock is refused', async () => {
    const sts = new STSClient({ endpoint: skewed.url, region, credentials: root, maxAttempts: 1 });
    await assert.rejects(sts.send(new GetCallerIdentityCommand({})), (err: Error) => {
      assert.equal(err.name, 'SignatureDoesNotMatch');
      assert.match(err.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
      return true;
    });
  });
});
