// EKS through the real clients: the aws CLI and @aws-sdk/client-eks v3 against the AWS endpoint.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:https';
import {
  CreateClusterCommand, DescribeClusterCommand, ListClustersCommand, DeleteClusterCommand, UpdateClusterVersionCommand,
  UpdateClusterConfigCommand, DescribeUpdateCommand, ListUpdatesCommand, DescribeClusterVersionsCommand, TagResourceCommand,
  UntagResourceCommand, ListTagsForResourceCommand, CreateAccessEntryCommand, DescribeAccessEntryCommand, ListAccessEntriesCommand,
  UpdateAccessEntryCommand, DeleteAccessEntryCommand, AssociateAccessPolicyCommand, ListAssociatedAccessPoliciesCommand,
  DisassociateAccessPolicyCommand, ListAccessPoliciesCommand, AssociateIdentityProviderConfigCommand, DescribeIdentityProviderConfigCommand,
  ListIdentityProviderConfigsCommand, DisassociateIdentityProviderConfigCommand, paginateListClusters,
  ResourceNotFoundException, InvalidParameterException, ResourceInUseException, InvalidRequestException, NotFoundException,
  type EKSClient,
} from '@aws-sdk/client-eks';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { startFixture, type Fixture } from './eks-fixture.js';
import { clusterOidcProviders, resolveClusterIdentity } from '../../src/aws/eks/index.js';
import { readUntil } from '../helpers/wait.js';

const vpc = { subnetIds: ['subnet-111', 'subnet-222', 'subnet-333'], securityGroupIds: ['sg-12345678'] };
const roleArn = 'arn:aws:iam::000000000000:role/eksClusterRole';

async function activeCluster(eks: EKSClient, name: string, extra: Record<string, unknown> = {}) {
  await eks.send(new CreateClusterCommand({ name, roleArn, resourcesVpcConfig: vpc, ...extra }));
  return readUntil(() => eks.send(new DescribeClusterCommand({ name })), (r) => r.cluster?.status === 'ACTIVE');
}

function httpsGet(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
}

