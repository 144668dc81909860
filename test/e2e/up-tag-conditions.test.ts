// `kumo up --enforce-iam`: tag-based policies see the tag condition keys AWS sets.
// aws:RequestTag/<key> and aws:TagKeys on calls that carry tags (creates with tags, TagX, UntagX),
// tag on create needing the tagging action too (iam:TagRole, eks:TagResource), aws:ResourceTag/<key>
// (iam:ResourceTag/<key> for roles) on calls that act on a tagged resource, and iam:AssociatedResourceArn
// when EKS checks iam:PassRole for the cluster being created. A refusal changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessDeniedException, CreateClusterCommand, CreateFargateProfileCommand, CreateNodegroupCommand, DeleteClusterCommand, DescribeClusterCommand, EKSClient, ListClustersCommand,
  ListFargateProfilesCommand, ListNodegroupsCommand, ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand, UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import {
  AttachRolePolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, DeleteRoleCommand, GetRoleCommand,
  IAMClient, ListAttachedRolePoliciesCommand, ListPoliciesCommand, ListPolicyTagsCommand, ListRoleTagsCommand, PutUserPolicyCommand, TagPolicyCommand,
  TagRoleCommand, UntagRoleCommand,
} from '@aws-sdk/client-iam';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startUp } from '../../src/main/up.js';
import { until } from '../helpers/wait.js';

