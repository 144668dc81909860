// AWS managed policies present at arn:aws:iam::aws:policy/<name>, with their published default
// versions (AWS Managed Policy Reference Guide, docs.aws.amazon.com/aws-managed-policy). Only
// policies whose documents are carried here exist; the list grows as documents are added.
import { createHash } from 'node:crypto';

export interface AwsManagedPolicy {
  name: string;
  path: string;
  policyId: string;
  description: string;
  /** Version id of the published default version. */
  versionId: string;
  createDate: string;
  updateDate: string;
  document: string;
}

/** AWS's own policy id where known; otherwise a stable id of the same shape derived from the name. */
const kumoPolicyId = (name: string) => 'ANPA' + createHash('sha256').update(name).digest('hex').toUpperCase().replace(/[^A-Z2-7]/g, '').padEnd(17, 'A').slice(0, 17);

const doc = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

const POLICIES: AwsManagedPolicy[] = [
  {
    name: 'AdministratorAccess',
    path: '/',
    policyId: 'ANPAIWMBCKSKIEE64ZLYK',
    description: 'Provides full access to AWS services and resources.',
    versionId: 'v1',
    createDate: '2015-02-06T18:39:46Z',
    updateDate: '2015-02-06T18:39:46Z',
    document: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
  },
  {
    name: 'AmazonEKSFargatePodExecutionRolePolicy',
    path: '/',
    policyId: kumoPolicyId('AmazonEKSFargatePodExecutionRolePolicy'),
    description: 'Provides access to other AWS service resources that are required to run Amazon EKS pods on AWS Fargate',
    versionId: 'v1',
    createDate: '2019-11-22T04:34:00Z',
    updateDate: '2019-11-22T04:34:00Z',
    document: doc([
      {
        Effect: 'Allow',
        Action: ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        Resource: '*',
      },
    ]),
  },
  {
    name: 'AmazonEKSWorkerNodePolicy',
    path: '/',
    policyId: kumoPolicyId('AmazonEKSWorkerNodePolicy'),
    description: 'This policy allows Amazon EKS worker nodes to connect to Amazon EKS Clusters.',
    versionId: 'v3',
    createDate: '2018-05-27T21:09:00Z',
    updateDate: '2023-11-27T00:06:00Z',
    document: doc([
      {
        Sid: 'WorkerNodePermissions',
        Effect: 'Allow',
        Action: [
          'ec2:DescribeInstances', 'ec2:DescribeInstanceTypes', 'ec2:DescribeRouteTables', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets',
          'ec2:DescribeVolumes', 'ec2:DescribeVolumesModifications', 'ec2:DescribeVpcs', 'eks:DescribeCluster', 'eks-auth:AssumeRoleForPodIdentity',
        ],
        Resource: '*',
      },
    ]),
  },
  {
    name: 'AmazonEKS_CNI_Policy',
    path: '/',
    policyId: kumoPolicyId('AmazonEKS_CNI_Policy'),
    description:
      'This policy provides the Amazon VPC CNI Plugin (amazon-vpc-cni-k8s) the permissions it requires to modify the IP address configuration on your EKS worker nodes. This permission set allows the CNI to list, describe, and modify Elastic Network Interfaces on your behalf. More information on the AWS VPC CNI Plugin is available here: https://github.com/aws/amazon-vpc-cni-k8s',
    versionId: 'v5',
    createDate: '2018-05-27T21:07:00Z',
    updateDate: '2024-03-04T20:20:00Z',
    document: doc([
      {
        Sid: 'AmazonEKSCNIPolicy',
        Effect: 'Allow',
        Action: [
          'ec2:AssignPrivateIpAddresses', 'ec2:AttachNetworkInterface', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeInstances',
          'ec2:DescribeTags', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeInstanceTypes', 'ec2:DescribeSubnets', 'ec2:DetachNetworkInterface',
          'ec2:ModifyNetworkInterfaceAttribute', 'ec2:UnassignPrivateIpAddresses',
        ],
        Resource: '*',
      },
      { Sid: 'AmazonEKSCNIPolicyENITag', Effect: 'Allow', Action: ['ec2:CreateTags'], Resource: ['arn:aws:ec2:*:*:network-interface/*'] },
    ]),
  },
  {
    name: 'AmazonEC2ContainerRegistryReadOnly',
    path: '/',
    policyId: kumoPolicyId('AmazonEC2ContainerRegistryReadOnly'),
    description: 'Provides read-only access to Amazon EC2 Container Registry repositories.',
    versionId: 'v3',
    createDate: '2015-12-21T17:04:00Z',
    updateDate: '2019-12-10T20:56:00Z',
    document: doc([
      {
        Effect: 'Allow',
        Action: [
          'ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:GetRepositoryPolicy', 'ecr:DescribeRepositories',
          'ecr:ListImages', 'ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:GetLifecyclePolicy', 'ecr:GetLifecyclePolicyPreview', 'ecr:ListTagsForResource',
          'ecr:DescribeImageScanFindings',
        ],
        Resource: '*',
      },
    ]),
  },
];

const BY_ARN = new Map(POLICIES.map((p) => [`arn:aws:iam::aws:policy${p.path}${p.name}`, p]));

export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return BY_ARN.get(arn);
}

export function awsManagedPolicies(): { arn: string; policy: AwsManagedPolicy }[] {
  return [...BY_ARN.entries()].map(([arn, policy]) => ({ arn, policy }));
}
