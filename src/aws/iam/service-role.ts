// Whether an AWS service may assume a role: the role exists in IAM and its trust policy allows the
// service principal sts:AssumeRole — what EKS checks for a cluster's role before it creates anything.
import type { AwsStateStore } from '../state.js';
import { roleKey, type RoleRecord } from './model.js';
import { evaluateTrust, parsePolicy } from './policy/index.js';

/** `context` carries the keys the service sends along (aws:SourceAccount, aws:SourceArn). */
export type ServiceRoleCheck = (roleArn: string, servicePrincipal: string, context?: Record<string, string>) => Promise<boolean>;

export function serviceRoleCheck(state: AwsStateStore): ServiceRoleCheck {
  return async (roleArn, servicePrincipal, context = {}) => {
    const name = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(roleArn)?.[1];
    if (!name) return false;
    const role = await state.get<RoleRecord>('role', roleKey(name));
    // The ARN must name this role exactly: account and path included.
    if (!role || role.Arn !== roleArn) return false;
    const trust = parsePolicy(role.AssumeRolePolicyDocument, 'trust');
    return evaluateTrust(trust, { principal: { type: 'Service', ids: [servicePrincipal] }, action: 'sts:AssumeRole', resource: role.Arn, context }) === 'Allow';
  };
}
