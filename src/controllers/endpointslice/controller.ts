// The EndpointSlice controller (pkg/controller/endpointslice, staging endpointslice reconciler):
// for every Service with a selector (and not of type ExternalName), discovery.k8s.io/v1
// EndpointSlices named `<service>-<5 random>` (generateName), labelled with the service name and
// managed-by endpointslice-controller.k8s.io, owned by the Service, holding at most 100 endpoints
// each. Pods are grouped by their resolved ports (a named targetPort may resolve differently per
// pod); endpoints stay in the slice they are in while it still fits; a Service with no endpoints
// keeps one placeholder slice without endpoints or ports.
import { isNotFound } from '../../client/errors.js';
import type { Informer } from '../../client/informer.js';
import { clone, deletionTimestamp, field, keyOf, labels, name, namespace, splitKey, uid } from '../../client/objects.js';
import type { Obj, ResourceClient } from '../../client/types.js';
import { labelSelectorFromSet } from '../../util/label-selector.js';
import type { WorkQueue } from '../../util/workqueue.js';
import type { ControllerDeps, WorkloadController } from '../shared/types.js';
import { serviceLabelsFor } from '../endpoints/controller.js';
import {
  endpointHostname,
  isPodReady,
  jsonEqual,
  podIPv4,
  publishNotReadyAddresses,
  queueServicesOnPodChanges,
  resolvePorts,
  serviceSelector,
  servicePorts,
  shouldPodBeInEndpoints,
} from '../endpoints/pod-endpoints.js';
import type { EndpointPort } from '../endpoints/pod-endpoints.js';
import { TriggerTimeTracker, withTriggerTime } from '../endpoints/trigger-time.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
const ZONE_LABEL = 'topology.kubernetes.io/zone';

type SlicePort = EndpointPort;

interface Endpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
}

function portsKey(ports: SlicePort[]): string {
  return JSON.stringify([...ports].sort((a, b) => `${a.name ?? ''}/${a.port}/${a.protocol}`.localeCompare(`${b.name ?? ''}/${b.port}/${b.protocol}`)));
}

function endpointKey(e: Endpoint): string {
  return e.targetRef.uid || e.addresses[0];
}

function slicePorts(slice: Obj): SlicePort[] {
  const p = slice.ports;
  return Array.isArray(p) ? (p as SlicePort[]) : [];
}

function sliceEndpoints(slice: Obj): Endpoint[] {
  const e = slice.endpoints;
  return Array.isArray(e) ? (e as Endpoint[]) : [];
}

export class EndpointSliceController implements WorkloadController {
  readonly name = 'endpointslice-controller';
  readonly workers = 5;
  private readonly services: Informer;
  private readonly pods: Informer;
  private readonly nodes: Informer;
  private readonly slicesInformer: Informer;
  private readonly slices: ResourceClient;
  private readonly triggers = new TriggerTimeTracker();
  /**
   * Writes the informer has not shown yet, per service (upstream's endpointSliceTracker): a sync
   * against a cache that misses them would create duplicates, so it waits for the cache instead.
   */
  private readonly expected = new Map<string, Map<string, string | null>>();
  private queue: WorkQueue<string> | undefined;

  constructor(private readonly deps: ControllerDeps) {
    this.services = deps.informers.informerFor('', 'v1', 'services');
    this.pods = deps.informers.informerFor('', 'v1', 'pods');
    this.nodes = deps.informers.informerFor('', 'v1', 'nodes');
    this.slicesInformer = deps.informers.informerFor('discovery.k8s.io', 'v1', 'endpointslices');
    this.slices = deps.client.resource('discovery.k8s.io', 'v1', 'endpointslices');
  }

