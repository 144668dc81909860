// The VPC model's objects, shaped after the EC2 API's (camelCase of DescribeVpcs & co.).

export type Tags = Record<string, string>;

export interface AvailabilityZone {
  zoneName: string;
  zoneId: string;
  regionName: string;
  state: 'available';
}

export interface Vpc {
  vpcId: string;
  cidrBlock: string;
  isDefault: boolean;
  state: 'available';
  tags: Tags;
}

export interface Subnet {
  subnetId: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  availabilityZoneId: string;
  /** Public subnets route to an internet gateway and map public IPs on launch. */
  mapPublicIpOnLaunch: boolean;
  defaultForAz: boolean;
  state: 'available';
  tags: Tags;
  /** Computed on read: usable addresses not assigned. */
  availableIpAddressCount: number;
}

export interface SecurityGroupRule {
  /** "-1" for all protocols, else "tcp", "udp", "icmp". */
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string[];
  /** Sources/destinations given as security groups. */
  groupIds?: string[];
}

export interface SecurityGroup {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  ingress: SecurityGroupRule[];
  egress: SecurityGroupRule[];
  tags: Tags;
}

export interface NetworkInterface {
  networkInterfaceId: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  instanceId: string;
  /** 0 for the primary ENI. */
  deviceIndex: number;
  privateIpAddress: string;
  secondaryPrivateIpAddresses: string[];
  /** /28 prefixes (prefix delegation). */
  ipv4Prefixes: string[];
  securityGroupIds: string[];
  status: 'in-use';
}

/** The VPC CNI's view of one node. */
export interface NodeNetwork {
  instanceId: string;
  instanceType: string;
  subnetId: string;
  prefixDelegation: boolean;
  /** The primary ENI's primary address: the node's InternalIP. */
  privateIp: string;
  networkInterfaceIds: string[];
  /** Pod IP → the ENI it belongs to. */
  podIps: Record<string, string>;
}

export type PodIpFailure = 'InsufficientFreeAddressesInSubnet' | 'InsufficientCidrBlocks' | 'NodeAddressLimit';

export type PodIpResult =
  | { ip: string; networkInterfaceId: string }
  | {
      error: PodIpFailure;
      /** What the aws-cni plugin reports in the FailedCreatePodSandBox event. */
      message: string;
    };
