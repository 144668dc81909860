// What eksctl checks and defaults locally before calling AWS (pkg/apis/eksctl.io/v1alpha5
// validation.go and defaults.go), with its messages, turning a ClusterConfig into the plan
// `create cluster` carries out.
import { instanceType } from '../../cloud/index.js';
import { labelValueErrors, qualifiedNameErrors } from '../../util/label-selector.js';
import { EksctlError, type AddonPolicies, type ClusterConfig, type ManagedNodeGroupConfig, type WellKnownPolicies } from './config.js';

export const DEFAULT_VPC_CIDR = '192.168.0.0/16';
export const DEFAULT_NODE_TYPE = 'm5.large';
export const DEFAULT_VOLUME_SIZE = 80;
export const DEFAULT_NODE_COUNT = 2;
/** eksctl's default AMI family for new node groups. */
export const DEFAULT_AMI_FAMILY = 'AmazonLinux2023';
export const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

export interface EksTaint {
  key: string;
  value?: string;
  effect: 'NO_SCHEDULE' | 'NO_EXECUTE' | 'PREFER_NO_SCHEDULE';
}

export interface NodeGroupPlan {
  name: string;
  amiFamily: string;
  amiType: string;
  instanceTypes: string[];
  capacityType: 'ON_DEMAND' | 'SPOT';
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  volumeSize: number;
  labels: Record<string, string>;
  taints: EksTaint[];
  tags: Record<string, string>;
  privateNetworking: boolean;
  availabilityZones?: string[];
  sshKeyName?: string;
  instanceRoleARN?: string;
  instanceRoleName?: string;
  instanceRolePermissionsBoundary?: string;
  attachPolicyARNs: string[];
  attachPolicy?: Record<string, unknown>;
  addonPolicies: AddonPolicies;
  releaseVersion?: string;
  maxUnavailable?: number;
  maxUnavailablePercentage?: number;
}

export interface FargatePlan {
  name: string;
  podExecutionRoleARN?: string;
  selectors: { namespace: string; labels?: Record<string, string> }[];
  tags: Record<string, string>;
}

export interface ServiceAccountPlan {
  name: string;
  namespace: string;
  wellKnownPolicies: WellKnownPolicies;
  attachPolicyARNs: string[];
  attachPolicy?: Record<string, unknown>;
  attachRoleARN?: string;
  permissionsBoundary?: string;
  roleName?: string;
  roleOnly: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  tags: Record<string, string>;
}

export interface ClusterPlan {
  name: string;
  region: string;
  version?: string;
  tags: Record<string, string>;
  vpcCidr: string;
  natGateway: string;
  endpoints: { publicAccess: boolean; privateAccess: boolean; publicAccessCIDRs: string[] };
  /** Whether clusterEndpoints were left to their defaults. */
  defaultEndpoints: boolean;
  logTypes: string[];
  logRetentionInDays?: number;
  withOIDC: boolean;
  authenticationMode: string;
  bootstrapClusterCreatorAdminPermissions: boolean;
  serviceRoleARN?: string;
  serviceRolePermissionsBoundary?: string;
  fargatePodExecutionRoleARN?: string;
  fargatePodExecutionRolePermissionsBoundary?: string;
  /** eksctl attaches AmazonEKSVPCResourceController to the cluster role unless this is false. */
  vpcResourceControllerPolicy: boolean;
  availabilityZones?: string[];
  serviceIPv4CIDR?: string;
  nodeGroups: NodeGroupPlan[];
  fargateProfiles: FargatePlan[];
  serviceAccounts: ServiceAccountPlan[];
}

const fail = (msg: string): never => {
  throw new EksctlError(msg);
};

/** eksctl's cluster and node group names (cmdutils.IsValidNameArg). */
const NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;

