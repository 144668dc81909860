// `kumo create cluster -f FILE`: eksctl's create cluster against the AWS endpoint, in eksctl's
// order: the cluster's IAM role and network, the control plane (waited for until ACTIVE), the IAM
// OIDC provider and IRSA service accounts, the managed node groups in parallel, the kubeconfig,
// the node groups' nodes becoming Ready, the Fargate profiles one after another.
import {
  CreateClusterCommand, CreateFargateProfileCommand, CreateNodegroupCommand, DescribeClusterCommand, DescribeClusterVersionsCommand,
  DescribeFargateProfileCommand, DescribeNodegroupCommand, type Cluster,
} from '@aws-sdk/client-eks';
import { DEFAULT_REGION, awsClients, regionFromEnv, type AwsClients } from './aws.js';
import { EksctlError, loadClusterConfig } from './config.js';
import { CLUSTER_NAME_TAG, LEGACY_CLUSTER_NAME_TAG, createOidcProvider, createRole, issuerHostPath, roleName } from './iam.js';
import { clusterClient, ensureServiceAccount, nodeGroupNodes } from './kube.js';
import { kubeconfigPath, writeKubeconfig } from './kubeconfig.js';
import {
  CLUSTER_ROLE_POLICIES, FARGATE_ROLE_POLICIES, NODE_ROLE_POLICIES, addonPolicies, irsaTrust, serviceTrust, wellKnownPolicies,
} from './policies.js';
import { describeError, waitFor, withLog, type CommandIo, type Ctx } from './run.js';
import { LOG_TYPES, planCluster, type ClusterPlan, type NodeGroupPlan, type ServiceAccountPlan } from './validate.js';
import { createNetwork, type ClusterNetwork } from './vpc.js';

export const KUMO_VERSION = '0.1.0';

export interface CreateClusterOptions {
  configFile: string;
  region?: string;
  endpointUrl?: string;
  profile?: string;
  kubeconfig?: string;
  writeKubeconfig: boolean;
  timeoutMs: number;
}

const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

type Task = string | { parallel: boolean; tasks: Task[] };

/** eksctl's task tree as `tasks.Describe()` prints it: groups of sequential or parallel sub-tasks. */
function describeTask(t: Task, depth: number, top = false): string {
  if (typeof t === 'string') return t;
  if (t.tasks.length === 1) return `1 task: { ${describeTask(t.tasks[0], depth)} }`;
  const pad = '    '.repeat(depth + 1);
  const head = `${t.tasks.length} ${t.parallel ? 'parallel' : 'sequential'} ${top ? 'tasks' : 'sub-tasks'}: { `;
  if (top) return `${head}${describeTask(t.tasks[0], depth)}, \n${t.tasks.slice(1).map((c) => `${pad}${describeTask(c, depth + 1)} `).join(',\n')}\n${'    '.repeat(depth)}}`;
  return `${head}\n${t.tasks.map((c) => `${pad}${describeTask(c, depth + 1)},\n`).join('')}${'    '.repeat(depth)}}`;
}

function describeTasks(plan: ClusterPlan): string {
  const post: Task[] = ['wait for control plane to become ready'];
  if (plan.withOIDC) post.push('associate IAM OIDC provider');
  if (plan.serviceAccounts.length) {
    post.push({ parallel: true, tasks: plan.serviceAccounts.map((s) => `create IAM role for serviceaccount "${s.namespace}/${s.name}"`) });
  }
  const after: Task[] = [post.length === 1 ? post[0] : { parallel: false, tasks: post }];
  if (plan.nodeGroups.length) after.push({ parallel: true, tasks: plan.nodeGroups.map((n) => `create managed nodegroup "${n.name}"`) });
  const root: Task = { parallel: false, tasks: [`create cluster control plane "${plan.name}"`, after.length === 1 ? after[0] : { parallel: false, tasks: after }] };
  return `\n${describeTask(root, 0, true)}\n`;
}

function clusterTags(plan: ClusterPlan): Record<string, string> {
  return {
    ...plan.tags,
    [CLUSTER_NAME_TAG]: plan.name,
    [LEGACY_CLUSTER_NAME_TAG]: plan.name,
    'alpha.eksctl.io/cluster-oidc-enabled': String(plan.withOIDC),
    'alpha.eksctl.io/eksctl-version': `kumo-${KUMO_VERSION}`,
  };
}

