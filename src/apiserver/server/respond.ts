// Writing responses: objects as JSON (or YAML), errors as a `Status`, plain text for health checks.
import { stringify as yamlStringify } from 'yaml';
import { ApiError, internalError, type Status } from '../../api/status.js';
import type { Res } from './http-types.js';
import type { Encoding } from './media.js';

export function writeBody(res: Res, code: number, contentType: string, body: string | Buffer): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.statusCode = code;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** Turns a value into JSON text or its UTF-8 bytes; the registry's serializer reuses cached text of stored objects. */
export type Serialize = (value: unknown) => string | Buffer;

const jsonText = (json: string | Buffer): string => (typeof json === 'string' ? json : json.toString('utf8'));

export function writeObject(res: Res, code: number, obj: unknown, encoding: Encoding = 'json', serialize: Serialize = JSON.stringify): void {
  if (encoding === 'yaml') writeBody(res, code, 'application/yaml', yamlStringify(JSON.parse(jsonText(serialize(obj)))));
  else writeBody(res, code, 'application/json', serialize(obj));
}

export function writeText(res: Res, code: number, text: string): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  writeBody(res, code, 'text/plain; charset=utf-8', text);
}

/** The Status an error becomes: ApiErrors keep theirs, anything else is a 500 InternalError. */
export function statusOf(err: unknown): Status {
  if (err instanceof ApiError) return err.status;
  const message = err instanceof Error ? err.message : String(err);
  return internalError(message).status;
}

export function writeError(res: Res, err: unknown, encoding: Encoding = 'json'): void {
  const status = statusOf(err);
  writeObject(res, status.code, status, encoding);
}

/** Makes a 415 naming the media types an endpoint takes (upstream: negotiation.NewUnsupportedMediaTypeError). */
export function unsupportedMediaTypes(accepted: string[]): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    reason: 'UnsupportedMediaType',
    code: 415,
  });
}

/** 404 for a path nothing serves, in upstream's words. */
export function notFoundPath(): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server could not find the requested resource',
    reason: 'NotFound',
    details: {},
    code: 404,
  });
}
