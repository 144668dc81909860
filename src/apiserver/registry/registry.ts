// The registry: generic REST storage of every resource over the Store, with a watch cache.
// The HTTP layer parses requests and calls these methods; errors are ApiErrors (Status).
import type { Store } from '../../storage/types.js';
import type { Clock } from '../../util/clock.js';
import type { ResourceDef, SchemaCatalog } from '../schema/types.js';
import { CacheHub } from '../watchcache/index.js';
import type { RegistryContext } from './context.js';
import { deleteObject } from './delete.js';
import type { DeleteResult } from './delete.js';
import { parseResourceVersion, validateWatchOptions } from './list-options.js';
import { EventExpiry } from './event-ttl.js';
import { NamespaceLifecycle } from './namespace-lifecycle.js';
import { metaString } from './object-meta.js';
import { getObject, groupVersion, listObjects } from './reader.js';
import { patchObject } from './patch.js';
import { bindPod, evictPod } from './pods.js';
import { getScale, updateScale } from './scale.js';
import { selectionFor } from './selection.js';
import { DEFAULT_SERVICE_NETWORK, parseRange } from './service-addresses.js';
import type { ServiceNetwork } from './service-addresses.js';
import type { AdmissionLookup, AdmissionPlugin } from '../admission/types.js';
import { allowsCreateOnUpdate } from './strategy.js';
import type { ApiObject, ListOptions, PatchType, WatchEventOut, WatchOptions, WriteOptions } from './types.js';
import { watchObjects } from './watch.js';
import type { UpdatePlan, UpdateResult } from './writer.js';
import { createObject, updateObject, updatePlanFromBody } from './writer.js';

export interface RegistryOptions {
  store: Store;
  catalog: SchemaCatalog;
  clock: Clock;
  /** Period of watch BOOKMARKs (allowWatchBookmarks). Upstream: about a minute. */
  bookmarkIntervalMs?: number;
  /** Events kept per resource in the watch cache. Default 10,000. */
  watchCacheSize?: number;
  /** Events a watcher may fall behind before it is dropped. Default 10,000. */
  watchQueueLimit?: number;
  /** How long reads wait for the cache to reach a resourceVersion. Upstream: 3s. */
  blockTimeoutMs?: number;
  /** Service ClusterIP range and node port range. Default: EKS's 10.100.0.0/16, 30000-32767. */
  serviceNetwork?: ServiceNetwork;
  /** Events are deleted this long after their last write (--event-ttl). Default 1h; 0 keeps them. */
  eventTTLMs?: number;
}