/** The versions the endpoint offers (DescribeClusterVersions), and its default. */
async function clusterVersions(aws: AwsClients): Promise<{ all: string[]; default?: string }> {
  const all: string[] = [];
  let def: string | undefined;
  let nextToken: string | undefined;
  do {
    const out = await aws.eks.send(new DescribeClusterVersionsCommand({ nextToken }));
    for (const v of out.clusterVersions ?? []) {
      if (v.clusterVersion) all.push(v.clusterVersion);
      if (v.defaultVersion) def = v.clusterVersion;
    }
    nextToken = out.nextToken;
  } while (nextToken);
  return { all: all.sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1])), default: def };
}

async function waitClusterActive(ctx: Ctx, aws: AwsClients, name: string, timeoutMs: number): Promise<Cluster> {
  return waitFor(ctx, `control plane "${name}"`, timeoutMs, async () => {
    const c = (await aws.eks.send(new DescribeClusterCommand({ name }))).cluster!;
    if (c.status === 'FAILED') throw new EksctlError(`cluster "${name}" failed to create: ${c.health?.issues?.map((i) => i.message).join('; ') || 'status FAILED'}`);
    return c.status === 'ACTIVE' ? c : undefined;
  });
}

async function createServiceAccount(ctx: Ctx, aws: AwsClients, plan: ClusterPlan, sa: ServiceAccountPlan, providerArn: string, issuer: string, tags: Record<string, string>): Promise<void> {
  const stack = `eksctl-${plan.name}-addon-iamserviceaccount-${sa.namespace}-${sa.name}`;
  let roleArn = sa.attachRoleARN;
  if (!roleArn) {
    ctx.log.info(`building iamserviceaccount stack "${stack}"`);
    ctx.log.info(`deploying stack "${stack}"`);
    const wk = wellKnownPolicies(sa.wellKnownPolicies);
    roleArn = await createRole(aws.iam, {
      name: sa.roleName ?? roleName(plan.name, `addon-iamserviceaccount-${sa.namespace}-${sa.name}-Role1`),
      trust: irsaTrust(providerArn, issuerHostPath(issuer), sa.namespace, sa.name),
      managed: [...wk.managed, ...sa.attachPolicyARNs],
      inline: wk.inline,
      inlineDocuments: sa.attachPolicy ? [{ name: 'Policy1', document: JSON.stringify(sa.attachPolicy) }] : [],
      tags: { ...tags, ...sa.tags, 'alpha.eksctl.io/iamserviceaccount-name': `${sa.namespace}/${sa.name}` },
      permissionsBoundary: sa.permissionsBoundary,
    });
  }
  if (sa.roleOnly) return;
  const client = await clusterClient(aws, plan.name, ctx.clock);
  try {
    const what = await ensureServiceAccount(client, {
      name: sa.name, namespace: sa.namespace, labels: { ...sa.labels, 'app.kubernetes.io/managed-by': 'eksctl' },
      annotations: { ...sa.annotations, 'eks.amazonaws.com/role-arn': roleArn },
    });
    ctx.log.info(`${what} serviceaccount "${sa.namespace}/${sa.name}"`);
  } finally {
    client.close();
  }
}

function nodeGroupSubnets(ng: NodeGroupPlan, net: ClusterNetwork): string[] {
  const pool = ng.privateNetworking ? net.privateSubnets : net.publicSubnets;
  const picked = ng.availabilityZones?.length ? pool.filter((s) => ng.availabilityZones!.includes(s.zone)) : pool;
  if (!picked.length) throw new EksctlError(`no ${ng.privateNetworking ? 'private' : 'public'} subnets for nodegroup "${ng.name}"`);
  return picked.map((s) => s.id);
}

