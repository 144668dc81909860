// EKS access policies (arn:aws:eks::aws:cluster-access-policy/<Name>) and the Kubernetes rules the
// ones with published rules grant (EKS user guide, access-policy-reference). The cluster's
// authorizer checks these before RBAC.

export const ACCESS_POLICY_PREFIX = 'arn:aws:eks::aws:cluster-access-policy/';

/** Every policy ListAccessPolicies answers, in its (alphabetical) order. */
export const ACCESS_POLICY_NAMES = [
  'AmazonEKSAdminPolicy', 'AmazonEKSAdminViewPolicy', 'AmazonEKSAutoNodePolicy', 'AmazonEKSBlockStorageClusterPolicy',
  'AmazonEKSBlockStoragePolicy', 'AmazonEKSClusterAdminPolicy', 'AmazonEKSComputeClusterPolicy', 'AmazonEKSComputePolicy',
  'AmazonEKSEditPolicy', 'AmazonEKSHybridPolicy', 'AmazonEKSLoadBalancingClusterPolicy', 'AmazonEKSLoadBalancingPolicy',
  'AmazonEKSNetworkingClusterPolicy', 'AmazonEKSNetworkingPolicy', 'AmazonEKSViewPolicy', 'AmazonEMRJobPolicy',
  'AmazonSagemakerHyperpodClusterPolicy', 'AmazonSagemakerHyperpodControllerPolicy', 'AmazonSagemakerHyperpodSystemNamespacePolicy',
] as const;

export const accessPolicyArn = (name: string) => ACCESS_POLICY_PREFIX + name;
export const isAccessPolicyArn = (arn: string) =>
  arn.startsWith(ACCESS_POLICY_PREFIX) && (ACCESS_POLICY_NAMES as readonly string[]).includes(arn.slice(ACCESS_POLICY_PREFIX.length));

/** An RBAC PolicyRule: the same fields and matching semantics as rbac.authorization.k8s.io/v1. */
export interface AccessPolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const rule = (apiGroup: string, resources: string[], verbs: string[]): AccessPolicyRule => ({ apiGroups: [apiGroup], resources, verbs });

const VIEW: AccessPolicyRule[] = [
  rule('', ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers',
    'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'bindings', 'events', 'limitranges',
    'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status',
    'namespaces'], READ),
  rule('apps', ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status',
    'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'], READ),
  rule('autoscaling', ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], READ),
  rule('batch', ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], READ),
  rule('discovery.k8s.io', ['endpointslices'], READ),
  rule('extensions', ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses',
    'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale'], READ),
  rule('networking.k8s.io', ['ingresses', 'ingresses/status', 'networkpolicies'], READ),
  rule('policy', ['poddisruptionbudgets', 'poddisruptionbudgets/status'], READ),
];

const EDIT: AccessPolicyRule[] = [
  ...VIEW,
  rule('', ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], READ),
  rule('', ['serviceaccounts'], ['impersonate']),
  rule('', ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], WRITE),
  rule('', ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets',
    'serviceaccounts', 'services', 'services/proxy'], WRITE),
  rule('apps', ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale',
    'statefulsets', 'statefulsets/scale'], WRITE),
  rule('autoscaling', ['horizontalpodautoscalers'], WRITE),
  rule('batch', ['cronjobs', 'jobs'], WRITE),
  rule('extensions', ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies',
    'replicasets', 'replicasets/scale', 'replicationcontrollers/scale'], WRITE),
  rule('networking.k8s.io', ['ingresses', 'networkpolicies'], WRITE),
  rule('policy', ['poddisruptionbudgets'], WRITE),
];

const ADMIN: AccessPolicyRule[] = [
  ...EDIT,
  rule('rbac.authorization.k8s.io', ['rolebindings', 'roles'], [...WRITE, ...READ]),
  rule('authorization.k8s.io', ['localsubjectaccessreviews'], ['create']),
];

const RULES: Record<string, AccessPolicyRule[]> = {
  AmazonEKSClusterAdminPolicy: [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ],
  AmazonEKSAdminViewPolicy: [{ apiGroups: ['*'], resources: ['*'], verbs: READ }],
  AmazonEKSViewPolicy: VIEW,
  AmazonEKSEditPolicy: EDIT,
  AmazonEKSAdminPolicy: ADMIN,
  AmazonEKSHybridPolicy: [rule('', ['nodes'], ['list'])],
};

/**
 * The rules an access policy grants, or undefined for an unknown ARN and for the component
 * policies (Auto Mode, storage, networking, ...) whose rules EKS does not publish.
 */
export function accessPolicyRules(policyArn: string): AccessPolicyRule[] | undefined {
  if (!policyArn.startsWith(ACCESS_POLICY_PREFIX)) return undefined;
  const rules = RULES[policyArn.slice(ACCESS_POLICY_PREFIX.length)];
  return rules?.map((r) => ({ ...r }));
}
