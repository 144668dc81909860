// `/openapi/v3` and `/openapi/v3/<group-version>` with kube-openapi's caching rules (handler3), and
// `/openapi/v2` (handler.go) built from the same documents:
// a `hash` query equal to the document's hash makes the reply immutable for a year, a stale hash
// redirects (301) to the current one, and every reply carries the hash as ETag.
import { createHash } from 'node:crypto';
import { notAcceptable } from '../../api/status.js';
import { openApiV2FromV3 } from '../openapi/v2.js';
import { encodeOpenApiV2 } from '../openapi/v2-protobuf.js';
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

const PROTO_V2 = 'com.github.proto-openapi.spec.v2@v1.0+protobuf';
/** The older spelling, which kube-openapi also answers with (Go's mime parser rejects the '@' form). */
const PROTO_V2_OLD = 'com.github.proto-openapi.spec.v2.v1.0+protobuf';

interface V2Forms {
  key: string;
  json: Buffer;
  jsonEtag: string;
  proto: Buffer;
  protoEtag: string;
}

const v2Cache = new WeakMap<OpenApiV3Source, V2Forms>();

const etagOf = (data: Buffer) => JSON.stringify(createHash('sha512').update(data).digest('hex').toUpperCase());

/** The v2 document of every group-version, rebuilt when any v3 document changes (a CRD came or went). */
function v2Forms(source: OpenApiV3Source): V2Forms {
  const index = source.index() as { paths?: Record<string, unknown> };
  const docs = Object.keys(index.paths ?? {})
    .sort()
    .map((gv) => source.document(gv))
    .filter((d): d is { body: string; hash: string } => d !== undefined);
  const key = docs.map((d) => d.hash).join(',');
  const cached = v2Cache.get(source);
  if (cached && cached.key === key) return cached;
  const parsed = docs.map((d) => JSON.parse(d.body) as { info?: { version?: string } });
  const doc = openApiV2FromV3(parsed, parsed[0]?.info?.version ?? '');
  const json = Buffer.from(JSON.stringify(doc));
  const proto = encodeOpenApiV2(doc);
  const forms = { key, json, jsonEtag: etagOf(json), proto, protoEtag: etagOf(proto) };
  v2Cache.set(source, forms);
  return forms;
}

/**
 * GET /openapi/v2 as kube-openapi's handler serves it: JSON or gnostic protobuf by Accept (the
 * first acceptable range wins), an ETag per form, 304 on a matching If-None-Match, 406 otherwise.
 */
export function serveOpenApiV2(source: OpenApiV3Source | undefined, req: Req, res: Res): void {
  if (!source) throw notFoundPath();
  res.setHeader('Vary', 'Accept');
  for (const r of parseAccept(req.headers['accept'] as string | undefined)) {
    if (r.type !== 'application' && r.type !== '*') continue;
    const json = r.subtype === 'json' || r.subtype === '*';
    const proto = r.subtype === PROTO_V2 || r.subtype === PROTO_V2_OLD;
    if (!json && !proto) continue;
    const forms = v2Forms(source);
    const etag = json ? forms.jsonEtag : forms.protoEtag;
    res.setHeader('Etag', etag);
    if (req.headers['if-none-match'] === etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    writeBody(res, 200, json ? 'application/json' : `application/${PROTO_V2_OLD}`, json ? forms.json : forms.proto);
    return;
  }
  res.statusCode = 406;
  res.end();
}
