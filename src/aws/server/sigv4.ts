// SigV4 verification: parse the Authorization header or the presigned query, then recompute the
// signature over exactly the headers the client signed and compare. The canonical request follows
// AWS's SigV4 specification as @smithy/signature-v4 implements it (the tests sign with that library,
// botocore and the SDK); derived signing keys are cached.
import { createHmac, hash, timingSafeEqual } from 'node:crypto';

export type Query = Record<string, string | string[]>;

/** A request as it came off the wire: raw (still encoded) path, decoded query, lower-case headers. */
export interface WireRequest {
  method: string;
  path: string;
  query: Query;
  headers: Record<string, string>;
  body: Buffer;
}

export interface SigV4Auth {
  form: 'header' | 'query';
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** ISO basic format, 20240101T000000Z. */
  amzDate: string;
  /** Presigned URLs only: X-Amz-Expires in seconds. */
  expires?: number;
  securityToken?: string;
}

/** A request whose authentication fields are unusable; the endpoint maps `kind` to each service's code. */
export class SigV4Error extends Error {
  constructor(readonly kind: 'missing' | 'incomplete' | 'expired', message: string) {
    super(message);
  }
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function parseCredential(credential: string): Pick<SigV4Auth, 'accessKeyId' | 'shortDate' | 'region' | 'service'> {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || !/^\d{8}$/.test(parts[1])) {
    throw new SigV4Error(
      'incomplete',
      `Credential should be scoped to a valid region. ` + `Credential=${credential}`,
    );
  }
  return { accessKeyId: parts[0], shortDate: parts[1], region: parts[2], service: parts[3] };
}

/** The request's SigV4 fields, or undefined when it carries none (an anonymous call). */
export function parseSigV4(req: WireRequest): SigV4Auth | undefined {
  const authz = req.headers.authorization;
  if (authz !== undefined) {
    const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(authz.trim());
    if (!m) throw new SigV4Error('incomplete', `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authz}`);
    const fields: Record<string, string> = {};
    for (const part of m[1].split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
    const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((k) => !fields[k]);
    if (missing.length) {
      throw new SigV4Error('incomplete', missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' ') + ` Authorization=${authz}`);
    }
    const amzDate = req.headers['x-amz-date'] ?? toAmzDate(req.headers.date);
    if (!amzDate) {
      throw new SigV4Error('incomplete', `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authz}`);
    }
    return {
      form: 'header',
      ...parseCredential(fields.Credential),
      signedHeaders: fields.SignedHeaders.split(';'),
      signature: fields.Signature,
      amzDate,
      securityToken: req.headers['x-amz-security-token'],
    };
  }
  const algorithm = first(req.query['X-Amz-Algorithm']);
  if (algorithm === undefined && first(req.query['X-Amz-Signature']) === undefined) return undefined;
  const names = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'];
  const missing = names.filter((n) => !first(req.query[n]));
  if (missing.length || algorithm !== 'AWS4-HMAC-SHA256') {
    throw new SigV4Error('incomplete', `AWS query-string parameters must include ${names.map((n) => `'${n}'`).join(', ')}. Re-examine the query-string parameters.`);
  }
  const expires = first(req.query['X-Amz-Expires']);
  return {
    form: 'query',
    ...parseCredential(first(req.query['X-Amz-Credential'])!),
    signedHeaders: first(req.query['X-Amz-SignedHeaders'])!.split(';'),
    signature: first(req.query['X-Amz-Signature'])!,
    amzDate: first(req.query['X-Amz-Date'])!,
    expires: expires === undefined ? undefined : Number(expires),
    securityToken: first(req.query['X-Amz-Security-Token']),
  };
}

function toAmzDate(httpDate: string | undefined): string | undefined {
  if (!httpDate) return undefined;
  const t = Date.parse(httpDate);
  return Number.isNaN(t) ? undefined : formatAmzDate(t);
}

