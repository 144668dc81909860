// IAM roles: create/get/list/delete, trust policy updates, tags, inline and attached policies.
import { deleteConflict, entityAlreadyExists, noSuchEntity, validationError } from '../errors.js';
import { uniqueId } from '../ids.js';
import type { XmlValue } from '../server/query.js';
import { memberList } from '../server/query.js';
import { checkName, checkPath, encodeDocument, isoNow, mergeTags, page, parseTags, pathPrefixFilter, required, tagsXml } from './common.js';
import type { IamAction, IamDeps } from './deps.js';
import { loadAttachable } from './policies.js';
import { roleKey, type RoleRecord } from './model.js';
import { profilesOfRole } from './memberships.js';
import { parsePolicy } from './policy/index.js';
import { principalPolicyActions } from './principal-policies.js';

export async function getRole(deps: IamDeps, name: string): Promise<RoleRecord> {
  const role = await deps.state.get<RoleRecord>('role', roleKey(name));
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

export function roleXml(r: RoleRecord, withTags: boolean): XmlValue {
  return {
    Path: r.Path,
    RoleName: r.RoleName,
    RoleId: r.RoleId,
    Arn: r.Arn,
    CreateDate: r.CreateDate,
    AssumeRolePolicyDocument: encodeDocument(r.AssumeRolePolicyDocument),
    Description: r.Description,
    MaxSessionDuration: r.MaxSessionDuration,
    PermissionsBoundary: r.PermissionsBoundary ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: r.PermissionsBoundary } : undefined,
    Tags: withTags && r.Tags.length ? tagsXml(r.Tags) : undefined,
    RoleLastUsed: withTags ? (r.RoleLastUsed ?? {}) : undefined,
  };
}

function checkSessionDuration(v: string | undefined): number {
  if (v === undefined) return 3600;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 3600 || n > 43200) {
    throw validationError(`1 validation error detected: Value '${v}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value ${n < 3600 ? 'greater than or equal to 3600' : 'less than or equal to 43200'}`);
  }
  return n;
}

export const roleActions: Record<string, IamAction> = {
  async CreateRole(p, ctx, deps) {
    const name = required(p, 'RoleName');
    checkName(name, 'RoleName', 64);
    const path = p.Path ?? '/';
    checkPath(path);
    const doc = required(p, 'AssumeRolePolicyDocument');
    parsePolicy(doc, 'trust');
    if (p.Description !== undefined && p.Description.length > 1000) throw validationError(`1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000`);
    const maxSession = checkSessionDuration(p.MaxSessionDuration);
    if (p.PermissionsBoundary) await loadAttachable(deps, p.PermissionsBoundary);
    const tags = parseTags(p);
    if (await deps.state.get('role', roleKey(name))) throw entityAlreadyExists(`Role with name ${name} already exists.`);
    const role: RoleRecord = {
      RoleName: name,
      RoleId: uniqueId('AROA'),
      Arn: `arn:aws:iam::${deps.accountId}:role${path}${name}`,
      Path: path,
      CreateDate: isoNow(ctx.clock.now()),
      AssumeRolePolicyDocument: doc,
      Description: p.Description,
      MaxSessionDuration: maxSession,
      PermissionsBoundary: p.PermissionsBoundary,
      Tags: tags,
      AttachedPolicies: [],
      InlinePolicies: {},
    };
    await deps.state.put('role', roleKey(name), role);
    return { Role: roleXml(role, false) };
  },
  async GetRole(p, _ctx, deps) {
    return { Role: roleXml(await getRole(deps, required(p, 'RoleName')), true) };
  },
  async ListRoles(p, _ctx, deps) {
    const roles = pathPrefixFilter(await deps.state.list<RoleRecord>('role'), p);
    const pg = page(roles, p);
    return { Roles: pg.items.map((r) => roleXml(r, false)), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
  },
  async DeleteRole(p, _ctx, deps) {
    const role = await getRole(deps, required(p, 'RoleName'));
    if (role.AttachedPolicies.length || Object.keys(role.InlinePolicies).length) {
      throw deleteConflict('Cannot delete entity, must detach all policies first.');
    }
    if ((await profilesOfRole(deps.state, role.RoleName)).length) {
      throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
    }
    await deps.state.delete('role', roleKey(role.RoleName));
    return undefined;
  },
  async UpdateRole(p, _ctx, deps) {
    const role = await getRole(deps, required(p, 'RoleName'));
    if (p.Description !== undefined) role.Description = p.Description;
    if (p.MaxSessionDuration !== undefined) role.MaxSessionDuration = checkSessionDuration(p.MaxSessionDuration);
    await deps.state.put('role', roleKey(role.RoleName), role);
    return {};
  },
  async UpdateAssumeRolePolicy(p, _ctx, deps) {
    const role = await getRole(deps, required(p, 'RoleName'));
    const doc = required(p, 'PolicyDocument');
    parsePolicy(doc, 'trust');
    role.AssumeRolePolicyDocument = doc;
    await deps.state.put('role', roleKey(role.RoleName), role);
    return undefined;
  },
  async TagRole(p, _ctx, deps) {
    const role = await getRole(deps, required(p, 'RoleName'));
    role.Tags = mergeTags(role.Tags, parseTags(p));
    if (role.Tags.length > 50) throw validationError('Cannot exceed quota for TagsPerRole: 50.');
    await deps.state.put('role', roleKey(role.RoleName), role);
    return undefined;
  },
  async UntagRole(p, _ctx, deps) {
    const role = await getRole(deps, required(p, 'RoleName'));
    const keys = new Set(memberList(p, 'TagKeys'));
    role.Tags = role.Tags.filter((t) => !keys.has(t.Key));
    await deps.state.put('role', roleKey(role.RoleName), role);
    return undefined;
  },
  async ListRoleTags(p, _ctx, deps) {
    const role = await getRole(deps, required(p, 'RoleName'));
    const pg = page(role.Tags, p);
    return { Tags: tagsXml(pg.items), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
  },
  ...principalPolicyActions({
    kind: 'Role',
    load: getRole,
    save: (deps, principal) => deps.state.put('role', roleKey(principal.RoleName), principal),
  }),
};
