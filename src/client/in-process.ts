// The in-process client: calls the Registry directly, no HTTP, with the identity given at creation
// (controllers run as their system:controller:<name> users). It keeps the HTTP endpoint's request
// rules (apiserver/pkg/endpoints/handlers: scope, verbs, name and namespace of the body against the
// request's) so code behaves the same over either client.
//
// Objects from list and watch are the watch cache's shared, deep-frozen objects (no copy per
// reader, as a shared informer's cache upstream): read-only; objects.clone() before changing one.
import { ApiError, badRequest, methodNotAllowed } from '../api/status.js';
import type { Status } from '../api/status.js';
import type { ListOptions, UserInfo, WatchEventOut, WatchOptions, WriteOptions } from '../apiserver/registry/index.js';
import type { DeleteResult } from '../apiserver/registry/index.js';
import type { UpdateResult } from '../apiserver/registry/index.js';
import type { ResourceDef, SchemaCatalog } from '../apiserver/schema/types.js';
import type { DeleteOptions, KubeClient, ListOpts, Obj, ObjList, PatchOpts, PatchType, ResourceClient, ResourceInfo, WatchEvent, WatchOpts, WriteOpts } from './types.js';
import { withDeleteOptions } from './delete-options.js';

/** The part of the API server's Registry this client calls (main/ passes the real Registry). */
export interface RegistryLike {
  get(res: ResourceDef, namespace: string | undefined, name: string, opts: { resourceVersion?: string }): Promise<Obj>;
  list(res: ResourceDef, namespace: string | undefined, opts: ListOptions): Promise<Obj>;
  watch(res: ResourceDef, namespace: string | undefined, opts: WatchOptions): AsyncIterable<WatchEventOut>;
  create(res: ResourceDef, namespace: string | undefined, body: Obj, opts: WriteOptions): Promise<Obj>;
  update(res: ResourceDef, namespace: string | undefined, name: string, body: Obj, opts: WriteOptions): Promise<UpdateResult>;
  patch(res: ResourceDef, namespace: string | undefined, name: string, type: PatchType, patch: Buffer | Record<string, unknown> | unknown[], opts: WriteOptions & { force?: boolean }): Promise<UpdateResult>;
  delete(res: ResourceDef, namespace: string | undefined, name: string, options: Record<string, unknown>, opts: WriteOptions): Promise<DeleteResult>;
  deleteCollection(res: ResourceDef, namespace: string | undefined, list: ListOptions, options: Record<string, unknown>, opts: WriteOptions): Promise<Obj>;
  bindPod(namespace: string, podName: string, binding: Obj, opts: WriteOptions): Promise<Obj>;
  evictPod(namespace: string, name: string, eviction: Obj, opts: WriteOptions): Promise<Obj>;
  getScale(res: ResourceDef, namespace: string | undefined, name: string): Promise<Obj>;
  updateScale(res: ResourceDef, namespace: string | undefined, name: string, scale: Obj, opts: WriteOptions): Promise<Obj>;
}

function notFoundPath(): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
}

