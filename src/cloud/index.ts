// The AWS side's compute and network model: instance catalog, max pods and allocatable, Fargate
// sizing, spot facts, and the VPC/subnet/ENI address model.
export { instanceType, listInstanceTypes, onDemandPrice, type Arch, type InstanceTypeFilter, type InstanceTypeInfo } from './instance-types.js';
export { maxPods, maxPodsCap, nodeGroupMaxPods, IPS_PER_PREFIX, UnknownInstanceTypeError, type MaxPodsOptions } from './max-pods.js';
export { allocatable, nodeResources, kubeReservedCpuMillis, kubeReservedMemoryMiB, type NodeResourceOptions, type NodeResources, type ResourceList } from './allocatable.js';
export {
  fargateSizeFor, fargatePodRequests, fargatePrice, fargateHourlyCost, capacityProvisionedText, FARGATE_COMBINATIONS, FARGATE_OVERHEAD_MIB,
  FARGATE_DEFAULT_EPHEMERAL_GIB, CAPACITY_PROVISIONED_ANNOTATION, InvalidQuantityError,
  type FargateCombination, type FargateSize, type FargateRequests, type FargatePrice, type PodSpecLike,
} from './fargate.js';
export { spotAdvice, spotPriceEstimate, type SpotAdvice, type InterruptionFrequency } from './spot.js';
export { VpcModel, DEFAULT_VPC_CIDR, ZONES_PER_REGION, CNI_NO_IP_MESSAGE, type VpcModelState, type AttachNodeOptions } from './vpc.js';
export type {
  AvailabilityZone, Vpc, Subnet, SecurityGroup, SecurityGroupRule, NetworkInterface, NodeNetwork, PodIpResult, PodIpFailure, Tags,
} from './vpc-types.js';
export { Ec2ModelError, type Ec2ErrorCode } from './errors.js';
export { RESERVED_PER_SUBNET } from './subnet-pool.js';
export { parseIpv4, formatIpv4, parseCidr, formatCidr, type Cidr } from './ipv4.js';
export {
  LaunchTemplates, MAX_LAUNCH_TEMPLATES_PER_REGION, MAX_VERSIONS_PER_LAUNCH_TEMPLATE,
  type LaunchTemplate, type LaunchTemplateInfo, type LaunchTemplateData, type LaunchTemplateRef, type LaunchTemplateVersion, type ResolvedLaunchTemplate,
} from './launch-templates.js';
export { readVpcCniSettings, AWS_NODE_DAEMONSET, AWS_NODE_NAMESPACE, type VpcCniSettings } from './vpc-cni.js';
