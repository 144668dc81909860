// The EC2 subset through the aws CLI (v1, botocore's ec2 protocol parser). The shared AWS endpoint
// (src/aws/server) renders query answers in IAM/STS form only, so until it can route the "ec2"
// signing name to this service, the test serves the service from a bare HTTP listener: it checks
// the wire format real clients parse, not SigV4 (the endpoint's job).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { VpcModel } from '../../src/cloud/index.js';
import { awsCli, type AwsCli, type CliResult } from '../helpers/aws-cli.js';
import { createEc2Service } from '../../src/aws/ec2/index.js';
import { parseForm } from '../../src/aws/server/query.js';

const models = new Map<string, VpcModel>();
const service = createEc2Service({
  accountId: '000000000000',
  model: (region) => {
    let m = models.get(region);
    if (!m) models.set(region, (m = VpcModel.create(region)));
    return m;
  },
});

let server: Server;
let url: string;
let cli: AwsCli;

before(async () => {
  cli = awsCli('kumo-ec2-');
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = parseForm(Buffer.concat(chunks).toString('utf8'));
      void service.handle(params.Action ?? '', params, { requestId: randomUUID(), region: 'us-east-1' }).then((a) => {
        res.writeHead(a.status, { 'content-type': 'text/xml' });
        res.end(a.body);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  cli.cleanup();
});

function aws(...args: string[]): Promise<CliResult> {
  return cli.run(url, ['ec2', ...args, '--output', 'json']);
}

describe('EC2 API through the aws CLI', () => {
  test('describe-vpcs, describe-subnets with filters, describe-availability-zones', async () => {
    const [vpcs, subnets, zones] = await Promise.all([
      aws('describe-vpcs'),
      aws('describe-subnets', '--filters', 'Name=tag:kubernetes.io/role/internal-elb,Values=1', 'Name=availability-zone,Values=us-east-1a,us-east-1b'),
      aws('describe-availability-zones'),
    ]);
    assert.equal(vpcs.code, 0, vpcs.stderr);
    const vpc = JSON.parse(vpcs.stdout).Vpcs;
    assert.equal(vpc.length, 1);
    assert.equal(vpc[0].CidrBlock, '192.168.0.0/16');
    assert.equal(vpc[0].IsDefault, true);
    assert.equal(subnets.code, 0, subnets.stderr);
    const s = JSON.parse(subnets.stdout).Subnets;
    assert.deepEqual(s.map((x: any) => x.CidrBlock), ['192.168.96.0/19', '192.168.128.0/19']);
    assert.equal(s[0].AvailableIpAddressCount, 8187);
    assert.equal(s[0].MapPublicIpOnLaunch, false);
    assert.equal(s[0].VpcId, vpc[0].VpcId);
    assert.ok(s[0].Tags.some((t: any) => t.Key === 'kubernetes.io/role/internal-elb' && t.Value === '1'));
    assert.equal(zones.code, 0, zones.stderr);
    assert.deepEqual(JSON.parse(zones.stdout).AvailabilityZones.map((z: any) => [z.ZoneName, z.ZoneId, z.State]), [
      ['us-east-1a', 'use1-az1', 'available'], ['us-east-1b', 'use1-az2', 'available'], ['us-east-1c', 'use1-az3', 'available'],
    ]);
  });

  test('describe-security-groups and describe-instance-types', async () => {
    const [sgs, types] = await Promise.all([
      aws('describe-security-groups', '--group-names', 'default'),
      aws('describe-instance-types', '--instance-types', 'm5.large', 'g5.xlarge'),
    ]);
    assert.equal(sgs.code, 0, sgs.stderr);
    const [sg] = JSON.parse(sgs.stdout).SecurityGroups;
    assert.equal(sg.GroupName, 'default');
    assert.equal(sg.IpPermissions[0].IpProtocol, '-1');
    assert.equal(sg.IpPermissions[0].UserIdGroupPairs[0].GroupId, sg.GroupId);
    assert.equal(sg.IpPermissionsEgress[0].IpRanges[0].CidrIp, '0.0.0.0/0');
    assert.equal(types.code, 0, types.stderr);
    const t = JSON.parse(types.stdout).InstanceTypes;
    const m5 = t.find((x: any) => x.InstanceType === 'm5.large');
    assert.equal(m5.VCpuInfo.DefaultVCpus, 2);
    assert.equal(m5.MemoryInfo.SizeInMiB, 8192);
    assert.deepEqual(m5.ProcessorInfo.SupportedArchitectures, ['x86_64']);
    assert.equal(m5.NetworkInfo.MaximumNetworkInterfaces, 3);
    assert.equal(m5.NetworkInfo.Ipv4AddressesPerInterface, 10);
    const g5 = t.find((x: any) => x.InstanceType === 'g5.xlarge');
    assert.equal(g5.GpuInfo.Gpus[0].Count, 1);
  });

  test('errors arrive as EC2 error codes', async () => {
    const [vpc, filter] = await Promise.all([
      aws('describe-vpcs', '--vpc-ids', 'vpc-0123456789abcdef0'),
      aws('describe-subnets', '--filters', 'Name=bogus,Values=1'),
    ]);
    assert.notEqual(vpc.code, 0);
    assert.match(vpc.stderr, /InvalidVpcID\.NotFound.*The vpc ID 'vpc-0123456789abcdef0' does not exist/);
    assert.match(filter.stderr, /InvalidParameterValue.*The filter 'bogus' is invalid/);
  });
});
