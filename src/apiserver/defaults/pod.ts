// Pod spec defaults (pkg/apis/core/v1/defaults.go and the generated SetObjectDefaults_* walk):
// SetDefaults_PodSpec, _Container, _ContainerPort, _Probe, _HTTPGetAction, _Volume and the
// volume sources, _ObjectFieldSelector, plus SetDefaults_Pod for bare Pods.
import { canonicalQuantity, parseQuantity } from '../../util/quantity.js';
import { child, dflt, dfltPtr, list, opt } from './obj.js';
import type { Obj } from './obj.js';
import { defaultPVCSpec } from './storage.js';

/** Serialised quantities come back in canonical form (resource.Quantity's MarshalJSON). */
export function canonicalizeResourceList(rl: Obj | undefined): void {
  if (!rl) return;
  for (const [k, v] of Object.entries(rl)) {
    if (typeof v === 'string') {
      const q = parseQuantity(v);
      if (q) rl[k] = canonicalQuantity(q);
    } else if (typeof v === 'number' && Number.isFinite(v)) {
      const q = parseQuantity(String(v));
      if (q) rl[k] = canonicalQuantity(q);
    }
  }
}

/** The image tag per parsers.ParseImageName: `latest` when there is neither tag nor digest. */
export function imageTag(image: string): string {
  if (!image) return '';
  if (image.includes('@')) {
    const beforeDigest = image.slice(0, image.indexOf('@'));
    return tagOf(beforeDigest);
  }
  return tagOf(image) || 'latest';
}

function tagOf(ref: string): string {
  const lastSlash = ref.lastIndexOf('/');
  const lastColon = ref.lastIndexOf(':');
  return lastColon > lastSlash ? ref.slice(lastColon + 1) : '';
}

function defaultHandler(h: Obj | undefined): void {
  const httpGet = opt(h, 'httpGet');
  if (httpGet) {
    dflt(httpGet, 'path', '/');
    dflt(httpGet, 'scheme', 'HTTP');
  }
}

function defaultProbe(p: Obj | undefined): void {
  if (!p) return;
  for (const [k, v] of [['timeoutSeconds', 1], ['periodSeconds', 10], ['successThreshold', 1], ['failureThreshold', 3]] as const) {
    if (p[k] === undefined || p[k] === null || p[k] === 0) p[k] = v;
  }
  defaultHandler(p);
}

function defaultEnv(c: Obj): void {
  for (const e of list(c, 'env')) {
    const fieldRef = opt(opt(e, 'valueFrom'), 'fieldRef');
    if (fieldRef) dflt(fieldRef, 'apiVersion', 'v1');
  }
}

/** SetDefaults_Container (also used for init and ephemeral containers). */
export function defaultContainer(c: Obj): void {
  if (c.imagePullPolicy === undefined || c.imagePullPolicy === '') {
    c.imagePullPolicy = imageTag(typeof c.image === 'string' ? c.image : '') === 'latest' ? 'Always' : 'IfNotPresent';
  }
  dflt(c, 'terminationMessagePath', '/dev/termination-log');
  dflt(c, 'terminationMessagePolicy', 'File');
  for (const p of list(c, 'ports')) dflt(p, 'protocol', 'TCP');
  const resources = child(c, 'resources');
  canonicalizeResourceList(opt(resources, 'limits'));
  canonicalizeResourceList(opt(resources, 'requests'));
  defaultProbe(opt(c, 'livenessProbe'));
  defaultProbe(opt(c, 'readinessProbe'));
  defaultProbe(opt(c, 'startupProbe'));
  const lifecycle = opt(c, 'lifecycle');
  defaultHandler(opt(lifecycle, 'postStart'));
  defaultHandler(opt(lifecycle, 'preStop'));
  defaultEnv(c);
}

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi',
  'ephemeral', 'image',
];

function defaultDownwardItems(items: Obj[]): void {
  for (const item of items) {
    const fieldRef = opt(item, 'fieldRef');
    if (fieldRef) dflt(fieldRef, 'apiVersion', 'v1');
  }
}

