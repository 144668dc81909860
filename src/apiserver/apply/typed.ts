// Operations on a JSON value guided by its schema, as structured-merge-diff's typed package
// does them: the set of fields a value sets (ToFieldSet), the difference between two values
// (Compare), the merge of an applied configuration into a live object (Merge), and removal
// of fields (RemoveItems). List items are addressed by their keys (listType map), their value
// (listType set); atomic lists, maps and structs are single leaves.
import { deepClone, hasOwn, isJsonObject, jsonEqual, type JsonObject, setOwn } from '../patch/json-value.js';
import { ANY_NODE, type SchemaNode } from '../patch/schema-node.js';
import { FieldSet } from './field-set.js';
import { fieldPE, keyPE, type Path, type PathElement, pathString, serializePE } from './path.js';

/** A value that does not fit its schema (structured-merge-diff ValidationError text). */
export class TypedValueError extends Error {
  constructor(path: Path, message: string) {
    super(path.length ? `${pathString(path)}: ${message}` : message);
    this.name = 'TypedValueError';
  }
}

/**
 * Where a walk is: the path element below the parent, and lazily the nodes of the sets being
 * filled at this path (materialized only when something is inserted below it).
 */
class Ctx {
  private readonly nodes: (FieldSet | undefined)[];
  constructor(
    readonly parent: Ctx | undefined,
    readonly pe: PathElement | undefined,
    roots?: FieldSet[],
  ) {
    this.nodes = roots ? [...roots] : [];
  }
  child(pe: PathElement): Ctx {
    return new Ctx(this, pe);
  }
  /** The node of set i at this path. */
  set(i: number): FieldSet {
    let n = this.nodes[i];
    if (!n) {
      n = this.parent!.set(i).descend(this.pe!);
      this.nodes[i] = n;
    }
    return n;
  }
  /** Adds this path as a member of set i (a no-op at the root). */
  insert(i: number): void {
    if (this.parent && this.pe) this.parent.set(i).addMember(this.pe);
  }
  path(): Path {
    const above = this.parent ? this.parent.path() : [];
    return this.pe ? [...above, this.pe] : above;
  }
}

const rootCtx = (...sets: FieldSet[]) => new Ctx(undefined, undefined, sets);

type Kind = 'struct' | 'map' | 'list' | 'scalar';

/** The shape a value takes under its schema; `any` is deduced from the value itself. */
function kindOf(node: SchemaNode, v: unknown): Kind {
  if (node.kind !== 'any') return node.kind;
  if (isJsonObject(v)) return 'map';
  if (Array.isArray(v)) return 'list';
  return 'scalar';
}

function isAtomicList(node: SchemaNode): boolean {
  return node.kind === 'any' || node.listType === 'atomic';
}

/** The path element of list item `i` (keys, or value for sets); throws TypedValueError. */
/** List-map item keys already computed, checked against the item's current key values. */
const keyCache = new WeakMap<object, { values: unknown[]; pe: PathElement }>();

export function listItemPE(node: SchemaNode, item: unknown, i: number, at: Path | Ctx): PathElement {
  const path = () => (at instanceof Ctx ? at.path() : at);
  if (node.listType === 'map' && isJsonObject(item)) {
    const hit = keyCache.get(item);
    if (hit && hit.values.length === node.listMapKeys.length && node.listMapKeys.every((k, j) => item[k] === hit.values[j])) return hit.pe;
  }
  if (node.listType === 'map') {
    const fail = (m: string) => new TypedValueError(path(), `element ${i}: ${m}`);
    if (item === null) throw fail('associative list with keys may not have a null element');
    if (!isJsonObject(item)) throw fail('associative list with keys may not have non-map elements');
    const elem = node.elem();
    const fields: [string, unknown][] = [];
    for (const k of node.listMapKeys) {
      let v = item[k];
      if (v === undefined) v = elem.fieldDefault(k);
      if (v === undefined) throw fail(`associative list with keys has an element that omits key field "${k}" (and doesn't have default value)`);
      fields.push([k, v]);
    }
    const pe = keyPE(fields);
    keyCache.set(item, { values: node.listMapKeys.map((k) => item[k]), pe });
    return pe;
  }
  if (node.listType === 'set') {
    const fail = (m: string) => new TypedValueError(path(), `element ${i}: ${m}`);
    if (isJsonObject(item)) throw fail("associative list without keys has an element that's a map type");
    if (Array.isArray(item)) throw fail('not supported: associative list with lists as elements');
    if (item === null) throw fail("associative list without keys has an element that's an explicit null");
    return { t: 'v', value: item };
  }
  return { t: 'i', index: i };
}

