import { createHash } from 'node:crypto';

// AWS managed policies present at arn:aws:iam::aws:policy/<name>, with their published
// documents (AWS Managed Policy Reference Guide). Only policies whose documents are carried
// here exist; the list grows as documents are added.

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
    description: 'Provides access to other AWS service resources that are required to run Amazon EKS pods on AWS Fargate.',
    versionId: 'v1',
    createDate: '2019-12-03T18:58:44Z',
    updateDate: '2019-12-03T18:58:44Z',
    document: doc([
      {
        Effect: 'Allow',
        Action: ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
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
