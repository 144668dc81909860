// ServiceAccount token issuing and verification (pkg/serviceaccount/{jwt,claims}.go): RS256 JWTs
// signed by one RSA key per server, kept as PEM in the data dir so tokens survive restarts.
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, randomUUID, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import { DEFAULT_TOKEN_EXPIRATION_SECONDS, EXPIRATION_EXTENSION_SECONDS, rfc3339, TOKEN_LEEWAY_SECONDS, validateExpirationSeconds } from './token-limits.js';
import { tokenRequest, type TokenRequestOptions, type TokenRequestResult } from './token-request.js';
import { serviceAccountUsername } from './types.js';

const KEY_FILE = 'service-account.key';
/** The issuer of Secret-based (legacy) tokens, which carry no audience and no expiry. */
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';

export interface ObjectRef {
  name: string;
  uid?: string;
}

/** The private "kubernetes.io" claim. */
export interface KubernetesClaims {
  namespace: string;
  serviceaccount: { name: string; uid: string };
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  warnafter?: number;
}

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti?: string;
  'kubernetes.io': KubernetesClaims;
}

/** Claims of a token the legacy token controller puts into a kubernetes.io/service-account-token Secret. */
export interface LegacyTokenClaims {
  iss: typeof LEGACY_ISSUER;
  sub: string;
  'kubernetes.io/serviceaccount/namespace': string;
  'kubernetes.io/serviceaccount/secret.name': string;
  'kubernetes.io/serviceaccount/service-account.name': string;
  'kubernetes.io/serviceaccount/service-account.uid': string;
}

export interface BoundObject {
  kind: 'Pod' | 'Secret' | 'Node';
  name: string;
  uid: string;
  /** For a Pod: the node it runs on, recorded in the token as upstream does (uid may be unknown). */
  node?: ObjectRef;
}

export interface IssueOptions {
  namespace: string;
  name: string;
  uid: string;
  /** Defaults to the issuer, the API server's own audience. */
  audiences?: string[];
  expirationSeconds?: number;
  /** When set, the token is valid for this long but carries `warnafter` at the requested expiration. */
  warnAfterSeconds?: number;
  boundObject?: BoundObject;
  nowSeconds: number;
}

/** Why a token was refused; `ours` is false for tokens this issuer did not mint (another authenticator may take them). */
export type VerifyResult = { ok: true; claims: TokenClaims; audiences: string[] } | { ok: false; ours: boolean; error?: string };

/** Go's %q applied to a []string: `["a" "b"]`. */
export function goQuotedList(values: string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out as T;
  }
  return value;
}

export class ServiceAccountTokens {
  /** The key ID upstream derives from the public key: base64url(SHA-256(PKIX DER)). */
  readonly keyId: string;
  readonly publicKeyPem: string;
  private readonly publicKey: KeyObject;

