// AdmissionLookup over the Registry: lists with a consistent read and writes status as the system
// user, the way upstream's admission plugins use the loopback client.
import type { Registry } from '../registry/index.js';
import type { WriteOptions } from '../registry/index.js';
import type { SchemaCatalog } from '../schema/types.js';
import type { Clock } from '../../util/clock.js';
import type { AdmissionLookup, AdmissionObject } from './types.js';

const SYSTEM: WriteOptions = { user: { username: 'system:apiserver', groups: ['system:masters'] }, dryRun: false, fieldValidation: 'Ignore', warnings: [], subresource: 'status' };

export function registryAdmissionLookup(registry: Pick<Registry, 'list' | 'get' | 'update'>, catalog: SchemaCatalog, clock: Clock): AdmissionLookup {
  const def = (group: string, version: string, resource: string) => {
    const r = catalog.resource(group, version, resource);
    if (!r) throw new Error(`admission lookup: unknown resource ${group}/${version}/${resource}`);
    return r;
  };
  return {
    async list(group, version, resource, namespace) {
      const list = await registry.list(def(group, version, resource), namespace, {});
      return (list.items as AdmissionObject[]) ?? [];
    },
    async get(group, version, resource, namespace, name) {
      try {
        return (await registry.get(def(group, version, resource), namespace, name, {})) as AdmissionObject;
      } catch (err) {
        if ((err as { reason?: string }).reason === 'NotFound') return undefined;
        throw err;
      }
    },
    async updateStatus(group, version, resource, obj) {
      const meta = (obj.metadata ?? {}) as Record<string, unknown>;
      const r = def(group, version, resource);
      const res = await registry.update(r, r.namespaced ? String(meta.namespace ?? '') : undefined, String(meta.name ?? ''), obj, { ...SYSTEM, warnings: [] });
      return res.object;
    },
    now: () => clock.now(),
  };
}
