// What the HTTP layer needs from the rest of the API server. The composition root (src/main) fills
// these in from the catalog, the registry and the auth packages.
import type { ResourceDef } from '../schema/types.js';
import type { Req, Res } from './http-types.js';
import type { RequestInfo } from './request-info.js';
import type { HealthCheck } from './health.js';

/** The authenticated caller (k8s.io/apiserver/pkg/authentication/user.Info). */
export interface RequestUser {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/**
 * Turns the request's credentials into a user. Resolves undefined when the request carries none
 * (the server then treats it as system:anonymous); throws an ApiError 401 when they are invalid.
 */
export type Authenticate = (req: Req) => Promise<RequestUser | undefined>;

export interface AuthorizationAttributes extends Omit<RequestInfo, 'legacyWatch' | 'apiPrefix'> {
  user: RequestUser;
}

export interface AuthorizationDecision {
  allowed: boolean;
  /** Extra words upstream appends to the Forbidden message (e.g. RBAC's reason). */
  reason?: string;
}

export type Authorize = (attrs: AuthorizationAttributes) => Promise<AuthorizationDecision>;

/** Everything one request carries once authenticated and parsed. */
export interface RequestContext {
  req: Req;
  res: Res;
  url: URL;
  info: RequestInfo;
  user: RequestUser;
  auditId: string;
}

/** Serves resource requests (/api/v1/..., /apis/g/v/...) once authenticated and authorized. */
export interface ResourceHandler {
  handle(ctx: RequestContext): Promise<void>;
}

/** The catalog as far as discovery needs it. */
export interface ServedResources {
  resources(): ResourceDef[];
  /** Served group-versions in discovery order, the preferred version of each group marked. */
  groupVersions?(): { group: string; version: string; preferred: boolean }[];
  /** Calls `listener` whenever the set of served resources changes (CRDs); returns an unsubscribe function. */
  onChange?(listener: () => void): (() => void) | void;
}

/** OpenAPI v3 documents (`/openapi/v3` index and per group-version documents). */
export interface OpenApiV3Source {
  /** The index: `{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."}}}`. */
  index(): object;
  /** The document of `gvPath` ('api/v1', 'apis/apps/v1') with its content hash, or undefined. */
  document(gvPath: string): { body: string; hash: string } | undefined;
}

export interface ServerDeps {
  resources: ServedResources;
  authenticate: Authenticate;
  authorize: Authorize;
  handler: ResourceHandler;
  openapi?: OpenApiV3Source;
  /** The `/version` document. */
  version: object;
  /** Checks for /livez and /healthz; /readyz adds `readyChecks`. */
  liveChecks: HealthCheck[];
  readyChecks: HealthCheck[];
}