async function createNodeGroup(ctx: Ctx, aws: AwsClients, plan: ClusterPlan, ng: NodeGroupPlan, net: ClusterNetwork, tags: Record<string, string>, timeoutMs: number): Promise<void> {
  const stack = `eksctl-${plan.name}-nodegroup-${ng.name}`;
  ctx.log.info(`building managed nodegroup stack "${stack}"`);
  let nodeRole = ng.instanceRoleARN;
  if (!nodeRole) {
    const extra = addonPolicies(ng.addonPolicies);
    // With attachPolicyARNs, eksctl attaches those instead of the default node policies.
    const managed = ng.attachPolicyARNs.length ? [...ng.attachPolicyARNs, ...extra.managed] : [...NODE_ROLE_POLICIES, ...extra.managed];
    nodeRole = await createRole(aws.iam, {
      name: ng.instanceRoleName ?? roleName(plan.name, `nodegroup-${ng.name}-NodeInstanceRole`),
      trust: serviceTrust('ec2.amazonaws.com'),
      managed: [...new Set(managed)],
      inline: extra.inline,
      inlineDocuments: ng.attachPolicy ? [{ name: 'Policy1', document: JSON.stringify(ng.attachPolicy) }] : [],
      tags: { ...tags, 'alpha.eksctl.io/nodegroup-name': ng.name },
      permissionsBoundary: ng.instanceRolePermissionsBoundary,
    });
  }
  ctx.log.info(`deploying stack "${stack}"`);
  const ngTags = { ...plan.tags, ...ng.tags, [CLUSTER_NAME_TAG]: plan.name, 'alpha.eksctl.io/nodegroup-name': ng.name, 'alpha.eksctl.io/nodegroup-type': 'managed' };
  await aws.eks.send(new CreateNodegroupCommand({
    clusterName: plan.name,
    nodegroupName: ng.name,
    scalingConfig: { minSize: ng.minSize, maxSize: ng.maxSize, desiredSize: ng.desiredCapacity },
    diskSize: ng.volumeSize,
    subnets: nodeGroupSubnets(ng, net),
    instanceTypes: ng.instanceTypes,
    amiType: ng.amiType as never,
    remoteAccess: ng.sshKeyName ? { ec2SshKey: ng.sshKeyName } : undefined,
    nodeRole,
    labels: Object.keys(ng.labels).length ? ng.labels : undefined,
    taints: ng.taints.length ? ng.taints : undefined,
    tags: ngTags,
    capacityType: ng.capacityType,
    releaseVersion: ng.releaseVersion,
    updateConfig: ng.maxUnavailable !== undefined || ng.maxUnavailablePercentage !== undefined
      ? { maxUnavailable: ng.maxUnavailable, maxUnavailablePercentage: ng.maxUnavailablePercentage } : undefined,
  }));
  ctx.log.info(`waiting for managed nodegroup "${ng.name}" to become ACTIVE`);
  await waitFor(ctx, `managed nodegroup "${ng.name}"`, timeoutMs, async () => {
    const n = (await aws.eks.send(new DescribeNodegroupCommand({ clusterName: plan.name, nodegroupName: ng.name }))).nodegroup!;
    if (n.status === 'CREATE_FAILED' || n.status === 'DEGRADED') {
      throw new EksctlError(`managed nodegroup "${ng.name}" is ${n.status}: ${n.health?.issues?.map((i) => `${i.code}: ${i.message}`).join('; ') || 'no health issues reported'}`);
    }
    return n.status === 'ACTIVE' ? true : undefined;
  });
}

async function waitForNodes(ctx: Ctx, aws: AwsClients, plan: ClusterPlan, ng: NodeGroupPlan, timeoutMs: number): Promise<void> {
  const client = await clusterClient(aws, plan.name, ctx.clock);
  try {
    if (ng.minSize > 0) ctx.log.info(`waiting for at least ${ng.minSize} node(s) to become ready in "${ng.name}"`);
    const nodes = await waitFor(ctx, `at least ${ng.minSize} nodes to join "${ng.name}"`, timeoutMs, async () => {
      const list = await nodeGroupNodes(client, ng.name);
      return list.filter((n) => n.ready).length >= ng.minSize ? list : undefined;
    });
    ctx.log.info(`nodegroup "${ng.name}" has ${nodes.length} node(s)`);
    for (const n of nodes.sort((a, b) => a.name.localeCompare(b.name))) ctx.log.info(`node "${n.name}" is ${n.ready ? 'ready' : 'not ready'}`);
  } finally {
    client.close();
  }
}

export async function createCluster(opts: CreateClusterOptions, io: CommandIo): Promise<void> {
  const ctx = withLog(io);
  const cfg = loadClusterConfig(opts.configFile);
  const plan = planCluster(cfg, { regionFlag: opts.region, region: regionFromEnv(io.env) ?? DEFAULT_REGION });
  ctx.log.info(`kumo version ${KUMO_VERSION} (eksctl-compatible create cluster)`);
  ctx.log.info(`using region ${plan.region}`);
  const aws = awsClients({ endpointUrl: opts.endpointUrl, region: plan.region, profile: opts.profile });
  try {
    await runCreate(ctx, aws, plan, opts);
  } finally {
    aws.destroy();
  }
}

