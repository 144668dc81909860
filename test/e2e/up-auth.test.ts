// Authentication into a `kumo up` cluster with EKS tokens: which tokens a cluster accepts, the
// aws-auth ConfigMap mapping of an assumed role with {{SessionName}}, and a namespace-scoped access
// policy evaluated before RBAC. Tokens are presigned here exactly as `aws eks get-token` does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { AssociateIdentityProviderConfigCommand, DescribeIdentityProviderConfigCommand, CreateAccessEntryCommand, AssociateAccessPolicyCommand, CreateClusterCommand, DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { CreateAccessKeyCommand, CreateOpenIDConnectProviderCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { NodeSha256 } from '../../src/aws/server/sha256.js';
import { startUp } from '../../src/main/up.js';
import { run, toolEnv } from '../helpers/apiserver.js';

function httpsGet(url: string, ca: string): Promise<string> {
  return new Promise((resolveGet, reject) => {
    get(url, { ca }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolveGet(body) : reject(new Error(`${url}: ${res.statusCode} ${body}`))));
    }).on('error', reject);
  });
}

interface Creds { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

/** `aws eks get-token`: a presigned STS GetCallerIdentity URL signed over host;x-k8s-aws-id. */
async function eksToken(creds: Creds, cluster: string, signedAt = new Date(), signClusterId = true): Promise<string> {
  const signer = new SignatureV4({ credentials: creds, region: 'us-east-1', service: 'sts', sha256: NodeSha256, uriEscapePath: true, applyChecksum: false });
  const req = await signer.presign(
    {
      method: 'GET', protocol: 'https:', hostname: 'sts.us-east-1.amazonaws.com', path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: 'sts.us-east-1.amazonaws.com', ...(signClusterId ? { 'x-k8s-aws-id': cluster } : {}) },
    },
    { expiresIn: 60, signingDate: signedAt },
  );
  const query = new URLSearchParams(req.query as Record<string, string>).toString();
  return 'k8s-aws-v1.' + Buffer.from(`https://sts.us-east-1.amazonaws.com/?${query}`).toString('base64url');
}

