// Status errors of the storage layer in upstream's words (apiserver/pkg/storage/errors.go,
// etcd3/store.go, cacher) and the mapping of typed storage errors onto them.
import { ApiError, alreadyExists, conflict, internalError, notFound, OBJECT_MODIFIED, timeout } from '../../api/status.js';
import type { Status } from '../../api/status.js';
import { StorageError } from '../../storage/errors.js';

/** apierrors.NewResourceExpired: 410 with reason Expired and any message. */
export function resourceExpired(message: string, continueToken?: string): ApiError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Expired', code: 410 };
  if (continueToken) status.metadata = { continue: continueToken };
  return new ApiError(status);
}

export const LIST_EXPIRED = 'The resourceVersion for the provided list is too old.';
export const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, ' +
  'or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an ' +
  'inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** storage.NewTooLargeResourceVersionError: 504 Timeout, retry after 1s, cause ResourceVersionTooLarge. */
export function tooLargeResourceVersion(requested: number, current: number): ApiError {
  const err = timeout(`Timeout: Too large resource version: ${requested}, current: ${current}`);
  err.status.details = { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 };
  return err;
}

/** Maps a typed storage error for one object onto its Status; other errors pass through. */
export function fromStorageError(err: unknown, group: string, resource: string, name: string): unknown {
  if (err instanceof ApiError || !(err instanceof StorageError)) return err;
  switch (err.code) {
    case 'KeyExists':
      return alreadyExists(group, resource, name);
    case 'NotFound':
      return notFound(group, resource, name);
    case 'Conflict':
      return conflict(group, resource, name, OBJECT_MODIFIED);
    case 'ValueTooLarge':
      return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Request entity too large: limit is 3145728', reason: 'RequestEntityTooLarge', code: 413 });
    default:
      return internalError(err.message);
  }
}
