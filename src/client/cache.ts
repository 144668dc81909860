// An informer's local cache (client-go tools/cache threadSafeMap + indexers): objects by
// "namespace/name" key, with named indexes kept up to date on every change, and the Lister view
// controllers read from. Objects are shared with every reader: never mutate them.
import { parseLabelSelector } from '../apiserver/fieldselectors/labels.js';
import { matchesLabels } from '../util/label-selector.js';
import type { LabelSelector } from '../util/label-selector.js';
import { keyOf, labels, namespace } from './objects.js';
import type { Obj } from './types.js';

/** The values an object is indexed under (client-go IndexFunc), e.g. pods by spec.nodeName. */
export type IndexFunc = (obj: Obj) => string[];
export type Indexers = Record<string, IndexFunc>;

/** The built-in index every cache has: objects by metadata.namespace (cache.NamespaceIndex). */
export const NAMESPACE_INDEX = 'namespace';

export const namespaceIndexFunc: IndexFunc = (obj) => [namespace(obj)];

/** Read access to an informer's cache. */
export interface Lister {
  /** ns is ignored ('' or undefined) for cluster-scoped objects. */
  get(ns: string | undefined, name: string): Obj | undefined;
  getByKey(key: string): Obj | undefined;
  /** Every object, or those in `ns`, optionally matching a label selector (parsed or as text). */
  list(ns?: string, selector?: LabelSelector | string): Obj[];
  /** Objects whose index function `indexName` yielded `value`. Throws for an unknown index. */
  byIndex(indexName: string, value: string): Obj[];
  /** The values index `indexName` currently holds. */
  indexValues(indexName: string): string[];
  keys(): string[];
  size(): number;
}

export class IndexedCache implements Lister {
  private readonly items = new Map<string, Obj>();
  /** Index name -> value -> keys, with the function that computes the values. */
  private readonly indices = new Map<string, { fn: IndexFunc; values: Map<string, Set<string>> }>([[NAMESPACE_INDEX, { fn: namespaceIndexFunc, values: new Map() }]]);

  constructor(indexers: Indexers = {}) {
    this.addIndexers(indexers);
  }

  /** Adds indexes (built from the current content). A name already taken by another function throws. */
  addIndexers(indexers: Indexers): void {
    for (const [name, fn] of Object.entries(indexers)) {
      const existing = this.indices.get(name);
      if (existing?.fn === fn) continue;
      if (existing) throw new Error(`indexer conflict: ${name}`);
      const values = new Map<string, Set<string>>();
      this.indices.set(name, { fn, values });
      for (const [key, obj] of this.items) addTo(values, fn(obj), key);
    }
  }

  hasIndex(name: string): boolean {
    return this.indices.has(name);
  }

  /** Stores `obj` under its key; returns what was there before. */
  set(obj: Obj, key = keyOf(obj)): Obj | undefined {
    const old = this.items.get(key);
    this.items.set(key, obj);
    this.reindex(key, old, obj);
    return old;
  }

  /** Removes the object with `key`; returns it. */
  remove(key: string): Obj | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.items.delete(key);
    this.reindex(key, old, undefined);
    return old;
  }

  private reindex(key: string, old: Obj | undefined, next: Obj | undefined): void {
    for (const { fn, values } of this.indices.values()) {
      const before = old ? fn(old) : [];
      const after = next ? fn(next) : [];
      if (before.length === after.length && before.every((v, i) => v === after[i])) continue;
      removeFrom(values, before, key);
      addTo(values, after, key);
    }
  }

  get(ns: string | undefined, name: string): Obj | undefined {
    return this.items.get(ns ? `${ns}/${name}` : name);
  }

  getByKey(key: string): Obj | undefined {
    return this.items.get(key);
  }

  list(ns?: string, selector?: LabelSelector | string): Obj[] {
    const sel = typeof selector === 'string' ? parseLabelSelector(selector) : selector;
    const source = ns ? this.byIndex(NAMESPACE_INDEX, ns) : [...this.items.values()];
    return sel ? source.filter((o) => matchesLabels(sel, labels(o))) : source;
  }

  byIndex(indexName: string, value: string): Obj[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`index with name ${indexName} does not exist`);
    const keys = index.values.get(value);
    if (!keys) return [];
    const out: Obj[] = [];
    for (const k of keys) out.push(this.items.get(k)!);
    return out;
  }

  indexValues(indexName: string): string[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`index with name ${indexName} does not exist`);
    return [...index.values.keys()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  size(): number {
    return this.items.size;
  }

  entries(): IterableIterator<[string, Obj]> {
    return this.items.entries();
  }
}

function addTo(index: Map<string, Set<string>>, values: string[], key: string): void {
  for (const v of values) {
    let set = index.get(v);
    if (!set) index.set(v, (set = new Set()));
    set.add(key);
  }
}

function removeFrom(index: Map<string, Set<string>>, values: string[], key: string): void {
  for (const v of values) {
    const set = index.get(v);
    if (!set) continue;
    set.delete(key);
    if (set.size === 0) index.delete(v);
  }
}
