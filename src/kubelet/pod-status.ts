// The pod status the kubelet reports, built the way upstream's kubelet builds it:
// - containers start out waiting, reason ContainerCreating, or PodInitializing when the pod has
//   init containers (kubelet_pods.go convertToAPIContainerStatuses);
// - the phase follows kubelet_pods.go getPhase;
// - conditions follow pkg/kubelet/status/generate.go (reasons ContainersNotReady,
//   ContainersNotInitialized, PodCompleted, PodFailed, ReadinessGatesNotReady and their
//   messages), in the order the status manager writes them: other components' conditions first,
//   then PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled;
//   lastTransitionTime changes only when a condition's status does.
import { createHash } from 'node:crypto';
import type { Obj } from '../client/types.js';
import { hexHash, rfc3339 } from './determinism.js';

export interface Waiting {
  reason: string;
  message?: string;
}
export interface Running {
  startedAt: string;
}
export interface Terminated {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt: string;
  finishedAt: string;
  containerID?: string;
}
export interface ContainerState {
  waiting?: Waiting;
  running?: Running;
  terminated?: Terminated;
}
export interface ContainerStatus {
  name: string;
  state: ContainerState;
  lastState: ContainerState;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started: boolean;
}
export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastProbeTime: null | string;
  lastTransitionTime?: string;
}
export interface PodStatus {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  conditions?: PodCondition[];
  hostIP?: string;
  hostIPs?: { ip: string }[];
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  qosClass?: string;
  initContainerStatuses?: ContainerStatus[];
  containerStatuses?: ContainerStatus[];
  [k: string]: unknown;
}

export interface ContainerSpec {
  name: string;
  image: string;
  imagePullPolicy?: string;
  restartPolicy?: string;
  readinessProbe?: { initialDelaySeconds?: number };
  startupProbe?: { initialDelaySeconds?: number };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

function records(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : [];
}

function spec(pod: Obj): Record<string, unknown> {
  return typeof pod.spec === 'object' && pod.spec !== null ? (pod.spec as Record<string, unknown>) : {};
}

export function containersOf(pod: Obj): ContainerSpec[] {
  return records(spec(pod).containers) as unknown as ContainerSpec[];
}

export function initContainersOf(pod: Obj): ContainerSpec[] {
  return records(spec(pod).initContainers) as unknown as ContainerSpec[];
}

/** An init container with restartPolicy Always: a sidecar (KEP-753). */
export function isSidecar(c: ContainerSpec): boolean {
  return c.restartPolicy === 'Always';
}

export function restartPolicy(pod: Obj): 'Always' | 'OnFailure' | 'Never' {
  const p = spec(pod).restartPolicy;
  return p === 'OnFailure' || p === 'Never' ? p : 'Always';
}

export function statusOf(pod: Obj): PodStatus {
  const s = pod.status;
  return (typeof s === 'object' && s !== null ? structuredClone(s) : { phase: 'Pending' }) as PodStatus;
}

export function isDeleting(pod: Obj): boolean {
  return typeof (pod.metadata as Record<string, unknown> | undefined)?.deletionTimestamp === 'string';
}

/** The image as containerd reports it: docker.io/library/nginx:latest for "nginx". */
export function normalizeImage(image: string): string {
  let name = image;
  const first = name.split('/')[0];
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) name = `docker.io/${name.includes('/') ? name : `library/${name}`}`;
  const last = name.slice(name.lastIndexOf('/') + 1);
  if (!name.includes('@') && !last.includes(':')) name += ':latest';
  return name;
}

/** repo@sha256:<digest>, a digest made from the image name (stable for a tag, as a registry is). */
export function imageID(image: string): string {
  const normalized = normalizeImage(image);
  const at = normalized.indexOf('@');
  if (at >= 0) return normalized;
  const repo = normalized.slice(0, normalized.lastIndexOf(':'));
  return `${repo}@sha256:${createHash('sha256').update(normalized).digest('hex')}`;
}

