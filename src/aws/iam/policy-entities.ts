// ListEntitiesForPolicy: the users, groups and roles a managed policy is attached to (permissions
// policy) or bounds (permissions boundary), filtered by entity type and path, paged.
import { validationError } from '../errors.js';
import type { Params, XmlValue } from '../server/query.js';
import { page, required } from './common.js';
import type { IamAction } from './deps.js';
import { entitiesUsing, type PolicyEntity, type PolicyUsage } from './memberships.js';
import { loadAttachable } from './policies.js';

/** The EntityType enum as IAM's model lists it (ValidationError names the set in this order). */
const ENTITY_TYPES = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'];
const USAGE_TYPES = ['PermissionsPolicy', 'PermissionsBoundary'];

function enumParam(params: Params, name: string, allowed: string[]): string | undefined {
  const v = params[name];
  if (v !== undefined && !allowed.includes(v)) {
    const field = name[0].toLowerCase() + name.slice(1);
    throw validationError(`1 validation error detected: Value '${v}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return v;
}

export const policyEntityActions: Record<string, IamAction> = {
  async ListEntitiesForPolicy(p, _ctx, deps) {
    const policy = await loadAttachable(deps, required(p, 'PolicyArn'));
    const filter = enumParam(p, 'EntityFilter', ENTITY_TYPES);
    const usage = enumParam(p, 'PolicyUsageFilter', USAGE_TYPES) as PolicyUsage | undefined;
    const prefix = p.PathPrefix ?? '/';
    // The model's pattern for PathPrefix: \u002F[\u0021-\u007F]*, 1 to 512 characters.
    if (!/^\/[\u0021-\u007F]*$/.test(prefix) || prefix.length > 512) {
      throw validationError(`1 validation error detected: Value '${prefix}' at 'pathPrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*`);
    }
    // Policies are not attached to policies: the two policy entity types match nothing here.
    const entities = (await entitiesUsing(deps.state, policy.Arn, usage)).filter((e) => (filter === undefined || e.kind === filter) && e.path.startsWith(prefix));
    const pg = page(entities, p);
    const of = (kind: PolicyEntity['kind']): XmlValue[] =>
      pg.items.filter((e) => e.kind === kind).map((e) => ({ [`${kind}Name`]: e.name, [`${kind}Id`]: e.id }));
    return { PolicyGroups: of('Group'), PolicyUsers: of('User'), PolicyRoles: of('Role'), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
  },
};