export function checkName(name: string): void {
  if (!NAME.test(name)) fail(`validation for ${JSON.stringify(name)} failed, name must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
}

function parseCidr(cidr: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) return undefined;
  // net.ParseCIDR then IPNet.String(): the network address, host bits cleared.
  const bits = Number(m[5]);
  const ip = m.slice(1, 5).reduce((a, o) => a * 256 + Number(o), 0);
  const net = bits === 0 ? 0 : Math.floor(ip / 2 ** (32 - bits)) * 2 ** (32 - bits);
  return `${[24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256).join('.')}/${bits}`;
}

const TAINT_EFFECTS: Record<string, EksTaint['effect']> = {
  NoSchedule: 'NO_SCHEDULE',
  PreferNoSchedule: 'PREFER_NO_SCHEDULE',
  NoExecute: 'NO_EXECUTE',
};

/** eksctl's taints.Validate, then the EKS API's spelling of the effect. */
function taintOf(t: { key?: string; value?: string; effect?: string }): EksTaint {
  const key = t.key ?? '';
  if (key === '') fail('taint key must be non-empty');
  const keyErrs = qualifiedNameErrors(key);
  if (keyErrs.length) fail(`invalid taint key: ${key}, ${keyErrs.join('; ')}`);
  if (t.value) {
    const valErrs = labelValueErrors(t.value);
    if (valErrs.length) fail(`invalid taint value: ${t.value}, ${valErrs.join('; ')}`);
  }
  const effect = TAINT_EFFECTS[t.effect ?? ''];
  if (!effect) fail(`invalid taint effect: ${t.effect ?? ''}, unsupported taint effect`);
  return { key, value: t.value || undefined, effect };
}

/** validateNodeGroupLabels: qualified keys, valid values, no unknown kubernetes.io labels. */
function checkLabels(labels: Record<string, string>): void {
  const unknownKube: string[] = [];
  for (const [label, value] of Object.entries(labels)) {
    const parts = label.split('/');
    if (parts.length > 2) fail(`node label key ${JSON.stringify(label)} is of invalid format, can only use one '/' separator`);
    const errs = qualifiedNameErrors(label);
    if (errs.length) fail(`label ${JSON.stringify(label)} is invalid - [${errs.join(' ')}]`);
    const vErrs = labelValueErrors(value);
    if (vErrs.length) fail(`label ${JSON.stringify(label)} has invalid value ${JSON.stringify(value)} - [${vErrs.join(' ')}]`);
    if (parts.length === 2) {
      const ns = parts[0];
      const kube = ['kubernetes.io', 'k8s.io'].some((d) => ns === d || ns.endsWith(`.${d}`));
      // The kubelet may set labels in its own namespaces (k8s.io/kubernetes pkg/kubelet/apis).
      const allowed = ns === 'kubelet.kubernetes.io' || ns.endsWith('.kubelet.kubernetes.io') || ns === 'node.kubernetes.io' || ns.endsWith('.node.kubernetes.io') ||
        ['kubernetes.io/hostname', 'kubernetes.io/os', 'kubernetes.io/arch', 'topology.kubernetes.io/zone', 'topology.kubernetes.io/region',
          'failure-domain.beta.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/region', 'beta.kubernetes.io/instance-type', 'node.kubernetes.io/instance-type',
          'beta.kubernetes.io/os', 'beta.kubernetes.io/arch'].includes(label);
      if (kube && !allowed) unknownKube.push(label);
    }
  }
  if (unknownKube.length) fail(`unknown 'kubernetes.io' or 'k8s.io' labels were specified: [${unknownKube.join(' ')}]`);
}

/** The EKS AMI type of an AMI family on the group's instance types (arch and accelerator). */
export function amiTypeFor(family: string, instanceTypes: string[], path: string): string {
  const infos = instanceTypes.map((t) => instanceType(t));
  const arm = infos.some((i) => i?.arch === 'arm64');
  const gpu = infos.some((i) => i?.acceleratorKind === 'nvidia');
  const neuron = infos.some((i) => i?.acceleratorKind === 'neuron');
  switch (family) {
    case 'AmazonLinux2':
      return gpu || neuron ? 'AL2_x86_64_GPU' : arm ? 'AL2_ARM_64' : 'AL2_x86_64';
    case 'AmazonLinux2023':
      if (gpu) return arm ? 'AL2023_ARM_64_NVIDIA' : 'AL2023_x86_64_NVIDIA';
      if (neuron) return 'AL2023_x86_64_NEURON';
      return arm ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';
    case 'Bottlerocket':
      if (gpu) return arm ? 'BOTTLEROCKET_ARM_64_NVIDIA' : 'BOTTLEROCKET_x86_64_NVIDIA';
      return arm ? 'BOTTLEROCKET_ARM_64' : 'BOTTLEROCKET_x86_64';
    default:
      return fail(`AMI Family ${family} is not supported by Kumo yet - use one of: AmazonLinux2, AmazonLinux2023, Bottlerocket (${path}.amiFamily)`);
  }
}

/** eksctl's AMI families; those with no EKS AMI type of their own need custom AMIs Kumo cannot build. */
const EKSCTL_AMI_FAMILIES = ['AmazonLinux2023', 'AmazonLinux2', 'UbuntuPro2404', 'Ubuntu2404', 'UbuntuPro2204', 'Ubuntu2204', 'UbuntuPro2004', 'Ubuntu2004', 'Ubuntu1804',
  'Bottlerocket', 'WindowsServer2019CoreContainer', 'WindowsServer2019FullContainer', 'WindowsServer2022CoreContainer', 'WindowsServer2022FullContainer'];

function nodeGroupPlan(ng: ManagedNodeGroupConfig, path: string): NodeGroupPlan {
  const name = ng.name ?? '';
  checkName(name);
  const family = ng.amiFamily ?? DEFAULT_AMI_FAMILY;
  if (!EKSCTL_AMI_FAMILIES.includes(family)) fail(`AMI Family ${family} is not supported - use one of: ${EKSCTL_AMI_FAMILIES.join(', ')}`);
  if (ng.volumeSize === undefined) {
    for (const f of ['volumeName', 'volumeEncrypted', 'volumeKmsKeyID'] as const) {
      if (ng[f]) fail(`${path}.${f} cannot be set without ${path}.volumeSize`);
    }
  }
  if (!ng.volumeEncrypted && ng.volumeKmsKeyID) fail(`${path}.volumeKmsKeyID can not be set without ${path}.volumeEncrypted enabled explicitly`);
  if (ng.volumeType && ng.volumeIOPS !== undefined && ng.volumeType !== 'io1' && ng.volumeType !== 'gp3') fail(`${path}.volumeIOPS is only supported for io1 and gp3 volume types`);
  if (ng.volumeThroughput !== undefined && ng.volumeType && ng.volumeType !== 'gp3') fail(`${path}.volumeThroughput is only supported for gp3 volume type`);
  if (ng.iam?.instanceProfileARN) fail(`instanceProfileARN is not supported for Managed Nodes (${path}.instanceProfileARN)`);
  if (ng.iam?.instanceRoleARN) {
    const conflict = (['instanceRoleName', 'attachPolicyARNs', 'instanceRolePermissionsBoundary'] as const).find((f) => {
      const v = ng.iam?.[f];
      return Array.isArray(v) ? v.length > 0 : Boolean(v);
    });
    if (conflict) fail(`${path}.iam.instanceRoleARN and ${path}.iam.${conflict} cannot be set at the same time`);
    const addon = Object.entries(ng.iam.withAddonPolicies ?? {}).find(([, on]) => on);
    if (addon) fail(`${path}.iam.instanceRoleARN and ${path}.iam.withAddonPolicies.${addon[0]} cannot be set at the same time`);
  }
  if (ng.disablePodIMDS && Object.values(ng.iam?.withAddonPolicies ?? {}).some(Boolean)) {
    fail(`${path}.disablePodIMDS and ${path}.iam.withAddonPolicies cannot be set at the same time`);
  }

  // Managed node groups: eksctl's defaulting and its (flag-named) messages for the sizes.
  let minSize = ng.minSize;
  let maxSize = ng.maxSize;
  let desired = ng.desiredCapacity;
  if (minSize === undefined) minSize = desired ?? DEFAULT_NODE_COUNT;
  else if (desired !== undefined && desired < minSize) fail(`cannot use --nodes-min=${minSize} and --nodes=${desired} at the same time`);
  if (maxSize === undefined) maxSize = desired ?? minSize;
  else if (desired !== undefined && desired > maxSize) fail(`cannot use --nodes-max=${maxSize} and --nodes=${desired} at the same time`);
  else if (maxSize < minSize) fail(`cannot use --nodes-min=${minSize} and --nodes-max=${maxSize} at the same time`);
  desired ??= minSize;
  if (ng.updateConfig?.maxUnavailable !== undefined && ng.updateConfig.maxUnavailablePercentage !== undefined) {
    fail('cannot use --max-unavailable and --max-unavailable-in-percentage at the same time');
  }

  if (ng.instanceType && ng.instanceTypes?.length) fail(`only one of instanceType or instanceTypes can be specified (${path})`);
  const instanceTypes = ng.instanceTypes?.length ? ng.instanceTypes : [ng.instanceType ?? DEFAULT_NODE_TYPE];

  if (ng.bottlerocket && family !== 'Bottlerocket') {
    fail(`bottlerocket config can only be used with amiFamily "Bottlerocket" but found ${family} (path=${path}.bottlerocket)`);
  }
  const kube = ng.bottlerocket?.settings?.kubernetes;
  if (kube !== undefined) {
    if (typeof kube !== 'object' || kube === null || Array.isArray(kube)) fail('invalid kubernetes settings provided: expected a map of settings');
    // Settings that have a node group field of their own must be set there (checkBottlerocketSettings).
    const own: Record<string, string> = { 'node-labels': 'labels', 'node-taints': 'taints', 'max-pods': 'maxPodsPerNode', 'cluster-dns-ip': 'clusterDNS' };
    for (const [k, field] of Object.entries(own)) {
      if (k in (kube as Record<string, unknown>)) fail(`invalid Bottlerocket setting: use ${path}.${field} instead (path=${path}.bottlerocket.settings.kubernetes.${k})`);
    }
  }

  const labels = { ...(ng.labels ?? {}) };
  checkLabels(labels);
  const taints = (ng.taints ?? []).map(taintOf);
  if (ng.ssh?.allow && !ng.ssh.publicKeyName) {
    fail(`${path}.ssh.allow without ${path}.ssh.publicKeyName needs a local public key imported with EC2 ImportKeyPair, which Kumo does not serve yet`);
  }
  // eksctl enables SSH when a key is named and allow is left unset (setSSHDefaults).
  const sshKey = ng.ssh?.publicKeyName && ng.ssh.allow !== false ? ng.ssh.publicKeyName : undefined;
  return {
    name,
    amiFamily: family,
    amiType: amiTypeFor(family, instanceTypes, path),
    instanceTypes,
    capacityType: ng.spot ? 'SPOT' : 'ON_DEMAND',
    minSize,
    maxSize,
    desiredCapacity: desired,
    volumeSize: ng.volumeSize ?? DEFAULT_VOLUME_SIZE,
    labels,
    taints,
    tags: { ...(ng.tags ?? {}) },
    privateNetworking: ng.privateNetworking ?? false,
    availabilityZones: ng.availabilityZones,
    sshKeyName: sshKey,
    instanceRoleARN: ng.iam?.instanceRoleARN,
    instanceRoleName: ng.iam?.instanceRoleName,
    instanceRolePermissionsBoundary: ng.iam?.instanceRolePermissionsBoundary,
    attachPolicyARNs: ng.iam?.attachPolicyARNs ?? [],
    attachPolicy: ng.iam?.attachPolicy,
    addonPolicies: ng.iam?.withAddonPolicies ?? {},
    releaseVersion: ng.releaseVersion,
    maxUnavailable: ng.updateConfig?.maxUnavailable,
    maxUnavailablePercentage: ng.updateConfig?.maxUnavailablePercentage,
  };
}

export interface PlanOptions {
  /** --region, AWS_REGION / AWS_DEFAULT_REGION (in that order) when the file names none. */
  region?: string;
  regionFlag?: string;
}

export function planCluster(cfg: ClusterConfig, opts: PlanOptions): ClusterPlan {
  const meta = cfg.metadata ?? {};
  if (!meta.name) fail('metadata.name must be set');
  const name = meta.name!;
  checkName(name);
  if (opts.regionFlag && meta.region && opts.regionFlag !== meta.region) {
    fail(`--region=${opts.regionFlag} and metadata.region=${meta.region} are conflicting`);
  }
  const region = meta.region ?? opts.regionFlag ?? opts.region;
  if (!region) fail('metadata.region must be set');

  const iam = cfg.iam ?? {};
  if (!iam.withOIDC && (iam.serviceAccounts?.length ?? 0) > 0) fail('iam.withOIDC must be enabled explicitly for iam.serviceAccounts to be created');
  const saNames = new Set<string>();
  const serviceAccounts: ServiceAccountPlan[] = (iam.serviceAccounts ?? []).map((sa, i) => {
    const path = `iam.serviceAccounts[${i}]`;
    const saName = sa.metadata?.name ?? '';
    if (!saName) fail(`${path}.name must be set`);
    const namespace = sa.metadata?.namespace || 'default';
    const key = `${namespace}/${saName}`;
    if (saNames.has(key)) fail(`<namespace>/<name> of ${path} ${JSON.stringify(key)} is not unique`);
    saNames.add(key);
    const wk = sa.wellKnownPolicies ?? {};
    if (!Object.values(wk).some(Boolean) && !(sa.attachPolicyARNs?.length) && !sa.attachPolicy && !sa.attachRoleARN) {
      fail(`${path}.wellKnownPolicies, ${path}.attachPolicyARNs,${path}.attachRoleARN  or ${path}.attachPolicy must be set`);
    }
    return {
      name: saName, namespace, wellKnownPolicies: wk, attachPolicyARNs: sa.attachPolicyARNs ?? [], attachPolicy: sa.attachPolicy, attachRoleARN: sa.attachRoleARN,
      permissionsBoundary: sa.permissionsBoundary, roleName: sa.roleName, roleOnly: sa.roleOnly ?? false, labels: sa.metadata?.labels ?? {},
      annotations: sa.metadata?.annotations ?? {}, tags: sa.tags ?? {},
    };
  });

  const ngNames = new Set<string>();
  const nodeGroups = (cfg.managedNodeGroups ?? []).map((ng, i) => {
    const path = `managedNodeGroups[${i}]`;
    if (!ng.name) fail(`${path}.name must be set`);
    if (ngNames.has(ng.name!)) fail(`${path}.name ${JSON.stringify(ng.name)} is not unique`);
    ngNames.add(ng.name!);
    return nodeGroupPlan(ng, path);
  });

  const fargateProfiles: FargatePlan[] = (cfg.fargateProfiles ?? []).map((fp) => {
    if (!fp.name) fail('invalid Fargate profile: empty name');
    if (fp.name!.startsWith('eks-')) fail(`invalid Fargate profile ${JSON.stringify(fp.name)}: name should NOT start with "eks-"`);
    if (!fp.selectors?.length) fail(`invalid Fargate profile ${JSON.stringify(fp.name)}: no profile selector`);
    const selectors = fp.selectors!.map((s, i) => {
      if (!s.namespace) fail(`invalid Fargate profile ${JSON.stringify(fp.name)}: invalid profile selector at index #${i}: empty namespace`);
      return { namespace: s.namespace!, labels: s.labels && Object.keys(s.labels).length ? s.labels : undefined };
    });
    return { name: fp.name!, podExecutionRoleARN: fp.podExecutionRoleARN, selectors, tags: fp.tags ?? {} };
  });

  let logTypes = cfg.cloudWatch?.clusterLogging?.enableTypes ?? [];
  // eksctl expands "*" and "all" to every log type.
  if (logTypes.some((t) => t === '*' || t === 'all')) logTypes = [...LOG_TYPES];
  logTypes.forEach((t, i) => {
    if (!LOG_TYPES.includes(t)) fail(`log type ${JSON.stringify(t)} (cloudWatch.clusterLogging.enableTypes[${i}]) is unknown`);
  });

  const vpc = cfg.vpc ?? {};
  const publicAccessCIDRs = (vpc.publicAccessCIDRs ?? []).map((c) => parseCidr(c) ?? fail(`invalid CIDR address: ${c}`));
  const vpcCidr = vpc.cidr ?? DEFAULT_VPC_CIDR;
  if (!parseCidr(vpcCidr)) fail(`invalid CIDR address: ${vpcCidr}`);
  const endpoints = { publicAccess: vpc.clusterEndpoints?.publicAccess ?? true, privateAccess: vpc.clusterEndpoints?.privateAccess ?? false, publicAccessCIDRs };
  if (!endpoints.publicAccess && !endpoints.privateAccess) fail('Kubernetes API access must have one of public or private clusterEndpoints enabled');
  const nat = vpc.nat?.gateway ?? 'Single';
  if (!['HighlyAvailable', 'Single', 'Disable'].includes(nat)) fail(`invalid NAT gateway: ${nat}, valid options: HighlyAvailable, Single, Disable`);
  if (vpc.manageSharedNodeSecurityGroupRules === false) fail('vpc.manageSharedNodeSecurityGroupRules must be enabled when using ekstcl-managed security groups');

  const ipFamily = cfg.kubernetesNetworkConfig?.ipFamily;
  if (ipFamily && ipFamily.toLowerCase() !== 'ipv4') fail(`kubernetesNetworkConfig.ipFamily ${ipFamily} is not supported by Kumo yet (IPv4 clusters only)`);
  const serviceIPv4CIDR = cfg.kubernetesNetworkConfig?.serviceIPv4CIDR;
  if (serviceIPv4CIDR && !parseCidr(serviceIPv4CIDR)) fail(`invalid IPv4 CIDR for kubernetesNetworkConfig.serviceIPv4CIDR: invalid CIDR address: ${serviceIPv4CIDR}`);
  const authenticationMode = cfg.accessConfig?.authenticationMode ?? 'API_AND_CONFIG_MAP';
  if (!['API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP'].includes(authenticationMode)) {
    fail(`invalid authentication mode: ${authenticationMode}, valid options: API, API_AND_CONFIG_MAP, CONFIG_MAP`);
  }
  return {
    name,
    region: region!,
    version: meta.version,
    tags: { ...(meta.tags ?? {}) },
    vpcCidr,
    natGateway: nat,
    endpoints,
    defaultEndpoints: vpc.clusterEndpoints === undefined,
    logTypes,
    logRetentionInDays: cfg.cloudWatch?.clusterLogging?.logRetentionInDays,
    withOIDC: iam.withOIDC ?? false,
    authenticationMode,
    bootstrapClusterCreatorAdminPermissions: cfg.accessConfig?.bootstrapClusterCreatorAdminPermissions ?? true,
    serviceRoleARN: iam.serviceRoleARN,
    serviceRolePermissionsBoundary: iam.serviceRolePermissionsBoundary,
    fargatePodExecutionRoleARN: iam.fargatePodExecutionRoleARN,
    fargatePodExecutionRolePermissionsBoundary: iam.fargatePodExecutionRolePermissionsBoundary,
    vpcResourceControllerPolicy: iam.vpcResourceControllerPolicy ?? true,
    availabilityZones: cfg.availabilityZones,
    serviceIPv4CIDR,
    nodeGroups,
    fargateProfiles,
    serviceAccounts,
  };
}
