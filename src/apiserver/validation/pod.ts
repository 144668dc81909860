// Pod and pod template validation (pkg/apis/core/validation/validation.go: ValidatePodSpec,
// validateContainers, ValidateResourceRequirements, validateVolumes, validateTolerations, ...).
import { QUANTITY_FORMAT_ERROR, compareQuantities, parseQuantity } from '../../util/quantity.js';
import type { Quantity } from '../../util/quantity.js';
import type { FieldError } from './errors.js';
import { at, deepEqual, duplicate, forbidden, idx, invalid, key, nonNegative, notSupported, required } from './errors.js';
import { validateAnnotations, validateLabels } from './meta.js';
import { dns1123LabelErrors, dns1123SubdomainErrors, labelValueErrors, qualifiedNameErrors } from './names.js';
import { portNameErrors, portNumErrors, validatePortNumOrName } from './ports.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objs = (v: unknown): Obj[] => (Array.isArray(v) ? v.map((x) => (isObj(x) ? x : {})) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** The volume source fields of core.VolumeSource, in upstream's order of checking. */
const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'flexVolume', 'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'projected', 'scaleIO', 'storageos',
  'csi', 'ephemeral', 'image',
];

// ---- resources ----

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory',
  'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'persistentvolumeclaims',
  'configmaps', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
]);
const isHugePages = (n: string) => n.startsWith('hugepages-') || n.startsWith('requests.hugepages-');
const isNative = (n: string) => !n.includes('/') || n.includes('kubernetes.io/');
const isOvercommitAllowed = (n: string) => isNative(n) && !isHugePages(n);
const isIntegerResource = (n: string) => !isNative(n) || ['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers'].includes(n);

/** Parses a quantity field, reporting upstream's format error when it does not parse. */
export function quantityAt(value: unknown, field: string, errs: FieldError[]): Quantity | undefined {
  const q = typeof value === 'string' || typeof value === 'number' ? parseQuantity(String(value)) : undefined;
  if (!q) errs.push(invalid(field, value, QUANTITY_FORMAT_ERROR));
  return q;
}

