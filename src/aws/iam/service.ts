// IAM over the query protocol (API version 2010-05-08). Every action is checked by the
// --enforce-iam hook against the resource it names before it runs.
import type { Params } from '../server/query.js';
import { memberList, memberStructs } from '../server/query.js';
import { requestTagContext, tagKeysContext } from '../tag-context.js';
import type { CallContext, QueryService } from '../server/services.js';
import type { AwsStateStore } from '../state.js';
import type { IamAction, IamDeps } from './deps.js';
import { groupKey, instanceProfileKey, roleKey, userKey, type GroupRecord, type InstanceProfileRecord, type RoleRecord, type UserRecord } from './model.js';
import { groupActions } from './groups.js';
import { instanceProfileActions } from './instance-profiles.js';
import { oidcActions } from './oidc.js';
import { policyActions } from './policies.js';
import { policyEntityActions } from './policy-entities.js';
import { resourceTagActions } from './resource-tags.js';
import { roleActions } from './roles.js';
import { userActions } from './users.js';

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

/** The ARN an action is authorized against, as IAM's service authorization reference lists it. */
async function resourceOf(action: string, p: Params, deps: IamDeps): Promise<string> {
  const acct = deps.accountId;
  // Membership and profile actions name a user or role too; they are authorized on the group or profile.
  if (p.GroupName !== undefined) {
    const g = await deps.state.get<GroupRecord>('group', groupKey(p.GroupName));
    return g?.Arn ?? `arn:aws:iam::${acct}:group${p.Path ?? '/'}${p.GroupName}`;
  }
  if (p.InstanceProfileName !== undefined) {
    const ip = await deps.state.get<InstanceProfileRecord>('instanceprofile', instanceProfileKey(p.InstanceProfileName));
    return ip?.Arn ?? `arn:aws:iam::${acct}:instance-profile${p.Path ?? '/'}${p.InstanceProfileName}`;
  }
  if (p.RoleName !== undefined) {
    const r = await deps.state.get<RoleRecord>('role', roleKey(p.RoleName));
    return r?.Arn ?? `arn:aws:iam::${acct}:role${p.Path ?? '/'}${p.RoleName}`;
  }
  if (p.UserName !== undefined) {
    const u = await deps.state.get<UserRecord>('user', userKey(p.UserName));
    return u?.Arn ?? `arn:aws:iam::${acct}:user${p.Path ?? '/'}${p.UserName}`;
  }
  if (p.PolicyArn !== undefined) return p.PolicyArn;
  if (action === 'CreatePolicy' && p.PolicyName) return `arn:aws:iam::${acct}:policy${p.Path ?? '/'}${p.PolicyName}`;
  if (p.OpenIDConnectProviderArn !== undefined) return p.OpenIDConnectProviderArn;
  if (action === 'CreateOpenIDConnectProvider' && p.Url) return `arn:aws:iam::${acct}:oidc-provider/${p.Url.replace(/^https:\/\//, '').replace(/\/$/, '')}`;
  return '*';
}

/**
 * Creating a taggable IAM resource with Tags also needs the tagging action on the new resource (IAM User
 * Guide, "Permissions required to tag IAM entities": create-with-tags needs iam:CreateRole and iam:TagRole).
 */
const TAG_ON_CREATE: Record<string, string> = {
  CreateRole: 'TagRole', CreateUser: 'TagUser', CreateInstanceProfile: 'TagInstanceProfile',
  CreatePolicy: 'TagPolicy', CreateOpenIDConnectProvider: 'TagOpenIDConnectProvider',
};

/** aws:RequestTag/<key> and aws:TagKeys of the tags a call carries; an UntagX call carries aws:TagKeys only. */
function requestContext(action: string, p: Params) {
  if (action.startsWith('Untag')) return tagKeysContext(memberList(p, 'TagKeys'));
  if (!action.startsWith('Tag') && !Object.hasOwn(TAG_ON_CREATE, action)) return {};
  // Malformed tags are the action's own validation error, raised after authorization.
  const tags = memberStructs(p, 'Tags', ['Key', 'Value']).filter((t) => t.Key !== undefined);
  return requestTagContext(Object.fromEntries(tags.map((t) => [t.Key!, t.Value ?? ''])));
}

async function renamedGroupArn(p: Params, deps: IamDeps): Promise<string | undefined> {
  if (p.GroupName === undefined || (p.NewGroupName === undefined && p.NewPath === undefined)) return undefined;
  const g = await deps.state.get<GroupRecord>('group', groupKey(p.GroupName));
  if (!g) return undefined;
  return `arn:aws:iam::${deps.accountId}:group${p.NewPath ?? g.Path}${p.NewGroupName ?? g.GroupName}`;
}

export function createIamService(state: AwsStateStore, accountId: string): QueryService {
  const actions: Record<string, IamAction> = { ...roleActions, ...policyActions, ...userActions, ...groupActions, ...instanceProfileActions, ...oidcActions, ...policyEntityActions, ...resourceTagActions };
  const deps: IamDeps = { state, accountId };
  return {
    signingName: 'iam',
    xmlNamespace: IAM_NAMESPACE,
    apiVersion: '2010-05-08',
    has: (action) => Object.hasOwn(actions, action),
    async handle(action: string, params: Params, ctx: CallContext) {
      if (ctx.caller) {
        const context = requestContext(action, params);
        const opts = { sourceIp: ctx.sourceIp, now: ctx.clock.now(), context };
        const resource = await resourceOf(action, params, deps);
        await ctx.authorize(ctx.caller, `iam:${action}`, resource, opts);
        if (Object.hasOwn(TAG_ON_CREATE, action) && 'aws:TagKeys' in context) await ctx.authorize(ctx.caller, `iam:${TAG_ON_CREATE[action]}`, resource, opts);
        // UpdateGroup: the caller needs permission on the group under its old and its new name and path.
        const renamedTo = action === 'UpdateGroup' ? await renamedGroupArn(params, deps) : undefined;
        if (renamedTo) await ctx.authorize(ctx.caller, `iam:${action}`, renamedTo, opts);
      }
      return actions[action](params, ctx, deps);
    },
  };
}
