// The HTTPS front of the API server: HTTP/2 and HTTP/1.1 over TLS on one port, and the request chain
// authentication → authorization → routing (health, version, discovery, OpenAPI, resources).
import { randomUUID } from 'node:crypto';
import { createSecureServer, type Http2SecureServer, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ApiError } from '../../api/status.js';
import { forbiddenError } from '../auth/forbidden.js';
import { DiscoveryService } from '../discovery/service.js';
import type { AuthorizationAttributes, RequestContext, RequestUser, ServerDeps } from './deps.js';
import { serveHealth } from './health.js';
import type { Req, Res } from './http-types.js';
import { negotiateDiscovery } from './media.js';
import { serveOpenApiV2, serveOpenApiV3 } from './openapi-routes.js';
import { parseRequestInfo, type RequestInfo } from './request-info.js';
import { notFoundPath, writeBody, writeError, writeObject } from './respond.js';

export interface TlsMaterial {
  cert: string;
  key: string;
}

/** The user of a request without credentials (upstream's anonymous authenticator). */
export const ANONYMOUS: RequestUser = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

const HEALTH_ENDPOINTS = new Set(['healthz', 'livez', 'readyz']);

export class ApiServer {
  readonly server: Http2SecureServer;
  private readonly discovery: DiscoveryService;
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Set<ServerHttp2Session>();
  /** TLS connections speaking HTTP/1.1 (ALPN other than h2). */
  private readonly http1 = new Set<TLSSocket>();
  private readonly closers = new Set<() => void>();
  private shuttingDown = false;
  private address = '127.0.0.1:0';

  constructor(
    private readonly deps: ServerDeps,
    tls: TlsMaterial,
  ) {
    this.discovery = new DiscoveryService(deps.resources);
    this.server = createSecureServer({ cert: tls.cert, key: tls.key, allowHTTP1: true, settings: { maxConcurrentStreams: 1000, initialWindowSize: 4 * 1024 * 1024 } });
    // Request bodies up to the 3 MiB limit flow without waiting on window updates (Go's server does the same per connection).
    this.server.on('session', (session: ServerHttp2Session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
      session.on('connect', () => session.setLocalWindowSize(32 * 1024 * 1024));
    });
    this.server.on('request', (req: Req, res: Res) => {
      void this.handle(req, res);
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('secureConnection', (socket: TLSSocket) => {
      socket.setNoDelay(true);
      if (socket.alpnProtocol !== 'h2') {
        this.http1.add(socket);
        socket.on('close', () => this.http1.delete(socket));
      }
    });
  }

  /** Listens on host:port (port 0 picks a free one) and resolves with the bound port. */
  listen(port: number, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const bound = (this.server.address() as AddressInfo).port;
        this.address = `${host}:${bound}`;
        resolve(bound);
      });
    });
  }

  /** Registers something to end at shutdown (a watch stream); returns the unregister function. */
  onShutdown(fn: () => void): () => void {
    this.closers.add(fn);
    return () => this.closers.delete(fn);
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Stops accepting connections, ends open watches, and closes idle connections. */
  async close(): Promise<void> {
    this.shuttingDown = true;
    this.discovery.close();
    for (const fn of [...this.closers]) fn();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Give in-flight requests a moment, then cut what is left (keep-alive and HTTP/2 sessions).
    const grace = setTimeout(() => {
      for (const s of this.sockets) s.destroy();
    }, 2000);
    grace.unref();
    // HTTP/2: GOAWAY, letting open streams finish. HTTP/1.1: close idle keep-alive connections.
    for (const session of this.sessions) session.close();
    for (const s of this.http1) {
      if (!(s as TLSSocket & { _httpMessage?: unknown })._httpMessage) s.end();
    }
    await closed;
    clearTimeout(grace);
  }

  private async handle(req: Req, res: Res): Promise<void> {
    const auditId = randomUUID();
    res.setHeader('Audit-Id', auditId);
    res.setHeader('Cache-Control', 'no-cache, private');
    try {
      const url = new URL(req.url ?? '/', 'https://kumo.invalid');
      const path = url.pathname;
      const info = parseRequestInfo(req.method ?? 'GET', path, url.searchParams);
      const user = (await this.deps.authenticate(req)) ?? ANONYMOUS;
      const attrs = authorizationAttributes(info, user);
      const decision = await this.deps.authorize(attrs);
      if (!decision.allowed) {
        const { user: who, isResourceRequest, ...rest } = attrs;
        throw forbiddenError(who, { ...rest, resourceRequest: isResourceRequest }, decision.reason);
      }
      const ctx: RequestContext = { req, res, url, info, user, auditId };
      if (info.isResourceRequest) {
        await this.deps.handler.handle(ctx);
        return;
      }
      await this.serveNonResource(ctx);
    } catch (err) {
      if (!(err instanceof ApiError)) console.error(`apiserver: ${req.method} ${req.url}:`, err);
      writeError(res, err);
    }
  }

  private async serveNonResource(ctx: RequestContext): Promise<void> {
    const { req, res, url } = ctx;
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const segments = path.split('/').filter(Boolean);
    const method = (req.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') throw notFoundPath();

    if (segments.length >= 1 && HEALTH_ENDPOINTS.has(segments[0]) && segments.length <= 2) {
      const checks = segments[0] === 'readyz' ? [...this.deps.liveChecks, ...this.deps.readyChecks, shutdownCheck(this)] : this.deps.liveChecks;
      if (await serveHealth(res, segments[0], checks, segments[1] ?? '', url.searchParams)) return;
      throw notFoundPath();
    }
    if (path === '/version') {
      writeObject(res, 200, this.deps.version);
      return;
    }
    if (segments[0] === 'openapi') {
      if (segments[1] === 'v3') {
        serveOpenApiV3(this.deps.openapi, req, res, path, url.searchParams);
        return;
      }
      if (segments[1] === 'v2' && segments.length === 2) {
        serveOpenApiV2(this.deps.openapi, req, res);
        return;
      }
      throw notFoundPath();
    }
    if ((segments[0] === 'api' && segments.length <= 2) || (segments[0] === 'apis' && segments.length <= 3)) {
      const negotiated = negotiateDiscovery(req.headers['accept'] as string | undefined);
      const aggregated = negotiated.version === 'legacy' ? undefined : negotiated.version;
      const doc = this.discovery.respond(path, aggregated, this.address);
      if (!doc) throw notFoundPath();
      if (doc.etag) {
        res.setHeader('ETag', doc.etag);
        if (req.headers['if-none-match'] === doc.etag) {
          res.statusCode = 304;
          res.end();
          return;
        }
      }
      if (aggregated) res.setHeader('Vary', 'Accept');
      writeBody(res, 200, doc.contentType, doc.body);
      return;
    }
    throw notFoundPath();
  }
}

function authorizationAttributes(info: RequestInfo, user: RequestUser): AuthorizationAttributes {
  const { legacyWatch: _w, apiPrefix: _p, ...rest } = info;
  return { ...rest, user };
}

function shutdownCheck(server: ApiServer) {
  return { name: 'shutdown', check: async () => !server.isShuttingDown };
}
