// The HTTPS call of a CRD conversion webhook, as kube-apiserver's webhook ClientManager makes it
// (k8s.io/apiserver/pkg/util/webhook/client.go HookClient, then client-go's rest client):
// POST <url or https://<name>.<namespace>.svc:<port><path>>?timeout=30s, JSON, HTTP/1.1, the
// server certificate verified against caBundle (only those roots) or the system roots. Failures
// are worded as Go reports them: `Post "<url>": <cause>`, and non-2xx answers as client-go's
// generic server responses (errors.NewGenericServerResponse).
import { Agent, request } from 'node:https';
import { posix } from 'node:path';
import { goJsonSyntaxError } from '../server/go-json-error.js';
import { hostname, parseURL, port as portOf } from './gourl.js';

/** Where a service reference points: the address to dial, or why it cannot be resolved. */
export type ServiceDial = { host: string; port: number; simulatedRefusal?: boolean } | { error: string };

/** The API server's service resolver (aggregator ClusterIP resolver upstream by default). */
export type ServiceResolver = (namespace: string, name: string, port: number) => Promise<ServiceDial>;

export interface WebhookClientConfig {
  url?: string;
  service?: { namespace?: string; name?: string; path?: string; port?: number };
  caBundle?: string;
}

/** rest.Config.Timeout of webhook clients: 30s (conversion has no timeoutSeconds of its own). */
export const CONVERSION_TIMEOUT_MS = 30_000;

interface Target {
  /** The URL as Go prints it in errors (with ?timeout=). */
  url: string;
  servername: string;
  path: string;
  dial: () => Promise<ServiceDial>;
}

/** path.Join of the client's APIPath: cleaned, no trailing slash, "" stays "". */
function joinPath(p: string | undefined): string {
  if (!p) return '';
  const clean = posix.normalize(p.startsWith('/') ? p : `/${p}`);
  return clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean;
}

function timeoutParam(ms: number): string {
  return `timeout=${Math.round(ms / 1000)}s`;
}

function targetOf(cc: WebhookClientConfig, resolve: ServiceResolver, timeoutMs: number): Target {
  if (cc.service) {
    const ns = cc.service.namespace ?? '';
    const name = cc.service.name ?? '';
    const port = cc.service.port || 443;
    const servername = `${name}.${ns}.svc`;
    const path = joinPath(cc.service.path);
    return { url: `https://${servername}:${port}${path}?${timeoutParam(timeoutMs)}`, servername, path, dial: () => resolve(ns, name, port) };
  }
  const u = parseURL(cc.url ?? '');
  const host = hostname(u);
  const port = portOf(u) ? Number(portOf(u)) : 443;
  const path = joinPath(u.rawPath);
  return { url: `https://${u.host}${path}?${timeoutParam(timeoutMs)}`, servername: host, path, dial: async () => ({ host, port }) };
}

/** client-go's NewGenericServerResponse message for a non-2xx answer without a Status body. */
function genericServerMessage(code: number, serverMessage: string): string {
  switch (code) {
    case 409: return 'the server reported a conflict';
    case 404: return 'the server could not find the requested resource';
    case 400: return 'the server rejected our request for an unknown reason';
    case 401: return 'the server has asked for the client to provide credentials';
    case 403: return serverMessage;
    case 406: return !serverMessage || serverMessage === 'unknown' ? 'the server was unable to respond with a content type that the client supports' : serverMessage;
    case 415: return serverMessage;
    case 405: return 'the server does not allow this method on the requested resource';
    case 422: return 'the server rejected our request due to an error in our request';
    case 503: return 'the server is currently unable to handle the request';
    case 504: return 'the server was unable to return a response in the time allotted, but may still be processing the request';
    case 429: return 'the server has received too many requests and has asked us to try again later';
    default:
      if (code >= 500) return `an error on the server (${JSON.stringify(serverMessage)}) has prevented the request from succeeding`;
      return `the server responded with the status code ${code} but did not return more information`;
  }
}

/** A host written as an IP address (digits and dots, or any colon): TLS sends no server name for it and checks IP SANs. */
function looksLikeIP(host: string): boolean {
  return /^[\d.]+$|:/.test(host);
}

/** Go's x509 wording for a certificate the TLS handshake refused. */
function tlsMessage(err: NodeJS.ErrnoException & { cert?: { subjectaltname?: string }; host?: string }, servername: string): string | undefined {
  const prefix = 'tls: failed to verify certificate: x509: ';
  switch (err.code) {
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
      return `${prefix}certificate signed by unknown authority`;
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return `${prefix}certificate has expired or is not yet valid`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID': {
      const sans = (err.cert?.subjectaltname ?? '').split(', ').filter(Boolean);
      const isIP = looksLikeIP(servername);
      const names = sans.filter((s) => s.startsWith(isIP ? 'IP Address:' : 'DNS:')).map((s) => s.slice(s.indexOf(':') + 1));
      if (isIP && names.length === 0) return `${prefix}cannot validate certificate for ${servername} because it doesn't contain any IP SANs`;
      return `${prefix}certificate is valid for ${names.join(', ')}, not ${servername}`;
    }
    default:
      return undefined;
  }
}