  private constructor(
    private readonly privateKey: KeyObject,
    readonly issuer: string,
  ) {
    this.publicKey = createPublicKey(privateKey);
    const der = this.publicKey.export({ format: 'der', type: 'spki' });
    this.keyId = createHash('sha256').update(der).digest('base64url');
    this.publicKeyPem = this.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  /** Loads `<dir>/service-account.key`, creating it (RSA 2048, mode 0600) the first time. */
  static async loadOrCreate(dir: string, issuer: string): Promise<ServiceAccountTokens> {
    if (!issuer) throw new Error('a service account issuer is required');
    await fs.mkdir(dir, { recursive: true });
    const path = join(dir, KEY_FILE);
    let pem = await readIfExists(path);
    if (pem === undefined) {
      const fresh = await new Promise<string>((resolve, reject) =>
        generateKeyPair('rsa', { modulusLength: 2048 }, (err, _pub, priv) =>
          err ? reject(err) : resolve(priv.export({ format: 'pem', type: 'pkcs8' }).toString()),
        ),
      );
      // Create-if-absent without a window: write a temp file, then hard-link it into place; a
      // concurrent creator's key wins and is the one read back.
      const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
      await fs.writeFile(tmp, fresh, { mode: 0o600 });
      try {
        await fs.link(tmp, path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      } finally {
        await fs.rm(tmp, { force: true });
      }
      pem = await fs.readFile(path, 'utf8');
    }
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch (e) {
      throw new Error(`service account key ${path} is not a PEM private key: ${(e as Error).message}`);
    }
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`service account key ${path} must be an RSA key, found ${key.asymmetricKeyType}`);
    return new ServiceAccountTokens(key, issuer);
  }

  /** Mints a token with upstream's claims. Throws a 422 ApiError for an expiration under 10 minutes. */
  async issue(opts: IssueOptions): Promise<{ token: string; expirationTimestamp: string; claims: TokenClaims }> {
    const requested = opts.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS;
    const err = validateExpirationSeconds(requested);
    if (err) throw err;
    const now = Math.floor(opts.nowSeconds);
    const lifetime = opts.warnAfterSeconds !== undefined ? EXPIRATION_EXTENSION_SECONDS : requested;
    const k8s: KubernetesClaims = { namespace: opts.namespace, serviceaccount: { name: opts.name, uid: opts.uid } };
    const bound = opts.boundObject;
    if (bound?.kind === 'Pod') {
      k8s.pod = { name: bound.name, uid: bound.uid };
      if (bound.node) k8s.node = refClaim(bound.node);
    } else if (bound?.kind === 'Secret') {
      k8s.secret = { name: bound.name, uid: bound.uid };
    } else if (bound?.kind === 'Node') {
      k8s.node = { name: bound.name, uid: bound.uid };
    }
    if (opts.warnAfterSeconds !== undefined) k8s.warnafter = now + opts.warnAfterSeconds;
    const claims: TokenClaims = {
      aud: opts.audiences && opts.audiences.length ? [...opts.audiences] : [this.issuer],
      exp: now + lifetime,
      iat: now,
      iss: this.issuer,
      jti: randomUUID(),
      'kubernetes.io': k8s,
      nbf: now,
      sub: serviceAccountUsername(opts.namespace, opts.name),
    };
    const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(sortKeys(claims))))
      .setProtectedHeader({ alg: 'RS256', kid: this.keyId })
      .sign(this.privateKey);
    // The reported expiration is the requested one, also when the token itself lives longer.
    const expirationTimestamp = rfc3339(now + requested);
    return { token, expirationTimestamp, claims };
  }

  /**
   * Checks issuer, signature, audiences and time, in upstream's order and words. Existence of the
   * ServiceAccount and bound objects is the Authenticator's job.
   * `audiences` are the ones asked for (default: the issuer); the result carries their intersection
   * with the token's.
   */
  async verify(token: string, nowSeconds: number, audiences?: string[]): Promise<VerifyResult> {
    const unverified = peekClaims(token);
    if (!unverified || unverified.iss !== this.issuer) return { ok: false, ours: false };
    let payload: Uint8Array;
    try {
      const header = decodeProtectedHeader(token);
      // Upstream parses only the algorithms its keys sign with; anything else is not its token.
      if (header.alg !== 'RS256') return { ok: false, ours: false };
      ({ payload } = await compactVerify(token, this.publicKey, { algorithms: ['RS256'] }));
    } catch {
      return { ok: false, ours: true, error: 'go-jose/go-jose: error in cryptographic primitive' };
    }
    const claims = JSON.parse(new TextDecoder().decode(payload)) as TokenClaims;
    const tokenAudiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
    const wanted = audiences && audiences.length ? audiences : [this.issuer];
    const granted = tokenAudiences.filter((a) => wanted.includes(a));
    if (granted.length === 0) {
      return { ok: false, ours: true, error: `token audiences ${goQuotedList(tokenAudiences)} is invalid for the target audiences ${goQuotedList(wanted)}` };
    }
    const now = Math.floor(nowSeconds);
    if (typeof claims.nbf === 'number' && now + TOKEN_LEEWAY_SECONDS < claims.nbf) return { ok: false, ours: true, error: 'service account token is not valid yet' };
    if (typeof claims.exp === 'number' && now - TOKEN_LEEWAY_SECONDS > claims.exp) return { ok: false, ours: true, error: 'service account token has expired' };
    if (typeof claims.iat === 'number' && now + TOKEN_LEEWAY_SECONDS < claims.iat) return { ok: false, ours: true, error: 'service account token is issued in the future' };
    const k8s = claims['kubernetes.io'];
    if (!k8s || typeof k8s.namespace !== 'string' || !k8s.serviceaccount?.name) {
      return { ok: false, ours: true, error: 'service account token claims could not be validated due to unexpected private claim' };
    }
    return { ok: true, claims, audiences: granted };
  }

  /** A Secret-based token (what the token controller writes into kubernetes.io/service-account-token Secrets). */
  async issueLegacy(opts: { namespace: string; name: string; uid: string; secretName: string }): Promise<string> {
    const claims: LegacyTokenClaims = {
      iss: LEGACY_ISSUER,
      'kubernetes.io/serviceaccount/namespace': opts.namespace,
      'kubernetes.io/serviceaccount/secret.name': opts.secretName,
      'kubernetes.io/serviceaccount/service-account.name': opts.name,
      'kubernetes.io/serviceaccount/service-account.uid': opts.uid,
      sub: serviceAccountUsername(opts.namespace, opts.name),
    };
    return new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg: 'RS256', kid: this.keyId }).sign(this.privateKey);
  }

  /**
   * Checks a legacy token's signature and claims (pkg/serviceaccount/legacy.go); its Secret and
   * ServiceAccount are the Authenticator's to check. Legacy tokens carry no audience: they are
   * valid for the API server's own audiences (`apiAudiences`) only.
   */
  async verifyLegacy(token: string, apiAudiences: string[], audiences?: string[]): Promise<{ ok: true; claims: LegacyTokenClaims; audiences: string[] } | { ok: false; ours: boolean; error?: string }> {
    const unverified = peekClaims(token);
    if (!unverified || unverified.iss !== LEGACY_ISSUER) return { ok: false, ours: false };
    let payload: Uint8Array;
    try {
      if (decodeProtectedHeader(token).alg !== 'RS256') return { ok: false, ours: false };
      ({ payload } = await compactVerify(token, this.publicKey, { algorithms: ['RS256'] }));
    } catch {
      return { ok: false, ours: true, error: 'go-jose/go-jose: error in cryptographic primitive' };
    }
    const claims = JSON.parse(new TextDecoder().decode(payload)) as LegacyTokenClaims;
    const wanted = audiences && audiences.length ? audiences : apiAudiences;
    const granted = apiAudiences.filter((a) => wanted.includes(a));
    if (granted.length === 0) {
      return { ok: false, ours: true, error: `token audiences ${goQuotedList(apiAudiences)} is invalid for the target audiences ${goQuotedList(wanted)}` };
    }
    const missing = (v: unknown) => typeof v !== 'string' || v === '';
    if (missing(claims.sub)) return { ok: false, ours: true, error: 'sub claim is missing' };
    if (missing(claims['kubernetes.io/serviceaccount/namespace'])) return { ok: false, ours: true, error: 'namespace claim is missing' };
    if (missing(claims['kubernetes.io/serviceaccount/secret.name'])) return { ok: false, ours: true, error: 'secretName claim is missing' };
    if (missing(claims['kubernetes.io/serviceaccount/service-account.name'])) return { ok: false, ours: true, error: 'serviceAccountName claim is missing' };
    if (missing(claims['kubernetes.io/serviceaccount/service-account.uid'])) return { ok: false, ours: true, error: 'serviceAccountUID claim is missing' };
    if (claims.sub !== serviceAccountUsername(claims['kubernetes.io/serviceaccount/namespace'], claims['kubernetes.io/serviceaccount/service-account.name'])) {
      return { ok: false, ours: true, error: 'sub claim is invalid' };
    }
    return { ok: true, claims, audiences: granted };
  }

  /** Answers a TokenRequest (serviceaccounts/<name>/token) for the existing ServiceAccount `sa`. */
  tokenRequest(body: unknown, sa: { namespace: string; name: string; uid: string }, opts: TokenRequestOptions): Promise<TokenRequestResult> {
    return tokenRequest(this, body, sa, opts);
  }

  /** The JWKS the OIDC issuer serves at /openid/v1/jwks. */
  jwks(): { keys: Array<Record<string, string>> } {
    const jwk = this.publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
    return { keys: [{ use: 'sig', kty: jwk.kty, kid: this.keyId, alg: 'RS256', n: jwk.n, e: jwk.e }] };
  }

  /** The discovery document served at /.well-known/openid-configuration (pkg/serviceaccount/openidmetadata.go). */
  openIdConfiguration(jwksUri = `${this.issuer.replace(/\/$/, '')}/openid/v1/jwks`): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: jwksUri,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    };
  }
}

function refClaim(ref: ObjectRef): ObjectRef {
  return ref.uid ? { name: ref.name, uid: ref.uid } : { name: ref.name };
}

/** The payload of a compact JWS, unverified; undefined when the string is not one. */
function peekClaims(token: string): { iss?: unknown } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    return payload && typeof payload === 'object' ? (payload as { iss?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
