// The checks the patch handler makes on every patched object, whatever the patch type
// (handlers/rest.go checkName, registry/rest EnsureObjectNamespaceMatchesRequestNamespace).
import { badRequest } from '../../api/status.js';
import { isJsonObject } from './json-value.js';

export interface RequestTarget {
  /** The name in the URL. */
  name: string;
  /** The namespace in the URL; '' for cluster-scoped resources. */
  namespace: string;
}

/**
 * Throws 400 when the patched object's name differs from the URL's or its namespace from the
 * request's; fills in a missing namespace and clears it for cluster-scoped resources (obj is
 * modified).
 */
export function checkPatchedObjectIdentity(obj: object, target: RequestTarget): void {
  const metadata = isJsonObject((obj as Record<string, unknown>).metadata) ? ((obj as Record<string, unknown>).metadata as Record<string, unknown>) : undefined;
  const objName = typeof metadata?.name === 'string' ? metadata.name : '';
  const objNamespace = typeof metadata?.namespace === 'string' ? metadata.namespace : '';
  if (objName !== target.name) {
    throw badRequest(`the name of the object (${objName}) does not match the name on the URL (${target.name})`);
  }
  if (target.namespace && objNamespace && objNamespace !== target.namespace) {
    throw badRequest(`the namespace of the object (${objNamespace}) does not match the namespace on the request (${target.namespace})`);
  }
  if (objNamespace === target.namespace) return;
  const m = metadata ?? ((obj as Record<string, unknown>).metadata = {} as Record<string, unknown>);
  if (target.namespace) m.namespace = target.namespace;
  else delete m.namespace;
}
