// Informers the workload controllers share, with the indexes they use. Index functions are
// module-level constants: the factory refuses an index name bound to a different function.
import type { IndexFunc } from '../../client/cache.js';
import type { Informer } from '../../client/informer.js';
import type { SharedInformerFactory } from '../../client/informer-factory.js';
import { controllerOf } from '../../client/objects.js';
import type { KubeClient, ResourceClient } from '../../client/types.js';
import { resourceClient } from './resources.js';
import type { Gvr } from './resources.js';

export const BY_CONTROLLER_UID = 'controllerUID';

export const byControllerUid: IndexFunc = (obj) => {
  const ref = controllerOf(obj);
  return ref ? [ref.uid] : [];
};

export function informerOf(factory: SharedInformerFactory, gvr: Gvr): Informer {
  return factory.informerFor(gvr.group, gvr.version, gvr.resource);
}

/** An informer whose objects are also indexed by their controller's uid. */
export function ownedInformer(factory: SharedInformerFactory, gvr: Gvr): Informer {
  return factory.informerFor(gvr.group, gvr.version, gvr.resource, { [BY_CONTROLLER_UID]: byControllerUid });
}

/** A resource a controller reads through its owned informer and writes through a client. */
export interface OwnedResource {
  readonly informer: Informer;
  readonly client: ResourceClient;
}

export function ownedResource(deps: { client: KubeClient; informers: SharedInformerFactory }, gvr: Gvr): OwnedResource {
  return { informer: ownedInformer(deps.informers, gvr), client: resourceClient(deps.client, gvr) };
}
