// What a request is about, parsed from method, path and query the way upstream's RequestInfoFactory
// does it (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): API prefix, group, version,
// namespace, resource, name, subresource and the verb authorization sees.

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection; or the lower-case HTTP method for non-resource paths. */
  verb: string;
  apiPrefix: '' | 'api' | 'apis';
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** The legacy `/watch/` path prefix was used. */
  legacyWatch: boolean;
}

const SPECIAL_VERBS = new Set(['proxy', 'watch']);
// Subresources of a namespace that keep `namespaces` as the resource (upstream: namespaceSubresources).
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/').map((p) => decodeURIComponent(p));
}

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    legacyWatch: false,
  };
  let parts: string[];
  try {
    parts = splitPath(path);
  } catch {
    return info;
  }
  if (parts.length < 2) return info;
  if (parts[0] === 'api') {
    info.apiPrefix = 'api';
    parts = parts.slice(1);
  } else if (parts[0] === 'apis') {
    if (parts.length < 3) return info;
    info.apiPrefix = 'apis';
    info.apiGroup = parts[1];
    parts = parts.slice(2);
  } else {
    return info;
  }
  info.apiVersion = parts[0];
  parts = parts.slice(1);
  if (parts.length === 0) return info; // /api/v1, /apis/apps/v1: discovery, not a resource request
  info.isResourceRequest = true;

  if (SPECIAL_VERBS.has(parts[0])) {
    if (parts.length < 2) return { ...info, isResourceRequest: false };
    if (parts[0] === 'watch') info.legacyWatch = true;
    info.verb = parts[0];
    parts = parts.slice(1);
  } else {
    switch (method.toUpperCase()) {
      case 'POST': info.verb = 'create'; break;
      case 'GET': case 'HEAD': info.verb = 'get'; break;
      case 'PUT': info.verb = 'update'; break;
      case 'PATCH': info.verb = 'patch'; break;
      case 'DELETE': info.verb = 'delete'; break;
      default: info.verb = '';
    }
  }

  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1];
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
    }
  }
  if (parts.length >= 3) info.subresource = parts[2];
  if (parts.length >= 2) info.name = parts[1];
  if (parts.length >= 1) info.resource = parts[0];

  if (!info.name && info.verb === 'get') info.verb = 'list';
  if (!info.name && info.verb === 'delete') info.verb = 'deletecollection';
  if (info.verb === 'list') {
    const watch = query.get('watch');
    if (watch === 'true' || watch === '1') info.verb = 'watch';
  }
  return info;
}
