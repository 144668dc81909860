// A set of field paths, shaped like structured-merge-diff's fieldpath.Set: members at this level
// plus child sets below path elements. Its JSON form is FieldsV1 (`{"f:metadata":{"f:labels":
// {".":{},"f:app":{}}}}`), with "." marking a path that is itself a member.
import { comparePE, deserializePE, FieldsV1Error, type Path, type PathElement, serializePE } from './path.js';

export class FieldSet {
  /** Members at this level, by serialized path element. */
  readonly members = new Map<string, PathElement>();
  /** Child sets, by serialized path element. */
  readonly children = new Map<string, { pe: PathElement; set: FieldSet }>();

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  insert(path: Path): void {
    if (path.length === 0) return;
    const last = path[path.length - 1] as PathElement;
    const parent = path.slice(0, -1).reduce<FieldSet>((cur, pe) => cur.descend(pe), this);
    parent.members.set(serializePE(last), last);
  }

  addMember(pe: PathElement): void {
    this.members.set(serializePE(pe), pe);
  }

  /** The child set below pe, created when missing. */
  descend(pe: PathElement): FieldSet {
    const k = serializePE(pe);
    let c = this.children.get(k);
    if (!c) {
      c = { pe, set: new FieldSet() };
      this.children.set(k, c);
    }
    return c.set;
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    const parent = path.slice(0, -1).reduce<FieldSet | undefined>((cur, pe) => cur?.children.get(serializePE(pe))?.set, this);
    return !!parent && parent.members.has(serializePE(path[path.length - 1] as PathElement));
  }

  /** The child set below pe (empty when missing). */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(serializePE(pe))?.set ?? EMPTY;
  }

  empty(): boolean {
    if (this.members.size > 0) return false;
    for (const c of this.children.values()) if (!c.set.empty()) return false;
    return true;
  }

  union(other: FieldSet): FieldSet {
    const out = this.clone();
    out.addAll(other);
    return out;
  }

  private addAll(other: FieldSet): void {
    for (const [k, pe] of other.members) this.members.set(k, pe);
    for (const [k, c] of other.children) {
      const mine = this.children.get(k);
      if (mine) mine.set.addAll(c.set);
      else this.children.set(k, { pe: c.pe, set: c.set.clone() });
    }
  }

  // Results of the set operations share unchanged subtrees with their operands: sets are only
  // mutated while they are built (insert, addMember, descend), never once they are combined.
  difference(other: FieldSet): FieldSet {
    if (other.members.size === 0 && other.children.size === 0) return this;
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const theirs = other.children.get(k);
      const rest = theirs ? c.set.difference(theirs.set) : c.set;
      if (!rest.empty()) out.children.set(k, { pe: c.pe, set: rest });
    }
    return out;
  }

  /** Removes other's members together with everything below them. */
  recursiveDifference(other: FieldSet): FieldSet {
    if (other.members.size === 0 && other.children.size === 0) return this;
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      if (other.members.has(k)) continue;
      const theirs = other.children.get(k);
      const rest = theirs ? c.set.recursiveDifference(theirs.set) : c.set;
      if (!rest.empty()) out.children.set(k, { pe: c.pe, set: rest });
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const theirs = other.children.get(k);
      if (!theirs) continue;
      const both = c.set.intersection(theirs.set);
      if (!both.empty()) out.children.set(k, { pe: c.pe, set: both });
    }
    return out;
  }

  clone(): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) out.members.set(k, pe);
    for (const [k, c] of this.children) out.children.set(k, { pe: c.pe, set: c.set.clone() });
    return out;
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).empty() && other.difference(this).empty();
  }

  /** Every member path, in upstream's Iterate order: members (sorted) before children (sorted). */
  paths(prefix: Path = []): Path[] {
    const out: Path[] = [];
    for (const pe of sortedPEs([...this.members.values()])) out.push([...prefix, pe]);
    for (const c of sortedChildren(this)) out.push(...c.set.paths([...prefix, c.pe]));
    return out;
  }

  /** The FieldsV1 JSON object of this set. */
  toFieldsV1(): Record<string, unknown> {
    return emit(this, false);
  }

  /** Reads a FieldsV1 object; throws FieldsV1Error for malformed keys. */
  static fromFieldsV1(json: unknown): FieldSet {
    const out = new FieldSet();
    if (json === null || json === undefined) return out;
    if (typeof json !== 'object' || Array.isArray(json)) throw new FieldsV1Error('FieldsV1 must be a JSON object');
    read(out, json as Record<string, unknown>);
    return out;
  }
}

const EMPTY = new FieldSet();

function sortedPEs(pes: PathElement[]): PathElement[] {
  return pes.sort(comparePE);
}

function sortedChildren(s: FieldSet): { pe: PathElement; set: FieldSet }[] {
  return [...s.children.values()].filter((c) => !c.set.empty()).sort((a, b) => comparePE(a.pe, b.pe));
}

/** Set.emitContentsV1: "." first for a path that is also a member, then elements in order. */
function emit(s: FieldSet, includeSelf: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const children = sortedChildren(s);
  if (includeSelf && (s.members.size > 0 || children.length > 0)) out['.'] = {};
  const items: { pe: PathElement; child?: FieldSet; member: boolean }[] = [];
  const childByKey = new Map(children.map((c) => [serializePE(c.pe), c]));
  for (const [k, pe] of s.members) items.push({ pe, member: true, child: childByKey.get(k)?.set });
  for (const [k, c] of childByKey) if (!s.members.has(k)) items.push({ pe: c.pe, member: false, child: c.set });
  items.sort((a, b) => comparePE(a.pe, b.pe));
  for (const it of items) out[serializePE(it.pe)] = it.child ? emit(it.child, it.member) : {};
  return out;
}

function read(into: FieldSet, json: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(json)) {
    if (k === '.') continue;
    const pe = deserializePE(k);
    if (!pe) continue;
    const sub = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    const keys = Object.keys(sub);
    // A key with no content, or with ".", is a member; other keys are its children.
    if (keys.length === 0 || '.' in sub) into.members.set(serializePE(pe), pe);
    if (keys.some((x) => x !== '.')) read(into.descend(pe), sub);
  }
}
