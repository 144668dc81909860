// A tiny plain-HTTP server on 127.0.0.1 that records every request (method, path, headers,
// body) and answers through a handler, so tests can see exactly what real clients send.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  /** Path with query string, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface CaptureReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type CaptureHandler = (req: CapturedRequest) => CaptureReply | Promise<CaptureReply>;

export interface CaptureServer {
  /** http://127.0.0.1:PORT */
  url: string;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

/** Echoes a JSON body back with 201; anything else gets 201 with an empty object. */
export const echoJson: CaptureHandler = (req) => {
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('application/json') && req.body.length > 0) return { status: 201, body: JSON.parse(req.body.toString('utf8')) };
  return { status: 201, body: {} };
};

export async function startCaptureServer(handler: CaptureHandler = echoJson): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const captured: CapturedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(captured);
      Promise.resolve()
        .then(() => handler(captured))
        .then(
          (reply) => {
            res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
            res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
          },
          (err: unknown) => {
            const message = err instanceof Error ? err.message : String(err);
            res.writeHead(400, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 }));
          },
        );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
