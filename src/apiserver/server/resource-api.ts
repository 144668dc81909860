// The registry as the HTTP layer sees it: one call per REST verb, in the server's own terms. The
// composition root adapts the registry to this interface.
import type { ResourceDef } from '../schema/types.js';
import type { RequestUser } from './deps.js';
import type { DeleteQuery, FieldValidation, ListQuery } from './query-options.js';

export type Obj = Record<string, unknown>;

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Obj;
}

export interface WriteContext {
  user: RequestUser;
  dryRun: boolean;
  fieldManager?: string;
  fieldValidation: FieldValidation;
  userAgent?: string;
  subresource?: string;
  /** Filled by the registry; each becomes a `Warning: 299 - "..."` header. */
  warnings: string[];
}

export type PatchKind = 'json' | 'merge' | 'strategic' | 'apply';

/** Where an object lives: `namespace` is '' for cluster-scoped resources. */
export interface Target {
  res: ResourceDef;
  namespace: string;
}

export interface WriteResult {
  object: Obj;
  /** True when the write created the object (201 instead of 200). */
  created: boolean;
}

export interface DeleteResult {
  /** The deleted object (200), the object still terminating (202), or a Status. */
  object: Obj;
  code: 200 | 202;
}

export interface ResourceApi {
  get(t: Target, name: string, opts: { resourceVersion?: string }, user: RequestUser): Promise<Obj>;
  list(t: Target, opts: ListQuery, user: RequestUser): Promise<Obj>;
  /** The event stream; it must stop when `signal` aborts. */
  watch(t: Target, opts: ListQuery, signal: AbortSignal, user: RequestUser): Promise<AsyncIterable<WatchEvent>>;
  create(t: Target, obj: Obj, ctx: WriteContext): Promise<Obj>;
  update(t: Target, name: string, obj: Obj, ctx: WriteContext): Promise<WriteResult>;
  patch(t: Target, name: string, kind: PatchKind, patch: Buffer, ctx: WriteContext & { force: boolean }): Promise<WriteResult>;
  delete(t: Target, name: string, opts: DeleteQuery & { body?: Obj }, ctx: WriteContext): Promise<DeleteResult>;
  deleteCollection(t: Target, list: ListQuery, opts: DeleteQuery & { body?: Obj }, ctx: WriteContext): Promise<Obj>;

  /** GET of a subresource (status, scale, log). Strings are sent as text/plain (pods/log). */
  getSubresource(t: Target, name: string, subresource: string, query: URLSearchParams, user: RequestUser): Promise<Obj | string>;
  /** POST to a subresource (binding, eviction, token); the object has the subresource's kind. */
  createSubresource(t: Target, name: string, subresource: string, obj: Obj, ctx: WriteContext): Promise<Obj>;
  updateSubresource(t: Target, name: string, subresource: string, obj: Obj, ctx: WriteContext): Promise<WriteResult>;
  patchSubresource(t: Target, name: string, subresource: string, kind: PatchKind, patch: Buffer, ctx: WriteContext & { force: boolean }): Promise<WriteResult>;
}

/** Builds Table responses (meta.k8s.io Table) for a resource's objects. */
export type TableBuilder = (res: ResourceDef, objects: Obj[], opts: { includeObject: 'None' | 'Metadata' | 'Object'; noHeaders: boolean; listMeta?: Obj }) => Obj;
