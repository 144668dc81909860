// The garbage collector (pkg/controller/garbagecollector): watches every resource that may have
// owners and
// - deletes objects all of whose owners are gone (background deletion);
// - for an owner deleted in the foreground (finalizer foregroundDeletion) deletes its dependents
//   and removes the finalizer once no dependent with blockOwnerDeletion remains;
// - for an owner deleted with orphan propagation (finalizer orphan) removes the owner reference
//   from its dependents, then the finalizer.
// Queue keys are uids. An owner missing from the graph is confirmed absent with a live GET
// (name and uid), as upstream's attemptToDeleteItem does.
import { isConflict, isNotFound } from '../../client/errors.js';
import { clone, deletionTimestamp, finalizers, name, namespace, ownerReferences, uid } from '../../client/objects.js';
import type { OwnerReference } from '../../client/objects.js';
import type { Obj, ResourceClient, ResourceInfo } from '../../client/types.js';
import type { WorkQueue } from '../../util/workqueue.js';
import { informerOf } from '../shared/informers.js';
import type { Gvr } from '../shared/resources.js';
import { resourceClient } from '../shared/resources.js';
import type { ControllerDeps, WorkloadController } from '../shared/types.js';
import { OwnerGraph } from './graph.js';
import type { GraphNode } from './graph.js';

const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';

