// Storage keys, as kube-apiserver lays them out in etcd:
//   <prefix><group or "core">/<resource>/<namespace>/<name>   (namespaced)
//   <prefix><group or "core">/<resource>/<name>               (cluster-scoped)
// where <prefix> is the store's prefix, normally "/registry/".

export interface ResourceKeyRef {
  group: string;
  resource: string;
  namespaced: boolean;
}

function base(prefix: string): string {
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** Identifies one resource's cache: "core/pods", "apps/deployments". */
export function resourceId(group: string, resource: string): string {
  return `${group || 'core'}/${resource}`;
}

/** The key prefix of a resource, or of one namespace of it. Always ends with '/'. */
export function resourcePrefix(prefix: string, res: ResourceKeyRef, namespace?: string): string {
  const p = `${base(prefix)}${resourceId(res.group, res.resource)}/`;
  return res.namespaced && namespace ? `${p}${namespace}/` : p;
}

export function objectKey(prefix: string, res: ResourceKeyRef, namespace: string | undefined, name: string): string {
  return `${resourcePrefix(prefix, res, res.namespaced ? namespace : undefined)}${name}`;
}

export interface ParsedKey {
  /** resourceId() of the key's resource. */
  id: string;
  /** Segments after the resource: [name] or [namespace, name]. */
  rest: string[];
}

/** Splits a key under the store prefix; undefined for keys outside the layout. */
export function parseKey(prefix: string, key: string): ParsedKey | undefined {
  const b = base(prefix);
  if (!key.startsWith(b)) return undefined;
  const parts = key.slice(b.length).split('/');
  if (parts.length < 3 || parts.length > 4) return undefined;
  return { id: `${parts[0]}/${parts[1]}`, rest: parts.slice(2) };
}
