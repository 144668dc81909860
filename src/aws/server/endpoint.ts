// The AWS endpoint: one HTTP port for every service. A request is routed by its SigV4 credential
// scope's service name, its signature verified against the access key's secret, then handed to
// the service in its protocol (query/XML or restJson1). Errors are rendered in the service's format.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../util/clock.js';
import { makeAuthorizer, type Authorizer } from '../authorize.js';
import { AwsError } from '../errors.js';
import { resolveAccessKey, type AccessKeyCache, type Caller } from '../identity.js';
import { requestId as newRequestId } from '../ids.js';
import type { AwsStateStore } from '../state.js';
import { parseForm, xmlError, xmlResponse, type Params } from './query.js';
import type { CallContext, DocumentQueryService, QueryService, RestJsonHandler } from './services.js';
import { checkSigningTime, parseSigV4, SigV4Error, verifySignature, type Query, type SigV4Auth, type WireRequest } from './sigv4.js';

const MAX_BODY = 10 * 1024 * 1024;

export interface AwsEndpointOptions {
  host: string;
  port: number;
  state: AwsStateStore;
  region: string;
  enforceIam: boolean;
  clock: Clock;
  /** Query services served from the start (IAM and STS are added by startAwsEndpoint in index.ts). */
  queryServices?: QueryService[];
  /** Query services that render their own documents (EC2). */
  documentServices?: DocumentQueryService[];
  /** Resolves access keys from a cache kept current by the services' writes; without it every request reads the state. */
  keys?: AccessKeyCache;
}

export interface AwsEndpoint {
  url: string;
  port: number;
  /** The check --enforce-iam applies; EKS handlers call it with errorCode AccessDeniedException. */
  authorize: Authorizer;
  registerQueryService(service: QueryService): void;
  registerRestJsonService(signingName: string, handler: RestJsonHandler): void;
  registerDocumentService(service: DocumentQueryService): void;
  stop(): Promise<void>;
}

type Protocol = 'query' | 'json' | 'ec2';

/** The error a signature problem gets, per protocol (IAM/STS vs restJson1 services). */
function authError(kind: 'missing' | 'incomplete' | 'expired' | 'unknownKey' | 'badSignature' | 'expiredToken' | 'inactiveKey', protocol: Protocol, message?: string): AwsError {
  if (protocol === 'ec2') return ec2AuthError(kind, message);
  const q = protocol === 'query';
  switch (kind) {
    case 'missing':
      return new AwsError(q ? 'MissingAuthenticationToken' : 'MissingAuthenticationTokenException', q ? 'Request is missing Authentication Token' : 'Missing Authentication Token', 403);
    case 'incomplete':
      return new AwsError(q ? 'IncompleteSignature' : 'IncompleteSignatureException', message ?? '', 400);
    case 'expired':
      return new AwsError(q ? 'SignatureDoesNotMatch' : 'InvalidSignatureException', message ?? '', 403);
    case 'unknownKey':
    case 'inactiveKey':
      return new AwsError(q ? 'InvalidClientTokenId' : 'UnrecognizedClientException', 'The security token included in the request is invalid.', 403);
    case 'expiredToken':
      return new AwsError(q ? 'ExpiredToken' : 'ExpiredTokenException', 'The security token included in the request is expired', 403);
    case 'badSignature':
      return new AwsError(
        q ? 'SignatureDoesNotMatch' : 'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
        403,
      );
  }
}

/**
 * EC2 answers every credential problem with AuthFailure (401), except a missing signature
 * (MissingAuthenticationToken), a malformed one and a signing time outside the window (RequestExpired).
 */
function ec2AuthError(kind: Parameters<typeof authError>[0], message?: string): AwsError {
  switch (kind) {
    case 'missing':
      return new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 401);
    case 'incomplete':
      return new AwsError('IncompleteSignature', message ?? '', 400);
    case 'expired':
      return new AwsError('RequestExpired', message ?? 'Request has expired.', 400);
    default:
      return new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
  }
}

/** The request's SigV4 fields, or why they are unusable; parsed once and shared by routing and authentication. */
interface ParsedAuth {
  auth?: SigV4Auth;
  error?: SigV4Error;
}

function parseAuth(wire: WireRequest): ParsedAuth {
  try {
    return { auth: parseSigV4(wire) };
  } catch (err) {
    if (err instanceof SigV4Error) return { error: err };
    throw err;
  }
}

const NO_BODY = Buffer.alloc(0);