export function containerID(seed: number, podUid: string, container: string, restartCount: number): string {
  return `containerd://${hexHash(seed, 32, podUid, container, String(restartCount))}`;
}

export function waitingStatus(c: ContainerSpec, reason: string, message?: string, prev?: ContainerStatus): ContainerStatus {
  const waiting: Waiting = message ? { reason, message } : { reason };
  return {
    name: c.name,
    state: { waiting },
    lastState: prev?.lastState ?? {},
    ready: false,
    restartCount: prev?.restartCount ?? 0,
    image: normalizeImage(c.image),
    imageID: prev?.imageID ?? '',
    ...(prev?.containerID && prev.lastState.terminated ? { containerID: prev.containerID } : {}),
    started: false,
  };
}

export function runningStatus(c: ContainerSpec, at: number, id: string, prev: ContainerStatus | undefined, restarted: boolean): ContainerStatus {
  return {
    name: c.name,
    state: { running: { startedAt: rfc3339(at) } },
    lastState: restarted && prev?.state.terminated ? { terminated: prev.state.terminated } : (prev?.lastState ?? {}),
    ready: false,
    restartCount: (prev?.restartCount ?? 0) + (restarted ? 1 : 0),
    image: normalizeImage(c.image),
    imageID: imageID(c.image),
    containerID: id,
    // Without a startup probe the container counts as started once running (prober manager).
    started: !c.startupProbe,
  };
}

export function terminatedStatus(prev: ContainerStatus, at: number, exitCode: number, reason: string, message?: string): ContainerStatus {
  const startedAt = prev.state.running?.startedAt ?? rfc3339(at);
  const terminated: Terminated = { exitCode, reason, ...(message ? { message } : {}), startedAt, finishedAt: rfc3339(at), ...(prev.containerID ? { containerID: prev.containerID } : {}) };
  return { ...prev, state: { terminated }, ready: false, started: false };
}

export function findStatus(list: ContainerStatus[] | undefined, name: string): ContainerStatus | undefined {
  return list?.find((s) => s.name === name);
}

/** Whether an init container lets the next one start (generate.go isInitContainerInitialized). */
export function initContainerDone(c: ContainerSpec, s: ContainerStatus | undefined): boolean {
  if (!s) return false;
  return isSidecar(c) ? s.started : s.ready;
}

function hasRegularContainerStarted(pod: Obj, status: PodStatus): boolean {
  return containersOf(pod).some((c) => {
    const s = findStatus(status.containerStatuses, c.name);
    return !!s && (!!s.state.running || !!s.state.terminated || !!s.lastState.terminated);
  });
}

export function podInitialized(pod: Obj, status: PodStatus): boolean {
  if (hasRegularContainerStarted(pod, status)) return true;
  return initContainersOf(pod).every((c) => initContainerDone(c, findStatus(status.initContainerStatuses, c.name)));
}

/** kubelet_pods.go getPhase; `terminal` is a pod whose deletion stopped every container. */
export function podPhase(pod: Obj, status: PodStatus, terminal: boolean): PodStatus['phase'] {
  const policy = restartPolicy(pod);
  if (!podInitialized(pod, status)) {
    const failedInit = initContainersOf(pod).some((c) => {
      const s = findStatus(status.initContainerStatuses, c.name);
      return !isSidecar(c) && s?.state.terminated && s.state.terminated.exitCode !== 0;
    });
    if (terminal || (failedInit && policy === 'Never')) return 'Failed';
    return 'Pending';
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of containersOf(pod)) {
    const s = findStatus(status.containerStatuses, c.name);
    if (!s) {
      waiting++;
      continue;
    }
    if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState.terminated) stopped++;
    else waiting++;
  }
  if (terminal) return waiting === 0 && stopped === succeeded ? 'Succeeded' : 'Failed';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

const KUBELET_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);

function goList(names: string[]): string {
  return `[${names.join(' ')}]`;
}

function cond(type: string, ok: boolean, reason?: string, message?: string): PodCondition {
  return { type, status: ok ? 'True' : 'False', ...(reason ? { reason } : {}), ...(message ? { message } : {}), lastProbeTime: null };
}

