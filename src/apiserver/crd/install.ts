// The CRD machinery over Kumo's registry in one call, for the composition root: the controller
// (fed by the registry's watch of CRDs) and the hooks the registry's write and read paths consult.
import type { Clock } from '../../util/clock.js';
import type { MutableCatalog } from '../schema/catalog.js';
import { CrdController } from './controller.js';
import { customResourceHooks, type CustomResourceHooks } from './hooks.js';
import { endpointServiceResolver } from './service-resolver.js';
import { registryCrdBackend, type CrdRegistry } from './registry-backend.js';
import type { Registry } from '../registry/index.js';

export interface CustomResources {
  controller: CrdController;
  hooks: CustomResourceHooks;
  /** Stops the controller and its watch of CRDs (before the registry stops). */
  stop(): void;
}

/** Starts serving the CRDs stored in the registry; call after registry.start(). */
export function startCustomResources(registry: CrdRegistry & Pick<Registry, 'useCustomResources' | 'get'>, catalog: MutableCatalog, clock: Clock): CustomResources {
  const controller = new CrdController(registryCrdBackend(registry, catalog, clock), catalog, clock);
  controller.start();
  // Conversion webhooks' service references resolve through the cluster's Services and EndpointSlices.
  const resolveService = endpointServiceResolver({
    service: async (namespace, name) => {
      const services = catalog.resource('', 'v1', 'services');
      if (!services) return undefined;
      try {
        return await registry.get(services, namespace, name, {});
      } catch (err) {
        if ((err as { reason?: string }).reason === 'NotFound') return undefined;
        throw err;
      }
    },
    endpointSlices: async (namespace, name) => {
      const slices = catalog.resource('discovery.k8s.io', 'v1', 'endpointslices');
      if (!slices) return [];
      const found = await registry.list(slices, namespace, { labelSelector: `kubernetes.io/service-name=${name}` });
      return Array.isArray(found.items) ? (found.items as Record<string, unknown>[]) : [];
    },
  });
  const hooks = customResourceHooks(controller, resolveService);
  registry.useCustomResources(hooks);
  return { controller, hooks, stop: () => controller.stop() };
}
