// EKS wire shapes (restJson1, timestamps as epoch seconds) and the seams EKS needs from the rest of Kumo.

export type ClusterStatus = 'CREATING' | 'ACTIVE' | 'DELETING' | 'FAILED' | 'UPDATING' | 'PENDING';
export type AuthenticationMode = 'API' | 'API_AND_CONFIG_MAP' | 'CONFIG_MAP';
export type Tags = Record<string, string>;

export interface LogSetup {
  types: string[];
  enabled: boolean;
}

export interface Cluster {
  name: string;
  arn: string;
  createdAt: number;
  version: string;
  endpoint?: string;
  roleArn: string;
  resourcesVpcConfig: {
    subnetIds: string[];
    securityGroupIds: string[];
    clusterSecurityGroupId?: string;
    vpcId: string;
    endpointPublicAccess: boolean;
    endpointPrivateAccess: boolean;
    publicAccessCidrs: string[];
  };
  kubernetesNetworkConfig: {
    serviceIpv4Cidr?: string;
    serviceIpv6Cidr?: string;
    ipFamily: 'ipv4' | 'ipv6';
    elasticLoadBalancing?: { enabled: boolean };
  };
  logging: { clusterLogging: LogSetup[] };
  identity?: { oidc: { issuer: string } };
  status: ClusterStatus;
  certificateAuthority?: { data: string };
  clientRequestToken?: string;
  platformVersion: string;
  tags: Tags;
  encryptionConfig?: { resources: string[]; provider: { keyArn: string } }[];
  health: { issues: { code: string; message: string; resourceIds?: string[] }[] };
  accessConfig: { bootstrapClusterCreatorAdminPermissions?: boolean; authenticationMode: AuthenticationMode };
  upgradePolicy: { supportType: 'STANDARD' | 'EXTENDED' };
  zonalShiftConfig?: { enabled: boolean };
  deletionProtection: boolean;
}

export type UpdateStatus = 'InProgress' | 'Failed' | 'Cancelled' | 'Successful';

export interface Update {
  id: string;
  status: UpdateStatus;
  type: string;
  params: { type: string; value: string }[];
  createdAt: number;
  errors: { errorCode: string; errorMessage: string; resourceIds: string[] }[];
}

export interface AccessScope {
  type: 'cluster' | 'namespace';
  namespaces?: string[];
}

export interface AssociatedAccessPolicy {
  policyArn: string;
  accessScope: AccessScope;
  associatedAt: number;
  modifiedAt: number;
}

export interface AccessEntry {
  clusterName: string;
  principalArn: string;
  kubernetesGroups: string[];
  accessEntryArn: string;
  createdAt: number;
  modifiedAt: number;
  tags: Tags;
  username: string;
  type: string;
}

export interface OidcIdentityProviderConfig {
  identityProviderConfigName: string;
  identityProviderConfigArn: string;
  clusterName: string;
  issuerUrl: string;
  clientId: string;
  usernameClaim?: string;
  usernamePrefix?: string;
  groupsClaim?: string;
  groupsPrefix?: string;
  requiredClaims?: Record<string, string>;
  tags: Tags;
  status: 'CREATING' | 'DELETING' | 'ACTIVE';
}

export type FargateProfileStatus = 'CREATING' | 'ACTIVE' | 'DELETING' | 'CREATE_FAILED' | 'DELETE_FAILED';

export interface FargateProfileSelector {
  namespace: string;
  labels?: Record<string, string>;
}

export interface FargateProfile {
  fargateProfileName: string;
  fargateProfileArn: string;
  clusterName: string;
  createdAt: number;
  podExecutionRoleArn: string;
  subnets: string[];
  selectors: FargateProfileSelector[];
  status: FargateProfileStatus;
  tags: Tags;
  health: { issues: { code: string; message: string; resourceIds?: string[] }[] };
}

/** What the cluster's Fargate admission and scheduler need of an ACTIVE profile (mirrored into the cluster). */
export interface FargateProfileMirror {
  name: string;
  selectors: FargateProfileSelector[];
  subnets: { subnetId: string; availabilityZone?: string; cidrBlock?: string }[];
}

/** The caller of an EKS operation as the endpoint authenticated it. */
export interface CallerContext {
  /** The caller's principal ARN (an assumed-role session ARN for role sessions). */
  callerArn: string;
  /** The IAM principal behind the caller: the role's full ARN (with its path) for a role session. */
  principalArn?: string;
  accountId: string;
  region: string;
  /**
   * Checks that the caller may pass the role to EKS (iam:PassRole under --enforce-iam); throws
   * AccessDeniedException otherwise. Every operation that hands EKS a role calls it before creating anything.
   */
  passRole?: (roleArn: string) => Promise<void>;
}

/**
 * One Kubernetes control plane per cluster, started and stopped by the integrator (main/).
 * `start` receives the stored cluster; after a restart it carries the previous endpoint and CA so
 * an implementation can bring the same ones back (old kubeconfigs keep working).
 */
export interface ClusterRuntime {
  start(cluster: Cluster): Promise<{ endpoint: string; caData: string; oidcIssuer: string }>;
  setVersion(name: string, version: string): Promise<void>;
  stop(name: string): Promise<void>;
  /** Replaces the cluster's ACTIVE Fargate profiles as its in-cluster Fargate admission and scheduler see them. */
  syncFargateProfiles?(name: string, profiles: FargateProfileMirror[]): Promise<void>;
}

/** The cluster's `kube-system/aws-auth` ConfigMap data (mapRoles / mapUsers YAML), read by the integrator. */
export interface AwsAuthSource {
  read(clusterName: string): Promise<{ mapRoles?: string; mapUsers?: string } | undefined>;
}

/** A subnet of the region's VPC model as EKS checks it. */
export interface SubnetInfo {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  cidrBlock: string;
  /** Public subnets route to an internet gateway. */
  mapPublicIpOnLaunch: boolean;
}

/** Counts of resources that keep a cluster from being deleted (node groups, Fargate profiles). */
export interface ClusterDependents {
  nodegroups(clusterName: string): Promise<string[]>;
  fargateProfiles(clusterName: string): Promise<string[]>;
}

/**
 * Persistence, the same shape as ../state.ts AwsStateStore with free-form kinds: an AwsStateStore
 * (memory or KubeAwsStateStore) is assignable to it as it is.
 */
export interface EksStateStore {
  get<T = Record<string, unknown>>(kind: string, id: string): Promise<T | undefined>;
  put(kind: string, id: string, obj: unknown): Promise<void>;
  delete(kind: string, id: string): Promise<boolean>;
  list<T = Record<string, unknown>>(kind: string): Promise<T[]>;
}