function containersReadyCondition(pod: Obj, status: PodStatus, phase: PodStatus['phase']): PodCondition {
  if (phase === 'Succeeded') return cond('ContainersReady', false, 'PodCompleted');
  if (phase === 'Failed') return cond('ContainersReady', false, 'PodFailed');
  const unknown: string[] = [];
  const unready: string[] = [];
  const check = (c: ContainerSpec, list: ContainerStatus[] | undefined) => {
    const s = findStatus(list, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  };
  for (const c of initContainersOf(pod)) if (isSidecar(c)) check(c, status.initContainerStatuses);
  for (const c of containersOf(pod)) check(c, status.containerStatuses);
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) msgs.push(`containers with unready status: ${goList(unready)}`);
  return msgs.length ? cond('ContainersReady', false, 'ContainersNotReady', msgs.join(', ')) : cond('ContainersReady', true);
}

function readyCondition(pod: Obj, others: PodCondition[], containersReady: PodCondition): PodCondition {
  if (containersReady.status !== 'True') return { ...containersReady, type: 'Ready' };
  const gates = records(spec(pod).readinessGates);
  const msgs: string[] = [];
  for (const g of gates) {
    const type = String(g.conditionType ?? '');
    const c = others.find((x) => x.type === type);
    if (!c) msgs.push(`corresponding condition of pod readiness gate ${JSON.stringify(type)} does not exist.`);
    else if (c.status !== 'True') msgs.push(`the status of pod readiness gate ${JSON.stringify(type)} is not "True", but ${c.status}`);
  }
  return msgs.length ? cond('Ready', false, 'ReadinessGatesNotReady', msgs.join(', ')) : cond('Ready', true);
}

function initializedCondition(pod: Obj, status: PodStatus, phase: PodStatus['phase']): PodCondition {
  if (phase === 'Succeeded') return cond('Initialized', true, 'PodCompleted');
  if (hasRegularContainerStarted(pod, status)) return cond('Initialized', true);
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of initContainersOf(pod)) {
    const s = findStatus(status.initContainerStatuses, c.name);
    if (!s) unknown.push(c.name);
    else if (!initContainerDone(c, s)) incomplete.push(c.name);
  }
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) msgs.push(`containers with incomplete status: ${goList(incomplete)}`);
  return msgs.length ? cond('Initialized', false, 'ContainersNotInitialized', msgs.join(', ')) : cond('Initialized', true);
}

/**
 * Recomputes the phase and the kubelet's conditions of `status` (mutated and returned). A terminal
 * phase also stops sidecars still running, as the kubelet does once the regular containers end.
 */
export function finalizeStatus(pod: Obj, status: PodStatus, now: number, opts: { terminal?: boolean } = {}): PodStatus {
  const phase = podPhase(pod, status, opts.terminal ?? false);
  status.phase = phase;
  const terminalPhase = phase === 'Succeeded' || phase === 'Failed';
  if (terminalPhase && status.initContainerStatuses) {
    status.initContainerStatuses = status.initContainerStatuses.map((s) => (s.state.running ? terminatedStatus(s, now, 0, 'Completed') : s));
  }
  const old = records(status.conditions) as unknown as PodCondition[];
  const others = old.filter((c) => !KUBELET_CONDITIONS.has(c.type));
  const containersReady = containersReadyCondition(pod, status, phase);
  const generated = [
    cond('PodReadyToStartContainers', !!status.podIP && !terminalPhase),
    initializedCondition(pod, status, phase),
    readyCondition(pod, others, containersReady),
    containersReady,
    old.find((c) => c.type === 'PodScheduled') ?? cond('PodScheduled', true),
  ];
  const stamp = rfc3339(now);
  status.conditions = [
    ...others,
    ...generated.map((c) => {
      const prev = old.find((o) => o.type === c.type);
      return { ...c, lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : (c.lastTransitionTime ?? stamp) };
    }),
  ];
  return status;
}
