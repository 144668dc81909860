// Defaults of the remaining groups: autoscaling, networking, rbac, scheduling, discovery,
// admissionregistration (each pkg/apis/<group>/<version>/defaults.go upstream).
import { child, dflt, dfltPtr, isObj, list, opt } from './obj.js';
import type { Obj } from './obj.js';

/** autoscaling/v1: minReplicas 1. */
export function defaultHPAv1(hpa: Obj): void {
  dfltPtr(child(hpa, 'spec'), 'minReplicas', 1);
}

const SCALE_UP_POLICIES = () => [
  { type: 'Pods', value: 4, periodSeconds: 15 },
  { type: 'Percent', value: 100, periodSeconds: 15 },
];
const SCALE_DOWN_POLICIES = () => [{ type: 'Percent', value: 100, periodSeconds: 15 }];

function defaultRules(rules: Obj, stabilization: number, policies: () => Obj[]): void {
  dfltPtr(rules, 'selectPolicy', 'Max');
  if (!Array.isArray(rules.policies) || rules.policies.length === 0) rules.policies = policies();
  dfltPtr(rules, 'stabilizationWindowSeconds', stabilization);
}

/** autoscaling/v2: minReplicas 1, a CPU 80% target when no metric is given, behavior's parts when behavior is set. */
export function defaultHPAv2(hpa: Obj): void {
  const spec = child(hpa, 'spec');
  dfltPtr(spec, 'minReplicas', 1);
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  const behavior = opt(spec, 'behavior');
  if (behavior) {
    // SetDefaults_HorizontalPodAutoscalerBehavior: scale up immediately, scale down after 300s.
    defaultRules(child(behavior, 'scaleUp'), 0, SCALE_UP_POLICIES);
    defaultRules(child(behavior, 'scaleDown'), 300, SCALE_DOWN_POLICIES);
  }
}

/** networking/v1 SetDefaults_NetworkPolicy and _NetworkPolicyPort. */
export function defaultNetworkPolicy(np: Obj): void {
  const spec = child(np, 'spec');
  for (const rule of [...list(spec, 'ingress'), ...list(spec, 'egress')]) for (const p of list(rule, 'ports')) dflt(p, 'protocol', 'TCP');
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    const types = ['Ingress'];
    if (Array.isArray(spec.egress) && spec.egress.length > 0) types.push('Egress');
    spec.policyTypes = types;
  }
}

/** networking/v1 IngressClass: parameters.scope defaults to Cluster. */
export function defaultIngressClass(ic: Obj): void {
  const params = opt(opt(ic, 'spec'), 'parameters');
  if (params) dfltPtr(params, 'scope', 'Cluster');
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** rbac/v1 SetDefaults_Subject and the roleRef apiGroup. */
export function defaultBinding(b: Obj): void {
  const roleRef = opt(b, 'roleRef');
  if (roleRef) dflt(roleRef, 'apiGroup', RBAC_GROUP);
  for (const s of list(b, 'subjects')) {
    if (s.apiGroup !== undefined && s.apiGroup !== '') continue;
    if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
    else if (s.kind === 'ServiceAccount') s.apiGroup = '';
  }
}

export function defaultPriorityClass(pc: Obj): void {
  dfltPtr(pc, 'preemptionPolicy', 'PreemptLowerPriority');
}

/** discovery/v1 SetDefaults_EndpointPort. */
export function defaultEndpointSlice(es: Obj): void {
  for (const p of list(es, 'ports')) {
    dfltPtr(p, 'name', '');
    dfltPtr(p, 'protocol', 'TCP');
  }
}

/** admissionregistration/v1 webhook defaults (SetDefaults_ValidatingWebhook / _MutatingWebhook, _Rule, _ServiceReference). */
export function defaultWebhookConfiguration(cfg: Obj, mutating: boolean): void {
  for (const w of list(cfg, 'webhooks')) {
    dfltPtr(w, 'failurePolicy', 'Fail');
    dfltPtr(w, 'matchPolicy', 'Equivalent');
    if (!isObj(w.namespaceSelector)) w.namespaceSelector = {};
    if (!isObj(w.objectSelector)) w.objectSelector = {};
    dfltPtr(w, 'timeoutSeconds', 10);
    if (mutating) dfltPtr(w, 'reinvocationPolicy', 'Never');
    for (const r of list(w, 'rules')) dfltPtr(r, 'scope', '*');
    const svc = opt(opt(w, 'clientConfig'), 'service');
    if (svc) dfltPtr(svc, 'port', 443);
  }
}

/** admissionregistration/v1 ValidatingAdmissionPolicy: failurePolicy Fail, matchPolicy Equivalent, selectors {}. */
export function defaultValidatingAdmissionPolicy(p: Obj): void {
  const spec = child(p, 'spec');
  dfltPtr(spec, 'failurePolicy', 'Fail');
  const mc = opt(spec, 'matchConstraints');
  if (mc) {
    dfltPtr(mc, 'matchPolicy', 'Equivalent');
    if (!isObj(mc.namespaceSelector)) mc.namespaceSelector = {};
    if (!isObj(mc.objectSelector)) mc.objectSelector = {};
    for (const r of list(mc, 'resourceRules')) dfltPtr(r, 'scope', '*');
  }
}
