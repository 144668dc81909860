// `kumo get clusters|nodegroups|fargateprofiles`: eksctl's get commands, as a table (eksctl's
// columns) or `-o json|yaml` (eksctl prints JSON indented by four spaces).
import {
  DescribeClusterCommand, DescribeFargateProfileCommand, DescribeNodegroupCommand, ListClustersCommand, type Cluster, type FargateProfile, type Nodegroup,
} from '@aws-sdk/client-eks';
import { stringify } from 'yaml';
import { DEFAULT_REGION, awsClients, regionFromEnv, type AwsClients } from './aws.js';
import { EksctlError } from './config.js';
import { listFargateProfiles, listNodegroups } from './delete-cluster.js';
import { CLUSTER_NAME_TAG } from './iam.js';
import type { CommandIo } from './run.js';
import { formatTable } from './table.js';

export type OutputFormat = 'table' | 'json' | 'yaml';

export interface GetOptions {
  cluster?: string;
  name?: string;
  region?: string;
  endpointUrl?: string;
  profile?: string;
  output: OutputFormat;
}

/** Go's time.Format(time.RFC3339) of a UTC time. */
const rfc3339 = (d: Date | undefined) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');
const orDash = (v: string | undefined) => (v === undefined || v === '' ? '-' : v);

function print(io: CommandIo, format: OutputFormat, data: unknown, table: () => string): void {
  if (format === 'json') io.stdout(`${JSON.stringify(data, null, 4)}\n`);
  else if (format === 'yaml') io.stdout(stringify(data));
  else io.stdout(table());
}

async function withAws<T>(opts: GetOptions, io: CommandIo, fn: (aws: AwsClients) => Promise<T>): Promise<T> {
  const region = opts.region ?? regionFromEnv(io.env) ?? DEFAULT_REGION;
  const aws = awsClients({ endpointUrl: opts.endpointUrl, region, profile: opts.profile });
  try {
    return await fn(aws);
  } finally {
    aws.destroy();
  }
}

