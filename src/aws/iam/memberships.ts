// Who holds whom: the groups a user belongs to and the instance profiles a role is in. Kept on the
// group and profile records; these lookups serve deletes, listings and policy evaluation.
import type { AwsStateStore } from '../state.js';
import type { GroupRecord, InstanceProfileRecord } from './model.js';

const holds = (names: string[], name: string) => names.some((n) => n.toLowerCase() === name.toLowerCase());

export async function groupsOfUser(state: AwsStateStore, userName: string): Promise<GroupRecord[]> {
  return (await state.list<GroupRecord>('group')).filter((g) => holds(g.Users, userName));
}

export async function profilesOfRole(state: AwsStateStore, roleName: string): Promise<InstanceProfileRecord[]> {
  return (await state.list<InstanceProfileRecord>('instanceprofile')).filter((p) => holds(p.Roles, roleName));
}