describe('EKS endpoint', () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture();
    await f.clusterRole('eksClusterRole');
  });
  after(async () => { await f.close(); });

  test('the guide\'s create-cluster, then `aws eks wait cluster-active`, gives a cluster with a working endpoint and its CA', async () => {
    const created = await f.cli('eks', 'create-cluster', '--name', 'my-cluster', '--role-arn', roleArn,
      '--resources-vpc-config', 'subnetIds=subnet-111,subnet-222,subnet-333,securityGroupIds=sg-12345678', '--kubernetes-version', '1.29');
    assert.equal(created.code, 0, created.stderr);
    const c0 = JSON.parse(created.stdout).cluster;
    assert.equal(c0.status, 'CREATING');
    assert.equal(c0.arn, 'arn:aws:eks:us-east-1:000000000000:cluster/my-cluster');
    assert.deepEqual(c0.resourcesVpcConfig.subnetIds, ['subnet-111', 'subnet-222', 'subnet-333']);
    const waited = await f.cli('eks', 'wait', 'cluster-active', '--name', 'my-cluster');
    assert.equal(waited.code, 0, waited.stderr);

    const { cluster } = await f.eks.send(new DescribeClusterCommand({ name: 'my-cluster' }));
    assert.equal(cluster?.status, 'ACTIVE');
    assert.equal(cluster?.version, '1.29');
    assert.match(cluster?.platformVersion ?? '', /^eks\.\d+$/);
    assert.ok(cluster?.createdAt instanceof Date);
    assert.match(cluster?.endpoint ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(cluster?.identity?.oidc?.issuer ?? '', /^https:\/\//);
    assert.equal(cluster?.kubernetesNetworkConfig?.serviceIpv4Cidr, '10.100.0.0/16');
    assert.equal(cluster?.kubernetesNetworkConfig?.ipFamily, 'ipv4');
    assert.equal(cluster?.resourcesVpcConfig?.endpointPublicAccess, true);
    assert.equal(cluster?.resourcesVpcConfig?.endpointPrivateAccess, false);
    assert.deepEqual(cluster?.resourcesVpcConfig?.publicAccessCidrs, ['0.0.0.0/0']);
    assert.match(cluster?.resourcesVpcConfig?.clusterSecurityGroupId ?? '', /^sg-[0-9a-f]+$/);
    assert.match(cluster?.resourcesVpcConfig?.vpcId ?? '', /^vpc-[0-9a-f]+$/);
    assert.equal(cluster?.accessConfig?.authenticationMode, 'CONFIG_MAP');
    assert.equal(cluster?.accessConfig?.bootstrapClusterCreatorAdminPermissions, true);
    const ca = Buffer.from(cluster?.certificateAuthority?.data ?? '', 'base64').toString();
    assert.match(ca, /BEGIN CERTIFICATE/);
    // The endpoint really serves TLS under the CA that DescribeCluster hands out.
    assert.equal(JSON.parse(await httpsGet(cluster!.endpoint!, ca)).cluster, 'my-cluster');
  });

  test('errors surface as the SDK\'s typed exceptions with EKS\'s messages', async () => {
    await assert.rejects(f.eks.send(new DescribeClusterCommand({ name: 'nope' })), (e: unknown) =>
      e instanceof ResourceNotFoundException && e.message === 'No cluster found for name: nope.');
    await assert.rejects(f.eks.send(new CreateClusterCommand({ name: 'my-cluster', roleArn, resourcesVpcConfig: vpc })), (e: unknown) =>
      e instanceof ResourceInUseException && e.message === 'Cluster already exists with name: my-cluster' && e.clusterName === 'my-cluster');
    await assert.rejects(f.eks.send(new CreateClusterCommand({ name: 'v', version: '1.12', roleArn, resourcesVpcConfig: vpc })), (e: unknown) =>
      e instanceof InvalidParameterException && e.message === 'unsupported Kubernetes version' && e.clusterName === 'v');
    await assert.rejects(f.eks.send(new CreateClusterCommand({ name: 'one-subnet', roleArn, resourcesVpcConfig: { subnetIds: ['subnet-1'] } })),
      InvalidParameterException);
    await assert.rejects(f.eks.send(new CreateClusterCommand({ name: 'bad_role', roleArn: 'arn:aws:iam::000000000000:user/u', resourcesVpcConfig: vpc })),
      InvalidParameterException);
    await assert.rejects(f.eks.send(new CreateClusterCommand({ name: '-bad', roleArn, resourcesVpcConfig: vpc })), InvalidParameterException);
    // The role must exist in IAM and trust eks.amazonaws.com: EKS assumes it before creating anything.
    const unassumable = (arn: string) => (e: unknown) => e instanceof InvalidParameterException && e.clusterName === 'no-role' &&
      e.message === `Role with arn: ${arn}, could not be assumed because it does not exist or the trusted entity is not correct`;
    const missing = 'arn:aws:iam::000000000000:role/not-there';
    await assert.rejects(f.eks.send(new CreateClusterCommand({ name: 'no-role', roleArn: missing, resourcesVpcConfig: vpc })), unassumable(missing));
    const ec2Trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const wrongTrust = (await f.iam.send(new CreateRoleCommand({ RoleName: 'ec2-only', AssumeRolePolicyDocument: ec2Trust }))).Role!.Arn!;
    await assert.rejects(f.eks.send(new CreateClusterCommand({ name: 'no-role', roleArn: wrongTrust, resourcesVpcConfig: vpc })), unassumable(wrongTrust));
    const otherAccount = 'arn:aws:iam::123456789012:role/eksClusterRole';
    await assert.rejects(f.eks.send(new CreateClusterCommand({ name: 'no-role', roleArn: otherAccount, resourcesVpcConfig: vpc })), unassumable(otherAccount));
    await assert.rejects(f.eks.send(new CreateClusterCommand({
      name: 'cidr', roleArn, resourcesVpcConfig: vpc, kubernetesNetworkConfig: { serviceIpv4Cidr: '8.8.0.0/16' },
    })), InvalidParameterException);
    await assert.rejects(f.eks.send(new CreateClusterCommand({
      name: 'cm', roleArn, resourcesVpcConfig: vpc, accessConfig: { authenticationMode: 'CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: false },
    })), (e: unknown) => e instanceof InvalidParameterException && /bootstrapClusterCreatorAdminPermissions must be true/.test(e.message));
    // Nothing of the refused calls was kept.
    const { clusters } = await f.eks.send(new ListClustersCommand({}));
    assert.deepEqual(clusters?.filter((c) => ['v', 'one-subnet', 'bad_role', '-bad', 'cidr', 'cm', 'no-role'].includes(c)), []);
  });

  test('ListClusters pages with maxResults and nextToken', async () => {
    for (const n of ['page-a', 'page-b', 'page-c']) await f.eks.send(new CreateClusterCommand({ name: n, roleArn, resourcesVpcConfig: vpc }));
    const first = await f.eks.send(new ListClustersCommand({ maxResults: 2 }));
    assert.equal(first.clusters?.length, 2);
    assert.ok(first.nextToken);
    const all: string[] = [];
    for await (const page of paginateListClusters({ client: f.eks, pageSize: 2 }, {})) all.push(...(page.clusters ?? []));
    assert.deepEqual(all.filter((n) => n.startsWith('page-')), ['page-a', 'page-b', 'page-c']);
    assert.deepEqual(all, [...all].sort());
    await assert.rejects(f.eks.send(new ListClustersCommand({ maxResults: 101 })), InvalidParameterException);
    await assert.rejects(f.eks.send(new ListClustersCommand({ nextToken: 'garbage!' })), InvalidParameterException);
  });

  test('UpdateClusterVersion: one minor up succeeds and the runtime gets it; two minors up and downgrades are refused', async () => {
    await activeCluster(f.eks, 'upgrade', { version: '1.29' });
    await assert.rejects(f.eks.send(new UpdateClusterVersionCommand({ name: 'upgrade', version: '1.31' })), (e: unknown) =>
      e instanceof InvalidParameterException && e.message === 'Unsupported Kubernetes minor version update from 1.29 to 1.31');
    const { update } = await f.eks.send(new UpdateClusterVersionCommand({ name: 'upgrade', version: '1.30' }));
    assert.equal(update?.status, 'InProgress');
    assert.equal(update?.type, 'VersionUpdate');
    assert.deepEqual(update?.params?.find((p) => p.type === 'Version')?.value, '1.30');
    // (UPDATING and the refusal of a second update while this one runs: eks-lifecycle.test.ts, on a fake clock.)
    const done = await readUntil(() => f.eks.send(new DescribeUpdateCommand({ name: 'upgrade', updateId: update!.id })), (r) => r.update?.status !== 'InProgress');
    assert.equal(done.update?.status, 'Successful');
    const { cluster } = await f.eks.send(new DescribeClusterCommand({ name: 'upgrade' }));
    assert.equal(cluster?.version, '1.30');
    assert.equal(cluster?.status, 'ACTIVE');
    assert.equal(f.runtime.versions.get('upgrade'), '1.30');
    const listed = await f.eks.send(new ListUpdatesCommand({ name: 'upgrade' }));
    assert.deepEqual(listed.updateIds, [update!.id]);
    await assert.rejects(f.eks.send(new UpdateClusterVersionCommand({ name: 'upgrade', version: '1.29' })), InvalidParameterException);
    await assert.rejects(f.eks.send(new DescribeUpdateCommand({ name: 'upgrade', updateId: 'nope' })), ResourceNotFoundException);
  });

  test('UpdateClusterConfig: logging, endpoint access and access config, one kind per call', async () => {
    await activeCluster(f.eks, 'config');
    await assert.rejects(f.eks.send(new UpdateClusterConfigCommand({
      name: 'config', logging: { clusterLogging: [{ types: ['api'], enabled: true }] }, resourcesVpcConfig: { endpointPrivateAccess: true },
    })), (e: unknown) => e instanceof InvalidParameterException && e.message === 'Only one type of update can be allowed.');
    const { update } = await f.eks.send(new UpdateClusterConfigCommand({ name: 'config', logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }] } }));
    assert.equal(update?.type, 'LoggingUpdate');
    await readUntil(() => f.eks.send(new DescribeUpdateCommand({ name: 'config', updateId: update!.id })), (r) => r.update?.status === 'Successful');
    const after1 = (await f.eks.send(new DescribeClusterCommand({ name: 'config' }))).cluster!;
    assert.deepEqual(after1.logging?.clusterLogging?.find((s) => s.enabled)?.types, ['api', 'audit']);
    await assert.rejects(f.eks.send(new UpdateClusterConfigCommand({ name: 'config', logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }] } })),
      (e: unknown) => e instanceof InvalidParameterException && e.message === 'No changes needed for the logging config provided');
    await assert.rejects(f.eks.send(new UpdateClusterConfigCommand({ name: 'config', resourcesVpcConfig: { endpointPublicAccess: true } })), (e: unknown) =>
      e instanceof InvalidParameterException &&
      e.message === 'Cluster is already at the desired configuration with endpointPrivateAccess: false , endpointPublicAccess: true, and Public Endpoint Restrictions: [0.0.0.0/0]');
    const ac = await f.eks.send(new UpdateClusterConfigCommand({ name: 'config', accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' } }));
    assert.equal(ac.update?.type, 'AccessConfigUpdate');
    await readUntil(() => f.eks.send(new DescribeClusterCommand({ name: 'config' })), (r) => r.cluster?.accessConfig?.authenticationMode === 'API_AND_CONFIG_MAP' && r.cluster.status === 'ACTIVE');
    await assert.rejects(f.eks.send(new UpdateClusterConfigCommand({ name: 'config', accessConfig: { authenticationMode: 'CONFIG_MAP' } })), (e: unknown) =>
      e instanceof InvalidParameterException && e.message === 'Unsupported authentication mode update from API_AND_CONFIG_MAP to CONFIG_MAP');
  });

  test('clientRequestToken: the same token and parameters answer the first result; different parameters are refused', async () => {
    const input = { name: 'idem', roleArn, resourcesVpcConfig: vpc, clientRequestToken: 'tok-1' };
    const a = await f.eks.send(new CreateClusterCommand(input));
    const b = await f.eks.send(new CreateClusterCommand(input));
    assert.equal(a.cluster?.arn, b.cluster?.arn);
    assert.equal(b.cluster?.clientRequestToken, 'tok-1');
    await assert.rejects(f.eks.send(new CreateClusterCommand({ ...input, version: '1.32' })), InvalidParameterException);
  });

  test('access entries and access policies: CRUD, defaults, validation, and the identity a caller maps to', async () => {
    await activeCluster(f.eks, 'access', { accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' } });
    // The creator (root here) got an entry with AmazonEKSClusterAdminPolicy.
    const initial = await f.eks.send(new ListAccessEntriesCommand({ clusterName: 'access' }));
    assert.deepEqual(initial.accessEntries, ['arn:aws:iam::000000000000:root']);
    const creatorPolicies = await f.eks.send(new ListAssociatedAccessPoliciesCommand({ clusterName: 'access', principalArn: 'arn:aws:iam::000000000000:root' }));
    assert.equal(creatorPolicies.associatedAccessPolicies?.[0]?.policyArn, 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');

    const principalArn = 'arn:aws:iam::000000000000:role/dev/developer';
    const { accessEntry } = await f.eks.send(new CreateAccessEntryCommand({ clusterName: 'access', principalArn, kubernetesGroups: ['devs'], tags: { team: 'a' } }));
    assert.equal(accessEntry?.type, 'STANDARD');
    assert.equal(accessEntry?.username, 'arn:aws:sts::000000000000:assumed-role/developer/{{SessionName}}');
    assert.match(accessEntry?.accessEntryArn ?? '', /^arn:aws:eks:us-east-1:000000000000:access-entry\/access\/role\/000000000000\/developer\/[0-9a-f-]{36}$/);
    await assert.rejects(f.eks.send(new CreateAccessEntryCommand({ clusterName: 'access', principalArn })), (e: unknown) =>
      e instanceof ResourceInUseException && e.message === 'The specified access entry resource is already in use on this cluster.');
    await assert.rejects(f.eks.send(new CreateAccessEntryCommand({ clusterName: 'access', principalArn: 'arn:aws:iam::000000000000:role/x', kubernetesGroups: ['system:masters'] })),
      (e: unknown) => e instanceof InvalidParameterException && e.message === 'The kubernetes group name system:masters is invalid, it cannot start with system');
    const node = await f.eks.send(new CreateAccessEntryCommand({ clusterName: 'access', principalArn: 'arn:aws:iam::000000000000:role/node', type: 'EC2_LINUX' }));
    assert.deepEqual(node.accessEntry?.kubernetesGroups, ['system:nodes']);
    assert.equal(node.accessEntry?.username, 'system:node:{{EC2PrivateDNSName}}');

    const assoc = await f.eks.send(new AssociateAccessPolicyCommand({
      clusterName: 'access', principalArn, policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
      accessScope: { type: 'namespace', namespaces: ['dev-*', 'default'] },
    }));
    assert.deepEqual(assoc.associatedAccessPolicy?.accessScope, { type: 'namespace', namespaces: ['dev-*', 'default'] });
    await assert.rejects(f.eks.send(new AssociateAccessPolicyCommand({
      clusterName: 'access', principalArn: 'arn:aws:iam::000000000000:role/node', policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', accessScope: { type: 'cluster' },
    })), InvalidParameterException);
    const filtered = await f.eks.send(new ListAccessEntriesCommand({ clusterName: 'access', associatedPolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy' }));
    assert.deepEqual(filtered.accessEntries, [principalArn]);

    const updated = await f.eks.send(new UpdateAccessEntryCommand({ clusterName: 'access', principalArn, kubernetesGroups: ['devs', 'ops'], username: 'dev-user' }));
    assert.deepEqual(updated.accessEntry?.kubernetesGroups, ['devs', 'ops']);
    const described = await f.eks.send(new DescribeAccessEntryCommand({ clusterName: 'access', principalArn }));
    assert.equal(described.accessEntry?.username, 'dev-user');
    assert.deepEqual(described.accessEntry?.tags, { team: 'a' });

    // A session of the role (the path is not in a session ARN) maps to the entry.
    const id = await resolveClusterIdentity(f.svc, undefined, 'access', 'arn:aws:sts::000000000000:assumed-role/developer/alice');
    assert.deepEqual(id, {
      username: 'dev-user', groups: ['devs', 'ops'],
      accessPolicies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', scope: { type: 'namespace', namespaces: ['dev-*', 'default'] } }],
    });
    assert.equal(await resolveClusterIdentity(f.svc, undefined, 'access', 'arn:aws:iam::000000000000:user/stranger'), undefined);

    await f.eks.send(new DisassociateAccessPolicyCommand({ clusterName: 'access', principalArn, policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy' }));
    assert.deepEqual((await f.eks.send(new ListAssociatedAccessPoliciesCommand({ clusterName: 'access', principalArn }))).associatedAccessPolicies, []);
    await f.eks.send(new DeleteAccessEntryCommand({ clusterName: 'access', principalArn }));
    await assert.rejects(f.eks.send(new DescribeAccessEntryCommand({ clusterName: 'access', principalArn })), ResourceNotFoundException);

    // CONFIG_MAP clusters have no access entries.
    await assert.rejects(f.eks.send(new ListAccessEntriesCommand({ clusterName: 'my-cluster' })), (e: unknown) =>
      e instanceof InvalidRequestException && e.message === "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.");
    const policies = await f.eks.send(new ListAccessPoliciesCommand({}));
    assert.ok(policies.accessPolicies?.some((p) => p.arn === 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy' && p.name === 'AmazonEKSClusterAdminPolicy'));
  });

  test('aws-auth mapRoles and mapUsers map callers in CONFIG_MAP mode; the creator is kubernetes-admin', async () => {
    const awsAuth = {
      read: async () => ({
        mapRoles: '- rolearn: arn:aws:iam::000000000000:role/ops\n  username: ops:{{SessionName}}\n  groups: [system:masters]\n',
        mapUsers: '- userarn: arn:aws:iam::000000000000:user/bob\n  username: bob\n  groups: [viewers]\n',
      }),
    };
    assert.deepEqual(await resolveClusterIdentity(f.svc, awsAuth, 'my-cluster', 'arn:aws:sts::000000000000:assumed-role/ops/me@example.com'),
      { username: 'ops:me-example.com', groups: ['system:masters'], accessPolicies: [] });
    assert.deepEqual(await resolveClusterIdentity(f.svc, awsAuth, 'my-cluster', 'arn:aws:iam::000000000000:user/bob'),
      { username: 'bob', groups: ['viewers'], accessPolicies: [] });
    assert.deepEqual(await resolveClusterIdentity(f.svc, awsAuth, 'my-cluster', 'arn:aws:iam::000000000000:root'),
      { username: 'kubernetes-admin', groups: ['system:masters'], accessPolicies: [] });
    assert.equal(await resolveClusterIdentity(f.svc, awsAuth, 'my-cluster', 'arn:aws:iam::000000000000:user/eve'), undefined);
  });

  test('tags on clusters: tag, list, untag; unknown ARNs get NotFoundException', async () => {
    const arn = 'arn:aws:eks:us-east-1:000000000000:cluster/my-cluster';
    await f.eks.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'test', owner: 'me' } }));
    assert.deepEqual((await f.eks.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { env: 'test', owner: 'me' });
    await f.eks.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['owner'] }));
    assert.deepEqual((await f.eks.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { env: 'test' });
    await assert.rejects(f.eks.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:eks:us-east-1:000000000000:cluster/ghost' })), NotFoundException);
  });

  test('identity provider configs: associate (an update), describe, list, disassociate', async () => {
    await activeCluster(f.eks, 'oidc');
    const a = await f.eks.send(new AssociateIdentityProviderConfigCommand({
      clusterName: 'oidc', oidc: { identityProviderConfigName: 'corp', issuerUrl: 'https://idp.example.com', clientId: 'kube', groupsClaim: 'groups' },
    }));
    assert.equal(a.update?.type, 'AssociateIdentityProviderConfig');
    await readUntil(() => f.eks.send(new DescribeIdentityProviderConfigCommand({ clusterName: 'oidc', identityProviderConfig: { type: 'oidc', name: 'corp' } })),
      (r) => r.identityProviderConfig?.oidc?.status === 'ACTIVE');
    assert.deepEqual((await f.eks.send(new ListIdentityProviderConfigsCommand({ clusterName: 'oidc' }))).identityProviderConfigs, [{ type: 'oidc', name: 'corp' }]);
    assert.deepEqual(clusterOidcProviders(f.svc, 'oidc').map((c) => [c.issuerUrl, c.clientId, c.usernameClaim, c.groupsClaim]),
      [['https://idp.example.com', 'kube', 'sub', 'groups']]);
    await readUntil(() => f.eks.send(new DescribeClusterCommand({ name: 'oidc' })), (r) => r.cluster?.status === 'ACTIVE');
    await f.eks.send(new DisassociateIdentityProviderConfigCommand({ clusterName: 'oidc', identityProviderConfig: { type: 'oidc', name: 'corp' } }));
    await readUntil(() => f.eks.send(new ListIdentityProviderConfigsCommand({ clusterName: 'oidc' })), (r) => r.identityProviderConfigs?.length === 0);
  });

  test('DescribeClusterVersions lists the catalog newest first with one default', async () => {
    const { clusterVersions } = await f.eks.send(new DescribeClusterVersionsCommand({}));
    assert.equal(clusterVersions?.[0]?.clusterVersion, '1.33');
    assert.deepEqual(clusterVersions?.filter((v) => v.defaultVersion).map((v) => v.clusterVersion), ['1.33']);
    assert.ok(clusterVersions?.some((v) => v.clusterVersion === '1.29'));
    const only = await f.eks.send(new DescribeClusterVersionsCommand({ clusterVersions: ['1.30'] }));
    assert.deepEqual(only.clusterVersions?.map((v) => v.clusterVersion), ['1.30']);
  });

  test('DeleteCluster: DELETING, then gone and its control plane stopped', async () => {
    const { cluster } = await f.eks.send(new DeleteClusterCommand({ name: 'my-cluster' }));
    assert.equal(cluster?.status, 'DELETING');
    await readUntil(() => f.eks.send(new DescribeClusterCommand({ name: 'my-cluster' })).then(() => false, (e) => e instanceof ResourceNotFoundException), (gone) => gone);
    assert.ok(f.runtime.stopped.includes('my-cluster'));
    await assert.rejects(f.eks.send(new DeleteClusterCommand({ name: 'my-cluster' })), ResourceNotFoundException);
  });
});
