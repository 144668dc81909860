// Discovery documents built from the catalog's resources: the legacy forms (APIVersions, APIGroupList,
// APIResourceList) and aggregated discovery (apidiscovery.k8s.io v2/v2beta1 APIGroupDiscoveryList).
// Shapes: k8s.io/apimachinery/pkg/apis/meta/v1 and k8s.io/api/apidiscovery/v2.
import type { ResourceDef } from '../schema/types.js';
import { subresourceInfo } from '../schema/resources.js';

interface GroupVersions {
  group: string;
  /** In catalog order; the first is the preferred version (upstream serves versions by priority). */
  versions: string[];
  resources: Map<string, ResourceDef[]>;
}

/** A served group-version in discovery order; `preferred` marks the version a group lists first. */
export interface GroupVersionOrder {
  group: string;
  version: string;
  preferred: boolean;
}

/**
 * Groups resources by group and version. Order (and the preferred version, listed first) follows
 * `order` when given, else the order of `resources`.
 */
export function groupResources(resources: ResourceDef[], order?: GroupVersionOrder[]): GroupVersions[] {
  const groups = new Map<string, GroupVersions>();
  if (order) {
    const sorted = [...order.filter((o) => o.preferred), ...order.filter((o) => !o.preferred)];
    for (const gv of order) if (!groups.has(gv.group)) groups.set(gv.group, { group: gv.group, versions: [], resources: new Map() });
    for (const gv of sorted) {
      const g = groups.get(gv.group)!;
      if (!g.resources.has(gv.version)) {
        g.resources.set(gv.version, []);
        g.versions.push(gv.version);
      }
    }
  }
  for (const r of resources) {
    let g = groups.get(r.group);
    if (!g) {
      g = { group: r.group, versions: [], resources: new Map() };
      groups.set(r.group, g);
    }
    let list = g.resources.get(r.version);
    if (!list) {
      list = [];
      g.resources.set(r.version, list);
      g.versions.push(r.version);
    }
    list.push(r);
  }
  return [...groups.values()];
}

function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** `GET /api`: APIVersions. */
export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `GET /apis`: APIGroupList of every non-core group. */
export function apiGroupList(resources: ResourceDef[], order?: GroupVersionOrder[]): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupResources(resources, order)
      .filter((g) => g.group !== '')
      .map((g) => apiGroup(g)),
  };
}

function apiGroup(g: GroupVersions): object {
  const versions = g.versions.map((v) => ({ groupVersion: groupVersion(g.group, v), version: v }));
  return { name: g.group, versions, preferredVersion: versions[0] };
}

/** `GET /apis/<group>`: APIGroup, or undefined when the group is not served. */
export function apiGroupDocument(resources: ResourceDef[], group: string, order?: GroupVersionOrder[]): object | undefined {
  const g = groupResources(resources, order).find((x) => x.group === group && group !== '');
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) } : undefined;
}

/** `GET /api/v1`, `GET /apis/<group>/<version>`: APIResourceList, or undefined when not served. */
export function apiResourceList(resources: ResourceDef[], group: string, version: string): object | undefined {
  const list = resources.filter((r) => r.group === group && r.version === version);
  if (list.length === 0) return undefined;
  const out: object[] = [];
  for (const r of list) {
    const entry: Record<string, unknown> = {
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
    };
    if (r.shortNames.length) entry['shortNames'] = r.shortNames;
    if (r.categories.length) entry['categories'] = r.categories;
    out.push(entry);
    for (const sub of r.subresources) {
      const facts = subresourceInfo(r, sub);
      const subEntry: Record<string, unknown> = { name: `${r.resource}/${sub}`, singularName: '', namespaced: r.namespaced, kind: facts.kind, verbs: facts.verbs };
      if (facts.group !== r.group || facts.version !== r.version) {
        subEntry['group'] = facts.group;
        subEntry['version'] = facts.version;
      }
      out.push(subEntry);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(group, version), resources: out };
}

function discoveryResource(r: ResourceDef): object {
  const entry: Record<string, unknown> = {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) entry['shortNames'] = r.shortNames;
  if (r.categories.length) entry['categories'] = r.categories;
  if (r.subresources.length) {
    entry['subresources'] = r.subresources.map((sub) => {
      const facts = subresourceInfo(r, sub);
      return { subresource: sub, responseKind: { group: facts.group, version: facts.version, kind: facts.kind }, verbs: facts.verbs };
    });
  }
  return entry;
}

/**
 * Aggregated discovery for `/api` (core group only) or `/apis` (every other group):
 * APIGroupDiscoveryList in apidiscovery.k8s.io `version`.
 */
export function aggregatedDiscovery(resources: ResourceDef[], which: 'api' | 'apis', version: 'v2' | 'v2beta1', order?: GroupVersionOrder[]): object {
  const groups = groupResources(resources, order).filter((g) => (which === 'api' ? g.group === '' : g.group !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: g.group ? { name: g.group, creationTimestamp: null } : { creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: (g.resources.get(v) ?? []).map(discoveryResource),
        freshness: 'Current',
      })),
    })),
  };
}

export const AGGREGATED_CONTENT_TYPE = (version: 'v2' | 'v2beta1'): string => `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