/** Items of an associative list by path element, first occurrence wins; duplicates are reported. */
function indexItems(node: SchemaNode, list: unknown[], at: Ctx, strict: boolean): { order: string[]; items: Map<string, { pe: PathElement; v: unknown }> } {
  const order: string[] = [];
  const items = new Map<string, { pe: PathElement; v: unknown }>();
  list.forEach((v, i) => {
    let pe: PathElement;
    try {
      pe = listItemPE(node, v, i, at);
    } catch (e) {
      if (strict) throw e;
      return;
    }
    const k = serializePE(pe);
    if (items.has(k)) {
      if (strict) throw new TypedValueError(at.path(), `duplicate entries for key ${pathString([pe])}`);
      return;
    }
    items.set(k, { pe, v });
    order.push(k);
  });
  return { order, items };
}

/**
 * The set of fields a value sets (typed.ToFieldSet). With `strict`, items without keys and
 * duplicate items are errors, as they are for an applied configuration.
 */
export function toFieldSet(value: unknown, schema: SchemaNode, strict = false): FieldSet {
  const set = new FieldSet();
  walkSet(value, schema, rootCtx(set), strict);
  return set;
}

function walkSet(v: unknown, node: SchemaNode, at: Ctx, strict: boolean): void {
  if (v === undefined) return;
  const kind = kindOf(node, v);
  if (kind === 'scalar') {
    at.insert(0);
    return;
  }
  if (kind === 'list') {
    if (isAtomicList(node)) {
      at.insert(0);
      return;
    }
    if (!Array.isArray(v)) {
      if (v !== null) at.insert(0);
      return;
    }
    const { order, items } = indexItems(node, v, at, strict);
    const elem = node.elem();
    for (const k of order) {
      const { pe, v: item } = items.get(k)!;
      const c = at.child(pe);
      walkSet(item, elem, c, strict);
      c.insert(0);
    }
    return;
  }
  if (node.atomic) {
    at.insert(0);
    return;
  }
  if (!isJsonObject(v)) {
    if (v !== null) at.insert(0);
    return;
  }
  for (const k of Object.keys(v)) {
    const declared = kind === 'struct' ? node.field(k) : undefined;
    const c = at.child(fieldPE(k));
    if (strict && kind === 'struct' && !declared && !node.openFields) throw new TypedValueError(c.path(), 'field not declared in schema');
    walkSet(v[k], declared ?? (kind === 'map' ? (node.field(k) ?? ANY_NODE) : ANY_NODE), c, strict);
    // Map entries (and fields a struct does not declare) are members themselves.
    if (!declared) c.insert(0);
  }
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** typed.Compare: the fields added, modified and removed going from lhs to rhs. */
export function compareValues(lhs: unknown, rhs: unknown, schema: SchemaNode): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walkCompare(lhs, rhs, schema, rootCtx(c.added, c.modified, c.removed));
  return c;
}

const ADDED = 0;
const MODIFIED = 1;
const REMOVED = 2;

const isEmptyList = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);
const isEmptyMap = (v: unknown) => v === null || v === undefined || (isJsonObject(v) && Object.keys(v).length === 0);