export function getClusters(opts: GetOptions, io: CommandIo): Promise<void> {
  return withAws(opts, io, async (aws) => {
    if (opts.name) {
      const c = (await aws.eks.send(new DescribeClusterCommand({ name: opts.name }))).cluster!;
      print(io, opts.output, [c], () => formatTable(
        ['NAME', 'VERSION', 'STATUS', 'CREATED', 'VPC', 'SUBNETS', 'SECURITYGROUPS', 'PROVIDER'],
        [[orDash(c.name), orDash(c.version), orDash(c.status), rfc3339(c.createdAt), orDash(c.resourcesVpcConfig?.vpcId),
          [...new Set(c.resourcesVpcConfig?.subnetIds ?? [])].sort().join(',') || '-', [...new Set(c.resourcesVpcConfig?.securityGroupIds ?? [])].sort().join(',') || '-', 'EKS']],
      ));
      return;
    }
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await aws.eks.send(new ListClustersCommand({ nextToken }));
      names.push(...(page.clusters ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const clusters: Cluster[] = [];
    for (const n of names) clusters.push((await aws.eks.send(new DescribeClusterCommand({ name: n }))).cluster!);
    const rows = clusters.map((c) => ({ Name: c.name!, Region: aws.region, Owned: c.tags?.[CLUSTER_NAME_TAG] === c.name ? 'True' : 'False' }));
    if (!rows.length && opts.output === 'table') {
      io.stderr(`No clusters found\n`);
      return;
    }
    print(io, opts.output, rows, () => formatTable(['NAME', 'REGION', 'EKSCTL CREATED'], rows.map((r) => [r.Name, r.Region, r.Owned])));
  });
}

function nodegroupSummary(ng: Nodegroup) {
  return {
    StackName: '',
    Cluster: ng.clusterName,
    Name: ng.nodegroupName,
    Status: ng.status,
    MaxSize: ng.scalingConfig?.maxSize ?? 0,
    MinSize: ng.scalingConfig?.minSize ?? 0,
    DesiredCapacity: ng.scalingConfig?.desiredSize ?? 0,
    InstanceType: (ng.instanceTypes ?? []).join(',') || '-',
    ImageID: ng.amiType ?? '-',
    CreationTime: rfc3339(ng.createdAt),
    NodeInstanceRoleARN: ng.nodeRole,
    AutoScalingGroupName: (ng.resources?.autoScalingGroups ?? []).map((a) => a.name).join(','),
    Version: ng.version,
    NodeGroupType: 'managed',
  };
}

export function getNodegroups(opts: GetOptions, io: CommandIo): Promise<void> {
  if (!opts.cluster) return Promise.reject(new EksctlError('--cluster must be set'));
  const cluster = opts.cluster;
  return withAws(opts, io, async (aws) => {
    const names = opts.name ? [opts.name] : await listNodegroups(aws.eks, cluster);
    const groups: Nodegroup[] = [];
    for (const n of names) groups.push((await aws.eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: n }))).nodegroup!);
    const summaries = groups.map(nodegroupSummary);
    if (!summaries.length && opts.output === 'table') {
      io.stderr(`No nodegroups found\n`);
      return;
    }
    print(io, opts.output, summaries, () => formatTable(
      ['CLUSTER', 'NODEGROUP', 'STATUS', 'CREATED', 'MIN SIZE', 'MAX SIZE', 'DESIRED CAPACITY', 'INSTANCE TYPE', 'IMAGE ID', 'ASG NAME', 'TYPE'],
      summaries.map((s) => [s.Cluster ?? '', s.Name ?? '', s.Status ?? '', s.CreationTime, String(s.MinSize), String(s.MaxSize), String(s.DesiredCapacity),
        s.InstanceType, s.ImageID, s.AutoScalingGroupName, s.NodeGroupType]),
    ));
  });
}

const mapString = (m: Record<string, string> | undefined) => {
  const entries = Object.entries(m ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
};

function profileSummary(p: FargateProfile) {
  const out: Record<string, unknown> = { name: p.fargateProfileName, podExecutionRoleARN: p.podExecutionRoleArn, selectors: p.selectors ?? [] };
  if (p.subnets?.length) out.subnets = p.subnets;
  if (p.tags && Object.keys(p.tags).length) out.tags = p.tags;
  out.status = p.status;
  return out;
}

export function getFargateProfiles(opts: GetOptions, io: CommandIo): Promise<void> {
  if (!opts.cluster) return Promise.reject(new EksctlError('--cluster must be set'));
  const cluster = opts.cluster;
  return withAws(opts, io, async (aws) => {
    const names = opts.name ? [opts.name] : await listFargateProfiles(aws.eks, cluster);
    const profiles: FargateProfile[] = [];
    for (const n of names) profiles.push((await aws.eks.send(new DescribeFargateProfileCommand({ clusterName: cluster, fargateProfileName: n }))).fargateProfile!);
    if (!profiles.length && opts.output === 'table') {
      io.stderr(`No Fargate profile found\n`);
      return;
    }
    // One row per selector, sorted by profile name then namespace (fargate.PrintProfiles).
    const rows = profiles.flatMap((p) => (p.selectors ?? []).map((s) => [
      p.fargateProfileName ?? '', s.namespace ?? '', mapString(s.labels), p.podExecutionRoleArn ?? '',
      p.subnets?.length ? p.subnets.join(',') : '<none>', mapString(p.tags), p.status ?? '',
    ])).sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
    print(io, opts.output, profiles.map(profileSummary), () => formatTable(
      ['NAME', 'SELECTOR_NAMESPACE', 'SELECTOR_LABELS', 'POD_EXECUTION_ROLE_ARN', 'SUBNETS', 'TAGS', 'STATUS'], rows,
    ));
  });
}
