// The client layer: typed client (in-process and HTTP), informers, listers, controller runner.
export type * from './types.js';
export * from './errors.js';
export * as objects from './objects.js';
export { createInProcessClient } from './in-process.js';
export type { RegistryLike } from './in-process.js';
export { createHttpClient } from './http.js';
export type { HttpClientOptions, HttpKubeClient } from './http.js';
export { clientOptionsFromKubeconfig, clientOptionsFromKubeconfigFile } from './kubeconfig.js';
export { IndexedCache, NAMESPACE_INDEX, namespaceIndexFunc } from './cache.js';
export type { IndexFunc, Indexers, Lister } from './cache.js';
export { Informer } from './informer.js';
export type { EventHandler, HandlerRegistration, InformerOptions } from './informer.js';
export { SharedInformerFactory } from './informer-factory.js';
export type { SharedInformerFactoryOptions } from './informer-factory.js';
export { enqueueHandler, runController } from './controller.js';
export type { Controller, RunControllerOptions } from './controller.js';
export { retryOnConflict } from './retry.js';
export type { RetryOptions } from './retry.js';
