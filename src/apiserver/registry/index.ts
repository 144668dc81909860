// The registry layer of the API server: generic REST storage over the Store with a watch cache.
export { Registry, SYSTEM_NAMESPACES } from './registry.js';
export type { RegistryOptions } from './registry.js';
export type { UserInfo, WriteOptions, ListOptions, WatchOptions, WatchEventOut, PatchType } from './types.js';
export type { DeleteResult } from './delete.js';
export type { UpdatePlan, UpdateResult } from './writer.js';
export { INITIAL_EVENTS_END } from './watch.js';
export { DEFAULT_SERVICE_NETWORK } from './service-addresses.js';
export type { ServiceNetwork } from './service-addresses.js';
export { serializeJSON, serializeJSONBytes } from '../watchcache/index.js';