  bind(queue: WorkQueue<string>): void {
    this.queue = queue;
    queueServicesOnPodChanges(this.services, this.pods, (o) => queue.add(keyOf(o)));
    // A managed slice changed or deleted by someone else is put right.
    const sliceChanged = (s: Obj) => {
      const l = labels(s);
      if (l[MANAGED_BY_LABEL] === CONTROLLER_NAME && l[SERVICE_NAME_LABEL]) queue.add(`${namespace(s)}/${l[SERVICE_NAME_LABEL]}`);
    };
    this.slicesInformer.addEventHandler({ onAdd: sliceChanged, onUpdate: (_o, n) => sliceChanged(n), onDelete: sliceChanged });
  }

  /** True when the informer shows every write made for `key` (name -> resourceVersion, null for a deletion). */
  private cacheCaughtUp(key: string, ns: string): boolean {
    const writes = this.expected.get(key);
    if (!writes) return true;
    for (const [sliceName, rv] of writes) {
      const seen = this.slicesInformer.lister.get(ns, sliceName);
      const ok = rv === null ? seen === undefined : seen !== undefined && BigInt(String(field(seen, 'metadata', 'resourceVersion') || '0')) >= BigInt(rv);
      if (ok) writes.delete(sliceName);
    }
    if (writes.size === 0) this.expected.delete(key);
    return writes.size === 0;
  }

  private expect(key: string, sliceName: string, rv: string | null): void {
    let writes = this.expected.get(key);
    if (!writes) this.expected.set(key, (writes = new Map()));
    writes.set(sliceName, rv);
  }

  private zoneOf(nodeName: string | undefined): string | undefined {
    if (!nodeName) return undefined;
    const node = this.nodes.lister.get(undefined, nodeName);
    return node ? labels(node)[ZONE_LABEL] : undefined;
  }

  /** podToEndpoint. */
  private endpointFor(pod: Obj, svc: Obj): Endpoint {
    const publish = publishNotReadyAddresses(svc);
    const terminating = deletionTimestamp(pod) !== undefined;
    const serving = publish || isPodReady(pod);
    // "ready" is never true for a terminating pod unless publishNotReadyAddresses is set.
    const ready = serving && (!terminating || publish);
    const e: Endpoint = {
      addresses: [podIPv4(pod)!],
      conditions: { ready, serving, terminating },
      targetRef: { kind: 'Pod', namespace: namespace(pod), name: name(pod), uid: uid(pod) },
    };
    const hostname = endpointHostname(pod, svc);
    if (hostname) e.hostname = hostname;
    const nodeName = field(pod, 'spec', 'nodeName');
    if (typeof nodeName === 'string' && nodeName) {
      e.nodeName = nodeName;
      const zone = this.zoneOf(nodeName);
      if (zone) e.zone = zone;
    }
    return e;
  }

  async reconcile(key: string): Promise<void> {
    const { namespace: ns, name: svcName } = splitKey(key);
    const svc = this.services.lister.get(ns, svcName);
    if (!svc) {
      // The slices go with their owner (garbage collector).
      this.triggers.delete(key);
      this.expected.delete(key);
      return;
    }
    if (!this.cacheCaughtUp(key, ns)) {
      this.queue?.addAfter(key, 100);
      return;
    }
    if (field(svc, 'spec', 'type') === 'ExternalName') return;
    const selector = serviceSelector(svc);
    if (selector === undefined) return;
    const pods = this.pods.lister.list(ns, labelSelectorFromSet(selector));
    const ports = servicePorts(svc);

    // Desired endpoints grouped by their resolved ports.
    const desired = new Map<string, { ports: SlicePort[]; endpoints: Map<string, Endpoint> }>();
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const resolved = resolvePorts(pod, ports, true);
      const k = portsKey(resolved);
      let group = desired.get(k);
      if (!group) desired.set(k, (group = { ports: resolved, endpoints: new Map() }));
      const e = this.endpointFor(pod, svc);
      group.endpoints.set(endpointKey(e), e);
    }

