// Tests for the API errors clients act on (k8s.io/apimachinery/pkg/api/errors Is*), by the
// Status reason and, where upstream also does, the HTTP code.
import { ApiError } from '../api/status.js';
import type { StatusReason } from '../api/status.js';

export { ApiError };

export function reasonOf(err: unknown): StatusReason | undefined {
  return err instanceof ApiError ? err.status.reason : undefined;
}

function is(err: unknown, reason: StatusReason, code: number): boolean {
  if (!(err instanceof ApiError)) return false;
  // Upstream's ReasonForError falls back to the code when the reason is unknown.
  return err.status.reason === reason || (!err.status.reason && err.status.code === code);
}

export function isNotFound(err: unknown): boolean {
  return is(err, 'NotFound', 404);
}

export function isAlreadyExists(err: unknown): boolean {
  return is(err, 'AlreadyExists', 409);
}

/** The optimistic-concurrency failure: re-read and retry. */
export function isConflict(err: unknown): boolean {
  return is(err, 'Conflict', 409);
}

/**
 * 410: reason Gone, or Expired (a resourceVersion or continue token too old). The reflector
 * relists on either (client-go: IsResourceExpired(err) || IsGone(err)).
 */
export function isGone(err: unknown): boolean {
  return err instanceof ApiError && (err.status.code === 410 || err.status.reason === 'Gone' || err.status.reason === 'Expired');
}

export function isInvalid(err: unknown): boolean {
  return is(err, 'Invalid', 422);
}

export function isForbidden(err: unknown): boolean {
  return is(err, 'Forbidden', 403);
}

export function isUnauthorized(err: unknown): boolean {
  return is(err, 'Unauthorized', 401);
}

export function isBadRequest(err: unknown): boolean {
  return is(err, 'BadRequest', 400);
}

/** 429: e.g. an eviction a PodDisruptionBudget forbids right now. */
export function isTooManyRequests(err: unknown): boolean {
  return is(err, 'TooManyRequests', 429);
}

export function isMethodNotAllowed(err: unknown): boolean {
  return is(err, 'MethodNotAllowed', 405);
}

/** 504 Timeout or 500/504 ServerTimeout: worth retrying. */
export function isTimeout(err: unknown): boolean {
  return is(err, 'Timeout', 504) || reasonOf(err) === 'ServerTimeout';
}
