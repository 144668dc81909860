// Authentication by the admin bearer token, and authorization for system:masters, used until the
// RBAC authorizer and the full authenticator chain are wired in.
import { timingSafeEqual } from 'node:crypto';
import { unauthorized } from '../api/status.js';
import type { Authenticate, Authorize } from '../apiserver/server/deps.js';

function bearer(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
  return m?.[1];
}

export function adminAuthenticator(adminToken: string): Authenticate {
  const expected = Buffer.from(adminToken);
  return async (req) => {
    const token = bearer(req.headers['authorization']);
    if (token === undefined) return undefined;
    const got = Buffer.from(token);
    if (got.length === expected.length && timingSafeEqual(got, expected)) {
      return { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
    }
    throw unauthorized();
  };
}

/** Upstream's public-info paths every caller may read (ClusterRole system:public-info-viewer). */
const PUBLIC_PATHS = ['/healthz', '/livez', '/readyz', '/version'];

export function mastersOnlyAuthorizer(): Authorize {
  return async (attrs) => {
    if (attrs.user.groups.includes('system:masters')) return { allowed: true };
    if (!attrs.isResourceRequest && attrs.verb === 'get' && PUBLIC_PATHS.some((p) => attrs.path === p || attrs.path.startsWith(`${p}/`))) return { allowed: true };
    return { allowed: false };
  };
}
