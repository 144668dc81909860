// The client contract: the only way the scheduler, controllers, simulated kubelet and cloud code
// talk to Kubernetes. Two implementations share it: in-process (calls the Registry directly) and
// HTTP (talks to an API server over HTTPS). Objects stay plain JSON (`Obj`); objects.ts has typed
// accessors. Every failure the server answers is an ApiError (src/api/status.ts) carrying the
// Status; errors.ts has isNotFound/isConflict/... to test for them.

/** A Kubernetes object as JSON: apiVersion, kind, metadata, spec, status, ... */
export type Obj = Record<string, unknown>;

/** A <Kind>List: items plus list metadata (resourceVersion, continue token). */
export interface ObjList {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: Obj[];
}

/**
 * One watch event. ERROR events never appear here: the watch's iterator throws the ApiError they
 * carry instead (410 Gone/Expired when the resourceVersion is too old), which ends the watch.
 * BOOKMARK objects carry only metadata.resourceVersion (and, at the end of the initial events of a
 * sendInitialEvents watch, the annotation k8s.io/initial-events-end: "true").
 */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: Obj;
}

export interface ListOpts {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  /** '' (default): a consistent read from storage; '0': whatever the cache holds; 'N': at least N. */
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export interface WatchOpts {
  /** Changes after this version; '' or '0' (or sendInitialEvents) first replays the current state as ADDED. */
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  /**
   * WatchList: the current state as ADDED events, then (with allowWatchBookmarks) a bookmark marking
   * their end. Upstream requires resourceVersionMatch NotOlderThan with it; the clients send that
   * when resourceVersionMatch is unset.
   */
  sendInitialEvents?: boolean;
  resourceVersionMatch?: 'NotOlderThan';
  /** The server ends the watch after this long. */
  timeoutSeconds?: number;
  /** Aborting ends the watch: the iterator returns. */
  signal: AbortSignal;
}

export interface WriteOpts {
  /** dryRun=All: the server runs every step but stores nothing. */
  dryRun?: boolean;
  fieldManager?: string;
  /** Unknown or duplicate fields: 'Strict' (the default of both clients) fails the write with 400. */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface PatchOpts extends WriteOpts {
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
  /** 'status' or 'scale' to patch that subresource. */
  subresource?: string;
}

/** metav1.DeleteOptions. */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  dryRun?: boolean;
}

/** One served resource, as discovery describes it. */
export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural, lower case. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  /** Subresources served: 'status', 'scale', ... */
  subresources: string[];
}

/**
 * Operations on one resource (group, version, plural). `ns` is the namespace for namespaced
 * resources and undefined (or '') for cluster-scoped ones; list/watch/deleteCollection with ns
 * undefined span every namespace. create/update/updateStatus take the namespace from the object's
 * metadata when `ns` is undefined.
 */
export interface ResourceClient {
  get(ns: string | undefined, name: string): Promise<Obj>;
  list(ns: string | undefined, opts?: ListOpts): Promise<ObjList>;
  /** Iterate with `for await`; abort opts.signal to stop. Throws ApiError on an ERROR event. */
  watch(ns: string | undefined, opts: WatchOpts): AsyncIterable<WatchEvent>;
  create(ns: string | undefined, obj: Obj, opts?: WriteOpts): Promise<Obj>;
  /** PUT: optimistic concurrency on metadata.resourceVersion (409 Conflict when stale). */
  update(ns: string | undefined, obj: Obj, opts?: WriteOpts): Promise<Obj>;
  /** PUT of the status subresource. */
  updateStatus(ns: string | undefined, obj: Obj, opts?: WriteOpts): Promise<Obj>;
  /** body: a JSON Patch array, a merge/strategic patch object, or the applied configuration. */
  patch(ns: string | undefined, name: string, type: PatchType, body: unknown, opts?: PatchOpts): Promise<Obj>;
  /**
   * The object as the server answers a DELETE: the object itself (with deletionTimestamp while
   * finalizers or a grace period keep it), or a Success Status for kinds that answer with one.
   */
  delete(ns: string | undefined, name: string, opts?: DeleteOptions): Promise<Obj>;
  /** Deletes every object the list options select; returns the list of what was deleted. */
  deleteCollection(ns: string | undefined, listOpts?: ListOpts, deleteOpts?: DeleteOptions): Promise<ObjList>;
  /** pods/binding: assigns the pod to the node (scheduler). `uid` guards against a recreated pod. */
  bind(ns: string, podName: string, nodeName: string, opts?: WriteOpts & { uid?: string }): Promise<void>;
  /** pods/eviction: deletes the pod unless a PodDisruptionBudget forbids it (429 TooManyRequests). */
  evict(ns: string, podName: string, deleteOptions?: DeleteOptions): Promise<void>;
  /** GET <resource>/<name>/scale: an autoscaling/v1 Scale. */
  getScale(ns: string | undefined, name: string): Promise<Obj>;
  /** PUT <resource>/<name>/scale. */
  updateScale(ns: string | undefined, name: string, scale: Obj, opts?: WriteOpts): Promise<Obj>;
}

export interface KubeClient {
  resource(group: string, version: string, resource: string): ResourceClient;
  /** Every resource the server serves (discovery), e.g. for garbage collection and namespace deletion. */
  resources(): Promise<ResourceInfo[]>;
}