function methodNotSupported(): ApiError {
  return methodNotAllowed('the server does not allow this method on the requested resource');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function metaOf(obj: Obj): Record<string, unknown> {
  return isRecord(obj.metadata) ? obj.metadata : {};
}

/** The body's namespace must match the request's and is set from it when empty (handlers/create.go). */
function withNamespace(res: ResourceDef, obj: Obj, ns: string): Obj {
  if (!res.namespaced) return obj;
  const m = metaOf(obj);
  if (m.namespace !== undefined && m.namespace !== '' && m.namespace !== ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  return m.namespace === ns ? obj : { ...obj, metadata: { ...m, namespace: ns } };
}

function listOptions(opts: ListOpts | undefined): ListOptions {
  const o: ListOptions = {};
  if (!opts) return o;
  if (opts.labelSelector) o.labelSelector = opts.labelSelector;
  if (opts.fieldSelector) o.fieldSelector = opts.fieldSelector;
  if (opts.limit !== undefined) o.limit = opts.limit;
  if (opts.continue) o.continue = opts.continue;
  if (opts.resourceVersion !== undefined) o.resourceVersion = opts.resourceVersion;
  if (opts.resourceVersionMatch) o.resourceVersionMatch = opts.resourceVersionMatch;
  return o;
}

/** DeleteOptions as the registry takes them (the DeleteOptions body; dryRun as ["All"]). */
function deleteBody(opts: DeleteOptions | undefined): Record<string, unknown> {
  return withDeleteOptions({}, opts);
}

/**
 * The registry's event stream as the client's: ERROR events become a thrown ApiError. A plain
 * iterator, not a generator, so each event costs one await (informers sync through this).
 */
function watchEvents(open: () => AsyncIterable<WatchEventOut>): AsyncIterable<WatchEvent> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
      let source: AsyncIterator<WatchEventOut> | undefined;
      return {
        async next(): Promise<IteratorResult<WatchEvent>> {
          source ??= open()[Symbol.asyncIterator]();
          const r = await source.next();
          if (r.done) return { done: true, value: undefined };
          if (r.value.type === 'ERROR') {
            await source.return?.();
            throw new ApiError(r.value.object as unknown as Status);
          }
          return r as IteratorResult<WatchEvent>;
        },
        async return(): Promise<IteratorResult<WatchEvent>> {
          await source?.return?.();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

export function toResourceInfo(r: ResourceDef): ResourceInfo {
  return { group: r.group, version: r.version, resource: r.resource, kind: r.kind, namespaced: r.namespaced, verbs: [...r.verbs], subresources: [...r.subresources] };
}

class InProcessResource implements ResourceClient {
  constructor(
    private readonly registry: RegistryLike,
    private readonly res: ResourceDef | undefined,
    private readonly user: UserInfo,
    private readonly userAgent: string,
  ) {}

  /** The resource and the namespace argument for the registry, after the HTTP endpoint's scope checks. */
  private target(verb: string, ns: string | undefined, opts: { named?: boolean; subresource?: string } = {}): { res: ResourceDef; ns: string | undefined } {
    const res = this.res;
    if (!res) throw notFoundPath();
    if (opts.subresource && !res.subresources.includes(opts.subresource)) throw notFoundPath();
    if (!res.namespaced) {
      if (ns) throw notFoundPath();
      if (!opts.subresource && !res.verbs.includes(verb)) throw methodNotSupported();
      return { res, ns: undefined };
    }
    if (!ns) {
      if (opts.named || opts.subresource) throw notFoundPath();
      if (verb !== 'list' && verb !== 'watch') throw methodNotSupported();
    }
    if (!opts.subresource && !res.verbs.includes(verb)) throw methodNotSupported();
    return { res, ns: ns || undefined };
  }

  private write(opts: WriteOpts | undefined, subresource?: string): WriteOptions {
    return {
      user: this.user,
      dryRun: opts?.dryRun ?? false,
      fieldManager: opts?.fieldManager,
      fieldValidation: opts?.fieldValidation ?? 'Strict',
      userAgent: this.userAgent,
      subresource,
      warnings: [],
    };
  }

  async get(ns: string | undefined, name: string): Promise<Obj> {
    const t = this.target('get', ns, { named: true });
    return this.registry.get(t.res, t.ns, name, {});
  }

  async list(ns: string | undefined, opts?: ListOpts): Promise<ObjList> {
    const t = this.target('list', ns);
    return (await this.registry.list(t.res, t.ns, listOptions(opts))) as unknown as ObjList;
  }

  watch(ns: string | undefined, opts: WatchOpts): AsyncIterable<WatchEvent> {
    return watchEvents(() => {
      const t = this.target('watch', ns);
      const o: WatchOptions = { ...listOptions(opts), signal: opts.signal };
      if (opts.allowWatchBookmarks !== undefined) o.allowWatchBookmarks = opts.allowWatchBookmarks;
      if (opts.sendInitialEvents !== undefined) o.sendInitialEvents = opts.sendInitialEvents;
      if (opts.sendInitialEvents && !o.resourceVersionMatch) o.resourceVersionMatch = 'NotOlderThan';
      if (opts.timeoutSeconds !== undefined) o.timeoutSeconds = opts.timeoutSeconds;
      return this.registry.watch(t.res, t.ns, o);
    });
  }

  async create(ns: string | undefined, obj: Obj, opts?: WriteOpts): Promise<Obj> {
    const namespace = ns ?? (metaOf(obj).namespace as string | undefined);
    const t = this.target('create', namespace);
    return this.registry.create(t.res, t.ns, withNamespace(t.res, obj, t.ns ?? ''), this.write(opts));
  }

  private async put(ns: string | undefined, obj: Obj, opts: WriteOpts | undefined, subresource: string | undefined): Promise<Obj> {
    const name = metaOf(obj).name;
    if (typeof name !== 'string' || !name) throw badRequest('name is required to update an object');
    const namespace = ns ?? (metaOf(obj).namespace as string | undefined);
    const t = this.target('update', namespace, { named: true, subresource });
    const body = withNamespace(t.res, obj, t.ns ?? '');
    return (await this.registry.update(t.res, t.ns, name, body, this.write(opts, subresource))).object;
  }

  update(ns: string | undefined, obj: Obj, opts?: WriteOpts): Promise<Obj> {
    return this.put(ns, obj, opts, undefined);
  }

  updateStatus(ns: string | undefined, obj: Obj, opts?: WriteOpts): Promise<Obj> {
    return this.put(ns, obj, opts, 'status');
  }

  async patch(ns: string | undefined, name: string, type: PatchType, body: unknown, opts?: PatchOpts): Promise<Obj> {
    const t = this.target('patch', ns, { named: true, subresource: opts?.subresource });
    let patch: Buffer | Record<string, unknown> | unknown[];
    if (Buffer.isBuffer(body)) patch = body;
    else if (typeof body === 'string') patch = Buffer.from(body);
    else if (Array.isArray(body) || isRecord(body)) patch = structuredClone(body);
    else throw badRequest('the patch must be a JSON object or array');
    const w = { ...this.write(opts, opts?.subresource), force: opts?.force ?? false };
    return (await this.registry.patch(t.res, t.ns, name, type, patch, w)).object;
  }

  async delete(ns: string | undefined, name: string, opts?: DeleteOptions): Promise<Obj> {
    const t = this.target('delete', ns, { named: true });
    const w = { ...this.write(undefined), dryRun: opts?.dryRun ?? false, fieldValidation: 'Ignore' as const };
    return (await this.registry.delete(t.res, t.ns, name, deleteBody(opts), w)).object;
  }

  async deleteCollection(ns: string | undefined, listOpts?: ListOpts, deleteOpts?: DeleteOptions): Promise<ObjList> {
    const t = this.target('deletecollection', ns);
    const w = { ...this.write(undefined), dryRun: deleteOpts?.dryRun ?? false, fieldValidation: 'Ignore' as const };
    return (await this.registry.deleteCollection(t.res, t.ns, listOptions(listOpts), deleteBody(deleteOpts), w)) as unknown as ObjList;
  }

  async bind(ns: string, podName: string, nodeName: string, opts?: WriteOpts & { uid?: string }): Promise<void> {
    this.podSubresource(ns, 'binding');
    const metadata: Record<string, unknown> = { name: podName, namespace: ns };
    if (opts?.uid) metadata.uid = opts.uid;
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } };
    await this.registry.bindPod(ns, podName, binding, this.write(opts, 'binding'));
  }

  async evict(ns: string, podName: string, deleteOptions?: DeleteOptions): Promise<void> {
    this.podSubresource(ns, 'eviction');
    const eviction: Obj = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: podName, namespace: ns } };
    if (deleteOptions) eviction.deleteOptions = deleteBody(deleteOptions);
    await this.registry.evictPod(ns, podName, eviction, { ...this.write(undefined, 'eviction'), dryRun: deleteOptions?.dryRun ?? false });
  }

  private podSubresource(ns: string, sub: string): void {
    const t = this.target('create', ns, { named: true, subresource: sub });
    if (t.res.group !== '' || t.res.resource !== 'pods') throw notFoundPath();
  }

  async getScale(ns: string | undefined, name: string): Promise<Obj> {
    const t = this.target('get', ns, { named: true, subresource: 'scale' });
    return this.registry.getScale(t.res, t.ns, name);
  }

  async updateScale(ns: string | undefined, name: string, scale: Obj, opts?: WriteOpts): Promise<Obj> {
    const t = this.target('update', ns, { named: true, subresource: 'scale' });
    return this.registry.updateScale(t.res, t.ns, name, scale, this.write(opts, 'scale'));
  }
}

/**
 * A KubeClient over the registry in this process. `user` is the identity every write is recorded
 * under; `userAgent` names the program (its first word becomes the default field manager).
 */
export function createInProcessClient(registry: RegistryLike, catalog: SchemaCatalog, user: UserInfo, userAgent: string): KubeClient {
  const clients = new Map<string, ResourceClient>();
  return {
    resource(group: string, version: string, resource: string): ResourceClient {
      const key = `${group}/${version}/${resource}`;
      const cached = clients.get(key);
      if (cached) return cached;
      const def = catalog.resource(group, version, resource);
      const c = new InProcessResource(registry, def, user, userAgent);
      // Unknown resources are not remembered: the catalog may learn them later (custom resources).
      if (def) clients.set(key, c);
      return c;
    },
    async resources(): Promise<ResourceInfo[]> {
      return catalog.resources().map(toResourceInfo);
    },
  };
}
