// EC2 instance types a simulated node can be, with the facts the kubelet needs (vCPU, memory,
// max pods). Values from /work/shared/notes/ec2/instance-types.csv (Karpenter's instance-type
// reference and the EKS AMI's eni-max-pods.txt: max pods = ENIs * (IPv4 per ENI - 1) + 2).

export interface InstanceType {
  name: string;
  vcpu: number;
  memoryMiB: number;
  /** Max pods in the VPC CNI's default secondary-IP mode. */
  maxPods: number;
  arch: 'amd64' | 'arm64';
}

const ROWS: Array<[string, number, number, number, 'amd64' | 'arm64']> = [
  ['t3.micro', 2, 1024, 4, 'amd64'],
  ['t3.small', 2, 2048, 11, 'amd64'],
  ['t3.medium', 2, 4096, 17, 'amd64'],
  ['t3.large', 2, 8192, 35, 'amd64'],
  ['t3.xlarge', 4, 16384, 58, 'amd64'],
  ['t3.2xlarge', 8, 32768, 58, 'amd64'],
  ['m5.large', 2, 8192, 29, 'amd64'],
  ['m5.xlarge', 4, 16384, 58, 'amd64'],
  ['m5.2xlarge', 8, 32768, 58, 'amd64'],
  ['m5.4xlarge', 16, 65536, 234, 'amd64'],
  ['m6i.large', 2, 8192, 29, 'amd64'],
  ['m6i.xlarge', 4, 16384, 58, 'amd64'],
  ['c5.large', 2, 4096, 29, 'amd64'],
  ['c5.xlarge', 4, 8192, 58, 'amd64'],
  ['r5.large', 2, 16384, 29, 'amd64'],
  ['r5.xlarge', 4, 32768, 58, 'amd64'],
  ['m6g.large', 2, 8192, 29, 'arm64'],
  ['m6g.xlarge', 4, 16384, 58, 'arm64'],
  ['m7g.large', 2, 8192, 29, 'arm64'],
];

const CATALOG = new Map<string, InstanceType>(ROWS.map(([name, vcpu, memoryMiB, maxPods, arch]) => [name, { name, vcpu, memoryMiB, maxPods, arch }]));

export const DEFAULT_INSTANCE_TYPE = 'm5.large';

export function instanceType(name: string): InstanceType | undefined {
  return CATALOG.get(name);
}

export function instanceTypeNames(): string[] {
  return [...CATALOG.keys()];
}
