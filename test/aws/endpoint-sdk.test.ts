// IAM and STS through the real AWS SDK v3 clients against a Kumo AWS endpoint on a free port.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachRolePolicyCommand, CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, DeleteRoleCommand, GetRoleCommand,
  IAMClient, ListAttachedRolePoliciesCommand, ListRolesCommand, CreatePolicyCommand,
  CreatePolicyVersionCommand, ListPolicyVersionsCommand, GetPolicyVersionCommand, CreateOpenIDConnectProviderCommand, GetPolicyCommand, ListPoliciesCommand, TagUserCommand, UntagUserCommand, ListUserTagsCommand,
  GetOpenIDConnectProviderCommand, ListOpenIDConnectProvidersCommand, DeleteOpenIDConnectProviderCommand, UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { RealClock } from '../../src/util/clock.js';
import { AwsError, MemoryAwsStateStore, RestRouter, startAwsEndpoint, type AwsEndpoint } from '../../src/aws/index.js';

const region = 'us-east-1';
type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const root: Creds = { accessKeyId: 'test', secretAccessKey: 'test' };
const TRUST_ACCOUNT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }],
});

describe('AWS endpoint with the SDK v3', () => {
  let endpoint: AwsEndpoint;
  let issuer: string;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  const iam = (c: Creds = root) => new IAMClient({ endpoint: endpoint.url, region, credentials: c });
  const sts = (c: Creds = root) => new STSClient({ endpoint: endpoint.url, region, credentials: c });

  before(async () => {
    const keys = await generateKeyPair('RS256');
    privateKey = keys.privateKey;
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    issuer = 'https://oidc.kumo.test/id/ABC';
    endpoint = await startAwsEndpoint({
      host: '127.0.0.1', port: 0, state: new MemoryAwsStateStore(), region, enforceIam: false, clock: new RealClock(),
      jwksResolver: async (url) => {
        if (url !== issuer) throw new Error('unknown issuer');
        return { keys: [jwk] };
      },
    });
  });
  after(() => endpoint.stop());

  test('create-role, attach-role-policy, list-attached-role-policies, get, list, delete conflict', async () => {
    const created = await iam().send(new CreateRoleCommand({ RoleName: 'eks-cluster', Path: '/svc/', AssumeRolePolicyDocument: TRUST_ACCOUNT, Tags: [{ Key: 'team', Value: 'a' }] }));
    assert.equal(created.Role?.Arn, 'arn:aws:iam::000000000000:role/svc/eks-cluster');
    assert.match(created.Role?.RoleId ?? '', /^AROA[A-Z2-7]{17}$/);
    assert.equal(decodeURIComponent(created.Role?.AssumeRolePolicyDocument ?? ''), TRUST_ACCOUNT);
    await iam().send(new AttachRolePolicyCommand({ RoleName: 'eks-cluster', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const attached = await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: 'eks-cluster' }));
    assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]);
    const got = await iam().send(new GetRoleCommand({ RoleName: 'EKS-CLUSTER' }));
    assert.deepEqual(got.Role?.Tags, [{ Key: 'team', Value: 'a' }]);
    await assert.rejects(iam().send(new CreateRoleCommand({ RoleName: 'Eks-Cluster', AssumeRolePolicyDocument: TRUST_ACCOUNT })), { name: 'EntityAlreadyExistsException' });
    await assert.rejects(iam().send(new DeleteRoleCommand({ RoleName: 'eks-cluster' })), { name: 'DeleteConflictException' });
    await assert.rejects(iam().send(new GetRoleCommand({ RoleName: 'nope' })), { name: 'NoSuchEntityException', message: 'The role with name nope cannot be found.' });
    for (let i = 0; i < 3; i++) await iam().send(new CreateRoleCommand({ RoleName: `page-${i}`, AssumeRolePolicyDocument: TRUST_ACCOUNT }));
    const first = await iam().send(new ListRolesCommand({ MaxItems: 2 }));
    assert.equal(first.IsTruncated, true);
    const rest = await iam().send(new ListRolesCommand({ Marker: first.Marker }));
    assert.deepEqual([...first.Roles!, ...rest.Roles!].map((r) => r.RoleName), ['eks-cluster', 'page-0', 'page-1', 'page-2']);
  });

  test('malformed policy documents are refused as IAM refuses them', async () => {
    await assert.rejects(iam().send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}' })), {
      name: 'MalformedPolicyDocumentException', message: 'Missing required field Principal',
    });
    await assert.rejects(iam().send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject"}}' })), {
      name: 'MalformedPolicyDocumentException', message: 'Policy statement must contain resources.',
    });
    await assert.rejects(iam().send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: '{not json' })), { name: 'MalformedPolicyDocumentException', message: 'Syntax errors in policy.' });
  });

  test('policy versions', async () => {
    const doc = (a: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: a, Resource: '*' }] });
    const p = await iam().send(new CreatePolicyCommand({ PolicyName: 'versions', PolicyDocument: doc('eks:*') }));
    await iam().send(new CreatePolicyVersionCommand({ PolicyArn: p.Policy!.Arn, PolicyDocument: doc('iam:*'), SetAsDefault: true }));
    const versions = await iam().send(new ListPolicyVersionsCommand({ PolicyArn: p.Policy!.Arn }));
    assert.deepEqual(versions.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v2', true], ['v1', false]]);
    const v2 = await iam().send(new GetPolicyVersionCommand({ PolicyArn: p.Policy!.Arn, VersionId: 'v2' }));
    assert.equal(decodeURIComponent(v2.PolicyVersion!.Document!), doc('iam:*'));
  });

  test('get-caller-identity for root, an IAM user and an assumed role; assume-role allowed and denied', async () => {
    assert.deepEqual(
      (({ UserId, Account, Arn }) => ({ UserId, Account, Arn }))(await sts().send(new GetCallerIdentityCommand({}))),
      { UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' },
    );
    const user = await iam().send(new CreateUserCommand({ UserName: 'alice' }));
    const key = await iam().send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    const alice = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
    assert.match(alice.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    const me = await sts(alice).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, 'arn:aws:iam::000000000000:user/alice');
    assert.equal(me.UserId, user.User?.UserId);

    await iam().send(new CreateRoleCommand({
      RoleName: 'only-alice',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: user.User!.Arn }, Action: 'sts:AssumeRole', Condition: { StringLike: { 'sts:RoleSessionName': 'ci-*' } } }] }),
    }));
    const assumed = await sts(alice).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/only-alice', RoleSessionName: 'ci-1', DurationSeconds: 900 }));
    assert.equal(assumed.AssumedRoleUser?.Arn, 'arn:aws:sts::000000000000:assumed-role/only-alice/ci-1');
    assert.match(assumed.Credentials!.AccessKeyId!, /^ASIA/);
    const session = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
    const who = await sts(session).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, 'arn:aws:sts::000000000000:assumed-role/only-alice/ci-1');
    assert.match(who.UserId ?? '', /^AROA[A-Z2-7]{17}:ci-1$/);

    await assert.rejects(sts(alice).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/only-alice', RoleSessionName: 'other' })), {
      name: 'AccessDenied', message: 'User: arn:aws:iam::000000000000:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/only-alice',
    });
    await assert.rejects(sts({ ...session, sessionToken: 'forged' }).send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId' });
  });

  test('wrong secret and unknown key', async () => {
    await assert.rejects(sts({ accessKeyId: 'test', secretAccessKey: 'wrong' }).send(new GetCallerIdentityCommand({})), {
      name: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    });
    await assert.rejects(iam({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' }).send(new ListRolesCommand({})), {
      name: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.',
    });
  });

  test('assume-role-with-web-identity checks the token and the trust policy conditions', async () => {
    await iam().send(new CreateOpenIDConnectProviderCommand({ Url: issuer, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'] }));
    const host = issuer.replace('https://', '');
    await iam().send(new CreateRoleCommand({
      RoleName: 'irsa',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::000000000000:oidc-provider/${host}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${host}:sub`]: 'system:serviceaccount:default:app', [`${host}:aud`]: 'sts.amazonaws.com' } },
        }],
      }),
    }));
    const jwt = (sub: string, aud = 'sts.amazonaws.com') =>
      new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setSubject(sub).setAudience(aud).setIssuedAt().setExpirationTime('1h').sign(privateKey);
    const anon = new STSClient({ endpoint: endpoint.url, region, credentials: root });
    const ok = await anon.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: 'arn:aws:iam::000000000000:role/irsa', RoleSessionName: 'pod', WebIdentityToken: await jwt('system:serviceaccount:default:app') }));
    assert.equal(ok.AssumedRoleUser?.Arn, 'arn:aws:sts::000000000000:assumed-role/irsa/pod');
    assert.equal(ok.SubjectFromWebIdentityToken, 'system:serviceaccount:default:app');
    await assert.rejects(anon.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: 'arn:aws:iam::000000000000:role/irsa', RoleSessionName: 'pod', WebIdentityToken: await jwt('system:serviceaccount:default:other') })), {
      name: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    });
    await assert.rejects(anon.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: 'arn:aws:iam::000000000000:role/irsa', RoleSessionName: 'pod', WebIdentityToken: await jwt('system:serviceaccount:default:app', 'other') })), {
      name: 'InvalidIdentityTokenException', message: 'Incorrect token audience',
    });
  });

  test('restJson1 services: registered routes, signature errors in their own shape', async () => {
    const seen: string[] = [];
    const router = new RestRouter().add('GET', '/clusters', async (req) => {
      seen.push(req.ctx.caller.arn);
      if (req.query.maxResults === '0') throw new AwsError('InvalidParameterException', 'maxResults must be positive', 400, 'Sender', { clusterName: 'x' });
      return { body: { clusters: ['a'] } };
    });
    endpoint.registerRestJsonService('eks', router.handle);
    const eks = (c: Creds) => new EKSClient({ endpoint: endpoint.url, region, credentials: c, maxAttempts: 1 });
    assert.deepEqual((await eks(root).send(new ListClustersCommand({}))).clusters, ['a']);
    assert.deepEqual(seen, ['arn:aws:iam::000000000000:root']);
    await assert.rejects(eks(root).send(new ListClustersCommand({ maxResults: 0 })), { name: 'InvalidParameterException', message: 'maxResults must be positive', clusterName: 'x' });
    await assert.rejects(eks({ accessKeyId: 'test', secretAccessKey: 'nope' }).send(new ListClustersCommand({})), {
      name: 'InvalidSignatureException',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    });
    await assert.rejects(eks({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' }).send(new ListClustersCommand({})), {
      name: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.',
    });
    const res = await fetch(`${endpoint.url}/clusters`);
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    assert.ok(res.headers.get('x-amzn-requestid'));
  });

  test('AWS managed policies EKS setups attach exist with their published documents', async () => {
    const arn = 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy';
    const p = await iam().send(new GetPolicyCommand({ PolicyArn: arn }));
    assert.equal(p.Policy?.DefaultVersionId, 'v3');
    const v = await iam().send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }));
    assert.ok(JSON.parse(decodeURIComponent(v.PolicyVersion!.Document!)).Statement[0].Action.includes('eks:DescribeCluster'));
    const names = (await iam().send(new ListPoliciesCommand({ Scope: 'AWS' }))).Policies!.map((x) => x.PolicyName);
    for (const n of ['AdministratorAccess', 'AmazonEKSClusterPolicy', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonEKSFargatePodExecutionRolePolicy', 'AmazonEKSVPCResourceController', 'AmazonEKSServicePolicy', 'AmazonSSMManagedInstanceCore']) {
      assert.ok(names.includes(n), n);
    }
    assert.deepEqual((await iam().send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies!.map((x) => x.PolicyName), ['versions']);
    // The cluster role's policies at their current published versions.
    const doc = async (name: string, version: string) => {
      const got = await iam().send(new GetPolicyVersionCommand({ PolicyArn: `arn:aws:iam::aws:policy/${name}`, VersionId: version }));
      return JSON.parse(decodeURIComponent(got.PolicyVersion!.Document!)) as { Statement: { Sid?: string; Action: string | string[] }[] };
    };
    assert.deepEqual((await doc('AmazonEKSClusterPolicy', 'v10')).Statement.map((x) => x.Sid), ['AmazonEKSClusterPolicy', 'AmazonEKSClusterPolicySLRCreate', 'AmazonEKSClusterPolicyENIDelete']);
    assert.ok((await doc('AmazonEKSServicePolicy', 'v7')).Statement[0].Action.includes('ec2:GetSecurityGroupsForVpc'));
  });

  test('validation, user tags, access key status, OIDC provider lifecycle', async () => {
    await assert.rejects(iam().send(new CreateRoleCommand({ RoleName: 'p', Path: 'no-slash', AssumeRolePolicyDocument: TRUST_ACCOUNT })), { name: 'ValidationError' });
    await assert.rejects(iam().send(new CreateRoleCommand({ RoleName: 'p', Path: '/a b/', AssumeRolePolicyDocument: TRUST_ACCOUNT })), { name: 'ValidationError' });
    await assert.rejects(iam().send(new CreateRoleCommand({ RoleName: 'bad name', AssumeRolePolicyDocument: TRUST_ACCOUNT })), { name: 'ValidationError' });
    await iam().send(new CreateUserCommand({ UserName: 'tagged' }));
    await iam().send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await iam().send(new UntagUserCommand({ UserName: 'tagged', TagKeys: ['a'] }));
    assert.deepEqual((await iam().send(new ListUserTagsCommand({ UserName: 'tagged' }))).Tags, [{ Key: 'b', Value: '2' }]);

    const key = (await iam().send(new CreateAccessKeyCommand({ UserName: 'tagged' }))).AccessKey!;
    const creds = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    await iam().send(new UpdateAccessKeyCommand({ UserName: 'tagged', AccessKeyId: key.AccessKeyId!, Status: 'Inactive' }));
    await assert.rejects(sts(creds).send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId' });

    const created = await iam().send(new CreateOpenIDConnectProviderCommand({ Url: 'https://issuer.example/x/', ClientIDList: ['a'], ThumbprintList: ['0'.repeat(40)] }));
    assert.equal(created.OpenIDConnectProviderArn, 'arn:aws:iam::000000000000:oidc-provider/issuer.example/x');
    const got = await iam().send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: created.OpenIDConnectProviderArn }));
    assert.equal(got.Url, 'issuer.example/x');
    assert.deepEqual(got.ClientIDList, ['a']);
    await assert.rejects(iam().send(new CreateOpenIDConnectProviderCommand({ Url: 'https://issuer.example/x', ThumbprintList: ['0'.repeat(40)] })), { name: 'EntityAlreadyExistsException' });
    await iam().send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: created.OpenIDConnectProviderArn }));
    const arns = (await iam().send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList!.map((x) => x.Arn);
    assert.ok(!arns.includes(created.OpenIDConnectProviderArn));
  });
});