async function runCreate(ctx: Ctx, aws: AwsClients, plan: ClusterPlan, opts: CreateClusterOptions): Promise<void> {
  const tags = clusterTags(plan);
  // eksctl refuses a version it does not support before creating anything.
  const versions = await clusterVersions(aws);
  if (plan.version && !versions.all.includes(plan.version)) throw new EksctlError(`invalid version, supported values: ${versions.all.join(', ')}`);
  const version = plan.version ?? versions.default ?? versions.all[versions.all.length - 1];
  const net = await createNetwork(aws.ec2, plan.name, plan.vpcCidr, plan.tags, plan.availabilityZones);
  ctx.log.info(`setting availability zones to [${net.zones.join(' ')}]`);
  for (const z of net.zones) {
    const pub = net.publicSubnets.find((s) => s.zone === z);
    const priv = net.privateSubnets.find((s) => s.zone === z);
    ctx.log.info(`subnets for ${z} - public:${pub?.cidr ?? '-'} private:${priv?.cidr ?? '-'}`);
  }
  for (const ng of plan.nodeGroups) ctx.log.info(`nodegroup "${ng.name}" will use "${ng.amiType}" [${ng.amiFamily}/${version ?? 'default'}]`);
  if (version) ctx.log.info(`using Kubernetes version ${version}`);
  const kinds = [plan.nodeGroups.length ? 'managed nodes' : '', plan.fargateProfiles.length ? 'Fargate profile' : ''].filter(Boolean);
  ctx.log.info(`creating EKS cluster "${plan.name}" in "${plan.region}" region${kinds.length ? ` with ${kinds.join(' and ')}` : ''}`);
  if (plan.nodeGroups.length) {
    const names = plan.nodeGroups.map((n) => n.name).join(', ');
    ctx.log.info(`${plan.nodeGroups.length} ${plural(plan.nodeGroups.length, 'nodegroup')} (${names}) ${plural(plan.nodeGroups.length, 'was', 'were')} included (based on the include/exclude rules)`);
  }
  ctx.log.info(`will create the cluster itself and ${plan.nodeGroups.length} managed nodegroup(s)`);
  const ep = plan.endpoints;
  ctx.log.info(`Kubernetes API endpoint access will use ${plan.defaultEndpoints ? 'default of' : 'provided values'} {publicAccess=${ep.publicAccess}, privateAccess=${ep.privateAccess}} for cluster "${plan.name}" in "${plan.region}"`);
  if (plan.logTypes.length) {
    ctx.log.info(`configuring CloudWatch logging for cluster "${plan.name}" in "${plan.region}" (enabled types: ${plan.logTypes.join(', ')} & ${plan.logTypes.length === LOG_TYPES.length ? 'no types disabled' : `disabled types: ${LOG_TYPES.filter((t) => !plan.logTypes.includes(t)).join(', ')}`})`);
  } else {
    ctx.log.info(`CloudWatch logging will not be enabled for cluster "${plan.name}" in "${plan.region}"`);
  }
  ctx.log.info(describeTasks(plan));

  try {
    const stack = `eksctl-${plan.name}-cluster`;
    ctx.log.info(`building cluster stack "${stack}"`);
    const serviceRole = plan.serviceRoleARN ?? await createRole(aws.iam, {
      name: roleName(plan.name, 'cluster-ServiceRole'), trust: serviceTrust('eks.amazonaws.com'), inline: [], tags,
      managed: CLUSTER_ROLE_POLICIES.filter((p) => plan.vpcResourceControllerPolicy || p !== 'AmazonEKSVPCResourceController'),
      permissionsBoundary: plan.serviceRolePermissionsBoundary,
    });
    ctx.log.info(`deploying stack "${stack}"`);
    await aws.eks.send(new CreateClusterCommand({
      name: plan.name,
      version,
      roleArn: serviceRole,
      resourcesVpcConfig: {
        subnetIds: [...net.publicSubnets, ...net.privateSubnets].map((s) => s.id),
        securityGroupIds: net.securityGroupId ? [net.securityGroupId] : undefined,
        endpointPublicAccess: ep.publicAccess,
        endpointPrivateAccess: ep.privateAccess,
        publicAccessCidrs: ep.publicAccessCIDRs.length ? ep.publicAccessCIDRs : undefined,
      },
      kubernetesNetworkConfig: plan.serviceIPv4CIDR ? { serviceIpv4Cidr: plan.serviceIPv4CIDR } : undefined,
      logging: plan.logTypes.length ? { clusterLogging: [{ types: plan.logTypes as never, enabled: true }] } : undefined,
      accessConfig: { authenticationMode: plan.authenticationMode as never, bootstrapClusterCreatorAdminPermissions: plan.bootstrapClusterCreatorAdminPermissions },
      tags,
    }));
    ctx.log.info('waiting for the control plane to become ready');
    const cluster = await waitClusterActive(ctx, aws, plan.name, opts.timeoutMs);

    if (plan.withOIDC) {
      const issuer = cluster.identity?.oidc?.issuer;
      if (!issuer) throw new EksctlError(`cluster "${plan.name}" has no OIDC issuer`);
      ctx.log.info(`will create IAM Open ID Connect provider for cluster "${plan.name}" in "${plan.region}"`);
      const providerArn = await createOidcProvider(aws.iam, issuer, plan.name, plan.tags);
      ctx.log.success(`created IAM Open ID Connect provider for cluster "${plan.name}" in "${plan.region}"`);
      for (const sa of plan.serviceAccounts) await createServiceAccount(ctx, aws, plan, sa, providerArn, issuer, tags);
    }

    const results = await Promise.allSettled(plan.nodeGroups.map((ng) => createNodeGroup(ctx, aws, plan, ng, net, tags, opts.timeoutMs)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length) throw Object.assign(new Error('nodegroups failed'), { errors: failed.map((f) => f.reason) });

    let kubeconfig: string | undefined;
    if (opts.writeKubeconfig) {
      kubeconfig = kubeconfigPath(opts.kubeconfig, ctx.env);
      writeKubeconfig(kubeconfig, { name: plan.name, arn: cluster.arn!, endpoint: cluster.endpoint!, caData: cluster.certificateAuthority!.data! }, opts.profile);
      ctx.log.success(`saved kubeconfig as ${JSON.stringify(kubeconfig)}`);
    }
    ctx.log.success(`all EKS cluster resources for "${plan.name}" have been created`);
    for (const ng of plan.nodeGroups) await waitForNodes(ctx, aws, plan, ng, opts.timeoutMs);

    if (plan.fargateProfiles.length) {
      const podRole = plan.fargatePodExecutionRoleARN ?? await createRole(aws.iam, {
        name: roleName(plan.name, 'cluster-FargatePodExecutionRole'), trust: serviceTrust('eks-fargate-pods.amazonaws.com'), managed: FARGATE_ROLE_POLICIES, inline: [], tags,
        permissionsBoundary: plan.fargatePodExecutionRolePermissionsBoundary,
      });
      // EKS creates one Fargate profile at a time in a cluster.
      for (const fp of plan.fargateProfiles) {
        ctx.log.info(`creating Fargate profile "${fp.name}" on EKS cluster "${plan.name}"`);
        await aws.eks.send(new CreateFargateProfileCommand({
          clusterName: plan.name,
          fargateProfileName: fp.name,
          podExecutionRoleArn: fp.podExecutionRoleARN ?? podRole,
          subnets: net.privateSubnets.map((s) => s.id),
          selectors: fp.selectors,
          tags: Object.keys(fp.tags).length ? fp.tags : undefined,
        }));
        await waitFor(ctx, `Fargate profile "${fp.name}"'s creation`, opts.timeoutMs, async () => {
          const p = (await aws.eks.send(new DescribeFargateProfileCommand({ clusterName: plan.name, fargateProfileName: fp.name }))).fargateProfile!;
          if (p.status === 'CREATE_FAILED') throw new EksctlError(`failed to create Fargate profile "${fp.name}"`);
          return p.status === 'ACTIVE' ? true : undefined;
        });
        ctx.log.info(`created Fargate profile "${fp.name}" on EKS cluster "${plan.name}"`);
      }
    }
    if (kubeconfig) ctx.log.info(`kubectl command should work with ${JSON.stringify(kubeconfig)}, try 'kubectl get nodes'`);
    ctx.log.success(`EKS cluster "${plan.name}" in "${plan.region}" region is ready`);
  } catch (err) {
    const errors = (err as { errors?: unknown[] }).errors ?? [err];
    ctx.log.warning(`${errors.length} error(s) occurred and cluster hasn't been created properly, you may wish to check the cluster with 'kumo get clusters --region=${plan.region}'`);
    ctx.log.info(`to cleanup resources, run 'kumo delete cluster --region=${plan.region} --name=${plan.name}'`);
    for (const e of errors) ctx.log.critical(describeError(e));
    throw new EksctlError(`failed to create cluster "${plan.name}"`);
  }
}