function walkCompare(l: unknown, r: unknown, node: SchemaNode, at: Ctx): void {
  if (l === undefined && r === undefined) return;
  const leaf = () => {
    if (l === undefined) at.insert(ADDED);
    else if (r === undefined) at.insert(REMOVED);
    else if (!jsonEqual(l, r)) at.insert(MODIFIED);
  };
  // After a container's children: a container on one side only is itself added or removed.
  const hook = () => {
    if (l === undefined) at.insert(ADDED);
    else if (r === undefined) at.insert(REMOVED);
  };
  const kind = kindOf(node, r !== undefined ? r : l);
  if (node.kind === 'any' && l !== undefined && r !== undefined && kindOf(node, l) !== kind) return leaf();
  if (kind === 'scalar') return leaf();
  if (kind === 'list') {
    const lOk = l === undefined || l === null || Array.isArray(l);
    const rOk = r === undefined || r === null || Array.isArray(r);
    if (!lOk || !rOk || isAtomicList(node) || (isEmptyList(l) && isEmptyList(r))) return leaf();
    const li = indexItems(node, Array.isArray(l) ? l : [], at, false);
    const ri = indexItems(node, Array.isArray(r) ? r : [], at, false);
    const elem = node.elem();
    for (const k of li.order) {
      const a = li.items.get(k)!;
      walkCompare(a.v, ri.items.get(k)?.v, elem, at.child(a.pe));
    }
    for (const k of ri.order) {
      if (li.items.has(k)) continue;
      const b = ri.items.get(k)!;
      walkCompare(undefined, b.v, elem, at.child(b.pe));
    }
    return hook();
  }
  const lOk = l === undefined || l === null || isJsonObject(l);
  const rOk = r === undefined || r === null || isJsonObject(r);
  if (!lOk || !rOk || node.atomic || (isEmptyMap(l) && isEmptyMap(r))) return leaf();
  const lo = isJsonObject(l) ? l : {};
  const ro = isJsonObject(r) ? r : {};
  for (const k of Object.keys(lo)) walkCompare(lo[k], hasOwn(ro, k) ? ro[k] : undefined, childNode(node, kind, k), at.child(fieldPE(k)));
  for (const k of Object.keys(ro)) if (!hasOwn(lo, k)) walkCompare(undefined, ro[k], childNode(node, kind, k), at.child(fieldPE(k)));
  return hook();
}

function childNode(node: SchemaNode, kind: Kind, k: string): SchemaNode {
  return (kind === 'struct' || kind === 'map' ? node.field(k) : undefined) ?? ANY_NODE;
}

/** typed.Merge with apply's rule: the configuration (rhs) wins at every leaf it sets. */
export function mergeValues(lhs: unknown, rhs: unknown, schema: SchemaNode): unknown {
  return walkMerge(lhs, rhs, schema, rootCtx());
}

