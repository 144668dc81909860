// Token lifetime rules shared by TokenRequest and the issuer (pkg/apis/authentication/validation,
// pkg/serviceaccount).
import { invalid, type ApiError } from '../../api/status.js';

export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;
export const MIN_TOKEN_EXPIRATION_SECONDS = 600;
const MAX_TOKEN_EXPIRATION_SECONDS = 2 ** 32;
/** Kubelet asks for 3607 s; with expiration extension on, such pod-bound tokens live a year and warn after 3607 s. */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 3607;
export const EXPIRATION_EXTENSION_SECONDS = 365 * 24 * 60 * 60;
/** go-jose's default leeway for exp/nbf/iat, also the grace for objects being deleted. */
export const TOKEN_LEEWAY_SECONDS = 60;

/** `TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes` */
export function validateExpirationSeconds(seconds: number): ApiError | undefined {
  let detail: string | undefined;
  if (seconds < MIN_TOKEN_EXPIRATION_SECONDS) detail = 'may not specify a duration less than 10 minutes';
  else if (seconds > MAX_TOKEN_EXPIRATION_SECONDS) detail = 'may not specify a duration larger than 2^32 seconds';
  if (!detail) return undefined;
  return invalid('authentication.k8s.io', 'TokenRequest', '', [
    { reason: 'FieldValueInvalid', field: 'spec.expirationSeconds', message: `Invalid value: ${seconds}: ${detail}` },
  ]);
}

export function rfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
