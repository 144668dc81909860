// The eksctl.io/v1alpha5 ClusterConfig as a field schema: every field Kumo reads, with the Go type
// eksctl declares it with (pkg/apis/eksctl.io/v1alpha5/types.go), so decoding fails the way
// eksctl's strict JSON decoding does. Fields eksctl knows but Kumo cannot honour yet are listed as
// `unsupported` with the reason: they fail with a message naming the field instead of "unknown".

export type FieldSchema =
  | { kind: 'string' }
  | { kind: 'int' }
  | { kind: 'bool' }
  /** map[string]string */
  | { kind: 'stringMap' }
  /** []string */
  | { kind: 'stringList' }
  /** An InlineDocument (map[string]interface{}): any JSON object. */
  | { kind: 'document' }
  | { kind: 'struct'; struct: StructSchema }
  | { kind: 'list'; of: StructSchema }
  | { kind: 'unsupported'; reason: string };

export interface StructSchema {
  /** The Go type name, as encoding/json's errors print it. */
  name: string;
  fields: Record<string, FieldSchema>;
}

const str: FieldSchema = { kind: 'string' };
const int: FieldSchema = { kind: 'int' };
const bool: FieldSchema = { kind: 'bool' };
const stringMap: FieldSchema = { kind: 'stringMap' };
const stringList: FieldSchema = { kind: 'stringList' };
const document: FieldSchema = { kind: 'document' };
const struct = (name: string, fields: Record<string, FieldSchema>): FieldSchema => ({ kind: 'struct', struct: { name, fields } });
const list = (name: string, fields: Record<string, FieldSchema>): FieldSchema => ({ kind: 'list', of: { name, fields } });
const unsupported = (reason: string): FieldSchema => ({ kind: 'unsupported', reason });

const NO_LAUNCH_TEMPLATES = 'Kumo does not build node launch templates from this field yet';
const NO_SELF_MANAGED = 'Kumo runs managed node groups only (use managedNodeGroups)';
const EXISTING_VPC = 'Kumo creates the cluster VPC itself; importing an existing VPC or subnets is not supported yet';

const ssh = struct('NodeGroupSSH', {
  allow: bool,
  publicKeyName: str,
  publicKeyPath: unsupported('importing an SSH public key needs EC2 ImportKeyPair, which Kumo does not serve yet'),
  publicKey: unsupported('importing an SSH public key needs EC2 ImportKeyPair, which Kumo does not serve yet'),
  sourceSecurityGroupIds: stringList,
  enableSsm: bool,
});

const addonPolicies = struct('NodeGroupIAMAddonPolicies', {
  imageBuilder: bool,
  autoScaler: bool,
  externalDNS: bool,
  certManager: bool,
  appMesh: bool,
  appMeshPreview: bool,
  ebs: bool,
  fsx: bool,
  efs: bool,
  awsLoadBalancerController: bool,
  albIngress: bool,
  xRay: bool,
  cloudWatch: bool,
});

const nodeIam = struct('NodeGroupIAM', {
  attachPolicy: document,
  attachPolicyARNs: stringList,
  instanceRoleARN: str,
  instanceRoleName: str,
  instanceRolePermissionsBoundary: str,
  instanceProfileARN: str,
  withAddonPolicies: addonPolicies,
});

const taint = list('NodeGroupTaint', { key: str, value: str, effect: str });

export const MANAGED_NODE_GROUP: StructSchema = {
  name: 'ManagedNodeGroup',
  fields: {
    name: str,
    amiFamily: str,
    instanceType: str,
    instanceTypes: stringList,
    spot: bool,
    availabilityZones: stringList,
    subnets: unsupported(EXISTING_VPC),
    instancePrefix: unsupported(NO_LAUNCH_TEMPLATES),
    instanceName: unsupported(NO_LAUNCH_TEMPLATES),
    desiredCapacity: int,
    minSize: int,
    maxSize: int,
    volumeSize: int,
    volumeType: str,
    volumeName: str,
    volumeEncrypted: bool,
    volumeKmsKeyID: str,
    volumeIOPS: int,
    volumeThroughput: int,
    ssh,
    labels: stringMap,
    taints: taint,
    tags: stringMap,
    privateNetworking: bool,
    iam: nodeIam,
    bottlerocket: struct('NodeGroupBottlerocket', { enableAdminContainer: bool, settings: document }),
    releaseVersion: str,
    maxPodsPerNode: unsupported(NO_LAUNCH_TEMPLATES),
    disableIMDSv1: bool,
    disablePodIMDS: bool,
    enableDetailedMonitoring: bool,
    updateConfig: struct('NodeGroupUpdateConfig', { maxUnavailable: int, maxUnavailablePercentage: int }),
    ami: unsupported('custom AMIs need a launch template with user data, which Kumo does not build yet'),
    launchTemplate: unsupported('launch templates for managed node groups are not wired into kumo create cluster yet'),
    preBootstrapCommands: unsupported(NO_LAUNCH_TEMPLATES),
    overrideBootstrapCommand: unsupported(NO_LAUNCH_TEMPLATES),
    securityGroups: unsupported(NO_LAUNCH_TEMPLATES),
    placement: unsupported(NO_LAUNCH_TEMPLATES),
    efaEnabled: unsupported('EFA network interfaces are not modelled by Kumo'),
    instanceSelector: unsupported('EC2 instance selection by requirements is not supported by Kumo yet'),
    kubeletExtraConfig: unsupported(NO_LAUNCH_TEMPLATES),
    asgSuspendProcesses: unsupported('Auto Scaling processes are not modelled by Kumo'),
    propagateASGTags: bool,
  },
};

