// `/openapi/v3` and `/openapi/v3/<group-version>` with kube-openapi's caching rules (handler3):
// a `hash` query equal to the document's hash makes the reply immutable for a year, a stale hash
// redirects (301) to the current one, and every reply carries the hash as ETag.
import { notAcceptable } from '../../api/status.js';
import type { OpenApiV3Source } from './deps.js';
import type { Req, Res } from './http-types.js';
import { parseAccept } from './media.js';
import { notFoundPath, writeBody } from './respond.js';

function acceptsJson(req: Req): boolean {
  return parseAccept(req.headers['accept'] as string | undefined).some(
    (r) => (r.type === '*' && r.subtype === '*') || (r.type === 'application' && (r.subtype === '*' || r.subtype === 'json')),
  );
}

/** Serves a path under /openapi/v3; throws ApiErrors for the caller to write. */
export function serveOpenApiV3(source: OpenApiV3Source | undefined, req: Req, res: Res, path: string, query: URLSearchParams): void {
  if (!source) throw notFoundPath();
  if (!acceptsJson(req)) throw notAcceptable('only the following media types are accepted: application/json');
  const rest = path.replace(/^\/openapi\/v3\/?/, '').replace(/\/+$/, '');
  if (rest === '') {
    writeBody(res, 200, 'application/json', JSON.stringify(source.index()));
    return;
  }
  const doc = source.document(rest);
  if (!doc) throw notFoundPath();
  const hash = query.get('hash');
  if (hash !== null && hash !== '') {
    if (hash !== doc.hash) {
      res.statusCode = 301;
      res.setHeader('Location', `/openapi/v3/${rest}?hash=${doc.hash}`);
      res.end();
      return;
    }
    res.setHeader('Vary', 'Accept');
    res.setHeader('Cache-Control', 'public, immutable');
    res.setHeader('Expires', new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString());
  }
  res.setHeader('Etag', JSON.stringify(doc.hash));
  if (req.headers['if-none-match'] === JSON.stringify(doc.hash)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  writeBody(res, 200, 'application/json', doc.body);
}
