// The resource quota controller (pkg/controller/resourcequota): status.hard mirrors spec.hard and
// status.used is what the namespace's objects charge for every resource in it, recomputed when
// the quota changes, when charged objects change (pods, services, PVCs, ConfigMaps and Secrets
// are watched from the start; another kind is watched from the first quota that counts it with
// count/<resource>.<group>, listed directly until its informer has synced), and every
// --resource-quota-sync-period (5 min). Admission charges creations at once; this controller then
// replaces the charge with the measured value (and releases what deleted objects held).
import type { Informer } from '../../client/informer.js';
import { clone, field, keyOf, namespace, splitKey } from '../../client/objects.js';
import type { KubeClient, Obj, ResourceInfo } from '../../client/types.js';
import type { WorkQueue } from '../../util/workqueue.js';
import type { ControllerDeps, WorkloadController } from '../shared/types.js';
import type { GroupResource, ResourceList } from '../../util/quota-usage.js';
import { add, equalLists, formatResourceList, mask, matchesResource, matchesScopes, parseCountName, parseResourceList, quantity, quotaScopes, scopeAllowsResource, usageOf } from '../../util/quota-usage.js';

/** Kinds whose changes re-trigger quota syncs at once (the rest wait for the resync). */
const WATCHED: Array<{ group: string; version: string; resource: string }> = [
  { group: '', version: 'v1', resource: 'pods' },
  { group: '', version: 'v1', resource: 'services' },
  { group: '', version: 'v1', resource: 'persistentvolumeclaims' },
  { group: '', version: 'v1', resource: 'configmaps' },
  { group: '', version: 'v1', resource: 'secrets' },
];
/** Core resources with a legacy quota name (pods, services, ...). */
const LEGACY: Record<string, GroupResource> = {
  pods: { group: '', resource: 'pods' },
  services: { group: '', resource: 'services' },
  'services.nodeports': { group: '', resource: 'services' },
  'services.loadbalancers': { group: '', resource: 'services' },
  replicationcontrollers: { group: '', resource: 'replicationcontrollers' },
  resourcequotas: { group: '', resource: 'resourcequotas' },
  secrets: { group: '', resource: 'secrets' },
  configmaps: { group: '', resource: 'configmaps' },
  persistentvolumeclaims: { group: '', resource: 'persistentvolumeclaims' },
  'requests.storage': { group: '', resource: 'persistentvolumeclaims' },
};

export interface ResourceQuotaOptions {
  /** --resource-quota-sync-period. */
  resyncPeriodMs?: number;
}

export class ResourceQuotaController implements WorkloadController {
  readonly name = 'resourcequota-controller';
  readonly workers = 2;
  private readonly quotas: Informer;
  private readonly watched = new Map<string, Informer>();
  private discovery: ResourceInfo[] | undefined;
  private queue: WorkQueue<string> | undefined;
  private readonly resync: number;

  constructor(
    private readonly deps: ControllerDeps,
    opts: ResourceQuotaOptions = {},
  ) {
    this.resync = opts.resyncPeriodMs ?? 300_000;
    this.quotas = deps.informers.informerFor('', 'v1', 'resourcequotas');
    for (const w of WATCHED) this.watched.set(`${w.group}/${w.resource}`, deps.informers.informerFor(w.group, w.version, w.resource));
  }

  private get client(): KubeClient {
    return this.deps.client;
  }

  bind(queue: WorkQueue<string>): void {
    this.queue = queue;
    const enqueue = (q: Obj) => queue.add(keyOf(q));
    this.quotas.addEventHandler({ onAdd: enqueue, onUpdate: (o, n) => JSON.stringify(field(o, 'spec')) !== JSON.stringify(field(n, 'spec')) && enqueue(n), onDelete: () => undefined });
    for (const informer of this.watched.values()) this.replenishFrom(informer);
  }

  /** Changes of charged objects requeue the quotas of their namespace (replenishment). */
  private replenishFrom(informer: Informer): void {
    const touched = (obj: Obj) => {
      const ns = namespace(obj);
      if (ns && this.queue) for (const q of this.quotas.lister.list(ns)) this.queue.add(keyOf(q));
    };
    informer.addEventHandler({ onAdd: (o, initial) => !initial && touched(o), onUpdate: (_o, n) => touched(n), onDelete: touched });
  }

  /** The group-resource a quota resource name counts, and its served version. */
  private async locate(gr: GroupResource): Promise<ResourceInfo | undefined> {
    const find = () => this.discovery?.find((r) => r.group === gr.group && r.resource === gr.resource && r.verbs.includes('list'));
    if (!find()) this.discovery = await this.client.resources();
    return find();
  }

  private async objectsOf(info: ResourceInfo, ns: string): Promise<Obj[]> {
    const key = `${info.group}/${info.resource}`;
    let informer = this.watched.get(key);
    if (!informer && info.verbs.includes('watch')) {
      informer = this.deps.informers.informerFor(info.group, info.version, info.resource);
      this.watched.set(key, informer);
      this.replenishFrom(informer);
    }
    if (informer?.hasSynced()) return informer.lister.list(ns);
    return (await this.client.resource(info.group, info.version, info.resource).list(ns)).items;
  }

  async reconcile(key: string): Promise<void> {
    const quota = this.quotas.lister.getByKey(key);
    if (!quota) return;
    try {
      await this.sync(quota);
    } finally {
      this.queue?.addAfter(key, this.resync);
    }
  }

  private async sync(quota: Obj): Promise<void> {
    const ns = splitKey(keyOf(quota)).namespace;
    const hard = parseResourceList(field(quota, 'spec', 'hard'));
    const scopes = quotaScopes(quota);
    const now = this.deps.clock.now();
    // The kinds charged: every group-resource some hard resource belongs to.
    const kinds = new Map<string, GroupResource>();
    for (const name of hard.keys()) {
      const gr = parseCountName(name) ?? LEGACY[name] ?? (name.includes('.storageclass.storage.k8s.io/') ? LEGACY.persistentvolumeclaims : LEGACY.pods);
      if (matchesResource(gr, name)) kinds.set(`${gr.group}/${gr.resource}`, gr);
    }
    let used: ResourceList = new Map();
    for (const name of hard.keys()) used.set(name, quantity(0));
    for (const gr of kinds.values()) {
      const info = await this.locate(gr);
      if (!info) continue;
      const names = [...hard.keys()].filter((n) => matchesResource(gr, n) && scopeAllowsResource(scopes, n));
      let sum: ResourceList = new Map();
      for (const obj of await this.objectsOf(info, ns)) {
        if (!matchesScopes(gr, obj, scopes)) continue;
        sum = add(sum, mask(usageOf(gr, obj, now), names));
      }
      // The zero placeholders first, so sums keep the measured values' formats.
      for (const [k, v] of sum) used.set(k, v);
    }
    used = mask(used, hard.keys());
    const statusHard = parseResourceList(field(quota, 'status', 'hard'));
    const statusUsed = parseResourceList(field(quota, 'status', 'used'));
    if (equalLists(statusHard, hard) && equalLists(statusUsed, used)) return;
    const body = clone(quota);
    body.status = { hard: formatResourceList(hard), used: formatResourceList(used) };
    await this.client.resource('', 'v1', 'resourcequotas').updateStatus(ns, body);
  }
}
