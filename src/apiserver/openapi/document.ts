// OpenAPI v3 as kube-apiserver serves it: GET /openapi/v3 lists one document per
// group-version with a content hash, GET /openapi/v3/<path>?hash=… returns that document.
// Documents are derived from the catalog and cached per catalog generation.
import { createHash } from 'node:crypto';
import type { MutableCatalog } from '../schema/catalog.js';
import type { SchemaCatalog } from '../schema/types.js';
import { subresourceInfo } from '../schema/resources.js';
import { ComponentsBuilder, type Gvk } from './components.js';
import { gvPath } from './names.js';
import { listRefOf, PathsBuilder } from './paths.js';

const META = 'k8s.io/apimachinery/pkg/apis/meta/v1';


export interface OpenApiOptions {
  /** info.version; kube-apiserver puts its own version there. */
  infoVersion?: string;
}

export interface OpenApiDocument {
  /** The document's JSON text, as served. */
  json: string;
  /** Upper-case hex SHA-512 of `json`, as in the index's serverRelativeURL. */
  hash: string;
  document: Record<string, unknown>;
}

interface GroupVersion {
  group: string;
  version: string;
}

interface CacheEntry {
  key: string;
  gvks?: Map<string, Gvk[]>;
  docs: Map<string, OpenApiDocument | null>;
  index?: Record<string, unknown>;
}

const cache = new WeakMap<SchemaCatalog, CacheEntry>();

function groupVersionsOf(catalog: SchemaCatalog): GroupVersion[] {
  const c = catalog as Partial<MutableCatalog>;
  if (typeof c.groupVersions === 'function') return c.groupVersions();
  const seen = new Map<string, GroupVersion>();
  for (const r of catalog.resources()) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  return [...seen.values()];
}

function entryFor(catalog: SchemaCatalog, options: OpenApiOptions): CacheEntry {
  const generation = (catalog as Partial<MutableCatalog>).generation ?? 0;
  const key = `${generation}|${options.infoVersion ?? ''}`;
  let entry = cache.get(catalog);
  if (!entry || entry.key !== key) {
    entry = { key, docs: new Map() };
    cache.set(catalog, entry);
  }
  return entry;
}

/** GVKs stamped on schemas: every served kind and list kind, subresource kinds, meta kinds. */
function gvkTable(catalog: SchemaCatalog, gvs: GroupVersion[]): Map<string, Gvk[]> {
  const table = new Map<string, Gvk[]>();
  const add = (ref: string, g: Gvk) => {
    const list = table.get(ref) ?? [];
    if (!list.some((x) => x.group === g.group && x.version === g.version && x.kind === g.kind)) list.push(g);
    table.set(ref, list);
  };
  for (const r of catalog.resources()) {
    add(r.typeRef, { group: r.group, version: r.version, kind: r.kind });
    if (r.verbs.includes('list')) add(listRefOf(r), { group: r.group, version: r.version, kind: r.listKind });
    for (const sub of r.subresources) {
      const info = subresourceInfo(r, sub);
      add(info.typeRef, { group: info.group, version: info.version, kind: info.kind });
    }
  }
  // DeleteOptions and WatchEvent are registered into every group-version (metav1.AddToGroupVersion).
  const sorted = [...gvs].sort((a, b) => (a.group === b.group ? (a.version < b.version ? -1 : 1) : a.group < b.group ? -1 : 1));
  for (const kind of ['DeleteOptions', 'WatchEvent']) for (const gv of sorted) add(`${META}.${kind}`, { ...gv, kind });
  add(`${META}.Status`, { group: '', version: 'v1', kind: 'Status' });
  add(`${META}.APIResourceList`, { group: '', version: 'v1', kind: 'APIResourceList' });
  return table;
}

function buildDocument(catalog: SchemaCatalog, gv: GroupVersion, gvks: Map<string, Gvk[]>, options: OpenApiOptions): OpenApiDocument {
  const components = new ComponentsBuilder(catalog, gvks);
  const paths = new PathsBuilder(components, gv.group, gv.version);
  paths.addRoot();
  const resources = catalog.resources().filter((r) => r.group === gv.group && r.version === gv.version);
  for (const r of resources) paths.addResource(r);
  const sortedPaths: Record<string, unknown> = {};
  for (const p of Object.keys(paths.paths).sort()) sortedPaths[p] = paths.paths[p];
  const document = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: options.infoVersion ?? 'unversioned' },
    paths: sortedPaths,
    components: { schemas: components.build() },
  };
  const json = JSON.stringify(document);
  const hash = createHash('sha512').update(json).digest('hex').toUpperCase();
  return { json, hash, document };
}

function normalizePath(p: string): string {
  return p.replace(/^\/+/, '').replace(/^openapi\/v3\//, '').replace(/\/+$/, '');
}

/**
 * The document of one group-version ('api/v1', 'apis/apps/v1'), with its JSON text and hash;
 * undefined when the catalog serves no such group-version.
 */
export function openApiV3DocumentJson(catalog: SchemaCatalog, groupVersionPath: string, options: OpenApiOptions = {}): OpenApiDocument | undefined {
  const path = normalizePath(groupVersionPath);
  const entry = entryFor(catalog, options);
  const cached = entry.docs.get(path);
  if (cached !== undefined) return cached ?? undefined;
  const gvs = groupVersionsOf(catalog);
  const gv = gvs.find((g) => gvPath(g.group, g.version) === path);
  entry.gvks ??= gvkTable(catalog, gvs);
  const doc = gv ? buildDocument(catalog, gv, entry.gvks, options) : null;
  entry.docs.set(path, doc);
  return doc ?? undefined;
}

/** The OpenAPI v3 document of one group-version, or undefined. */
export function openApiV3Document(catalog: SchemaCatalog, groupVersionPath: string, options: OpenApiOptions = {}): Record<string, unknown> | undefined {
  return openApiV3DocumentJson(catalog, groupVersionPath, options)?.document;
}

/** GET /openapi/v3: {"paths": {"apis/apps/v1": {"serverRelativeURL": "/openapi/v3/apis/apps/v1?hash=…"}, …}}. */
export function openApiV3Index(catalog: SchemaCatalog, options: OpenApiOptions = {}): Record<string, unknown> {
  const entry = entryFor(catalog, options);
  if (entry.index) return entry.index;
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersionsOf(catalog)) {
    const p = gvPath(gv.group, gv.version);
    const doc = openApiV3DocumentJson(catalog, p, options);
    if (doc) paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${doc.hash}` };
  }
  entry.index = { paths };
  return entry.index;
}
