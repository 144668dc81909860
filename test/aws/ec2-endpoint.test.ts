// EC2's query API on the AWS endpoint: the preinstalled aws CLI (botocore's ec2 protocol) reads
// zones, VPCs and subnets; a wrong secret is AuthFailure; the region's VPC model is kept in the
// state store so its stored subnets survive a restart; --enforce-iam answers UnauthorizedOperation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { awsCli, type AwsCli } from '../helpers/aws-cli.js';
import { SignatureV4 } from '@smithy/signature-v4';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { RealClock } from '../../src/util/clock.js';
import { NodeSha256 } from '../../src/aws/server/sha256.js';
import { MemoryAwsStateStore, startAwsEndpoint, VpcModels, type AwsEndpoint } from '../../src/aws/index.js';

const region = 'us-east-1';

/** A SigV4-signed EC2 query call (form body), answered as status and XML text. */
async function ec2Call(url: string, creds: { accessKeyId: string; secretAccessKey: string }, form: Record<string, string>): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const body = new URLSearchParams({ Version: '2016-11-15', ...form }).toString();
  const signer = new SignatureV4({ credentials: creds, region, service: 'ec2', sha256: NodeSha256, uriEscapePath: true, applyChecksum: true });
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: '/',
    headers: { host: u.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body,
  });
  const res = await fetch(url + '/', { method: 'POST', headers: signed.headers as Record<string, string>, body });
  return { status: res.status, body: await res.text() };
}

const subnetIdsIn = (xml: string) => [...xml.matchAll(/<subnetId>([^<]+)<\/subnetId>/g)].map((m) => m[1]).sort();

describe('aws ec2 CLI against the endpoint', () => {
  let endpoint: AwsEndpoint;
  let cli: AwsCli;
  const state = new MemoryAwsStateStore();
  const aws = (args: string[], secret = 'test') => cli.run(endpoint.url, ['--output', 'json', ...args], { secret });

  before(async () => {
    cli = awsCli('kumo-ec2-cli-', region);
    endpoint = await startAwsEndpoint({ host: '127.0.0.1', port: 0, state, region, enforceIam: false, clock: new RealClock() });
  });
  after(async () => {
    await endpoint.stop();
    cli.cleanup();
  });

  test('zones, the default VPC, its subnets by vpc-id filter, AuthFailure for a wrong secret; stored subnets survive a restart', async () => {
    const [zones, vpcs, wrong] = await Promise.all([
      aws(['ec2', 'describe-availability-zones']),
      aws(['ec2', 'describe-vpcs']),
      aws(['ec2', 'describe-vpcs'], 'wrong'),
    ]);
    assert.equal(zones.code, 0, zones.stderr);
    const zoneList = JSON.parse(zones.stdout).AvailabilityZones as { ZoneName: string; State: string; RegionName: string; ZoneId: string }[];
    assert.deepEqual(zoneList.map((z) => [z.ZoneName, z.State, z.RegionName]), [['us-east-1a', 'available', region], ['us-east-1b', 'available', region], ['us-east-1c', 'available', region]]);
    assert.equal(vpcs.code, 0, vpcs.stderr);
    const vpcList = JSON.parse(vpcs.stdout).Vpcs as { VpcId: string; CidrBlock: string; IsDefault: boolean; OwnerId: string }[];
    assert.equal(vpcList.length, 1);
    assert.equal(vpcList[0].CidrBlock, '192.168.0.0/16');
    assert.equal(vpcList[0].IsDefault, true);
    assert.equal(vpcList[0].OwnerId, '000000000000');
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /\(AuthFailure\)/);

    const vpcId = vpcList[0].VpcId;
    const subnets = await aws(['ec2', 'describe-subnets', '--filters', `Name=vpc-id,Values=${vpcId}`]);
    assert.equal(subnets.code, 0, subnets.stderr);
    const subnetList = JSON.parse(subnets.stdout).Subnets as { SubnetId: string; VpcId: string; CidrBlock: string; AvailabilityZone: string; MapPublicIpOnLaunch: boolean }[];
    assert.equal(subnetList.length, 6);
    assert.ok(subnetList.every((s) => s.VpcId === vpcId));
    assert.deepEqual(subnetList.map((s) => s.CidrBlock).sort(), ['192.168.0.0/19', '192.168.128.0/19', '192.168.160.0/19', '192.168.32.0/19', '192.168.64.0/19', '192.168.96.0/19']);
    assert.equal(subnetList.filter((s) => s.MapPublicIpOnLaunch).length, 3);

    // A subnet added to the stored model is served by a new endpoint over the same state store.
    await endpoint.stop();
    const models = await VpcModels.open(state, [region]);
    const added = models.model(region).createSubnet({ vpcId, cidrBlock: '192.168.192.0/19', availabilityZone: 'us-east-1a' });
    await models.save(region);
    endpoint = await startAwsEndpoint({ host: '127.0.0.1', port: 0, state, region, enforceIam: false, clock: new RealClock() });
    const again = await ec2Call(endpoint.url, { accessKeyId: 'test', secretAccessKey: 'test' }, { Action: 'DescribeSubnets', 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': vpcId });
    assert.equal(again.status, 200, again.body);
    assert.deepEqual(subnetIdsIn(again.body), [...subnetList.map((s) => s.SubnetId), added.subnetId].sort());
  });
});

describe('EC2 errors on the endpoint', () => {
  let endpoint: AwsEndpoint;
  before(async () => {
    endpoint = await startAwsEndpoint({ host: '127.0.0.1', port: 0, state: new MemoryAwsStateStore(), region, enforceIam: true, clock: new RealClock() });
  });
  after(() => endpoint.stop());

  test('unknown actions, unknown filters, unknown keys and callers without an ec2 policy get EC2 error documents', async () => {
    const root = { accessKeyId: 'test', secretAccessKey: 'test' };
    const errorOf = (body: string) => /<Response><Errors><Error><Code>([^<]+)<\/Code><Message>[^<]*<\/Message><\/Error><\/Errors><RequestID>[^<]+<\/RequestID><\/Response>$/.exec(body)?.[1];

    const unknown = await ec2Call(endpoint.url, root, { Action: 'RunInstances' });
    assert.equal(unknown.status, 400);
    assert.equal(errorOf(unknown.body), 'InvalidAction');
    const badFilter = await ec2Call(endpoint.url, root, { Action: 'DescribeVpcs', 'Filter.1.Name': 'colour', 'Filter.1.Value.1': 'x' });
    assert.equal(badFilter.status, 400);
    assert.equal(errorOf(badFilter.body), 'InvalidParameterValue');

    const iam = new IAMClient({ endpoint: endpoint.url, region, credentials: root });
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey!;
    iam.destroy();
    const denied = await ec2Call(endpoint.url, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }, { Action: 'DescribeVpcs' });
    assert.equal(denied.status, 403);
    assert.equal(errorOf(denied.body), 'UnauthorizedOperation');
    assert.match(denied.body, /ec2:DescribeVpcs/);

    const unknownKey = await ec2Call(endpoint.url, { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' }, { Action: 'DescribeVpcs' });
    assert.equal(unknownKey.status, 401);
    assert.equal(errorOf(unknownKey.body), 'AuthFailure');
  });
});
