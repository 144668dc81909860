// The EKS service's public surface for main/ (wiring) and the cluster authenticator/authorizer.
export { EksService, type EksServiceOptions } from './service.js';
export { eksHandler } from './routes.js';
export { resolveClusterIdentity, identityResolver, clusterOidcProviders, type ClusterIdentity } from './identity.js';
export { accessPolicyRules, ACCESS_POLICY_NAMES, ACCESS_POLICY_PREFIX, type AccessPolicyRule } from './access-policies.js';
export { VERSIONS, DEFAULT_VERSION } from './versions.js';
export { fargateProfileNames, FARGATE_POD_SERVICE } from './fargate-profiles.js';
export type { AwsAuthSource, CallerContext, Cluster, ClusterDependents, ClusterRuntime, EksStateStore, Update, AccessEntry, OidcIdentityProviderConfig,
  FargateProfile, FargateProfileMirror, FargateProfileSelector, SubnetInfo } from './model.js';
export { NodegroupManager } from './nodegroups.js';
export { amiIdFor } from './nodegroup-input.js';
export { NodegroupUpdateError, type NetworkLookup, type Nodegroup, type NodegroupRuntime, type NodegroupTaint, type NodegroupVersionTarget } from './nodegroup-model.js';
