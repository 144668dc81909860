// Every built-in REST resource Kumo serves, with the facts a Kubernetes 1.33 API server reports
// in discovery (`kubectl api-resources -o wide`): names, scope, short names, categories, verbs.
// `subresources` lists the subresources Kumo serves; upstream's exec/attach/portforward/proxy
// (which need a container runtime or a network path) are not served.
import type { ResourceDef } from './types.js';

/** create delete deletecollection get list patch update watch: a full REST storage. */
const FULL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** Namespaces cannot be deleted as a collection (their deletion is the namespace controller's job). */
const NO_COLLECTION_DELETE = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
/** Review-style resources and bindings: POST only, nothing is stored. */
const CREATE_ONLY = ['create'];
/** metrics.k8s.io (metrics-server): read-only. */
const READ_ONLY = ['get', 'list'];

const CORE = 'k8s.io/api/core/v1';
export const METRICS_TYPES = 'k8s.io/metrics/pkg/apis/metrics/v1beta1';

interface Row {
  resource: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  subresources?: string[];
  /** Go package of the kind when it differs from the group-version's default. */
  pkg?: string;
}

interface GroupVersionRows {
  group: string;
  version: string;
  /** Go package holding the kinds of this group-version. */
  pkg: string;
  rows: Row[];
}

const ALL = ['all'];
const API_EXTENSIONS = ['api-extensions'];

/** Group-versions in upstream's discovery order (kube-aggregator's group priorities). */
const TABLE: GroupVersionRows[] = [
  {
    group: '',
    version: 'v1',
    pkg: CORE,
    rows: [
      { resource: 'bindings', kind: 'Binding', namespaced: true, verbs: CREATE_ONLY },
      { resource: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
      { resource: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'] },
      { resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] },
      { resource: 'limitranges', kind: 'LimitRange', namespaced: true, shortNames: ['limits'] },
      { resource: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'], verbs: NO_COLLECTION_DELETE, subresources: ['finalize', 'status'] },
      { resource: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'], subresources: ['status'] },
      { resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true, shortNames: ['pvc'], subresources: ['status'] },
      { resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false, shortNames: ['pv'], subresources: ['status'] },
      {
        resource: 'pods',
        kind: 'Pod',
        namespaced: true,
        shortNames: ['po'],
        categories: ALL,
        subresources: ['binding', 'ephemeralcontainers', 'eviction', 'log', 'resize', 'status'],
      },
      { resource: 'podtemplates', kind: 'PodTemplate', namespaced: true },
      { resource: 'replicationcontrollers', kind: 'ReplicationController', namespaced: true, shortNames: ['rc'], categories: ALL, subresources: ['scale', 'status'] },
      { resource: 'resourcequotas', kind: 'ResourceQuota', namespaced: true, shortNames: ['quota'], subresources: ['status'] },
      { resource: 'secrets', kind: 'Secret', namespaced: true },
      { resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'], subresources: ['token'] },
      { resource: 'services', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ALL, subresources: ['status'] },
    ],
  },
  {
    group: 'apps',
    version: 'v1',
    pkg: 'k8s.io/api/apps/v1',
    rows: [
      { resource: 'controllerrevisions', kind: 'ControllerRevision', namespaced: true },
      { resource: 'daemonsets', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], categories: ALL, subresources: ['status'] },
      { resource: 'deployments', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ALL, subresources: ['scale', 'status'] },
      { resource: 'replicasets', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], categories: ALL, subresources: ['scale', 'status'] },
      { resource: 'statefulsets', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'], categories: ALL, subresources: ['scale', 'status'] },
    ],
  },
  {
    group: 'events.k8s.io',
    version: 'v1',
    pkg: 'k8s.io/api/events/v1',
    rows: [{ resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] }],
  },
  {
    group: 'authentication.k8s.io',
    version: 'v1',
    pkg: 'k8s.io/api/authentication/v1',
    rows: [
      { resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false, verbs: CREATE_ONLY },
      { resource: 'tokenreviews', kind: 'TokenReview', namespaced: false, verbs: CREATE_ONLY },
    ],
  },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    pkg: 'k8s.io/api/authorization/v1',
    rows: [
      { resource: 'localsubjectaccessreviews', kind: 'LocalSubjectAccessReview', namespaced: true, verbs: CREATE_ONLY },
      { resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: CREATE_ONLY },
      { resource: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false, verbs: CREATE_ONLY },
      { resource: 'subjectaccessreviews', kind: 'SubjectAccessReview', namespaced: false, verbs: CREATE_ONLY },
    ],
  },
  // autoscaling/v2 is the preferred version, so upstream lists it first.
  {
    group: 'autoscaling',
    version: 'v2',
    pkg: 'k8s.io/api/autoscaling/v2',
    rows: [{ resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, shortNames: ['hpa'], categories: ALL, subresources: ['status'] }],
  },
  {
    group: 'autoscaling',
    version: 'v1',
    pkg: 'k8s.io/api/autoscaling/v1',
    rows: [{ resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, shortNames: ['hpa'], categories: ALL, subresources: ['status'] }],
  },
  {
    group: 'batch',
    version: 'v1',
    pkg: 'k8s.io/api/batch/v1',
    rows: [
      { resource: 'cronjobs', kind: 'CronJob', namespaced: true, shortNames: ['cj'], categories: ALL, subresources: ['status'] },
      { resource: 'jobs', kind: 'Job', namespaced: true, categories: ALL, subresources: ['status'] },
    ],
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    pkg: 'k8s.io/api/networking/v1',
    rows: [
      { resource: 'ingressclasses', kind: 'IngressClass', namespaced: false },
      { resource: 'ingresses', kind: 'Ingress', namespaced: true, shortNames: ['ing'], subresources: ['status'] },
      // IPAddress and ServiceCIDR went GA in 1.33 (MultiCIDRServiceAllocator).
      { resource: 'ipaddresses', kind: 'IPAddress', namespaced: false },
      { resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true, shortNames: ['netpol'] },
      { resource: 'servicecidrs', kind: 'ServiceCIDR', namespaced: false, subresources: ['status'] },
    ],
  },
  {
    group: 'policy',
    version: 'v1',
    pkg: 'k8s.io/api/policy/v1',
    rows: [{ resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true, shortNames: ['pdb'], subresources: ['status'] }],
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    pkg: 'k8s.io/api/rbac/v1',
    rows: [
      { resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
      { resource: 'clusterroles', kind: 'ClusterRole', namespaced: false },
      { resource: 'rolebindings', kind: 'RoleBinding', namespaced: true },
      { resource: 'roles', kind: 'Role', namespaced: true },
    ],
  },
  {
    group: 'storage.k8s.io',
    version: 'v1',
    pkg: 'k8s.io/api/storage/v1',
    rows: [
      { resource: 'csidrivers', kind: 'CSIDriver', namespaced: false },
      { resource: 'csinodes', kind: 'CSINode', namespaced: false },
      { resource: 'csistoragecapacities', kind: 'CSIStorageCapacity', namespaced: true },
      { resource: 'storageclasses', kind: 'StorageClass', namespaced: false, shortNames: ['sc'] },
      { resource: 'volumeattachments', kind: 'VolumeAttachment', namespaced: false, subresources: ['status'] },
    ],
  },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    pkg: 'k8s.io/api/admissionregistration/v1',
    rows: [
      { resource: 'mutatingwebhookconfigurations', kind: 'MutatingWebhookConfiguration', namespaced: false, categories: API_EXTENSIONS },
      { resource: 'validatingadmissionpolicies', kind: 'ValidatingAdmissionPolicy', namespaced: false, categories: API_EXTENSIONS, subresources: ['status'] },
      { resource: 'validatingadmissionpolicybindings', kind: 'ValidatingAdmissionPolicyBinding', namespaced: false, categories: API_EXTENSIONS },
      { resource: 'validatingwebhookconfigurations', kind: 'ValidatingWebhookConfiguration', namespaced: false, categories: API_EXTENSIONS },
    ],
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    pkg: 'k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1',
    rows: [
      {
        resource: 'customresourcedefinitions',
        kind: 'CustomResourceDefinition',
        namespaced: false,
        shortNames: ['crd', 'crds'],
        categories: API_EXTENSIONS,
        subresources: ['status'],
      },
    ],
  },
  {
    group: 'scheduling.k8s.io',
    version: 'v1',
    pkg: 'k8s.io/api/scheduling/v1',
    rows: [{ resource: 'priorityclasses', kind: 'PriorityClass', namespaced: false, shortNames: ['pc'] }],
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    pkg: 'k8s.io/api/coordination/v1',
    rows: [{ resource: 'leases', kind: 'Lease', namespaced: true }],
  },
  {
    group: 'node.k8s.io',
    version: 'v1',
    pkg: 'k8s.io/api/node/v1',
    rows: [{ resource: 'runtimeclasses', kind: 'RuntimeClass', namespaced: false }],
  },
  {
    group: 'discovery.k8s.io',
    version: 'v1',
    pkg: 'k8s.io/api/discovery/v1',
    rows: [{ resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true }],
  },
  // Served by metrics-server upstream, an aggregated API: lowest priority, listed last.
  {
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    pkg: METRICS_TYPES,
    rows: [
      { resource: 'nodes', kind: 'NodeMetrics', namespaced: false, verbs: READ_ONLY },
      { resource: 'pods', kind: 'PodMetrics', namespaced: true, verbs: READ_ONLY },
    ],
  },
];

/** The built-in resources, group-versions in discovery order, resources sorted by name within each. */
export function builtinResources(): ResourceDef[] {
  const out: ResourceDef[] = [];
  for (const gv of TABLE) {
    for (const row of gv.rows) {
      out.push({
        group: gv.group,
        version: gv.version,
        resource: row.resource,
        singular: row.kind.toLowerCase(),
        kind: row.kind,
        listKind: `${row.kind}List`,
        namespaced: row.namespaced,
        shortNames: [...(row.shortNames ?? [])],
        categories: [...(row.categories ?? [])],
        verbs: [...(row.verbs ?? FULL)],
        subresources: [...(row.subresources ?? [])],
        typeRef: `${row.pkg ?? gv.pkg}.${row.kind}`,
      });
    }
  }
  return out;
}

/** Built-in group-versions in upstream's discovery order, with the preferred version of each group. */
export function builtinGroupVersions(): { group: string; version: string; preferred: boolean }[] {
  const seen = new Set<string>();
  return TABLE.map((gv) => {
    // The first version listed for a group is its preferred one.
    const preferred = !seen.has(gv.group);
    seen.add(gv.group);
    return { group: gv.group, version: gv.version, preferred };
  });
}

/** The Go package holding the kinds of a built-in group-version ('k8s.io/api/apps/v1'), if any. */
export function gvPackage(group: string, version: string): string | undefined {
  return TABLE.find((gv) => gv.group === group && gv.version === version)?.pkg;
}

/** What discovery says about a subresource: its verbs, and the kind its body has. */
export interface SubresourceInfo {
  /** e.g. 'pods/status'. */
  name: string;
  verbs: string[];
  group: string;
  version: string;
  kind: string;
  typeRef: string;
}

/** Subresources whose body is another kind than the resource's own (upstream's storage for each). */
const SUBRESOURCE_BODIES: Record<string, { group: string; version: string; kind: string; typeRef: string }> = {
  scale: { group: 'autoscaling', version: 'v1', kind: 'Scale', typeRef: 'k8s.io/api/autoscaling/v1.Scale' },
  eviction: { group: 'policy', version: 'v1', kind: 'Eviction', typeRef: 'k8s.io/api/policy/v1.Eviction' },
  binding: { group: '', version: 'v1', kind: 'Binding', typeRef: `${CORE}.Binding` },
  token: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', typeRef: 'k8s.io/api/authentication/v1.TokenRequest' },
};

const SUBRESOURCE_VERBS: Record<string, string[]> = {
  status: ['get', 'patch', 'update'],
  scale: ['get', 'patch', 'update'],
  ephemeralcontainers: ['get', 'patch', 'update'],
  resize: ['get', 'patch', 'update'],
  binding: ['create'],
  eviction: ['create'],
  token: ['create'],
  finalize: ['update'],
  log: ['get'],
};

/** Discovery facts of a resource's subresource, e.g. ('deployments', 'scale') -> autoscaling/v1 Scale. */
export function subresourceInfo(r: ResourceDef, subresource: string): SubresourceInfo {
  const body = SUBRESOURCE_BODIES[subresource];
  return {
    name: `${r.resource}/${subresource}`,
    verbs: [...(SUBRESOURCE_VERBS[subresource] ?? ['get'])],
    group: body?.group ?? r.group,
    version: body?.version ?? r.version,
    kind: body?.kind ?? r.kind,
    typeRef: body?.typeRef ?? r.typeRef,
  };
}