    const existing = this.slicesInformer.lister
      .list(ns)
      .filter((s) => labels(s)[SERVICE_NAME_LABEL] === svcName && labels(s)[MANAGED_BY_LABEL] === CONTROLLER_NAME)
      .sort((a, b) => name(a).localeCompare(name(b)));
    const trigger = this.triggers.compute(svc, pods);
    const wantLabels = { ...serviceLabelsFor(svc, [SERVICE_NAME_LABEL, MANAGED_BY_LABEL]), [SERVICE_NAME_LABEL]: svcName, [MANAGED_BY_LABEL]: CONTROLLER_NAME };

    const plans: { slice?: Obj; ports: SlicePort[]; endpoints: Endpoint[] }[] = [];
    const toDelete: Obj[] = [];
    const usedSlices = new Set<Obj>();
    for (const [k, group] of desired) {
      const matching = existing.filter((s) => !usedSlices.has(s) && portsKey(slicePorts(s)) === k);
      const remaining = new Map(group.endpoints);
      const groupPlans: { slice?: Obj; ports: SlicePort[]; endpoints: Endpoint[] }[] = [];
      // Endpoints stay where they are.
      for (const s of matching) {
        usedSlices.add(s);
        const kept: Endpoint[] = [];
        for (const e of sliceEndpoints(s)) {
          const want = remaining.get(endpointKey(e));
          if (want && kept.length < MAX_ENDPOINTS_PER_SLICE) {
            kept.push(want);
            remaining.delete(endpointKey(e));
          }
        }
        groupPlans.push({ slice: s, ports: group.ports, endpoints: kept });
      }
      // New endpoints fill the free room, then new slices.
      const rest = [...remaining.values()].sort((a, b) => endpointKey(a).localeCompare(endpointKey(b)));
      for (const p of groupPlans) while (rest.length && p.endpoints.length < MAX_ENDPOINTS_PER_SLICE) p.endpoints.push(rest.shift()!);
      while (rest.length) groupPlans.push({ ports: group.ports, endpoints: rest.splice(0, MAX_ENDPOINTS_PER_SLICE) });
      for (const p of groupPlans) {
        if (p.endpoints.length === 0 && p.slice) toDelete.push(p.slice);
        else plans.push(p);
      }
    }
    for (const s of existing) if (!usedSlices.has(s)) toDelete.push(s);
    if (plans.length === 0) {
      // The placeholder slice: no endpoints, no ports.
      const placeholder = toDelete.find((s) => sliceEndpoints(s).length === 0 && slicePorts(s).length === 0);
      if (placeholder) toDelete.splice(toDelete.indexOf(placeholder), 1);
      plans.push({ slice: placeholder, ports: [], endpoints: [] });
    }

    for (const p of plans) {
      const written = await this.write(svc, p.slice, p.ports, p.endpoints, wantLabels, trigger);
      if (written) this.expect(key, name(written), String(field(written, 'metadata', 'resourceVersion') ?? '0'));
    }
    for (const s of toDelete) {
      try {
        await this.slices.delete(ns, name(s), { preconditions: { uid: uid(s) } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      this.expect(key, name(s), null);
    }
  }

  private async write(svc: Obj, current: Obj | undefined, ports: SlicePort[], endpoints: Endpoint[], wantLabels: Record<string, string>, trigger: number | undefined): Promise<Obj | undefined> {
    const ns = namespace(svc);
    if (current && jsonEqual(sliceEndpoints(current), endpoints) && portsKey(slicePorts(current)) === portsKey(ports) && jsonEqual(labels(current), wantLabels)) return undefined;
    const ann = withTriggerTime(current, trigger);
    if (current) {
      const body = clone(current);
      const meta = body.metadata as Record<string, unknown>;
      meta.labels = wantLabels;
      meta.annotations = ann;
      body.endpoints = endpoints;
      body.ports = ports;
      return this.slices.update(ns, body);
    }
    const body: Obj = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        generateName: `${name(svc)}-`,
        namespace: ns,
        labels: wantLabels,
        annotations: ann,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: name(svc), uid: uid(svc), controller: true, blockOwnerDeletion: true }],
      },
      addressType: 'IPv4',
      endpoints,
      ports,
    };
    return this.slices.create(ns, body);
  }
}
