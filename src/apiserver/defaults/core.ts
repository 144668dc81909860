// core/v1 defaults other than pods and storage (pkg/apis/core/v1/defaults.go), plus what the
// namespace and service registries fill in on create that clients see as defaults.
import { canonicalQuantity, parseQuantity } from '../../util/quantity.js';
import { child, dflt, dfltPtr, isObj, list, opt } from './obj.js';
import type { Obj } from './obj.js';

/** service.ExternallyAccessible: NodePort and LoadBalancer services, and ClusterIP ones with external IPs. */
export function isExternallyAccessible(spec: Obj): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
}

/** SetDefaults_Service and SetDefaults_ServicePort, plus the IP family fields the REST layer sets. */
export function defaultService(svc: Obj): void {
  const spec = child(svc, 'spec');
  dflt(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = child(child(spec, 'sessionAffinityConfig'), 'clientIP');
    dfltPtr(cfg, 'timeoutSeconds', 10800);
  }
  dflt(spec, 'type', 'ClusterIP');
  for (const p of list(spec, 'ports')) {
    dflt(p, 'protocol', 'TCP');
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  const type = spec.type;
  if (isExternallyAccessible(spec)) dflt(spec, 'externalTrafficPolicy', 'Cluster');
  if (type === 'ClusterIP' || type === 'NodePort' || type === 'LoadBalancer') dfltPtr(spec, 'internalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') {
    dfltPtr(spec, 'allocateLoadBalancerNodePorts', true);
    // LoadBalancerIPMode (GA): ingress points with an IP default to ipMode VIP.
    for (const ing of list(opt(opt(svc, 'status'), 'loadBalancer'), 'ingress')) if (ing.ip) dfltPtr(ing, 'ipMode', 'VIP');
  }
  if (type !== 'ExternalName') {
    // Single-stack IPv4 service CIDR (Kumo's). Headless services without a selector ask for
    // RequireDualStack upstream and get every family the cluster has (pkg/registry/core/service/ipallocator).
    const headlessNoSelector = spec.clusterIP === 'None' && (!isObj(spec.selector) || Object.keys(spec.selector).length === 0);
    dfltPtr(spec, 'ipFamilyPolicy', headlessNoSelector ? 'RequireDualStack' : 'SingleStack');
    if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) {
      const ip = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
      spec.ipFamilies = [ip.includes(':') ? 'IPv6' : 'IPv4'];
    }
  }
}

/** SetDefaults_Namespace (the metadata.name label), _NamespaceStatus, and the registry's spec.finalizers. */
export function defaultNamespace(ns: Obj): void {
  const meta = child(ns, 'metadata');
  if (typeof meta.name === 'string' && meta.name) child(meta, 'labels')['kubernetes.io/metadata.name'] = meta.name;
  const spec = child(ns, 'spec');
  if (!Array.isArray(spec.finalizers) || spec.finalizers.length === 0) spec.finalizers = ['kubernetes'];
  dflt(child(ns, 'status'), 'phase', 'Active');
}

export function defaultSecret(secret: Obj): void {
  dflt(secret, 'type', 'Opaque');
  // v1 -> internal conversion folds stringData into data (base64 on the wire); it is never stored.
  const stringData = opt(secret, 'stringData');
  if (stringData) {
    const data = child(secret, 'data');
    for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  }
  delete secret.stringData;
}

/** SetDefaults_NodeStatus: allocatable defaults to capacity. */
export function defaultNode(node: Obj): void {
  const status = opt(node, 'status');
  if (!status) return;
  const capacity = opt(status, 'capacity');
  if (capacity) {
    canonical(capacity);
    if (!isObj(status.allocatable)) status.allocatable = { ...capacity };
  }
  canonical(opt(status, 'allocatable'));
}

function canonical(rl: Obj | undefined): void {
  if (!rl) return;
  for (const [k, v] of Object.entries(rl)) {
    const q = typeof v === 'string' || typeof v === 'number' ? parseQuantity(String(v)) : undefined;
    if (q) rl[k] = canonicalQuantity(q);
  }
}

/** SetDefaults_EndpointPort via the subsets walk. */
export function defaultEndpoints(ep: Obj): void {
  for (const subset of list(ep, 'subsets')) for (const p of list(subset, 'ports')) dflt(p, 'protocol', 'TCP');
}

/** SetDefaults_LimitRangeItem: container defaults fall back to max, defaultRequest to default. */
export function defaultLimitRange(lr: Obj): void {
  for (const item of list(child(lr, 'spec'), 'limits')) {
    if (item.type !== 'Container') continue;
    const max = opt(item, 'max') ?? {};
    const def = child(item, 'default');
    for (const [k, v] of Object.entries(max)) if (!(k in def)) def[k] = v;
    const defReq = child(item, 'defaultRequest');
    for (const [k, v] of Object.entries(def)) if (!(k in defReq)) defReq[k] = v;
    for (const [k, v] of Object.entries(opt(item, 'min') ?? {})) if (!(k in defReq)) defReq[k] = v;
    for (const key of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) canonical(opt(item, key));
  }
}

export function defaultResourceQuota(rq: Obj): void {
  canonical(opt(opt(rq, 'spec'), 'hard'));
}
