// Adapts the registry to the HTTP layer's ResourceApi: the verbs the registry serves, in the
// server's terms. Subresources are served by the parts that own them (auth reviews, tokens, ...).
import { methodNotAllowed } from '../api/status.js';
import type { Registry } from '../apiserver/registry/index.js';
import type { WriteOptions } from '../apiserver/registry/index.js';
import type { DeleteQuery } from '../apiserver/server/query-options.js';
import type { Obj, ResourceApi, WriteContext } from '../apiserver/server/resource-api.js';

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

export function registryApi(registry: Registry): ResourceApi {
  const ns = (namespace: string) => namespace || undefined;
  return {
    get: (t, name, opts) => registry.get(t.res, ns(t.namespace), name, opts),
    list: (t, opts) => registry.list(t.res, ns(t.namespace), opts),
    watch: async (t, opts, signal) => registry.watch(t.res, ns(t.namespace), { ...opts, signal }),
    create: (t, obj, ctx) => registry.create(t.res, ns(t.namespace), obj, writeOptions(ctx)),
    update: (t, name, obj, ctx) => registry.update(t.res, ns(t.namespace), name, obj, writeOptions(ctx)),
    patch: async () => {
      throw notServed();
    },
    delete: async (t, name, opts, ctx) => {
      const r = await registry.delete(t.res, ns(t.namespace), name, deleteOptions(opts), writeOptions(ctx));
      return { object: r.object, code: r.code };
    },
    deleteCollection: (t, list, opts, ctx) => registry.deleteCollection(t.res, ns(t.namespace), list, deleteOptions(opts), writeOptions(ctx)),
    getSubresource: async () => {
      throw notServed();
    },
    createSubresource: async () => {
      throw notServed();
    },
    updateSubresource: async () => {
      throw notServed();
    },
    patchSubresource: async () => {
      throw notServed();
    },
  };
}
