// core/v1 kinds other than pods and controllers (pkg/apis/core/validation/validation.go):
// Service, ConfigMap, Secret, Namespace, PersistentVolume(Claim), Node, Event, ServiceAccount.
import { compareQuantities } from '../../util/quantity.js';
import type { FieldError } from './errors.js';
import { at, deepEqual, duplicate, forbidden, idx, immutable, invalid, key, nonNegative, notSupported, required, tooLong } from './errors.js';
import { validateLabels } from './meta.js';
import { dns1123LabelErrors, dns1123SubdomainErrors, labelValueErrors, maxLenError, qualifiedNameErrors, regexError } from './names.js';
import { PORT_PROTOCOLS, quantityAt } from './pod.js';
import { portNumErrors, validatePortNumOrName } from './ports.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objs = (v: unknown): Obj[] => (Array.isArray(v) ? v.map((x) => (isObj(x) ? x : {})) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const spec = (o: Obj): Obj => (isObj(o.spec) ? o.spec : {});

// ---- Service ----

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;

function isIP(s: string): boolean {
  if (/^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/.test(s)) return true;
  return s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s) && s.split('::').length <= 2;
}

export function validateService(svc: Obj): FieldError[] {
  const s = spec(svc);
  const errs: FieldError[] = [];
  const type = str(s.type);
  const ports = objs(s.ports);
  if (!SERVICE_TYPES.includes(type)) errs.push(type ? notSupported('spec.type', type, SERVICE_TYPES) : required('spec.type'));
  if (type === 'ExternalName') {
    const clusterIP = str(s.clusterIP);
    if (clusterIP) errs.push(forbidden('spec.clusterIP', 'may not be set for ExternalName services'));
    const name = str(s.externalName).replace(/\.$/, '');
    if (!name) errs.push(required('spec.externalName'));
    else for (const m of dns1123SubdomainErrors(name)) errs.push(invalid('spec.externalName', s.externalName, m));
  } else if (ports.length === 0) {
    errs.push(required('spec.ports'));
  }
  const names = new Set<string>();
  const requireName = ports.length > 1;
  ports.forEach((p, i) => {
    const pp = idx('spec.ports', i);
    const name = str(p.name);
    if (requireName && !name) errs.push(required(at(pp, 'name')));
    else if (name) {
      for (const m of dns1123LabelErrors(name)) errs.push(invalid(at(pp, 'name'), name, m));
      if (names.has(name)) errs.push(duplicate(at(pp, 'name'), name));
      names.add(name);
    }
    for (const m of portNumErrors(p.port)) errs.push(invalid(at(pp, 'port'), p.port ?? 0, m));
    if (!p.protocol) errs.push(required(at(pp, 'protocol')));
    else if (!PORT_PROTOCOLS.includes(str(p.protocol))) errs.push(notSupported(at(pp, 'protocol'), p.protocol, PORT_PROTOCOLS));
    errs.push(...validatePortNumOrName(p.targetPort, at(pp, 'targetPort')));
    if (p.appProtocol !== undefined && p.appProtocol !== null) for (const m of qualifiedNameErrors(str(p.appProtocol))) errs.push(invalid(at(pp, 'appProtocol'), p.appProtocol, m));
    if (type === 'ClusterIP' && p.nodePort) errs.push(forbidden(at(pp, 'nodePort'), "may not be used when `type` is 'ClusterIP'"));
    if (p.nodePort) for (const m of portNumErrors(p.nodePort)) errs.push(invalid(at(pp, 'nodePort'), p.nodePort, m));
  });
  // (protocol, port) pairs must be unique.
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const k = `${str(p.protocol)}/${String(p.port)}`;
    if (seen.has(k)) errs.push(duplicate(idx('spec.ports', i), { protocol: p.protocol, port: p.port }));
    seen.add(k);
  });
  errs.push(...validateLabels(s.selector, 'spec.selector'));
  const affinity = s.sessionAffinity;
  if (affinity === undefined || affinity === '') errs.push(required('spec.sessionAffinity'));
  else if (affinity !== 'ClientIP' && affinity !== 'None') errs.push(notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']));
  if (affinity === 'ClientIP') {
    const t = isObj(s.sessionAffinityConfig) && isObj(s.sessionAffinityConfig.clientIP) ? s.sessionAffinityConfig.clientIP.timeoutSeconds : undefined;
    if (typeof t !== 'number' || t <= 0 || t > MAX_CLIENT_IP_AFFINITY_SECONDS) {
      errs.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t ?? 0, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`));
    }
  } else if (affinity === 'None' && isObj(s.sessionAffinityConfig)) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  const clusterIP = str(s.clusterIP);
  if (clusterIP && clusterIP !== 'None' && !isIP(clusterIP)) errs.push(invalid('spec.clusterIPs[0]', clusterIP, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  if (clusterIP === 'None' && (type === 'NodePort' || type === 'LoadBalancer')) {
    errs.push(invalid('spec.clusterIPs[0]', clusterIP, `may not be set to 'None' for ${type} services`));
  }
  (Array.isArray(s.externalIPs) ? s.externalIPs : []).forEach((ip, i) => {
    if (!isIP(String(ip))) errs.push(invalid(idx('spec.externalIPs', i), ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  const externallyAccessible = type === 'NodePort' || type === 'LoadBalancer' || (type === 'ClusterIP' && Array.isArray(s.externalIPs) && s.externalIPs.length > 0);
  const etp = s.externalTrafficPolicy;
  if (!externallyAccessible) {
    if (etp !== undefined && etp !== '') errs.push(invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (etp === undefined || etp === '') {
    errs.push(required('spec.externalTrafficPolicy'));
  } else if (etp !== 'Cluster' && etp !== 'Local') {
    errs.push(notSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']));
  }
  if (s.internalTrafficPolicy !== undefined && s.internalTrafficPolicy !== null && s.internalTrafficPolicy !== 'Cluster' && s.internalTrafficPolicy !== 'Local') {
    errs.push(notSupported('spec.internalTrafficPolicy', s.internalTrafficPolicy, ['Cluster', 'Local']));
  }
  if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null && !['SingleStack', 'PreferDualStack', 'RequireDualStack'].includes(str(s.ipFamilyPolicy))) {
    errs.push(notSupported('spec.ipFamilyPolicy', s.ipFamilyPolicy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  }
  (Array.isArray(s.ipFamilies) ? s.ipFamilies : []).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(notSupported(idx('spec.ipFamilies', i), f, ['IPv4', 'IPv6']));
  });
  return errs;
}

export function validateServiceUpdate(svc: Obj, old: Obj): FieldError[] {
  const errs = validateService(svc);
  const s = spec(svc);
  const o = spec(old);
  // clusterIP may change only from or to ExternalName (validateUpgradeDowngradeClusterIPs).
  if (s.type !== 'ExternalName' && o.type !== 'ExternalName') {
    const oldIP = str(o.clusterIP);
    const newIP = str(s.clusterIP);
    if (oldIP && newIP && oldIP !== newIP) errs.push(invalid('spec.clusterIPs[0]', newIP, 'may not change once set'));
  }
  return errs;
}

// ---- ConfigMap and Secret ----

const MAX_SECRET_SIZE = 1024 * 1024;

/** IsConfigMapKey (used for Secret keys too). */
export function configMapKeyErrors(k: string): string[] {
  const errs: string[] = [];
  if (k.length > 253) errs.push(maxLenError(253));
  if (!/^[-._a-zA-Z0-9]+$/.test(k)) errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", '[-._a-zA-Z0-9]+', 'key.name', 'KEY_NAME', 'key-name'));
  if (k === '.') errs.push("must not be '.'");
  else if (k === '..') errs.push("must not be '..'");
  else if (k.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

function base64Length(v: unknown): number {
  return typeof v === 'string' ? Buffer.from(v, 'base64').length : 0;
}

export function validateConfigMap(cm: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const data: Obj = isObj(cm.data) ? cm.data : {};
  const binary: Obj = isObj(cm.binaryData) ? cm.binaryData : {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of configMapKeyErrors(k)) errs.push(invalid(key('data', k), k, m));
    if (k in binary) errs.push(invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(str(v));
  }
  for (const [k, v] of Object.entries(binary)) {
    for (const m of configMapKeyErrors(k)) errs.push(invalid(key('binaryData', k), k, m));
    if (k in data) errs.push(invalid(key('binaryData', k), k, 'duplicate of key present in data'));
    total += base64Length(v);
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong('', MAX_SECRET_SIZE));
  return errs;
}

function validateImmutableData(obj: Obj, old: Obj, fields: string[]): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable !== true) return errs;
  if (obj.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) if (!deepEqual(obj[f], old[f])) errs.push(forbidden(f, 'field is immutable when `immutable` is set'));
  return errs;
}

export function validateConfigMapUpdate(cm: Obj, old: Obj): FieldError[] {
  return [...validateImmutableData(cm, old, ['data', 'binaryData']), ...validateConfigMap(cm)];
}

function secretDataHas(data: Obj, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(data, k);
}

function jsonParseError(v: unknown): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(str(v), 'base64').toString('utf8'));
    if (!isObj(parsed)) return `json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : typeof parsed} into Go value of type map[string]interface {}`;
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export function validateSecret(secret: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const data: Obj = isObj(secret.data) ? secret.data : {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of configMapKeyErrors(k)) errs.push(invalid(key('data', k), k, m));
    total += base64Length(v);
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong('data', MAX_SECRET_SIZE));
  const annotations: Obj = isObj(secret.metadata) && isObj(secret.metadata.annotations) ? secret.metadata.annotations : {};
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      if (!str(annotations['kubernetes.io/service-account.name'])) errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const k = secret.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!secretDataHas(data, k)) {
        errs.push(required(key('data', k)));
        break;
      }
      const e = jsonParseError(data[k]);
      if (e) errs.push(invalid(key('data', k), '<secret contents redacted>', e));
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!secretDataHas(data, 'username') && !secretDataHas(data, 'password')) {
        errs.push(required(key('data', 'username')));
        errs.push(required(key('data', 'password')));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (base64Length(data['ssh-privatekey']) === 0) errs.push(required(key('data', 'ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      if (!secretDataHas(data, 'tls.crt')) errs.push(required(key('data', 'tls.crt')));
      if (!secretDataHas(data, 'tls.key')) errs.push(required(key('data', 'tls.key')));
      break;
  }
  return errs;
}

export function validateSecretUpdate(secret: Obj, old: Obj): FieldError[] {
  return [...immutable(secret.type ?? '', old.type ?? '', 'type'), ...validateImmutableData(secret, old, ['data']), ...validateSecret(secret)];
}

// ---- Namespace ----

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export function validateNamespace(ns: Obj): FieldError[] {
  const errs: FieldError[] = [];
  (Array.isArray(spec(ns).finalizers) ? (spec(ns).finalizers as unknown[]) : []).forEach((f) => {
    const name = String(f);
    for (const m of qualifiedNameErrors(name)) errs.push(invalid('spec.finalizers', name, m));
    if (!name.includes('/') && !STANDARD_FINALIZERS.has(name)) errs.push(invalid('spec.finalizers', name, 'name is neither a standard finalizer name nor is it fully qualified'));
  });
  return errs;
}

// ---- PersistentVolumeClaim and PersistentVolume ----

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

function validateAccessModes(modes: unknown, path: string, errs: FieldError[]): void {
  const list = Array.isArray(modes) ? modes : [];
  if (list.length === 0) {
    errs.push(required(path, 'at least 1 access mode is required'));
    return;
  }
  for (const m of list) if (!ACCESS_MODES.includes(String(m))) errs.push(notSupported(path, m, ACCESS_MODES));
  if (list.includes('ReadWriteOncePod') && list.length > 1) errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
}

export function validatePVC(pvc: Obj): FieldError[] {
  const s = spec(pvc);
  const errs: FieldError[] = [];
  validateAccessModes(s.accessModes, 'spec.accessModes', errs);
  const requests = isObj(s.resources) && isObj(s.resources.requests) ? s.resources.requests : {};
  if (!('storage' in requests)) errs.push(required('spec.resources[storage]'));
  else {
    const q = quantityAt(requests.storage, 'spec.resources[storage]', errs);
    if (q && q.nanos <= 0n) errs.push(invalid('spec.resources[storage]', String(requests.storage), 'must be greater than zero'));
  }
  if (s.volumeMode !== undefined && s.volumeMode !== null && s.volumeMode !== 'Block' && s.volumeMode !== 'Filesystem') {
    errs.push(notSupported('spec.volumeMode', s.volumeMode, ['Block', 'Filesystem']));
  }
  const sc = str(s.storageClassName);
  if (sc) for (const m of dns1123SubdomainErrors(sc)) errs.push(invalid('spec.storageClassName', sc, m));
  return errs;
}

export function validatePVCUpdate(pvc: Obj, old: Obj): FieldError[] {
  const errs = validatePVC(pvc);
  const ns: Obj = structuredClone(spec(pvc));
  const os: Obj = structuredClone(spec(old));
  // The binder sets volumeName once; a bound claim may change its storage request and volumeAttributesClassName.
  if (!str(os.volumeName)) delete ns.volumeName;
  const bound = isObj(pvc.status) && pvc.status.phase === 'Bound';
  if (bound) {
    for (const s of [ns, os]) {
      if (isObj(s.resources) && isObj(s.resources.requests)) delete s.resources.requests.storage;
    }
    delete ns.volumeAttributesClassName;
    delete os.volumeAttributesClassName;
  }
  if (!deepEqual(ns, os)) errs.push(forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  if (bound) {
    const get = (o: Obj) => (isObj(o.spec) && isObj(o.spec.resources) && isObj(o.spec.resources.requests) ? o.spec.resources.requests.storage : undefined);
    const sink: FieldError[] = [];
    const newQ = get(pvc) !== undefined ? quantityAt(get(pvc), 'x', sink) : undefined;
    const cap = isObj(pvc.status) && isObj(pvc.status.capacity) ? pvc.status.capacity.storage : undefined;
    const capQ = cap !== undefined ? quantityAt(cap, 'x', sink) : undefined;
    if (newQ && capQ && compareQuantities(newQ, capQ) < 0) errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  }
  return errs;
}

const PV_SOURCES = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'hostPath', 'glusterfs', 'nfs', 'rbd', 'iscsi', 'cinder', 'cephfs', 'fc', 'flocker',
  'flexVolume', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'local',
  'storageos', 'csi',
];

export function validatePV(pv: Obj): FieldError[] {
  const s = spec(pv);
  const errs: FieldError[] = [];
  validateAccessModes(s.accessModes, 'spec.accessModes', errs);
  const capacity: Obj = isObj(s.capacity) ? s.capacity : {};
  if (Object.keys(capacity).length === 0) errs.push(required('spec.capacity'));
  else if (!('storage' in capacity) || Object.keys(capacity).length !== 1) errs.push(notSupported('spec.capacity', Object.keys(capacity), ['storage']));
  else {
    const q = quantityAt(capacity.storage, 'spec.capacity[storage]', errs);
    if (q && q.nanos <= 0n) errs.push(invalid('spec.capacity[storage]', String(capacity.storage), 'must be greater than zero'));
  }
  const policy = s.persistentVolumeReclaimPolicy;
  if (policy !== undefined && policy !== '' && !['Delete', 'Recycle', 'Retain'].includes(str(policy))) {
    errs.push(notSupported('spec.persistentVolumeReclaimPolicy', policy, ['Delete', 'Recycle', 'Retain']));
  }
  const sources = PV_SOURCES.filter((k) => s[k] !== undefined && s[k] !== null);
  if (sources.length === 0) errs.push(required('spec', 'must specify a volume type'));
  for (const extra of sources.slice(1)) errs.push(forbidden(at('spec', extra), 'may not specify more than 1 volume type'));
  const sc = str(s.storageClassName);
  if (sc) for (const m of dns1123SubdomainErrors(sc)) errs.push(invalid('spec.storageClassName', sc, m));
  return errs;
}

// ---- Node ----

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateNode(node: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec(node);
  const seen = new Set<string>();
  objs(s.taints).forEach((t, i) => {
    const p = idx('spec.taints', i);
    const k = str(t.key);
    if (!k) errs.push(required(at(p, 'key')));
    else for (const m of qualifiedNameErrors(k)) errs.push(invalid(at(p, 'key'), k, m));
    const v = str(t.value);
    if (v) for (const m of labelValueErrors(v)) errs.push(invalid(at(p, 'value'), v, m));
    if (!t.effect) errs.push(required(at(p, 'effect')));
    else if (!TAINT_EFFECTS.includes(str(t.effect))) errs.push(notSupported(at(p, 'effect'), t.effect, TAINT_EFFECTS));
    const id = `${k}:${str(t.effect)}`;
    if (seen.has(id)) errs.push(duplicate(p, t));
    seen.add(id);
  });
  return errs;
}

export function validateNodeUpdate(node: Obj, old: Obj): FieldError[] {
  const errs = validateNode(node);
  const oldID = str(spec(old).providerID);
  const newID = str(spec(node).providerID);
  if (oldID && oldID !== newID) errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  return errs;
}

// ---- Event ----

/**
 * ValidateEventCreate. core/v1 Events get only the legacy checks; events.k8s.io/v1 Events are
 * checked strictly. Field paths are those of the internal Event (involvedObject, reportingController).
 */
export function validateEvent(ev: Obj, strict: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const meta: Obj = isObj(ev.metadata) ? ev.metadata : {};
  const ns = str(meta.namespace);
  const involved: Obj = isObj(ev.involvedObject) ? ev.involvedObject : isObj(ev.regarding) ? ev.regarding : {};
  const involvedNs = str(involved.namespace);
  const reportingField = strict ? 'reportingController' : 'reportingComponent';
  const reporting = str(ev.reportingController ?? ev.reportingComponent);
  if (!ev.eventTime) {
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    } else if (ns !== involvedNs) errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    if (!reporting) errs.push(required(reportingField));
    for (const m of qualifiedNameErrors(reporting)) if (reporting) errs.push(invalid(reportingField, reporting, m));
    const instance = str(ev.reportingInstance);
    if (!instance) errs.push(required('reportingInstance'));
    if (instance.length > 128) errs.push(invalid('reportingInstance', '', 'can have at most 128 characters'));
    const action = str(ev.action);
    if (!action) errs.push(required('action'));
    if (action.length > 128) errs.push(invalid('action', '', 'can have at most 128 characters'));
    const reason = str(ev.reason);
    if (!reason) errs.push(required('reason'));
    if (reason.length > 128) errs.push(invalid('reason', '', 'can have at most 128 characters'));
    const message = str(ev.message ?? ev.note);
    if (message.length > 1024) errs.push(invalid('message', '', 'can have at most 1024 characters'));
  }
  for (const m of dns1123SubdomainErrors(ns)) errs.push(invalid('namespace', ns, m));
  if (strict) {
    if (!ev.eventTime) errs.push(required('eventTime'));
    const type = str(ev.type);
    if (type !== 'Normal' && type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${type}`));
  }
  return errs;
}

// ---- ServiceAccount, Lease-like kinds handled elsewhere ----

export function validateServiceAccount(sa: Obj): FieldError[] {
  const errs: FieldError[] = [];
  objs(sa.secrets).forEach((r, i) => {
    const n = str(r.name);
    if (n) for (const m of dns1123SubdomainErrors(n)) errs.push(invalid(at(idx('secrets', i), 'name'), n, m));
  });
  objs(sa.imagePullSecrets).forEach((r, i) => {
    if (!str(r.name)) errs.push(required(at(idx('imagePullSecrets', i), 'name')));
  });
  return errs;
}

/** ResourceQuota and LimitRange quantities must parse and not be negative. */
export function validateResourceQuota(rq: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const hard: Obj = isObj(spec(rq).hard) ? (spec(rq).hard as Obj) : {};
  for (const [k, v] of Object.entries(hard)) {
    const q = quantityAt(v, key('spec.hard', k), errs);
    if (q) errs.push(...nonNegative(q.nanos < 0n ? -1 : 0, key('spec.hard', k)).map((e) => ({ ...e, badValue: String(v) })));
  }
  return errs;
}