/** SetDefaults_Volume and the per-source defaults (0644 = 420 for file modes). */
export function defaultVolume(v: Obj): void {
  if (!VOLUME_SOURCES.some((s) => v[s] !== undefined && v[s] !== null)) v.emptyDir = {};
  const hostPath = opt(v, 'hostPath');
  if (hostPath) dfltPtr(hostPath, 'type', '');
  for (const key of ['secret', 'configMap', 'downwardAPI']) {
    const src = opt(v, key);
    if (src) dfltPtr(src, 'defaultMode', 420);
  }
  const downward = opt(v, 'downwardAPI');
  if (downward) defaultDownwardItems(list(downward, 'items'));
  const projected = opt(v, 'projected');
  if (projected) {
    dfltPtr(projected, 'defaultMode', 420);
    for (const s of list(projected, 'sources')) {
      const d = opt(s, 'downwardAPI');
      if (d) defaultDownwardItems(list(d, 'items'));
      const token = opt(s, 'serviceAccountToken');
      if (token) dfltPtr(token, 'expirationSeconds', 3600);
    }
  }
  const emptyDir = opt(v, 'emptyDir');
  if (emptyDir && typeof emptyDir.sizeLimit === 'string') {
    const q = parseQuantity(emptyDir.sizeLimit);
    if (q) emptyDir.sizeLimit = canonicalQuantity(q);
  }
  const iscsi = opt(v, 'iscsi');
  if (iscsi) dflt(iscsi, 'iscsiInterface', 'default');
  const rbd = opt(v, 'rbd');
  if (rbd) {
    dflt(rbd, 'pool', 'rbd');
    dflt(rbd, 'user', 'admin');
    dflt(rbd, 'keyring', '/etc/ceph/keyring');
  }
  const azureDisk = opt(v, 'azureDisk');
  if (azureDisk) {
    dfltPtr(azureDisk, 'cachingMode', 'ReadWrite');
    dfltPtr(azureDisk, 'kind', 'Shared');
    dfltPtr(azureDisk, 'fsType', 'ext4');
    dfltPtr(azureDisk, 'readOnly', false);
  }
  const scaleIO = opt(v, 'scaleIO');
  if (scaleIO) {
    dflt(scaleIO, 'storageMode', 'ThinProvisioned');
    dflt(scaleIO, 'fsType', 'xfs');
  }
  const ephemeral = opt(opt(v, 'ephemeral'), 'volumeClaimTemplate');
  if (ephemeral) defaultPVCSpec(child(ephemeral, 'spec'));
}

/** SetDefaults_PodSpec plus the generated walk over containers and volumes. */
export function defaultPodSpec(spec: Obj): void {
  dflt(spec, 'dnsPolicy', 'ClusterFirst');
  dflt(spec, 'restartPolicy', 'Always');
  dfltPtr(spec, 'securityContext', {});
  dfltPtr(spec, 'terminationGracePeriodSeconds', 30);
  dflt(spec, 'schedulerName', 'default-scheduler');
  for (const c of list(spec, 'initContainers')) defaultContainer(c);
  for (const c of list(spec, 'containers')) defaultContainer(c);
  for (const c of list(spec, 'ephemeralContainers')) defaultContainer(c);
  for (const v of list(spec, 'volumes')) defaultVolume(v);
  canonicalizeResourceList(opt(spec, 'overhead'));
}

/** A PodTemplateSpec inside a workload: metadata is a non-pointer struct upstream. */
export function defaultPodTemplate(template: Obj): void {
  child(template, 'metadata');
  defaultPodSpec(child(template, 'spec'));
}

function defaultHostNetworkPorts(containers: Obj[]): void {
  for (const c of containers) {
    for (const p of list(c, 'ports')) {
      if (p.hostPort === undefined || p.hostPort === null || p.hostPort === 0) p.hostPort = p.containerPort;
    }
  }
}

/** SetDefaults_Pod: requests default to limits, enableServiceLinks, host network ports. */
export function defaultPod(pod: Obj): void {
  const spec = child(pod, 'spec');
  defaultPodSpec(spec);
  for (const key of ['containers', 'initContainers']) {
    for (const c of list(spec, key)) {
      const resources = child(c, 'resources');
      const limits = opt(resources, 'limits');
      if (limits) {
        const requests = child(resources, 'requests');
        for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = v;
      }
      // InPlacePodVerticalScaling (beta, on in 1.33): regular containers requesting cpu or
      // memory get a NotRequired resize policy for each.
      const requests = opt(resources, 'requests');
      if (key === 'containers' && requests) {
        const policies = list(c, 'resizePolicy');
        const named = new Set(policies.map((p) => p.resourceName));
        for (const r of ['cpu', 'memory']) {
          if (r in requests && !named.has(r)) policies.push({ resourceName: r, restartPolicy: 'NotRequired' });
        }
        if (policies.length) c.resizePolicy = policies;
      }
    }
  }
  dfltPtr(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true) {
    defaultHostNetworkPorts(list(spec, 'containers'));
    defaultHostNetworkPorts(list(spec, 'initContainers'));
  }
}
