// Quota usage of objects (pkg/quota/v1: resources.go and evaluator/core pods.go, services.go,
// persistent_volume_claims.go, generic object counts): what one object charges against a
// ResourceQuota, which quota resources it can be charged to, and the arithmetic on resource lists.
// Pure (no I/O): shared by the quota controller and the quota admission plugin.
import { canonicalQuantity, parseQuantity } from './quantity.js';
import type { Quantity } from './quantity.js';

export type ResourceList = Map<string, Quantity>;
type Json = Record<string, unknown>;

const REQUESTS_PREFIX = 'requests.';
const LIMITS_PREFIX = 'limits.';
const HUGEPAGES_PREFIX = 'hugepages-';
const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';
/** The resources for which a quota forces every container to say what it needs (validationSet). */
const POD_VALIDATION_SET = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

function rec(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function arr(v: unknown): Json[] {
  return Array.isArray(v) ? v.map(rec) : [];
}

export function quantity(n: number | bigint): Quantity {
  const nanos = BigInt(n) * 1_000_000_000n;
  return { value: Number(n), nanos, format: 'DecimalSI' };
}

function withNanos(q: Quantity, nanos: bigint): Quantity {
  return { value: Number(nanos) / 1e9, nanos, format: q.format };
}

/** A resource list from JSON (a ResourceList field); values that do not parse are left out. */
export function parseResourceList(v: unknown): ResourceList {
  const out: ResourceList = new Map();
  for (const [k, raw] of Object.entries(rec(v))) {
    const q = typeof raw === 'string' || typeof raw === 'number' ? parseQuantity(String(raw)) : undefined;
    if (q) out.set(k, q);
  }
  return out;
}

/** The JSON form: canonical quantity strings. */
export function formatResourceList(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...list.keys()].sort()) out[k] = canonicalQuantity(list.get(k)!);
  return out;
}

/** quota.Add: the format of `a`'s value wins, as Quantity.Add keeps the receiver's. */
export function add(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map(a);
  for (const [k, v] of b) {
    const cur = out.get(k);
    out.set(k, cur ? withNanos(cur, cur.nanos + v.nanos) : v);
  }
  return out;
}

/** quota.SubtractWithNonNegativeResult. */
export function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map();
  for (const [k, v] of a) {
    const other = b.get(k);
    const nanos = other ? v.nanos - other.nanos : v.nanos;
    out.set(k, withNanos(v, nanos < 0n ? 0n : nanos));
  }
  return out;
}

/** quota.Mask: only the named resources. */
export function mask(list: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = new Map();
  for (const n of names) {
    const v = list.get(n);
    if (v) out.set(n, v);
  }
  return out;
}

export function isZero(list: ResourceList): boolean {
  for (const v of list.values()) if (v.nanos !== 0n) return false;
  return true;
}

/** quota.LessThanOrEqual: resources of `a` above `b` (only those `b` names). */
export function exceeded(a: ResourceList, b: ResourceList): string[] {
  const out: string[] = [];
  for (const [k, v] of a) {
    const limit = b.get(k);
    if (limit && v.nanos > limit.nanos) out.push(k);
  }
  return out.sort();
}

export function equalLists(a: ResourceList, b: ResourceList): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const o = b.get(k);
    if (!o || o.nanos !== v.nanos) return false;
  }
  return true;
}

/** prettyPrint of the quota admission messages: "a=1,b=2" sorted by name. */
export function prettyPrint(list: ResourceList): string {
  return [...list.keys()]
    .sort()
    .map((k) => `${k}=${canonicalQuantity(list.get(k)!)}`)
    .join(',');
}

// ---- what an object is charged ----

/** A resource of the API as quota names it: count/<resource> or count/<resource>.<group>. */
export interface GroupResource {
  group: string;
  resource: string;
}

export function countName(gr: GroupResource): string {
  return gr.group ? `count/${gr.resource}.${gr.group}` : `count/${gr.resource}`;
}

/** The count/* resource named in a quota, as a group and resource; undefined when not a count. */
export function parseCountName(name: string): GroupResource | undefined {
  if (!name.startsWith('count/')) return undefined;
  const rest = name.slice('count/'.length);
  const dot = rest.indexOf('.');
  return dot < 0 ? { group: '', resource: rest } : { group: rest.slice(dot + 1), resource: rest.slice(0, dot) };
}

/** Legacy object-count names of core resources (ResourcePods, ResourceServices, ...). */
const LEGACY_COUNT: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
  secrets: 'secrets',
  configmaps: 'configmaps',
  persistentvolumeclaims: 'persistentvolumeclaims',
};

function isPods(gr: GroupResource): boolean {
  return gr.group === '' && gr.resource === 'pods';
}

function isServices(gr: GroupResource): boolean {
  return gr.group === '' && gr.resource === 'services';
}

function isPVCs(gr: GroupResource): boolean {
  return gr.group === '' && gr.resource === 'persistentvolumeclaims';
}

