// Per-resource rules of upstream's registry strategies (pkg/registry/<group>/<kind>/strategy.go):
// which kinds allow create-on-update, track metadata.generation, return the deleted object,
// and how create and the main/status endpoints reset fields.
import type { ResourceDef } from '../schema/types.js';
import { deepClone, isObject, jsonEqual, meta } from './object-meta.js';
import { podQOSClass } from './pod-qos.js';
import type { ApiObject } from './types.js';

const BUILTIN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io', 'admissionregistration.k8s.io',
  'apiextensions.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'node.k8s.io', 'discovery.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io',
  'certificates.k8s.io', 'apiregistration.k8s.io', 'resource.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'metrics.k8s.io',
]);

function gr(res: ResourceDef): string {
  return `${res.group}/${res.resource}`;
}

// AllowCreateOnUpdate() == true upstream; every other built-in kind (and custom resources) says false.
const CREATE_ON_UPDATE = new Set([
  '/services', '/endpoints', '/events', '/limitranges', '/serviceaccounts', 'events.k8s.io/events', 'discovery.k8s.io/endpointslices',
  'rbac.authorization.k8s.io/roles', 'rbac.authorization.k8s.io/rolebindings', 'rbac.authorization.k8s.io/clusterroles', 'rbac.authorization.k8s.io/clusterrolebindings',
  'coordination.k8s.io/leases', 'node.k8s.io/runtimeclasses', 'flowcontrol.apiserver.k8s.io/flowschemas', 'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations',
]);

// Strategies that set generation 1 on create and bump it when the spec changes.
const GENERATION = new Set([
  'apps/deployments', 'apps/replicasets', 'apps/statefulsets', 'apps/daemonsets', '/replicationcontrollers', 'batch/jobs', 'batch/cronjobs',
  'policy/poddisruptionbudgets', 'networking.k8s.io/networkpolicies', 'networking.k8s.io/ingresses', 'autoscaling/horizontalpodautoscalers',
  'apiextensions.k8s.io/customresourcedefinitions', 'admissionregistration.k8s.io/validatingwebhookconfigurations',
  'admissionregistration.k8s.io/mutatingwebhookconfigurations', 'admissionregistration.k8s.io/validatingadmissionpolicies',
  'admissionregistration.k8s.io/validatingadmissionpolicybindings', 'flowcontrol.apiserver.k8s.io/flowschemas',
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations',
]);

// Registries with ReturnDeletedObject: true answer a finished DELETE with the object, the
// others with a Status (apiserver/pkg/registry/generic/registry/store.go finalizeDelete).
const RETURNS_DELETED_OBJECT = new Set(['/pods', '/serviceaccounts', '/persistentvolumes', '/persistentvolumeclaims', '/services', '/namespaces', 'apiextensions.k8s.io/customresourcedefinitions']);

export function isCustomResource(res: ResourceDef): boolean {
  return !BUILTIN_GROUPS.has(res.group);
}

export function allowsCreateOnUpdate(res: ResourceDef): boolean {
  return CREATE_ON_UPDATE.has(gr(res));
}

export function tracksGeneration(res: ResourceDef): boolean {
  return GENERATION.has(gr(res)) || isCustomResource(res);
}

export function returnsDeletedObject(res: ResourceDef): boolean {
  return RETURNS_DELETED_OBJECT.has(gr(res));
}

export function hasStatusSubresource(res: ResourceDef): boolean {
  return res.subresources.includes('status');
}

/** Content that counts for metadata.generation: all but type, metadata and (with a status subresource) status. */
function specContent(res: ResourceDef, obj: Readonly<ApiObject>): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...obj };
  delete rest.apiVersion;
  delete rest.kind;
  delete rest.metadata;
  if (hasStatusSubresource(res)) delete rest.status;
  return rest;
}

/** PrepareForCreate: reset what clients may not set at create. */
export function prepareForCreate(res: ResourceDef, obj: ApiObject): void {
  const m = meta(obj);
  if (tracksGeneration(res)) m.generation = 1;
  else delete m.generation;
  if (!hasStatusSubresource(res)) return;
  switch (gr(res)) {
    case '/pods':
      obj.status = { phase: 'Pending', qosClass: podQOSClass(obj) };
      return;
    case '/namespaces': {
      obj.status = { phase: 'Active' };
      // namespace strategy: the "kubernetes" finalizer is required at create.
      const spec = isObject(obj.spec) ? obj.spec : (obj.spec = {});
      const fins = Array.isArray(spec.finalizers) ? spec.finalizers : [];
      if (!fins.includes('kubernetes')) spec.finalizers = [...fins, 'kubernetes'];
      return;
    }
    case '/nodes':
      // The kubelet registers its Node with status; the node strategy keeps it.
      return;
    case '/persistentvolumes':
    case '/persistentvolumeclaims':
      obj.status = { phase: 'Pending' };
      return;
    default:
      obj.status = {};
  }
}

