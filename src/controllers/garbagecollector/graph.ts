// The garbage collector's dependency graph (pkg/controller/garbagecollector/graph.go): every
// watched object by uid, with its owner references, and the reverse edges owner -> dependents.
import { ownerReferences, uid } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';
import type { Gvr } from '../shared/resources.js';

export interface GraphNode {
  obj: Obj;
  gvr: Gvr;
}

export class OwnerGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependents = new Map<string, Set<string>>();

  get(u: string): GraphNode | undefined {
    return this.nodes.get(u);
  }

  /** Stores the object's latest state; returns the owner uids it had before. */
  set(obj: Obj, gvr: Gvr): string[] {
    const u = uid(obj);
    const before = this.nodes.get(u);
    const oldOwners = before ? ownerReferences(before.obj).map((r) => r.uid) : [];
    for (const o of oldOwners) this.dependents.get(o)?.delete(u);
    this.nodes.set(u, { obj, gvr });
    for (const r of ownerReferences(obj)) {
      let set = this.dependents.get(r.uid);
      if (!set) this.dependents.set(r.uid, (set = new Set()));
      set.add(u);
    }
    return oldOwners;
  }

  remove(obj: Obj): void {
    const u = uid(obj);
    const node = this.nodes.get(u);
    if (!node) return;
    for (const r of ownerReferences(node.obj)) {
      const set = this.dependents.get(r.uid);
      set?.delete(u);
      if (set && set.size === 0) this.dependents.delete(r.uid);
    }
    this.nodes.delete(u);
  }

  /** Dependents of `ownerUid` present in the graph. */
  dependentsOf(ownerUid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const d of this.dependents.get(ownerUid) ?? []) {
      const n = this.nodes.get(d);
      if (n) out.push(n);
    }
    return out;
  }
}
