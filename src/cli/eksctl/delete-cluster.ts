// `kumo delete cluster (-f FILE | --name N)`: eksctl's delete cluster. Fargate profiles first (EKS
// deletes one at a time), then every managed node group (waited for until gone), the IAM OIDC
// provider, the control plane (waited for until gone), the IAM roles eksctl made for the cluster,
// its VPC and subnets, and the cluster's kubeconfig entries.
import {
  DeleteClusterCommand, DeleteFargateProfileCommand, DeleteNodegroupCommand, DescribeClusterCommand, DescribeFargateProfileCommand,
  DescribeNodegroupCommand, ListFargateProfilesCommand, ListNodegroupsCommand, type EKSClient,
} from '@aws-sdk/client-eks';
import { DEFAULT_REGION, awsClients, regionFromEnv, type AwsClients } from './aws.js';
import { EksctlError, loadClusterConfig } from './config.js';
import { clusterRoles, deleteOidcProvider, deleteRoles } from './iam.js';
import { kubeconfigPath, removeFromKubeconfig } from './kubeconfig.js';
import { deleteNetwork } from './vpc.js';
import { isAwsError, waitFor, withLog, type CommandIo, type Ctx } from './run.js';

export interface DeleteClusterOptions {
  configFile?: string;
  name?: string;
  region?: string;
  endpointUrl?: string;
  profile?: string;
  kubeconfig?: string;
  timeoutMs: number;
}

async function allPages<T>(fetch: (token?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...page.items);
    token = page.next;
  } while (token);
  return out;
}

export const listNodegroups = (eks: EKSClient, clusterName: string) =>
  allPages(async (nextToken) => {
    const r = await eks.send(new ListNodegroupsCommand({ clusterName, nextToken }));
    return { items: r.nodegroups ?? [], next: r.nextToken };
  });

export const listFargateProfiles = (eks: EKSClient, clusterName: string) =>
  allPages(async (nextToken) => {
    const r = await eks.send(new ListFargateProfilesCommand({ clusterName, nextToken }));
    return { items: r.fargateProfileNames ?? [], next: r.nextToken };
  });

/** Resolves once `describe` answers ResourceNotFoundException. */
function waitGone(ctx: Ctx, what: string, timeoutMs: number, describe: () => Promise<unknown>): Promise<true> {
  return waitFor(ctx, what, timeoutMs, async () => {
    try {
      await describe();
      return undefined;
    } catch (err) {
      if (isAwsError(err, 'ResourceNotFoundException')) return true;
      throw err;
    }
  });
}

export async function deleteCluster(opts: DeleteClusterOptions, io: CommandIo): Promise<void> {
  const ctx = withLog(io);
  let name = opts.name;
  let region = opts.region;
  if (opts.configFile) {
    if (opts.name) throw new EksctlError('cannot use --name when --config-file/-f flag is used');
    const cfg = loadClusterConfig(opts.configFile);
    name = cfg.metadata?.name;
    if (!name) throw new EksctlError('metadata.name must be set');
    if (opts.region && cfg.metadata?.region && opts.region !== cfg.metadata.region) {
      throw new EksctlError(`--region=${opts.region} and metadata.region=${cfg.metadata.region} are conflicting`);
    }
    region = cfg.metadata?.region ?? opts.region;
  }
  if (!name) throw new EksctlError('--name must be set');
  region ??= regionFromEnv(io.env) ?? DEFAULT_REGION;
  const aws = awsClients({ endpointUrl: opts.endpointUrl, region, profile: opts.profile });
  try {
    await runDelete(ctx, aws, name, opts);
  } finally {
    aws.destroy();
  }
}

async function runDelete(ctx: Ctx, aws: AwsClients, name: string, opts: DeleteClusterOptions): Promise<void> {
  ctx.log.info(`deleting EKS cluster "${name}"`);
  let cluster;
  try {
    cluster = (await aws.eks.send(new DescribeClusterCommand({ name }))).cluster!;
  } catch (err) {
    if (!isAwsError(err, 'ResourceNotFoundException')) throw err;
    // A create that failed before its control plane existed leaves roles and a VPC behind: those go.
    const roles = await clusterRoles(aws.iam, name);
    const vpcs = await deleteNetwork(aws.ec2, name);
    if (!roles.length && !vpcs) throw err;
    await deleteRoles(aws.iam, roles);
    ctx.log.success('all cluster resources were deleted');
    return;
  }

  const profiles = await listFargateProfiles(aws.eks, name);
  for (const fp of profiles) {
    ctx.log.info(`deleting Fargate profile "${fp}"`);
    await aws.eks.send(new DeleteFargateProfileCommand({ clusterName: name, fargateProfileName: fp }));
    await waitGone(ctx, `Fargate profile "${fp}" to get deleted`, opts.timeoutMs, () =>
      aws.eks.send(new DescribeFargateProfileCommand({ clusterName: name, fargateProfileName: fp })));
    ctx.log.info(`deleted Fargate profile "${fp}"`);
  }
  ctx.log.info(`deleted ${profiles.length} Fargate profile(s)`);

  const path = kubeconfigPath(opts.kubeconfig, ctx.env);
  if (cluster.arn && removeFromKubeconfig(path, cluster.arn)) ctx.log.success('kubeconfig has been updated');

  const nodegroups = await listNodegroups(aws.eks, name);
  const tasks = [...nodegroups.map((n) => `delete nodegroup "${n}"`)];
  if (cluster.identity?.oidc?.issuer) tasks.push('delete IAM OIDC provider');
  tasks.push(`delete cluster control plane "${name}"`);
  ctx.log.info(`\n${tasks.length} sequential tasks: { ${tasks.join(', ')} \n}`);
  for (const ng of nodegroups) {
    ctx.log.info(`will delete stack "eksctl-${name}-nodegroup-${ng}"`);
    await aws.eks.send(new DeleteNodegroupCommand({ clusterName: name, nodegroupName: ng }));
  }
  for (const ng of nodegroups) {
    ctx.log.info(`waiting for stack "eksctl-${name}-nodegroup-${ng}" to get deleted`);
    await waitGone(ctx, `nodegroup "${ng}" to get deleted`, opts.timeoutMs, () => aws.eks.send(new DescribeNodegroupCommand({ clusterName: name, nodegroupName: ng })));
  }
  if (cluster.identity?.oidc?.issuer) await deleteOidcProvider(aws.iam, cluster.identity.oidc.issuer);

  ctx.log.info(`will delete stack "eksctl-${name}-cluster"`);
  await aws.eks.send(new DeleteClusterCommand({ name }));
  await waitGone(ctx, `cluster "${name}" to get deleted`, opts.timeoutMs, () => aws.eks.send(new DescribeClusterCommand({ name })));
  // The roles go once nothing uses them: the cluster's, the node groups', Fargate's and IRSA's.
  await deleteRoles(aws.iam, await clusterRoles(aws.iam, name));
  await deleteNetwork(aws.ec2, name);
  ctx.log.success('all cluster resources were deleted');
}
