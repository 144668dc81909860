// What the Endpoints and EndpointSlice controllers read from pods and services
// (pkg/api/v1/pod FindPort, IsPodReady; pkg/controller/util/endpoint ShouldPodBeInEndpoints,
// GetPodServiceMemberships).
import { deletionTimestamp, field, labels } from '../../client/objects.js';
import type { Lister } from '../../client/cache.js';
import type { Informer } from '../../client/informer.js';
import type { Obj } from '../../client/types.js';
import { labelSelectorFromSet, matchesLabels } from '../../util/label-selector.js';

export interface ServicePort {
  name?: string;
  port: number;
  protocol: string;
  targetPort?: number | string;
  appProtocol?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function servicePorts(svc: Obj): ServicePort[] {
  const ports = field(svc, 'spec', 'ports');
  if (!Array.isArray(ports)) return [];
  return ports.filter(isRecord).map((p) => {
    const out: ServicePort = { port: Number(p.port), protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP' };
    if (typeof p.name === 'string' && p.name) out.name = p.name;
    if (typeof p.targetPort === 'number' || typeof p.targetPort === 'string') out.targetPort = p.targetPort;
    if (typeof p.appProtocol === 'string') out.appProtocol = p.appProtocol;
    return out;
  });
}

/** spec.selector as a map, or undefined when the service has none (its endpoints are managed by hand). */
export function serviceSelector(svc: Obj): Record<string, string> | undefined {
  const sel = field(svc, 'spec', 'selector');
  if (!isRecord(sel)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function isHeadless(svc: Obj): boolean {
  return field(svc, 'spec', 'clusterIP') === 'None';
}

export function publishNotReadyAddresses(svc: Obj): boolean {
  return field(svc, 'spec', 'publishNotReadyAddresses') === true;
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Obj): boolean {
  const conds = field(pod, 'status', 'conditions');
  return Array.isArray(conds) && conds.some((c) => isRecord(c) && c.type === 'Ready' && c.status === 'True');
}

/** The time a pod's readiness last changed, for the last-change-trigger-time annotation. */
export function podTriggerTime(pod: Obj): number | undefined {
  const conds = field(pod, 'status', 'conditions');
  if (Array.isArray(conds)) {
    const ready = conds.find((c) => isRecord(c) && c.type === 'Ready') as Record<string, unknown> | undefined;
    if (ready && typeof ready.lastTransitionTime === 'string') return Date.parse(ready.lastTransitionTime);
  }
  return undefined;
}

/** The pod's IPv4 address (status.podIPs, else status.podIP), or undefined. */
export function podIPv4(pod: Obj): string | undefined {
  const ips = field(pod, 'status', 'podIPs');
  const all: string[] = [];
  if (Array.isArray(ips)) for (const ip of ips) if (isRecord(ip) && typeof ip.ip === 'string') all.push(ip.ip);
  const single = field(pod, 'status', 'podIP');
  if (typeof single === 'string' && single) all.push(single);
  return all.find((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip));
}

/**
 * ShouldPodBeInEndpoints: the pod has an IP, has not finished for good (a terminal phase; upstream
 * treats Failed and Succeeded pods as out whatever the restart policy), and is not being deleted
 * unless `includeTerminating`.
 */
export function shouldPodBeInEndpoints(pod: Obj, includeTerminating: boolean): boolean {
  const phase = field(pod, 'status', 'phase');
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!podIPv4(pod)) return false;
  if (!includeTerminating && deletionTimestamp(pod) !== undefined) return false;
  return true;
}

/**
 * podutil.FindPort: a numeric targetPort is used as is; a named one is looked up among the pod's
 * container ports (and restartable init containers') with the same protocol.
 */
export function findPort(pod: Obj, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const containers: unknown[] = [];
  const main = field(pod, 'spec', 'containers');
  if (Array.isArray(main)) containers.push(...main);
  const init = field(pod, 'spec', 'initContainers');
  if (Array.isArray(init)) containers.push(...init.filter((c) => isRecord(c) && c.restartPolicy === 'Always'));
  for (const c of containers) {
    if (!isRecord(c) || !Array.isArray(c.ports)) continue;
    for (const p of c.ports) {
      if (!isRecord(p)) continue;
      const protocol = typeof p.protocol === 'string' ? p.protocol : 'TCP';
      if (p.name === target && protocol === port.protocol && typeof p.containerPort === 'number') return p.containerPort;
    }
  }
  return undefined;
}

/** A service port resolved against one pod, as Endpoints subsets and EndpointSlices list it. */
export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/**
 * The service's ports resolved for `pod`, leaving out those the pod does not expose. EndpointSlice
 * ports always carry a name ('' for an unnamed service port); Endpoints ports only a non-empty one.
 */
export function resolvePorts(pod: Obj, ports: ServicePort[], alwaysNamed: boolean): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of ports) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const p: EndpointPort = { port, protocol: sp.protocol };
    if (sp.name) p.name = sp.name;
    else if (alwaysNamed) p.name = '';
    if (sp.appProtocol) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return out;
}

/** The hostname an endpoint gets: the pod's spec.hostname when its subdomain is the service. */
export function endpointHostname(pod: Obj, svc: Obj): string | undefined {
  const hostname = field(pod, 'spec', 'hostname');
  const subdomain = field(pod, 'spec', 'subdomain');
  const svcName = field(svc, 'metadata', 'name');
  return typeof hostname === 'string' && hostname && subdomain === svcName ? hostname : undefined;
}

/** Services in the pod's namespace whose selector matches its labels (GetPodServiceMemberships). */
export function servicesSelecting(services: Lister, pod: Obj): Obj[] {
  const ns = String(field(pod, 'metadata', 'namespace') ?? '');
  const podLabels = labels(pod);
  return services.list(ns).filter((svc) => {
    const sel = serviceSelector(svc);
    return sel !== undefined && matchesLabels(labelSelectorFromSet(sel), podLabels);
  });
}

/** Queues a service's key when it changes, and when a pod it selects (before or after the change) does. */
export function queueServicesOnPodChanges(services: Informer, pods: Informer, enqueue: (svc: Obj) => void): void {
  services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
  const podChanged = (...changed: Obj[]) => {
    for (const pod of changed) for (const svc of servicesSelecting(services.lister, pod)) enqueue(svc);
  };
  pods.addEventHandler({ onAdd: (p) => podChanged(p), onUpdate: (o, n) => podChanged(o, n), onDelete: (p) => podChanged(p) });
}

/** Go's time.RFC3339Nano in UTC (trailing zeros of the fraction dropped). */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z').replace(/\.Z$/, 'Z');
}

/** Equality of JSON values regardless of object key order (apiequality.Semantic.DeepEqual for plain JSON). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => jsonEqual(a[k], b[k]));
}