export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function parseAmzDate(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

const MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * Time checks AWS makes before the signature: a header-signed request must be within 15 minutes
 * of the server's clock; a presigned URL must not be past X-Amz-Date + X-Amz-Expires.
 */
export function checkSigningTime(auth: SigV4Auth, now: number): void {
  const signed = parseAmzDate(auth.amzDate);
  if (Number.isNaN(signed)) throw new SigV4Error('incomplete', `Date must be in ISO-8601 'basic format'. Got '${auth.amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  const nowText = () => formatAmzDate(now);
  if (auth.form === 'query') {
    const expires = auth.expires ?? 0;
    if (!(expires >= 1 && expires <= 604800)) {
      throw new SigV4Error('incomplete', `X-Amz-Expires must be between 1 and 604800 seconds.`);
    }
    if (now > signed + expires * 1000) {
      throw new SigV4Error('expired', `Signature expired: ${auth.amzDate} is now earlier than ${formatAmzDate(now - expires * 1000)} (${nowText()} - ${expires} sec.)`);
    }
    if (signed - now > MAX_SKEW_MS) {
      throw new SigV4Error('expired', `Signature not yet current: ${auth.amzDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${nowText()} + 15 min.)`);
    }
    return;
  }
  if (now - signed > MAX_SKEW_MS) {
    throw new SigV4Error('expired', `Signature expired: ${auth.amzDate} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} (${nowText()} - 15 min.)`);
  }
  if (signed - now > MAX_SKEW_MS) {
    throw new SigV4Error('expired', `Signature not yet current: ${auth.amzDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${nowText()} + 15 min.)`);
  }
}

/** RFC 3986 escaping as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Canonical URIs by raw path: clients repeat the same few paths, and the result depends on the path alone. */
const canonicalPaths = new Map<string, string>();
const MAX_CANONICAL_PATHS = 1024;

function canonicalPath(path: string): string {
  let c = canonicalPaths.get(path);
  if (c === undefined) {
    c = computeCanonicalPath(path);
    if (canonicalPaths.size >= MAX_CANONICAL_PATHS) canonicalPaths.clear();
    canonicalPaths.set(path, c);
  }
  return c;
}

/** The canonical URI of a non-S3 service: the path as sent, normalised and URI-encoded once more. */
function computeCanonicalPath(path: string): string {
  const segments: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

/** Every query parameter but the signature, escaped, sorted by key (repeated keys by value). */
function canonicalQuery(query: Query): string {
  const keys = Object.keys(query);
  if (keys.length === 0) return '';
  const parts: [string, string][] = [];
  for (const key of keys) {
    if (key.toLowerCase() === 'x-amz-signature') continue;
    const k = escapeUri(key);
    const v = query[key];
    parts.push([k, typeof v === 'string' ? `${k}=${escapeUri(v)}` : v.map((x) => `${k}=${escapeUri(x)}`).sort().join('&')]);
  }
  return parts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p).join('&');
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Derived signing keys, kept per (secret, date, region, service) as SigV4 allows: the key changes
 * only with those four, so each request costs one HMAC for its string to sign instead of five.
 */
const signingKeys = new Map<string, Buffer>();
const MAX_SIGNING_KEYS = 1024;

function signingKey(secret: string, shortDate: string, region: string, service: string): Buffer {
  const id = `${shortDate}/${region}/${service}/${secret}`;
  let key = signingKeys.get(id);
  if (key === undefined) {
    key = createHmac('sha256', `AWS4${secret}`).update(shortDate).digest();
    for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
    signingKeys.set(id, key);
  }
  return key;
}

/**
 * True when the request's signature is what `secret` produces. The canonical request is rebuilt
 * from the request as received over exactly the headers the client signed (AWS SigV4: "Create a
 * canonical request"); both botocore and the JS SDK double-encode the path for non-S3 services.
 */
export function verifySignature(req: WireRequest, auth: SigV4Auth, secret: string): boolean {
  const names = signedHeaderNames(auth.signedHeaders);
  let headers = '';
  for (const name of names) {
    const value = req.headers[name];
    if (value === undefined) return false;
    headers += `${name}:${canonicalHeaderValue(value)}\n`;
  }
  const bodyHash = req.body.length ? hash('sha256', req.body, 'hex') : EMPTY_SHA256;
  // A signed x-amz-content-sha256 is the payload hash the client signed; it must be the body's.
  const declared = auth.form === 'header' && names.includes('x-amz-content-sha256') ? req.headers['x-amz-content-sha256'] : undefined;
  if (declared !== undefined && /^[0-9a-f]{64}$/.test(declared) && declared !== bodyHash) return false;
  const payloadHash = declared ?? bodyHash;
  const canonical = `${req.method}\n${canonicalPath(req.path)}\n${canonicalQuery(req.query)}\n${headers}\n${names.join(';')}\n${payloadHash}`;
  const shortDate = auth.amzDate.slice(0, 8);
  const scope = `${shortDate}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${auth.amzDate}\n${scope}\n${hash('sha256', canonical, 'hex')}`;
  const computed = createHmac('sha256', signingKey(secret, shortDate, auth.region, auth.service)).update(stringToSign).digest();
  const given = /^[0-9a-f]{64}$/.test(auth.signature) ? Buffer.from(auth.signature, 'hex') : undefined;
  return given !== undefined && timingSafeEqual(computed, given);
}

/** SignedHeaders lower-cased and sorted; the SDKs already send them so, which costs one pass to see. */
function signedHeaderNames(signed: string[]): string[] {
  let ready = true;
  for (let i = 0; i < signed.length && ready; i++) {
    const h = signed[i];
    ready = h === h.toLowerCase() && (i === 0 || signed[i - 1] < h);
  }
  return ready ? signed : signed.map((h) => h.toLowerCase()).sort();
}

/** A header value trimmed with inner runs of spaces made one (SigV4 canonical headers). */
function canonicalHeaderValue(value: string): string {
  const v = value.trim();
  // Any whitespace but a lone space is rewritten, as the replace alone would do.
  return /[^\S ]| {2}/.test(v) ? v.replace(/\s+/g, ' ') : v;
}
