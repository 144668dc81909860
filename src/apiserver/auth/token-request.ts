// The serviceaccounts/token subresource (pkg/registry/core/serviceaccount/storage/token.go):
// validates a TokenRequest, resolves its bound object and answers with the token.
import { badRequest, conflict, invalid, notFound } from '../../api/status.js';
import type { ServiceAccountLookup } from './lookup.js';
import type { BoundObject, ServiceAccountTokens } from './sa-tokens.js';
import { rfc3339, validateExpirationSeconds, WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS } from './token-limits.js';

export interface TokenRequestOptions {
  nowSeconds: number;
  lookup: ServiceAccountLookup;
  /** The API server's audiences, used when the request names none. Default: the issuer. */
  apiAudiences?: string[];
  /** --service-account-max-token-expiration; 0 or unset for no limit. */
  maxExpirationSeconds?: number;
  /** --service-account-extend-token-expiration (upstream default true). */
  extendExpiration?: boolean;
}

export interface TokenRequestResult {
  /** The TokenRequest object the API server answers with. */
  object: Record<string, unknown>;
  /** Warning headers upstream adds (e.g. a shortened expiration). */
  warnings: string[];
}

function groupOfApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** POST .../namespaces/<ns>/serviceaccounts/<name>/token for an existing ServiceAccount `sa`. */
export async function tokenRequest(
  tokens: ServiceAccountTokens,
  body: unknown,
  sa: { namespace: string; name: string; uid: string },
  opts: TokenRequestOptions,
): Promise<TokenRequestResult> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body of a TokenRequest must be an object');
  const req = body as { apiVersion?: string; metadata?: Record<string, unknown>; spec?: Record<string, unknown> };
  const meta = req.metadata ?? {};
  const spec = req.spec ?? {};
  const name = sa.name;
  const namespace = sa.namespace;
  if (typeof meta.name === 'string' && meta.name && meta.name !== name) {
    throw invalid('authentication.k8s.io', 'TokenRequest', name, [
      { reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: ${JSON.stringify(meta.name)}: must match the service account name if specified` },
    ]);
  }
  if (typeof meta.namespace === 'string' && meta.namespace && meta.namespace !== namespace) {
    throw invalid('authentication.k8s.io', 'TokenRequest', name, [
      { reason: 'FieldValueInvalid', field: 'metadata.namespace', message: `Invalid value: ${JSON.stringify(meta.namespace)}: must match the service account namespace if specified` },
    ]);
  }
  const apiAudiences = opts.apiAudiences && opts.apiAudiences.length ? opts.apiAudiences : [tokens.issuer];
  const audiences = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences.map(String) : [...apiAudiences];
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds !== null && !Number.isInteger(spec.expirationSeconds)) {
    throw badRequest(
      `TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal ${typeof spec.expirationSeconds === 'number' ? `number ${spec.expirationSeconds}` : typeof spec.expirationSeconds} into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64`,
    );
  }
  let expirationSeconds = (spec.expirationSeconds as number | undefined | null) ?? 3600;
  const now = Math.floor(opts.nowSeconds);
  const invalidExpiration = validateExpirationSeconds(expirationSeconds);
  if (invalidExpiration) throw invalidExpiration;

  let bound: BoundObject | undefined;
  const ref = spec.boundObjectRef as { kind?: string; apiVersion?: string; name?: string; uid?: string } | null | undefined;
  if (ref) {
    const refName = ref.name ?? '';
    const { group, version } = groupOfApiVersion(ref.apiVersion ?? '');
    const kind = ref.kind ?? '';
    let uid: string;
    if (group === '' && kind === 'Pod') {
      const pod = await opts.lookup.getPod(namespace, refName);
      if (!pod) throw notFound('', 'pods', refName);
      if ((pod.serviceAccountName || 'default') !== name) {
        throw badRequest(`cannot bind token for serviceaccount ${JSON.stringify(name)} to pod running with different serviceaccount name.`);
      }
      uid = pod.uid;
      bound = { kind: 'Pod', name: refName, uid };
      if (pod.nodeName) {
        // A missing Node still leaves its name in the token (upstream does the same).
        const node = await opts.lookup.getNode(pod.nodeName);
        bound.node = node ? { name: pod.nodeName, uid: node.uid } : { name: pod.nodeName };
      }
    } else if (group === '' && kind === 'Node') {
      const node = await opts.lookup.getNode(refName);
      if (!node) throw notFound('', 'nodes', refName);
      uid = node.uid;
      bound = { kind: 'Node', name: refName, uid };
    } else if (group === '' && kind === 'Secret') {
      const secret = await opts.lookup.getSecret(namespace, refName);
      if (!secret) throw notFound('', 'secrets', refName);
      uid = secret.uid;
      bound = { kind: 'Secret', name: refName, uid };
    } else {
      // schema.GroupVersionKind.String(): "apps/v1, Kind=Deployment", "/v1, Kind=ConfigMap".
      throw badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${kind}`);
    }
    if (ref.uid && ref.uid !== uid) {
      throw conflict(group, kind, refName, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
    }
  }

  const warnings: string[] = [];
  const max = opts.maxExpirationSeconds ?? 0;
  if (max > 0 && expirationSeconds > max) {
    warnings.push(`requested expiration of ${expirationSeconds} seconds shortened to ${max} seconds`);
    expirationSeconds = max;
  }
  // Pod-bound tokens the kubelet asks for with the API audiences live a year but warn after the
  // requested expiration, so clients that forget to reload them keep working (KEP-1205).
  const extend =
    (opts.extendExpiration ?? true) &&
    bound?.kind === 'Pod' &&
    expirationSeconds === WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS &&
    audiences.every((a) => apiAudiences.includes(a));
  const issued = await tokens.issue({
    namespace,
    name,
    uid: sa.uid,
    audiences,
    expirationSeconds,
    warnAfterSeconds: extend ? expirationSeconds : undefined,
    boundObject: bound,
    nowSeconds: now,
  });

  const outSpec: Record<string, unknown> = { audiences, boundObjectRef: ref ?? null, expirationSeconds };
  return {
    object: {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: rfc3339(now) },
      spec: outSpec,
      status: { token: issued.token, expirationTimestamp: rfc3339(now + expirationSeconds) },
    },
    warnings,
  };
}
