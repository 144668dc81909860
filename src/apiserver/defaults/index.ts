// applyDefaults: upstream's SetObjectDefaults_<Kind> for built-in kinds, on plain JSON objects.
import type { Obj } from './obj.js';
import { defaultEndpoints, defaultLimitRange, defaultNamespace, defaultNode, defaultResourceQuota, defaultSecret, defaultService } from './core.js';
import {
  defaultBinding,
  defaultEndpointSlice,
  defaultHPAv1,
  defaultHPAv2,
  defaultIngressClass,
  defaultNetworkPolicy,
  defaultPriorityClass,
  defaultValidatingAdmissionPolicy,
  defaultWebhookConfiguration,
} from './others.js';
import { defaultPod } from './pod.js';
import { defaultCSIDriver, defaultPV, defaultPVC, defaultStorageClass } from './storage.js';
import {
  defaultCronJob,
  defaultDaemonSet,
  defaultDeployment,
  defaultJob,
  defaultPodTemplateObject,
  defaultReplicaSet,
  defaultReplicationController,
  defaultStatefulSet,
} from './workloads.js';

export { generateJobSelector } from './workloads.js';
export { imageTag } from './pod.js';

type Defaulter = (obj: Obj, version: string) => void;

const DEFAULTERS: Record<string, Defaulter> = {
  '/Pod': defaultPod,
  '/PodTemplate': defaultPodTemplateObject,
  '/ReplicationController': defaultReplicationController,
  '/Service': defaultService,
  '/Namespace': defaultNamespace,
  '/Secret': defaultSecret,
  '/Node': defaultNode,
  '/Endpoints': defaultEndpoints,
  '/LimitRange': defaultLimitRange,
  '/ResourceQuota': defaultResourceQuota,
  '/PersistentVolume': defaultPV,
  '/PersistentVolumeClaim': defaultPVC,
  'apps/Deployment': defaultDeployment,
  'apps/ReplicaSet': defaultReplicaSet,
  'apps/StatefulSet': defaultStatefulSet,
  'apps/DaemonSet': defaultDaemonSet,
  'batch/Job': defaultJob,
  'batch/CronJob': defaultCronJob,
  'autoscaling/HorizontalPodAutoscaler': (o, v) => (v === 'v1' ? defaultHPAv1(o) : defaultHPAv2(o)),
  'networking.k8s.io/NetworkPolicy': defaultNetworkPolicy,
  'networking.k8s.io/IngressClass': defaultIngressClass,
  'rbac.authorization.k8s.io/RoleBinding': defaultBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': defaultBinding,
  'scheduling.k8s.io/PriorityClass': defaultPriorityClass,
  'storage.k8s.io/StorageClass': defaultStorageClass,
  'storage.k8s.io/CSIDriver': defaultCSIDriver,
  'discovery.k8s.io/EndpointSlice': defaultEndpointSlice,
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': (o) => defaultWebhookConfiguration(o, false),
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': (o) => defaultWebhookConfiguration(o, true),
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy': defaultValidatingAdmissionPolicy,
};

/** Whether upstream defines defaults for this kind (kinds such as ConfigMap, ServiceAccount, Lease have none). */
export function hasDefaults(group: string, kind: string): boolean {
  return `${group}/${kind}` in DEFAULTERS;
}

/**
 * Fills in upstream's defaults in place. Kinds without defaults upstream (ConfigMap,
 * ServiceAccount, Lease, Event, PodDisruptionBudget, Ingress, Role, ...) are left as they are.
 */
export function applyDefaults(group: string, version: string, kind: string, obj: Record<string, unknown>): void {
  DEFAULTERS[`${group}/${kind}`]?.(obj, version);
}
