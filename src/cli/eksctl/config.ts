// The ClusterConfig as Kumo reads it (the eksctl.io/v1alpha5 fields of schema.ts), and loading a
// file the way `eksctl create cluster -f` loads it: strict decoding, apiVersion/kind checks, then the
// fields Kumo cannot honour yet refused by name.
import { readFileSync } from 'node:fs';
import { ConfigDecodeError, decodeConfig } from './decode.js';
import { CLUSTER_CONFIG } from './schema.js';

export const API_VERSION = 'eksctl.io/v1alpha5';

export interface Taint {
  key?: string;
  value?: string;
  effect?: string;
}

export interface AddonPolicies {
  imageBuilder?: boolean;
  autoScaler?: boolean;
  externalDNS?: boolean;
  certManager?: boolean;
  appMesh?: boolean;
  appMeshPreview?: boolean;
  ebs?: boolean;
  fsx?: boolean;
  efs?: boolean;
  awsLoadBalancerController?: boolean;
  albIngress?: boolean;
  xRay?: boolean;
  cloudWatch?: boolean;
}

export interface ManagedNodeGroupConfig {
  name?: string;
  amiFamily?: string;
  instanceType?: string;
  instanceTypes?: string[];
  spot?: boolean;
  availabilityZones?: string[];
  instancePrefix?: string;
  instanceName?: string;
  desiredCapacity?: number;
  minSize?: number;
  maxSize?: number;
  volumeSize?: number;
  volumeType?: string;
  volumeName?: string;
  volumeEncrypted?: boolean;
  volumeKmsKeyID?: string;
  volumeIOPS?: number;
  volumeThroughput?: number;
  ssh?: { allow?: boolean; publicKeyName?: string; sourceSecurityGroupIds?: string[]; enableSsm?: boolean };
  labels?: Record<string, string>;
  taints?: Taint[];
  tags?: Record<string, string>;
  privateNetworking?: boolean;
  iam?: {
    attachPolicy?: Record<string, unknown>;
    attachPolicyARNs?: string[];
    instanceRoleARN?: string;
    instanceRoleName?: string;
    instanceRolePermissionsBoundary?: string;
    instanceProfileARN?: string;
    withAddonPolicies?: AddonPolicies;
  };
  bottlerocket?: { enableAdminContainer?: boolean; settings?: Record<string, unknown> };
  releaseVersion?: string;
  maxPodsPerNode?: number;
  disableIMDSv1?: boolean;
  disablePodIMDS?: boolean;
  enableDetailedMonitoring?: boolean;
  updateConfig?: { maxUnavailable?: number; maxUnavailablePercentage?: number };
  propagateASGTags?: boolean;
}

export interface FargateProfileConfig {
  name?: string;
  podExecutionRoleARN?: string;
  selectors?: { namespace?: string; labels?: Record<string, string> }[];
  tags?: Record<string, string>;
  status?: string;
}

export interface WellKnownPolicies {
  imageBuilder?: boolean;
  autoScaler?: boolean;
  awsLoadBalancerController?: boolean;
  externalDNS?: boolean;
  certManager?: boolean;
  ebsCSIController?: boolean;
  efsCSIController?: boolean;
}

export interface ServiceAccountConfig {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  attachPolicyARNs?: string[];
  wellKnownPolicies?: WellKnownPolicies;
  attachPolicy?: Record<string, unknown>;
  attachRoleARN?: string;
  permissionsBoundary?: string;
  roleName?: string;
  roleOnly?: boolean;
  tags?: Record<string, string>;
}

export interface ClusterConfig {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; region?: string; version?: string; tags?: Record<string, string>; annotations?: Record<string, string>; forceUpdateVersion?: boolean; accountID?: string };
  kubernetesNetworkConfig?: { ipFamily?: string; serviceIPv4CIDR?: string };
  iam?: {
    serviceRoleARN?: string;
    serviceRolePermissionsBoundary?: string;
    fargatePodExecutionRoleARN?: string;
    fargatePodExecutionRolePermissionsBoundary?: string;
    withOIDC?: boolean;
    serviceAccounts?: ServiceAccountConfig[];
    vpcResourceControllerPolicy?: boolean;
  };
  accessConfig?: { authenticationMode?: string; bootstrapClusterCreatorAdminPermissions?: boolean };
  vpc?: {
    cidr?: string;
    nat?: { gateway?: string };
    clusterEndpoints?: { privateAccess?: boolean; publicAccess?: boolean };
    publicAccessCIDRs?: string[];
    autoAllocateIPv6?: boolean;
    manageSharedNodeSecurityGroupRules?: boolean;
  };
  availabilityZones?: string[];
  managedNodeGroups?: ManagedNodeGroupConfig[];
  fargateProfiles?: FargateProfileConfig[];
  cloudWatch?: { clusterLogging?: { enableTypes?: string[]; logRetentionInDays?: number } };
  zonalShiftConfig?: { enabled?: boolean };
}

/** An error eksctl would print as `Error: <message>` (and exit 1). */
export class EksctlError extends Error {}

/** Parses and checks a ClusterConfig document; `source` names the file in messages. */
export function parseClusterConfig(text: string, source: string): ClusterConfig {
  let decoded;
  try {
    decoded = decodeConfig(text, CLUSTER_CONFIG);
  } catch (err) {
    if (err instanceof ConfigDecodeError) throw new EksctlError(`loading config file ${JSON.stringify(source)}: ${err.message}`);
    throw err;
  }
  const cfg = decoded.value as ClusterConfig;
  // eksctl's scheme decoding: the group version and kind must be the ones it registers.
  if (cfg.apiVersion !== API_VERSION) {
    throw new EksctlError(`loading config file ${JSON.stringify(source)}: no kind ${JSON.stringify(cfg.kind ?? '')} is registered for version ${JSON.stringify(cfg.apiVersion ?? '')}`);
  }
  if (cfg.kind !== 'ClusterConfig') {
    throw new EksctlError(`loading config file ${JSON.stringify(source)}: no kind ${JSON.stringify(cfg.kind ?? '')} is registered for version ${JSON.stringify(API_VERSION)}`);
  }
  if (decoded.unsupported.length) {
    const first = decoded.unsupported[0];
    const more = decoded.unsupported.slice(1).map((u) => u.path);
    throw new EksctlError(
      `loading config file ${JSON.stringify(source)}: field ${first.path} is not supported by Kumo yet: ${first.reason}` +
        (more.length ? ` (also not supported: ${more.join(', ')})` : ''),
    );
  }
  return cfg;
}

export function loadClusterConfig(path: string): ClusterConfig {
  let text: string;
  try {
    text = path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  } catch (err) {
    throw new EksctlError(`reading config file ${JSON.stringify(path)}: ${(err as Error).message}`);
  }
  return parseClusterConfig(text, path);
}