const ACCT = '000000000000';
const trustOf = (service: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
const trust = trustOf('eks.amazonaws.com');
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const blueRequest = { StringEquals: { 'aws:RequestTag/team': 'blue' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } };
const iamDenied = (action: string, resource: string) => (err: Error) =>
  err.name === 'AccessDenied'
  && err.message === `User: arn:aws:iam::${ACCT}:user/dev is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
const eksDenied = (action: string, resource: string, reason: 'implicit' | 'explicit' | 'none' = 'implicit') => (err: Error) => {
  const base = `User: arn:aws:iam::${ACCT}:user/dev is not authorized to perform: ${action} on resource: ${resource}`;
  const why = reason === 'implicit' ? ` because no identity-based policy allows the ${action} action` : reason === 'explicit' ? ' with an explicit deny in an identity-based policy' : '';
  return err instanceof AccessDeniedException && err.message === base + why;
};

test('kumo up --enforce-iam: tag condition keys on IAM and EKS calls', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-tagcond-'));
  const up = await startUp({ port: 0, host: '127.0.0.1', dataDir: dir, storage: 'memory', region: 'us-east-1', enforceIam: true, clusterCreateDelayMs: 0, nodesPerCluster: 0 });
  t.after(async () => {
    await up.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const client = { endpoint: up.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const iam = new IAMClient(client);
  const ec2 = new EC2Client(client);
  const eksRoot = new EKSClient(client);
  t.after(() => [iam, ec2, eksRoot].forEach((c) => c.destroy()));

  await iam.send(new CreateUserCommand({ UserName: 'dev' }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'dev' }));
  const devClient = { ...client, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } };
  const devIam = new IAMClient(devClient);
  const dev = new EKSClient(devClient);
  t.after(() => [devIam, dev].forEach((c) => c.destroy()));
  const grant = (name: string, ...statements: object[]) => iam.send(new PutUserPolicyCommand({ UserName: 'dev', PolicyName: name, PolicyDocument: policy(...statements) }));
  const roleArn = (name: string) => `arn:aws:iam::${ACCT}:role/${name}`;

  await t.test('IAM: aws:RequestTag and aws:TagKeys on CreateRole, with iam:TagRole for tag on create', async () => {
    await grant('create', { Effect: 'Allow', Action: 'iam:CreateRole', Resource: '*', Condition: blueRequest });
    // The create is allowed, but creating with tags also needs iam:TagRole on the new role.
    await assert.rejects(devIam.send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'team', Value: 'blue' }] })),
      iamDenied('iam:TagRole', roleArn('app')));
    await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'app' })), { name: 'NoSuchEntityException' });

    await grant('create', { Effect: 'Allow', Action: ['iam:CreateRole', 'iam:TagRole'], Resource: '*', Condition: blueRequest });
    await devIam.send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'env', Value: 'dev' }] }));
    // Another team's value, or a tag key outside the allowed set, is refused; nothing is created.
    await assert.rejects(devIam.send(new CreateRoleCommand({ RoleName: 'red', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'team', Value: 'red' }] })),
      iamDenied('iam:CreateRole', roleArn('red')));
    await assert.rejects(devIam.send(new CreateRoleCommand({ RoleName: 'cost', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'cost', Value: '1' }] })),
      iamDenied('iam:CreateRole', roleArn('cost')));
    // Without tags the request carries no aws:RequestTag/team, so StringEquals does not match.
    await assert.rejects(devIam.send(new CreateRoleCommand({ RoleName: 'bare', AssumeRolePolicyDocument: trust })), iamDenied('iam:CreateRole', roleArn('bare')));
    for (const name of ['red', 'cost', 'bare']) await assert.rejects(iam.send(new GetRoleCommand({ RoleName: name })), { name: 'NoSuchEntityException' });

    // TagRole is checked against the tags it carries.
    await assert.rejects(devIam.send(new TagRoleCommand({ RoleName: 'app', Tags: [{ Key: 'team', Value: 'red' }] })), iamDenied('iam:TagRole', roleArn('app')));
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: 'app' }))).Tags, [{ Key: 'team', Value: 'blue' }, { Key: 'env', Value: 'dev' }]);
  });

  await t.test('IAM: aws:ResourceTag and iam:ResourceTag on calls acting on a tagged role; aws:TagKeys on UntagRole', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'other', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'team', Value: 'red' }] }));
    await grant('own', {
      Effect: 'Allow', Action: ['iam:GetRole', 'iam:DeleteRole', 'iam:UntagRole'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } },
    }, {
      Effect: 'Allow', Action: 'iam:AttachRolePolicy', Resource: '*', Condition: { StringEquals: { 'iam:ResourceTag/team': 'blue' } },
    }, {
      Effect: 'Deny', Action: 'iam:UntagRole', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'team' } },
    });
    const readOnly = 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy';
    assert.equal((await devIam.send(new GetRoleCommand({ RoleName: 'app' }))).Role?.RoleName, 'app');
    await devIam.send(new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: readOnly }));
    await assert.rejects(devIam.send(new GetRoleCommand({ RoleName: 'other' })), iamDenied('iam:GetRole', roleArn('other')));
    await assert.rejects(devIam.send(new AttachRolePolicyCommand({ RoleName: 'other', PolicyArn: readOnly })), iamDenied('iam:AttachRolePolicy', roleArn('other')));
    await assert.rejects(devIam.send(new DeleteRoleCommand({ RoleName: 'other' })), iamDenied('iam:DeleteRole', roleArn('other')));
    assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'other' }))).AttachedPolicies, []);
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'other' }))).Role?.RoleName, 'other');

    // Removing the team tag is denied by aws:TagKeys; removing env is allowed.
    await assert.rejects(devIam.send(new UntagRoleCommand({ RoleName: 'app', TagKeys: ['team'] })), (err: Error) => err.name === 'AccessDenied'
      && err.message === `User: arn:aws:iam::${ACCT}:user/dev is not authorized to perform: iam:UntagRole on resource: ${roleArn('app')} with an explicit deny in an identity-based policy`);
    await devIam.send(new UntagRoleCommand({ RoleName: 'app', TagKeys: ['env'] }));
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: 'app' }))).Tags, [{ Key: 'team', Value: 'blue' }]);
  });

  await t.test('IAM: CreatePolicy with tags needs iam:TagPolicy; TagPolicy sees aws:ResourceTag', async () => {
    const doc = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
    const arn = `arn:aws:iam::${ACCT}:policy/p`;
    await grant('policies', { Effect: 'Allow', Action: 'iam:CreatePolicy', Resource: '*' });
    await assert.rejects(devIam.send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: doc, Tags: [{ Key: 'team', Value: 'blue' }] })), iamDenied('iam:TagPolicy', arn));
    assert.deepEqual((await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies, []);
    await grant('policies', { Effect: 'Allow', Action: 'iam:CreatePolicy', Resource: '*' }, { Effect: 'Allow', Action: 'iam:TagPolicy', Resource: '*', Condition: blueRequest });
    await devIam.send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: doc, Tags: [{ Key: 'team', Value: 'blue' }] }));
    await grant('policies', { Effect: 'Allow', Action: 'iam:TagPolicy', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'red' } } });
    await assert.rejects(devIam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'env', Value: 'dev' }] })), iamDenied('iam:TagPolicy', arn));
    await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'team', Value: 'red' }] }));
    await devIam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'env', Value: 'dev' }] }));
    assert.deepEqual((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags, [{ Key: 'team', Value: 'red' }, { Key: 'env', Value: 'dev' }]);
  });

  await t.test('EKS: request tags, eks:TagResource on create, resource tags, iam:AssociatedResourceArn', async () => {
    const clusterRole = (await iam.send(new CreateRoleCommand({ RoleName: 'cluster', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
    const subnetIds = ((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).filter((s) => !s.MapPublicIpOnLaunch).slice(0, 2).map((s) => s.SubnetId!);
    const clusterArn = (name: string) => `arn:aws:eks:us-east-1:${ACCT}:cluster/${name}`;
    const create = (name: string, tags?: Record<string, string>) =>
      dev.send(new CreateClusterCommand({ name, roleArn: clusterRole, resourcesVpcConfig: { subnetIds }, tags }));
    await grant('eks', {
      Effect: 'Allow', Action: 'eks:CreateCluster', Resource: '*', Condition: blueRequest,
    }, {
      Effect: 'Allow', Action: 'eks:TagResource', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/team': 'blue' } },
    }, {
      Effect: 'Deny', Action: 'eks:TagResource', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/env': 'prod' } },
    }, {
      Effect: 'Allow', Action: ['eks:DescribeCluster', 'eks:DeleteCluster', 'eks:UpdateClusterConfig', 'eks:UntagResource'], Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } },
    }, {
      Effect: 'Deny', Action: 'eks:UntagResource', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'team' } },
    }, {
      Effect: 'Allow', Action: 'iam:PassRole', Resource: clusterRole,
      Condition: { StringEquals: { 'iam:PassedToService': 'eks.amazonaws.com' }, ArnLike: { 'iam:AssociatedResourceArn': clusterArn('blue-*') } },
    });

    await assert.rejects(create('blue-red', { team: 'red' }), eksDenied('eks:CreateCluster', clusterArn('blue-red')));
    await assert.rejects(create('blue-none'), eksDenied('eks:CreateCluster', clusterArn('blue-none')));
    // eks:CreateCluster allows it, the tag on create (eks:TagResource) is denied.
    await assert.rejects(create('blue-prod', { team: 'blue', env: 'prod' }), eksDenied('eks:TagResource', clusterArn('blue-prod'), 'explicit'));
    // PassRole is allowed only for clusters named blue-*.
    await assert.rejects(create('green', { team: 'blue' }), eksDenied('iam:PassRole', clusterRole, 'none'));
    assert.deepEqual((await eksRoot.send(new ListClustersCommand({}))).clusters, []);

    await create('blue-a', { team: 'blue', env: 'dev' });
    await eksRoot.send(new CreateClusterCommand({ name: 'red', roleArn: clusterRole, resourcesVpcConfig: { subnetIds }, tags: { team: 'red' } }));
    assert.equal((await dev.send(new DescribeClusterCommand({ name: 'blue-a' }))).cluster?.tags?.team, 'blue');
    await assert.rejects(dev.send(new DescribeClusterCommand({ name: 'red' })), eksDenied('eks:DescribeCluster', clusterArn('red')));
    await assert.rejects(dev.send(new UpdateClusterConfigCommand({ name: 'red', resourcesVpcConfig: { endpointPublicAccess: true } })),
      eksDenied('eks:UpdateClusterConfig', clusterArn('red')));
    await assert.rejects(dev.send(new DeleteClusterCommand({ name: 'red' })), eksDenied('eks:DeleteCluster', clusterArn('red')));
    // A TagResource whose tags do not match, and an untag of a protected key, change nothing.
    await assert.rejects(dev.send(new TagResourceCommand({ resourceArn: clusterArn('blue-a'), tags: { team: 'red' } })), eksDenied('eks:TagResource', clusterArn('blue-a')));
    await assert.rejects(dev.send(new UntagResourceCommand({ resourceArn: clusterArn('blue-a'), tagKeys: ['team'] })),
      eksDenied('eks:UntagResource', clusterArn('blue-a'), 'explicit'));
    await dev.send(new UntagResourceCommand({ resourceArn: clusterArn('blue-a'), tagKeys: ['env'] }));
    assert.deepEqual((await eksRoot.send(new ListTagsForResourceCommand({ resourceArn: clusterArn('blue-a') }))).tags, { team: 'blue' });
    assert.deepEqual((await eksRoot.send(new ListClustersCommand({}))).clusters, ['blue-a', 'red']);

    // Node groups and Fargate profiles created with tags need eks:TagResource on the new resource too;
    // iam:PassRole sees the passed role's tags as iam:ResourceTag.
    const nodeRole = (await iam.send(new CreateRoleCommand({ RoleName: 'nodes', AssumeRolePolicyDocument: trustOf('ec2.amazonaws.com'), Tags: [{ Key: 'team', Value: 'blue' }] }))).Role!.Arn!;
    const podRole = (await iam.send(new CreateRoleCommand({ RoleName: 'pods', AssumeRolePolicyDocument: trustOf('eks-fargate-pods.amazonaws.com') }))).Role!.Arn!;
    await grant('children', { Effect: 'Allow', Action: ['eks:CreateNodegroup', 'eks:CreateFargateProfile', 'eks:ListNodegroups', 'eks:ListFargateProfiles'], Resource: '*' }, {
      Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'eks.amazonaws.com', 'iam:ResourceTag/team': 'blue' } },
    });
    const fargate = (tags?: Record<string, string>) => dev.send(new CreateFargateProfileCommand({
      clusterName: 'red', fargateProfileName: 'fp', podExecutionRoleArn: podRole, subnets: subnetIds, selectors: [{ namespace: 'default' }], tags,
    }));
    await assert.rejects(dev.send(new CreateNodegroupCommand({ clusterName: 'red', nodegroupName: 'ng', nodeRole, subnets: subnetIds, tags: { env: 'prod' } })),
      eksDenied('eks:TagResource', `arn:aws:eks:us-east-1:${ACCT}:nodegroup/red/ng/*`, 'explicit'));
    await assert.rejects(fargate({ team: 'red' }), eksDenied('eks:TagResource', `arn:aws:eks:us-east-1:${ACCT}:fargateprofile/red/fp/*`));
    // EKS checks the pod execution role once the cluster is ACTIVE.
    await until('cluster red ACTIVE', async () => ((await eksRoot.send(new DescribeClusterCommand({ name: 'red' }))).cluster?.status === 'ACTIVE' ? true : undefined));
    await assert.rejects(fargate(), eksDenied('iam:PassRole', podRole, 'none'));
    assert.deepEqual((await eksRoot.send(new ListNodegroupsCommand({ clusterName: 'red' }))).nodegroups, []);
    assert.deepEqual((await eksRoot.send(new ListFargateProfilesCommand({ clusterName: 'red' }))).fargateProfileNames, []);
    await dev.send(new CreateNodegroupCommand({ clusterName: 'red', nodegroupName: 'ng', nodeRole, subnets: subnetIds, scalingConfig: { minSize: 0, maxSize: 1, desiredSize: 0 } }));
    assert.deepEqual((await eksRoot.send(new ListNodegroupsCommand({ clusterName: 'red' }))).nodegroups, ['ng']);
    assert.notEqual((await eksRoot.send(new DescribeClusterCommand({ name: 'red' }))).cluster?.status, 'DELETING');
    // The owner of a tagged cluster may delete it.
    await until('cluster blue-a ACTIVE', async () => ((await dev.send(new DescribeClusterCommand({ name: 'blue-a' }))).cluster?.status === 'ACTIVE' ? true : undefined));
    assert.equal((await dev.send(new DeleteClusterCommand({ name: 'blue-a' }))).cluster?.status, 'DELETING');
  });
});
