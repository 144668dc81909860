// What the registry's parts share.
import type { Store } from '../../storage/types.js';
import type { AdmissionLookup, AdmissionPlugin } from '../admission/types.js';
import type { CustomResourceHandlers } from '../crd/hooks.js';
import type { ResourceDef } from '../schema/types.js';
import type { Clock } from '../../util/clock.js';
import type { SchemaCatalog } from '../schema/types.js';
import type { CacheHub } from '../watchcache/index.js';
import type { ServiceNetwork } from './service-addresses.js';

export interface RegistryContext {
  store: Store;
  catalog: SchemaCatalog;
  clock: Clock;
  hub: CacheHub;
  /** How long a read waits for the cache to reach a resourceVersion (upstream blockTimeout: 3s). */
  blockTimeoutMs: number;
  /** Where Service ClusterIPs and node ports come from. */
  serviceNetwork: ServiceNetwork;
  /** The admission chain every create and update passes (none until the composition root sets one). */
  admission?: { plugins: readonly AdmissionPlugin[]; lookup: AdmissionLookup };
  /** Schema-driven pruning, defaulting and validation of custom resources (set once CRDs are served). */
  customResources?: { forResource(res: ResourceDef): CustomResourceHandlers | undefined };
}
