// The remaining groups: autoscaling (HPA), policy (PDB), coordination (Lease), networking
// (Ingress, IngressClass, NetworkPolicy), rbac, scheduling (PriorityClass), storage (StorageClass).
import { parseQuantity } from '../../util/quantity.js';
import type { FieldError } from './errors.js';
import { at, forbidden, idx, immutable, invalid, nonNegative, notSupported, required } from './errors.js';
import { validateLabelSelector } from './meta.js';
import { dns1035LabelErrors, dns1123SubdomainErrors, pathSegmentErrors, qualifiedNameErrors, regexError } from './names.js';
import { notMoreThan100Percent, validateIntOrPercent } from './apps.js';
import { PORT_PROTOCOLS } from './pod.js';
import { portNameErrors, portNumErrors } from './ports.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objs = (v: unknown): Obj[] => (Array.isArray(v) ? v.map((x) => (isObj(x) ? x : {})) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const spec = (o: Obj): Obj => (isObj(o.spec) ? o.spec : {});
const has = (o: Obj, k: string) => o[k] !== undefined && o[k] !== null;

// ---- HorizontalPodAutoscaler ----

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SOURCE_FIELD: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource', External: 'external' };

function validateCrossVersionRef(ref: unknown, path: string): FieldError[] {
  const r: Obj = isObj(ref) ? ref : {};
  const errs: FieldError[] = [];
  for (const f of ['kind', 'name']) {
    const v = str(r[f]);
    if (!v) errs.push(required(at(path, f)));
    else for (const m of pathSegmentErrors(v)) errs.push(invalid(at(path, f), v, m));
  }
  return errs;
}

function positiveQuantity(v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  const q = parseQuantity(String(v));
  return q !== undefined && q.nanos > 0n;
}

/** validateMetricTarget. */
function validateMetricTarget(target: unknown, path: string): FieldError[] {
  const t: Obj = isObj(target) ? target : {};
  const errs: FieldError[] = [];
  if (!t.type) errs.push(required(at(path, 'type'), 'must specify a metric target type'));
  if (t.type !== 'Utilization' && t.type !== 'Value' && t.type !== 'AverageValue') errs.push(invalid(at(path, 'type'), t.type ?? '', 'must be either Utilization, Value, or AverageValue'));
  if (positiveQuantity(t.value) === false) errs.push(invalid(at(path, 'value'), t.value, 'must be positive'));
  if (positiveQuantity(t.averageValue) === false) errs.push(invalid(at(path, 'averageValue'), t.averageValue, 'must be positive'));
  if (has(t, 'averageUtilization') && Number(t.averageUtilization) < 1) errs.push(invalid(at(path, 'averageUtilization'), t.averageUtilization, 'must be greater than 0'));
  return errs;
}

function validateMetricIdentifier(metric: unknown, path: string): FieldError[] {
  const m: Obj = isObj(metric) ? metric : {};
  if (!str(m.name)) return [required(at(path, 'name'), 'must specify a metric name')];
  return isObj(m.selector) ? validateLabelSelector(m.selector, at(path, 'selector')) : [];
}

function validateMetricSource(kind: string, src: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const target: Obj = isObj(src.target) ? src.target : {};
  switch (kind) {
    case 'resource':
    case 'containerResource':
      if (!str(src.name)) errs.push(required(at(path, 'name'), 'must specify a resource name'));
      if (kind === 'containerResource' && !str(src.container)) errs.push(required(at(path, 'container'), 'must specify a container'));
      errs.push(...validateMetricTarget(src.target, at(path, 'target')));
      if (!has(target, 'averageUtilization') && !has(target, 'averageValue')) {
        errs.push(required(at(path, 'target.averageUtilization'), 'must set either a target raw value or a target utilization'));
      } else if (has(target, 'averageUtilization') && has(target, 'averageValue')) {
        errs.push(forbidden(at(path, 'target.averageValue'), 'may not set both a target raw value and a target utilization'));
      }
      break;
    case 'pods':
      errs.push(...validateMetricIdentifier(src.metric, at(path, 'metric')));
      errs.push(...validateMetricTarget(src.target, at(path, 'target')));
      if (!has(target, 'averageValue')) errs.push(required(at(path, 'target.averageValue'), 'must specify a positive target averageValue'));
      break;
    case 'object':
      errs.push(...validateCrossVersionRef(src.describedObject, at(path, 'describedObject')));
      errs.push(...validateMetricIdentifier(src.metric, at(path, 'metric')));
      errs.push(...validateMetricTarget(src.target, at(path, 'target')));
      if (!has(target, 'value') && !has(target, 'averageValue')) errs.push(required(at(path, 'target.averageValue'), 'must set either a target value or averageValue'));
      break;
    case 'external':
      errs.push(...validateMetricIdentifier(src.metric, at(path, 'metric')));
      errs.push(...validateMetricTarget(src.target, at(path, 'target')));
      if (!has(target, 'value') && !has(target, 'averageValue')) errs.push(required(at(path, 'target.averageValue'), 'must set either a target value for metric or a per-pod target'));
      else if (has(target, 'value') && has(target, 'averageValue')) errs.push(forbidden(at(path, 'target.value'), 'may not set both a target value for metric and a per-pod target'));
      break;
  }
  return errs;
}

