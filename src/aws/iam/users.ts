// IAM users, their policies and their access keys (at most two per user).
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity, validationError } from '../errors.js';
import { accessKeyId, secretAccessKey, uniqueId } from '../ids.js';
import { memberList, type XmlValue } from '../server/query.js';
import { checkName, checkPath, isoNow, page, parseTags, pathPrefixFilter, required, tagsXml } from './common.js';
import type { IamAction, IamDeps } from './deps.js';
import { loadAttachable } from './policies.js';
import { userKey, type AccessKeyRecord, type UserRecord } from './model.js';
import { groupsOfUser } from './memberships.js';
import { principalPolicyActions } from './principal-policies.js';

export async function getUser(deps: IamDeps, name: string): Promise<UserRecord> {
  const user = await deps.state.get<UserRecord>('user', userKey(name));
  if (!user) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return user;
}

export const userXml = (u: UserRecord, withTags: boolean): XmlValue => ({
  Path: u.Path,
  UserName: u.UserName,
  UserId: u.UserId,
  Arn: u.Arn,
  CreateDate: u.CreateDate,
  PermissionsBoundary: u.PermissionsBoundary ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: u.PermissionsBoundary } : undefined,
  Tags: withTags && u.Tags.length ? tagsXml(u.Tags) : undefined,
});

async function keysOf(deps: IamDeps, userName: string): Promise<AccessKeyRecord[]> {
  return (await deps.state.list<AccessKeyRecord>('accesskey')).filter((k) => k.UserName === userName);
}

/** The user named by UserName, or (as IAM does) the calling user when it is left out. */
async function targetUser(p: Record<string, string>, ctx: Parameters<IamAction>[1], deps: IamDeps): Promise<UserRecord> {
  if (p.UserName !== undefined) return getUser(deps, p.UserName);
  if (ctx.caller?.kind === 'user' && ctx.caller.userName) return getUser(deps, ctx.caller.userName);
  throw validationError('Must specify userName when calling with non-User credentials');
}

export const userActions: Record<string, IamAction> = {
  async CreateUser(p, ctx, deps) {
    const name = required(p, 'UserName');
    checkName(name, 'UserName', 64);
    const path = p.Path ?? '/';
    checkPath(path);
    if (p.PermissionsBoundary) await loadAttachable(deps, p.PermissionsBoundary);
    const tags = parseTags(p);
    if (await deps.state.get('user', userKey(name))) throw entityAlreadyExists(`User with name ${name} already exists.`);
    const user: UserRecord = {
      UserName: name,
      UserId: uniqueId('AIDA'),
      Arn: `arn:aws:iam::${deps.accountId}:user${path}${name}`,
      Path: path,
      CreateDate: isoNow(ctx.clock.now()),
      PermissionsBoundary: p.PermissionsBoundary,
      Tags: tags,
      AttachedPolicies: [],
      InlinePolicies: {},
    };
    await deps.state.put('user', userKey(name), user);
    return { User: userXml(user, true) };
  },
  async GetUser(p, ctx, deps) {
    if (p.UserName === undefined && ctx.caller?.kind === 'root') {
      // The root user: IAM answers with the account's own identity.
      return { User: { UserId: ctx.caller.accountId, Arn: ctx.caller.arn, CreateDate: isoNow(0) } };
    }
    return { User: userXml(await targetUser(p, ctx, deps), true) };
  },
  async ListUsers(p, _ctx, deps) {
    const pg = page(pathPrefixFilter(await deps.state.list<UserRecord>('user'), p), p);
    return { Users: pg.items.map((u) => userXml(u, false)), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
  },
  async DeleteUser(p, _ctx, deps) {
    const user = await getUser(deps, required(p, 'UserName'));
    if (user.AttachedPolicies.length || Object.keys(user.InlinePolicies).length || (await keysOf(deps, user.UserName)).length) {
      throw deleteConflict('Cannot delete entity, must delete policies first.');
    }
    if ((await groupsOfUser(deps.state, user.UserName)).length) {
      throw deleteConflict('Cannot delete entity, must remove users from group first.');
    }
    await deps.state.delete('user', userKey(user.UserName));
    return undefined;
  },
  async TagUser(p, _ctx, deps) {
    const user = await getUser(deps, required(p, 'UserName'));
    const added = parseTags(p);
    user.Tags = [...user.Tags.filter((t) => !added.some((a) => a.Key === t.Key)), ...added];
    await deps.state.put('user', userKey(user.UserName), user);
    return undefined;
  },
  async UntagUser(p, _ctx, deps) {
    const user = await getUser(deps, required(p, 'UserName'));
    const keys = new Set(memberList(p, 'TagKeys'));
    user.Tags = user.Tags.filter((t) => !keys.has(t.Key));
    await deps.state.put('user', userKey(user.UserName), user);
    return undefined;
  },
  async ListUserTags(p, _ctx, deps) {
    const user = await getUser(deps, required(p, 'UserName'));
    const pg = page(user.Tags, p);
    return { Tags: tagsXml(pg.items), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
  },
  ...principalPolicyActions({
    kind: 'User',
    load: getUser,
    save: (deps, principal) => deps.state.put('user', userKey(principal.UserName), principal),
  }),
  async CreateAccessKey(p, ctx, deps) {
    const user = await targetUser(p, ctx, deps);
    if ((await keysOf(deps, user.UserName)).length >= 2) throw limitExceeded('Cannot exceed quota for AccessKeysPerUser: 2');
    const key: AccessKeyRecord = {
      AccessKeyId: accessKeyId('AKIA'),
      SecretAccessKey: secretAccessKey(),
      UserName: user.UserName,
      Status: 'Active',
      CreateDate: isoNow(ctx.clock.now()),
    };
    await deps.state.put('accesskey', key.AccessKeyId, key);
    return { AccessKey: { UserName: key.UserName, AccessKeyId: key.AccessKeyId, Status: key.Status, SecretAccessKey: key.SecretAccessKey, CreateDate: key.CreateDate } };
  },
  async ListAccessKeys(p, ctx, deps) {
    const user = await targetUser(p, ctx, deps);
    const pg = page(await keysOf(deps, user.UserName), p);
    return {
      AccessKeyMetadata: pg.items.map((k) => ({ UserName: k.UserName, AccessKeyId: k.AccessKeyId, Status: k.Status, CreateDate: k.CreateDate })),
      IsTruncated: pg.IsTruncated,
      Marker: pg.Marker,
    };
  },
  async UpdateAccessKey(p, ctx, deps) {
    const user = await targetUser(p, ctx, deps);
    const id = required(p, 'AccessKeyId');
    const status = required(p, 'Status');
    if (status !== 'Active' && status !== 'Inactive') throw validationError(`1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`);
    const key = await deps.state.get<AccessKeyRecord>('accesskey', id);
    if (!key || key.UserName !== user.UserName) throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
    key.Status = status;
    await deps.state.put('accesskey', id, key);
    return undefined;
  },
  async DeleteAccessKey(p, ctx, deps) {
    const user = await targetUser(p, ctx, deps);
    const id = required(p, 'AccessKeyId');
    const key = await deps.state.get<AccessKeyRecord>('accesskey', id);
    if (!key || key.UserName !== user.UserName) throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
    await deps.state.delete('accesskey', id);
    return undefined;
  },
};
