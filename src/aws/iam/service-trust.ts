// Whether a role's trust policy lets an AWS service assume it, as the service checks before using
// a role it was handed (EKS's pod execution role: eks-fargate-pods.amazonaws.com, with the Fargate
// profile's ARN as aws:SourceArn and the account as aws:SourceAccount).
import type { AwsStateStore } from '../state.js';
import { roleKey, type RoleRecord } from './model.js';
import { evaluateTrust, parsePolicy } from './policy/index.js';

export async function serviceCanAssumeRole(state: AwsStateStore, roleArn: string, service: string, sourceArn: string): Promise<boolean> {
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
  if (!m) return false;
  const role = await state.get<RoleRecord>('role', roleKey(m[2]));
  if (!role || role.Arn !== roleArn) return false;
  const sourceAccount = sourceArn.split(':')[4] ?? '';
  const decision = evaluateTrust(parsePolicy(role.AssumeRolePolicyDocument, 'trust'), {
    principal: { type: 'Service', ids: [service] },
    action: 'sts:AssumeRole',
    resource: role.Arn,
    context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': sourceAccount },
  });
  return decision === 'Allow';
}
