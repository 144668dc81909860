// The EKS restJson1 route table (methods and paths of the 2017-11-01 model) over EksService,
// with the --enforce-iam check (eks:<Operation> on the resource's ARN) before each call.
import { AwsError } from '../errors.js';
import { RestRouter } from '../server/rest-router.js';
import type { RestJsonHandler, RestJsonRequest } from '../server/services.js';
import * as access from './access-entries.js';
import * as fargate from './fargate-profiles.js';
import { clusterArn } from './arns.js';
import { queryList, type Body, type Query } from './input.js';
import { requestTagContext, tagKeysContext } from '../tag-context.js';
import type { CallerContext } from './model.js';
import type { EksService } from './service.js';

function bodyOf(req: RestJsonRequest): Body {
  if (req.body === undefined || req.body === null) return {};
  if (typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw new AwsError('SerializationException', 'Start of list found where not expected', 400);
  }
  return req.body as Body;
}

/**
 * EKS checks iam:PassRole on the caller's behalf for every role handed to it (cluster role, node role, pod
 * execution role), with iam:PassedToService eks.amazonaws.com as in EKS's documented admin policy. Its
 * refusal names the action and role without IAM's reason clause:
 * `User: <arn> is not authorized to perform: iam:PassRole on resource: <role arn>`.
 */
function callerOf(req: RestJsonRequest, associatedArn?: string): CallerContext {
  const c = req.ctx.caller;
  // iam:AssociatedResourceArn: the resource the passed role will be associated with (the cluster being created).
  const passRole = (roleArn: string) =>
    req.ctx.authorize(c, 'iam:PassRole', roleArn, {
      errorCode: 'AccessDeniedException', sourceIp: req.ctx.sourceIp, now: req.ctx.clock.now(),
      context: { 'iam:PassedToService': 'eks.amazonaws.com', ...(associatedArn ? { 'iam:AssociatedResourceArn': associatedArn } : {}) },
      withoutReason: true,
    });
  return { callerArn: c.arn, principalArn: c.kind === 'assumed-role' ? c.roleArn : c.arn, accountId: c.accountId, region: req.ctx.region, passRole };
}

/** Operations that create a resource and accept `tags` for it (tag on create). */
const CREATES_WITH_TAGS = new Set(['CreateCluster', 'CreateNodegroup', 'CreateFargateProfile', 'CreateAccessEntry', 'AssociateIdentityProviderConfig']);

