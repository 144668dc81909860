// The Status errors a PATCH can end in, as the API server's patch handler reports them
// (k8s.io/apiserver/pkg/endpoints/handlers/patch.go).
import { ApiError, badRequest, requestEntityTooLarge } from '../../api/status.js';

export { badRequest };

/**
 * 422 for a patch that decodes but cannot be applied. Upstream wraps the patch library's error in
 * NewGenericServerResponse(422, ...), whose message is the fixed text below (the library's own
 * text is dropped): kubectl prints "The request is invalid: the server rejected our request due
 * to an error in our request".
 */
export function patchNotApplicable(): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server rejected our request due to an error in our request',
    reason: 'Invalid',
    details: {},
    code: 422,
  });
}

/**
 * An error that is not a Status upstream: the handler's ErrorToAPIStatus answers 500 with
 * reason "" (StatusReasonUnknown) and the error text as message.
 */
export function unclassifiedPatchError(message: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: '', code: 500 });
}

/** Upstream's cap on JSON patch operations (maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

export function tooManyOperations(count: number): ApiError {
  return requestEntityTooLarge(
    `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${count}`,
  );
}
