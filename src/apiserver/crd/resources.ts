// The REST resources a CRD serves (apiextensions-apiserver pkg/apiserver/customresource_discovery
// and customresource_handler): one per served version, named by status.acceptedNames (spec.names
// until the controller has accepted them), with the verbs upstream gives custom resources and the
// status/scale subresources the version declares.
import type { ResourceDef } from '../schema/types.js';
import { isPlainObject, type CustomResourceDefinition, type CustomResourceDefinitionNames, type CustomResourceDefinitionVersion } from './types.js';

/** Discovery verbs of every custom resource, in upstream's order. */
export const CUSTOM_RESOURCE_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Catalog struct name of a version's kind, e.g. 'stable.example.com/v1.CronTab' (OpenAPI: com.example.stable.v1.CronTab). */
export function crdTypeRef(group: string, version: string, kind: string): string {
  return `${group}/${version}.${kind}`;
}

/** The names the CRD serves: status.acceptedNames once set, else spec.names. */
export function servedNames(crd: CustomResourceDefinition): CustomResourceDefinitionNames {
  const accepted = crd.status?.acceptedNames;
  if (isPlainObject(accepted) && str(accepted.plural) && str(accepted.kind)) return accepted;
  return isPlainObject(crd.spec?.names) ? crd.spec.names : {};
}

export function crdVersions(crd: CustomResourceDefinition): CustomResourceDefinitionVersion[] {
  return Array.isArray(crd.spec?.versions) ? crd.spec.versions.filter(isPlainObject) : [];
}

export function crdVersion(crd: CustomResourceDefinition, version: string): CustomResourceDefinitionVersion | undefined {
  return crdVersions(crd).find((v) => v.name === version);
}

/** The storage version's name. */
export function storageVersion(crd: CustomResourceDefinition): string | undefined {
  return crdVersions(crd).find((v) => v.storage === true)?.name;
}

/** One ResourceDef per served version. */
export function crdResourceDefs(crd: CustomResourceDefinition): ResourceDef[] {
  const group = str(crd.spec?.group);
  const names = servedNames(crd);
  const kind = str(names.kind);
  const out: ResourceDef[] = [];
  for (const v of crdVersions(crd)) {
    if (v.served !== true || !str(v.name)) continue;
    const subresources: string[] = [];
    if (isPlainObject(v.subresources) && isPlainObject(v.subresources.status)) subresources.push('status');
    if (isPlainObject(v.subresources) && isPlainObject(v.subresources.scale)) subresources.push('scale');
    out.push({
      group,
      version: str(v.name),
      resource: str(names.plural),
      singular: str(names.singular) || str(names.kind).toLowerCase(),
      kind,
      listKind: str(names.listKind) || `${kind}List`,
      namespaced: crd.spec?.scope === 'Namespaced',
      shortNames: strList(names.shortNames),
      categories: strList(names.categories),
      verbs: [...CUSTOM_RESOURCE_VERBS],
      subresources,
      typeRef: crdTypeRef(group, str(v.name), kind),
    });
  }
  return out;
}

/** The list kind's struct name, as OpenAPI paths derive it (`…/v1.CronTabList`). */
export function listTypeRef(res: ResourceDef): string {
  return `${res.typeRef.slice(0, res.typeRef.lastIndexOf('.'))}.${res.listKind}`;
}
