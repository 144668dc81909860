// CrdBackend over Kumo's registry: CRDs are listed and then watched through the registry's watch
// cache (relisting after a watch ends), status and finalizer changes are registry updates of
// the CRD (status through the status subresource), custom objects are listed and deleted through
// the registry like any client would.
import type { Registry, WriteOptions } from '../registry/index.js';
import type { MutableCatalog } from '../schema/catalog.js';
import type { ResourceDef } from '../schema/types.js';
import type { Clock } from '../../util/clock.js';
import type { CrdBackend, CrdEventType } from './controller.js';
import { CRD_GROUP, isPlainObject, type CustomResourceDefinition, type CustomResourceDefinitionStatus } from './types.js';

/** The registry methods the backend uses (Registry satisfies it). */
export type CrdRegistry = Pick<Registry, 'list' | 'watch' | 'updateWith' | 'delete'>;

/** Delay before relisting after a watch ended or failed. */
const REWATCH_MS = 500;

const writeOptions = (subresource?: string): WriteOptions => ({
  user: { username: 'system:apiserver', groups: ['system:masters'] },
  dryRun: false,
  fieldManager: 'kube-apiserver',
  fieldValidation: 'Ignore',
  subresource,
  warnings: [],
});

function itemsOf(list: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(list.items) ? list.items.filter(isPlainObject) : [];
}

const isNotFound = (err: unknown) => (err as { status?: { reason?: string } })?.status?.reason === 'NotFound';

export function registryCrdBackend(registry: CrdRegistry, catalog: MutableCatalog, clock: Clock): CrdBackend {
  const crdResource = (): ResourceDef => {
    const r = catalog.resource(CRD_GROUP, 'v1', 'customresourcedefinitions');
    if (!r) throw new Error('apiextensions.k8s.io/v1 customresourcedefinitions is not served');
    return r;
  };

  return {
    watchCrds(onEvent) {
      const abort = new AbortController();
      const known = new Map<string, CustomResourceDefinition>();
      const emit = (type: CrdEventType, crd: CustomResourceDefinition) => {
        const name = String(crd.metadata?.name ?? '');
        if (type === 'DELETED') known.delete(name);
        else known.set(name, crd);
        onEvent(type, crd);
      };
      const run = async () => {
        while (!abort.signal.aborted) {
          try {
            const list = await registry.list(crdResource(), undefined, {});
            const seen = new Set<string>();
            for (const item of itemsOf(list)) {
              const crd = item as CustomResourceDefinition;
              const name = String(crd.metadata?.name ?? '');
              seen.add(name);
              emit(known.has(name) ? 'MODIFIED' : 'ADDED', crd);
            }
            for (const [name, crd] of [...known]) if (!seen.has(name)) emit('DELETED', crd);
            const rv = isPlainObject(list.metadata) ? String(list.metadata.resourceVersion ?? '') : '';
            for await (const ev of registry.watch(crdResource(), undefined, { resourceVersion: rv, allowWatchBookmarks: true, signal: abort.signal })) {
              if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED') emit(ev.type, ev.object as CustomResourceDefinition);
              else if (ev.type === 'ERROR') break;
            }
          } catch {
            // The store or watch cache failed or expired: relist after a pause.
          }
          if (!abort.signal.aborted) await clock.sleep(REWATCH_MS);
        }
      };
      void run();
      return () => abort.abort();
    },

    async updateCrdStatus(name: string, status: CustomResourceDefinitionStatus) {
      await registry.updateWith(crdResource(), undefined, name, {
        allowCreate: false,
        produce: (obj) => {
          if (!obj) return {};
          obj.status = structuredClone(status);
          return obj;
        },
      }, writeOptions('status'));
    },

    async listObjects(res: ResourceDef) {
      const list = await registry.list(res, undefined, {});
      return itemsOf(list).map((o) => {
        const m = isPlainObject(o.metadata) ? o.metadata : {};
        const out: { namespace?: string; name: string } = { name: String(m.name ?? '') };
        if (typeof m.namespace === 'string' && m.namespace) out.namespace = m.namespace;
        return out;
      });
    },

    async deleteObject(res: ResourceDef, namespace: string | undefined, name: string) {
      try {
        await registry.delete(res, namespace, name, {}, writeOptions());
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },

    async removeFinalizer(name: string, finalizer: string) {
      await registry.updateWith(crdResource(), undefined, name, {
        allowCreate: false,
        produce: (obj) => {
          if (!obj) return {};
          const m = isPlainObject(obj.metadata) ? obj.metadata : {};
          if (Array.isArray(m.finalizers)) m.finalizers = m.finalizers.filter((f) => f !== finalizer);
          return obj;
        },
      }, writeOptions());
    },
  };
}
