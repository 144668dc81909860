// The schema catalog: every served resource and every struct, with O(1) lookups. Built-in
// resources come from resources.ts, structs from the generated wire facts; CRDs register
// their resources (and structural-schema structs) at run time through addResource.
import { builtinStructs, flattenByJson, META } from './catalog-structs.js';
import { builtinGroupVersions, builtinResources, gvPackage } from './resources.js';
import type { FieldDef, ResourceDef, SchemaCatalog, StructDef } from './types.js';

export interface GroupVersionInfo {
  group: string;
  version: string;
  /** Whether this is the group's preferred version (the first one discovery lists). */
  preferred: boolean;
}

export interface MutableCatalog extends SchemaCatalog {
  /** Bumped on every change; caches derived from the catalog key on it. */
  readonly generation: number;
  /** Adds or replaces a resource (same group/version/resource), with the structs it needs. */
  addResource(def: ResourceDef, structs?: StructDef[]): void;
  removeResource(group: string, version: string, resource: string): void;
  /** Whether a resource is one of the built-ins (not registered at run time, e.g. by a CRD). */
  isBuiltin(group: string, version: string, resource: string): boolean;
  /** Calls listener after every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Served group-versions in upstream's discovery order. */
  groupVersions(): GroupVersionInfo[];
  /** The resources of one group-version, in discovery order. */
  resourcesFor(group: string, version: string): ResourceDef[];
  /** The field at a JSON path below a struct, e.g. ('…apps/v1.Deployment', ['spec', 'strategy']). */
  fieldAt(structRef: string, jsonPath: string[]): FieldDef | undefined;
  /**
   * The struct of a kind as a client names it in apiVersion/kind, also for kinds that are not
   * resources (Eviction, Scale, TokenRequest, DeleteOptions, ...).
   */
  structForKind(group: string, version: string, kind: string): StructDef | undefined;
}

/** meta/v1 kinds registered into every group-version upstream (metav1.AddToGroupVersion). */
const OPTION_KINDS = new Set(['DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions', 'GetOptions', 'ListOptions', 'Status', 'WatchEvent']);

const gvrKey = (g: string, v: string, r: string) => `${g}/${v}/${r}`;

/** Kubernetes version ordering for CRD versions: GA > beta > alpha, higher numbers first, others last by name. */
function kubeVersionRank(v: string): [number, number, number, string] {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return [3, 0, 0, v];
  const level = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
  return [level, -Number(m[1]), -Number(m[3] ?? 0), v];
}
function compareKubeVersions(a: string, b: string): number {
  const ra = kubeVersionRank(a);
  const rb = kubeVersionRank(b);
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return (ra[i] as number) - (rb[i] as number);
  return ra[3] < rb[3] ? -1 : ra[3] > rb[3] ? 1 : 0;
}

class Catalog implements MutableCatalog {
  generation = 1;
  private readonly byGvr = new Map<string, ResourceDef>();
  private readonly byGvk = new Map<string, ResourceDef>();
  private readonly structs = new Map<string, StructDef>();
  /** Structs registered with a dynamic resource, removed with it. */
  private readonly ownedStructs = new Map<string, string[]>();
  private readonly builtinKeys = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private resourceList: ResourceDef[] | undefined;
  private gvList: GroupVersionInfo[] | undefined;
  private readonly byGv = new Map<string, ResourceDef[]>();

  constructor() {
    for (const s of builtinStructs()) {
      const def: StructDef & { structType?: string } = { name: s.name, fields: s.fields, byJson: new Map() };
      if (s.structType) def.structType = s.structType;
      this.structs.set(s.name, def);
    }
    for (const s of this.structs.values()) this.fillByJson(s);
    for (const r of builtinResources()) {
      this.index(r);
      this.builtinKeys.add(gvrKey(r.group, r.version, r.resource));
    }
  }

  private fillByJson(s: StructDef): void {
    const byJson = flattenByJson(s.fields, (ref) => this.structs.get(ref));
    s.byJson.clear();
    for (const [k, v] of byJson) s.byJson.set(k, v);
  }

  private index(r: ResourceDef): void {
    this.byGvr.set(gvrKey(r.group, r.version, r.resource), r);
    this.byGvk.set(gvrKey(r.group, r.version, r.kind), r);
  }

  private changed(): void {
    this.generation++;
    this.resourceList = undefined;
    this.gvList = undefined;
    this.byGv.clear();
    for (const l of [...this.listeners]) l();
  }

  resources(): ResourceDef[] {
    // Map iteration keeps insertion order: built-ins first, then dynamic ones as added.
    this.resourceList ??= [...this.byGvr.values()];
    return this.resourceList;
  }

