// EKS's fargate-scheduler: pods the Fargate admission gave to it (spec.schedulerName
// fargate-scheduler) each get a node of their own, a Fargate micro-VM: named
// fargate-<private DNS name of its IP>, with an IP from one of the profile's subnets, labelled
// eks.amazonaws.com/compute-type=fargate and eks.amazonaws.com/fargate-profile, tainted
// eks.amazonaws.com/compute-type=fargate:NoSchedule, sized to the smallest Fargate vCPU/memory
// combination that fits the pod (recorded in its CapacityProvisioned annotation). The node comes
// up after Fargate's start-up time on the injected clock, then the pod is bound to it; the node
// goes when the pod object goes (a completed pod keeps its Fargate capacity until it is deleted,
// EKS user guide, fargate considerations). Pods Fargate cannot run stay Pending with the
// scheduler's FailedScheduling event "Pod not supported on Fargate: ..." (privileged containers,
// host network/PID/IPC, host ports, hostPath volumes, GPUs). When a profile is deleted its pods are
// deleted (their controllers recreate them, matched again at admission).
import { createHash } from 'node:crypto';
import {
  COMPUTE_TYPE_LABEL, FARGATE_MIRROR_CONFIGMAP, FARGATE_MIRROR_NAMESPACE, FARGATE_PROFILE_LABEL, FARGATE_SCHEDULER_NAME, parseFargateMirror,
  type FargateMirror, type FargateProfileView,
} from '../api/fargate.js';
import { isNotFound } from '../client/errors.js';
import type { SharedInformerFactory } from '../client/informer-factory.js';
import type { Informer } from '../client/informer.js';
import type { KubeClient, Obj } from '../client/types.js';
import type { Clock, Timer } from '../util/clock.js';
import { CAPACITY_PROVISIONED_ANNOTATION, fargateSizeFor, InvalidQuantityError } from './fargate.js';
import { cidrContainsIp, formatIpv4, parseCidr, parseIpv4, type Cidr } from './ipv4.js';

