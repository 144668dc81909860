// The DaemonSet controller (pkg/controller/daemon): one pod on every node the template accepts
// (nodeSelector, required node affinity, taints against the template's tolerations plus the
// automatic DaemonSet ones), pinned by node affinity on metadata.name for the scheduler; rolling
// updates with maxUnavailable or maxSurge over ControllerRevisions; OnDelete; status counts.
import { isNotFound } from '../../client/errors.js';
import { clone, controllerOf, creationTimestamp, deletionTimestamp, generation, keyOf, labels, name, namespace, splitKey, uid } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';
import { labelSelectorFromObject, matchesLabels } from '../../util/label-selector.js';
import type { WorkQueue } from '../../util/workqueue.js';
import { CONTROLLER_REVISION_HASH, currentRevisionCountingCollisions, truncateHistory } from '../shared/controller-revision.js';
import { Expectations, ownedPodHandlers } from '../shared/expectations.js';
import { BY_CONTROLLER_UID, informerOf, ownedResource } from '../shared/informers.js';
import { scaledValue } from '../shared/int-or-percent.js';
import { claim, controllerKey, controllerRef, podFromTemplate } from '../shared/owner-refs.js';
import { isPodAvailable, isPodReady, nodeName, phase, requeueWhenAvailable } from '../shared/pods.js';
import { CONTROLLERREVISIONS, DAEMONSETS, NODES, PODS } from '../shared/resources.js';
import { podMatchesNode, untoleratedTaints } from '../shared/scheduling.js';
import { omitZero, sameJson } from '../shared/status-util.js';
import { typed } from '../shared/events.js';
import type { WorkloadControllerDeps } from '../shared/types.js';
import { WorkloadControllerBase } from '../shared/workload-controller.js';
import { daemonPodSpec, daemonTolerations } from './pod-template.js';
import { deletePodsExpected } from '../shared/delete-pods.js';

/** The deprecated label upstream still sets on DaemonSet pods. */
const TEMPLATE_GENERATION = 'pod-template-generation';

interface NodeDecision {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

function byAge(a: Obj, b: Obj): number {
  return (Date.parse(creationTimestamp(a) ?? '') || 0) - (Date.parse(creationTimestamp(b) ?? '') || 0) || (name(a) < name(b) ? -1 : 1);
}

export class DaemonSetController extends WorkloadControllerBase {
  readonly workers = 2;
  private readonly daemonSets = ownedResource(this.deps, DAEMONSETS);
  private readonly pods = ownedResource(this.deps, PODS);
  private readonly nodeInformer = informerOf(this.deps.informers, NODES);
  private readonly revisions = ownedResource(this.deps, CONTROLLERREVISIONS);
  private readonly expectations = new Expectations(this.deps.clock);

  constructor(deps: WorkloadControllerDeps) {
    super(deps, 'daemonset-controller');
  }

  protected watch(queue: WorkQueue<string>): void {
    this.daemonSets.informer.addEventHandler({ onAdd: (d) => queue.add(keyOf(d)), onUpdate: (_o, d) => queue.add(keyOf(d)), onDelete: (d) => (this.expectations.delete(keyOf(d)), queue.add(keyOf(d))) });
    this.pods.informer.addEventHandler(
      ownedPodHandlers(
        this.expectations,
        queue,
        (p) => controllerKey(p, 'DaemonSet'),
        (o, p, k) => requeueWhenAvailable(queue, k, this.daemonSets.informer.lister.getByKey(k), o, p),
      ),
    );
    const all = () => {
      for (const ds of this.daemonSets.informer.lister.list()) queue.add(keyOf(ds));
    };
    this.nodeInformer.addEventHandler({ onAdd: all, onUpdate: (o, n) => (sameJson(o.spec, n.spec) && sameJson(labels(o), labels(n)) ? undefined : all()), onDelete: all });
  }

  /** nodeShouldRunDaemonPod. */
  private decide(ds: Obj, node: Obj): NodeDecision {
    const template = ((ds.spec as Record<string, unknown>).template ?? {}) as Obj;
    const podSpec = (template.spec ?? {}) as Record<string, unknown>;
    if (!podMatchesNode(podSpec, node)) return { shouldRun: false, shouldContinueRunning: false };
    const tolerations = daemonTolerations(podSpec);
    if (untoleratedTaints(node, tolerations, ['NoExecute']).length) return { shouldRun: false, shouldContinueRunning: false };
    if (untoleratedTaints(node, tolerations, ['NoSchedule']).length) return { shouldRun: false, shouldContinueRunning: true };
    return { shouldRun: true, shouldContinueRunning: true };
  }

