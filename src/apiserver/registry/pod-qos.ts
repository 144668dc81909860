// The pod's QoS class as upstream computes it at create (pkg/apis/core/helper/qos.GetPodQOS):
// BestEffort without any cpu/memory request or limit; Guaranteed when every container limits
// cpu and memory and requests equal limits; Burstable otherwise. Pod-level resources count first.
import { isObject } from './object-meta.js';

const COMPUTE = ['cpu', 'memory'];

function quantities(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, q] of Object.entries(v)) if (COMPUTE.includes(k) && q !== undefined && q !== null) out[k] = String(q);
  return out;
}

function isZero(q: string): boolean {
  return /^[+]?0*(\.0*)?([a-zA-Z]+|[eE][+-]?\d+)?$/.test(q.trim());
}

export function podQOSClass(pod: Record<string, unknown>): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const podResources = isObject(spec.resources) ? spec.resources : undefined;
  const containers = [...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers : [])].filter(isObject);
  const sets = podResources ? [podResources] : containers.map((c) => (isObject(c.resources) ? c.resources : {}));
  let any = false;
  let guaranteed = true;
  for (const r of sets) {
    const req = quantities(r.requests);
    const lim = quantities(r.limits);
    const nonZeroReq = Object.entries(req).filter(([, q]) => !isZero(q));
    const nonZeroLim = Object.entries(lim).filter(([, q]) => !isZero(q));
    if (nonZeroReq.length || nonZeroLim.length) any = true;
    if (!COMPUTE.every((k) => lim[k] !== undefined && !isZero(lim[k]))) guaranteed = false;
    // A missing request defaults to the limit; an explicit different request breaks Guaranteed.
    for (const [k, q] of Object.entries(req)) if (lim[k] !== undefined && lim[k] !== q) guaranteed = false;
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
