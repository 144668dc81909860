// The OIDC issuer of `kumo up`'s clusters: one HTTPS listener serving, per cluster,
// `<issuer>/.well-known/openid-configuration` and `<issuer>/keys` (EKS's JWKS path), where each
// issuer is `https://<host>:<port>/id/<ID>`. The port is kept in DATA/oidc/port and reused, and
// the certificate comes from the CA in DATA/oidc/pki, so issuers stay valid across restarts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadOrCreatePki } from '../apiserver/certs/pki.js';
import type { ServiceAccountTokens } from '../apiserver/auth/index.js';

export interface OidcIssuerServer {
  /** `https://host:port`: cluster issuers are `${base}/id/<ID>`. */
  base: string;
  caPem: string;
  stop(): Promise<void>;
}

/** Finds the ServiceAccount keys of the cluster whose issuer this is. */
export type IssuerKeys = (issuer: string) => Promise<ServiceAccountTokens | undefined>;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen((server.address() as AddressInfo).port);
    });
  });
}

export async function startOidcIssuer(opts: { dataDir: string; host: string; keys: IssuerKeys }): Promise<OidcIssuerServer> {
  const dir = join(opts.dataDir, 'oidc');
  mkdirSync(dir, { recursive: true });
  const pki = await loadOrCreatePki(dir);
  let base = '';
  const server = createServer({ cert: pki.cert, key: pki.key }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const m = /^(\/id\/[0-9A-F]+)(\/\.well-known\/openid-configuration|\/keys)$/.exec(path);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || !m) return send(404, { message: 'not found' });
    const issuer = `${base}${m[1]}`;
    opts.keys(issuer).then(
      (tokens) => {
        if (!tokens) return send(404, { message: 'not found' });
        send(200, m[2] === '/keys' ? tokens.jwks() : tokens.openIdConfiguration(`${issuer}/keys`));
      },
      () => send(500, { message: 'internal error' }),
    );
  });
  const portFile = join(dir, 'port');
  const saved = existsSync(portFile) ? Number(readFileSync(portFile, 'utf8').trim()) || 0 : 0;
  let port: number;
  try {
    port = await listen(server, saved, opts.host);
  } catch (err) {
    if (saved === 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    port = await listen(server, 0, opts.host);
  }
  writeFileSync(portFile, `${port}\n`);
  base = `https://${opts.host}:${port}`;
  return {
    base,
    caPem: pki.caCert,
    stop: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}