/** The request's `tags` as condition keys; a malformed map is left to the operation's own validation. */
function bodyTags(body: Body): Record<string, string> {
  const t = body.tags;
  if (t === null || typeof t !== 'object' || Array.isArray(t)) return {};
  return Object.fromEntries(Object.entries(t).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

export function eksHandler(svc: EksService): RestJsonHandler {
  const router = new RestRouter();
  type Op = (req: RestJsonRequest, p: Record<string, string>, body: Body, q: Query, ctx: CallerContext) => unknown;

  /** Registers an operation; `resource` names what --enforce-iam evaluates the action on. */
  const op = (method: string, path: string, action: string, resource: (p: Record<string, string>, ctx: CallerContext, body: Body) => string, fn: Op) =>
    router.add(method, path, async (req, p) => {
      const body = bodyOf(req);
      const caller = callerOf(req);
      const arn = resource(p, caller, body);
      const ctx = action === 'CreateCluster' ? callerOf(req, arn) : caller;
      const creates = CREATES_WITH_TAGS.has(action);
      const requestTags = creates || action === 'TagResource' ? requestTagContext(bodyTags(body)) : {};
      const context = { ...requestTags, ...(action === 'UntagResource' ? tagKeysContext(queryList(req.query, 'tagKeys')) : {}) };
      // The resource's own tags (aws:ResourceTag/<key>), looked up by the authorizer only when a policy names one.
      const resourceTags = creates ? undefined : () => svc.resourceTags(arn);
      const opts = { errorCode: 'AccessDeniedException', sourceIp: req.ctx.sourceIp, now: req.ctx.clock.now(), context, resourceTags };
      await req.ctx.authorize(req.ctx.caller, `eks:${action}`, arn, opts);
      // The Service Authorization Reference maps each EKS create that takes tags to eks:TagResource as well:
      // a create carrying tags is refused unless the caller may also tag the new resource.
      if (creates && 'aws:TagKeys' in requestTags) await req.ctx.authorize(req.ctx.caller, 'eks:TagResource', arn, opts);
      return { body: await fn(req, p, body, req.query, ctx) };
    });

  const cluster = (p: Record<string, string>, ctx: CallerContext) => clusterArn(ctx.region, ctx.accountId, p.name);
  const any = () => '*';
  const entry = (p: Record<string, string>, ctx: CallerContext) =>
    svc.state.entries.get(p.name)?.get(p.principalArn)?.entry.accessEntryArn ?? cluster(p, ctx);

  op('POST', '/clusters', 'CreateCluster', (_p, ctx, b) => clusterArn(ctx.region, ctx.accountId, String(b.name ?? '')),
    (_r, _p, b, _q, ctx) => svc.createCluster(b, ctx));
  op('GET', '/clusters', 'ListClusters', any, (_r, _p, _b, q) => svc.listClusters(q));
  // The stored cluster itself, not describeCluster's copy: the endpoint only serialises it, so a copy per call buys nothing.
  op('GET', '/clusters/{name}', 'DescribeCluster', cluster, (_r, p) => ({ cluster: svc.cluster(p.name).cluster }));
  op('DELETE', '/clusters/{name}', 'DeleteCluster', cluster, (_r, p) => svc.deleteCluster(p.name));
  op('POST', '/clusters/{name}/updates', 'UpdateClusterVersion', cluster, (_r, p, b) => svc.updateClusterVersion(p.name, b));
  op('POST', '/clusters/{name}/update-config', 'UpdateClusterConfig', cluster, (_r, p, b) => svc.updateClusterConfig(p.name, b));
  op('GET', '/clusters/{name}/updates', 'ListUpdates', cluster, (_r, p, _b, q) => svc.listUpdates(p.name, q));
  op('GET', '/clusters/{name}/updates/{updateId}', 'DescribeUpdate', cluster, (_r, p, _b, q) => svc.describeUpdate(p.name, p.updateId, q));
  op('POST', '/clusters/{name}/updates/{updateId}/cancel-update', 'CancelUpdate', cluster, (_r, p, b) => svc.cancelUpdate(p.name, p.updateId, b));
  op('GET', '/cluster-versions', 'DescribeClusterVersions', any, (_r, _p, _b, q) => svc.describeClusterVersions(q));

  const ngArn = (p: Record<string, string>, ctx: CallerContext) =>
    svc.state.nodegroups.get(p.name)?.get(p.nodegroupName)?.nodegroup.nodegroupArn ?? `arn:aws:eks:${ctx.region}:${ctx.accountId}:nodegroup/${p.name}/${p.nodegroupName}/*`;
  op('POST', '/clusters/{name}/node-groups', 'CreateNodegroup', (p, ctx, b) => ngArn({ name: p.name, nodegroupName: String(b.nodegroupName ?? '') }, ctx),
    (_r, p, b, _q, ctx) => svc.nodegroups.create(p.name, b, ctx));
  op('GET', '/clusters/{name}/node-groups', 'ListNodegroups', cluster, (_r, p, _b, q) => svc.nodegroups.list(p.name, q));
  op('GET', '/clusters/{name}/node-groups/{nodegroupName}', 'DescribeNodegroup', ngArn, (_r, p) => svc.nodegroups.describe(p.name, p.nodegroupName));
  op('DELETE', '/clusters/{name}/node-groups/{nodegroupName}', 'DeleteNodegroup', ngArn, (_r, p) => svc.nodegroups.delete(p.name, p.nodegroupName));
  op('POST', '/clusters/{name}/node-groups/{nodegroupName}/update-config', 'UpdateNodegroupConfig', ngArn,
    (_r, p, b) => svc.nodegroups.updateConfig(p.name, p.nodegroupName, b));
  op('POST', '/clusters/{name}/node-groups/{nodegroupName}/update-version', 'UpdateNodegroupVersion', ngArn,
    (_r, p, b) => svc.nodegroups.updateVersion(p.name, p.nodegroupName, b));

  op('POST', '/tags/{resourceArn}', 'TagResource', (p) => p.resourceArn, (_r, p, b) => svc.tagResource(p.resourceArn, b));
  op('DELETE', '/tags/{resourceArn}', 'UntagResource', (p) => p.resourceArn, (_r, p, _b, q) => svc.untagResource(p.resourceArn, q));
  op('GET', '/tags/{resourceArn}', 'ListTagsForResource', (p) => p.resourceArn, (_r, p) => svc.listTagsForResource(p.resourceArn));

  op('POST', '/clusters/{name}/access-entries', 'CreateAccessEntry', cluster, (_r, p, b, _q, ctx) => access.createAccessEntry(svc, p.name, b, ctx));
  op('GET', '/clusters/{name}/access-entries', 'ListAccessEntries', cluster, (_r, p, _b, q) => access.listAccessEntries(svc, p.name, q));
  op('GET', '/clusters/{name}/access-entries/{principalArn}', 'DescribeAccessEntry', entry, (_r, p) => access.describeAccessEntry(svc, p.name, p.principalArn));
  op('POST', '/clusters/{name}/access-entries/{principalArn}', 'UpdateAccessEntry', entry, (_r, p, b) => access.updateAccessEntry(svc, p.name, p.principalArn, b));
  op('DELETE', '/clusters/{name}/access-entries/{principalArn}', 'DeleteAccessEntry', entry, (_r, p) => access.deleteAccessEntry(svc, p.name, p.principalArn));
  op('POST', '/clusters/{name}/access-entries/{principalArn}/access-policies', 'AssociateAccessPolicy', entry,
    (_r, p, b) => access.associateAccessPolicy(svc, p.name, p.principalArn, b));
  op('GET', '/clusters/{name}/access-entries/{principalArn}/access-policies', 'ListAssociatedAccessPolicies', entry,
    (_r, p, _b, q) => access.listAssociatedAccessPolicies(svc, p.name, p.principalArn, q));
  op('DELETE', '/clusters/{name}/access-entries/{principalArn}/access-policies/{policyArn}', 'DisassociateAccessPolicy', entry,
    (_r, p) => access.disassociateAccessPolicy(svc, p.name, p.principalArn, p.policyArn));
  op('GET', '/access-policies', 'ListAccessPolicies', any, (_r, _p, _b, q) => access.listAccessPolicies(q));

  op('POST', '/clusters/{name}/identity-provider-configs/associate', 'AssociateIdentityProviderConfig', cluster,
    (_r, p, b, _q, ctx) => svc.associateIdentityProviderConfig(p.name, b, ctx));
  op('POST', '/clusters/{name}/identity-provider-configs/describe', 'DescribeIdentityProviderConfig', cluster,
    (_r, p, b) => svc.describeIdentityProviderConfig(p.name, b));
  op('GET', '/clusters/{name}/identity-provider-configs', 'ListIdentityProviderConfigs', cluster,
    (_r, p, _b, q) => svc.listIdentityProviderConfigs(p.name, q));
  op('POST', '/clusters/{name}/identity-provider-configs/disassociate', 'DisassociateIdentityProviderConfig', cluster,
    (_r, p, b) => svc.disassociateIdentityProviderConfig(p.name, b));

  const profile = (p: Record<string, string>, ctx: CallerContext) =>
    svc.state.fargateProfiles.get(p.name)?.get(p.fargateProfileName)?.profile.fargateProfileArn ?? cluster(p, ctx);
  // As for node groups, a profile being created is named by its ARN with the (not yet known) id as a wildcard.
  const newProfile = (p: Record<string, string>, ctx: CallerContext, b: Body) =>
    fargate.fargateProfileArn(ctx.region, ctx.accountId, p.name, String(b.fargateProfileName ?? ''), '*');
  op('POST', '/clusters/{name}/fargate-profiles', 'CreateFargateProfile', newProfile, (_r, p, b, _q, ctx) => fargate.createFargateProfile(svc, p.name, b, ctx));
  op('GET', '/clusters/{name}/fargate-profiles', 'ListFargateProfiles', cluster, (_r, p, _b, q) => fargate.listFargateProfiles(svc, p.name, q));
  op('GET', '/clusters/{name}/fargate-profiles/{fargateProfileName}', 'DescribeFargateProfile', profile, (_r, p) => fargate.describeFargateProfile(svc, p.name, p.fargateProfileName));
  op('DELETE', '/clusters/{name}/fargate-profiles/{fargateProfileName}', 'DeleteFargateProfile', profile, (_r, p) => fargate.deleteFargateProfile(svc, p.name, p.fargateProfileName));

  return router.handle;
}