/** Most calls (GET/DELETE of restJson1) carry no body: nothing to wait for. */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new AwsError('RequestEntityTooLarge', 'Request body too large', 413));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function wireRequest(req: IncomingMessage, body: Buffer): WireRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query: Query = {};
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
      const cur = query[k];
      query[k] = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [cur, v];
    }
  }
  // Node joins repeated headers into one string already; only set-cookie stays an array.
  let headers = req.headers as Record<string, string>;
  if (req.headers['set-cookie'] !== undefined) headers = { ...headers, 'set-cookie': req.headers['set-cookie'].join(',') };
  return { method: req.method ?? 'GET', path, query, headers, body };
}

/** Parameters of a query-protocol call: the query string and a form body together. */
function queryParams(wire: WireRequest): Params {
  const params: Params = {};
  for (const [k, v] of Object.entries(wire.query)) if (!k.startsWith('X-Amz-')) params[k] = Array.isArray(v) ? v[0] : v;
  const type = wire.headers['content-type'] ?? '';
  if (wire.body.length && (type.startsWith('application/x-www-form-urlencoded') || type === '')) {
    Object.assign(params, parseForm(wire.body.toString('utf8')));
  }
  return params;
}

/** An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d; policies see a.b.c.d. */
function ipv4Unmapped(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export async function startEndpoint(opts: AwsEndpointOptions): Promise<AwsEndpoint> {
  const queryServices = new Map<string, QueryService>();
  const restServices = new Map<string, RestJsonHandler>();
  const documentServices = new Map<string, DocumentQueryService>();
  for (const s of opts.documentServices ?? []) documentServices.set(s.signingName, s);
  for (const s of opts.queryServices ?? []) queryServices.set(s.signingName, s);
  const authorize = makeAuthorizer(opts.state, opts.enforceIam);

  /** Verifies the signature (parsed once per request, by the router); returns the caller. */
  async function authenticate(wire: WireRequest, signed: ParsedAuth, protocol: Protocol): Promise<Caller> {
    if (signed.error) throw authError(signed.error.kind, protocol, signed.error.message);
    const auth = signed.auth;
    if (!auth) throw authError('missing', protocol);
    try {
      checkSigningTime(auth, opts.clock.now());
    } catch (err) {
      if (err instanceof SigV4Error) throw authError(err.kind, protocol, err.message);
      throw err;
    }
    const key = await (opts.keys ? opts.keys.resolve(auth.accessKeyId) : resolveAccessKey(opts.state, auth.accessKeyId));
    if (!key || !key.active) throw authError('unknownKey', protocol);
    if (key.sessionToken !== undefined && auth.securityToken !== key.sessionToken) throw authError('unknownKey', protocol);
    if (!verifySignature(wire, auth, key.secret)) throw authError('badSignature', protocol);
    if (key.expiration !== undefined && opts.clock.now() >= key.expiration) throw authError('expiredToken', protocol);
    return key.caller;
  }

  function send(res: ServerResponse, status: number, contentType: string, body: string, requestId: string, extra: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId, ...extra });
    res.end(body);
  }

  async function serveQuery(service: QueryService, wire: WireRequest, signed: ParsedAuth, res: ServerResponse, ctx: Omit<CallContext, 'caller'>): Promise<void> {
    try {
      const params = queryParams(wire);
      const action = params.Action;
      let caller: Caller | undefined;
      if (signed.auth || signed.error || !service.unsignedActions?.has(action ?? '')) caller = await authenticate(wire, signed, 'query');
      if (!action) throw new AwsError('MissingAction', 'Missing Action', 400);
      if (!service.has(action)) throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${params.Version ?? service.apiVersion}`, 400);
      const result = await service.handle(action, params, { ...ctx, caller });
      send(res, 200, 'text/xml', xmlResponse(action, service.xmlNamespace, result, ctx.requestId), ctx.requestId);
    } catch (err) {
      const e = err instanceof AwsError ? err : new AwsError('InternalFailure', 'An internal error occurred.', 500);
      if (!(err instanceof AwsError)) console.error('aws endpoint:', err);
      send(res, e.status, 'text/xml', xmlError(e, service.xmlNamespace, ctx.requestId), ctx.requestId);
    }
  }

  async function serveDocument(service: DocumentQueryService, wire: WireRequest, signed: ParsedAuth, res: ServerResponse, ctx: Omit<CallContext, 'caller'>): Promise<void> {
    try {
      const caller = await authenticate(wire, signed, 'ec2');
      const params = queryParams(wire);
      const action = params.Action;
      if (!action) throw new AwsError('MissingAction', 'The request must contain the parameter Action', 400);
      if (!service.has(action)) throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`, 400);
      await ctx.authorize(caller, `${service.signingName}:${action}`, '*', { errorCode: 'UnauthorizedOperation', sourceIp: ctx.sourceIp });
      const answer = await service.handle(action, params, { requestId: ctx.requestId, region: ctx.region, callerArn: caller?.arn });
      send(res, answer.status, 'text/xml', answer.body, ctx.requestId);
    } catch (err) {
      const e = err instanceof AwsError ? err : new AwsError('InternalError', 'An internal error has occurred', 500);
      if (!(err instanceof AwsError)) console.error('aws endpoint:', err);
      send(res, e.status, 'text/xml', service.errorDocument(e.code, e.message, ctx.requestId), ctx.requestId);
    }
  }

  async function serveJson(signingName: string, handler: RestJsonHandler, wire: WireRequest, signed: ParsedAuth, res: ServerResponse, ctx: Omit<CallContext, 'caller'>): Promise<void> {
    try {
      const caller = await authenticate(wire, signed, 'json');
      let body: unknown;
      if (wire.body.length) {
        try {
          body = JSON.parse(wire.body.toString('utf8'));
        } catch {
          throw new AwsError('SerializationException', 'Start of structure or map found where not expected.', 400);
        }
      }
      const out = await handler({ method: wire.method, rawPath: wire.path, query: wire.query, headers: wire.headers, body, ctx: { ...ctx, caller } });
      const text = out.body === undefined ? '{}' : JSON.stringify(out.body);
      send(res, out.status ?? 200, 'application/json', text, ctx.requestId, out.headers);
    } catch (err) {
      const e = err instanceof AwsError ? err : new AwsError(signingName === 'eks' ? 'ServerException' : 'InternalFailure', 'An internal error occurred.', 500);
      if (!(err instanceof AwsError)) console.error('aws endpoint:', err);
      const payload = { ...e.fields, message: e.message };
      send(res, e.status, 'application/json', JSON.stringify(payload), ctx.requestId, { 'x-amzn-errortype': e.code });
    }
  }

  const server = createServer((req, res) => {
    const requestId = newRequestId();
    const ctx = {
      requestId,
      region: opts.region,
      sourceIp: ipv4Unmapped(req.socket.remoteAddress ?? ''),
      clock: opts.clock,
      authorize,
    };
    (hasBody(req) ? readBody(req).then(serve) : serve(NO_BODY))
      .catch((err) => {
        if (res.headersSent) return;
        const e = err instanceof AwsError ? err : new AwsError('InternalFailure', String(err), 500);
        send(res, e.status, 'application/json', JSON.stringify({ message: e.message }), requestId, { 'x-amzn-errortype': e.code });
      });

    async function serve(body: Buffer): Promise<void> {
      const wire = wireRequest(req, body);
      const signed = parseAuth(wire);
      const scopeService = signed.auth?.service ?? /Credential=[^/]*\/[^/]*\/[^/]*\/([^/]+)\//.exec(wire.headers.authorization ?? '')?.[1];
      if (scopeService === undefined) {
        // Unsigned: only a query service's unsigned actions (AssumeRoleWithWebIdentity) are served.
        const action = queryParams(wire).Action ?? '';
        const service = [...queryServices.values()].find((s) => s.unsignedActions?.has(action));
        if (service) return serveQuery(service, wire, signed, res, ctx);
        const json = wire.headers['content-type']?.includes('json') || restServices.size > 0 && !action;
        const err = authError('missing', json ? 'json' : 'query');
        if (json) return send(res, err.status, 'application/json', JSON.stringify({ message: err.message }), requestId, { 'x-amzn-errortype': err.code });
        return send(res, err.status, 'text/xml', xmlError(err, 'https://iam.amazonaws.com/doc/2010-05-08/', requestId), requestId);
      }
      const query = queryServices.get(scopeService);
      if (query) return serveQuery(query, wire, signed, res, ctx);
      const document = documentServices.get(scopeService);
      if (document) return serveDocument(document, wire, signed, res, ctx);
      const rest = restServices.get(scopeService);
      if (rest) return serveJson(scopeService, rest, wire, signed, res, ctx);
      const err = new AwsError('UnrecognizedClientException', `Kumo does not serve the service "${scopeService}".`, 400);
      send(res, err.status, 'application/json', JSON.stringify({ message: err.message }), requestId, { 'x-amzn-errortype': err.code });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    port,
    authorize,
    registerQueryService: (s) => void queryServices.set(s.signingName, s),
    registerRestJsonService: (name, handler) => void restServices.set(name, handler),
    registerDocumentService: (s) => void documentServices.set(s.signingName, s),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
