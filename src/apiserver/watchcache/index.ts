export { CacheHub } from './cache-hub.js';
export type { CacheHubOptions } from './cache-hub.js';
export { ResourceCache } from './resource-cache.js';
export type { CacheEvent, CacheListener, CacheRange } from './resource-cache.js';
export type { CachedObject } from './cached-object.js';
export { cachedFromKv, cachedWithRv } from './cached-object.js';
export { serializeJSON, serializeJSONBytes, rememberJson, cachedJson, decodeKv, decodeValue, encodeValue, deepFreeze, metadataOf } from './codec.js';
export type { ApiObject } from './codec.js';
export { objectKey, resourcePrefix, resourceId, parseKey } from './keys.js';
