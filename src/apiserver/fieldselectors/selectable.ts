// The fields each resource can be selected by, as upstream's registries expose them
// (pkg/registry/<group>/<kind>/strategy.go: ToSelectableFields / GetAttrs) and as the field label
// conversion functions accept them (pkg/apis/<group>/v1/conversion.go).

type Obj = Record<string, unknown>;

function get(obj: Obj, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Obj)[p];
  }
  return cur;
}
const str = (obj: Obj, ...path: string[]): string => {
  const v = get(obj, ...path);
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
};
const bool = (obj: Obj, ...path: string[]): string => String(get(obj, ...path) === true);
const int = (obj: Obj, ...path: string[]): string => {
  const v = get(obj, ...path);
  return typeof v === 'number' ? String(Math.trunc(v)) : '0';
};

interface Selectable {
  /** Field labels the conversion function accepts (besides what `fields` returns). */
  labels: string[];
  fields: (o: Obj) => Record<string, string>;
}

const META_NAMESPACED = (o: Obj) => ({ 'metadata.name': str(o, 'metadata', 'name'), 'metadata.namespace': str(o, 'metadata', 'namespace') });
const META_CLUSTER = (o: Obj) => ({ 'metadata.name': str(o, 'metadata', 'name') });

const SELECTABLE: Record<string, Selectable> = {
  '/pods': {
    labels: ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
    fields: (o) => {
      // status.podIP is the first of status.podIPs (pod strategy's PodToSelectableFields).
      const ips = get(o, 'status', 'podIPs');
      const firstIP = Array.isArray(ips) && ips.length > 0 ? str(ips[0] as Obj, 'ip') : str(o, 'status', 'podIP');
      return {
        ...META_NAMESPACED(o),
        'spec.nodeName': str(o, 'spec', 'nodeName'),
        'spec.restartPolicy': str(o, 'spec', 'restartPolicy'),
        'spec.schedulerName': str(o, 'spec', 'schedulerName'),
        'spec.serviceAccountName': str(o, 'spec', 'serviceAccountName'),
        'spec.hostNetwork': bool(o, 'spec', 'hostNetwork'),
        'status.phase': str(o, 'status', 'phase'),
        'status.podIP': firstIP,
        'status.nominatedNodeName': str(o, 'status', 'nominatedNodeName'),
      };
    },
  },
  '/events': {
    labels: ['metadata.name', 'metadata.namespace', 'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
    fields: (o) => ({
      ...META_NAMESPACED(o),
      'involvedObject.kind': str(o, 'involvedObject', 'kind'),
      'involvedObject.namespace': str(o, 'involvedObject', 'namespace'),
      'involvedObject.name': str(o, 'involvedObject', 'name'),
      'involvedObject.uid': str(o, 'involvedObject', 'uid'),
      'involvedObject.apiVersion': str(o, 'involvedObject', 'apiVersion'),
      'involvedObject.resourceVersion': str(o, 'involvedObject', 'resourceVersion'),
      'involvedObject.fieldPath': str(o, 'involvedObject', 'fieldPath'),
      reason: str(o, 'reason'),
      reportingComponent: str(o, 'reportingComponent'),
      // The event strategy uses source.component, or reportingComponent when that is empty.
      source: str(o, 'source', 'component') || str(o, 'reportingComponent'),
      type: str(o, 'type'),
    }),
  },
  '/secrets': { labels: ['metadata.name', 'metadata.namespace', 'type'], fields: (o) => ({ ...META_NAMESPACED(o), type: str(o, 'type') }) },
  '/nodes': { labels: ['metadata.name', 'spec.unschedulable'], fields: (o) => ({ ...META_CLUSTER(o), 'spec.unschedulable': bool(o, 'spec', 'unschedulable') }) },
  '/namespaces': { labels: ['metadata.name', 'status.phase'], fields: (o) => ({ ...META_CLUSTER(o), 'status.phase': str(o, 'status', 'phase') }) },
  '/replicationcontrollers': { labels: ['metadata.name', 'metadata.namespace', 'status.replicas'], fields: (o) => ({ ...META_NAMESPACED(o), 'status.replicas': int(o, 'status', 'replicas') }) },
  '/services': {
    labels: ['metadata.name', 'metadata.namespace', 'spec.clusterIP', 'spec.type'],
    fields: (o) => ({ ...META_NAMESPACED(o), 'spec.clusterIP': str(o, 'spec', 'clusterIP'), 'spec.type': str(o, 'spec', 'type') }),
  },
  'apps/replicasets': { labels: ['metadata.name', 'metadata.namespace', 'status.replicas'], fields: (o) => ({ ...META_NAMESPACED(o), 'status.replicas': int(o, 'status', 'replicas') }) },
  'batch/jobs': { labels: ['metadata.name', 'metadata.namespace', 'status.successful'], fields: (o) => ({ ...META_NAMESPACED(o), 'status.successful': int(o, 'status', 'succeeded') }) },
  'certificates.k8s.io/certificatesigningrequests': {
    labels: ['metadata.name', 'spec.signerName'],
    fields: (o) => ({ ...META_CLUSTER(o), 'spec.signerName': str(o, 'spec', 'signerName') }),
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