test('kumo up clusters accept EKS tokens for them only, map aws-auth roles, enforce scoped access policies; their ServiceAccount tokens assume IAM roles (IRSA); associated OIDC providers authenticate', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-up-auth-'));
  const up = await startUp({ port: 0, host: '127.0.0.1', dataDir: dir, storage: 'memory', region: 'us-east-1', enforceIam: false, clusterCreateDelayMs: 0, nodesPerCluster: 0 });
  t.after(async () => {
    await up.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const root: Creds = { accessKeyId: 'test', secretAccessKey: 'test' };
  const config = { endpoint: up.url, region: 'us-east-1', credentials: root };
  const eks = new EKSClient(config);
  const iam = new IAMClient(config);
  t.after(() => [eks, iam].forEach((c) => c.destroy()));

  const eksTrust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const clusterRole = (await iam.send(new CreateRoleCommand({ RoleName: 'eks', AssumeRolePolicyDocument: eksTrust }))).Role!.Arn!;
  // The cluster goes on two of the region's subnets (CreateCluster resolves them against the VPC model).
  const ec2 = new EC2Client(config);
  t.after(() => ec2.destroy());
  const subnetIds = ((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).slice(0, 2).map((s) => s.SubnetId!);
  await eks.send(new CreateClusterCommand({
    name: 'c1', roleArn: clusterRole, resourcesVpcConfig: { subnetIds },
    accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
  }));
  for (;;) {
    if ((await eks.send(new DescribeClusterCommand({ name: 'c1' }))).cluster?.status === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const clusterDir = join(dir, 'clusters', 'c1');
  const env = toolEnv(join(clusterDir, 'kubeconfig'), join(dir, 'home'));
  const kubectl = (args: string[], token?: string) => run({ env }, 'kubectl', token ? ['--token', token, ...args] : args);
  const whoami = async (token: string) => {
    const r = await kubectl(['auth', 'whoami', '-o', 'json'], token);
    return r.code === 0 ? JSON.parse(r.stdout).status.userInfo : r.stderr;
  };

  // The creator (root) is admin through its access entry; other clusters' and expired tokens are refused.
  assert.equal((await whoami(await eksToken(root, 'c1'))).username, 'arn:aws:iam::000000000000:root');
  assert.match(await whoami(await eksToken(root, 'other-cluster')), /You must be logged in|Unauthorized/);
  assert.match(await whoami(await eksToken(root, 'c1', new Date(Date.now() - 20 * 60_000))), /You must be logged in|Unauthorized/);
  assert.match(await whoami(await eksToken(root, 'c1', new Date(), false)), /You must be logged in|Unauthorized/);
  assert.match(await whoami(await eksToken({ accessKeyId: 'test', secretAccessKey: 'wrong' }, 'c1')), /You must be logged in|Unauthorized/);

  // An assumed role is unknown until aws-auth maps its role; {{SessionName}} has '@' replaced by '-'.
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:user/alice' }, Action: 'sts:AssumeRole' }] });
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'developers', AssumeRolePolicyDocument: trust }));
  const alice = new STSClient({ ...config, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } });
  t.after(() => alice.destroy());
  const { Credentials } = await alice.send(new AssumeRoleCommand({ RoleArn: Role!.Arn!, RoleSessionName: 'alice@example.com' }));
  const session: Creds = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
  assert.match(await whoami(await eksToken(session, 'c1')), /You must be logged in|Unauthorized/);
  const mapRoles = `- rolearn: ${Role!.Arn}\n  username: dev:{{SessionName}}\n  groups:\n    - developers\n`;
  const created = await kubectl(['-n', 'kube-system', 'create', 'configmap', 'aws-auth', `--from-literal=mapRoles=${mapRoles}`]);
  assert.equal(created.code, 0, created.stderr);
  const dev = await whoami(await eksToken(session, 'c1'));
  assert.equal(dev.username, 'dev:alice-example.com');
  assert.ok(dev.groups.includes('developers'));
  // No RBAC binding and no access policy: authenticated, but forbidden.
  const devList = await kubectl(['get', 'pods'], await eksToken(session, 'c1'));
  assert.notEqual(devList.code, 0);
  assert.match(devList.stderr, /forbidden/i);

  // A namespace-scoped AmazonEKSEditPolicy: writes inside team-a, nothing elsewhere.
  await kubectl(['create', 'namespace', 'team-a']);
  const principalArn = Role!.Arn!;
  await eks.send(new CreateAccessEntryCommand({ clusterName: 'c1', principalArn, username: 'editor' }));
  await eks.send(new AssociateAccessPolicyCommand({
    clusterName: 'c1', principalArn, policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
    accessScope: { type: 'namespace', namespaces: ['team-a'] },
  }));
  const token = await eksToken(session, 'c1');
  assert.equal((await whoami(token)).username, 'editor');
  const inside = await kubectl(['-n', 'team-a', 'create', 'configmap', 'x', '--from-literal=a=b'], token);
  assert.equal(inside.code, 0, inside.stderr);
  const outside = await kubectl(['-n', 'default', 'create', 'configmap', 'x', '--from-literal=a=b'], token);
  assert.notEqual(outside.code, 0);
  assert.match(outside.stderr, /forbidden/i);
  // `kubectl auth can-i` (a SelfSubjectAccessReview) reaches the same decision: access policies, then RBAC.
  const canInside = await kubectl(['auth', 'can-i', 'create', 'configmaps', '-n', 'team-a'], token);
  assert.equal(canInside.stdout.trim(), 'yes', canInside.stderr);
  const canOutside = await kubectl(['auth', 'can-i', 'create', 'configmaps', '-n', 'default'], token);
  assert.equal(canOutside.stdout.trim(), 'no', canOutside.stderr);
  // `kubectl auth can-i --list` (a SelfSubjectRulesReview) lists what the access policy grants, in its namespaces only.
  const configMapVerbs = async (namespace: string) => {
    const r = await kubectl(['auth', 'can-i', '--list', '-n', namespace], token);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.split('\n').filter((l) => /^configmaps\s/.test(l)).join('\n');
  };
  assert.match(await configMapVerbs('team-a'), /\[.*create.*\]/);
  assert.equal(await configMapVerbs('default'), '');
  // A SubjectAccessReview about the same identity (its ARN in extra, as the authenticator sets it) agrees.
  const sar = (namespace: string) => JSON.stringify({
    apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview',
    spec: { user: 'editor', groups: ['system:authenticated'], extra: { arn: [principalArn] }, resourceAttributes: { verb: 'create', resource: 'configmaps', namespace } },
  });
  const sarStatus = async (namespace: string) => {
    const r = await run({ env }, 'kubectl', ['create', '--validate=false', '-f', '-', '-o', 'json'], { input: sar(namespace) });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).status.allowed;
  };
  assert.equal(await sarStatus('team-a'), true);
  assert.equal(await sarStatus('default'), false);
  // TokenReview accepts the EKS tokens requests are authenticated with.
  const tokenReview = await run({ env }, 'kubectl', ['create', '--validate=false', '-f', '-', '-o', 'json'], {
    input: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }),
  });
  assert.equal(tokenReview.code, 0, tokenReview.stderr);
  const reviewed = JSON.parse(tokenReview.stdout).status;
  assert.equal(reviewed.authenticated, true, reviewed.error);
  assert.equal(reviewed.user.username, 'editor');

  // IRSA: a ServiceAccount token of the cluster (issuer = the cluster's identity.oidc.issuer)
  // assumes a role whose trust policy names the cluster's OIDC provider and the ServiceAccount.
  const issuer = (await eks.send(new DescribeClusterCommand({ name: 'c1' }))).cluster!.identity!.oidc!.issuer!;
  assert.match(issuer, /^https:\/\/127\.0\.0\.1:\d+\/id\/[0-9A-F]{32}$/);
  // Kumo serves the issuer's discovery document and JWKS over HTTPS.
  const discovery = JSON.parse(await httpsGet(`${issuer}/.well-known/openid-configuration`, up.oidcCaPem));
  assert.equal(discovery.issuer, issuer);
  assert.equal(discovery.jwks_uri, `${issuer}/keys`);
  const jwks = JSON.parse(await httpsGet(discovery.jwks_uri, up.oidcCaPem));
  assert.equal(jwks.keys[0].alg, 'RS256');
  const host = issuer.replace('https://', '');
  await iam.send(new CreateOpenIDConnectProviderCommand({ Url: issuer, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'] }));
  await iam.send(new CreateRoleCommand({
    RoleName: 'irsa',
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow', Principal: { Federated: `arn:aws:iam::000000000000:oidc-provider/${host}` }, Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [`${host}:sub`]: 'system:serviceaccount:default:default', [`${host}:aud`]: 'sts.amazonaws.com' } },
      }],
    }),
  }));
  const saToken = await kubectl(['create', 'token', 'default', '--audience', 'sts.amazonaws.com']);
  assert.equal(saToken.code, 0, saToken.stderr);
  const web = new STSClient(config);
  t.after(() => web.destroy());
  const assumed = await web.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: 'arn:aws:iam::000000000000:role/irsa', RoleSessionName: 'pod', WebIdentityToken: saToken.stdout.trim() }));
  assert.equal(assumed.AssumedRoleUser?.Arn, 'arn:aws:sts::000000000000:assumed-role/irsa/pod');
  assert.equal(assumed.SubjectFromWebIdentityToken, 'system:serviceaccount:default:default');

  // An associated OIDC identity provider (here the cluster's own issuer, whose keys kumo holds):
  // its tokens for the client id authenticate with the configured prefix.
  await eks.send(new AssociateIdentityProviderConfigCommand({
    clusterName: 'c1', oidc: { identityProviderConfigName: 'idp', issuerUrl: issuer, clientId: 'kubernetes-oidc', usernamePrefix: 'oidc:' },
  }));
  for (;;) {
    const d = await eks.send(new DescribeIdentityProviderConfigCommand({ clusterName: 'c1', identityProviderConfig: { type: 'oidc', name: 'idp' } }));
    if (d.identityProviderConfig?.oidc?.status === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const oidcToken = await kubectl(['create', 'token', 'default', '--audience', 'kubernetes-oidc']);
  assert.equal((await whoami(oidcToken.stdout.trim())).username, 'oidc:system:serviceaccount:default:default');
  // The cluster's own ServiceAccount tokens still authenticate as the ServiceAccount.
  const own = await kubectl(['create', 'token', 'default']);
  assert.equal((await whoami(own.stdout.trim())).username, 'system:serviceaccount:default:default');
  assert.match(await whoami((await kubectl(['create', 'token', 'default', '--audience', 'someone-else'])).stdout.trim()), /You must be logged in|Unauthorized/);
});
