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

// ---- v1 (old-style) metric specs and statuses to v2 ----

function specV1ToV2(m: Obj): Obj {
  const out: Obj = { type: m.type };
  const o = obj(m.object);
  const p = obj(m.pods);
  const r = obj(m.resource);
  const cr = obj(m.containerResource);
  const e = obj(m.external);
  switch (m.type) {
    case 'Object':
      out.object = {
        describedObject: o.target,
        metric: metricId(o.metricName, o.selector),
        target: { type: o.averageValue === undefined ? 'Value' : 'AverageValue', ...pick(o, { targetValue: 'value', averageValue: 'averageValue' }) },
      };
      break;
    case 'Pods':
      out.pods = { metric: metricId(p.metricName, p.selector), target: { type: 'AverageValue', ...pick(p, { targetAverageValue: 'averageValue' }) } };
      break;
    case 'Resource':
      out.resource = { name: r.name, target: { type: r.targetAverageUtilization === undefined ? 'AverageValue' : 'Utilization', ...pick(r, { targetAverageUtilization: 'averageUtilization', targetAverageValue: 'averageValue' }) } };
      break;
    case 'ContainerResource':
      out.containerResource = {
        name: cr.name,
        container: cr.container,
        target: { type: cr.targetAverageUtilization === undefined ? 'AverageValue' : 'Utilization', ...pick(cr, { targetAverageUtilization: 'averageUtilization', targetAverageValue: 'averageValue' }) },
      };
      break;
    case 'External':
      out.external = {
        metric: metricId(e.metricName, e.metricSelector),
        target: { type: e.targetAverageValue === undefined ? 'Value' : 'AverageValue', ...pick(e, { targetValue: 'value', targetAverageValue: 'averageValue' }) },
      };
      break;
  }
  return out;
}

function statusV1ToV2(m: Obj): Obj {
  const out: Obj = { type: m.type };
  const o = obj(m.object);
  const p = obj(m.pods);
  const r = obj(m.resource);
  const cr = obj(m.containerResource);
  const e = obj(m.external);
  switch (m.type) {
    case 'Object':
      out.object = { describedObject: o.target, metric: metricId(o.metricName, o.selector), current: pick(o, { currentValue: 'value', averageValue: 'averageValue' }) };
      break;
    case 'Pods':
      out.pods = { metric: metricId(p.metricName, p.selector), current: pick(p, { currentAverageValue: 'averageValue' }) };
      break;
    case 'Resource':
      out.resource = { name: r.name, current: pick(r, { currentAverageUtilization: 'averageUtilization', currentAverageValue: 'averageValue' }) };
      break;
    case 'ContainerResource':
      out.containerResource = { name: cr.name, container: cr.container, current: pick(cr, { currentAverageUtilization: 'averageUtilization', currentAverageValue: 'averageValue' }) };
      break;
    case 'External':
      out.external = { metric: metricId(e.metricName, e.metricSelector), current: pick(e, { currentValue: 'value', currentAverageValue: 'averageValue' }) };
      break;
  }
  return out;
}

// ---- v2 metric specs and statuses to v1 (old-style) ----

function specV2ToV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  const o = obj(m.object);
  const p = obj(m.pods);
  const r = obj(m.resource);
  const cr = obj(m.containerResource);
  const e = obj(m.external);
  switch (m.type) {
    case 'Object': {
      const t = obj(o.target);
      const id = obj(o.metric);
      out.object = { target: o.describedObject, metricName: id.name, targetValue: t.value ?? '0', ...pick(id, { selector: 'selector' }), ...pick(t, { averageValue: 'averageValue' }) };
      break;
    }
    case 'Pods': {
      const id = obj(p.metric);
      out.pods = { metricName: id.name, targetAverageValue: obj(p.target).averageValue ?? '0', ...pick(id, { selector: 'selector' }) };
      break;
    }
    case 'Resource':
      out.resource = { name: r.name, ...pick(obj(r.target), { averageUtilization: 'targetAverageUtilization', averageValue: 'targetAverageValue' }) };
      break;
    case 'ContainerResource':
      out.containerResource = { name: cr.name, container: cr.container, ...pick(obj(cr.target), { averageUtilization: 'targetAverageUtilization', averageValue: 'targetAverageValue' }) };
      break;
    case 'External': {
      const id = obj(e.metric);
      out.external = { metricName: id.name, ...pick(id, { selector: 'metricSelector' }), ...pick(obj(e.target), { value: 'targetValue', averageValue: 'targetAverageValue' }) };
      break;
    }
  }
  return out;
}

