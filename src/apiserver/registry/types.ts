// The registry's request options, as the HTTP layer hands them over.

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface WriteOptions {
  user: UserInfo;
  /** dryRun=All: run every step, store nothing. */
  dryRun: boolean;
  fieldManager?: string;
  fieldValidation: 'Strict' | 'Warn' | 'Ignore';
  userAgent?: string;
  /** 'status', 'finalize', ... for writes to a subresource. */
  subresource?: string;
  /** Append-only: the server turns each into a Warning header. */
  warnings: string[];
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
  signal: AbortSignal;
}

export interface WatchEventOut {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export type ApiObject = Record<string, unknown>;
