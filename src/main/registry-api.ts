// Adapts the registry (and the auth package for the review kinds and TokenRequest) to the HTTP
// layer's ResourceApi: one call per REST verb, in the server's terms.
import { methodNotAllowed } from '../api/status.js';
import {
  localSubjectAccessReview,
  selfSubjectAccessReview,
  selfSubjectReview,
  selfSubjectRulesReview,
  subjectAccessReview,
  tokenRequest,
  tokenReview,
  type Attributes,
  type Authorizer,
  type Decision,
  type PolicyRule,
  type UserInfo,
} from '../apiserver/auth/index.js';
import type { Registry, WriteOptions } from '../apiserver/registry/index.js';
import type { AuthorizationAttributes } from '../apiserver/server/deps.js';
import type { DeleteQuery } from '../apiserver/server/query-options.js';
import type { Obj, ResourceApi, Target, WriteContext } from '../apiserver/server/resource-api.js';
import type { Clock } from '../util/clock.js';
import type { ClusterAuth } from './auth.js';
import { logQuery, metricsGet, metricsList, type DataPlane } from './data-plane.js';
import { podLog } from './pod-logs.js';

function writeOptions(ctx: WriteContext): WriteOptions {
  return {
    user: ctx.user,
    dryRun: ctx.dryRun,
    fieldManager: ctx.fieldManager,
    fieldValidation: ctx.fieldValidation,
    userAgent: ctx.userAgent,
    subresource: ctx.subresource,
    warnings: ctx.warnings,
  };
}

/** DeleteOptions from the query string, overridden by a body when one was sent (upstream handlers/delete.go). */
function deleteOptions(opts: DeleteQuery & { body?: Obj }): Obj {
  const fromQuery: Obj = {};
  if (opts.gracePeriodSeconds !== undefined) fromQuery['gracePeriodSeconds'] = opts.gracePeriodSeconds;
  if (opts.propagationPolicy !== undefined) fromQuery['propagationPolicy'] = opts.propagationPolicy;
  if (opts.orphanDependents !== undefined) fromQuery['orphanDependents'] = opts.orphanDependents;
  if (opts.dryRun) fromQuery['dryRun'] = ['All'];
  return { ...fromQuery, ...(opts.body ?? {}) };
}

const notServed = () => methodNotAllowed('the server does not allow this method on the requested resource');

const METRICS_GROUP = 'metrics.k8s.io';

/** An authorizer consulted before RBAC (EKS access policies): an allow ends the decision. */
export type AuthorizeBefore = (attrs: AuthorizationAttributes) => Promise<boolean>;

/** The rules that authorizer grants a user, per namespace (SelfSubjectRulesReview lists them before RBAC's). */
export type RulesBefore = (user: UserInfo) => Promise<(namespace: string) => PolicyRule[]>;

/**
 * Runs an access review with the same decision the request authorizer makes: `before`, then RBAC.
 * The review functions take a synchronous authorizer, so the review runs once against RBAC to learn
 * the subject and attributes it asks about, and again with an allow when `before` allows them.
 */
async function reviewWithBefore(rbac: Authorizer, before: AuthorizeBefore | undefined, run: (authorizer: Authorizer) => Obj): Promise<Obj> {
  if (!before) return run(rbac);
  let asked: { user: UserInfo; attrs: Attributes } | undefined;
  const byRbac = run({
    authorize: (user, attrs) => {
      asked = { user, attrs };
      return rbac.authorize(user, attrs);
    },
  });
  if (!asked) return byRbac;
  const { user, attrs } = asked;
  const allowed = await before({
    user,
    verb: attrs.verb,
    isResourceRequest: attrs.resourceRequest,
    path: attrs.path ?? '',
    apiGroup: attrs.apiGroup ?? '',
    apiVersion: attrs.apiVersion ?? '',
    namespace: attrs.namespace ?? '',
    resource: attrs.resource ?? '',
    subresource: attrs.subresource ?? '',
    name: attrs.name ?? '',
  });
  if (!allowed) return byRbac;
  const allow: Decision = { allowed: true, denied: false, reason: '' };
  return run({ authorize: () => allow });
}

