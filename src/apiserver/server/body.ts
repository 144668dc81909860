// Reading a request body under the API server's size limit (upstream: 3 MiB, MaxRequestBodyBytes).
import { requestEntityTooLarge } from '../../api/status.js';
import type { Req } from './http-types.js';

export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/**
 * Reads the whole body. Past `limit` the rest is drained (so the connection stays usable) and the
 * read fails with 413 RequestEntityTooLarge: "Request entity too large: limit is 3145728".
 */
export function readBody(req: Req, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) tooLarge = true;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(requestEntityTooLarge(`Request entity too large: limit is ${limit}`)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}