export const FARGATE_PROFILE: StructSchema = {
  name: 'FargateProfile',
  fields: {
    name: str,
    podExecutionRoleARN: str,
    selectors: list('FargateProfileSelector', { namespace: str, labels: stringMap }),
    subnets: unsupported(EXISTING_VPC),
    tags: stringMap,
    status: str,
  },
};

const serviceAccount = list('ClusterIAMServiceAccount', {
  metadata: struct('ClusterIAMMeta', { name: str, namespace: str, labels: stringMap, annotations: stringMap }),
  attachPolicyARNs: stringList,
  wellKnownPolicies: struct('WellKnownPolicies', {
    imageBuilder: bool,
    autoScaler: bool,
    awsLoadBalancerController: bool,
    externalDNS: bool,
    certManager: bool,
    ebsCSIController: bool,
    efsCSIController: bool,
  }),
  attachPolicy: document,
  attachRoleARN: str,
  permissionsBoundary: str,
  roleName: str,
  roleOnly: bool,
  tags: stringMap,
});

export const CLUSTER_CONFIG: StructSchema = {
  name: 'ClusterConfig',
  fields: {
    apiVersion: str,
    kind: str,
    metadata: struct('ClusterMeta', {
      name: str,
      region: str,
      version: str,
      tags: stringMap,
      annotations: stringMap,
      forceUpdateVersion: bool,
      accountID: str,
    }),
    kubernetesNetworkConfig: struct('KubernetesNetworkConfig', { ipFamily: str, serviceIPv4CIDR: str }),
    iam: struct('ClusterIAM', {
      serviceRoleARN: str,
      serviceRolePermissionsBoundary: str,
      fargatePodExecutionRoleARN: str,
      fargatePodExecutionRolePermissionsBoundary: str,
      withOIDC: bool,
      serviceAccounts: serviceAccount,
      podIdentityAssociations: unsupported('EKS Pod Identity associations are not served by Kumo yet'),
      vpcResourceControllerPolicy: bool,
    }),
    accessConfig: struct('AccessConfig', {
      authenticationMode: str,
      bootstrapClusterCreatorAdminPermissions: bool,
      accessEntries: unsupported('kumo create cluster does not create access entries from the config yet (use aws eks create-access-entry)'),
    }),
    vpc: struct('ClusterVPC', {
      id: unsupported(EXISTING_VPC),
      cidr: str,
      ipv6Cidr: unsupported('IPv6 VPCs are not modelled by Kumo'),
      securityGroup: unsupported(EXISTING_VPC),
      subnets: unsupported(EXISTING_VPC),
      nat: struct('ClusterNAT', { gateway: str }),
      clusterEndpoints: struct('ClusterEndpoints', { privateAccess: bool, publicAccess: bool }),
      publicAccessCIDRs: stringList,
      autoAllocateIPv6: bool,
      manageSharedNodeSecurityGroupRules: bool,
      sharedNodeSecurityGroup: unsupported(EXISTING_VPC),
      extraCIDRs: unsupported('secondary VPC CIDR blocks are not modelled by Kumo'),
    }),
    availabilityZones: stringList,
    managedNodeGroups: { kind: 'list', of: MANAGED_NODE_GROUP },
    fargateProfiles: { kind: 'list', of: FARGATE_PROFILE },
    cloudWatch: struct('ClusterCloudWatch', {
      clusterLogging: struct('ClusterCloudWatchLogging', { enableTypes: stringList, logRetentionInDays: int }),
    }),
    addons: unsupported('Kumo has no EKS add-on API yet (CreateAddon); remove addons or create them later'),
    addonsConfig: unsupported('Kumo has no EKS add-on API yet'),
    secretsEncryption: unsupported('Kumo has no KMS yet, so envelope encryption of Secrets cannot be configured'),
    nodeGroups: unsupported(NO_SELF_MANAGED),
    privateCluster: unsupported('fully-private clusters need VPC endpoints, which Kumo does not model'),
    identityProviders: unsupported('use aws eks associate-identity-provider-config after creating the cluster'),
    iamIdentityMappings: unsupported('use access entries (aws eks create-access-entry) after creating the cluster'),
    gitops: unsupported('GitOps bootstrapping is not supported by Kumo yet'),
    karpenter: unsupported('Karpenter installation is not supported by Kumo yet'),
    outpost: unsupported('EKS on Outposts is not modelled by Kumo'),
    localZones: unsupported('Local Zones are not modelled by Kumo'),
    autoModeConfig: unsupported('EKS Auto Mode is not supported by Kumo yet'),
    remoteNetworkConfig: unsupported('hybrid nodes are not supported by Kumo'),
    zonalShiftConfig: struct('ZonalShiftConfig', { enabled: bool }),
    status: unsupported('status is set by eksctl, not by the user'),
  },
};