/** metrics.k8s.io and pods/log answer from `dataPlane` (the simulated nodes); without one, metrics lists are empty and logs too. */
export function registryApi(
  registry: Registry,
  auth: ClusterAuth,
  clock: Clock,
  dataPlane: () => DataPlane | undefined = () => undefined,
  authorizeBefore?: AuthorizeBefore,
  rulesBefore?: RulesBefore,
): ResourceApi {
  const ns = (namespace: string) => namespace || undefined;

  /** The review kinds: answered, never stored. */
  async function review(t: Target, obj: Obj, ctx: WriteContext): Promise<Obj | undefined> {
    const { group, resource } = t.res;
    if (group === 'authentication.k8s.io') {
      if (resource === 'tokenreviews') return tokenReview(obj, auth.authenticator, t.namespace);
      if (resource === 'selfsubjectreviews') return selfSubjectReview(ctx.user, clock.now() / 1000, String(obj['apiVersion'] ?? '') || undefined);
    }
    if (group === 'authorization.k8s.io') {
      const decide = (run: (authorizer: Authorizer) => Obj) => reviewWithBefore(auth.rbac, authorizeBefore, run);
      if (resource === 'selfsubjectaccessreviews') return decide((a) => selfSubjectAccessReview(ctx.user, obj, a));
      if (resource === 'subjectaccessreviews') return decide((a) => subjectAccessReview(obj, a));
      if (resource === 'localsubjectaccessreviews') return decide((a) => localSubjectAccessReview(t.namespace, obj, a));
      if (resource === 'selfsubjectrulesreviews') return selfSubjectRulesReview(ctx.user, obj, auth.rbac, await rulesBefore?.(ctx.user));
    }
    return undefined;
  }

  return {
    get: async (t, name, opts) => {
      if (t.res.group === METRICS_GROUP) return metricsGet(dataPlane(), t.res, t.namespace, name);
      return registry.get(t.res, ns(t.namespace), name, opts);
    },
    list: async (t, opts) => (t.res.group === METRICS_GROUP ? metricsList(dataPlane(), t.res, t.namespace, opts.labelSelector) : registry.list(t.res, ns(t.namespace), opts)),
    watch: async (t, opts, signal) => registry.watch(t.res, ns(t.namespace), { ...opts, signal }),
    create: async (t, obj, ctx) => (await review(t, obj, ctx)) ?? registry.create(t.res, ns(t.namespace), obj, writeOptions(ctx)),
    update: (t, name, obj, ctx) => registry.update(t.res, ns(t.namespace), name, obj, writeOptions(ctx)),
    patch: (t, name, kind, patch, ctx) => registry.patch(t.res, ns(t.namespace), name, kind, patch, { ...writeOptions(ctx), force: ctx.force }),
    delete: async (t, name, opts, ctx) => {
      const r = await registry.delete(t.res, ns(t.namespace), name, deleteOptions(opts), writeOptions(ctx));
      return { object: r.object, code: r.code };
    },
    deleteCollection: (t, list, opts, ctx) => registry.deleteCollection(t.res, ns(t.namespace), list, deleteOptions(opts), writeOptions(ctx)),

    getSubresource: async (t, name, subresource, query) => {
      if (subresource === 'status') return registry.get(t.res, ns(t.namespace), name, {});
      if (subresource === 'log' && t.res.group === '' && t.res.resource === 'pods') {
        const checked = podLog(await registry.get(t.res, t.namespace, name, {}), query);
        const plane = dataPlane();
        if (!plane) return checked;
        const lines = plane.logs(t.namespace, name, query.get('container') || undefined, logQuery(query));
        return lines.map((l) => `${l}\n`).join('');
      }
      if (subresource === 'scale') return registry.getScale(t.res, ns(t.namespace), name);
      throw notServed();
    },
    createSubresource: async (t, name, subresource, obj, ctx) => {
      const isCore = t.res.group === '';
      if (isCore && t.res.resource === 'pods' && subresource === 'binding') return registry.bindPod(t.namespace, name, obj, writeOptions(ctx));
      if (isCore && t.res.resource === 'pods' && subresource === 'eviction') return registry.evictPod(t.namespace, name, obj, writeOptions(ctx));
      if (isCore && t.res.resource === 'serviceaccounts' && subresource === 'token') {
        const sa = await registry.get(t.res, t.namespace, name, {});
        const uid = String(((sa['metadata'] ?? {}) as Obj)['uid'] ?? '');
        const result = await tokenRequest(auth.tokens, obj, { namespace: t.namespace, name, uid }, { nowSeconds: Math.floor(clock.now() / 1000), lookup: auth.lookup, apiAudiences: auth.authenticator.apiAudiences });
        ctx.warnings.push(...result.warnings);
        return result.object;
      }
      throw notServed();
    },
    updateSubresource: (t, name, subresource, obj, ctx) => registry.update(t.res, ns(t.namespace), name, obj, writeOptions({ ...ctx, subresource })),
    patchSubresource: (t, name, subresource, kind, patch, ctx) =>
      registry.patch(t.res, ns(t.namespace), name, kind, patch, { ...writeOptions({ ...ctx, subresource }), force: ctx.force }),
  };
}
