// The kube-controller-manager's per-controller roles (bootstrappolicy/controller_policy.go and
// testdata/controller-roles.yaml, default feature gates of Kubernetes 1.33): ClusterRole
// "system:controller:<name>", bound to ServiceAccount kube-system/<name> by a ClusterRoleBinding of the
// same name. Kube-controller-manager runs each controller under that account with
// --use-service-account-credentials.
import type { PolicyRule } from './rbac-types.js';

function r(verbs: string, groups: string, resources: string, names?: string): PolicyRule {
  const rule: PolicyRule = { apiGroups: groups.split(','), resources: resources.split(','), verbs: verbs.split(',') };
  if (names) rule.resourceNames = names.split(',');
  return rule;
}

const EVENTS = r('create,patch,update', ',events.k8s.io', 'events');
const READ = 'get,list,watch';

/** Controller name (without "system:controller:") to its rules, in upstream's order. */
export const CONTROLLER_ROLES: Array<[string, PolicyRule[]]> = [
  [
    'attachdetach-controller',
    [
      r('list,watch', '', 'persistentvolumeclaims,persistentvolumes'),
      r(READ, '', 'nodes'),
      r('patch,update', '', 'nodes/status'),
      r('list,watch', '', 'pods'),
      EVENTS,
      r('create,delete,get,list,watch', 'storage.k8s.io', 'volumeattachments'),
      r(READ, 'storage.k8s.io', 'csidrivers'),
      r(READ, 'storage.k8s.io', 'csinodes'),
    ],
  ],
  [
    'certificate-controller',
    [
      r('delete,get,list,watch', 'certificates.k8s.io', 'certificatesigningrequests'),
      r('update', 'certificates.k8s.io', 'certificatesigningrequests/approval,certificatesigningrequests/status'),
      r('approve', 'certificates.k8s.io', 'signers', 'kubernetes.io/kube-apiserver-client-kubelet'),
      r('sign', 'certificates.k8s.io', 'signers', 'kubernetes.io/kube-apiserver-client,kubernetes.io/kube-apiserver-client-kubelet,kubernetes.io/kubelet-serving,kubernetes.io/legacy-unknown'),
      r('create', 'authorization.k8s.io', 'subjectaccessreviews'),
      EVENTS,
    ],
  ],
  ['clusterrole-aggregation-controller', [r('escalate,get,list,patch,update,watch', 'rbac.authorization.k8s.io', 'clusterroles')]],
  [
    'cronjob-controller',
    [
      r('get,list,update,watch', 'batch', 'cronjobs'),
      r('create,delete,get,list,patch,update,watch', 'batch', 'jobs'),
      r('update', 'batch', 'cronjobs/status'),
      r('update', 'batch', 'cronjobs/finalizers'),
      r('delete,list', '', 'pods'),
      EVENTS,
    ],
  ],
  [
    'daemon-set-controller',
    [
      r(READ, 'apps,extensions', 'daemonsets'),
      r('update', 'apps,extensions', 'daemonsets/status'),
      r('update', 'apps,extensions', 'daemonsets/finalizers'),
      r('list,watch', '', 'nodes'),
      r('create,delete,list,patch,watch', '', 'pods'),
      r('create', '', 'pods/binding'),
      r('create,delete,get,list,patch,update,watch', 'apps', 'controllerrevisions'),
      EVENTS,
    ],
  ],
  [
    'deployment-controller',
    [
      r('get,list,update,watch', 'apps,extensions', 'deployments'),
      r('update', 'apps,extensions', 'deployments/status'),
      r('update', 'apps,extensions', 'deployments/finalizers'),
      r('create,delete,get,list,patch,update,watch', 'apps,extensions', 'replicasets'),
      r('get,list,update,watch', '', 'pods'),
      EVENTS,
    ],
  ],
  [
    'disruption-controller',
    [
      r(READ, 'apps,extensions', 'deployments'),
      r(READ, 'apps,extensions', 'replicasets'),
      r(READ, '', 'replicationcontrollers'),
      r(READ, 'policy', 'poddisruptionbudgets'),
      r(READ, 'apps', 'statefulsets'),
      r('update', 'policy', 'poddisruptionbudgets/status'),
      r('patch,update', '', 'pods/status'),
      r('get', '*', '*/scale'),
      EVENTS,
    ],
  ],
  [
    'endpoint-controller',
    [r(READ, '', 'pods,services'), r('create,delete,get,list,update', '', 'endpoints'), r('create', '', 'endpoints/restricted'), EVENTS],
  ],
  [
    'endpointslice-controller',
    [r(READ, '', 'nodes,pods,services'), r('update', '', 'services/finalizers'), r('create,delete,get,list,update', 'discovery.k8s.io', 'endpointslices'), EVENTS],
  ],
  [
    'endpointslicemirroring-controller',
    [
      r(READ, '', 'endpoints,services'),
      r('update', '', 'services/finalizers'),
      r('update', '', 'endpoints/finalizers'),
      r('create,delete,get,list,update', 'discovery.k8s.io', 'endpointslices'),
      EVENTS,
    ],
  ],
  ['ephemeral-volume-controller', [r(READ, '', 'pods'), r('update', '', 'pods/finalizers'), r('create,get,list,watch', '', 'persistentvolumeclaims'), EVENTS]],
  [
    'expand-controller',
    [r('get,list,patch,update,watch', '', 'persistentvolumes'), r('patch,update', '', 'persistentvolumeclaims/status'), r(READ, '', 'persistentvolumeclaims'), EVENTS, r('get', '', 'services')],
  ],
  ['generic-garbage-collector', [r('delete,get,list,patch,update,watch', '*', '*'), EVENTS]],
  [
    'horizontal-pod-autoscaler',
    [
      r(READ, 'autoscaling', 'horizontalpodautoscalers'),
      r('update', 'autoscaling', 'horizontalpodautoscalers/status'),
      r('get,update', '*', '*/scale'),
      r('list', '', 'pods'),
      r('list', 'metrics.k8s.io', 'pods'),
      r('get,list', 'custom.metrics.k8s.io', '*'),
      r('get,list', 'external.metrics.k8s.io', '*'),
      EVENTS,
    ],
  ],
  [
    'job-controller',
    [r('get,list,patch,update,watch', 'batch', 'jobs'), r('update', 'batch', 'jobs/status'), r('update', 'batch', 'jobs/finalizers'), r('create,delete,list,patch,watch', '', 'pods'), EVENTS],
  ],
  ['legacy-service-account-token-cleaner', [r('get', '', 'configmaps', 'kube-apiserver-legacy-service-account-token-tracking'), r('delete,patch', '', 'secrets')]],
  ['namespace-controller', [r('delete,get,list,watch', '', 'namespaces'), r('update', '', 'namespaces/finalize,namespaces/status'), r('delete,deletecollection,get,list', '*', '*')]],
  [
    'node-controller',
    [r('delete,get,list,patch,update', '', 'nodes'), r('patch,update', '', 'nodes/status'), r('patch,update', '', 'pods/status'), r('delete,get,list', '', 'pods'), EVENTS],
  ],
  [
    'persistent-volume-binder',
    [
      r('create,delete,get,list,update,watch', '', 'persistentvolumes'),
      r('update', '', 'persistentvolumes/status'),
      r('get,list,update,watch', '', 'persistentvolumeclaims'),
      r('update', '', 'persistentvolumeclaims/status'),
      r('create,delete,get,list,watch', '', 'pods'),
      r(READ, 'storage.k8s.io', 'storageclasses'),
      r('list,watch', '', 'nodes'),
      EVENTS,
      r('watch', '', 'events'),
      r('get', '', 'services'),
    ],
  ],
  ['pod-garbage-collector', [r('delete,list,watch', '', 'pods'), r('get,list', '', 'nodes'), r('patch', '', 'pods/status')]],
  ['pv-protection-controller', [r('get,list,update,watch', '', 'persistentvolumes'), EVENTS]],
  ['pvc-protection-controller', [r('get,list,update,watch', '', 'persistentvolumeclaims'), r(READ, '', 'pods'), EVENTS]],
  [
    'replicaset-controller',
    [
      r('get,list,update,watch', 'apps,extensions', 'replicasets'),
      r('update', 'apps,extensions', 'replicasets/status'),
      r('update', 'apps,extensions', 'replicasets/finalizers'),
      r('create,delete,list,patch,watch', '', 'pods'),
      EVENTS,
    ],
  ],
  [
    'replication-controller',
    [
      r('get,list,update,watch', '', 'replicationcontrollers'),
      r('update', '', 'replicationcontrollers/status'),
      r('update', '', 'replicationcontrollers/finalizers'),
      r('create,delete,list,patch,watch', '', 'pods'),
      EVENTS,
    ],
  ],
  ['resourcequota-controller', [r('list,watch', '*', '*'), r('update', '', 'resourcequotas/status'), EVENTS]],
  ['root-ca-cert-publisher', [r('create,update', '', 'configmaps'), EVENTS]],
  ['route-controller', [r('list,watch', '', 'nodes'), r('patch', '', 'nodes/status'), EVENTS]],
  ['service-account-controller', [r('create', '', 'serviceaccounts'), EVENTS]],
  ['service-controller', [r(READ, '', 'services'), r('patch,update', '', 'services/status'), r('list,watch', '', 'nodes'), EVENTS]],
  [
    'statefulset-controller',
    [
      r('list,watch', '', 'pods'),
      r(READ, 'apps', 'statefulsets'),
      r('update', 'apps', 'statefulsets/status'),
      r('update', 'apps', 'statefulsets/finalizers'),
      r('create,delete,get,patch,update', '', 'pods'),
      r('create,delete,get,list,patch,update,watch', 'apps', 'controllerrevisions'),
      r('create,get,list,watch', '', 'persistentvolumeclaims'),
      EVENTS,
      r('delete,update', '', 'persistentvolumeclaims'),
      r('update', '', 'pods/finalizers'),
    ],
  ],
  ['ttl-after-finished-controller', [r('delete,get,list,watch', 'batch', 'jobs'), EVENTS]],
  ['ttl-controller', [r('list,patch,update,watch', '', 'nodes'), EVENTS]],
  [
    'validatingadmissionpolicy-status-controller',
    [r(READ, 'admissionregistration.k8s.io', 'validatingadmissionpolicies'), r('get,patch,update', 'admissionregistration.k8s.io', 'validatingadmissionpolicies/status'), EVENTS],
  ],
];