/** Extended resources: a domain-prefixed name outside kubernetes.io (helper.IsExtendedResourceName). */
function isExtendedResource(name: string): boolean {
  if (!name.includes('/') || name.startsWith(REQUESTS_PREFIX)) return false;
  const domain = name.slice(0, name.indexOf('/'));
  return domain !== 'kubernetes.io' && !domain.endsWith('.kubernetes.io');
}

/** Whether a quota resource name can be charged by objects of `gr` (evaluator.MatchingResources). */
export function matchesResource(gr: GroupResource, name: string): boolean {
  if (name === countName(gr)) return true;
  if (gr.group === '' && LEGACY_COUNT[gr.resource] === name) return true;
  if (isPods(gr)) {
    if (['cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage'].includes(name)) return true;
    if (name.startsWith(HUGEPAGES_PREFIX) || name.startsWith(`${REQUESTS_PREFIX}${HUGEPAGES_PREFIX}`)) return true;
    return name.startsWith(REQUESTS_PREFIX) && isExtendedResource(name.slice(REQUESTS_PREFIX.length));
  }
  if (isServices(gr)) return name === 'services.nodeports' || name === 'services.loadbalancers';
  if (isPVCs(gr)) return name === 'requests.storage' || (name.includes(STORAGE_CLASS_SUFFIX) && (name.endsWith('/requests.storage') || name.endsWith('/persistentvolumeclaims')));
  return false;
}

/** Upstream's Handles(a): which operations are charged. */
export function chargedOn(gr: GroupResource, operation: string, subresource: string | undefined): boolean {
  if (subresource) return false;
  if (isServices(gr) || isPVCs(gr)) return operation === 'CREATE' || operation === 'UPDATE';
  return operation === 'CREATE';
}

function containerRequests(c: Json): ResourceList {
  return parseResourceList(rec(c.resources).requests);
}

function containerLimits(c: Json): ResourceList {
  return parseResourceList(rec(c.resources).limits);
}

function maxLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map(a);
  for (const [k, v] of b) {
    const cur = out.get(k);
    if (!cur || v.nanos > cur.nanos) out.set(k, v);
  }
  return out;
}

/**
 * resourcehelper.PodRequests / PodLimits: the sum over containers and restartable init
 * containers (sidecars), or the largest need of an init container (with the sidecars started
 * before it), whichever is larger per resource; plus the pod overhead.
 */
function podTotals(pod: Json, of: (c: Json) => ResourceList): ResourceList {
  const spec = rec(pod.spec);
  let sum: ResourceList = new Map();
  for (const c of arr(spec.containers)) sum = add(sum, of(c));
  let sidecars: ResourceList = new Map();
  let initMax: ResourceList = new Map();
  for (const c of arr(spec.initContainers)) {
    if (c.restartPolicy === 'Always') {
      sidecars = add(sidecars, of(c));
      initMax = maxLists(initMax, sidecars);
    } else initMax = maxLists(initMax, add(of(c), sidecars));
  }
  let total = maxLists(add(sum, sidecars), initMax);
  const overhead = parseResourceList(spec.overhead);
  if (overhead.size) total = add(total, overhead);
  return total;
}

/** QuotaV1Pod: terminal pods and pods past their deletion grace period are not charged compute. */
export function podChargesCompute(pod: Json, now: number): boolean {
  const phase = rec(pod.status).phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const meta = rec(pod.metadata);
  if (typeof meta.deletionTimestamp === 'string' && typeof meta.deletionGracePeriodSeconds === 'number') {
    if (now > Date.parse(meta.deletionTimestamp) + meta.deletionGracePeriodSeconds * 1000) return false;
  }
  return true;
}

/** podComputeUsageHelper. */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = new Map([['pods', quantity(1)]]);
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = requests.get(r);
    if (req) {
      out.set(r, req);
      out.set(REQUESTS_PREFIX + r, req);
    }
    const lim = limits.get(r);
    if (lim) out.set(LIMITS_PREFIX + r, lim);
  }
  for (const [r, v] of requests) {
    if (r.startsWith(HUGEPAGES_PREFIX)) {
      out.set(r, v);
      out.set(REQUESTS_PREFIX + r, v);
    }
    if (isExtendedResource(r)) out.set(REQUESTS_PREFIX + r, v);
  }
  return out;
}

function podUsage(pod: Json, now: number): ResourceList {
  // Object count quotas track every pod in storage, whatever its state.
  const out: ResourceList = new Map([['count/pods', quantity(1)]]);
  if (!podChargesCompute(pod, now)) return out;
  return add(out, computeUsage(podTotals(pod, containerRequests), podTotals(pod, containerLimits)));
}

function serviceUsage(svc: Json): ResourceList {
  const out: ResourceList = new Map([
    ['count/services', quantity(1)],
    ['services', quantity(1)],
  ]);
  const spec = rec(svc.spec);
  const ports = arr(spec.ports);
  if (spec.type === 'NodePort') out.set('services.nodeports', quantity(ports.length));
  if (spec.type === 'LoadBalancer') {
    // With allocateLoadBalancerNodePorts false, only ports that still have a node port count.
    const n = spec.allocateLoadBalancerNodePorts === false ? ports.filter((p) => typeof p.nodePort === 'number' && p.nodePort !== 0).length : ports.length;
    out.set('services.nodeports', quantity(n));
    out.set('services.loadbalancers', quantity(1));
  }
  return out;
}

