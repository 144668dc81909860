// The AWS endpoint through the real SDK v3 with keep-alive:
// - STS GetCallerIdentity calls/s (SigV4 verified on each) against a baseline of the same SDK
//   client calling a plain node:http server that answers the same XML without any checks
//   (same run, same concurrency): the cost of Kumo's protocol layer and signature check;
// - IAM GetRole calls/s (the state store read and XML shape on top);
// - STS GetCallerIdentity calls/s signed with an IAM user's access key against `kumo up` (state in
//   the management plane's ConfigMaps, as users run it), beside the root key on the same endpoint:
//   what resolving a user's key costs per request;
// - resolutions/s of an IAM user's access key over the same ConfigMap-backed store: reading the key
//   and user records (what every request did) against the endpoint's AccessKeyCache;
// - policy evaluations/s of a 20-statement identity policy;
// - SigV4 checks/s against @smithy/signature-v4 computing the same signature.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeAwsStateStore, MemoryAwsStateStore, startAwsEndpoint } from '../src/aws/index.js';
import { startUp } from '../src/main/up.js';
import { openStore } from '../src/main/storage.js';
import { Registry } from '../src/apiserver/registry/index.js';
import { builtinCatalog } from '../src/apiserver/schema/catalog.js';
import { createInProcessClient } from '../src/client/in-process.js';
import { AccessKeyCache, resolveAccessKey } from '../src/aws/identity.js';
import { evaluate, parsePolicy } from '../src/aws/iam/policy/index.js';
import { RealClock } from '../src/util/clock.js';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../src/aws/server/sha256.js';
import { parseSigV4, verifySignature } from '../src/aws/server/sigv4.js';

const CALLS = 3_000;
const IN_FLIGHT = 16;
const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

async function rate(n: number, call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 50; i++) await call(); // warm-up
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next++ < n) await call();
  }));
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

const fmt = (x: number) => x.toFixed(0).padStart(8);

