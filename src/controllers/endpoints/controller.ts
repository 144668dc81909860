// The Endpoints controller (pkg/controller/endpoint): for every Service with a selector, an
// Endpoints object of the same name listing the selected pods' IPs: ready pods (or all, with
// publishNotReadyAddresses) under addresses, the others under notReadyAddresses, grouped into
// subsets by their resolved ports. Capped at 1000 addresses with the over-capacity annotation.
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import type { Informer } from '../../client/informer.js';
import { annotations, clone, keyOf, labels, name, namespace, splitKey, uid } from '../../client/objects.js';
import type { Obj, ResourceClient } from '../../client/types.js';
import { labelSelectorFromSet } from '../../util/label-selector.js';
import type { WorkQueue } from '../../util/workqueue.js';
import type { ControllerDeps, WorkloadController } from '../shared/types.js';
import {
  endpointHostname,
  isHeadless,
  isPodReady,
  jsonEqual,
  podIPv4,
  publishNotReadyAddresses,
  queueServicesOnPodChanges,
  resolvePorts,
  serviceSelector,
  servicePorts,
  shouldPodBeInEndpoints,
} from './pod-endpoints.js';
import type { EndpointPort } from './pod-endpoints.js';
import { TriggerTimeTracker, withTriggerTime } from './trigger-time.js';

export { LAST_CHANGE_TRIGGER_TIME } from './trigger-time.js';
export const OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
/** maxCapacity upstream. */
const MAX_ADDRESSES = 1000;

interface Address {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
}

type Port = EndpointPort;

export interface Subset {
  addresses?: Address[];
  notReadyAddresses?: Address[];
  ports?: Port[];
}

function portKey(p: Port): string {
  return `${p.name ?? ''}/${p.port}/${p.protocol}/${p.appProtocol ?? ''}`;
}

function addressKey(a: Address): string {
  return `${a.ip}/${a.targetRef.uid}`;
}

function compareAddresses(a: Address, b: Address): number {
  return a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.targetRef.uid < b.targetRef.uid ? -1 : a.targetRef.uid > b.targetRef.uid ? 1 : 0;
}

/**
 * endpoints.RepackSubsets: addresses that share the same set of ports form one subset; an address
 * ready on any port counts as ready. Output is sorted, so equal inputs give equal objects.
 */
export function repackSubsets(entries: { address: Address; ready: boolean; ports: Port[] }[]): Subset[] {
  const byAddress = new Map<string, { address: Address; ready: boolean; ports: Map<string, Port> }>();
  for (const e of entries) {
    const k = addressKey(e.address);
    let cur = byAddress.get(k);
    if (!cur) byAddress.set(k, (cur = { address: e.address, ready: e.ready, ports: new Map() }));
    cur.ready = cur.ready || e.ready;
    for (const p of e.ports) cur.ports.set(portKey(p), p);
  }
  const groups = new Map<string, { ports: Port[]; ready: Address[]; notReady: Address[] }>();
  for (const { address, ready, ports } of byAddress.values()) {
    const sorted = [...ports.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const k = sorted.map(([pk]) => pk).join(',');
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ports: sorted.map(([, p]) => p), ready: [], notReady: [] }));
    (ready ? g.ready : g.notReady).push(address);
  }
  const subsets: Subset[] = [];
  for (const k of [...groups.keys()].sort()) {
    const g = groups.get(k)!;
    const s: Subset = {};
    if (g.ready.length) s.addresses = g.ready.sort(compareAddresses);
    if (g.notReady.length) s.notReadyAddresses = g.notReady.sort(compareAddresses);
    if (g.ports.length) s.ports = g.ports;
    subsets.push(s);
  }
  return subsets;
}

/** Keeps at most MAX_ADDRESSES addresses, ready ones first (endpoints controller truncateEndpoints). */
function truncate(subsets: Subset[]): { subsets: Subset[]; truncated: boolean } {
  let total = 0;
  for (const s of subsets) total += (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0);
  if (total <= MAX_ADDRESSES) return { subsets, truncated: false };
  let room = MAX_ADDRESSES;
  const out: Subset[] = subsets.map((s) => ({ ...s }));
  for (const s of out) {
    if (!s.addresses) continue;
    s.addresses = s.addresses.slice(0, room);
    room -= s.addresses.length;
    if (!s.addresses.length) delete s.addresses;
  }
  for (const s of out) {
    if (!s.notReadyAddresses) continue;
    s.notReadyAddresses = s.notReadyAddresses.slice(0, room);
    room -= s.notReadyAddresses.length;
    if (!s.notReadyAddresses.length) delete s.notReadyAddresses;
  }
  return { subsets: out.filter((s) => s.addresses || s.notReadyAddresses), truncated: true };
}