function pvcUsage(pvc: Json): ResourceList {
  const out: ResourceList = new Map([
    ['count/persistentvolumeclaims', quantity(1)],
    ['persistentvolumeclaims', quantity(1)],
  ]);
  const spec = rec(pvc.spec);
  const storage = parseResourceList(rec(spec.resources).requests).get('storage');
  const sc = typeof spec.storageClassName === 'string' ? spec.storageClassName : '';
  if (sc) out.set(`${sc}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, quantity(1));
  if (storage) {
    out.set('requests.storage', storage);
    if (sc) out.set(`${sc}${STORAGE_CLASS_SUFFIX}requests.storage`, storage);
  }
  return out;
}

/** Everything one object of `gr` charges (evaluator.Usage). */
export function usageOf(gr: GroupResource, obj: Json, now: number): ResourceList {
  if (isPods(gr)) return podUsage(obj, now);
  if (isServices(gr)) return serviceUsage(obj);
  if (isPVCs(gr)) return pvcUsage(obj);
  const out: ResourceList = new Map([[countName(gr), quantity(1)]]);
  const legacy = gr.group === '' ? LEGACY_COUNT[gr.resource] : undefined;
  if (legacy) out.set(legacy, quantity(1));
  return out;
}

// ---- scopes ----

interface ScopeRequirement {
  scopeName: string;
  operator: string;
  values: string[];
}

/** spec.scopes and spec.scopeSelector of a quota as requirements (getScopeSelectorsFromQuota). */
export function quotaScopes(quota: Json): ScopeRequirement[] {
  const spec = rec(quota.spec);
  const out: ScopeRequirement[] = [];
  if (Array.isArray(spec.scopes)) for (const s of spec.scopes) if (typeof s === 'string') out.push({ scopeName: s, operator: 'Exists', values: [] });
  for (const e of arr(rec(spec.scopeSelector).matchExpressions)) {
    out.push({ scopeName: String(e.scopeName ?? ''), operator: String(e.operator ?? ''), values: Array.isArray(e.values) ? e.values.map(String) : [] });
  }
  return out;
}

function isBestEffort(pod: Json): boolean {
  const spec = rec(pod.spec);
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
    if (containerRequests(c).size || containerLimits(c).size) return false;
  }
  return true;
}

function podMatchesScope(pod: Json, r: ScopeRequirement): boolean {
  const spec = rec(pod.spec);
  switch (r.scopeName) {
    case 'Terminating':
      return typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds >= 0;
    case 'NotTerminating':
      return !(typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds >= 0);
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'PriorityClass': {
      const pc = typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '';
      switch (r.operator) {
        case 'Exists':
          return pc !== '';
        case 'DoesNotExist':
          return pc === '';
        case 'In':
          return r.values.includes(pc);
        case 'NotIn':
          return !r.values.includes(pc);
        default:
          return false;
      }
    }
    case 'CrossNamespacePodAffinity': {
      const affinity = rec(spec.affinity);
      const crossNs = [rec(affinity.podAffinity), rec(affinity.podAntiAffinity)].some((a) =>
        [...arr(a.requiredDuringSchedulingIgnoredDuringExecution), ...arr(a.preferredDuringSchedulingIgnoredDuringExecution).map((w) => rec(w.podAffinityTerm))].some(
          (t) => (Array.isArray(t.namespaces) && t.namespaces.length > 0) || t.namespaceSelector !== undefined,
        ),
      );
      return crossNs;
    }
    default:
      return false;
  }
}

/**
 * Whether `obj` is charged to a quota with these scopes: quotas without scopes take everything;
 * scoped quotas take only pods matching every scope.
 */
export function matchesScopes(gr: GroupResource, obj: Json, scopes: ScopeRequirement[]): boolean {
  if (scopes.length === 0) return true;
  if (!isPods(gr)) return false;
  return scopes.every((s) => podMatchesScope(obj, s));
}

/** The quota resources a scoped quota can charge pods with (BestEffort pods only count). */
export function scopeAllowsResource(scopes: ScopeRequirement[], name: string): boolean {
  if (scopes.some((s) => s.scopeName === 'BestEffort')) return name === 'pods' || name === 'count/pods';
  return true;
}

// ---- pod constraints ----

/**
 * podEvaluator.Constraints: when a quota tracks cpu or memory, every container must state it.
 * Returns "must specify limits.cpu for: app; requests.cpu for: app" or undefined.
 */
export function podConstraintError(pod: Json, restricted: string[]): string | undefined {
  const required = restricted.filter((r) => POD_VALIDATION_SET.includes(r));
  if (required.length === 0) return undefined;
  const missing = new Map<string, Set<string>>();
  const spec = rec(pod.spec);
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
    const usage = computeUsage(containerRequests(c), containerLimits(c));
    for (const r of required) {
      if (usage.has(r)) continue;
      let names = missing.get(r);
      if (!names) missing.set(r, (names = new Set()));
      names.add(String(c.name ?? ''));
    }
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}
