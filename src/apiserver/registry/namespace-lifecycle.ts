// The namespace lifecycle reconciler. Upstream this is the namespace controller in
// kube-controller-manager (pkg/controller/namespace/deletion): once a namespace is Terminating it
// deletes every namespaced object in it, then removes the "kubernetes" finalizer through
// namespaces/finalize, and the namespace goes away. Kumo has no controller manager yet, so it
// lives in the registry until controllers exist; it acts only through the registry's own paths.
import type { Timer } from '../../util/clock.js';
import type { ResourceDef } from '../schema/types.js';
import { resourcePrefix } from '../watchcache/index.js';
import type { RegistryContext } from './context.js';
import { deleteObject } from './delete.js';
import { isObject, metaString, rfc3339 } from './object-meta.js';
import { storageOf } from './storage-mapping.js';
import { cacheOf } from './reader.js';
import type { ApiObject, WriteOptions } from './types.js';
import { updateObject } from './writer.js';

/** How often a namespace whose content is still being deleted is looked at again. */
const RETRY_MS = 2000;

export class NamespaceLifecycle {
  private readonly pending = new Set<string>();
  private running = false;
  private timer: Timer | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: RegistryContext,
    private readonly namespaces: ResourceDef,
  ) {}

  start(): void {
    this.stopped = false;
    const cache = cacheOf(this.ctx, this.namespaces);
    this.unsubscribe = cache.subscribe((ev) => {
      if (ev.type !== 'DELETED' && isTerminating(ev.object.object)) this.enqueue(metaString(ev.object.object, 'name'));
    });
    for (const c of cache.list('')) if (isTerminating(c.object)) this.pending.add(metaString(c.object, 'name'));
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.timer?.cancel();
  }

  private enqueue(name: string): void {
    this.pending.add(name);
    this.kick();
  }

  private kick(): void {
    if (this.running || this.stopped || this.pending.size === 0) return;
    this.running = true;
    void this.drain().finally(() => {
      this.running = false;
      if (this.pending.size > 0 && !this.stopped) {
        this.timer?.cancel();
        this.timer = this.ctx.clock.setTimer(RETRY_MS, () => this.kick());
      }
    });
  }

  private async drain(): Promise<void> {
    const names = [...this.pending];
    this.pending.clear();
    for (const name of names) {
      if (this.stopped) return;
      try {
        if (!(await this.reconcile(name))) this.pending.add(name);
      } catch {
        this.pending.add(name);
      }
    }
  }

  /** One pass over a terminating namespace; true when nothing is left to do for it. */
  async reconcile(name: string): Promise<boolean> {
    const opts = systemWrite();
    for (const res of storedNamespacedResources(this.ctx)) {
      const cache = cacheOf(this.ctx, res);
      for (const c of cache.list(resourcePrefix(this.ctx.store.prefix, storageOf(res).ref, name))) {
        if (isObject(c.object.metadata) && c.object.metadata.deletionTimestamp) continue;
        try {
          await deleteObject(this.ctx, res, name, metaString(c.object, 'name'), {}, opts);
        } catch (err) {
          if ((err as { reason?: string }).reason !== 'NotFound') throw err;
        }
      }
    }
    await this.ctx.hub.waitFresh(this.ctx.blockTimeoutMs);
    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    for (const res of storedNamespacedResources(this.ctx)) {
      const left = cacheOf(this.ctx, res).list(resourcePrefix(this.ctx.store.prefix, storageOf(res).ref, name));
      if (left.length === 0) continue;
      remaining.set(res.group ? `${res.resource}.${res.group}` : res.resource, left.length);
      for (const c of left) {
        const fins = isObject(c.object.metadata) && Array.isArray(c.object.metadata.finalizers) ? c.object.metadata.finalizers : [];
        for (const f of fins) if (typeof f === 'string') finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
      }
    }
    await this.reportConditions(name, remaining, finalizers, opts);
    if (remaining.size > 0) return false;
    // Empty: drop the "kubernetes" finalizer, then delete the namespace itself.
    try {
      await updateObject(this.ctx, this.namespaces, undefined, name, {
        allowCreate: false,
        produce: (ns) => {
          const spec = isObject(ns?.spec) ? ns.spec : {};
          const fins = Array.isArray(spec.finalizers) ? spec.finalizers.filter((f) => f !== 'kubernetes') : [];
          return { ...(ns as ApiObject), spec: { ...spec, finalizers: fins } };
        },
      }, { ...opts, subresource: 'finalize' });
      await deleteObject(this.ctx, this.namespaces, undefined, name, {}, opts);
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'NotFound') throw err;
    }
    return true;
  }

  /** Writes the deletion conditions to namespaces/status, keeping transition times of unchanged ones. */
  private async reportConditions(name: string, remaining: Map<string, number>, finalizers: Map<string, number>, opts: WriteOptions): Promise<void> {
    const now = rfc3339(this.ctx.clock.now());
    try {
      await updateObject(
        this.ctx,
        this.namespaces,
        undefined,
        name,
        {
          allowCreate: false,
          produce: (ns) => {
            const obj = ns as ApiObject;
            const status = isObject(obj.status) ? obj.status : (obj.status = {});
            const old = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
            status.conditions = deletionConditions(remaining, finalizers).map((c) => {
              const prev = old.find((o) => o.type === c.type);
              return { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now };
            });
            return obj;
          },
        },
        { ...opts, subresource: 'status' },
      );
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'NotFound') throw err;
    }
  }
}

/** The namespace's deletion conditions, as the namespace controller reports them (namespaced_resources_deleter.go). */
function deletionConditions(remaining: Map<string, number>, finalizers: Map<string, number>): { type: string; status: string; reason: string; message: string }[] {
  const list = (m: Map<string, number>, fmt: (k: string, n: number) => string) => [...m].map(([k, n]) => fmt(k, n)).sort().join(', ');
  return [
    { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
    { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
    { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
    remaining.size > 0
      ? { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${list(remaining, (k, n) => `${k} has ${n} resource instances`)}` }
      : { type: 'NamespaceContentRemaining', status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
    finalizers.size > 0
      ? { type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${list(finalizers, (k, n) => `${k} in ${n} resource instances`)}` }
      : { type: 'NamespaceFinalizersRemaining', status: 'False', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
  ];
}

function isTerminating(ns: Readonly<ApiObject>): boolean {
  return isObject(ns.status) && ns.status.phase === 'Terminating';
}

/** Namespaced resources the registry stores, one version per group/resource. */
export function storedNamespacedResources(ctx: RegistryContext): ResourceDef[] {
  const seen = new Set<string>();
  const out: ResourceDef[] = [];
  for (const r of ctx.catalog.resources()) {
    if (!r.namespaced || !r.verbs.includes('list') || !r.verbs.includes('delete')) continue;
    const id = storageOf(r).ref.id;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(r);
  }
  return out;
}

function systemWrite(): WriteOptions {
  return { user: { username: 'system:serviceaccount:kube-system:namespace-controller', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] }, dryRun: false, fieldValidation: 'Ignore', warnings: [] };
}