/** Namespaces every cluster has (kube-apiserver's system namespaces controller creates them). */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export class Registry {
  private readonly ctx: RegistryContext;
  private readonly bookmarkIntervalMs: number;
  private readonly queueLimit: number;
  private lifecycle: NamespaceLifecycle | undefined;
  private readonly eventExpiry: EventExpiry | undefined;

  constructor(opts: RegistryOptions) {
    const hub = new CacheHub(opts.store, opts.clock, { capacity: opts.watchCacheSize });
    const serviceNetwork = opts.serviceNetwork ?? DEFAULT_SERVICE_NETWORK;
    parseRange(serviceNetwork.clusterIPRange);
    this.ctx = { store: opts.store, catalog: opts.catalog, clock: opts.clock, hub, blockTimeoutMs: opts.blockTimeoutMs ?? 3000, serviceNetwork };
    this.bookmarkIntervalMs = opts.bookmarkIntervalMs ?? 60_000;
    this.queueLimit = opts.watchQueueLimit ?? 10_000;
    const ttl = opts.eventTTLMs ?? 3_600_000;
    if (ttl > 0) this.eventExpiry = new EventExpiry(this.ctx, ttl);
  }

  /**
   * Installs the admission chain (mutating admit, then validating validate) that creates and
   * updates pass; the lookup usually reads back through this registry, hence not a constructor option.
   */
  useAdmission(plugins: readonly AdmissionPlugin[], lookup: AdmissionLookup): void {
    this.ctx.admission = { plugins, lookup };
  }

  /** Custom resources are pruned, defaulted and validated by their CRD's schema through these hooks. */
  useCustomResources(hooks: NonNullable<RegistryContext['customResources']>): void {
    this.ctx.customResources = hooks;
  }

  /** The shared parts, for the registry's own subresource modules. */
  get context(): RegistryContext {
    return this.ctx;
  }

  async start(): Promise<void> {
    await this.ctx.hub.start();
    const namespaces = this.resource('', 'v1', 'namespaces');
    for (const name of SYSTEM_NAMESPACES) {
      try {
        await createObject(this.ctx, namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, systemOptions());
      } catch (err) {
        if ((err as { reason?: string }).reason !== 'AlreadyExists') throw err;
      }
    }
    this.lifecycle = new NamespaceLifecycle(this.ctx, namespaces);
    this.lifecycle.start();
    this.eventExpiry?.start();
  }

  async stop(): Promise<void> {
    this.eventExpiry?.stop();
    this.lifecycle?.stop();
    await this.ctx.hub.stop();
  }

  private resource(group: string, version: string, resource: string): ResourceDef {
    const r = this.ctx.catalog.resource(group, version, resource);
    if (!r) throw new Error(`the schema catalog has no ${group}/${version}/${resource}`);
    return r;
  }

  get(res: ResourceDef, namespace: string | undefined, name: string, opts: { resourceVersion?: string }): Promise<ApiObject> {
    return getObject(this.ctx, res, namespace, name, opts.resourceVersion);
  }

  /** A <Kind>List. Its items are shared, frozen cache objects: read-only; serialize with serializeJSON. */
  list(res: ResourceDef, namespace: string | undefined, opts: ListOptions): Promise<ApiObject> {
    return listObjects(this.ctx, res, namespace, opts);
  }

  /**
   * Bad options throw (400/422) at call time; later failures (410 too old, 504 too large) arrive
   * as an ERROR event that ends the stream. Event objects are frozen and shared.
   */
  watch(res: ResourceDef, namespace: string | undefined, opts: WatchOptions): AsyncIterable<WatchEventOut> {
    validateWatchOptions(opts);
    const sel = selectionFor(res, opts, this.ctx.customResources?.forResource(res)?.fieldSelectors);
    const rv = parseResourceVersion(opts.resourceVersion);
    return watchObjects(this.ctx, res, namespace, opts, sel, rv, { bookmarkIntervalMs: this.bookmarkIntervalMs, queueLimit: this.queueLimit });
  }

  create(res: ResourceDef, namespace: string | undefined, body: ApiObject, opts: WriteOptions): Promise<ApiObject> {
    return createObject(this.ctx, res, namespace, body, opts);
  }

  update(res: ResourceDef, namespace: string | undefined, name: string, body: ApiObject, opts: WriteOptions): Promise<UpdateResult> {
    if (opts.subresource === 'scale') return updateScale(this.ctx, res, namespace, name, body, opts).then((object) => ({ object, created: false }));
    return updateObject(this.ctx, res, namespace, name, updatePlanFromBody(body, allowsCreateOnUpdate(res)), opts);
  }

  /** Read-modify-write with retries on conflicts; `plan.produce` builds the new object from the current one. */
  updateWith(res: ResourceDef, namespace: string | undefined, name: string, plan: UpdatePlan, opts: WriteOptions): Promise<UpdateResult> {
    return updateObject(this.ctx, res, namespace, name, plan, opts);
  }

  /** PATCH of the object, or of its status (opts.subresource 'status') or scale ('scale'). */
  patch(
    res: ResourceDef,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: Buffer | Record<string, unknown> | unknown[],
    opts: WriteOptions & { force?: boolean },
  ): Promise<UpdateResult> {
    return patchObject(this.ctx, res, namespace, name, type, patch, opts);
  }

  /** POST pods/<name>/binding. Returns the Status to answer with (201). */
  bindPod(namespace: string, podName: string, binding: ApiObject, opts: WriteOptions): Promise<ApiObject> {
    return bindPod(this.ctx, namespace, podName, binding, opts);
  }

  /** POST pods/<name>/eviction. Returns the Status to answer with (201); 429 when a PodDisruptionBudget forbids it. */
  evictPod(namespace: string, name: string, eviction: ApiObject, opts: WriteOptions): Promise<ApiObject> {
    return evictPod(this.ctx, namespace, name, eviction, opts);
  }

  /** GET <workload>/<name>/scale: an autoscaling/v1 Scale. */
  getScale(res: ResourceDef, namespace: string | undefined, name: string): Promise<ApiObject> {
    return getScale(this.ctx, res, namespace, name);
  }

  /** PUT <workload>/<name>/scale. (PATCH goes through patch() with opts.subresource 'scale'.) */
  updateScale(res: ResourceDef, namespace: string | undefined, name: string, scale: ApiObject, opts: WriteOptions): Promise<ApiObject> {
    return updateScale(this.ctx, res, namespace, name, scale, opts);
  }

  delete(res: ResourceDef, namespace: string | undefined, name: string, options: Record<string, unknown>, opts: WriteOptions): Promise<DeleteResult> {
    return deleteObject(this.ctx, res, namespace, name, options, opts);
  }

  /** Deletes every object the list options select; returns a <Kind>List of what was deleted. */
  async deleteCollection(res: ResourceDef, namespace: string | undefined, list: ListOptions, options: Record<string, unknown>, opts: WriteOptions): Promise<ApiObject> {
    const current = await listObjects(this.ctx, res, namespace, { ...list, limit: undefined, continue: undefined });
    const items: ApiObject[] = [];
    for (const item of current.items as ApiObject[]) {
      try {
        const r = await deleteObject(this.ctx, res, metaString(item, 'namespace') || namespace, metaString(item, 'name'), options, opts);
        items.push(r.object.kind === 'Status' ? item : r.object);
      } catch (err) {
        if ((err as { reason?: string }).reason !== 'NotFound') throw err;
      }
    }
    return { kind: res.listKind, apiVersion: groupVersion(res), metadata: { resourceVersion: (current.metadata as { resourceVersion: string }).resourceVersion }, items };
  }
}

function systemOptions(): WriteOptions {
  return { user: { username: 'system:apiserver', groups: ['system:masters'] }, dryRun: false, fieldValidation: 'Ignore', warnings: [] };
}