export function serviceLabelsFor(svc: Obj, drop: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels(svc))) if (k !== HEADLESS_LABEL && !drop.includes(k)) out[k] = v;
  if (isHeadless(svc)) out[HEADLESS_LABEL] = '';
  return out;
}


export class EndpointsController implements WorkloadController {
  readonly name = 'endpoint-controller';
  readonly workers = 5;
  private readonly services: Informer;
  private readonly pods: Informer;
  private readonly endpointsInformer: Informer;
  private readonly endpoints: ResourceClient;
  private readonly triggers = new TriggerTimeTracker();
  private queue: WorkQueue<string> | undefined;

  constructor(private readonly deps: ControllerDeps) {
    this.services = deps.informers.informerFor('', 'v1', 'services');
    this.pods = deps.informers.informerFor('', 'v1', 'pods');
    this.endpointsInformer = deps.informers.informerFor('', 'v1', 'endpoints');
    this.endpoints = deps.client.resource('', 'v1', 'endpoints');
  }

  bind(queue: WorkQueue<string>): void {
    this.queue = queue;
    const enqueue = (o: Obj) => queue.add(keyOf(o));
    queueServicesOnPodChanges(this.services, this.pods, enqueue);
    // An Endpoints object changed or deleted by someone else is put right.
    this.endpointsInformer.addEventHandler({ onAdd: (e, initial) => !initial && enqueue(e), onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
  }

  async reconcile(key: string): Promise<void> {
    const { namespace: ns, name: svcName } = splitKey(key);
    const svc = this.services.lister.get(ns, svcName);
    if (!svc) {
      this.triggers.delete(key);
      try {
        await this.endpoints.delete(ns, svcName);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    const selector = serviceSelector(svc);
    if (selector === undefined) return;
    const pods = this.pods.lister.list(ns, labelSelectorFromSet(selector));
    const tolerateUnready = publishNotReadyAddresses(svc);
    const ports = servicePorts(svc);
    const entries: { address: Address; ready: boolean; ports: Port[] }[] = [];
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
      const ip = podIPv4(pod)!;
      const address: Address = { ip, targetRef: { kind: 'Pod', namespace: namespace(pod), name: name(pod), uid: uid(pod) } };
      const hostname = endpointHostname(pod, svc);
      if (hostname) address.hostname = hostname;
      const nodeName = (pod.spec as Record<string, unknown> | undefined)?.nodeName;
      if (typeof nodeName === 'string' && nodeName) address.nodeName = nodeName;
      const ready = tolerateUnready || isPodReady(pod);
      if (ports.length === 0) {
        // A headless service without ports still lists its pods (addEndpointSubset with no port).
        if (isHeadless(svc)) entries.push({ address, ready, ports: [] });
        continue;
      }
      const resolved = resolvePorts(pod, ports, false);
      if (resolved.length) entries.push({ address, ready, ports: resolved });
    }
    const { subsets, truncated } = truncate(repackSubsets(entries));
    const trigger = this.triggers.compute(svc, pods);
    const current = this.endpointsInformer.lister.get(ns, svcName);
    const wantLabels = serviceLabelsFor(svc);
    if (current) {
      const curAnn = annotations(current);
      const capacityOk = truncated ? curAnn[OVER_CAPACITY] === 'truncated' : curAnn[OVER_CAPACITY] === undefined;
      if (jsonEqual(current.subsets ?? [], subsets) && jsonEqual(labels(current), wantLabels) && capacityOk) return;
    }
    const ann = withTriggerTime(current, trigger);
    if (truncated) ann[OVER_CAPACITY] = 'truncated';
    else delete ann[OVER_CAPACITY];
    const body: Obj = current ? clone(current) : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: svcName, namespace: ns } };
    const meta = body.metadata as Record<string, unknown>;
    meta.labels = wantLabels;
    meta.annotations = ann;
    body.subsets = subsets;
    if (current) {
      await this.endpoints.update(ns, body);
      return;
    }
    try {
      await this.endpoints.create(ns, body);
    } catch (err) {
      // The informer has not shown it yet: sync again once it has (its add event requeues too).
      if (!isAlreadyExists(err)) throw err;
      this.queue?.addAfter(key, 100);
    }
  }
}