function validateContainerResourceName(name: string, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const m of qualifiedNameErrors(name)) errs.push(invalid(field, name, m));
  if (!name.includes('/')) {
    if (!STANDARD_RESOURCES.has(name) && !isHugePages(name)) errs.push(invalid(field, name, 'must be a standard resource type or fully qualified'));
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) errs.push(invalid(field, name, 'must be a standard resource for containers'));
  } else if (!isNative(name) && name.startsWith('requests.')) {
    errs.push(invalid(field, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** ValidateResourceQuantityValue: non-negative, and whole for integer resources. */
export function validateQuantityValue(name: string, q: Quantity, raw: unknown, field: string): FieldError[] {
  if (q.nanos < 0n) return [invalid(field, String(raw), 'must be greater than or equal to 0')];
  if (isIntegerResource(name) && q.nanos % 1_000_000_000n !== 0n) return [invalid(field, String(raw), 'must be an integer')];
  return [];
}

/** ValidateResourceRequirements for a container. */
export function validateResources(res: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(res)) return errs;
  const limPath = at(path, 'limits');
  const reqPath = at(path, 'requests');
  const limits = isObj(res.limits) ? res.limits : {};
  const requests = isObj(res.requests) ? res.requests : {};
  const parsedLimits = new Map<string, Quantity>();
  for (const [name, raw] of Object.entries(limits)) {
    const f = key(limPath, name);
    errs.push(...validateContainerResourceName(name, f));
    const q = quantityAt(raw, f, errs);
    if (q) {
      parsedLimits.set(name, q);
      errs.push(...validateQuantityValue(name, q, raw, f));
    }
  }
  for (const [name, raw] of Object.entries(requests)) {
    const f = key(reqPath, name);
    errs.push(...validateContainerResourceName(name, f));
    const q = quantityAt(raw, f, errs);
    if (!q) continue;
    errs.push(...validateQuantityValue(name, q, raw, f));
    const limit = parsedLimits.get(name);
    if (limit) {
      const cmp = compareQuantities(q, limit);
      if (cmp !== 0 && !isOvercommitAllowed(name)) errs.push(invalid(reqPath, String(raw), `must be equal to ${name} limit of ${String(limits[name])}`));
      else if (cmp > 0) errs.push(invalid(reqPath, String(raw), `must be less than or equal to ${name} limit of ${String(limits[name])}`));
    } else if (!isOvercommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}

// ---- containers ----

function validateContainerPorts(ports: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const ip = idx(path, i);
    const name = str(p.name);
    if (name) {
      const msgs = portNameErrors(name);
      if (msgs.length) for (const m of msgs) errs.push(invalid(at(ip, 'name'), name, m));
      else if (names.has(name)) errs.push(duplicate(at(ip, 'name'), name));
      else names.add(name);
    }
    if (p.containerPort === undefined || p.containerPort === null || p.containerPort === 0) errs.push(required(at(ip, 'containerPort')));
    else for (const m of portNumErrors(p.containerPort)) errs.push(invalid(at(ip, 'containerPort'), p.containerPort, m));
    if (p.hostPort !== undefined && p.hostPort !== null && p.hostPort !== 0) for (const m of portNumErrors(p.hostPort)) errs.push(invalid(at(ip, 'hostPort'), p.hostPort, m));
    if (!p.protocol) errs.push(required(at(ip, 'protocol')));
    else if (!PORT_PROTOCOLS.includes(str(p.protocol))) errs.push(notSupported(at(ip, 'protocol'), p.protocol, PORT_PROTOCOLS));
  });
  return errs;
}

/** IsEnvVarName with RelaxedEnvironmentVariableValidation (on by default in 1.33). */
function envNameErrors(name: string): string[] {
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    if (c < 32 || c > 126 || ch === '=') return ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
  }
  return [];
}

function validateEnv(env: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((e, i) => {
    const ip = idx(path, i);
    const name = str(e.name);
    if (!name) errs.push(required(at(ip, 'name')));
    else for (const m of envNameErrors(name)) errs.push(invalid(at(ip, 'name'), name, m));
    const valueFrom = e.valueFrom;
    if (isObj(valueFrom)) {
      const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'].filter((k) => valueFrom[k] !== undefined && valueFrom[k] !== null);
      if (sources.length === 0) errs.push(invalid(at(ip, 'valueFrom'), '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
      else if (sources.length > 1) errs.push(invalid(at(ip, 'valueFrom'), '', 'may not have more than one field specified at a time'));
      if (str(e.value) !== '') errs.push(invalid(at(ip, 'valueFrom'), '', 'may not be specified when `value` is not empty'));
    }
  });
  return errs;
}

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'];

function validateHandler(h: Obj, path: string, allowed: string[]): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const k of allowed) {
    const v = h[k];
    if (v === undefined || v === null) continue;
    if (count > 0) {
      errs.push(forbidden(at(path, k), 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    if (!isObj(v)) continue;
    if (k === 'exec' && (!Array.isArray(v.command) || v.command.length === 0)) errs.push(required(at(at(path, k), 'command')));
    if (k === 'httpGet') {
      errs.push(...validatePortNumOrName(v.port, at(at(path, k), 'port')));
      if (v.scheme !== undefined && v.scheme !== 'HTTP' && v.scheme !== 'HTTPS') errs.push(notSupported(at(at(path, k), 'scheme'), v.scheme, ['HTTP', 'HTTPS']));
    }
    if (k === 'tcpSocket') errs.push(...validatePortNumOrName(v.port, at(at(path, k), 'port')));
    if (k === 'grpc') for (const m of portNumErrors(v.port)) errs.push(invalid(at(at(path, k), 'port'), v.port, m));
  }
  if (count === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: unknown, path: string, mustSucceedOnce: boolean): FieldError[] {
  if (!isObj(probe)) return [];
  const errs = validateHandler(probe, path, HANDLERS.filter((h) => h !== 'sleep'));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) errs.push(...nonNegative(probe[f], at(path, f)));
  if (typeof probe.terminationGracePeriodSeconds === 'number' && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(invalid(at(path, 'terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (mustSucceedOnce && typeof probe.successThreshold === 'number' && probe.successThreshold !== 1) {
    errs.push(invalid(at(path, 'successThreshold'), probe.successThreshold, 'must be 1'));
  }
  return errs;
}

function validateVolumeMounts(mounts: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  mounts.forEach((m, i) => {
    const ip = idx(path, i);
    if (!str(m.name)) errs.push(required(at(ip, 'name')));
    const mountPath = str(m.mountPath);
    if (!mountPath) errs.push(required(at(ip, 'mountPath')));
    else if (seen.has(mountPath)) errs.push(invalid(at(ip, 'mountPath'), mountPath, 'must be unique'));
    seen.add(mountPath);
    if (m.subPath !== undefined && m.subPathExpr !== undefined && str(m.subPath) && str(m.subPathExpr)) {
      errs.push(invalid(at(ip, 'subPathExpr'), m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
    }
  });
  return errs;
}

function validateContainer(c: Obj, path: string, names: Set<string>, kind: 'container' | 'init' | 'ephemeral', template: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c.name);
  if (!name) errs.push(required(at(path, 'name')));
  else {
    for (const m of dns1123LabelErrors(name)) errs.push(invalid(at(path, 'name'), name, m));
    if (names.has(name)) errs.push(duplicate(at(path, 'name'), name));
    names.add(name);
  }
  const image = str(c.image);
  if (!image) errs.push(required(at(path, 'image')));
  // Only pods are checked for whitespace: templates may carry " " as a placeholder upstream.
  else if (!template && image.trim() !== image) errs.push(invalid(at(path, 'image'), image, 'must not have leading or trailing whitespace'));
  if (c.imagePullPolicy === undefined || c.imagePullPolicy === '') errs.push(required(at(path, 'imagePullPolicy')));
  else if (!PULL_POLICIES.includes(str(c.imagePullPolicy))) errs.push(notSupported(at(path, 'imagePullPolicy'), c.imagePullPolicy, PULL_POLICIES));
  if (c.terminationMessagePolicy !== undefined && c.terminationMessagePolicy !== '' && c.terminationMessagePolicy !== 'File' && c.terminationMessagePolicy !== 'FallbackToLogsOnError') {
    errs.push(notSupported(at(path, 'terminationMessagePolicy'), c.terminationMessagePolicy, ['File', 'FallbackToLogsOnError']));
  }
  errs.push(...validateContainerPorts(objs(c.ports), at(path, 'ports')));
  errs.push(...validateEnv(objs(c.env), at(path, 'env')));
  errs.push(...validateVolumeMounts(objs(c.volumeMounts), at(path, 'volumeMounts')));
  errs.push(...validateResources(c.resources, at(path, 'resources')));
  if (kind === 'container' || (kind === 'init' && c.restartPolicy === 'Always')) {
    errs.push(...validateProbe(c.livenessProbe, at(path, 'livenessProbe'), true));
    errs.push(...validateProbe(c.readinessProbe, at(path, 'readinessProbe'), false));
    errs.push(...validateProbe(c.startupProbe, at(path, 'startupProbe'), true));
  } else {
    // Init containers (other than sidecars) and ephemeral containers may not have probes.
    for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (c[p] !== undefined && c[p] !== null) errs.push(forbidden(at(path, p), kind === 'init' ? `may not be set for init containers without restartPolicy=Always` : 'cannot be set for an Ephemeral Container'));
    }
  }
  if (kind === 'container' && c.restartPolicy !== undefined && c.restartPolicy !== null) {
    errs.push(forbidden(at(path, 'restartPolicy'), 'may not be set for non-init containers'));
  }
  if (kind === 'init' && c.restartPolicy !== undefined && c.restartPolicy !== null && c.restartPolicy !== 'Always') {
    errs.push(notSupported(at(path, 'restartPolicy'), c.restartPolicy, ['Always']));
  }
  const lifecycle = c.lifecycle;
  if (isObj(lifecycle)) {
    for (const h of ['postStart', 'preStop']) if (isObj(lifecycle[h])) errs.push(...validateHandler(lifecycle[h] as Obj, at(at(path, 'lifecycle'), h), HANDLERS));
  }
  return errs;
}

// ---- volumes ----

function validateVolumes(volumes: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const ip = idx(path, i);
    const name = str(v.name);
    if (!name) errs.push(required(at(ip, 'name')));
    else {
      for (const m of dns1123LabelErrors(name)) errs.push(invalid(at(ip, 'name'), name, m));
      if (names.has(name)) errs.push(duplicate(at(ip, 'name'), name));
      names.add(name);
    }
    let count = 0;
    for (const s of VOLUME_SOURCES) {
      if (v[s] === undefined || v[s] === null) continue;
      if (count > 0) errs.push(forbidden(at(ip, s), 'may not specify more than 1 volume type'));
      else errs.push(...validateVolumeSource(s, v[s], at(ip, s)));
      count++;
    }
    if (count === 0) errs.push(required(ip, 'must specify a volume type'));
  });
  return errs;
}

function validateVolumeSource(kind: string, src: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(src)) return errs;
  const mode = (field: string) => {
    const m = src[field];
    if (typeof m === 'number' && (m > 0o777 || m < 0)) errs.push(invalid(at(path, field), m, 'must be a number between 0 and 0777 (octal), both inclusive'));
  };
  switch (kind) {
    case 'secret':
      mode('defaultMode');
      break;
    case 'configMap':
      mode('defaultMode');
      if (!str(src.name)) errs.push(required(at(path, 'name')));
      break;
    case 'persistentVolumeClaim':
      if (!str(src.claimName)) errs.push(required(at(path, 'claimName')));
      break;
    case 'hostPath': {
      if (!str(src.path)) errs.push(required(at(path, 'path')));
      const types = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];
      if (src.type !== undefined && src.type !== null && !types.includes(str(src.type))) errs.push(notSupported(at(path, 'type'), src.type, types));
      break;
    }
    case 'emptyDir':
      if (src.medium !== undefined && src.medium !== '' && src.medium !== 'Memory' && !str(src.medium).startsWith('HugePages')) {
        errs.push(notSupported(at(path, 'medium'), src.medium, ['', 'Memory', 'HugePages']));
      }
      if (src.sizeLimit !== undefined && src.sizeLimit !== null) {
        const q = quantityAt(src.sizeLimit, at(path, 'sizeLimit'), errs);
        if (q && q.nanos < 0n) errs.push(invalid(at(path, 'sizeLimit'), src.sizeLimit, 'must be greater than or equal to 0'));
      }
      break;
    case 'csi':
      if (!str(src.driver)) errs.push(required(at(path, 'driver')));
      break;
    case 'nfs':
      if (!str(src.server)) errs.push(required(at(path, 'server')));
      if (!str(src.path)) errs.push(required(at(path, 'path')));
      else if (!str(src.path).startsWith('/')) errs.push(invalid(at(path, 'path'), src.path, 'must be an absolute path'));
      break;
    case 'projected':
      mode('defaultMode');
      break;
  }
  return errs;
}

// ---- pod spec ----

function validateTolerations(tolerations: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  tolerations.forEach((t, i) => {
    const ip = idx(path, i);
    const k = str(t.key);
    if (k) for (const m of qualifiedNameErrors(k)) errs.push(invalid(at(ip, 'key'), k, m));
    if (!k && t.operator !== 'Exists') errs.push(invalid(at(ip, 'operator'), t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(invalid(at(ip, 'effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (t.operator ?? '') {
      case '':
      case 'Equal':
        for (const m of validateLabelValue(str(t.value))) errs.push(invalid(at(ip, 'value'), t.value, m));
        break;
      case 'Exists':
        if (str(t.value)) errs.push(invalid(at(ip, 'operator'), t, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(notSupported(at(ip, 'operator'), t.operator, ['Equal', 'Exists']));
    }
    if (t.effect !== undefined && t.effect !== '' && !TAINT_EFFECTS.includes(str(t.effect))) errs.push(notSupported(at(ip, 'effect'), t.effect, TAINT_EFFECTS));
  });
  return errs;
}

function validateLabelValue(v: string): string[] {
  return v === '' ? [] : labelValueErrors(v);
}

export interface PodSpecOptions {
  /** Inside a workload's template (ephemeral containers are forbidden there). */
  template?: boolean;
}

/** ValidatePodSpec. */
export function validatePodSpec(spec: unknown, path: string, opts: PodSpecOptions = {}): FieldError[] {
  const s: Obj = isObj(spec) ? spec : {};
  const errs: FieldError[] = [];
  errs.push(...validateVolumes(objs(s.volumes), at(path, 'volumes')));
  const names = new Set<string>();
  const containers = objs(s.containers);
  if (containers.length === 0) errs.push(required(at(path, 'containers')));
  objs(s.initContainers).forEach((c, i) => errs.push(...validateContainer(c, idx(at(path, 'initContainers'), i), names, 'init', !!opts.template)));
  containers.forEach((c, i) => errs.push(...validateContainer(c, idx(at(path, 'containers'), i), names, 'container', !!opts.template)));
  const ephemeral = objs(s.ephemeralContainers);
  if (opts.template && ephemeral.length) errs.push(forbidden(at(path, 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  ephemeral.forEach((c, i) => errs.push(...validateContainer(c, idx(at(path, 'ephemeralContainers'), i), names, 'ephemeral', !!opts.template)));
  const restart = s.restartPolicy;
  if (restart === undefined || restart === '') errs.push(required(at(path, 'restartPolicy')));
  else if (!RESTART_POLICIES.includes(str(restart))) errs.push(notSupported(at(path, 'restartPolicy'), restart, RESTART_POLICIES));
  const dns = s.dnsPolicy;
  if (dns === undefined || dns === '') errs.push(required(at(path, 'dnsPolicy')));
  else if (!DNS_POLICIES.includes(str(dns))) errs.push(notSupported(at(path, 'dnsPolicy'), dns, DNS_POLICIES));
  else if (dns === 'None' && !isObj(s.dnsConfig)) errs.push(required(at(path, 'dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  errs.push(...validateLabels(s.nodeSelector, at(path, 'nodeSelector')));
  const sa = str(s.serviceAccountName);
  if (sa) for (const m of dns1123SubdomainErrors(sa)) errs.push(invalid(at(path, 'serviceAccountName'), sa, m));
  const nodeName = str(s.nodeName);
  if (nodeName) for (const m of dns1123SubdomainErrors(nodeName)) errs.push(invalid(at(path, 'nodeName'), nodeName, m));
  for (const f of ['hostname', 'subdomain']) {
    const v = str(s[f]);
    if (v) for (const m of dns1123LabelErrors(v)) errs.push(invalid(at(path, f), v, m));
  }
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds !== null) {
    const v = Number(s.activeDeadlineSeconds);
    if (!(v >= 1 && v <= 2147483647)) errs.push(invalid(at(path, 'activeDeadlineSeconds'), s.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  errs.push(...validateTolerations(objs(s.tolerations), at(path, 'tolerations')));
  const pcn = str(s.priorityClassName);
  if (pcn) for (const m of dns1123SubdomainErrors(pcn)) errs.push(invalid(at(path, 'priorityClassName'), pcn, m));
  const imagePullSecrets = objs(s.imagePullSecrets);
  imagePullSecrets.forEach((r, i) => {
    if (!str(r.name)) errs.push(required(at(idx(at(path, 'imagePullSecrets'), i), 'name')));
  });
  if (s.hostNetwork === true) {
    [...objs(s.initContainers), ...containers].forEach((c, ci) => {
      objs(c.ports).forEach((p, pi) => {
        if (p.hostPort !== undefined && p.hostPort !== p.containerPort) {
          errs.push(invalid(at(idx(at(idx(at(path, 'containers'), ci), 'ports'), pi), 'containerPort'), p.containerPort, 'must match `hostPort` when `hostNetwork` is true'));
        }
      });
    });
  }
  return errs;
}

/** ValidatePodTemplateSpec: labels, annotations and the pod spec. */
export function validatePodTemplateSpec(template: unknown, path: string): FieldError[] {
  const t: Obj = isObj(template) ? template : {};
  const meta: Obj = isObj(t.metadata) ? t.metadata : {};
  return [
    ...validateLabels(meta.labels, at(at(path, 'metadata'), 'labels')),
    ...validateAnnotations(meta.annotations, at(at(path, 'metadata'), 'annotations')),
    ...validatePodSpec(t.spec, at(path, 'spec'), { template: true }),
  ];
}

/** ValidatePod (create). */
export function validatePod(pod: Obj): FieldError[] {
  return validatePodSpec(pod.spec, 'spec');
}

const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** ValidatePodUpdate: the spec is immutable but for images, activeDeadlineSeconds, added tolerations, removed scheduling gates. */
export function validatePodUpdate(pod: Obj, old: Obj): FieldError[] {
  const errs = validatePodSpec(pod.spec, 'spec');
  const ns: Obj = structuredClone(isObj(pod.spec) ? pod.spec : {});
  const os: Obj = isObj(old.spec) ? old.spec : {};
  // Allowed changes are copied over from the old spec before comparing.
  for (const list of ['containers', 'initContainers']) {
    const n = objs(ns[list]);
    const o = objs(os[list]);
    if (n.length === o.length) n.forEach((c, i) => (c.image = o[i].image));
  }
  const oldDeadline = os.activeDeadlineSeconds;
  const newDeadline = ns.activeDeadlineSeconds;
  if (newDeadline !== undefined && newDeadline !== null && (oldDeadline === undefined || oldDeadline === null || Number(newDeadline) <= Number(oldDeadline))) {
    ns.activeDeadlineSeconds = oldDeadline;
  }
  const oldTolerations = objs(os.tolerations);
  const newTolerations = objs(ns.tolerations);
  if (oldTolerations.every((t) => newTolerations.some((n) => deepEqual(n, t)))) ns.tolerations = os.tolerations;
  const oldGates = objs(os.schedulingGates);
  const newGates = objs(ns.schedulingGates);
  if (newGates.every((g) => oldGates.some((o) => deepEqual(o, g)))) ns.schedulingGates = os.schedulingGates;
  if (typeof os.terminationGracePeriodSeconds === 'number' && os.terminationGracePeriodSeconds < 0 && ns.terminationGracePeriodSeconds === 1) {
    ns.terminationGracePeriodSeconds = os.terminationGracePeriodSeconds;
  }
  // nodeName is set by binding, not by update; the registry carries it over.
  if (!deepEqual(ns, os)) errs.push(forbidden('spec', POD_UPDATE_FORBIDDEN));
  return errs;
}
