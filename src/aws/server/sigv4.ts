// SigV4 verification: parse the Authorization header or the presigned query, then recompute the
// signature with @smithy/signature-v4 over exactly the headers the client signed and compare.
// Both botocore and the JS SDK double-encode the path for non-S3 services, as smithy does.
import { timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './sha256.js';

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
  const nowText = formatAmzDate(now);
  if (auth.form === 'query') {
    const expires = auth.expires ?? 0;
    if (!(expires >= 1 && expires <= 604800)) {
      throw new SigV4Error('incomplete', `X-Amz-Expires must be between 1 and 604800 seconds.`);
    }
    if (now > signed + expires * 1000) {
      throw new SigV4Error('expired', `Signature expired: ${auth.amzDate} is now earlier than ${formatAmzDate(now - expires * 1000)} (${nowText} - ${expires} sec.)`);
    }
    if (signed - now > MAX_SKEW_MS) {
      throw new SigV4Error('expired', `Signature not yet current: ${auth.amzDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${nowText} + 15 min.)`);
    }
    return;
  }
  if (now - signed > MAX_SKEW_MS) {
    throw new SigV4Error('expired', `Signature expired: ${auth.amzDate} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} (${nowText} - 15 min.)`);
  }
  if (signed - now > MAX_SKEW_MS) {
    throw new SigV4Error('expired', `Signature not yet current: ${auth.amzDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${nowText} + 15 min.)`);
  }
}

const PRESIGN_PARAMS = new Set([
  'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token',
]);
/** Headers smithy's signer adds itself; kept out of the canonical request unless the client signed them. */
const SIGNER_ADDED = ['x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'];

/** True when the request's signature is what `secret` (and the session token, if any) produce. */
export async function signatureMatches(req: WireRequest, auth: SigV4Auth, secret: string): Promise<boolean> {
  const signed = new Set(auth.signedHeaders.map((h) => h.toLowerCase()));
  const headers: Record<string, string> = {};
  for (const name of signed) if (req.headers[name] !== undefined) headers[name] = req.headers[name];
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: secret, sessionToken: auth.securityToken },
    region: auth.region,
    service: auth.service,
    sha256: NodeSha256,
    uriEscapePath: true,
    applyChecksum: false,
  });
  const signingDate = new Date(parseAmzDate(auth.amzDate));
  const body = req.body.length ? new Uint8Array(req.body) : undefined;
  const unsignableHeaders = new Set(SIGNER_ADDED.filter((h) => !signed.has(h)));
  let computed: string;
  if (auth.form === 'header') {
    const query: Record<string, string | string[]> = { ...req.query };
    const out = await signer.sign(
      { method: req.method, protocol: 'http:', hostname: 'localhost', path: req.path, query, headers, body },
      { signingDate, signableHeaders: signed, unsignableHeaders },
    );
    computed = /Signature=([0-9a-f]+)/.exec(out.headers.authorization ?? '')?.[1] ?? '';
  } else {
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.query)) if (!PRESIGN_PARAMS.has(k)) query[k] = v;
    const out = await signer.presign(
      { method: req.method, protocol: 'http:', hostname: 'localhost', path: req.path, query, headers, body },
      { signingDate, expiresIn: auth.expires, signableHeaders: signed, unsignableHeaders, unhoistableHeaders: signed },
    );
    computed = String(out.query?.['X-Amz-Signature'] ?? '');
  }
  const a = Buffer.from(computed);
  const b = Buffer.from(auth.signature);
  return a.length === b.length && timingSafeEqual(a, b);
}