function statusV2ToV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  const o = obj(m.object);
  const p = obj(m.pods);
  const r = obj(m.resource);
  const cr = obj(m.containerResource);
  const e = obj(m.external);
  switch (m.type) {
    case 'Object': {
      const id = obj(o.metric);
      const c = obj(o.current);
      out.object = { target: o.describedObject, metricName: id.name, currentValue: c.value ?? '0', ...pick(id, { selector: 'selector' }), ...pick(c, { averageValue: 'averageValue' }) };
      break;
    }
    case 'Pods': {
      const id = obj(p.metric);
      out.pods = { metricName: id.name, currentAverageValue: obj(p.current).averageValue ?? '0', ...pick(id, { selector: 'selector' }) };
      break;
    }
    case 'Resource': {
      const c = obj(r.current);
      out.resource = { name: r.name, currentAverageValue: c.averageValue ?? '0', ...pick(c, { averageUtilization: 'currentAverageUtilization' }) };
      break;
    }
    case 'ContainerResource': {
      const c = obj(cr.current);
      out.containerResource = { name: cr.name, container: cr.container, currentAverageValue: c.averageValue ?? '0', ...pick(c, { averageUtilization: 'currentAverageUtilization' }) };
      break;
    }
    case 'External': {
      const id = obj(e.metric);
      const c = obj(e.current);
      out.external = { metricName: id.name, currentValue: c.value ?? '0', ...pick(id, { selector: 'metricSelector' }), ...pick(c, { averageValue: 'currentAverageValue' }) };
      break;
    }
  }
  return out;
}

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
  const outSpec: Obj = pick(spec, { scaleTargetRef: 'scaleTargetRef', minReplicas: 'minReplicas', maxReplicas: 'maxReplicas' });
  const metrics = list(spec.metrics);
  const cpu = metrics.find(isCpuUtilizationSpec);
  if (cpu) outSpec.targetCPUUtilizationPercentage = obj(obj(cpu.resource).target).averageUtilization;
  const others = metrics.filter((m) => !isCpuUtilizationSpec(m)).map(specV2ToV1);
  if (others.length) annotations[METRICS] = JSON.stringify(others);
  if (spec.behavior !== undefined && spec.behavior !== null) annotations[BEHAVIOR] = JSON.stringify(spec.behavior);
  const out: ApiObject = { ...v2, apiVersion: 'autoscaling/v1', spec: outSpec };
  if (status) {
    const outStatus: Obj = pick(status, { observedGeneration: 'observedGeneration', lastScaleTime: 'lastScaleTime', currentReplicas: 'currentReplicas', desiredReplicas: 'desiredReplicas' });
    const current = list(status.currentMetrics);
    const cpuNow = current.find((m) => m.type === 'Resource' && obj(m.resource).name === 'cpu' && obj(obj(m.resource).current).averageUtilization !== undefined);
    if (cpuNow) outStatus.currentCPUUtilizationPercentage = obj(obj(cpuNow.resource).current).averageUtilization;
    if (current.length) annotations[CURRENT_METRICS] = JSON.stringify(current.map(statusV2ToV1));
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
  const outSpec: Obj = pick(spec, { scaleTargetRef: 'scaleTargetRef', minReplicas: 'minReplicas', maxReplicas: 'maxReplicas' });
  const metrics: Obj[] = [];
  const others = parseAnnotation(annotations, METRICS);
  if (Array.isArray(others)) {
    metrics.push(...others.filter(isObject).map(specV1ToV2));
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
    const outStatus: Obj = pick(status, { observedGeneration: 'observedGeneration', lastScaleTime: 'lastScaleTime', currentReplicas: 'currentReplicas', desiredReplicas: 'desiredReplicas' });
    const current = parseAnnotation(annotations, CURRENT_METRICS);
    if (Array.isArray(current)) {
      outStatus.currentMetrics = current.filter(isObject).map(statusV1ToV2);
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
