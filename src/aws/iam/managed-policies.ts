// AWS managed policies present at arn:aws:iam::aws:policy/<name>, with their published default
// versions (AWS Managed Policy Reference Guide, docs.aws.amazon.com/aws-managed-policy). Only
// policies whose documents are carried here exist; the list grows as documents are added.
import { createHash } from 'node:crypto';

export interface AwsManagedPolicy {
  name: string;
  path: string;
  policyId: string;
  /** Left out where the published text is not carried. */
  description?: string;
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
  // AWS Managed Policy Reference Guide, docs.aws.amazon.com/aws-managed-policy/latest/reference/<name>:
  // AmazonEKSClusterPolicy v10 (default), edited 2026-02-12 17:58 UTC. The document is v10's as recorded by
  // the managed-policy history github.com/zoph-io/IAMTrail (policies/AmazonEKSClusterPolicy, CreateDate
  // 2026-02-12T17:58:15Z); its statements are the same as v9's.
  {
    name: 'AmazonEKSClusterPolicy',
    path: '/',
    policyId: kumoPolicyId('AmazonEKSClusterPolicy'),
    description:
      'This policy provides Kubernetes the permissions it requires to manage resources on your behalf. Kubernetes requires Ec2:CreateTags permissions to place identifying information on EC2 resources including but not limited to Instances, Security Groups, and Elastic Network Interfaces.',
    versionId: 'v10',
    createDate: '2018-05-27T21:06:00Z',
    updateDate: '2026-02-12T17:58:15Z',
    document: doc([
      {
        Sid: 'AmazonEKSClusterPolicy',
        Effect: 'Allow',
        Action: [
          'autoscaling:DescribeAutoScalingGroups', 'autoscaling:UpdateAutoScalingGroup', 'ec2:AttachVolume', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:CreateRoute',
          'ec2:CreateSecurityGroup', 'ec2:CreateTags', 'ec2:CreateVolume', 'ec2:DeleteRoute', 'ec2:DeleteSecurityGroup', 'ec2:DeleteVolume', 'ec2:DescribeInstances',
          'ec2:DescribeRouteTables', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVolumes', 'ec2:DescribeVolumesModifications', 'ec2:DescribeVpcs',
          'ec2:DescribeDhcpOptions', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeAvailabilityZones', 'ec2:DetachVolume', 'ec2:ModifyInstanceAttribute', 'ec2:ModifyVolume',
          'ec2:RevokeSecurityGroupIngress', 'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeInternetGateways', 'ec2:DescribeInstanceTopology',
          'elasticloadbalancing:AddTags', 'elasticloadbalancing:ApplySecurityGroupsToLoadBalancer', 'elasticloadbalancing:AttachLoadBalancerToSubnets',
          'elasticloadbalancing:ConfigureHealthCheck', 'elasticloadbalancing:CreateListener', 'elasticloadbalancing:CreateLoadBalancer',
          'elasticloadbalancing:CreateLoadBalancerListeners', 'elasticloadbalancing:CreateLoadBalancerPolicy', 'elasticloadbalancing:CreateTargetGroup',
          'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:DeleteLoadBalancerListeners',
          'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:DeregisterInstancesFromLoadBalancer', 'elasticloadbalancing:DeregisterTargets',
          'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeLoadBalancerPolicies',
          'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetGroups',
          'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DetachLoadBalancerFromSubnets', 'elasticloadbalancing:ModifyListener',
          'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:ModifyTargetGroupAttributes',
          'elasticloadbalancing:RegisterInstancesWithLoadBalancer', 'elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:SetLoadBalancerPoliciesForBackendServer',
          'elasticloadbalancing:SetLoadBalancerPoliciesOfListener', 'kms:DescribeKey',
        ],
        Resource: '*',
      },
      {
        Sid: 'AmazonEKSClusterPolicySLRCreate',
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: '*',
        Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
      },
      {
        Sid: 'AmazonEKSClusterPolicyENIDelete',
        Effect: 'Allow',
        Action: 'ec2:DeleteNetworkInterface',
        Resource: '*',
        Condition: { StringEquals: { 'ec2:ResourceTag/eks:eni:owner': 'amazon-vpc-cni' } },
      },
    ]),
  },
  {
    name: 'AmazonEKSVPCResourceController',
    path: '/',
    policyId: kumoPolicyId('AmazonEKSVPCResourceController'),
    description: 'Policy used by VPC Resource Controller to manage ENI and IPs for worker nodes.',
    versionId: 'v1',
    createDate: '2020-08-12T00:55:34Z',
    updateDate: '2020-08-12T00:55:34Z',
    document: doc([
      { Effect: 'Allow', Action: 'ec2:CreateNetworkInterfacePermission', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'ec2:ResourceTag/eks:eni:owner': 'eks-vpc-resource-controller' } } },
      {
        Effect: 'Allow',
        Action: ['ec2:CreateNetworkInterface', 'ec2:DetachNetworkInterface', 'ec2:ModifyNetworkInterfaceAttribute', 'ec2:DeleteNetworkInterface', 'ec2:AttachNetworkInterface', 'ec2:UnassignPrivateIpAddresses', 'ec2:AssignPrivateIpAddresses'],
        Resource: '*',
      },
    ]),
  },
  {
    name: 'AmazonEKSServicePolicy',
    path: '/',
    policyId: kumoPolicyId('AmazonEKSServicePolicy'),
    description: 'This policy allows Amazon Elastic Container Service for Kubernetes to create and manage the necessary resources to operate EKS Clusters.',
    versionId: 'v7',
    createDate: '2018-05-27T21:08:00Z',
    updateDate: '2024-10-14T21:12:00Z',
    document: doc([
      {
        Effect: 'Allow',
        Action: [
          'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces',
          'ec2:DetachNetworkInterface', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:ModifyNetworkInterfaceAttribute',
          'iam:ListAttachedRolePolicies', 'eks:UpdateClusterVersion', 'ec2:GetSecurityGroupsForVpc',
        ],
        Resource: '*',
      },
      { Effect: 'Allow', Action: ['ec2:CreateTags', 'ec2:DeleteTags'], Resource: ['arn:aws:ec2:*:*:vpc/*', 'arn:aws:ec2:*:*:subnet/*'] },
      { Effect: 'Allow', Action: ['ec2:CreateTags'], Resource: ['arn:aws:ec2:*:*:network-interface/*'], Condition: { StringLike: { 'aws:RequestTag/Name': 'eks-cluster-*' } } },
      { Effect: 'Allow', Action: 'route53:AssociateVPCWithHostedZone', Resource: '*' },
      { Effect: 'Allow', Action: 'logs:CreateLogGroup', Resource: '*' },
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams'], Resource: 'arn:aws:logs:*:*:log-group:/aws/eks/*:*' },
      { Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: 'arn:aws:logs:*:*:log-group:/aws/eks/*:*:*' },
      {
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: 'arn:aws:iam::*:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS',
        Condition: { StringLike: { 'iam:AWSServiceName': 'eks.amazonaws.com' } },
      },
    ]),
  },
  {
    name: 'AmazonSSMManagedInstanceCore',
    path: '/',
    policyId: kumoPolicyId('AmazonSSMManagedInstanceCore'),
    description: 'The policy for Amazon EC2 Role to enable AWS Systems Manager service core functionality.',
    versionId: 'v2',
    createDate: '2019-03-15T17:22:00Z',
    updateDate: '2019-05-23T16:54:21Z',
    document: doc([
      {
        Effect: 'Allow',
        Action: [
          'ssm:DescribeAssociation', 'ssm:GetDeployablePatchSnapshotForInstance', 'ssm:GetDocument', 'ssm:DescribeDocument', 'ssm:GetManifest', 'ssm:GetParameter',
          'ssm:GetParameters', 'ssm:ListAssociations', 'ssm:ListInstanceAssociations', 'ssm:PutInventory', 'ssm:PutComplianceItems', 'ssm:PutConfigurePackageResult',
          'ssm:UpdateAssociationStatus', 'ssm:UpdateInstanceAssociationStatus', 'ssm:UpdateInstanceInformation',
        ],
        Resource: '*',
      },
      { Effect: 'Allow', Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['ec2messages:AcknowledgeMessage', 'ec2messages:DeleteMessage', 'ec2messages:FailMessage', 'ec2messages:GetEndpoint', 'ec2messages:GetMessages', 'ec2messages:SendReply'],
        Resource: '*',
      },
    ]),
  },
  {
    // eksctl attaches it to node roles with iam.withAddonPolicies.cloudWatch. The document is the
    // published one (2024); the version id and dates are Kumo's, the published ones were not at hand.
    name: 'CloudWatchAgentServerPolicy',
    path: '/',
    policyId: kumoPolicyId('CloudWatchAgentServerPolicy'),
    versionId: 'v1',
    createDate: '2024-01-01T00:00:00Z',
    updateDate: '2024-01-01T00:00:00Z',
    document: doc([
      {
        Sid: 'CWACloudWatchServerPermissions',
        Effect: 'Allow',
        Action: [
          'cloudwatch:PutMetricData', 'ec2:DescribeVolumes', 'ec2:DescribeTags', 'logs:PutLogEvents', 'logs:PutRetentionPolicy', 'logs:DescribeLogStreams',
          'logs:DescribeLogGroups', 'logs:CreateLogStream', 'logs:CreateLogGroup', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules',
          'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries',
        ],
        Resource: '*',
      },
      { Sid: 'CWASSMServerPermissions', Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: 'arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*' },
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
