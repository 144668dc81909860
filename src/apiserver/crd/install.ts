// The CRD machinery over Kumo's registry in one call, for the composition root: the controller
// (fed by the registry's watch of CRDs) and the hooks the registry's write and read paths consult.
import type { Clock } from '../../util/clock.js';
import type { MutableCatalog } from '../schema/catalog.js';
import { CrdController } from './controller.js';
import { customResourceHooks, type CustomResourceHooks } from './hooks.js';
import { clusterIPServiceResolver } from './service-resolver.js';
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
  const services = catalog.resource('', 'v1', 'services');
  // Conversion webhooks' service references resolve through the cluster's Services.
  const resolveService = clusterIPServiceResolver(async (namespace, name) => {
    if (!services) return undefined;
    try {
      return await registry.get(services, namespace, name, {});
    } catch (err) {
      if ((err as { reason?: string }).reason === 'NotFound') return undefined;
      throw err;
    }
  });
  const hooks = customResourceHooks(controller, resolveService);
  registry.useCustomResources(hooks);
  return { controller, hooks, stop: () => controller.stop() };
}