/** validateMetricSpec: the type names one source, which must be the only one given. */
function validateMetricSpec(m: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(m.type);
  if (!type) errs.push(required(at(path, 'type'), 'must specify a metric source type'));
  if (!METRIC_TYPES.includes(type)) errs.push(notSupported(at(path, 'type'), type, METRIC_TYPES));
  const present = ['object', 'external', 'pods', 'resource', 'containerResource'].filter((k) => isObj(m[k]));
  if (present.length) errs.push(...validateMetricSource(present[0], m[present[0]] as Obj, at(path, present[0])));
  const expected = SOURCE_FIELD[type];
  if (expected && !present.includes(expected)) errs.push(required(at(path, expected), 'must populate information for the given metric source'));
  if (present.length !== 1) for (const other of present.filter((k) => k !== expected)) errs.push(forbidden(at(path, other), 'must populate the given metric source only'));
  return errs;
}

function validateScalingRules(rules: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const w = rules.stabilizationWindowSeconds;
  if (typeof w === 'number' && w < 0) errs.push(invalid(at(path, 'stabilizationWindowSeconds'), w, 'must be greater than or equal to zero'));
  else if (typeof w === 'number' && w > 3600) errs.push(invalid(at(path, 'stabilizationWindowSeconds'), w, 'must be less than or equal to 3600'));
  if (has(rules, 'selectPolicy') && !['Disabled', 'Max', 'Min'].includes(str(rules.selectPolicy))) errs.push(notSupported(at(path, 'selectPolicy'), rules.selectPolicy, ['Disabled', 'Max', 'Min']));
  const policies = objs(rules.policies);
  if (policies.length === 0) errs.push(required(at(path, 'policies'), 'must specify at least one Policy'));
  policies.forEach((pol, j) => {
    const pp = idx(at(path, 'policies'), j);
    if (pol.type !== 'Pods' && pol.type !== 'Percent') errs.push(notSupported(at(pp, 'type'), pol.type ?? '', ['Percent', 'Pods']));
    if (!(Number(pol.value) > 0)) errs.push(invalid(at(pp, 'value'), pol.value ?? 0, 'must be greater than zero'));
    const period = Number(pol.periodSeconds);
    if (!(period > 0)) errs.push(invalid(at(pp, 'periodSeconds'), pol.periodSeconds ?? 0, 'must be greater than zero'));
    else if (period > 1800) errs.push(invalid(at(pp, 'periodSeconds'), pol.periodSeconds, 'must be less than or equal to 1800'));
  });
  return errs;
}

