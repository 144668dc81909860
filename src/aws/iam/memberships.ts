// Who holds whom: the groups a user belongs to, the instance profiles a role is in, the principals
// using a managed policy. Kept on the group, profile and principal records; these lookups serve
// deletes, listings and policy evaluation.
import type { AwsStateStore } from '../state.js';
import type { GroupRecord, InstanceProfileRecord, RoleRecord, UserRecord } from './model.js';

const holds = (names: string[], name: string) => names.some((n) => n.toLowerCase() === name.toLowerCase());

export async function groupsOfUser(state: AwsStateStore, userName: string): Promise<GroupRecord[]> {
  return (await state.list<GroupRecord>('group')).filter((g) => holds(g.Users, userName));
}

export async function profilesOfRole(state: AwsStateStore, roleName: string): Promise<InstanceProfileRecord[]> {
  return (await state.list<InstanceProfileRecord>('instanceprofile')).filter((p) => holds(p.Roles, roleName));
}

export type PolicyUsage = 'PermissionsPolicy' | 'PermissionsBoundary';

export interface PolicyEntity {
  kind: 'Group' | 'User' | 'Role';
  name: string;
  id: string;
  path: string;
}

function uses(holder: { AttachedPolicies: string[]; PermissionsBoundary?: string }, arn: string, usage?: PolicyUsage): boolean {
  const attached = holder.AttachedPolicies.includes(arn);
  const bounds = holder.PermissionsBoundary === arn;
  return usage === 'PermissionsPolicy' ? attached : usage === 'PermissionsBoundary' ? bounds : attached || bounds;
}

/** Groups, then users, then roles, each in name order, that use the policy the given way. */
export async function entitiesUsing(state: AwsStateStore, arn: string, usage?: PolicyUsage): Promise<PolicyEntity[]> {
  const groups = (await state.list<GroupRecord>('group')).filter((g) => uses(g, arn, usage));
  const users = (await state.list<UserRecord>('user')).filter((u) => uses(u, arn, usage));
  const roles = (await state.list<RoleRecord>('role')).filter((r) => uses(r, arn, usage));
  return [
    ...groups.map((g): PolicyEntity => ({ kind: 'Group', name: g.GroupName, id: g.GroupId, path: g.Path })),
    ...users.map((u): PolicyEntity => ({ kind: 'User', name: u.UserName, id: u.UserId, path: u.Path })),
    ...roles.map((r): PolicyEntity => ({ kind: 'Role', name: r.RoleName, id: r.RoleId, path: r.Path })),
  ];
}

export type PolicyUsageCounts = (arn: string) => { attachments: number; boundaries: number };

/**
 * AttachmentCount and PermissionsBoundaryUsageCount of managed policies, over one read of the groups, users
 * and roles: a listing counts every policy it answers against the same read.
 */
export async function policyUsageCounts(state: AwsStateStore): Promise<PolicyUsageCounts> {
  const holders = [...(await state.list<GroupRecord>('group')), ...(await state.list<UserRecord>('user')), ...(await state.list<RoleRecord>('role'))];
  return (arn) => ({
    attachments: holders.filter((h) => uses(h, arn, 'PermissionsPolicy')).length,
    boundaries: holders.filter((h) => uses(h, arn, 'PermissionsBoundary')).length,
  });
}