  async reconcile(key: string): Promise<void> {
    const cached = this.daemonSets.informer.lister.getByKey(key);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    if (deletionTimestamp(cached)) return;
    const ds = clone(cached);
    const spec = (ds.spec ?? {}) as Record<string, unknown>;
    const { namespace: ns } = splitKey(key);
    let selector;
    try {
      selector = labelSelectorFromObject(spec.selector);
    } catch {
      return;
    }
    const revisions = this.revisions.informer.lister.byIndex(BY_CONTROLLER_UID, uid(ds));
    const cur = await currentRevisionCountingCollisions(this.revisions.client, this.daemonSets.client, ds, 'DaemonSet', revisions);
    const hash = cur.hash;
    const pods = await claim(
      { owner: ds, apiVersion: 'apps/v1', kind: 'DaemonSet', selector, client: this.pods.client, fresh: async () => this.daemonSets.client.get(ns, name(ds)).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e))) },
      this.pods.informer.lister.list(ns).filter((p) => matchesLabels(selector, labels(p)) || controllerOf(p)?.uid === uid(ds)),
    );
    const byNode = new Map<string, Obj[]>();
    for (const p of pods) {
      const n = nodeName(p) || pinned(p);
      if (n) byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    const nodes = this.nodeInformer.lister.list();
    const minReady = Number(spec.minReadySeconds ?? 0);
    const now = this.deps.clock.now();
    const isNew = (p: Obj) => labels(p)[CONTROLLER_REVISION_HASH] === hash;

    if (this.expectations.satisfied(key)) {
      const create: string[] = [];
      const remove: Obj[] = [];
      for (const node of nodes) {
        const d = this.decide(ds, node);
        const here = (byNode.get(name(node)) ?? []).filter((p) => !deletionTimestamp(p));
        if (d.shouldRun && here.length === 0) create.push(name(node));
        else if (!d.shouldContinueRunning) remove.push(...here);
        else if (here.length) {
          // Failed pods are replaced; duplicates beyond one (two with a surge in flight) go, oldest kept.
          const failed = here.filter((p) => phase(p) === 'Failed');
          remove.push(...failed);
          const alive = here.filter((p) => phase(p) !== 'Failed').sort(byAge);
          if (alive.length > 1) {
            const fresh = alive.filter(isNew);
            const old = alive.filter((p) => !isNew(p));
            if (fresh.length && old.length && fresh.some((p) => isPodAvailable(p, minReady, now))) remove.push(...old);
            else if (fresh.length > 1) remove.push(...fresh.slice(1));
            else if (old.length > 1 && !fresh.length) remove.push(...old.slice(1));
          }
        }
      }
      const nodeNames = new Set(nodes.map(name));
      for (const [n, ps] of byNode) if (!nodeNames.has(n)) remove.push(...ps.filter((p) => !deletionTimestamp(p)));
      remove.push(...this.rollingUpdate(ds, nodes, byNode, hash, minReady, now, create, remove));
      await this.apply(key, ds, hash, create, remove);
    }
    await this.updateStatus(ds, nodes, byNode, hash, minReady, now);
    const inUse = new Set(pods.map((p) => labels(p)[CONTROLLER_REVISION_HASH]).filter((h): h is string => !!h));
    inUse.add(hash);
    await truncateHistory(this.revisions.client, revisions, Number(spec.revisionHistoryLimit ?? 10), inUse);

  }

  /**
   * rollingUpdate: old pods to delete now. With maxSurge 0, up to maxUnavailable nodes may lack an
   * available pod; with maxSurge, new pods start beside old ones (created by `create`) and the old
   * one goes once the new one is available (handled above).
   */
  private rollingUpdate(ds: Obj, nodes: Obj[], byNode: Map<string, Obj[]>, hash: string, minReady: number, now: number, create: string[], remove: Obj[]): Obj[] {
    const strategy = ((ds.spec as Record<string, unknown>).updateStrategy ?? {}) as Record<string, unknown>;
    if (strategy.type === 'OnDelete') return [];
    const ru = (strategy.rollingUpdate ?? {}) as Record<string, unknown>;
    const eligible = nodes.filter((n) => this.decide(ds, n).shouldContinueRunning && (byNode.get(name(n)) ?? []).some((p) => !deletionTimestamp(p)));
    const desired = nodes.filter((n) => this.decide(ds, n).shouldRun).length;
    const maxSurge = scaledValue(ru.maxSurge ?? 0, desired, true);
    const maxUnavailable = scaledValue(ru.maxUnavailable ?? 1, desired, true) || (maxSurge === 0 ? 1 : 0);
    const removing = new Set(remove.map(uid));
    const out: Obj[] = [];
    if (maxSurge === 0) {
      let unavailable = 0;
      const candidates: Obj[] = [];
      for (const n of eligible) {
        const ps = (byNode.get(name(n)) ?? []).filter((p) => !deletionTimestamp(p) && !removing.has(uid(p)));
        const available = ps.some((p) => isPodAvailable(p, minReady, now));
        if (!available) unavailable++;
        const old = ps.filter((p) => labels(p)[CONTROLLER_REVISION_HASH] !== hash);
        // An old pod that is not available can go at once; available ones wait for budget.
        for (const p of old) {
          if (!isPodAvailable(p, minReady, now)) out.push(p);
          else candidates.push(p);
        }
      }
      unavailable += create.length;
      for (const p of candidates) {
        if (unavailable >= maxUnavailable) break;
        out.push(p);
        unavailable++;
      }
      return out;
    }
    // Surge: start a new pod beside an available old one, at most maxSurge at a time.
    let surging = 0;
    for (const n of eligible) {
      const ps = (byNode.get(name(n)) ?? []).filter((p) => !deletionTimestamp(p));
      if (ps.some((p) => labels(p)[CONTROLLER_REVISION_HASH] === hash) && ps.some((p) => labels(p)[CONTROLLER_REVISION_HASH] !== hash)) surging++;
    }
    for (const n of eligible) {
      if (surging >= maxSurge) break;
      const ps = (byNode.get(name(n)) ?? []).filter((p) => !deletionTimestamp(p));
      const hasNew = ps.some((p) => labels(p)[CONTROLLER_REVISION_HASH] === hash);
      const old = ps.filter((p) => labels(p)[CONTROLLER_REVISION_HASH] !== hash);
      if (!hasNew && old.length) {
        if (!old.some((p) => isPodAvailable(p, minReady, now))) out.push(...old);
        else if (this.decide(ds, n).shouldRun) {
          create.push(name(n));
          surging++;
        }
      }
    }
    return out;
  }

  private async apply(key: string, ds: Obj, hash: string, create: string[], remove: Obj[]): Promise<void> {
    const uniqueRemove = [...new Map(remove.map((p) => [uid(p), p])).values()];
    if (create.length) {
      this.expectations.expectCreations(key, create.length);
      const template = ((ds.spec as Record<string, unknown>).template ?? {}) as Obj;
      const ref = controllerRef(ds, 'apps/v1', 'DaemonSet');
      let firstErr: unknown;
      await Promise.all(
        create.map(async (nodeName) => {
          const pod = podFromTemplate(template, ds, ref);
          pod.spec = daemonPodSpec(template, nodeName);
          const m = pod.metadata as Record<string, unknown>;
          m.labels = { ...((m.labels ?? {}) as Record<string, string>), [CONTROLLER_REVISION_HASH]: hash, [TEMPLATE_GENERATION]: String(generation(ds)) };
          try {
            const created = await this.pods.client.create(namespace(ds), pod);
            this.events.event(typed(ds, 'apps/v1', 'DaemonSet'), 'Normal', 'SuccessfulCreate', `Created pod: ${name(created)}`);
          } catch (e) {
            this.expectations.creationObserved(key);
            firstErr ??= e;
          }
        }),
      );
      if (firstErr) throw firstErr;
    }
    if (uniqueRemove.length) {
      await deletePodsExpected({ expectations: this.expectations, pods: this.pods.client, events: this.events }, key, typed(ds, 'apps/v1', 'DaemonSet'), uniqueRemove);
    }
  }

  private async updateStatus(ds: Obj, nodes: Obj[], byNode: Map<string, Obj[]>, hash: string, minReady: number, now: number): Promise<void> {
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let available = 0;
    let updated = 0;
    for (const node of nodes) {
      const d = this.decide(ds, node);
      const ps = (byNode.get(name(node)) ?? []).filter((p) => !deletionTimestamp(p));
      if (d.shouldRun) {
        desired++;
        if (ps.length) {
          current++;
          const newest = [...ps].sort(byAge).reverse()[0];
          if (isPodReady(newest)) {
            ready++;
            if (isPodAvailable(newest, minReady, now)) available++;
          }
          if (ps.some((p) => labels(p)[CONTROLLER_REVISION_HASH] === hash)) updated++;
        }
      } else if (ps.length) misscheduled++;
    }
    const old = (ds.status ?? {}) as Record<string, unknown>;
    const status = omitZero(
      {
        currentNumberScheduled: current,
        numberMisscheduled: misscheduled,
        desiredNumberScheduled: desired,
        numberReady: ready,
        observedGeneration: generation(ds),
        updatedNumberScheduled: updated,
        numberAvailable: available,
        numberUnavailable: desired - available,
        collisionCount: old.collisionCount,
        conditions: old.conditions,
      },
      ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'],
    );
    if (sameJson(status, old)) return;
    const next = clone(ds);
    next.status = status;
    await this.daemonSets.client.updateStatus(undefined, next);
  }
}

/** The node a pod not yet bound is pinned to (its matchFields metadata.name). */
function pinned(pod: Obj): string | undefined {
  const terms = ((((pod.spec as Record<string, unknown>)?.affinity as Record<string, unknown> | undefined)?.nodeAffinity as Record<string, unknown> | undefined)?.requiredDuringSchedulingIgnoredDuringExecution as { nodeSelectorTerms?: { matchFields?: { key: string; values?: string[] }[] }[] } | undefined)?.nodeSelectorTerms;
  for (const t of terms ?? []) for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.values?.length === 1) return f.values[0];
  return undefined;
}
