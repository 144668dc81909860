// Resource requests of a pod and allocatable of a node (k8s.io/component-helpers/resource:
// PodRequests; scheduler framework Resource).
import { milliValue, parseQuantity } from '../../util/quantity.js';
import type { Container, PodSpec } from './api.js';

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const PODS = 'pods';

/** Requests for containers that set none, used for scoring only (schedutil.DefaultMilliCPURequest/DefaultMemoryRequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** framework.Resource: cpu in millicores, memory and storage in bytes, other resources as their integer value. */
export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  scalar: Map<string, number> | undefined;

  get(name: string): number {
    switch (name) {
      case CPU:
        return this.milliCPU;
      case MEMORY:
        return this.memory;
      case EPHEMERAL_STORAGE:
        return this.ephemeralStorage;
      case PODS:
        return this.allowedPodNumber;
      default:
        return this.scalar?.get(name) ?? 0;
    }
  }

  setScalar(name: string, v: number): void {
    (this.scalar ??= new Map()).set(name, v);
  }

  add(r: Resource, sign = 1): void {
    this.milliCPU += sign * r.milliCPU;
    this.memory += sign * r.memory;
    this.ephemeralStorage += sign * r.ephemeralStorage;
    this.allowedPodNumber += sign * r.allowedPodNumber;
    if (r.scalar) for (const [k, v] of r.scalar) this.setScalar(k, (this.scalar?.get(k) ?? 0) + sign * v);
  }

  /** Per resource maximum of this and r. */
  max(r: Resource): void {
    this.milliCPU = Math.max(this.milliCPU, r.milliCPU);
    this.memory = Math.max(this.memory, r.memory);
    this.ephemeralStorage = Math.max(this.ephemeralStorage, r.ephemeralStorage);
    this.allowedPodNumber = Math.max(this.allowedPodNumber, r.allowedPodNumber);
    if (r.scalar) for (const [k, v] of r.scalar) this.setScalar(k, Math.max(this.scalar?.get(k) ?? 0, v));
  }

  clone(): Resource {
    const c = new Resource();
    c.add(this);
    return c;
  }

  /** Builds a Resource from a ResourceList ({cpu: "2", memory: "4Gi", ...}); unparsable values count as 0. */
  static fromList(list: Record<string, string> | undefined): Resource {
    const r = new Resource();
    if (!list) return r;
    for (const [name, raw] of Object.entries(list)) {
      const q = parseQuantity(String(raw));
      if (!q) continue;
      switch (name) {
        case CPU:
          r.milliCPU = milliValue(q);
          break;
        case MEMORY:
          r.memory = Math.ceil(q.value);
          break;
        case EPHEMERAL_STORAGE:
          r.ephemeralStorage = Math.ceil(q.value);
          break;
        case PODS:
          r.allowedPodNumber = Math.ceil(q.value);
          break;
        default:
          r.setScalar(name, Math.ceil(q.value));
      }
    }
    return r;
  }
}

/** The requests of a container; the API server defaults requests to limits when only limits are set. */
function containerRequests(c: Container, nonZero: boolean): Resource {
  const res = c.resources ?? {};
  const list: Record<string, string> = { ...(res.limits ?? {}), ...(res.requests ?? {}) };
  const r = Resource.fromList(list);
  if (nonZero) {
    if (!(CPU in list)) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (!(MEMORY in list)) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * PodRequests: max(sum of app containers plus sidecars, each init container plus the sidecars
 * started before it), plus the pod overhead. Sidecars are init containers with restartPolicy Always.
 * With `nonZero`, containers without cpu/memory requests count the scoring defaults.
 */
export function podRequests(spec: PodSpec, nonZero = false): Resource {
  const reqs = new Resource();
  for (const c of spec.containers ?? []) reqs.add(containerRequests(c, nonZero));
  const sidecars = new Resource();
  const initMax = new Resource();
  for (const ic of spec.initContainers ?? []) {
    const r = containerRequests(ic, nonZero);
    if (ic.restartPolicy === 'Always') {
      reqs.add(r);
      sidecars.add(r);
      initMax.max(sidecars);
    } else {
      r.add(sidecars);
      initMax.max(r);
    }
  }
  reqs.max(initMax);
  if (spec.overhead) reqs.add(Resource.fromList(spec.overhead));
  return reqs;
}
