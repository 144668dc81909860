// EC2's VPC write actions through the aws CLI: create/delete VPCs, subnets and security groups,
// tags on create and with create-tags/delete-tags, tag filters on describe-*, EC2's errors, and
// the changes kept in the state store across an endpoint restart.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ec2CliFixture } from './ec2-cli-fixture.js';

const region = 'us-east-1';

describe('aws ec2 VPC write commands', () => {
  const { aws, fails, restart } = ec2CliFixture('kumo-ec2-write-', region);

  test('create-vpc, create-subnet, create-security-group with tags; filters; dependencies; delete; survives a restart', async () => {
    const vpc = await aws('create-vpc', '--cidr-block', '10.0.0.0/16', '--tag-specifications', 'ResourceType=vpc,Tags=[{Key=Name,Value=eks-vpc},{Key=team,Value=platform}]');
    assert.equal(vpc.code, 0, vpc.stderr);
    const vpcId = vpc.json.Vpc.VpcId as string;
    assert.match(vpcId, /^vpc-[0-9a-f]{17}$/);
    assert.equal(vpc.json.Vpc.CidrBlock, '10.0.0.0/16');
    assert.equal(vpc.json.Vpc.State, 'pending');
    assert.equal(vpc.json.Vpc.IsDefault, false);
    assert.deepEqual(vpc.json.Vpc.Tags, [{ Key: 'Name', Value: 'eks-vpc' }, { Key: 'team', Value: 'platform' }]);

    const [a, b] = await Promise.all([
      aws('create-subnet', '--vpc-id', vpcId, '--cidr-block', '10.0.0.0/24', '--availability-zone', 'us-east-1a', '--tag-specifications', 'ResourceType=subnet,Tags=[{Key=kubernetes.io/role/elb,Value=1}]'),
      aws('create-subnet', '--vpc-id', vpcId, '--cidr-block', '10.0.1.0/24', '--availability-zone-id', 'use1-az2'),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(a.json.Subnet.AvailableIpAddressCount, 251);
    assert.equal(b.json.Subnet.AvailabilityZone, 'us-east-1b');
    const subnetA = a.json.Subnet.SubnetId as string;

    const sg = await aws('create-security-group', '--group-name', 'eks-nodes', '--description', 'EKS worker nodes', '--vpc-id', vpcId, '--tag-specifications', 'ResourceType=security-group,Tags=[{Key=Name,Value=nodes}]');
    assert.equal(sg.code, 0, sg.stderr);
    const groupId = sg.json.GroupId as string;
    assert.match(groupId, /^sg-[0-9a-f]{17}$/);
    assert.deepEqual(sg.json.Tags, [{ Key: 'Name', Value: 'nodes' }]);

    // Errors as EC2 words them; nothing changes.
    const defaultGroup = (await aws('describe-security-groups', '--filters', `Name=vpc-id,Values=${vpcId}`, 'Name=group-name,Values=default')).json.SecurityGroups[0].GroupId;
    await Promise.all([
      fails('InvalidVpc.Range', 'create-vpc', '--cidr-block', '10.0.0.0/8'),
      fails('InvalidParameterValue', 'create-vpc', '--cidr-block', '10.0.0.1/16'),
      fails('InvalidSubnet.Conflict', 'create-subnet', '--vpc-id', vpcId, '--cidr-block', '10.0.0.128/25'),
      fails('InvalidSubnet.Range', 'create-subnet', '--vpc-id', vpcId, '--cidr-block', '10.1.0.0/24'),
      fails('InvalidVpcID.NotFound', 'create-subnet', '--vpc-id', 'vpc-0123456789abcdef0', '--cidr-block', '10.0.9.0/24'),
      fails('InvalidVpcID.Malformed', 'create-subnet', '--vpc-id', 'my-vpc', '--cidr-block', '10.0.9.0/24'),
      fails('InvalidGroup.Duplicate', 'create-security-group', '--group-name', 'eks-nodes', '--description', 'again', '--vpc-id', vpcId),
      fails('InvalidParameterValue', 'create-vpc', '--cidr-block', '10.2.0.0/16', '--tag-specifications', 'ResourceType=subnet,Tags=[{Key=a,Value=b}]'),
      fails('InvalidParameterValue', 'create-tags', '--resources', vpcId, '--tags', 'Key=aws:owner,Value=x'),
      fails('DependencyViolation', 'delete-vpc', '--vpc-id', vpcId),
      fails('CannotDelete', 'delete-security-group', '--group-id', defaultGroup),
    ]);
    assert.equal((await aws('describe-vpcs')).json.Vpcs.length, 2);

    // Tags by create-tags / delete-tags, and tag filters.
    const tagged = await aws('create-tags', '--resources', vpcId, subnetA, groupId, '--tags', 'Key=env,Value=test', 'Key=cost,Value=1');
    assert.equal(tagged.code, 0, tagged.stderr);
    await fails('InvalidSubnetID.NotFound', 'create-tags', '--resources', vpcId, 'subnet-0123456789abcdef0', '--tags', 'Key=x,Value=y');
    const [withX, untag] = await Promise.all([
      aws('describe-vpcs', '--filters', 'Name=tag-key,Values=x'),
      aws('delete-tags', '--resources', vpcId, '--tags', 'Key=cost,Value=2', 'Key=team'),
    ]);
    assert.deepEqual(withX.json.Vpcs, [], 'a failed create-tags changes nothing');
    assert.equal(untag.code, 0, untag.stderr);
    const [byTag, subnetsByTag, groupsByTag] = await Promise.all([
      aws('describe-vpcs', '--filters', 'Name=tag:env,Values=te*'),
      aws('describe-subnets', '--filters', 'Name=tag:env,Values=test', 'Name=tag-key,Values=kubernetes.io/role/elb'),
      aws('describe-security-groups', '--filters', 'Name=tag-value,Values=nodes'),
    ]);
    assert.deepEqual(byTag.json.Vpcs.map((v: { VpcId: string }) => v.VpcId), [vpcId]);
    assert.deepEqual(byTag.json.Vpcs[0].Tags.map((t: { Key: string }) => t.Key).sort(), ['Name', 'cost', 'env']);
    assert.deepEqual(subnetsByTag.json.Subnets.map((s: { SubnetId: string }) => s.SubnetId), [subnetA]);
    assert.deepEqual(groupsByTag.json.SecurityGroups.map((g: { GroupId: string }) => g.GroupId), [groupId]);

    // A restarted endpoint over the same state serves the same objects.
    await restart();
    const [again, vpcAgain] = await Promise.all([aws('describe-subnets', '--filters', `Name=vpc-id,Values=${vpcId}`), aws('describe-vpcs', '--vpc-ids', vpcId)]);
    assert.deepEqual(again.json.Subnets.map((s: { CidrBlock: string }) => s.CidrBlock).sort(), ['10.0.0.0/24', '10.0.1.0/24']);
    assert.deepEqual(vpcAgain.json.Vpcs[0].Tags.map((t: { Key: string }) => t.Key).sort(), ['Name', 'cost', 'env']);

    // Delete in dependency order.
    const deletes = await Promise.all([aws('delete-security-group', '--group-id', groupId), aws('delete-subnet', '--subnet-id', subnetA), aws('delete-subnet', '--subnet-id', b.json.Subnet.SubnetId)]);
    for (const r of deletes) assert.equal(r.code, 0, r.stderr);
    const gone = await aws('delete-vpc', '--vpc-id', vpcId);
    assert.equal(gone.code, 0, gone.stderr);
    const [groups] = await Promise.all([
      aws('describe-security-groups', '--filters', `Name=vpc-id,Values=${vpcId}`),
      fails('InvalidVpcID.NotFound', 'describe-vpcs', '--vpc-ids', vpcId),
      fails('InvalidGroup.NotFound', 'delete-security-group', '--group-id', groupId),
    ]);
    assert.deepEqual(groups.json.SecurityGroups, [], 'the default group goes with its VPC');
  });
});
