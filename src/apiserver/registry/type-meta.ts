// apiVersion/kind and metadata.namespace of a request body against the endpoint it was sent to
// (apiserver/pkg/endpoints/handlers create.go/update.go, rest.BeforeCreate/BeforeUpdate).
import { badRequest } from '../../api/status.js';
import type { ResourceDef } from '../schema/types.js';
import { meta } from './object-meta.js';
import { groupVersion } from './reader.js';
import type { ApiObject } from './types.js';

export function checkTypeMeta(res: ResourceDef, obj: ApiObject): void {
  const gv = groupVersion(res);
  if (obj.apiVersion === undefined || obj.apiVersion === '') obj.apiVersion = gv;
  if (obj.kind === undefined || obj.kind === '') obj.kind = res.kind;
  if (obj.apiVersion !== gv) throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${gv})`);
  if (obj.kind !== res.kind) throw badRequest(`the object provided is unrecognized (must be of type ${res.kind}): kind ${JSON.stringify(obj.kind)} is not ${JSON.stringify(res.kind)}`);
}

/** Namespaced objects take the request's namespace; cluster-scoped objects have none. */
export function checkNamespace(res: ResourceDef, namespace: string | undefined, obj: ApiObject): void {
  const m = meta(obj);
  if (!res.namespaced) {
    delete m.namespace;
    return;
  }
  const given = typeof m.namespace === 'string' ? m.namespace : '';
  if (given && namespace && given !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  if (namespace) m.namespace = namespace;
}

export function checkName(obj: ApiObject, urlName: string): void {
  const m = meta(obj);
  const given = typeof m.name === 'string' ? m.name : '';
  if (given && given !== urlName) throw badRequest(`the name of the object (${given}) does not match the name on the URL (${urlName})`);
  m.name = urlName;
}