/**
 * PrepareForUpdate of the main endpoint (status changes are ignored for kinds with a status
 * subresource) or of the status endpoint (only status changes; metadata reset as
 * metav1.ResetObjectMetaForStatus does). Returns the object to store.
 */
export function prepareForUpdate(res: ResourceDef, next: ApiObject, old: Readonly<ApiObject>, subresource: string | undefined): ApiObject {
  if (subresource === 'status') {
    const out = deepClone(old) as ApiObject;
    out.status = next.status;
    const m = meta(out);
    const nm = meta(next);
    if (nm.managedFields !== undefined) m.managedFields = nm.managedFields;
    else delete m.managedFields;
    m.resourceVersion = nm.resourceVersion;
    return out;
  }
  if (subresource === 'finalize') {
    // namespaces/finalize changes spec.finalizers only.
    const out = deepClone(old) as ApiObject;
    const spec = isObject(out.spec) ? out.spec : (out.spec = {});
    const nextSpec = isObject(next.spec) ? next.spec : {};
    spec.finalizers = Array.isArray(nextSpec.finalizers) ? nextSpec.finalizers : [];
    meta(out).resourceVersion = meta(next).resourceVersion;
    return out;
  }
  if (subresource === 'ephemeralcontainers') {
    // pods/ephemeralcontainers changes spec.ephemeralContainers only.
    const out = deepClone(old) as ApiObject;
    const spec = isObject(out.spec) ? out.spec : (out.spec = {});
    const nextSpec = isObject(next.spec) ? next.spec : {};
    if (nextSpec.ephemeralContainers === undefined) delete spec.ephemeralContainers;
    else spec.ephemeralContainers = nextSpec.ephemeralContainers;
    meta(out).resourceVersion = meta(next).resourceVersion;
    return out;
  }
  if (subresource === 'resize') {
    // pods/resize (in-place vertical scaling) changes container resources and resize policies only.
    const out = deepClone(old) as ApiObject;
    const spec = isObject(out.spec) ? out.spec : {};
    const nextSpec = isObject(next.spec) ? next.spec : {};
    const nextContainers = Array.isArray(nextSpec.containers) ? nextSpec.containers.filter(isObject) : [];
    for (const c of Array.isArray(spec.containers) ? spec.containers.filter(isObject) : []) {
      const n = nextContainers.find((x) => x.name === c.name);
      if (!n) continue;
      for (const f of ['resources', 'resizePolicy']) {
        if (n[f] === undefined) delete c[f];
        else c[f] = n[f];
      }
    }
    meta(out).resourceVersion = meta(next).resourceVersion;
    return out;
  }
  if (hasStatusSubresource(res)) {
    if (old.status === undefined) delete next.status;
    else next.status = deepClone(old.status);
  }
  if (gr(res) === '/namespaces') {
    // Namespace spec.finalizers change only through /finalize.
    const oldSpec = isObject(old.spec) ? old.spec : {};
    const spec = isObject(next.spec) ? next.spec : (next.spec = {});
    if (oldSpec.finalizers === undefined) delete spec.finalizers;
    else spec.finalizers = deepClone(oldSpec.finalizers);
  }
  return next;
}

/** Sets the new generation: the old one, +1 when spec-like content changed. */
export function updateGeneration(res: ResourceDef, next: ApiObject, old: Readonly<ApiObject>): void {
  const m = meta(next);
  const oldGen = isObject(old.metadata) ? old.metadata.generation : undefined;
  if (!tracksGeneration(res)) {
    if (oldGen === undefined) delete m.generation;
    else m.generation = oldGen;
    return;
  }
  const base = typeof oldGen === 'number' ? oldGen : 0;
  m.generation = jsonEqual(specContent(res, next), specContent(res, old)) ? base : base + 1;
}

/**
 * The fields an endpoint's strategy resets (GetResetFields), which field management leaves
 * unowned: status on the main resource of kinds with a status subresource, spec on /status.
 */
export function resetFields(res: ResourceDef, subresource: string | undefined): string[][] {
  if (!hasStatusSubresource(res)) return [];
  if (subresource === 'status') return [['spec']];
  if (subresource === undefined) return [['status']];
  return [];
}