export const FARGATE_TAINT = { key: COMPUTE_TYPE_LABEL, value: 'fargate', effect: 'NoSchedule' as const };
/** How long Fargate takes to start a pod's micro-VM when the mirror does not say. */
export const DEFAULT_FARGATE_STARTUP_MS = 30_000;
/** Where node IPs come from when a profile's subnet has no known CIDR. */
const FALLBACK_CIDR = '192.168.128.0/17';
const RETRY_MS = 1000;
const LOGGING_ANNOTATION = 'Logging';
const LOGGING_NAMESPACE = 'aws-observability';
const LOGGING_CONFIGMAP = 'aws-logging';
const GPU_RESOURCES = [/^nvidia\.com\//, /^amd\.com\/gpu$/, /^aws\.amazon\.com\/neuron/];

export interface FargateNodeSpec {
  name: string;
  zone: string;
  region: string;
  internalIP: string;
  labels: Record<string, string>;
  taints: { key: string; value?: string; effect: 'NoSchedule' }[];
  vcpu: number;
  memoryMiB: number;
}

/** The data plane's side: registering and removing simulated nodes (NodeSimulator in main/). */
export interface FargateNodes {
  add(spec: FargateNodeSpec): Promise<void>;
  remove(name: string): Promise<void>;
  has(name: string): boolean;
}

/** Addresses of the region's subnets (the VPC model in main/): a Fargate pod's ENI takes one. */
export interface FargateAddresses {
  /** A free address of the subnet, now taken; undefined when the subnet is full or unknown. */
  allocate(subnetId: string, owner: string): string | undefined;
  release(ip: string): void;
}

export interface FargateEvents {
  event(obj: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export interface FargateSchedulerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  region: string;
  nodes: FargateNodes;
  events: FargateEvents;
  /** Without it, addresses are picked from the subnets' CIDRs here (not charged to any VPC model). */
  addresses?: FargateAddresses;
  onError?: (err: unknown) => void;
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : {});
const list = (v: unknown): Rec[] => (Array.isArray(v) ? v.map(rec) : []);
const metaOf = (o: Obj) => rec(o.metadata);
const keyOf = (o: Obj) => `${String(metaOf(o).namespace ?? '')}/${String(metaOf(o).name ?? '')}`;

export function fargateNodeName(ip: string, region: string): string {
  const host = `fargate-ip-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** Why Fargate cannot run the pod, in the order the fargate-scheduler's message lists it; empty when it can. */
export function fargateUnsupported(pod: Obj): string[] {
  const spec = rec(pod.spec);
  const reasons: string[] = [];
  const fields = [['hostNetwork', 'HostNetwork'], ['hostPID', 'HostPID'], ['hostIPC', 'HostIPC']].filter(([f]) => spec[f] === true).map(([, n]) => n);
  if (fields.length) reasons.push(`fields not supported: ${fields.join(', ')}`);
  const containers = [...list(spec.initContainers), ...list(spec.containers)];
  const invalid: string[] = [];
  for (const c of containers) {
    const sc = rec(c.securityContext);
    if (sc.privileged === true) invalid.push('Privileged');
    if (sc.allowPrivilegeEscalation === true) invalid.push('AllowPrivilegeEscalation');
  }
  if (invalid.length) reasons.push(`invalid SecurityContext fields: ${invalid.join(',')}`);
  if (containers.some((c) => list(c.ports).some((p) => (typeof p.hostPort === 'number' && p.hostPort !== 0) || (typeof p.hostIP === 'string' && p.hostIP !== '')))) {
    reasons.push('port contains HostIP or HostPort');
  }
  const badVolumes = list(spec.volumes).filter((v) => v.hostPath !== undefined).map((v) => `${String(v.name)} is of an unsupported volume Type`);
  if (badVolumes.length) reasons.push(`volumes not supported: ${badVolumes.join(', ')}`);
  const gpus = new Set<string>();
  for (const c of containers) {
    const res = rec(c.resources);
    for (const name of [...Object.keys(rec(res.requests)), ...Object.keys(rec(res.limits))]) if (GPU_RESOURCES.some((re) => re.test(name))) gpus.add(name);
  }
  if (gpus.size) reasons.push(`resources not supported: ${[...gpus].sort().join(', ')}`);
  return reasons;
}

interface InFlight {
  uid: string;
  nodeName: string;
  ip: string;
  timer?: Timer;
}

export class FargateScheduler {
  private pods!: Informer;
  private nodesInformer!: Informer;
  private configMaps!: Informer;
  private readonly inflight = new Map<string, InFlight>();
  /** Last FailedScheduling message per pod UID (reported once). */
  private readonly reported = new Map<string, string>();
  private chain: Promise<void> = Promise.resolve();
  private readonly queued = new Set<string>();
  private stopped = false;
  private readonly onError: (err: unknown) => void;

  constructor(private readonly opts: FargateSchedulerOptions) {
    this.onError = opts.onError ?? ((err) => console.error('fargate-scheduler:', err));
  }

  private get podClient() {
    return this.opts.client.resource('', 'v1', 'pods');
  }

  async start(): Promise<void> {
    const { informers } = this.opts;
    this.pods = informers.informerFor('', 'v1', 'pods');
    this.nodesInformer = informers.informerFor('', 'v1', 'nodes');
    this.configMaps = informers.informerFor('', 'v1', 'configmaps');
    informers.start();
    await informers.waitForCacheSync();
    await this.adoptNodes();
    // Only the Fargate scheduler's pods concern it (the others are the default scheduler's).
    const mine = (p: Obj) => rec(p.spec).schedulerName === FARGATE_SCHEDULER_NAME;
    this.pods.addEventHandler({
      onAdd: (p) => mine(p) && this.enqueue(keyOf(p)),
      onUpdate: (_o, p) => mine(p) && this.enqueue(keyOf(p)),
      onDelete: (p) => mine(p) && this.podGone(p),
    });
    this.configMaps.addEventHandler({
      onAdd: (c) => this.mirrorChanged(c),
      onUpdate: (_o, c) => this.mirrorChanged(c),
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const f of this.inflight.values()) f.timer?.cancel();
    this.inflight.clear();
    await this.chain;
  }

  /** Resolves once queued work is done (tests). */
  idle(): Promise<void> {
    return this.chain;
  }

  private mirror(): FargateMirror | undefined {
    const cm = this.configMaps.lister.get(FARGATE_MIRROR_NAMESPACE, FARGATE_MIRROR_CONFIGMAP);
    return cm ? parseFargateMirror(cm.data) : undefined;
  }

  private isMirror(cm: Obj): boolean {
    const m = metaOf(cm);
    return m.namespace === FARGATE_MIRROR_NAMESPACE && m.name === FARGATE_MIRROR_CONFIGMAP;
  }

  private mirrorChanged(cm: Obj): void {
    if (!this.isMirror(cm)) return;
    for (const p of this.pods.lister.list()) if (rec(p.spec).schedulerName === FARGATE_SCHEDULER_NAME) this.enqueue(keyOf(p));
  }

  private enqueue(key: string): void {
    if (this.stopped || this.queued.has(key)) return;
    this.queued.add(key);
    this.chain = this.chain.then(async () => {
      this.queued.delete(key);
      if (this.stopped) return;
      try {
        await this.reconcile(key);
      } catch (err) {
        this.onError(err);
        this.retryLater(key);
      }
    });
  }

  /** A failed attempt (a write refused, a node that did not register) is tried again a second later. */
  private retryLater(key: string): void {
    if (this.stopped) return;
    this.opts.clock.setTimer(RETRY_MS, () => this.enqueue(key));
  }

  /** The pod object is gone: its in-flight start is dropped and its node removed. */
  private podGone(pod: Obj): void {
    const key = keyOf(pod);
    const f = this.inflight.get(key);
    if (f) {
      f.timer?.cancel();
      this.inflight.delete(key);
      // Not launched yet: its address goes back (a launched node's goes with the node).
      if (!this.opts.nodes.has(f.nodeName)) this.opts.addresses?.release(f.ip);
    }
    this.reported.delete(String(metaOf(pod).uid ?? ''));
    const nodeName = String(rec(pod.spec).nodeName ?? f?.nodeName ?? '');
    if (nodeName && this.isFargateNode(nodeName)) {
      this.chain = this.chain.then(() => this.removeNode(nodeName, f?.nodeName === nodeName ? f.ip : undefined)).catch((err) => this.onError(err));
    }
  }

  private isFargateNode(name: string): boolean {
    const node = this.nodesInformer.lister.get(undefined, name);
    return (node !== undefined && rec(metaOf(node).labels)[COMPUTE_TYPE_LABEL] === 'fargate') || this.opts.nodes.has(name) && name.startsWith('fargate-');
  }

  /** Removes a Fargate node and gives its address back (`knownIp` when the informer may not have seen the node yet). */
  private async removeNode(name: string, knownIp?: string): Promise<void> {
    const node = this.nodesInformer.lister.get(undefined, name);
    const ip = knownIp ?? (node ? list(rec(node.status).addresses).find((a) => a.type === 'InternalIP')?.address : undefined);
    if (typeof ip === 'string') this.opts.addresses?.release(ip);
    if (this.opts.nodes.has(name)) await this.opts.nodes.remove(name);
    else {
      try {
        await this.opts.client.resource('', 'v1', 'nodes').delete(undefined, name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  private async reconcile(key: string): Promise<void> {
    const [ns, name] = key.split('/');
    const pod = this.pods.lister.get(ns, name);
    if (!pod) return;
    const spec = rec(pod.spec);
    const meta = metaOf(pod);
    if (spec.schedulerName !== FARGATE_SCHEDULER_NAME || meta.deletionTimestamp) return;
    const mirror = this.mirror();
    const profileName = rec(meta.labels)[FARGATE_PROFILE_LABEL];
    const profile = mirror?.profiles.find((p) => p.name === profileName);
    if (mirror && !profile && typeof profileName === 'string') {
      // The profile was deleted: EKS deletes the pods it scheduled (delete-fargate-profile).
      const f = this.inflight.get(key);
      f?.timer?.cancel();
      this.inflight.delete(key);
      if (f && !this.opts.nodes.has(f.nodeName)) this.opts.addresses?.release(f.ip);
      try {
        await this.podClient.delete(ns, name, { preconditions: { uid: String(meta.uid) } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    if (typeof spec.nodeName === 'string' && spec.nodeName !== '') return;
    if (!mirror || this.inflight.has(key)) return;
    if (!profile) {
      // Given to the Fargate scheduler by hand, without a profile the admission matched.
      await this.unschedulable(pod, 'Pod not supported on Fargate: the pod does not match any Fargate profile');
      return;
    }
    const phase = rec(pod.status).phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;

    const reasons = fargateUnsupported(pod);
    let size: ReturnType<typeof fargateSizeFor>;
    try {
      size = fargateSizeFor(spec as unknown as Parameters<typeof fargateSizeFor>[0]);
      if (!size) reasons.push('resource requests exceed the largest Fargate configuration (16 vCPU, 120 GB)');
    } catch (err) {
      if (!(err instanceof InvalidQuantityError)) throw err;
      reasons.push(err.message);
    }
    if (reasons.length || !size) {
      await this.unschedulable(pod, `Pod not supported on Fargate: ${reasons.join(', ')}`);
      return;
    }
    const placement = this.place(profile, String(meta.uid ?? key), key);
    if (!placement) {
      await this.unschedulable(pod, `Pod not supported on Fargate: no free IP address in the subnets of Fargate profile ${profile.name}`);
      return;
    }
    const nodeName = fargateNodeName(placement.ip, this.opts.region);
    const annotations = rec(meta.annotations);
    const f: InFlight = { uid: String(meta.uid ?? ''), nodeName, ip: placement.ip };
    this.inflight.set(key, f);
    // Fargate's log router is set up from aws-observability/aws-logging (EKS user guide, fargate-logging).
    const logging = this.configMaps.lister.get(LOGGING_NAMESPACE, LOGGING_CONFIGMAP)
      ? { annotation: 'LoggingEnabled', type: 'Normal' as const, reason: 'LoggingEnabled', message: 'Successfully enabled logging for pod' }
      : { annotation: 'LoggingDisabled: LOGGING_CONFIGMAP_NOT_FOUND', type: 'Warning' as const, reason: 'LoggingDisabled',
        message: `Disabled logging because ${LOGGING_CONFIGMAP} configmap was not found. configmap "${LOGGING_CONFIGMAP}" not found` };
    if (annotations[CAPACITY_PROVISIONED_ANNOTATION] !== size.capacityProvisioned || annotations[LOGGING_ANNOTATION] !== logging.annotation) {
      try {
        await this.podClient.patch(ns, name, 'merge', { metadata: { annotations: { [CAPACITY_PROVISIONED_ANNOTATION]: size.capacityProvisioned, [LOGGING_ANNOTATION]: logging.annotation } } });
        this.opts.events.event(pod, logging.type, logging.reason, logging.message);
      } catch (err) {
        this.inflight.delete(key);
        this.opts.addresses?.release(placement.ip);
        if (isNotFound(err)) return;
        throw err;
      }
    }
    const startupMs = mirror.startupMs ?? DEFAULT_FARGATE_STARTUP_MS;
    const nodeSpec: FargateNodeSpec = {
      name: nodeName, zone: placement.zone, region: this.opts.region, internalIP: placement.ip,
      labels: { [COMPUTE_TYPE_LABEL]: 'fargate', [FARGATE_PROFILE_LABEL]: profile.name },
      taints: [{ ...FARGATE_TAINT }],
      vcpu: size.vcpu, memoryMiB: Math.round(size.memoryGB * 1024),
    };
    f.timer = this.opts.clock.setTimer(startupMs, () => {
      f.timer = undefined;
      this.chain = this.chain.then(() => this.launch(key, f, nodeSpec)).catch((err) => {
        this.onError(err);
        if (this.inflight.get(key) === f) {
          this.inflight.delete(key);
          this.opts.addresses?.release(f.ip);
        }
        this.retryLater(key);
      });
    });
  }

  /** Fargate's capacity is up: the node registers (Ready) and the pod is bound to it. */
  private async launch(key: string, f: InFlight, spec: FargateNodeSpec): Promise<void> {
    if (this.stopped || this.inflight.get(key) !== f) return;
    const [ns, name] = key.split('/');
    const pod = this.pods.lister.get(ns, name);
    if (!pod || String(metaOf(pod).uid) !== f.uid) {
      this.inflight.delete(key);
      this.opts.addresses?.release(f.ip);
      return;
    }
    await this.opts.nodes.add(spec);
    try {
      await this.podClient.bind(ns, name, spec.name, { uid: f.uid });
    } catch (err) {
      this.inflight.delete(key);
      await this.removeNode(spec.name, spec.internalIP);
      if (isNotFound(err)) return;
      throw err;
    }
    this.inflight.delete(key);
    this.opts.events.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${spec.name}`);
  }

  private async unschedulable(pod: Obj, message: string): Promise<void> {
    const uid = String(metaOf(pod).uid ?? '');
    if (this.reported.get(uid) === message) return;
    this.reported.set(uid, message);
    this.opts.events.event(pod, 'Warning', 'FailedScheduling', message);
    const conditions = list(rec(pod.status).conditions).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: new Date(this.opts.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z') });
    const m = metaOf(pod);
    try {
      await this.podClient.patch(String(m.namespace), String(m.name), 'merge', { status: { conditions } }, { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /**
   * A subnet of the profile (EKS spreads pods over them: the one with the fewest Fargate nodes) and
   * a free address in it; undefined when every subnet is full.
   */
  private place(profile: FargateProfileView, seed: string, owner: string): { ip: string; zone: string } | undefined {
    const used = new Set<number>();
    for (const n of this.nodesInformer.lister.list()) {
      for (const a of list(rec(n.status).addresses)) if (a.type === 'InternalIP' && typeof a.address === 'string') used.add(parseIpv4(a.address) ?? -1);
    }
    for (const f of this.inflight.values()) used.add(parseIpv4(f.ip) ?? -1);
    const subnets = profile.subnets.length ? profile.subnets : [{ subnetId: '' }];
    const candidates = subnets.map((s, i) => {
      const cidr: Cidr = parseCidr(s.cidrBlock ?? '') ?? parseCidr(FALLBACK_CIDR)!;
      const zone = s.availabilityZone ?? `${this.opts.region}${String.fromCharCode(97 + (i % 3))}`;
      let count = 0;
      for (const ip of used) if (ip >= 0 && cidrContainsIp(cidr, ip)) count++;
      return { subnetId: s.subnetId, known: s.cidrBlock !== undefined, cidr, zone, count, i };
    }).sort((a, b) => a.count - b.count || a.i - b.i);
    const hash = createHash('sha256').update(seed).digest().readUInt32BE(0);
    for (const c of candidates) {
      if (this.opts.addresses && c.known) {
        const ip = this.opts.addresses.allocate(c.subnetId, `fargate:${owner}`);
        if (ip !== undefined) return { ip, zone: c.zone };
        continue;
      }
      // EC2 reserves the first four addresses and the last one of every subnet.
      const usable = 2 ** (32 - c.cidr.prefixLength) - 5;
      for (let k = 0; k < usable; k++) {
        const ip = (c.cidr.base + 4 + ((hash + k) % usable)) >>> 0;
        if (!used.has(ip)) return { ip: formatIpv4(ip), zone: c.zone };
      }
    }
    return undefined;
  }

  /** After a restart: Fargate nodes whose pod still exists are run again; the others are removed. */
  private async adoptNodes(): Promise<void> {
    const bound = new Map<string, Obj>();
    for (const p of this.pods.lister.list()) {
      const n = rec(p.spec).nodeName;
      if (typeof n === 'string' && n) bound.set(n, p);
    }
    for (const node of this.nodesInformer.lister.list()) {
      const labels = rec(metaOf(node).labels) as Record<string, string>;
      if (labels[COMPUTE_TYPE_LABEL] !== 'fargate') continue;
      const name = String(metaOf(node).name);
      const pod = bound.get(name);
      if (!pod) {
        await this.removeNode(name);
        continue;
      }
      if (this.opts.nodes.has(name)) continue;
      const ip = list(rec(node.status).addresses).find((a) => a.type === 'InternalIP')?.address;
      // The size the pod was given ("0.25vCPU 0.5GB").
      const size = /^([\d.]+)vCPU ([\d.]+)GB$/.exec(String(rec(metaOf(pod).annotations)[CAPACITY_PROVISIONED_ANNOTATION] ?? ''));
      if (typeof ip !== 'string' || !size) continue;
      await this.opts.nodes.add({
        name, zone: labels['topology.kubernetes.io/zone'] ?? `${this.opts.region}a`, region: this.opts.region, internalIP: ip,
        labels: { [COMPUTE_TYPE_LABEL]: 'fargate', [FARGATE_PROFILE_LABEL]: labels[FARGATE_PROFILE_LABEL] ?? '' },
        taints: [{ ...FARGATE_TAINT }],
        vcpu: Number(size[1]), memoryMiB: Math.round(Number(size[2]) * 1024),
      });
    }
  }
}
