// IAM instance profiles: containers for one role that EC2 instances (and node groups) are given.
// A role in a profile cannot be deleted until it is removed (DeleteConflict), as in IAM.
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from '../errors.js';
import { uniqueId } from '../ids.js';
import type { XmlValue } from '../server/query.js';
import { checkName, checkPath, isoNow, page, parseTags, pathPrefixFilter, required, tagsXml } from './common.js';
import type { IamAction, IamDeps } from './deps.js';
import { instanceProfileKey, roleKey, type InstanceProfileRecord, type RoleRecord } from './model.js';
import { profilesOfRole } from './memberships.js';
import { getRole, roleXml } from './roles.js';

/** IAM's quota of roles in one instance profile. */
const ROLES_PER_PROFILE = 1;

export async function getInstanceProfile(deps: IamDeps, name: string): Promise<InstanceProfileRecord> {
  const profile = await deps.state.get<InstanceProfileRecord>('instanceprofile', instanceProfileKey(name));
  if (!profile) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return profile;
}

async function profileXml(deps: IamDeps, p: InstanceProfileRecord, withTags: boolean): Promise<XmlValue> {
  const roles: XmlValue[] = [];
  for (const name of p.Roles) {
    const role = await deps.state.get<RoleRecord>('role', roleKey(name));
    if (role) roles.push(roleXml(role, false));
  }
  return {
    Path: p.Path,
    InstanceProfileName: p.InstanceProfileName,
    InstanceProfileId: p.InstanceProfileId,
    Arn: p.Arn,
    CreateDate: p.CreateDate,
    Roles: roles,
    Tags: withTags && p.Tags.length ? tagsXml(p.Tags) : undefined,
  };
}

export const saveProfile = (deps: IamDeps, p: InstanceProfileRecord) => deps.state.put('instanceprofile', instanceProfileKey(p.InstanceProfileName), p);

export const instanceProfileActions: Record<string, IamAction> = {
  async CreateInstanceProfile(p, ctx, deps) {
    const name = required(p, 'InstanceProfileName');
    checkName(name, 'InstanceProfileName', 128);
    const path = p.Path ?? '/';
    checkPath(path);
    const tags = parseTags(p);
    if (await deps.state.get('instanceprofile', instanceProfileKey(name))) throw entityAlreadyExists(`Instance Profile ${name} already exists.`);
    const profile: InstanceProfileRecord = {
      InstanceProfileName: name,
      InstanceProfileId: uniqueId('AIPA'),
      Arn: `arn:aws:iam::${deps.accountId}:instance-profile${path}${name}`,
      Path: path,
      CreateDate: isoNow(ctx.clock.now()),
      Roles: [],
      Tags: tags,
    };
    await saveProfile(deps, profile);
    return { InstanceProfile: await profileXml(deps, profile, true) };
  },
  async GetInstanceProfile(p, _ctx, deps) {
    return { InstanceProfile: await profileXml(deps, await getInstanceProfile(deps, required(p, 'InstanceProfileName')), true) };
  },
  async ListInstanceProfiles(p, _ctx, deps) {
    const pg = page(pathPrefixFilter(await deps.state.list<InstanceProfileRecord>('instanceprofile'), p), p);
    return { InstanceProfiles: await Promise.all(pg.items.map((x) => profileXml(deps, x, false))), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
  },
  async ListInstanceProfilesForRole(p, _ctx, deps) {
    const role = await getRole(deps, required(p, 'RoleName'));
    const pg = page(await profilesOfRole(deps.state, role.RoleName), p);
    return { InstanceProfiles: await Promise.all(pg.items.map((x) => profileXml(deps, x, false))), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
  },
  async AddRoleToInstanceProfile(p, _ctx, deps) {
    const profile = await getInstanceProfile(deps, required(p, 'InstanceProfileName'));
    const role = await getRole(deps, required(p, 'RoleName'));
    if (profile.Roles.length >= ROLES_PER_PROFILE) throw limitExceeded(`Cannot exceed quota for InstanceSessionsPerInstanceProfile: ${ROLES_PER_PROFILE}`);
    profile.Roles.push(role.RoleName);
    await saveProfile(deps, profile);
    return undefined;
  },
  async RemoveRoleFromInstanceProfile(p, _ctx, deps) {
    const profile = await getInstanceProfile(deps, required(p, 'InstanceProfileName'));
    const name = required(p, 'RoleName');
    const lower = name.toLowerCase();
    if (!profile.Roles.some((r) => r.toLowerCase() === lower)) throw noSuchEntity(`The role with name ${name} cannot be found.`);
    profile.Roles = profile.Roles.filter((r) => r.toLowerCase() !== lower);
    await saveProfile(deps, profile);
    return undefined;
  },
  async DeleteInstanceProfile(p, _ctx, deps) {
    const profile = await getInstanceProfile(deps, required(p, 'InstanceProfileName'));
    if (profile.Roles.length) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
    await deps.state.delete('instanceprofile', instanceProfileKey(profile.InstanceProfileName));
    return undefined;
  },
};
