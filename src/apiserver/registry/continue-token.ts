// List continuation tokens in upstream's format (apiserver/pkg/storage/continue.go):
// base64 of {"v":"meta.k8s.io/v1","rv":<revision>,"start":"<next key below the list prefix>"}.
import { badRequest } from '../../api/status.js';

const VERSION = 'meta.k8s.io/v1';

export interface ContinueState {
  /** Revision the list is served at; -1 marks an inconsistent continuation after expiry. */
  rv: number;
  /** Key (relative to the list prefix) to start at, inclusive. */
  start: string;
}

/** Token for the page after `lastKey`: start at the smallest key greater than it. */
export function encodeContinue(lastKey: string, keyPrefix: string, rv: number): string {
  const start = `${lastKey.slice(keyPrefix.length)}\u0000`;
  return Buffer.from(JSON.stringify({ v: VERSION, rv, start })).toString('base64');
}

export function decodeContinue(token: string, keyPrefix: string): ContinueState & { startKey: string } {
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data or JSON');
  }
  if (!parsed || typeof parsed !== 'object') throw badRequest('continue key is not valid: not an object');
  if (parsed.v !== VERSION) throw badRequest(`continue key is not valid: server does not recognize this encoded key`);
  if (typeof parsed.rv !== 'number' || !Number.isInteger(parsed.rv) || parsed.rv === 0) throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof parsed.start !== 'string' || parsed.start.length === 0) throw badRequest('continue key is not valid: encoded start key empty');
  // The start key may not climb out of the list prefix (continue.go: path.Clean check).
  if (parsed.start.startsWith('/') || parsed.start.split('/').some((seg) => seg === '..' || seg === '.')) {
    throw badRequest(`continue key is not valid: key ${JSON.stringify(parsed.start)} does not lie under the list prefix`);
  }
  return { rv: parsed.rv, start: parsed.start, startKey: keyPrefix + parsed.start };
}
