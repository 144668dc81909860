// Storage keys of API objects, with the checks of upstream's NamespaceKeyFunc/NoNamespaceKeyFunc
// (apiserver/pkg/registry/generic/registry/store.go) and path.IsValidPathSegmentName.
import { badRequest } from '../../api/status.js';
import type { ResourceDef } from '../schema/types.js';
import { objectKey } from '../watchcache/index.js';
import { storageOf } from './storage-mapping.js';

function pathSegmentErrors(s: string): string[] {
  if (s === '.') return ["may not be '.'"];
  if (s === '..') return ["may not be '..'"];
  const errs: string[] = [];
  if (s.includes('/')) errs.push("may not contain '/'");
  if (s.includes('%')) errs.push("may not contain '%'");
  return errs;
}

export function keyFor(prefix: string, res: ResourceDef, namespace: string | undefined, name: string): string {
  if (res.namespaced) {
    if (!namespace) throw badRequest('Namespace parameter required.');
    const nsErrs = pathSegmentErrors(namespace);
    if (nsErrs.length) throw badRequest(`Namespace parameter invalid: ${JSON.stringify(namespace)}: ${nsErrs.join(';')}`);
  }
  if (!name) throw badRequest('Name parameter required.');
  const errs = pathSegmentErrors(name);
  if (errs.length) throw badRequest(`Name parameter invalid: ${JSON.stringify(name)}: ${errs.join(';')}`);
  return objectKey(prefix, storageOf(res).ref, namespace, name);
}