function walkMerge(l: unknown, r: unknown, node: SchemaNode, at: Ctx): unknown {
  if (r === undefined) return l;
  if (l === undefined) return deepClone(r);
  const kind = kindOf(node, r);
  if (node.kind === 'any' && kindOf(node, l) !== kind) return deepClone(r);
  if (kind === 'scalar') return deepClone(r);
  if (kind === 'list') {
    const lOk = l === null || Array.isArray(l);
    if (!lOk || !Array.isArray(r) || isAtomicList(node) || (isEmptyList(l) && isEmptyList(r))) return deepClone(r);
    const out = mergeLists(Array.isArray(l) ? l : [], r, node, at);
    return out.length > 0 ? out : undefined;
  }
  if (!(l === null || isJsonObject(l)) || !isJsonObject(r) || node.atomic || (isEmptyMap(l) && isEmptyMap(r))) return deepClone(r);
  const lo: JsonObject = isJsonObject(l) ? l : {};
  const out: JsonObject = {};
  for (const k of Object.keys(lo)) {
    const v = hasOwn(r, k) ? walkMerge(lo[k], r[k], childNode(node, kind, k), at.child(fieldPE(k))) : lo[k];
    if (v !== undefined) setOwn(out, k, v);
  }
  for (const k of Object.keys(r)) if (!hasOwn(lo, k)) setOwn(out, k, deepClone(r[k]));
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Merges associative lists the way the merging walker orders them: live items keep their place
 * unless the configuration orders shared items differently; new items come where the
 * configuration puts them.
 */
function mergeLists(l: unknown[], r: unknown[], node: SchemaNode, at: Ctx): unknown[] {
  const ri = indexItems(node, r, at, true);
  const li = indexItems(node, l, at, false);
  const shared = ri.order.filter((k) => li.items.has(k));
  let nextShared: string | undefined = shared.shift();
  const out: unknown[] = [];
  const mergeItem = (k: string) => {
    const a = li.items.get(k);
    const b = ri.items.get(k);
    const pe = (a ?? b)!.pe;
    const v = walkMerge(a?.v, b?.v, node.elem(), at.child(pe));
    if (v !== undefined) out.push(v);
  };
  let lI = 0;
  let rI = 0;
  while (lI < li.order.length || rI < ri.order.length) {
    if (lI < li.order.length && rI < ri.order.length) {
      const k = li.order[lI] as string;
      if (k === ri.order[rI]) {
        mergeItem(k);
        lI++;
        rI++;
        nextShared = shared.shift();
        continue;
      }
      if (ri.items.has(k) && nextShared !== undefined && nextShared !== k) {
        lI++;
        continue;
      }
    }
    if (lI < li.order.length) {
      const k = li.order[lI] as string;
      if (!ri.items.has(k)) {
        mergeItem(k);
        lI++;
        continue;
      }
    }
    if (rI < ri.order.length) {
      const k = ri.order[rI] as string;
      mergeItem(k);
      rI++;
      if (nextShared === k) nextShared = shared.shift();
    }
  }
  return out;
}

/** typed.RemoveItems: drops every field and item whose path is a member of the set. */
export function removeItems(value: unknown, toRemove: FieldSet, schema: SchemaNode): unknown {
  return walkRemove(value, toRemove, schema, []);
}

function walkRemove(v: unknown, toRemove: FieldSet, node: SchemaNode, path: Path): unknown {
  if (toRemove.empty() || v === undefined || v === null) return v;
  const kind = kindOf(node, v);
  if (kind === 'list') {
    if (!Array.isArray(v) || isAtomicList(node)) return v;
    const out: unknown[] = [];
    v.forEach((item, i) => {
      let pe: PathElement;
      try {
        pe = listItemPE(node, item, i, path);
      } catch {
        out.push(item);
        return;
      }
      if (toRemove.has([pe])) return;
      const sub = toRemove.withPrefix(pe);
      out.push(sub.empty() ? item : walkRemove(item, sub, node.elem(), [...path, pe]));
    });
    return out;
  }
  if ((kind === 'struct' || kind === 'map') && isJsonObject(v)) {
    const out: JsonObject = {};
    for (const [k, child] of Object.entries(v)) {
      const pe = fieldPE(k);
      if (toRemove.has([pe])) continue;
      const sub = toRemove.withPrefix(pe);
      setOwn(out, k, sub.empty() ? child : walkRemove(child, sub, childNode(node, kind, k), [...path, pe]));
    }
    return out;
  }
  return v;
}

/**
 * The set plus every declared struct field that has members below it (fieldpath.Set
 * EnsureNamedFieldsAreMembers): "a.b.c" also owns "a" when a is a struct field, not when it is
 * a map entry.
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, schema: SchemaNode): FieldSet {
  const out = new FieldSet();
  for (const [k, pe] of set.members) out.members.set(k, pe);
  for (const [k, c] of set.children) {
    let child: SchemaNode = ANY_NODE;
    if (c.pe.t === 'f') {
      const declared = schema.kind === 'struct' ? schema.field(c.pe.name) : undefined;
      if (declared) out.members.set(k, c.pe);
      child = declared ?? (schema.kind === 'map' || schema.kind === 'any' ? (schema.field(c.pe.name) ?? ANY_NODE) : ANY_NODE);
    } else if (c.pe.t === 'k') child = schema.kind === 'list' ? schema.elem() : ANY_NODE;
    out.children.set(k, { pe: c.pe, set: ensureNamedFieldsAreMembers(c.set, child) });
  }
  return out;
}
