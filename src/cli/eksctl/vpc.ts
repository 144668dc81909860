// The cluster's network, as eksctl builds it: a VPC of its own (vpc.cidr, 192.168.0.0/16 by
// default) split into eight equal blocks, the first three public and the next three private, one of
// each per availability zone, tagged as eksctl tags them (kubernetes.io/role/elb for public,
// kubernetes.io/role/internal-elb for private); the control plane gets the VPC's default security
// group.
import {
  CreateSubnetCommand, CreateVpcCommand, DeleteSubnetCommand, DeleteVpcCommand, DescribeAvailabilityZonesCommand, DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand, DescribeVpcsCommand, type EC2Client, type Tag,
} from '@aws-sdk/client-ec2';
import { EksctlError } from './config.js';
import { CLUSTER_NAME_TAG } from './iam.js';

export interface ClusterNetwork {
  vpcId: string;
  cidr: string;
  zones: string[];
  /** Per zone, in zone order. */
  publicSubnets: { id: string; zone: string; cidr: string }[];
  privateSubnets: { id: string; zone: string; cidr: string }[];
  securityGroupId?: string;
  /** Whether this run created the VPC (and `delete cluster` should remove it). */
  created: boolean;
}

/** eksctl's SplitInto8: the VPC CIDR cut into eight blocks three bits longer. */
export function splitInto8(cidr: string): string[] {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) throw new EksctlError(`invalid CIDR address: ${cidr}`);
  const bits = Number(m[5]) + 3;
  if (bits > 28) throw new EksctlError(`VPC CIDR ${cidr} is too small to split into 8 subnets`);
  const base = m.slice(1, 5).reduce((a, o) => a * 256 + Number(o), 0);
  const size = 2 ** (32 - bits);
  return Array.from({ length: 8 }, (_, i) => {
    const n = base - (base % (size * 8)) + i * size;
    return `${[24, 16, 8, 0].map((sh) => Math.floor(n / 2 ** sh) % 256).join('.')}/${bits}`;
  });
}

const tagList = (tags: Record<string, string>): Tag[] => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** Creates the cluster's VPC and its public and private subnets in (up to) three zones. */
export async function createNetwork(ec2: EC2Client, cluster: string, cidr: string, tags: Record<string, string>, zonesWanted?: string[]): Promise<ClusterNetwork> {
  const available = ((await ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones ?? [])
    .filter((z) => z.State === 'available').map((z) => z.ZoneName!).sort();
  const zones = zonesWanted?.length ? zonesWanted : available.slice(0, 3);
  const unknown = zones.filter((z) => !available.includes(z));
  if (unknown.length) throw new EksctlError(`only ${available.join(', ')} are available in this region, not ${unknown.join(', ')}`);
  if (zones.length < 2) throw new EksctlError('at least 2 availability zones are required');
  const blocks = splitInto8(cidr);
  if (zones.length * 2 > blocks.length) throw new EksctlError(`${zones.length} availability zones need more subnets than ${cidr} splits into`);
  const stack = `eksctl-${cluster}-cluster`;
  const owned = { ...tags, [CLUSTER_NAME_TAG]: cluster };
  const vpc = (await ec2.send(new CreateVpcCommand({
    CidrBlock: cidr, TagSpecifications: [{ ResourceType: 'vpc', Tags: tagList({ ...owned, Name: `${stack}/VPC` }) }],
  }))).Vpc!;
  const zoneKey = (z: string) => z.toUpperCase().replace(/-/g, '');
  const make = async (zone: string, block: string, pub: boolean) => {
    const role: Record<string, string> = pub ? { 'kubernetes.io/role/elb': '1' } : { 'kubernetes.io/role/internal-elb': '1' };
    const name = `${stack}/Subnet${pub ? 'Public' : 'Private'}${zoneKey(zone)}`;
    const s = (await ec2.send(new CreateSubnetCommand({
      VpcId: vpc.VpcId, CidrBlock: block, AvailabilityZone: zone,
      TagSpecifications: [{ ResourceType: 'subnet', Tags: tagList({ ...owned, ...role, Name: name }) }],
    }))).Subnet!;
    return { id: s.SubnetId!, zone, cidr: block };
  };
  const publicSubnets = [];
  const privateSubnets = [];
  for (const [i, zone] of zones.entries()) publicSubnets.push(await make(zone, blocks[i], true));
  for (const [i, zone] of zones.entries()) privateSubnets.push(await make(zone, blocks[zones.length + i], false));
  const groups = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }, { Name: 'group-name', Values: ['default'] }] }))).SecurityGroups ?? [];
  return { vpcId: vpc.VpcId!, cidr, zones, publicSubnets, privateSubnets, securityGroupId: groups[0]?.GroupId, created: true };
}

/** Deletes the VPCs made for this cluster (tagged with its name) and their subnets; how many. */
export async function deleteNetwork(ec2: EC2Client, cluster: string): Promise<number> {
  const vpcs = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: `tag:${CLUSTER_NAME_TAG}`, Values: [cluster] }] }))).Vpcs ?? [];
  for (const v of vpcs) {
    const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [v.VpcId!] }] }))).Subnets ?? [];
    for (const s of subnets) await ec2.send(new DeleteSubnetCommand({ SubnetId: s.SubnetId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: v.VpcId }));
  }
  return vpcs.length;
}