/** Go's net error for a failed dial or read. */
function transportMessage(err: NodeJS.ErrnoException & { address?: string; port?: number }, servername: string, dialed: string): string {
  const tls = tlsMessage(err, servername);
  if (tls) return tls;
  switch (err.code) {
    case 'ECONNREFUSED': return `dial tcp ${dialed}: connect: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN': return `dial tcp: lookup ${servername}: no such host`;
    case 'EHOSTUNREACH': return `dial tcp ${dialed}: connect: no route to host`;
    case 'ENETUNREACH': return `dial tcp ${dialed}: connect: network is unreachable`;
    case 'ECONNRESET': return 'EOF';
    default: return err.message;
  }
}

/** Connections are kept and reused, as client-go's transport does (pooled per host, CA and server name). */
const keepAlive = new Agent({ keepAlive: true, maxFreeSockets: 16 });

const joinHostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/**
 * POSTs `review` and returns the decoded answer; throws an Error worded as client-go's
 * rest client reports it (the caller prefixes `conversion webhook for ... failed: `).
 */
export async function postConversionReview(cc: WebhookClientConfig, review: unknown, resolve: ServiceResolver, timeoutMs = CONVERSION_TIMEOUT_MS): Promise<Record<string, unknown>> {
  const target = targetOf(cc, resolve, timeoutMs);
  const fail = (cause: string): never => {
    throw new Error(`Post ${JSON.stringify(target.url)}: ${cause}`);
  };
  const dial = await target.dial();
  if ('error' in dial) return fail(dial.error);
  const dialed = joinHostPort(dial.host, dial.port);
  // Nothing listens at a pod IP in Kumo (no container runs): the SYN is refused.
  if (dial.simulatedRefusal) return fail(`dial tcp ${dialed}: connect: connection refused`);
  const body = Buffer.from(JSON.stringify(review));
  const ca = cc.caBundle ? Buffer.from(cc.caBundle, 'base64') : undefined;
  type Answer = { status: number; contentType: string; body: Buffer };
  const post = () => new Promise<Answer>((resolveRes, reject) => {
    const req = request(
      {
        host: dial.host,
        port: dial.port,
        method: 'POST',
        path: `${target.path || '/'}?${timeoutParam(timeoutMs)}`,
        servername: looksLikeIP(target.servername) ? undefined : target.servername,
        ca,
        headers: {
          Host: target.url.replace(/^https:\/\//, '').replace(/[/?].*$/, ''),
          'Content-Type': 'application/json',
          Accept: 'application/json, */*',
          'Content-Length': String(body.length),
          'User-Agent': 'kube-apiserver',
        },
        agent: keepAlive,
      },
      (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolveRes({ status: r.statusCode ?? 0, contentType: String(r.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
        r.on('error', reject);
      },
    );
    const deadline = setTimeout(() => req.destroy(Object.assign(new Error('context deadline exceeded'), { code: 'DEADLINE' })), timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('error', (err: NodeJS.ErrnoException) => reject(Object.assign(err, { reused: req.reusedSocket })));
    req.end(body);
  });
  const res = await post()
    // A kept-alive connection the server closed meanwhile: Go's transport retries on a new one.
    .catch((err: NodeJS.ErrnoException & { reused?: boolean }) => (err.reused && err.code === 'ECONNRESET' ? post() : Promise.reject(err)))
    .catch((err: NodeJS.ErrnoException) => fail(err.code === 'DEADLINE' ? 'context deadline exceeded' : transportMessage(err, target.servername, dialed)));

  const mediaType = res.contentType.split(';')[0]!.trim().toLowerCase() || 'application/json';
  const isJson = mediaType === 'application/json' || mediaType.endsWith('+json');
  const text = res.body.toString('utf8');
  const ok = res.status >= 200 && res.status <= 206;
  if (!ok) {
    // A Status body carries the server's own message.
    if (isJson) {
      try {
        const s = JSON.parse(text) as Record<string, unknown>;
        if (s && typeof s === 'object' && typeof s.status === 'string' && s.status) throw new Error(typeof s.message === 'string' ? s.message : '');
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
      }
    }
    const serverMessage = mediaType.startsWith('text/') ? text.slice(0, 2048).trim() : 'unknown';
    throw new Error(genericServerMessage(res.status, serverMessage));
  }
  if (!isJson) throw new Error(`serializer for ${res.contentType} doesn't exist`);
  if (res.body.length === 0) throw new Error(`0-length response with status code: ${res.status} and content type: ${res.contentType}`);
  const syntax = goJsonSyntaxError(text);
  if (syntax) throw new Error(`couldn't get version/kind; json parse error: ${syntax}`);
  const parsed = JSON.parse(text) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error("couldn't get version/kind; json parse error: json: cannot unmarshal " + (Array.isArray(parsed) ? 'array' : typeof parsed) + ' into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }');
  return parsed as Record<string, unknown>;
}
