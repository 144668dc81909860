// The fields each resource can be selected by, as upstream's registries expose them
// (pkg/registry/<group>/<kind>/strategy.go: ToSelectableFields / GetAttrs) and as the field label
// conversion functions accept them (pkg/apis/<group>/v1/conversion.go).

type Obj = Record<string, unknown>;
// Selectors run over every object of a list or watch, so field access here avoids the
// rest-parameter path helpers used elsewhere: plain optional chaining on a loose view.
type Loose = any;

const s = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const b = (v: unknown): string => (v === true ? 'true' : 'false');
const n = (v: unknown): string => (typeof v === 'number' ? String(Math.trunc(v)) : '0');

interface Selectable {
  /** Field labels the conversion function accepts (besides what `fields` returns). */
  labels: string[];
  fields: (o: Loose) => Record<string, string>;
}

const META_NAMESPACED = (o: Loose) => ({ 'metadata.name': s(o?.metadata?.name), 'metadata.namespace': s(o?.metadata?.namespace) });
const META_CLUSTER = (o: Loose) => ({ 'metadata.name': s(o?.metadata?.name) });

const SELECTABLE: Record<string, Selectable> = {
  '/pods': {
    labels: ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
    fields: (o) => {
      const spec = o?.spec;
      const status = o?.status;
      // status.podIP is the first of status.podIPs (pod strategy's PodToSelectableFields).
      const ips = status?.podIPs;
      const firstIP = Array.isArray(ips) && ips.length > 0 ? s(ips[0]?.ip) : s(status?.podIP);
      return {
        'metadata.name': s(o?.metadata?.name),
        'metadata.namespace': s(o?.metadata?.namespace),
        'spec.nodeName': s(spec?.nodeName),
        'spec.restartPolicy': s(spec?.restartPolicy),
        'spec.schedulerName': s(spec?.schedulerName),
        'spec.serviceAccountName': s(spec?.serviceAccountName),
        'spec.hostNetwork': b(spec?.hostNetwork),
        'status.phase': s(status?.phase),
        'status.podIP': firstIP,
        'status.nominatedNodeName': s(status?.nominatedNodeName),
      };
    },
  },
  '/events': {
    labels: ['metadata.name', 'metadata.namespace', 'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
    fields: (o) => ({
      ...META_NAMESPACED(o),
      'involvedObject.kind': s(o?.involvedObject?.kind),
      'involvedObject.namespace': s(o?.involvedObject?.namespace),
      'involvedObject.name': s(o?.involvedObject?.name),
      'involvedObject.uid': s(o?.involvedObject?.uid),
      'involvedObject.apiVersion': s(o?.involvedObject?.apiVersion),
      'involvedObject.resourceVersion': s(o?.involvedObject?.resourceVersion),
      'involvedObject.fieldPath': s(o?.involvedObject?.fieldPath),
      reason: s(o?.reason),
      reportingComponent: s(o?.reportingComponent),
      // The event strategy uses source.component, or reportingComponent when that is empty.
      source: s(o?.source?.component) || s(o?.reportingComponent),
      type: s(o?.type),
    }),
  },
  '/secrets': { labels: ['metadata.name', 'metadata.namespace', 'type'], fields: (o) => ({ ...META_NAMESPACED(o), type: s(o?.type) }) },
  '/nodes': { labels: ['metadata.name', 'spec.unschedulable'], fields: (o) => ({ ...META_CLUSTER(o), 'spec.unschedulable': b(o?.spec?.unschedulable) }) },
  '/namespaces': { labels: ['metadata.name', 'status.phase'], fields: (o) => ({ ...META_CLUSTER(o), 'status.phase': s(o?.status?.phase) }) },
  '/replicationcontrollers': { labels: ['metadata.name', 'metadata.namespace', 'status.replicas'], fields: (o) => ({ ...META_NAMESPACED(o), 'status.replicas': n(o?.status?.replicas) }) },
  '/services': {
    labels: ['metadata.name', 'metadata.namespace', 'spec.clusterIP', 'spec.type'],
    fields: (o) => ({ ...META_NAMESPACED(o), 'spec.clusterIP': s(o?.spec?.clusterIP), 'spec.type': s(o?.spec?.type) }),
  },
  'apps/replicasets': { labels: ['metadata.name', 'metadata.namespace', 'status.replicas'], fields: (o) => ({ ...META_NAMESPACED(o), 'status.replicas': n(o?.status?.replicas) }) },
  'batch/jobs': { labels: ['metadata.name', 'metadata.namespace', 'status.successful'], fields: (o) => ({ ...META_NAMESPACED(o), 'status.successful': n(o?.status?.succeeded) }) },
  'certificates.k8s.io/certificatesigningrequests': {
    labels: ['metadata.name', 'spec.signerName'],
    fields: (o) => ({ ...META_CLUSTER(o), 'spec.signerName': s(o?.spec?.signerName) }),
  },
};

/** Field labels a selector may use on this resource. */
export function supportedFieldLabels(group: string, resource: string): string[] {
  return SELECTABLE[`${group}/${resource}`]?.labels ?? ['metadata.name', 'metadata.namespace'];
}

/** Whether the resource has its own field label conversion (else the metav1 default one). */
export function hasCustomFieldLabels(group: string, resource: string): boolean {
  return `${group}/${resource}` in SELECTABLE;
}

/** The field set a field selector is matched against, for one object. */
export function fieldSelectorFields(group: string, resource: string, obj: Obj): Record<string, string> {
  const s = SELECTABLE[`${group}/${resource}`];
  if (s) return s.fields(obj);
  // generic.ObjectMetaFieldsSet: metadata.namespace is there for namespaced objects; for
  // cluster-scoped ones it is absent and so matches as the empty string.
  return META_NAMESPACED(obj);
}
