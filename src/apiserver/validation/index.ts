// validateObject: upstream's create and update validation for built-in kinds, on plain JSON
// objects identified by group, version and kind. Returns the field errors (empty when valid);
// the caller turns them into the 422 Invalid Status with invalid(group, kind, name, toStatusCauses(errs)).
import { builtinResources } from '../schema/resources.js';
import { validateDaemonSet, validateDaemonSetUpdate, validateDeployment, validateDeploymentUpdate, validateReplicaSet, validateReplicaSetUpdate, validateReplicationController, validateStatefulSet, validateStatefulSetUpdate } from './apps.js';
import { validateCronJob, validateCronJobUpdate, validateJob, validateJobUpdate } from './batch.js';
import {
  validateConfigMap,
  validateConfigMapUpdate,
  validateEvent,
  validateNamespace,
  validateNode,
  validateNodeUpdate,
  validatePV,
  validatePVC,
  validatePVCUpdate,
  validateResourceQuota,
  validateSecret,
  validateSecretUpdate,
  validateService,
  validateServiceAccount,
  validateServiceUpdate,
} from './core.js';
import type { FieldError } from './errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { nameRuleFor } from './names.js';
import {
  validateBinding,
  validateBindingUpdate,
  validateClusterRole,
  validateHPA,
  validateIngress,
  validateIngressClass,
  validateLease,
  validateNetworkPolicy,
  validatePDB,
  validatePriorityClass,
  validatePriorityClassUpdate,
  validateRole,
  validateStorageClass,
  validateStorageClassUpdate,
} from './others.js';
import { validatePod, validatePodTemplateSpec, validatePodUpdate } from './pod.js';

export type { FieldError } from './errors.js';
export { validateLabelSelector, validateLabels, validateAnnotations } from './meta.js';
export { cronScheduleError } from './cron.js';
export { configMapKeyErrors } from './core.js';

type Obj = Record<string, unknown>;

interface KindRules {
  create: (obj: Obj, version: string) => FieldError[];
  update?: (obj: Obj, old: Obj, version: string) => FieldError[];
  /** Skip ObjectMeta validation on create (core/v1 Events are only checked the legacy way). */
  noMeta?: (version: string) => boolean;
}

const RBAC = 'rbac.authorization.k8s.io';

const RULES: Record<string, KindRules> = {
  '/Pod': { create: validatePod, update: validatePodUpdate },
  '/PodTemplate': { create: (o) => validatePodTemplateSpec(o.template, 'template') },
  '/ReplicationController': { create: validateReplicationController },
  '/Service': { create: validateService, update: validateServiceUpdate },
  '/ConfigMap': { create: validateConfigMap, update: validateConfigMapUpdate },
  '/Secret': { create: validateSecret, update: validateSecretUpdate },
  '/Namespace': { create: validateNamespace },
  '/PersistentVolumeClaim': { create: validatePVC, update: validatePVCUpdate },
  '/PersistentVolume': { create: validatePV },
  '/Node': { create: validateNode, update: validateNodeUpdate },
  '/Event': { create: (o) => validateEvent(o, false), noMeta: () => true },
  '/ServiceAccount': { create: validateServiceAccount },
  '/ResourceQuota': { create: validateResourceQuota },
  'events.k8s.io/Event': { create: (o) => validateEvent(o, true) },
  'apps/Deployment': { create: validateDeployment, update: validateDeploymentUpdate },
  'apps/ReplicaSet': { create: validateReplicaSet, update: validateReplicaSetUpdate },
  'apps/DaemonSet': { create: validateDaemonSet, update: validateDaemonSetUpdate },
  'apps/StatefulSet': { create: validateStatefulSet, update: validateStatefulSetUpdate },
  'batch/Job': { create: validateJob, update: validateJobUpdate },
  'batch/CronJob': { create: validateCronJob, update: validateCronJobUpdate },
  'autoscaling/HorizontalPodAutoscaler': { create: validateHPA },
  'policy/PodDisruptionBudget': { create: validatePDB },
  'coordination.k8s.io/Lease': { create: validateLease },
  'networking.k8s.io/Ingress': { create: validateIngress },
  'networking.k8s.io/IngressClass': { create: validateIngressClass },
  'networking.k8s.io/NetworkPolicy': { create: validateNetworkPolicy },
  [`${RBAC}/Role`]: { create: (o) => validateRole(o, true) },
  [`${RBAC}/ClusterRole`]: { create: validateClusterRole },
  [`${RBAC}/RoleBinding`]: { create: (o) => validateBinding(o, true), update: (o, old) => validateBindingUpdate(o, old, true) },
  [`${RBAC}/ClusterRoleBinding`]: { create: (o) => validateBinding(o, false), update: (o, old) => validateBindingUpdate(o, old, false) },
  'scheduling.k8s.io/PriorityClass': { create: validatePriorityClass, update: validatePriorityClassUpdate },
  'storage.k8s.io/StorageClass': { create: validateStorageClass, update: validateStorageClassUpdate },
};

// Review requests are not stored and carry no object metadata worth checking upstream.
const reviewRules: KindRules = { create: () => [], noMeta: () => true };
for (const k of ['authentication.k8s.io/TokenReview', 'authentication.k8s.io/SelfSubjectReview', 'authorization.k8s.io/SubjectAccessReview', 'authorization.k8s.io/SelfSubjectAccessReview', 'authorization.k8s.io/LocalSubjectAccessReview', 'authorization.k8s.io/SelfSubjectRulesReview']) {
  RULES[k] = reviewRules;
}

let scopes: Map<string, boolean> | undefined;

/** Whether a built-in kind is namespaced; undefined for kinds Kumo does not know (CRDs). */
export function isNamespacedKind(group: string, kind: string): boolean | undefined {
  if (!scopes) {
    scopes = new Map();
    for (const r of builtinResources()) scopes.set(`${r.group}/${r.kind}`, r.namespaced);
  }
  return scopes.get(`${group}/${kind}`);
}


/**
 * Validates an object for create (no `old`) or update (`old` is the stored object). Run after
 * applyDefaults, as upstream validates defaulted objects. For Jobs, generate the selector first
 * (defaults' generateJobSelector); for unconditional updates, copy the stored resourceVersion in.
 */
export function validateObject(group: string, version: string, kind: string, obj: Record<string, unknown>, old?: Record<string, unknown>): FieldError[] {
  const rules = RULES[`${group}/${kind}`];
  const errs: FieldError[] = [];
  if (old) {
    errs.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
  } else if (!rules?.noMeta?.(version)) {
    errs.push(...validateObjectMeta(obj.metadata, { namespaced: isNamespacedKind(group, kind), nameRule: nameRuleFor(group, kind) }));
  }
  if (!rules) return errs;
  if (old) errs.push(...(rules.update ? rules.update(obj, old, version) : rules.create(obj, version)));
  else errs.push(...rules.create(obj, version));
  return errs;
}

