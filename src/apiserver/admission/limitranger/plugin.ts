// LimitRanger admission (plugin/pkg/admission/limitranger/admission.go), over every LimitRange of
// the namespace, in turn:
// - admit (pods, on create): containers without a request or limit get the LimitRange's
//   Container defaultRequest / default, recorded in the annotation
//   kubernetes.io/limit-ranger: "LimitRanger plugin set: cpu, memory request for container app; ...";
// - validate (pods on create, PersistentVolumeClaims on create and update): min, max and
//   maxLimitRequestRatio per Container and per Pod, min and max storage per PersistentVolumeClaim,
//   rejected with 403 and upstream's messages ("maximum cpu usage per Container is 1, but limit
//   is 2"), several joined as an aggregate "[a, b]"; the first LimitRange that fails decides.
import { forbidden } from '../../../api/status.js';
import { canonicalQuantity, parseQuantity } from '../../../util/quantity.js';
import type { Quantity } from '../../../util/quantity.js';
import type { AdmissionAttributes, AdmissionLookup, AdmissionObject, AdmissionPlugin } from '../types.js';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';
type Json = Record<string, unknown>;
type ResourceList = Map<string, Quantity>;

/** resource.MaxMilliValue: values above it are compared whole, not in milli-units. */
const MAX_MILLI_VALUE = 9223372036854775807n / 1000n;

function rec(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function arr(v: unknown): Json[] {
  return Array.isArray(v) ? v.map(rec) : [];
}

function list(v: unknown): ResourceList {
  const out: ResourceList = new Map();
  for (const [k, raw] of Object.entries(rec(v))) {
    const q = typeof raw === 'string' || typeof raw === 'number' ? parseQuantity(String(raw)) : undefined;
    if (q) out.set(k, q);
  }
  return out;
}

function sortedEntries(l: ResourceList): [string, Quantity][] {
  return [...l.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function ceilDiv(a: bigint, b: bigint): bigint {
  if (a <= 0n) return a / b;
  return (a + b - 1n) / b;
}

const str = (q: Quantity) => canonicalQuantity(q);

/** requestLimitEnforcedValues: milli-values when none overflows, whole values otherwise. */
function enforcedValues(req: Quantity | undefined, lim: Quantity | undefined, enforced: Quantity): [bigint, bigint, bigint] {
  const whole = (q: Quantity | undefined) => (q ? ceilDiv(q.nanos, 1_000_000_000n) : 0n);
  const milli = (q: Quantity | undefined) => (q ? ceilDiv(q.nanos, 1_000_000n) : 0n);
  const [r, l, e] = [whole(req), whole(lim), whole(enforced)];
  if (r <= MAX_MILLI_VALUE && l <= MAX_MILLI_VALUE && e <= MAX_MILLI_VALUE) return [milli(req), milli(lim), milli(enforced)];
  return [r, l, e];
}

function minConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l, e] = enforcedValues(req, lim, enforced);
  if (!req) return `minimum ${name} usage per ${type} is ${str(enforced)}.  No request is specified`;
  if (r < e) return `minimum ${name} usage per ${type} is ${str(enforced)}, but request is ${str(req)}`;
  if (lim && l < e) return `minimum ${name} usage per ${type} is ${str(enforced)}, but limit is ${str(lim)}`;
  return undefined;
}

function maxRequestConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList): string | undefined {
  const req = requests.get(name);
  const [r, , e] = enforcedValues(req, undefined, enforced);
  if (!req) return `maximum ${name} usage per ${type} is ${str(enforced)}.  No request is specified`;
  if (r > e) return `maximum ${name} usage per ${type} is ${str(enforced)}, but request is ${str(req)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l, e] = enforcedValues(req, lim, enforced);
  if (!lim) return `maximum ${name} usage per ${type} is ${str(enforced)}.  No limit is specified`;
  if (l > e) return `maximum ${name} usage per ${type} is ${str(enforced)}, but limit is ${str(lim)}`;
  if (req && r > e) return `maximum ${name} usage per ${type} is ${str(enforced)}, but request is ${str(req)}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l] = enforcedValues(req, lim, enforced);
  if (!req || r === 0n) return `${name} max limit to request ratio per ${type} is ${str(enforced)}, but no request is specified or request is 0`;
  if (!lim || l === 0n) return `${name} max limit to request ratio per ${type} is ${str(enforced)}, but no limit is specified or limit is 0`;
  const observed = Number(l) / Number(r);
  const enforcedWhole = ceilDiv(enforced.nanos, 1_000_000_000n);
  let ratio = observed;
  let max = Number(enforcedWhole);
  if (enforcedWhole <= MAX_MILLI_VALUE) {
    ratio = observed * 1000;
    max = Number(ceilDiv(enforced.nanos, 1_000_000n));
  }
  if (ratio > max) return `${name} max limit to request ratio per ${type} is ${str(enforced)}, but provided ratio is ${observed.toFixed(6)}`;
  return undefined;
}