export function validateHPA(hpa: Obj): FieldError[] {
  const s = spec(hpa);
  const errs: FieldError[] = [];
  // minReplicas 0 needs the HPAScaleToZero alpha gate, which is off.
  if (has(s, 'minReplicas') && Number(s.minReplicas) < 1) errs.push(invalid('spec.minReplicas', s.minReplicas, 'must be greater than or equal to 1'));
  if (!(Number(s.maxReplicas) >= 1)) errs.push(invalid('spec.maxReplicas', s.maxReplicas ?? 0, 'must be greater than 0'));
  if (has(s, 'minReplicas') && Number(s.maxReplicas) < Number(s.minReplicas)) errs.push(invalid('spec.maxReplicas', s.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateCrossVersionRef(s.scaleTargetRef, 'spec.scaleTargetRef'));
  objs(s.metrics).forEach((m, i) => errs.push(...validateMetricSpec(m, idx('spec.metrics', i))));
  // autoscaling/v1
  if (has(s, 'targetCPUUtilizationPercentage') && Number(s.targetCPUUtilizationPercentage) < 1) {
    errs.push(invalid('spec.targetCPUUtilizationPercentage', s.targetCPUUtilizationPercentage, 'must be greater than 0'));
  }
  const behavior = s.behavior;
  if (isObj(behavior)) {
    for (const dir of ['scaleUp', 'scaleDown']) if (isObj(behavior[dir])) errs.push(...validateScalingRules(behavior[dir] as Obj, `spec.behavior.${dir}`));
  }
  return errs;
}

// ---- PodDisruptionBudget ----

export function validatePDB(pdb: Obj): FieldError[] {
  const s = spec(pdb);
  const errs: FieldError[] = [];
  if (has(s, 'minAvailable') && has(s, 'maxUnavailable')) errs.push(invalid('spec', s, 'minAvailable and maxUnavailable cannot be both set'));
  for (const f of ['minAvailable', 'maxUnavailable']) {
    if (!has(s, f)) continue;
    errs.push(...validateIntOrPercent(s[f], `spec.${f}`));
    errs.push(...notMoreThan100Percent(s[f], `spec.${f}`));
  }
  errs.push(...validateLabelSelector(s.selector, 'spec.selector'));
  if (has(s, 'unhealthyPodEvictionPolicy') && s.unhealthyPodEvictionPolicy !== 'AlwaysAllow' && s.unhealthyPodEvictionPolicy !== 'IfHealthyBudget') {
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', s.unhealthyPodEvictionPolicy, ['AlwaysAllow', 'IfHealthyBudget']));
  }
  return errs;
}

// ---- Lease ----

export function validateLease(lease: Obj): FieldError[] {
  const s = spec(lease);
  const errs: FieldError[] = [];
  if (has(s, 'leaseDurationSeconds') && Number(s.leaseDurationSeconds) <= 0) errs.push(invalid('spec.leaseDurationSeconds', s.leaseDurationSeconds, 'must be greater than 0'));
  errs.push(...nonNegative(s.leaseTransitions, 'spec.leaseTransitions'));
  if (has(s, 'strategy') && s.strategy !== 'OldestEmulationVersion') errs.push(notSupported('spec.strategy', s.strategy, ['OldestEmulationVersion']));
  if (has(s, 'preferredHolder') && !has(s, 'strategy')) errs.push(forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  return errs;
}

// ---- Ingress ----

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const WILDCARD_DNS_FMT = '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';

function isIPLike(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(':');
}

function validateBackend(b: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(b)) return [required(path)];
  const hasService = isObj(b.service);
  const hasResource = isObj(b.resource);
  if (hasService && hasResource) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (hasService) {
    const svc = b.service as Obj;
    const name = str(svc.name);
    if (!name) errs.push(required(at(path, 'service.name')));
    else for (const m of dns1035LabelErrors(name)) errs.push(invalid(at(path, 'service.name'), name, m));
    const port: Obj = isObj(svc.port) ? svc.port : {};
    const hasName = str(port.name) !== '';
    const hasNumber = typeof port.number === 'number' && port.number !== 0;
    if (hasName && hasNumber) errs.push(invalid(at(path, 'service.port'), port, 'cannot set both port name & port number'));
    else if (hasName) for (const m of portNameErrors(str(port.name))) errs.push(invalid(at(path, 'service.port.name'), port.name, m));
    else if (hasNumber) for (const m of portNumErrors(port.number)) errs.push(invalid(at(path, 'service.port.number'), port.number, m));
    else errs.push(required(at(path, 'service.port'), 'port name or number is required'));
  } else if (hasResource) {
    const r = b.resource as Obj;
    if (!str(r.kind)) errs.push(required(at(path, 'resource.kind')));
    if (!str(r.name)) errs.push(required(at(path, 'resource.name')));
  } else {
    errs.push(invalid(path, '', 'resource or service backend is required'));
  }
  return errs;
}

export function validateIngress(ing: Obj): FieldError[] {
  const s = spec(ing);
  const errs: FieldError[] = [];
  const rules = objs(s.rules);
  if (rules.length === 0 && !isObj(s.defaultBackend)) errs.push(invalid('spec', s.rules ?? null, 'either `defaultBackend` or `rules` must be specified'));
  if (isObj(s.defaultBackend)) errs.push(...validateBackend(s.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((r, i) => {
    const p = idx('spec.rules', i);
    const host = str(r.host);
    if (host) {
      if (isIPLike(host)) errs.push(invalid(at(p, 'host'), host, 'must be a DNS name, not an IP address'));
      else if (host.startsWith('*.')) {
        if (!new RegExp(`^${WILDCARD_DNS_FMT}$`).test(host)) {
          errs.push(invalid(at(p, 'host'), host, regexError("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character", WILDCARD_DNS_FMT, '*.example.com')));
        }
      } else for (const m of dns1123SubdomainErrors(host)) errs.push(invalid(at(p, 'host'), host, m));
    }
    if (!isObj(r.http)) return;
    const paths = objs(r.http.paths);
    if (paths.length === 0) errs.push(required(at(p, 'http.paths')));
    paths.forEach((hp, j) => {
      const pp = idx(at(p, 'http.paths'), j);
      if (!has(hp, 'pathType')) errs.push(required(at(pp, 'pathType'), 'pathType must be specified'));
      else if (!PATH_TYPES.includes(str(hp.pathType))) errs.push(notSupported(at(pp, 'pathType'), hp.pathType, PATH_TYPES));
      const path = str(hp.path);
      if ((hp.pathType === 'Exact' || hp.pathType === 'Prefix') && !path.startsWith('/')) errs.push(invalid(at(pp, 'path'), path, 'must be an absolute path'));
      else if (hp.pathType === 'ImplementationSpecific' && path && !path.startsWith('/')) errs.push(invalid(at(pp, 'path'), path, 'must be an absolute path'));
      errs.push(...validateBackend(hp.backend, at(pp, 'backend')));
    });
  });
  objs(s.tls).forEach((t, i) => {
    (Array.isArray(t.hosts) ? t.hosts : []).forEach((h, j) => {
      const host = String(h);
      const target = host.startsWith('*.') ? host.slice(2) : host;
      for (const m of dns1123SubdomainErrors(target)) errs.push(invalid(idx(at(idx('spec.tls', i), 'hosts'), j), host, m));
    });
  });
  const cls = str(s.ingressClassName);
  if (cls) for (const m of dns1123SubdomainErrors(cls)) errs.push(invalid('spec.ingressClassName', cls, m));
  return errs;
}

export function validateIngressClass(ic: Obj): FieldError[] {
  const s = spec(ic);
  const errs: FieldError[] = [];
  const controller = str(s.controller);
  if (!controller) errs.push(required('spec.controller'));
  else if (controller.length > 250) errs.push({ type: 'FieldValueTooLong', field: 'spec.controller', detail: 'may not be more than 250 bytes' });
  return errs;
}

// ---- NetworkPolicy ----

function isCIDR(s: string): boolean {
  const [ip, bits, ...rest] = s.split('/');
  if (rest.length || bits === undefined || !/^[0-9]+$/.test(bits)) return false;
  if (ip.includes(':')) return Number(bits) <= 128 && /^[0-9a-fA-F:.]+$/.test(ip);
  const parts = ip.split('.');
  return parts.length === 4 && parts.every((p) => /^[0-9]+$/.test(p) && Number(p) <= 255) && Number(bits) <= 32;
}

function validatePeers(peers: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  peers.forEach((peer, i) => {
    const p = idx(path, i);
    const sources = ['podSelector', 'namespaceSelector'].filter((k) => has(peer, k)).length;
    if (has(peer, 'ipBlock')) {
      if (sources > 0) errs.push(forbidden(p, 'may not specify both ipBlock and another peer'));
      const block: Obj = isObj(peer.ipBlock) ? peer.ipBlock : {};
      const cidr = str(block.cidr);
      if (!cidr) errs.push(required(at(p, 'ipBlock.cidr')));
      else if (!isCIDR(cidr)) errs.push(invalid(at(p, 'ipBlock.cidr'), cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
      (Array.isArray(block.except) ? block.except : []).forEach((e, j) => {
        if (!isCIDR(String(e))) errs.push(invalid(idx(at(p, 'ipBlock.except'), j), e, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
      });
    } else if (sources === 0) errs.push(required(p, 'must specify a peer'));
    if (has(peer, 'podSelector')) errs.push(...validateLabelSelector(peer.podSelector, at(p, 'podSelector')));
    if (has(peer, 'namespaceSelector')) errs.push(...validateLabelSelector(peer.namespaceSelector, at(p, 'namespaceSelector')));
  });
  return errs;
}

function validateNetworkPolicyPorts(ports: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  ports.forEach((port, i) => {
    const p = idx(path, i);
    if (has(port, 'protocol') && !PORT_PROTOCOLS.includes(str(port.protocol))) errs.push(notSupported(at(p, 'protocol'), port.protocol, PORT_PROTOCOLS));
    if (typeof port.port === 'number') {
      for (const m of portNumErrors(port.port)) errs.push(invalid(at(p, 'port'), port.port, m));
      if (has(port, 'endPort')) {
        if (Number(port.endPort) < port.port) errs.push(invalid(at(p, 'endPort'), port.endPort, 'must be greater than or equal to `port`'));
        for (const m of portNumErrors(port.endPort)) errs.push(invalid(at(p, 'endPort'), port.endPort, m));
      }
    } else if (typeof port.port === 'string') {
      for (const m of portNameErrors(port.port)) errs.push(invalid(at(p, 'port'), port.port, m));
      if (has(port, 'endPort')) errs.push(forbidden(at(p, 'endPort'), 'may not be specified when `port` is non-numeric'));
    } else if (has(port, 'endPort')) {
      errs.push(required(at(p, 'port'), 'must be specified when `endPort` is specified'));
    }
  });
  return errs;
}

export function validateNetworkPolicy(np: Obj): FieldError[] {
  const s = spec(np);
  const errs: FieldError[] = [];
  errs.push(...validateLabelSelector(s.podSelector, 'spec.podSelector'));
  objs(s.ingress).forEach((r, i) => {
    const p = idx('spec.ingress', i);
    errs.push(...validateNetworkPolicyPorts(objs(r.ports), at(p, 'ports')));
    errs.push(...validatePeers(objs(r.from), at(p, 'from')));
  });
  objs(s.egress).forEach((r, i) => {
    const p = idx('spec.egress', i);
    errs.push(...validateNetworkPolicyPorts(objs(r.ports), at(p, 'ports')));
    errs.push(...validatePeers(objs(r.to), at(p, 'to')));
  });
  const types = Array.isArray(s.policyTypes) ? s.policyTypes : [];
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(notSupported(idx('spec.policyTypes', i), t, ['Ingress', 'Egress']));
  });
  if (types.length > 2) errs.push(invalid('spec.policyTypes', types, 'may not specify more than two policyTypes'));
  return errs;
}

// ---- RBAC ----

const RBAC_GROUP = 'rbac.authorization.k8s.io';

export function validateRole(role: Obj, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  objs(role.rules).forEach((rule, i) => {
    const p = idx('rules', i);
    const verbs = Array.isArray(rule.verbs) ? rule.verbs : [];
    if (verbs.length === 0) errs.push(required(at(p, 'verbs'), 'verbs must contain at least one value'));
    const urls = Array.isArray(rule.nonResourceURLs) ? rule.nonResourceURLs : [];
    if (urls.length > 0) {
      if (namespaced) errs.push(invalid(at(p, 'nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
      const resourcey = ['apiGroups', 'resources', 'resourceNames'].some((k) => Array.isArray(rule[k]) && (rule[k] as unknown[]).length > 0);
      if (resourcey) errs.push(invalid(at(p, 'nonResourceURLs'), urls, 'rules cannot apply to both regular resources and non-resource URLs'));
      return;
    }
    if (!Array.isArray(rule.apiGroups) || rule.apiGroups.length === 0) errs.push(required(at(p, 'apiGroups'), 'resource rules must supply at least one api group'));
    if (!Array.isArray(rule.resources) || rule.resources.length === 0) errs.push(required(at(p, 'resources'), 'resource rules must supply at least one resource'));
  });
  return errs;
}

export function validateBinding(b: Obj, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref: Obj = isObj(b.roleRef) ? b.roleRef : {};
  if (ref.apiGroup !== RBAC_GROUP) errs.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(str(ref.kind))) errs.push(notSupported('roleRef.kind', ref.kind ?? '', kinds));
  const name = str(ref.name);
  if (!name) errs.push(required('roleRef.name'));
  else for (const m of pathSegmentErrors(name)) errs.push(invalid('roleRef.name', name, m));
  objs(b.subjects).forEach((s, i) => {
    const p = idx('subjects', i);
    const sname = str(s.name);
    if (!sname) errs.push(required(at(p, 'name')));
    switch (s.kind) {
      case 'ServiceAccount':
        if (sname) for (const m of dns1123SubdomainErrors(sname)) errs.push(invalid(at(p, 'name'), sname, m));
        if (str(s.apiGroup)) errs.push(notSupported(at(p, 'apiGroup'), s.apiGroup, ['']));
        if (!namespaced && !str(s.namespace)) errs.push(required(at(p, 'namespace')));
        break;
      case 'User':
      case 'Group':
        if (s.apiGroup !== RBAC_GROUP) errs.push(notSupported(at(p, 'apiGroup'), s.apiGroup ?? '', [RBAC_GROUP]));
        break;
      default:
        errs.push(notSupported(at(p, 'kind'), s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    }
  });
  return errs;
}

export function validateBindingUpdate(b: Obj, old: Obj, namespaced: boolean): FieldError[] {
  const errs = validateBinding(b, namespaced);
  if (JSON.stringify(b.roleRef) !== JSON.stringify(old.roleRef)) errs.push(invalid('roleRef', b.roleRef, 'cannot change roleRef'));
  return errs;
}

export function validateClusterRole(cr: Obj): FieldError[] {
  const errs = validateRole(cr, false);
  const agg = cr.aggregationRule;
  if (isObj(agg)) {
    const selectors = Array.isArray(agg.clusterRoleSelectors) ? agg.clusterRoleSelectors : [];
    if (selectors.length === 0) errs.push(required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((sel, i) => errs.push(...validateLabelSelector(sel, idx('aggregationRule.clusterRoleSelectors', i))));
  }
  return errs;
}

// ---- PriorityClass, StorageClass ----

const HIGHEST_USER_PRIORITY = 1000000000;
const SYSTEM_PRIORITY_CLASSES: Record<string, number> = { 'system-cluster-critical': 2000000000, 'system-node-critical': 2000001000 };

export function validatePriorityClass(pc: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const name = isObj(pc.metadata) ? str(pc.metadata.name) : '';
  if (name in SYSTEM_PRIORITY_CLASSES) {
    if (pc.value !== SYSTEM_PRIORITY_CLASSES[name]) errs.push(forbidden('metadata.name', `${name} is a system priority class and its value cannot be changed`));
  } else if (name.startsWith('system-')) {
    errs.push(forbidden('metadata.name', "priority class names with 'system-' prefix are reserved for system use only"));
  } else if (Number(pc.value) > HIGHEST_USER_PRIORITY) {
    errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
  }
  if (has(pc, 'preemptionPolicy') && pc.preemptionPolicy !== 'PreemptLowerPriority' && pc.preemptionPolicy !== 'Never') {
    errs.push(notSupported('preemptionPolicy', pc.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  }
  return errs;
}

export function validatePriorityClassUpdate(pc: Obj, old: Obj): FieldError[] {
  const errs = validatePriorityClass(pc);
  if (pc.value !== old.value) errs.push(forbidden('value', 'may not be changed in an update.'));
  errs.push(...immutable(pc.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
  return errs;
}

export function validateStorageClass(sc: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const provisioner = str(sc.provisioner);
  if (!provisioner) errs.push(required('provisioner'));
  else {
    for (const m of qualifiedNameErrors(provisioner.toLowerCase())) errs.push(invalid('provisioner', provisioner, m));
    if (provisioner.length > 63) errs.push({ type: 'FieldValueTooLong', field: 'provisioner', detail: 'may not be more than 63 bytes' });
  }
  if (has(sc, 'reclaimPolicy') && sc.reclaimPolicy !== 'Delete' && sc.reclaimPolicy !== 'Retain') errs.push(notSupported('reclaimPolicy', sc.reclaimPolicy, ['Delete', 'Retain']));
  if (has(sc, 'volumeBindingMode') && sc.volumeBindingMode !== 'Immediate' && sc.volumeBindingMode !== 'WaitForFirstConsumer') {
    errs.push(notSupported('volumeBindingMode', sc.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']));
  }
  return errs;
}

export function validateStorageClassUpdate(sc: Obj, old: Obj): FieldError[] {
  const errs = validateStorageClass(sc);
  if (JSON.stringify(sc.parameters ?? {}) !== JSON.stringify(old.parameters ?? {})) errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (sc.provisioner !== old.provisioner) errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (sc.reclaimPolicy !== old.reclaimPolicy) errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  errs.push(...immutable(sc.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode'));
  return errs;
}
