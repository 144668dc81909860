// EKS `k8s-aws-v1.` tokens: base64url of a presigned STS GetCallerIdentity URL signed over
// `host;x-k8s-aws-id`. The cluster recomputes its signature with the access key's secret
// (aws-iam-authenticator accepts a token for 15 minutes after X-Amz-Date, whatever X-Amz-Expires says).
import { DEFAULT_ACCOUNT, resolveAccessKey } from '../identity.js';
import { parseAmzDate, parseSigV4, verifySignature, SigV4Error, type Query } from '../server/sigv4.js';
import type { AwsStateStore } from '../state.js';

export type PresignedIdentity =
  | { ok: true; arn: string; accountId: string; userId: string; accessKeyId: string; sessionName?: string; roleArn?: string }
  | { ok: false; reason: string };

const TOKEN_LIFETIME_MS = 15 * 60 * 1000;

export async function verifyPresignedGetCallerIdentity(
  state: AwsStateStore,
  url: string,
  headers: Record<string, string>,
  now: number,
  accountId = DEFAULT_ACCOUNT,
): Promise<PresignedIdentity> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  const query: Query = {};
  for (const [k, v] of parsed.searchParams) query[k] = v;
  if (query.Action !== 'GetCallerIdentity') return { ok: false, reason: 'not a GetCallerIdentity URL' };
  const lower: Record<string, string> = { host: parsed.host };
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  const rawPath = url.slice(url.indexOf(parsed.host) + parsed.host.length).split('?')[0] || '/';
  const wire = { method: 'GET', path: rawPath, query, headers: lower, body: Buffer.alloc(0) };
  let auth;
  try {
    auth = parseSigV4(wire);
  } catch (err) {
    return { ok: false, reason: err instanceof SigV4Error ? err.message : String(err) };
  }
  if (!auth || auth.form !== 'query' || auth.service !== 'sts') return { ok: false, reason: 'not a presigned STS request' };
  const signedAt = parseAmzDate(auth.amzDate);
  if (Number.isNaN(signedAt)) return { ok: false, reason: 'bad X-Amz-Date' };
  if (now > signedAt + TOKEN_LIFETIME_MS) return { ok: false, reason: 'token expired' };
  if (signedAt - now > TOKEN_LIFETIME_MS) return { ok: false, reason: 'token signed in the future' };
  const key = await resolveAccessKey(state, auth.accessKeyId, accountId);
  if (!key || !key.active) return { ok: false, reason: 'unknown access key' };
  if (key.sessionToken !== undefined && key.sessionToken !== auth.securityToken) return { ok: false, reason: 'bad session token' };
  if (key.expiration !== undefined && now >= key.expiration) return { ok: false, reason: 'session credentials expired' };
  if (!verifySignature(wire, auth, key.secret)) return { ok: false, reason: 'signature mismatch' };
  const c = key.caller;
  return { ok: true, arn: c.arn, accountId: c.accountId, userId: c.userId, accessKeyId: c.accessKeyId, sessionName: c.sessionName, roleArn: c.roleArn };
}

/** Decodes a `k8s-aws-v1.` bearer token into the presigned URL it carries. */
export function presignedUrlOfToken(token: string): string | undefined {
  if (!token.startsWith('k8s-aws-v1.')) return undefined;
  return Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8');
}