  resource(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.byGvr.get(gvrKey(group, version, resource));
  }

  resourceForKind(group: string, version: string, kind: string): ResourceDef | undefined {
    return this.byGvk.get(gvrKey(group, version, kind));
  }

  struct(ref: string): StructDef | undefined {
    return this.structs.get(ref);
  }

  resourcesFor(group: string, version: string): ResourceDef[] {
    const key = `${group}/${version}`;
    let list = this.byGv.get(key);
    if (!list) {
      list = this.resources().filter((r) => r.group === group && r.version === version);
      this.byGv.set(key, list);
    }
    return list;
  }

  structForKind(group: string, version: string, kind: string): StructDef | undefined {
    const r = this.resourceForKind(group, version, kind);
    if (r) return this.structs.get(r.typeRef);
    if (OPTION_KINDS.has(kind)) return this.structs.get(`${META}.${kind}`);
    const pkg = gvPackage(group, version);
    if (pkg) return this.structs.get(`${pkg}.${kind}`);
    // A list kind of a dynamic resource, e.g. CronTabList.
    if (kind.endsWith('List')) {
      const item = this.resourceForKind(group, version, kind.slice(0, -4));
      if (item) return this.structs.get(`${item.typeRef}List`);
    }
    return undefined;
  }

  fieldAt(structRef: string, jsonPath: string[]): FieldDef | undefined {
    let struct = this.structs.get(structRef);
    let field: FieldDef | undefined;
    for (const name of jsonPath) {
      if (!struct) return undefined;
      field = struct.byJson.get(name);
      if (!field) return undefined;
      let t = field.type;
      while (t.kind === 'list' || t.kind === 'map') t = t.kind === 'list' ? t.elem : t.value;
      struct = t.kind === 'struct' ? this.structs.get(t.ref) : undefined;
    }
    return field;
  }

  groupVersions(): GroupVersionInfo[] {
    if (this.gvList) return this.gvList;
    const builtin = builtinGroupVersions().filter((gv) => this.resourcesFor(gv.group, gv.version).length > 0);
    const builtinGroups = new Set(builtin.map((gv) => gv.group));
    const seen = new Set(builtin.map((gv) => `${gv.group}/${gv.version}`));
    // Dynamic groups (CRDs): after the built-ins, by group name; versions in Kubernetes
    // version order, the first one preferred (apiextensions-apiserver's rule).
    const dynamic = new Map<string, Set<string>>();
    for (const r of this.resources()) {
      if (seen.has(`${r.group}/${r.version}`)) continue;
      let versions = dynamic.get(r.group);
      if (!versions) dynamic.set(r.group, (versions = new Set()));
      versions.add(r.version);
    }
    const out = [...builtin];
    for (const group of [...dynamic.keys()].sort()) {
      const versions = [...dynamic.get(group)!].sort(compareKubeVersions);
      // A built-in group keeps its built-in preferred version.
      versions.forEach((version, i) => out.push({ group, version, preferred: i === 0 && !builtinGroups.has(group) }));
    }
    this.gvList = out;
    return out;
  }

  addResource(def: ResourceDef, structs: StructDef[] = []): void {
    const key = gvrKey(def.group, def.version, def.resource);
    if (this.builtinKeys.has(key)) throw new Error(`cannot replace built-in resource ${key}`);
    const previous = this.byGvr.get(key);
    if (previous) this.unindex(key, previous);
    for (const s of structs) this.structs.set(s.name, s);
    for (const s of structs) this.fillByJson(s);
    this.ownedStructs.set(key, structs.map((s) => s.name));
    this.index(def);
    this.changed();
  }

  removeResource(group: string, version: string, resource: string): void {
    const key = gvrKey(group, version, resource);
    if (this.builtinKeys.has(key)) throw new Error(`cannot remove built-in resource ${key}`);
    const def = this.byGvr.get(key);
    if (!def) return;
    this.unindex(key, def);
    this.changed();
  }

  private unindex(key: string, def: ResourceDef): void {
    this.byGvr.delete(key);
    if (this.byGvk.get(gvrKey(def.group, def.version, def.kind)) === def) this.byGvk.delete(gvrKey(def.group, def.version, def.kind));
    for (const name of this.ownedStructs.get(key) ?? []) this.structs.delete(name);
    this.ownedStructs.delete(key);
  }

  isBuiltin(group: string, version: string, resource: string): boolean {
    return this.builtinKeys.has(gvrKey(group, version, resource));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** A fresh catalog of every built-in resource and struct. */
export function builtinCatalog(): MutableCatalog {
  return new Catalog();
}
