// IAM groups: create/get/list/delete, membership (at most 10 groups per user), and the group's
// inline and attached policies, which count for every member user in policy evaluation.
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from '../errors.js';
import { uniqueId } from '../ids.js';
import type { XmlValue } from '../server/query.js';
import { checkName, checkPath, isoNow, page, pathPrefixFilter, required } from './common.js';
import type { IamAction, IamDeps } from './deps.js';
import { groupKey, type GroupRecord, type UserRecord } from './model.js';
import { groupsOfUser } from './memberships.js';
import { principalPolicyActions } from './principal-policies.js';
import { getUser, userXml } from './users.js';

/** IAM's quota of groups one user can belong to. */
const GROUPS_PER_USER = 10;

export async function getGroup(deps: IamDeps, name: string): Promise<GroupRecord> {
  const group = await deps.state.get<GroupRecord>('group', groupKey(name));
  if (!group) throw noSuchEntity(`The group with name ${name} cannot be found.`);
  return group;
}

const groupXml = (g: GroupRecord): XmlValue => ({ Path: g.Path, GroupName: g.GroupName, GroupId: g.GroupId, Arn: g.Arn, CreateDate: g.CreateDate });

const saveGroup = (deps: IamDeps, g: GroupRecord) => deps.state.put('group', groupKey(g.GroupName), g);

export const groupActions: Record<string, IamAction> = {
  async CreateGroup(p, ctx, deps) {
    const name = required(p, 'GroupName');
    checkName(name, 'GroupName', 128);
    const path = p.Path ?? '/';
    checkPath(path);
    if (await deps.state.get('group', groupKey(name))) throw entityAlreadyExists(`Group with name ${name} already exists.`);
    const group: GroupRecord = {
      GroupName: name,
      GroupId: uniqueId('AGPA'),
      Arn: `arn:aws:iam::${deps.accountId}:group${path}${name}`,
      Path: path,
      CreateDate: isoNow(ctx.clock.now()),
      AttachedPolicies: [],
      InlinePolicies: {},
      Users: [],
    };
    await saveGroup(deps, group);
    return { Group: groupXml(group) };
  },
  async GetGroup(p, _ctx, deps) {
    const group = await getGroup(deps, required(p, 'GroupName'));
    const users: UserRecord[] = [];
    for (const name of group.Users) {
      const u = await deps.state.get<UserRecord>('user', name.toLowerCase());
      if (u) users.push(u);
    }
    const pg = page(users, p);
    return { Group: groupXml(group), Users: pg.items.map((u) => userXml(u, false)), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
  },
  async ListGroups(p, _ctx, deps) {
    const pg = page(pathPrefixFilter(await deps.state.list<GroupRecord>('group'), p), p);
    return { Groups: pg.items.map(groupXml), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
  },
  async DeleteGroup(p, _ctx, deps) {
    const group = await getGroup(deps, required(p, 'GroupName'));
    if (group.Users.length) throw deleteConflict('Cannot delete entity, must remove users from group first.');
    if (group.AttachedPolicies.length || Object.keys(group.InlinePolicies).length) throw deleteConflict('Cannot delete entity, must delete policies first.');
    await deps.state.delete('group', groupKey(group.GroupName));
    return undefined;
  },
  async AddUserToGroup(p, _ctx, deps) {
    const group = await getGroup(deps, required(p, 'GroupName'));
    const user = await getUser(deps, required(p, 'UserName'));
    if (group.Users.some((u) => u.toLowerCase() === user.UserName.toLowerCase())) return undefined;
    if ((await groupsOfUser(deps.state, user.UserName)).length >= GROUPS_PER_USER) throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${GROUPS_PER_USER}`);
    group.Users.push(user.UserName);
    await saveGroup(deps, group);
    return undefined;
  },
  async RemoveUserFromGroup(p, _ctx, deps) {
    const group = await getGroup(deps, required(p, 'GroupName'));
    const user = await getUser(deps, required(p, 'UserName'));
    const lower = user.UserName.toLowerCase();
    if (!group.Users.some((u) => u.toLowerCase() === lower)) throw noSuchEntity(`The user with name ${user.UserName} cannot be found.`);
    group.Users = group.Users.filter((u) => u.toLowerCase() !== lower);
    await saveGroup(deps, group);
    return undefined;
  },
  // A rename or move keeps the group's id, members and policies; only its name, path and ARN change.
  async UpdateGroup(p, _ctx, deps) {
    const group = await getGroup(deps, required(p, 'GroupName'));
    const name = p.NewGroupName ?? group.GroupName;
    if (p.NewGroupName !== undefined) checkName(name, 'NewGroupName', 128);
    const path = p.NewPath ?? group.Path;
    if (p.NewPath !== undefined) checkPath(path);
    const renamed = groupKey(name) !== groupKey(group.GroupName);
    if (renamed && (await deps.state.get('group', groupKey(name)))) throw entityAlreadyExists(`Group with name ${name} already exists.`);
    const updated: GroupRecord = { ...group, GroupName: name, Path: path, Arn: `arn:aws:iam::${deps.accountId}:group${path}${name}` };
    await saveGroup(deps, updated);
    if (renamed) await deps.state.delete('group', groupKey(group.GroupName));
    return undefined;
  },
  async ListGroupsForUser(p, _ctx, deps) {
    const user = await getUser(deps, required(p, 'UserName'));
    const pg = page(await groupsOfUser(deps.state, user.UserName), p);
    return { Groups: pg.items.map(groupXml), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
  },
  ...principalPolicyActions({ kind: 'Group', load: getGroup, save: saveGroup }),
};
