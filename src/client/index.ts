// The client layer: typed client (in-process and HTTP), informers, listers, controller runner.
export type * from './types.js';
export * from './errors.js';
export * as objects from './objects.js';
