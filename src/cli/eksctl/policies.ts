// The IAM documents eksctl gives the roles it creates (pkg/cfn/builder: iam.go, iam_helper.go,
// statement.go): trust policies, the managed policies of each role, and the inline policies of
// wellKnownPolicies (service accounts) and withAddonPolicies (node groups), with eksctl's names.
import type { AddonPolicies, WellKnownPolicies } from './config.js';

export type Statement = Record<string, unknown>;
export interface InlinePolicy {
  name: string;
  statements: Statement[];
}

export const managedPolicyArn = (name: string) => `arn:aws:iam::aws:policy/${name}`;

export function document(statements: Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export function serviceTrust(...services: string[]): string {
  return document([{ Effect: 'Allow', Principal: { Service: services.length === 1 ? services[0] : services }, Action: ['sts:AssumeRole'] }]);
}

/** IRSA: web identities of the cluster's issuer for one service account, audience sts.amazonaws.com. */
export function irsaTrust(providerArn: string, issuerHostPath: string, namespace: string, name: string): string {
  return document([
    {
      Effect: 'Allow',
      Principal: { Federated: providerArn },
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Condition: { StringEquals: { [`${issuerHostPath}:aud`]: 'sts.amazonaws.com', [`${issuerHostPath}:sub`]: `system:serviceaccount:${namespace}:${name}` } },
    },
  ]);
}

export const CLUSTER_ROLE_POLICIES = ['AmazonEKSClusterPolicy', 'AmazonEKSVPCResourceController'];
export const NODE_ROLE_POLICIES = ['AmazonEC2ContainerRegistryReadOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonSSMManagedInstanceCore'];
export const FARGATE_ROLE_POLICIES = ['AmazonEKSFargatePodExecutionRolePolicy'];

const all = '*';
const allow = (Action: string[], Resource: string | string[] = all, Condition?: Record<string, unknown>): Statement =>
  Condition ? { Effect: 'Allow', Action, Resource, Condition } : { Effect: 'Allow', Action, Resource };

const clusterTagNull = (request: 'false' | 'true', resource?: 'false') =>
  ({ Null: { ...(request ? { 'aws:RequestTag/elbv2.k8s.aws/cluster': request } : {}), ...(resource ? { 'aws:ResourceTag/elbv2.k8s.aws/cluster': resource } : {}) } });

function loadBalancerController(): Statement[] {
  const elbResources = ['arn:aws:elasticloadbalancing:*:*:targetgroup/*/*', 'arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*', 'arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*'];
  return [
    allow(['iam:CreateServiceLinkedRole'], all, { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } }),
    allow([
      'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInternetGateways', 'ec2:DescribeVpcs',
      'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeTags', 'ec2:GetCoipPoolUsage', 'ec2:DescribeCoipPools', 'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeListenerCertificates',
      'elasticloadbalancing:DescribeSSLPolicies', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTags',
    ]),
    allow([
      'cognito-idp:DescribeUserPoolClient', 'acm:ListCertificates', 'acm:DescribeCertificate', 'iam:ListServerCertificates', 'iam:GetServerCertificate',
      'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'waf-regional:AssociateWebACL', 'waf-regional:DisassociateWebACL', 'wafv2:GetWebACL',
      'wafv2:GetWebACLForResource', 'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL', 'shield:GetSubscriptionState', 'shield:DescribeProtection',
      'shield:CreateProtection', 'shield:DeleteProtection',
    ]),
    allow(['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress']),
    allow(['ec2:CreateSecurityGroup']),
    allow(['ec2:CreateTags'], 'arn:aws:ec2:*:*:security-group/*', { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, ...clusterTagNull('false') }),
    allow(['ec2:CreateTags', 'ec2:DeleteTags'], 'arn:aws:ec2:*:*:security-group/*', clusterTagNull('true', 'false')),
    allow(['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'], all, { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } }),
    allow(['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'], all, clusterTagNull('false')),
    allow(['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule']),
    allow(['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'], elbResources, clusterTagNull('true', 'false')),
    allow(['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'], [
      'arn:aws:elasticloadbalancing:*:*:listener/net/*/*/*', 'arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*',
      'arn:aws:elasticloadbalancing:*:*:listener-rule/net/*/*/*', 'arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*',
    ]),
    allow([
      'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:SetSecurityGroups',
      'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup',
      'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup',
    ], all, { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } }),
    allow(['elasticloadbalancing:AddTags'], elbResources, { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] }, ...clusterTagNull('false') }),
    allow(['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], 'arn:aws:elasticloadbalancing:*:*:targetgroup/*/*'),
    allow(['elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:AddListenerCertificates',
      'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:ModifyRule']),
  ];
}

const autoScaler = (): Statement[] => [
  allow(['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLaunchConfigurations',
    'autoscaling:DescribeScalingActivities', 'autoscaling:DescribeTags', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplateVersions']),
  allow(['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup', 'ec2:DescribeImages',
    'ec2:GetInstanceTypesFromInstanceRequirements', 'eks:DescribeNodegroup']),
];
const changeSet = (): Statement[] => [allow(['route53:ChangeResourceRecordSets'], 'arn:aws:route53:::hostedzone/*')];
const externalDNSHostedZones = (): Statement[] => [allow(['route53:ListHostedZones', 'route53:ListResourceRecordSets', 'route53:ListTagsForResource'])];
const certManagerHostedZones = (): Statement[] => [allow(['route53:ListResourceRecordSets', 'route53:ListHostedZonesByName'])];
const certManagerGetChange = (): Statement[] => [allow(['route53:GetChange'], 'arn:aws:route53:::change/*')];
const ebs = (): Statement[] => [
  allow(['ec2:CreateSnapshot', 'ec2:AttachVolume', 'ec2:DetachVolume', 'ec2:ModifyVolume', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInstances',
    'ec2:DescribeSnapshots', 'ec2:DescribeTags', 'ec2:DescribeVolumes', 'ec2:DescribeVolumesModifications']),
  allow(['ec2:CreateTags'], ['arn:aws:ec2:*:*:volume/*', 'arn:aws:ec2:*:*:snapshot/*'], { StringEquals: { 'ec2:CreateAction': ['CreateVolume', 'CreateSnapshot'] } }),
  allow(['ec2:DeleteTags'], ['arn:aws:ec2:*:*:volume/*', 'arn:aws:ec2:*:*:snapshot/*']),
  allow(['ec2:CreateVolume'], all, { StringLike: { 'aws:RequestTag/ebs.csi.aws.com/cluster': 'true' } }),
  allow(['ec2:CreateVolume'], all, { StringLike: { 'aws:RequestTag/CSIVolumeName': '*' } }),
  allow(['ec2:DeleteVolume'], all, { StringLike: { 'ec2:ResourceTag/ebs.csi.aws.com/cluster': 'true' } }),
  allow(['ec2:DeleteVolume'], all, { StringLike: { 'ec2:ResourceTag/CSIVolumeName': '*' } }),
  allow(['ec2:DeleteVolume'], all, { StringLike: { 'ec2:ResourceTag/kubernetes.io/created-for/pvc/name': '*' } }),
  allow(['ec2:DeleteSnapshot'], all, { StringLike: { 'ec2:ResourceTag/CSIVolumeSnapshotName': '*' } }),
  allow(['ec2:DeleteSnapshot'], all, { StringLike: { 'ec2:ResourceTag/ebs.csi.aws.com/cluster': 'true' } }),
];
const efsCSIController = (): Statement[] => [
  allow(['elasticfilesystem:DescribeAccessPoints', 'elasticfilesystem:DescribeFileSystems']),
  allow(['elasticfilesystem:CreateAccessPoint'], all, { StringLike: { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true' } }),
  allow(['elasticfilesystem:TagResource'], all, { StringLike: { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true' } }),
  allow(['elasticfilesystem:DeleteAccessPoint'], all, { StringLike: { 'aws:ResourceTag/efs.csi.aws.com/cluster': 'true' } }),
];
const appMesh = (extra: string): Statement[] => [
  allow(['servicediscovery:CreateService', 'servicediscovery:DeleteService', 'servicediscovery:GetService', 'servicediscovery:GetInstance',
    'servicediscovery:RegisterInstance', 'servicediscovery:DeregisterInstance', 'servicediscovery:ListInstances', 'servicediscovery:ListNamespaces',
    'servicediscovery:ListServices', 'servicediscovery:GetInstancesHealthStatus', 'servicediscovery:UpdateInstanceCustomHealthStatus',
    'servicediscovery:GetOperation', 'route53:GetHealthCheck', 'route53:CreateHealthCheck', 'route53:UpdateHealthCheck',
    'route53:ChangeResourceRecordSets', 'route53:DeleteHealthCheck', extra]),
];
const xRay = (): Statement[] => [allow(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'])];

export interface RolePolicies {
  managed: string[];
  inline: InlinePolicy[];
}

/** createWellKnownPolicies: the policies of an IRSA role's wellKnownPolicies. */
export function wellKnownPolicies(wk: WellKnownPolicies): RolePolicies {
  const managed: string[] = [];
  const inline: InlinePolicy[] = [];
  if (wk.imageBuilder) managed.push('AmazonEC2ContainerRegistryPowerUser');
  if (wk.autoScaler) inline.push({ name: 'PolicyAutoScaling', statements: autoScaler() });
  if (wk.awsLoadBalancerController) inline.push({ name: 'PolicyAWSLoadBalancerController', statements: loadBalancerController() });
  if (wk.externalDNS) {
    inline.push({ name: 'PolicyExternalDNSChangeSet', statements: changeSet() }, { name: 'PolicyExternalDNSHostedZones', statements: externalDNSHostedZones() });
  }
  if (wk.certManager) {
    inline.push(
      { name: 'PolicyCertManagerChangeSet', statements: changeSet() },
      { name: 'PolicyCertManagerGetChange', statements: certManagerGetChange() },
      { name: 'PolicyCertManagerHostedZones', statements: certManagerHostedZones() },
    );
  }
  if (wk.ebsCSIController) inline.push({ name: 'PolicyEBSCSIController', statements: ebs() });
  if (wk.efsCSIController) inline.push({ name: 'PolicyEFSCSIController', statements: efsCSIController() });
  return { managed, inline };
}

/** createRole/makeManagedPolicies: a node role's policies beyond the defaults, from withAddonPolicies. */
export function addonPolicies(a: AddonPolicies): RolePolicies {
  const managed: string[] = [];
  const inline: InlinePolicy[] = [];
  if (a.imageBuilder) managed.push('AmazonEC2ContainerRegistryPowerUser');
  if (a.cloudWatch) managed.push('CloudWatchAgentServerPolicy');
  if (a.autoScaler) inline.push({ name: 'PolicyAutoScaling', statements: autoScaler() });
  if (a.certManager) {
    inline.push(
      { name: 'PolicyCertManagerChangeSet', statements: changeSet() },
      { name: 'PolicyCertManagerHostedZones', statements: certManagerHostedZones() },
      { name: 'PolicyCertManagerGetChange', statements: certManagerGetChange() },
    );
  }
  if (a.externalDNS) {
    inline.push({ name: 'PolicyExternalDNSChangeSet', statements: changeSet() }, { name: 'PolicyExternalDNSHostedZones', statements: externalDNSHostedZones() });
  }
  if (a.appMesh) inline.push({ name: 'PolicyAppMesh', statements: appMesh('appmesh:*') });
  if (a.appMeshPreview) inline.push({ name: 'PolicyAppMeshPreview', statements: appMesh('appmesh-preview:*') });
  if (a.ebs) inline.push({ name: 'PolicyEBS', statements: ebs() });
  if (a.fsx) {
    inline.push(
      { name: 'PolicyFSX', statements: [allow(['fsx:*'])] },
      { name: 'PolicyServiceLinkRole', statements: [allow(['iam:CreateServiceLinkedRole', 'iam:AttachRolePolicy', 'iam:PutRolePolicy'], 'arn:aws:iam::*:role/aws-service-role/*')] },
    );
  }
  if (a.efs) {
    inline.push(
      { name: 'PolicyEFS', statements: [allow(['elasticfilesystem:*'])] },
      { name: 'PolicyEFSEC2', statements: [allow(['ec2:DescribeSubnets', 'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface',
        'ec2:ModifyNetworkInterfaceAttribute', 'ec2:DescribeNetworkInterfaceAttribute'])] },
    );
  }
  // albIngress is eksctl's older name for awsLoadBalancerController.
  if (a.awsLoadBalancerController || a.albIngress) inline.push({ name: 'PolicyAWSLoadBalancerController', statements: loadBalancerController() });
  if (a.xRay) inline.push({ name: 'PolicyXRay', statements: xRay() });
  return { managed, inline };
}
