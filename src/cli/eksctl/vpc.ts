// The cluster's network: its VPC, the public and private subnet of each availability zone, and the
// security group the control plane gets. Subnets are told apart as eksctl tags them
// (kubernetes.io/role/elb for public, kubernetes.io/role/internal-elb for private), else by
// whether they map public IPs on launch.
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, type EC2Client, type Subnet } from '@aws-sdk/client-ec2';
import { EksctlError } from './config.js';

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

function isPublic(s: Subnet): boolean {
  const tags = Object.fromEntries((s.Tags ?? []).map((t) => [t.Key, t.Value]));
  if (tags['kubernetes.io/role/elb'] !== undefined) return true;
  if (tags['kubernetes.io/role/internal-elb'] !== undefined) return false;
  return s.MapPublicIpOnLaunch === true;
}

/** Reads a VPC's subnets and default security group into a ClusterNetwork. */
export async function describeNetwork(ec2: EC2Client, vpcId: string, created: boolean, zonesWanted?: string[]): Promise<ClusterNetwork> {
  const vpc = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs?.[0];
  if (!vpc) throw new EksctlError(`VPC ${vpcId} not found`);
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets ?? [];
  let zones = [...new Set(subnets.map((s) => s.AvailabilityZone!))].sort();
  if (zonesWanted?.length) {
    const missing = zonesWanted.filter((z) => !zones.includes(z));
    if (missing.length) throw new EksctlError(`availability zones ${JSON.stringify(missing)} have no subnets in VPC ${vpcId}`);
    zones = zonesWanted;
  }
  const pick = (pub: boolean) => zones.flatMap((zone) => {
    const s = subnets.find((x) => x.AvailabilityZone === zone && isPublic(x) === pub);
    return s ? [{ id: s.SubnetId!, zone, cidr: s.CidrBlock! }] : [];
  });
  const groups = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }))).SecurityGroups ?? [];
  return { vpcId, cidr: vpc.CidrBlock!, zones, publicSubnets: pick(true), privateSubnets: pick(false), securityGroupId: groups[0]?.GroupId, created };
}

/** The region's default VPC (Kumo's has a public and a private subnet in each of three zones). */
export async function defaultNetwork(ec2: EC2Client, zonesWanted?: string[]): Promise<ClusterNetwork> {
  const vpcs = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs ?? [];
  if (!vpcs[0]?.VpcId) throw new EksctlError('the region has no default VPC');
  return describeNetwork(ec2, vpcs[0].VpcId, false, zonesWanted);
}