/** utilerrors.NewAggregate(...).Error(): one message, or the distinct ones as "[a, b]". */
function aggregate(errs: string[]): string | undefined {
  const distinct = [...new Set(errs)];
  if (distinct.length === 0) return undefined;
  return distinct.length === 1 ? distinct[0] : `[${distinct.join(', ')}]`;
}

function resources(c: Json): { requests: ResourceList; limits: ResourceList } {
  const r = rec(c.resources);
  return { requests: list(r.requests), limits: list(r.limits) };
}

function addTo(total: ResourceList, l: ResourceList): void {
  for (const [k, v] of l) {
    const cur = total.get(k);
    total.set(k, cur ? { ...cur, nanos: cur.nanos + v.nanos, value: Number(cur.nanos + v.nanos) / 1e9 } : v);
  }
}

function maxInto(total: ResourceList, l: ResourceList): void {
  for (const [k, v] of l) {
    const cur = total.get(k);
    if (!cur || v.nanos > cur.nanos) total.set(k, v);
  }
}

/** The pod's requests or limits: its containers and sidecars summed, or the largest init container's. */
function podTotal(pod: Json, which: 'requests' | 'limits'): ResourceList {
  const spec = rec(pod.spec);
  const total: ResourceList = new Map();
  for (const c of arr(spec.containers)) addTo(total, resources(c)[which]);
  const sidecars: ResourceList = new Map();
  for (const c of arr(spec.initContainers)) if (c.restartPolicy === 'Always') addTo(sidecars, resources(c)[which]);
  addTo(total, sidecars);
  for (const c of arr(spec.initContainers)) if (c.restartPolicy !== 'Always') maxInto(total, resources(c)[which]);
  return total;
}

function limitItems(lr: AdmissionObject): Json[] {
  return arr(rec(lr.spec).limits);
}

/** PodValidateLimitFunc. */
export function validatePod(lr: AdmissionObject, pod: Json): string | undefined {
  const errs: string[] = [];
  const spec = rec(pod.spec);
  for (const item of limitItems(lr)) {
    const type = String(item.type ?? '');
    if (type === 'Container') {
      for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
        const { requests, limits } = resources(c);
        for (const [k, v] of sortedEntries(list(item.min))) push(errs, minConstraint(type, k, v, requests, limits));
        for (const [k, v] of sortedEntries(list(item.max))) push(errs, maxConstraint(type, k, v, requests, limits));
        for (const [k, v] of sortedEntries(list(item.maxLimitRequestRatio))) push(errs, ratioConstraint(type, k, v, requests, limits));
      }
    }
    if (type === 'Pod') {
      const requests = podTotal(pod, 'requests');
      const limits = podTotal(pod, 'limits');
      for (const [k, v] of sortedEntries(list(item.min))) push(errs, minConstraint(type, k, v, requests, limits));
      for (const [k, v] of sortedEntries(list(item.max))) push(errs, maxConstraint(type, k, v, requests, limits));
      for (const [k, v] of sortedEntries(list(item.maxLimitRequestRatio))) push(errs, ratioConstraint(type, k, v, requests, limits));
    }
  }
  return aggregate(errs);
}

/** PersistentVolumeClaimValidateLimitFunc: min and max against what the claim requests. */
export function validatePVC(lr: AdmissionObject, pvc: Json): string | undefined {
  const errs: string[] = [];
  const requests = list(rec(rec(pvc.spec).resources).requests);
  for (const item of limitItems(lr)) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [k, v] of sortedEntries(list(item.min))) push(errs, minConstraint('PersistentVolumeClaim', k, v, requests, new Map()));
    for (const [k, v] of sortedEntries(list(item.max))) push(errs, maxRequestConstraint('PersistentVolumeClaim', k, v, requests));
  }
  return aggregate(errs);
}

function push(errs: string[], e: string | undefined): void {
  if (e) errs.push(e);
}

