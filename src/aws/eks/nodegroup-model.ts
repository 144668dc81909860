// EKS managed node groups: the wire shape (restJson1, epoch seconds) and the seams the node-group
// operations need from the rest of Kumo (the region's subnets, and whoever runs the group's nodes).
import type { Cluster, SubnetInfo, Tags } from './model.js';

export type NodegroupStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'CREATE_FAILED' | 'DELETE_FAILED' | 'DEGRADED';
export type CapacityType = 'ON_DEMAND' | 'SPOT' | 'CAPACITY_BLOCK';
export type TaintEffect = 'NO_SCHEDULE' | 'NO_EXECUTE' | 'PREFER_NO_SCHEDULE';

export interface NodegroupTaint {
  key: string;
  value?: string;
  effect: TaintEffect;
}

export interface NodegroupScaling {
  minSize: number;
  maxSize: number;
  desiredSize: number;
}

export interface NodegroupUpdateConfig {
  maxUnavailable?: number;
  maxUnavailablePercentage?: number;
}

export interface NodegroupIssue {
  code: string;
  message: string;
  resourceIds: string[];
}

export interface Nodegroup {
  nodegroupName: string;
  nodegroupArn: string;
  clusterName: string;
  version: string;
  releaseVersion: string;
  createdAt: number;
  modifiedAt: number;
  status: NodegroupStatus;
  capacityType: CapacityType;
  scalingConfig: NodegroupScaling;
  instanceTypes: string[];
  subnets: string[];
  remoteAccess?: { ec2SshKey?: string; sourceSecurityGroups?: string[] };
  amiType: string;
  nodeRole: string;
  labels: Record<string, string>;
  taints: NodegroupTaint[];
  resources: { autoScalingGroups: { name: string }[]; remoteAccessSecurityGroup?: string };
  diskSize?: number;
  health: { issues: NodegroupIssue[] };
  updateConfig: NodegroupUpdateConfig;
  launchTemplate?: { name?: string; version?: string; id?: string };
  tags: Tags;
}

/** The region's VPC model (subnets and security groups), read by CreateCluster and CreateNodegroup. */
export interface NetworkLookup {
  subnet(region: string, subnetId: string): SubnetInfo | undefined;
  securityGroup(region: string, groupId: string): { groupId: string; vpcId: string } | undefined;
}

/** How a version update ended when it did not succeed: an EKS update error (PodEvictionFailure, ...). */
export class NodegroupUpdateError extends Error {
  constructor(readonly errorCode: string, message: string, readonly resourceIds: string[] = []) {
    super(message);
  }
}

export interface NodegroupVersionTarget {
  version: string;
  releaseVersion: string;
  /** Evict pods even when a PodDisruptionBudget keeps refusing (UpdateNodegroupVersion force). */
  force: boolean;
}

/**
 * Runs a node group's instances and their Kubernetes nodes (main/ wires it to the cluster's
 * simulated kubelet). Every call for one group is serialized by the implementation.
 */
export interface NodegroupRuntime {
  /**
   * Brings the group to its spec (size; labels and taints changed since `previous` are applied to
   * running nodes); resolves once every node is Ready.
   */
  reconcile(cluster: Cluster, ng: Nodegroup, previous?: Nodegroup): Promise<void>;
  /** A rolling version update as EKS does it; rejects with NodegroupUpdateError. */
  upgrade(cluster: Cluster, ng: Nodegroup, target: NodegroupVersionTarget): Promise<void>;
  /** Drains and terminates every instance of the group. */
  remove(cluster: Cluster, ng: Nodegroup): Promise<void>;
}
