// autoscaling/v1 <-> autoscaling/v2 HorizontalPodAutoscalers (pkg/apis/autoscaling/v1/conversion.go).
// HPAs are stored in v2 form. v1 shows only the CPU utilization target; everything else v2 can
// say rides along in annotations, so a v1 read-modify-write keeps it:
//   autoscaling.alpha.kubernetes.io/metrics          other metric specs (v1 MetricSpec JSON)
//   autoscaling.alpha.kubernetes.io/current-metrics  status.currentMetrics (v1 MetricStatus JSON)
//   autoscaling.alpha.kubernetes.io/behavior         spec.behavior (v2 JSON)
//   autoscaling.alpha.kubernetes.io/conditions       status.conditions
import { deepClone, isObject } from './object-meta.js';
import type { ApiObject } from './types.js';

type Obj = Record<string, unknown>;

const METRICS = 'autoscaling.alpha.kubernetes.io/metrics';
const CURRENT_METRICS = 'autoscaling.alpha.kubernetes.io/current-metrics';
const BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior';
const CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
/** The CPU utilization target autoscaling/v1 implies when none is given. */
const DEFAULT_CPU_UTILIZATION = 80;

const obj = (v: unknown): Obj => (isObject(v) ? v : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** Copies the keys of `from` that are set, renamed, into a new object. */
function pick(from: Obj, names: Record<string, string>): Obj {
  const out: Obj = {};
  for (const [src, dst] of Object.entries(names)) if (from[src] !== undefined && from[src] !== null) out[dst] = from[src];
  return out;
}

function metricId(name: unknown, selector: unknown): Obj {
  const id: Obj = { name };
  if (selector !== undefined && selector !== null) id.selector = selector;
  return id;
}

/** The field each metric source type's details are in. */
const SOURCE_FIELDS: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource', External: 'external' };

type SourceConverters = Record<'object' | 'pods' | 'resource' | 'containerResource' | 'external', (source: Obj) => Obj>;

/** One metric spec or status converted by its type: the type kept, its source's details converted. */
function convertMetric(m: Obj, convert: SourceConverters): Obj {
  const out: Obj = { type: m.type };
  const field = typeof m.type === 'string' && Object.hasOwn(SOURCE_FIELDS, m.type) ? (SOURCE_FIELDS[m.type] as keyof SourceConverters) : undefined;
  if (field) out[field] = convert[field](obj(m[field]));
  return out;
}

/** A ContainerResource source converts as a Resource source does, naming its container too. */
function withContainer(resource: (source: Obj) => Obj): (source: Obj) => Obj {
  return (cr) => ({ name: cr.name, container: cr.container, ...resource(cr) });
}

// ---- v1 (old-style) metric specs and statuses to v2 ----

const resourceSpecV1ToV2 = (r: Obj): Obj => ({
  name: r.name,
  target: { type: r.targetAverageUtilization === undefined ? 'AverageValue' : 'Utilization', ...pick(r, { targetAverageUtilization: 'averageUtilization', targetAverageValue: 'averageValue' }) },
});

const SPEC_V1_TO_V2: SourceConverters = {
  object: (o) => ({
    describedObject: o.target,
    metric: metricId(o.metricName, o.selector),
    target: { type: o.averageValue === undefined ? 'Value' : 'AverageValue', ...pick(o, { targetValue: 'value', averageValue: 'averageValue' }) },
  }),
  pods: (p) => ({ metric: metricId(p.metricName, p.selector), target: { type: 'AverageValue', ...pick(p, { targetAverageValue: 'averageValue' }) } }),
  resource: resourceSpecV1ToV2,
  containerResource: withContainer(resourceSpecV1ToV2),
  external: (e) => ({
    metric: metricId(e.metricName, e.metricSelector),
    target: { type: e.targetAverageValue === undefined ? 'Value' : 'AverageValue', ...pick(e, { targetValue: 'value', targetAverageValue: 'averageValue' }) },
  }),
};

const resourceStatusV1ToV2 = (r: Obj): Obj => ({ name: r.name, current: pick(r, { currentAverageUtilization: 'averageUtilization', currentAverageValue: 'averageValue' }) });

const STATUS_V1_TO_V2: SourceConverters = {
  object: (o) => ({ describedObject: o.target, metric: metricId(o.metricName, o.selector), current: pick(o, { currentValue: 'value', averageValue: 'averageValue' }) }),
  pods: (p) => ({ metric: metricId(p.metricName, p.selector), current: pick(p, { currentAverageValue: 'averageValue' }) }),
  resource: resourceStatusV1ToV2,
  containerResource: withContainer(resourceStatusV1ToV2),
  external: (e) => ({ metric: metricId(e.metricName, e.metricSelector), current: pick(e, { currentValue: 'value', currentAverageValue: 'averageValue' }) }),
};

// ---- v2 metric specs and statuses to v1 (old-style) ----

const resourceSpecV2ToV1 = (r: Obj): Obj => ({ name: r.name, ...pick(obj(r.target), { averageUtilization: 'targetAverageUtilization', averageValue: 'targetAverageValue' }) });

const SPEC_V2_TO_V1: SourceConverters = {
  object: (o) => {
    const t = obj(o.target);
    const id = obj(o.metric);
    return { target: o.describedObject, metricName: id.name, targetValue: t.value ?? '0', ...pick(id, { selector: 'selector' }), ...pick(t, { averageValue: 'averageValue' }) };
  },
  pods: (p) => {
    const id = obj(p.metric);
    return { metricName: id.name, targetAverageValue: obj(p.target).averageValue ?? '0', ...pick(id, { selector: 'selector' }) };
  },
  resource: resourceSpecV2ToV1,
  containerResource: withContainer(resourceSpecV2ToV1),
  external: (e) => {
    const id = obj(e.metric);
    return { metricName: id.name, ...pick(id, { selector: 'metricSelector' }), ...pick(obj(e.target), { value: 'targetValue', averageValue: 'targetAverageValue' }) };
  },
};

const resourceStatusV2ToV1 = (r: Obj): Obj => {
  const c = obj(r.current);
  return { name: r.name, currentAverageValue: c.averageValue ?? '0', ...pick(c, { averageUtilization: 'currentAverageUtilization' }) };
};

const STATUS_V2_TO_V1: SourceConverters = {
  object: (o) => {
    const id = obj(o.metric);
    const c = obj(o.current);
    return { target: o.describedObject, metricName: id.name, currentValue: c.value ?? '0', ...pick(id, { selector: 'selector' }), ...pick(c, { averageValue: 'averageValue' }) };
  },
  pods: (p) => {
    const id = obj(p.metric);
    return { metricName: id.name, currentAverageValue: obj(p.current).averageValue ?? '0', ...pick(id, { selector: 'selector' }) };
  },
  resource: resourceStatusV2ToV1,
  containerResource: withContainer(resourceStatusV2ToV1),
  external: (e) => {
    const id = obj(e.metric);
    const c = obj(e.current);
    return { metricName: id.name, currentValue: c.value ?? '0', ...pick(id, { selector: 'metricSelector' }), ...pick(c, { averageValue: 'currentAverageValue' }) };
  },
};

/** Spec and status fields both versions carry unchanged. */
const COMMON_SPEC = { scaleTargetRef: 'scaleTargetRef', minReplicas: 'minReplicas', maxReplicas: 'maxReplicas' };
const COMMON_STATUS = { observedGeneration: 'observedGeneration', lastScaleTime: 'lastScaleTime', currentReplicas: 'currentReplicas', desiredReplicas: 'desiredReplicas' };

function isCpuUtilizationSpec(m: Obj): boolean {
  const r = obj(m.resource);
  return m.type === 'Resource' && r.name === 'cpu' && obj(r.target).averageUtilization !== undefined;
}

function parseAnnotation(annotations: Obj, key: string): unknown {
  const raw = annotations[key];
  if (typeof raw !== 'string') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** A stored (v2) HPA as autoscaling/v1 shows it. */
export function hpaV2ToV1(stored: Readonly<ApiObject>): ApiObject {
  const v2 = deepClone(stored) as Obj;
  const metadata = obj(v2.metadata);
  const annotations: Obj = { ...obj(metadata.annotations) };
  const spec = obj(v2.spec);
  const status = isObject(v2.status) ? v2.status : undefined;
  const outSpec: Obj = pick(spec, COMMON_SPEC);
  const metrics = list(spec.metrics);
  const cpu = metrics.find(isCpuUtilizationSpec);
  if (cpu) outSpec.targetCPUUtilizationPercentage = obj(obj(cpu.resource).target).averageUtilization;
  const others = metrics.filter((m) => !isCpuUtilizationSpec(m)).map((m) => convertMetric(m, SPEC_V2_TO_V1));
  if (others.length) annotations[METRICS] = JSON.stringify(others);
  if (spec.behavior !== undefined && spec.behavior !== null) annotations[BEHAVIOR] = JSON.stringify(spec.behavior);
  const out: ApiObject = { ...v2, apiVersion: 'autoscaling/v1', spec: outSpec };
  if (status) {
    const outStatus: Obj = pick(status, COMMON_STATUS);
    const current = list(status.currentMetrics);
    const cpuNow = current.find((m) => m.type === 'Resource' && obj(m.resource).name === 'cpu' && obj(obj(m.resource).current).averageUtilization !== undefined);
    if (cpuNow) outStatus.currentCPUUtilizationPercentage = obj(obj(cpuNow.resource).current).averageUtilization;
    if (current.length) annotations[CURRENT_METRICS] = JSON.stringify(current.map((m) => convertMetric(m, STATUS_V2_TO_V1)));
    if (list(status.conditions).length) annotations[CONDITIONS] = JSON.stringify(status.conditions);
    out.status = outStatus;
  }
  out.metadata = { ...metadata };
  if (Object.keys(annotations).length) (out.metadata as Obj).annotations = annotations;
  return out;
}

/** An autoscaling/v1 HPA in the stored (v2) form. */
export function hpaV1ToV2(v1in: ApiObject): ApiObject {
  const v1 = deepClone(v1in) as Obj;
  const metadata = obj(v1.metadata);
  const annotations: Obj = { ...obj(metadata.annotations) };
  const spec = obj(v1.spec);
  const outSpec: Obj = pick(spec, COMMON_SPEC);
  const metrics: Obj[] = [];
  const others = parseAnnotation(annotations, METRICS);
  if (Array.isArray(others)) {
    metrics.push(...others.filter(isObject).map((m) => convertMetric(m, SPEC_V1_TO_V2)));
    delete annotations[METRICS];
  }
  if (typeof spec.targetCPUUtilizationPercentage === 'number') {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  // v1 implied an 80% CPU target when given none; v2 states it.
  if (metrics.length === 0) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } });
  outSpec.metrics = metrics;
  const behavior = parseAnnotation(annotations, BEHAVIOR);
  if (BEHAVIOR in annotations) {
    if (isObject(behavior) && Object.keys(behavior).length) outSpec.behavior = behavior;
    delete annotations[BEHAVIOR];
  }
  const out: ApiObject = { ...v1, apiVersion: 'autoscaling/v2', spec: outSpec };
  if (isObject(v1.status)) {
    const status = v1.status;
    const outStatus: Obj = pick(status, COMMON_STATUS);
    const current = parseAnnotation(annotations, CURRENT_METRICS);
    if (Array.isArray(current)) {
      outStatus.currentMetrics = current.filter(isObject).map((m) => convertMetric(m, STATUS_V1_TO_V2));
      delete annotations[CURRENT_METRICS];
    } else if (typeof status.currentCPUUtilizationPercentage === 'number') {
      outStatus.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
    }
    const conditions = parseAnnotation(annotations, CONDITIONS);
    if (Array.isArray(conditions)) {
      outStatus.conditions = conditions;
      delete annotations[CONDITIONS];
    }
    out.status = outStatus;
  }
  out.metadata = { ...metadata };
  if (Object.keys(annotations).length) (out.metadata as Obj).annotations = annotations;
  else delete (out.metadata as Obj).annotations;
  return out;
}