/** defaultContainerResourceRequirements: the Container items' defaultRequest and default, later items winning. */
function containerDefaults(lr: AdmissionObject): { requests: Json; limits: Json } {
  const requests: Json = {};
  const limits: Json = {};
  for (const item of limitItems(lr)) {
    if (item.type !== 'Container') continue;
    Object.assign(requests, rec(item.defaultRequest));
    Object.assign(limits, rec(item.default));
  }
  return { requests, limits };
}

/** mergePodResourceRequirements: fills what containers leave out and notes it in the annotation. */
export function mutatePod(lr: AdmissionObject, pod: Json): void {
  const defaults = containerDefaults(lr);
  if (Object.keys(defaults.requests).length === 0 && Object.keys(defaults.limits).length === 0) return;
  const notes: string[] = [];
  const spec = rec(pod.spec);
  const merge = (c: Json, prefix: string) => {
    const res = (c.resources && typeof c.resources === 'object' ? c.resources : (c.resources = {})) as Json;
    const limits = (res.limits && typeof res.limits === 'object' ? res.limits : (res.limits = {})) as Json;
    const requests = (res.requests && typeof res.requests === 'object' ? res.requests : (res.requests = {})) as Json;
    const setLimits: string[] = [];
    const setRequests: string[] = [];
    for (const [k, v] of Object.entries(defaults.limits)) {
      if (k in limits) continue;
      limits[k] = v;
      setLimits.push(k);
    }
    for (const [k, v] of Object.entries(defaults.requests)) {
      if (k in requests) continue;
      requests[k] = v;
      setRequests.push(k);
    }
    if (Object.keys(limits).length === 0) delete res.limits;
    if (Object.keys(requests).length === 0) delete res.requests;
    if (setRequests.length) notes.push(`${setRequests.sort().join(', ')} request for ${prefix} ${String(c.name ?? '')}`);
    if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${prefix} ${String(c.name ?? '')}`);
  };
  for (const c of arr(spec.containers)) merge(c, 'container');
  for (const c of arr(spec.initContainers)) merge(c, 'init container');
  if (notes.length === 0) return;
  const meta = (pod.metadata && typeof pod.metadata === 'object' ? pod.metadata : (pod.metadata = {})) as Json;
  const ann = (meta.annotations && typeof meta.annotations === 'object' ? meta.annotations : (meta.annotations = {})) as Json;
  ann[LIMIT_RANGER_ANNOTATION] = `LimitRanger plugin set: ${notes.join('; ')}`;
}

function isPods(attrs: AdmissionAttributes): boolean {
  return attrs.resource.group === '' && attrs.resource.resource === 'pods';
}

function isPVCs(attrs: AdmissionAttributes): boolean {
  return attrs.resource.group === '' && attrs.resource.resource === 'persistentvolumeclaims';
}

/** SupportsAttributes: pods on create (their containers cannot change later), claims on create and update. */
function supports(attrs: AdmissionAttributes): boolean {
  if (attrs.subresource || !attrs.namespace || !attrs.object) return false;
  if (isPods(attrs)) return attrs.operation === 'CREATE';
  return isPVCs(attrs) && (attrs.operation === 'CREATE' || attrs.operation === 'UPDATE');
}

export class LimitRanger implements AdmissionPlugin {
  readonly name = 'LimitRanger';

  private async limitRanges(attrs: AdmissionAttributes, lookup: AdmissionLookup): Promise<AdmissionObject[]> {
    const items = await lookup.list('', 'v1', 'limitranges', attrs.namespace);
    return [...items].sort((a, b) => String(rec(a.metadata).name).localeCompare(String(rec(b.metadata).name)));
  }

  async admit(attrs: AdmissionAttributes, lookup: AdmissionLookup): Promise<void> {
    if (!supports(attrs) || !isPods(attrs)) return;
    for (const lr of await this.limitRanges(attrs, lookup)) mutatePod(lr, attrs.object!);
  }

  async validate(attrs: AdmissionAttributes, lookup: AdmissionLookup): Promise<void> {
    if (!supports(attrs)) return;
    for (const lr of await this.limitRanges(attrs, lookup)) {
      const err = isPods(attrs) ? validatePod(lr, attrs.object!) : validatePVC(lr, attrs.object!);
      if (err) throw forbidden(attrs.resource.group, attrs.resource.resource, attrs.name, err);
    }
  }
}