/** The resources whose objects commonly have owners. */
export const GC_RESOURCES: Gvr[] = [
  { group: '', version: 'v1', resource: 'pods' },
  { group: '', version: 'v1', resource: 'persistentvolumeclaims' },
  { group: '', version: 'v1', resource: 'configmaps' },
  { group: '', version: 'v1', resource: 'secrets' },
  { group: '', version: 'v1', resource: 'services' },
  { group: '', version: 'v1', resource: 'serviceaccounts' },
  { group: '', version: 'v1', resource: 'replicationcontrollers' },
  { group: 'apps', version: 'v1', resource: 'replicasets' },
  { group: 'apps', version: 'v1', resource: 'deployments' },
  { group: 'apps', version: 'v1', resource: 'statefulsets' },
  { group: 'apps', version: 'v1', resource: 'daemonsets' },
  { group: 'apps', version: 'v1', resource: 'controllerrevisions' },
  { group: 'batch', version: 'v1', resource: 'jobs' },
  { group: 'batch', version: 'v1', resource: 'cronjobs' },
  { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
  { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' },
];

type OwnerState = 'solid' | 'dangling' | 'waiting';

export class GarbageCollector implements WorkloadController {
  readonly name = 'garbage-collector-controller';
  readonly workers = 5;
  private readonly graph = new OwnerGraph();
  private queue: WorkQueue<string> | undefined;
  private kinds: Promise<Map<string, ResourceInfo>> | undefined;

  constructor(private readonly deps: ControllerDeps) {}

  bind(queue: WorkQueue<string>): void {
    this.queue = queue;
    for (const gvr of GC_RESOURCES) this.monitor(gvr);
    // Like upstream's GC, also monitor every other listable, watchable, deletable resource the
    // server serves (custom resources included), so owners of any kind are seen going away.
    void this.deps.client
      .resources()
      .then((all) => {
        for (const r of all) {
          if (!['list', 'watch', 'delete'].every((v) => r.verbs.includes(v))) continue;
          if (r.resource === 'events') continue; // never owners in practice, and by far the most numerous
          this.monitor({ group: r.group, version: r.version, resource: r.resource });
        }
      })
      .catch((err) => console.error('garbage collector: discovery failed; monitoring the built-in workload resources only:', err));
  }

  private readonly monitored = new Set<string>();

  /** Feeds the graph from the resource's informer (once per group and resource). */
  private monitor(gvr: Gvr): void {
    const key = `${gvr.group}/${gvr.resource}`;
    if (this.monitored.has(key)) return;
    this.monitored.add(key);
    informerOf(this.deps.informers, gvr).addEventHandler({
      onAdd: (o) => this.changed(o, gvr),
      onUpdate: (_old, o) => this.changed(o, gvr),
      onDelete: (o) => this.removed(o),
    });
  }

  private changed(obj: Obj, gvr: Gvr): void {
    const oldOwners = this.graph.set(obj, gvr);
    const q = this.queue!;
    if (ownerReferences(obj).length || oldOwners.length) q.add(uid(obj));
    if (deletionTimestamp(obj)) {
      q.add(uid(obj));
      for (const d of this.graph.dependentsOf(uid(obj))) q.add(uid(d.obj));
    }
    // Owners waiting in foreground deletion re-check when a dependent changes.
    for (const o of [...oldOwners, ...ownerReferences(obj).map((r) => r.uid)]) if (this.isForegroundDeleting(o)) q.add(o);
  }

  private removed(obj: Obj): void {
    this.graph.remove(obj);
    const q = this.queue!;
    for (const d of this.graph.dependentsOf(uid(obj))) q.add(uid(d.obj));
    for (const r of ownerReferences(obj)) if (this.graph.get(r.uid)) q.add(r.uid);
  }

  private isForegroundDeleting(u: string): boolean {
    const n = this.graph.get(u);
    return n !== undefined && deletionTimestamp(n.obj) !== undefined && finalizers(n.obj).includes(FOREGROUND);
  }

  private client(gvr: Gvr): ResourceClient {
    return resourceClient(this.deps.client, gvr);
  }

  async reconcile(u: string): Promise<void> {
    const node = this.graph.get(u);
    if (!node) return;
    const obj = node.obj;
    if (deletionTimestamp(obj)) {
      const f = finalizers(obj);
      if (f.includes(ORPHAN)) return this.orphanDependents(node);
      if (f.includes(FOREGROUND)) return this.deleteDependentsFirst(node);
      return;
    }
    await this.attemptToDelete(node);
  }

  /** orphanDependents, then the orphan finalizer goes. */
  private async orphanDependents(owner: GraphNode): Promise<void> {
    const ownerUid = uid(owner.obj);
    for (const d of this.graph.dependentsOf(ownerUid)) {
      await this.updateObject(d, (o) => {
        const refs = ownerReferences(o).filter((r) => r.uid !== ownerUid);
        const m = o.metadata as Record<string, unknown>;
        if (refs.length) m.ownerReferences = refs;
        else delete m.ownerReferences;
      });
    }
    await this.removeFinalizer(owner, ORPHAN);
  }

  /** Foreground: delete dependents; drop the finalizer once no blocking dependent is left. */
  private async deleteDependentsFirst(owner: GraphNode): Promise<void> {
    const ownerUid = uid(owner.obj);
    const deps = this.graph.dependentsOf(ownerUid);
    const blocking = deps.filter((d) => ownerReferences(d.obj).some((r) => r.uid === ownerUid && r.blockOwnerDeletion === true));
    if (blocking.length === 0) {
      await this.removeFinalizer(owner, FOREGROUND);
      return;
    }
    for (const d of deps) this.queue?.add(uid(d.obj));
  }

  /** attemptToDeleteItem: delete an object none of whose owners still stands. */
  private async attemptToDelete(node: GraphNode): Promise<void> {
    const refs = ownerReferences(node.obj);
    if (!refs.length) return;
    const states = new Map<string, OwnerState>();
    for (const r of refs) states.set(r.uid, await this.ownerState(node, r));
    const solid = [...states.values()].filter((s) => s === 'solid').length;
    if (solid > 0) {
      const gone = refs.filter((r) => states.get(r.uid) !== 'solid');
      if (gone.length) {
        const goneUids = new Set(gone.map((r) => r.uid));
        await this.updateObject(node, (o) => {
          (o.metadata as Record<string, unknown>).ownerReferences = ownerReferences(o).filter((r) => !goneUids.has(r.uid));
        });
      }
      return;
    }
    const waiting = [...states.values()].includes('waiting');
    let policy: 'Foreground' | 'Background' | 'Orphan' = 'Background';
    const hasDependents = this.graph.dependentsOf(uid(node.obj)).length > 0;
    if (waiting && hasDependents) policy = 'Foreground';
    else if (finalizers(node.obj).includes(ORPHAN)) policy = 'Orphan';
    else if (finalizers(node.obj).includes(FOREGROUND)) policy = 'Foreground';
    try {
      await this.client(node.gvr).delete(namespace(node.obj) || undefined, name(node.obj), { propagationPolicy: policy, preconditions: { uid: uid(node.obj) } });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }

  private async ownerState(dep: GraphNode, ref: OwnerReference): Promise<OwnerState> {
    const known = this.graph.get(ref.uid);
    if (known) return this.isForegroundDeleting(ref.uid) ? 'waiting' : 'solid';
    // Not in the graph: ask the API server (the owner may be of an unwatched kind, or the cache lags).
    const info = await this.resourceFor(ref);
    if (!info) return 'solid'; // unknown kind: never delete on a guess
    const ns = info.namespaced ? namespace(dep.obj) : undefined;
    try {
      const owner = await this.deps.client.resource(info.group, info.version, info.resource).get(ns, ref.name);
      if (uid(owner) !== ref.uid) return 'dangling';
      return deletionTimestamp(owner) && finalizers(owner).includes(FOREGROUND) ? 'waiting' : 'solid';
    } catch (e) {
      if (isNotFound(e)) return 'dangling';
      throw e;
    }
  }

  private async resourceFor(ref: OwnerReference): Promise<ResourceInfo | undefined> {
    this.kinds ??= this.deps.client.resources().then((list) => {
      const m = new Map<string, ResourceInfo>();
      for (const r of list) {
        const gv = r.group ? `${r.group}/${r.version}` : r.version;
        if (!m.has(`${gv}/${r.kind}`)) m.set(`${gv}/${r.kind}`, r);
      }
      return m;
    });
    let kinds: Map<string, ResourceInfo>;
    try {
      kinds = await this.kinds;
    } catch (e) {
      this.kinds = undefined;
      throw e;
    }
    const found = kinds.get(`${ref.apiVersion}/${ref.kind}`);
    if (found) return found;
    // Another version of the same group and kind.
    const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
    return [...kinds.values()].find((r) => r.group === group && r.kind === ref.kind);
  }

  private async removeFinalizer(node: GraphNode, fin: string): Promise<void> {
    await this.updateObject(node, (o) => {
      const m = o.metadata as Record<string, unknown>;
      const rest = finalizers(o).filter((f) => f !== fin);
      if (rest.length) m.finalizers = rest;
      else delete m.finalizers;
    });
  }

  /** Read-modify-write on the latest state, retried on conflict. */
  private async updateObject(node: GraphNode, edit: (o: Obj) => void): Promise<void> {
    const c = this.client(node.gvr);
    const ns = namespace(node.obj) || undefined;
    let current = node.obj;
    for (let attempt = 0; attempt < 5; attempt++) {
      const next = clone(current);
      edit(next);
      try {
        await c.update(undefined, next);
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e)) throw e;
        try {
          current = await c.get(ns, name(node.obj));
        } catch (e2) {
          if (isNotFound(e2)) return;
          throw e2;
        }
        if (uid(current) !== uid(node.obj)) return;
      }
    }
    throw new Error(`garbage collector: too many conflicts updating ${node.gvr.resource} ${name(node.obj)}`);
  }
}