async function main() {
  const baselineBody =
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::000000000000:root</Arn>' +
    '<UserId>000000000000</UserId><Account>000000000000</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GetCallerIdentityResponse>';
  const plain = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/xml' }).end(baselineBody));
  });
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  const endpoint = await startAwsEndpoint({ host: '127.0.0.1', port: 0, state: new MemoryAwsStateStore(), region, enforceIam: false, clock: new RealClock() });

  const baseSts = new STSClient({ endpoint: plainUrl, region, credentials });
  const sts = new STSClient({ endpoint: endpoint.url, region, credentials });
  const iam = new IAMClient({ endpoint: endpoint.url, region, credentials });
  await iam.send(new CreateRoleCommand({ RoleName: 'bench', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));

  // The baseline runs before and after; the better figure is kept so warm-up never flatters Kumo.
  const before = await rate(CALLS, () => baseSts.send(new GetCallerIdentityCommand({})));
  const gci = await rate(CALLS, () => sts.send(new GetCallerIdentityCommand({})));
  const getRole = await rate(CALLS, () => iam.send(new GetRoleCommand({ RoleName: 'bench' })));
  const baseline = Math.max(before, await rate(CALLS, () => baseSts.send(new GetCallerIdentityCommand({}))));
  console.log(`SDK calls/s, ${IN_FLIGHT} in flight, ${CALLS} calls each`);
  console.log(`  baseline: SDK -> plain node:http XML  ${fmt(baseline)} /s`);
  console.log(`  STS GetCallerIdentity (SigV4 checked) ${fmt(gci)} /s  (${(gci / baseline).toFixed(2)}x baseline)`);
  console.log(`  IAM GetRole                           ${fmt(getRole)} /s  (${(getRole / baseline).toFixed(2)}x baseline)`);

  // An IAM user's key against kumo up: its key and user records live in ConfigMaps.
  const dir = mkdtempSync(join(tmpdir(), 'kumo-aws-bench-'));
  const up = await startUp({ port: 0, host: '127.0.0.1', dataDir: dir, storage: 'sqlite', region, enforceIam: false, clusterCreateDelayMs: 0, nodesPerCluster: 0 });
  const upIam = new IAMClient({ endpoint: up.url, region, credentials });
  await upIam.send(new CreateUserCommand({ UserName: 'bench' }));
  const { AccessKey } = await upIam.send(new CreateAccessKeyCommand({ UserName: 'bench' }));
  const upRoot = new STSClient({ endpoint: up.url, region, credentials });
  const upUser = new STSClient({ endpoint: up.url, region, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } });
  const rootGci = await rate(CALLS, () => upRoot.send(new GetCallerIdentityCommand({})));
  const userGci = await rate(CALLS, () => upUser.send(new GetCallerIdentityCommand({})));
  console.log(`  kumo up: GetCallerIdentity, root key  ${fmt(rootGci)} /s`);
  console.log(`  kumo up: GetCallerIdentity, IAM user  ${fmt(userGci)} /s  (${(userGci / rootGci).toFixed(2)}x root key)`);
  [upIam, upRoot, upUser].forEach((c) => c.destroy());
  await up.close();
  rmSync(dir, { recursive: true, force: true });

  // The key lookup alone, over a ConfigMap store in a management registry as kumo up builds it.
  const keyDir = mkdtempSync(join(tmpdir(), 'kumo-aws-bench-keys-'));
  const catalog = builtinCatalog();
  const registry = new Registry({ store: await openStore({ kind: 'sqlite', dataDir: keyDir }), catalog, clock: new RealClock() });
  await registry.start();
  const keyState = new KubeAwsStateStore(createInProcessClient(registry, catalog, { username: 'bench', groups: ['system:masters'] }, 'bench'));
  await keyState.put('user', 'bench', { UserName: 'bench', UserId: 'AIDABENCH', Arn: 'arn:aws:iam::000000000000:user/bench', Path: '/', CreateDate: '', Tags: [], AttachedPolicies: [], InlinePolicies: {} });
  await keyState.put('accesskey', 'AKIABENCH', { AccessKeyId: 'AKIABENCH', SecretAccessKey: 's', UserName: 'bench', Status: 'Active', CreateDate: '' });
  const cache = new AccessKeyCache(keyState);
  const lookups = async (resolve: () => Promise<unknown>) => {
    for (let i = 0; i < 200; i++) await resolve();
    const K = 5_000;
    const k0 = process.hrtime.bigint();
    for (let i = 0; i < K; i++) await resolve();
    return K / (Number(process.hrtime.bigint() - k0) / 1e9);
  };
  const uncached = await lookups(() => resolveAccessKey(keyState, 'AKIABENCH'));
  const cached = await lookups(() => cache.resolve('AKIABENCH'));
  console.log(`  IAM user key lookups, state reads     ${fmt(uncached)} /s  (${(1e6 / uncached).toFixed(1)} us each)`);
  console.log(`  IAM user key lookups, AccessKeyCache  ${fmt(cached)} /s  (${(cached / uncached).toFixed(0)}x state reads)`);
  rmSync(keyDir, { recursive: true, force: true });

  const statements = Array.from({ length: 20 }, (_, i) => ({
    Effect: 'Allow',
    Action: ['eks:Describe*', 'eks:List*'],
    Resource: `arn:aws:eks:*:000000000000:cluster/team-${i}-*`,
    Condition: { StringEquals: { 'aws:PrincipalTag/team': `t${i}` } },
  }));
  const policy = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'identity');
  const request = { principal: { type: 'AWS' as const, ids: ['arn:aws:iam::000000000000:user/u'], accountId: '000000000000' }, action: 'eks:DescribeCluster', resource: 'arn:aws:eks:us-east-1:000000000000:cluster/team-19-a', context: { 'aws:PrincipalTag/team': 't19' } };
  const N = 20_000;
  const t0 = process.hrtime.bigint();
  let allowed = 0;
  for (let i = 0; i < N; i++) if (evaluate(request, { identity: [policy] }) === 'Allow') allowed++;
  const evals = N / (Number(process.hrtime.bigint() - t0) / 1e9);
  console.log(`  policy evaluations (20 statements)    ${fmt(evals)} /s  (${allowed === N ? 'all allowed' : 'WRONG'})`);

  // SigV4 verification of one DescribeCluster-shaped request: Kumo's check (cached signing key) against
  // @smithy/signature-v4 computing the same signature (what the check cost when it re-signed with it).
  const signer = new SignatureV4({ credentials, region, service: 'eks', sha256: NodeSha256, uriEscapePath: true, applyChecksum: false });
  const unsigned = { method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 4566, path: '/clusters/bench', query: {}, headers: { host: '127.0.0.1:4566', 'content-type': 'application/json', 'x-amz-user-agent': 'aws-sdk-js/3', 'amz-sdk-request': 'attempt=1; max=3' } };
  const signedReq = await signer.sign(unsigned);
  const wire = { method: 'GET', path: '/clusters/bench', query: {}, headers: Object.fromEntries(Object.entries(signedReq.headers).map(([k, v]) => [k.toLowerCase(), String(v)])), body: Buffer.alloc(0) };
  const auth = parseSigV4(wire)!;
  if (!verifySignature(wire, auth, 'test')) throw new Error('signature check failed');
  const V = 20_000;
  let v0 = process.hrtime.bigint();
  for (let i = 0; i < V; i++) await signer.sign(unsigned, { signingDate: new Date() });
  const smithyRate = V / (Number(process.hrtime.bigint() - v0) / 1e9);
  v0 = process.hrtime.bigint();
  for (let i = 0; i < V; i++) verifySignature(wire, parseSigV4(wire)!, 'test');
  const verifyRate = V / (Number(process.hrtime.bigint() - v0) / 1e9);
  console.log(`  SigV4 checks (parse + verify)         ${fmt(verifyRate)} /s  (${(verifyRate / smithyRate).toFixed(1)}x @smithy/signature-v4 signing the same request: ${smithyRate.toFixed(0)} /s)`);

  await endpoint.stop();
  await new Promise<void>((r) => plain.close(() => r()));
  baseSts.destroy();
  sts.destroy();
  iam.destroy();
}

await main();
