// The default pod lifecycle of a simulated node, as a list of stages (see stages.ts). It follows
// what upstream's kubelet reports for a real pod:
//   bound → accepted (Pending, containers waiting ContainerCreating/PodInitializing, startTime,
//   hostIP) → sandbox ready (podIP, PodReadyToStartContainers) → init containers one by one
//   (sidecars, restartPolicy Always, keep running; the next starts once a sidecar has started)
//   → containers running → ready after the readiness probe's initialDelaySeconds
//   → (Job pods) Completed, exit 0 → Succeeded.
// Failures (behaviour.ts): crashes and OOM kills restart with the kubelet's back-off, 10 s doubling
// to 5 min (kuberuntime: initial 10s, MaxContainerBackOff 300s; the first restart is immediate),
// shown as CrashLoopBackOff "back-off 10s restarting failed container=<c> pod=<name>_<ns>(<uid>)";
// image pulls fail as ErrImagePull then ImagePullBackOff with the same back-off.
// Deletion: running containers stop after kumo.dev/shutdown-seconds, or are killed (137) when the
// grace period ends first; then the pod object is deleted with gracePeriodSeconds 0.
import { name, namespace, uid } from '../client/objects.js';
import { goDuration, hexHash, parseTime, rfc3339, unitHash } from './determinism.js';
import {
  containerID,
  containersOf,
  finalizeStatus,
  findStatus,
  initContainerDone,
  initContainersOf,
  isDeleting,
  isSidecar,
  normalizeImage,
  podInitialized,
  restartPolicy,
  runningStatus,
  terminatedStatus,
  waitingStatus,
} from './pod-status.js';
import type { ContainerSpec, ContainerStatus } from './pod-status.js';
import type { Stage, StageContext } from './stages.js';

export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;
const PULL_ERROR_TO_BACKOFF_MS = 1_000;
/** A sandbox whose network setup failed is tried again after this long. */
const SANDBOX_RETRY_MS = 10_000;

/** The back-off before restart number `restartCount + 1` (restartCount >= 1). */
export function restartBackoffMs(restartCount: number): number {
  return Math.min(BACKOFF_INITIAL_MS * 2 ** Math.max(0, restartCount - 1), BACKOFF_MAX_MS);
}

type Kind = 'init' | 'regular';
interface Slot {
  kind: Kind;
  spec: ContainerSpec;
  status: ContainerStatus | undefined;
}

function slots(ctx: StageContext): Slot[] {
  const out: Slot[] = [];
  for (const c of initContainersOf(ctx.pod)) out.push({ kind: 'init', spec: c, status: findStatus(ctx.status.initContainerStatuses, c.name) });
  for (const c of containersOf(ctx.pod)) out.push({ kind: 'regular', spec: c, status: findStatus(ctx.status.containerStatuses, c.name) });
  return out;
}

function put(ctx: StageContext, kind: Kind, s: ContainerStatus): void {
  const list = kind === 'init' ? (ctx.status.initContainerStatuses ??= []) : (ctx.status.containerStatuses ??= []);
  const i = list.findIndex((x) => x.name === s.name);
  if (i >= 0) list[i] = s;
  else list.push(s);
}

const terminalPhase = (ctx: StageContext) => ctx.status.phase === 'Succeeded' || ctx.status.phase === 'Failed';
/** Neither being deleted nor finished, and accepted with a sandbox. */
const active = (ctx: StageContext) => !isDeleting(ctx.pod) && !terminalPhase(ctx) && !!ctx.status.startTime;
const withSandbox = (ctx: StageContext) => active(ctx) && !!ctx.status.podIP;

/** The first init container that has not let the next one start, while the pod is initializing. */
function currentInit(ctx: StageContext): Slot | undefined {
  if (podInitialized(ctx.pod, ctx.status)) return undefined;
  return slots(ctx).find((s) => s.kind === 'init' && !initContainerDone(s.spec, s.status));
}

/** Containers whose turn it is to be created: the current init container, or every regular one never started. */
function startable(ctx: StageContext): Slot[] {
  if (!withSandbox(ctx)) return [];
  const init = currentInit(ctx);
  if (init) return init.status?.state.waiting && !init.status.lastState.terminated ? [init] : [];
  return slots(ctx).filter((s) => s.kind === 'regular' && s.status?.state.waiting && !s.status.lastState.terminated && !s.status.containerID);
}

const PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff']);

function running(ctx: StageContext): Slot[] {
  return slots(ctx).filter((s) => s.status?.state.running);
}

/** When the container's current instance started: exact if this kubelet started it, else as the status says. */
function startedAtMs(ctx: StageContext, s: ContainerStatus): number {
  const known = ctx.memory.starts.get(s.name);
  return (known && known.id === s.containerID ? known.at : undefined) ?? parseTime(s.state.running?.startedAt) ?? 0;
}

function readyAt(ctx: StageContext, s: Slot): number {
  return startedAtMs(ctx, s.status!) + (s.spec.readinessProbe?.initialDelaySeconds ?? 0) * 1000;
}

function startedAt(ctx: StageContext, s: Slot): number {
  return startedAtMs(ctx, s.status!) + (s.spec.startupProbe?.initialDelaySeconds ?? 0) * 1000;
}

/** Candidates for readiness: running regular containers and sidecars that have started and may become ready. */
function readyCandidates(ctx: StageContext): Slot[] {
  return running(ctx).filter((s) => (s.kind === 'regular' || isSidecar(s.spec)) && s.status!.started && !s.status!.ready && !ctx.behaviour.readinessFails(s.spec.name));
}

function exitCandidates(ctx: StageContext): Array<Slot & { at: number; plan: NonNullable<ReturnType<StageContext['behaviour']['exitPlan']>> }> {
  const out = [];
  for (const s of running(ctx)) {
    if (s.kind === 'init' && isSidecar(s.spec)) continue;
    const plan = s.kind === 'regular' ? ctx.behaviour.exitPlan(s.spec.name) : ctx.behaviour.initFailure(s.spec.name);
    if (plan) out.push({ ...s, plan, at: startedAtMs(ctx, s.status!) + plan.afterMs });
  }
  return out;
}

/** Regular containers restart per the pod's policy; failed init containers unless it is Never. */
function shouldRestart(ctx: StageContext, s: Slot, exitCode: number): boolean {
  const policy = restartPolicy(ctx.pod);
  if (s.kind === 'init') return !isSidecar(s.spec) && exitCode !== 0 && policy !== 'Never';
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

function restartable(ctx: StageContext): Slot[] {
  return slots(ctx).filter((s) => s.status?.state.terminated && shouldRestart(ctx, s, s.status.state.terminated.exitCode));
}

function backingOff(ctx: StageContext): Slot[] {
  return slots(ctx).filter((s) => s.status?.state.waiting?.reason === 'CrashLoopBackOff');
}

function backoffEndsAt(s: Slot): number {
  const finished = parseTime(s.status!.lastState.terminated?.finishedAt) ?? 0;
  return finished + restartBackoffMs(s.status!.restartCount);
}

function podRef(ctx: StageContext): string {
  return `${name(ctx.pod)}_${namespace(ctx.pod)}(${uid(ctx.pod)})`;
}

function fieldPath(s: Slot): string {
  return `spec.${s.kind === 'init' ? 'initContainers' : 'containers'}{${s.spec.name}}`;
}

function emit(ctx: StageContext, s: Slot | undefined, type: 'Normal' | 'Warning', reason: string, message: string, at?: number): void {
  ctx.events.push({ type, reason, message, ...(s ? { fieldPath: fieldPath(s) } : {}), ...(at !== undefined ? { at } : {}) });
}

/** The pull policy the API server defaults: Always for :latest or untagged images, else IfNotPresent. */
function pullPolicy(c: ContainerSpec): string {
  if (c.imagePullPolicy) return c.imagePullPolicy;
  const last = c.image.slice(c.image.lastIndexOf('/') + 1);
  if (c.image.includes('@')) return 'IfNotPresent';
  return !last.includes(':') || last.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

/** The events of starting a container: the image (pulled, or already present), Created, Started. */
function startEvents(ctx: StageContext, s: Slot): void {
  const image = s.spec.image;
  if (pullPolicy(s.spec) === 'Always') {
    const h = unitHash(ctx.seed, 'image', image);
    const took = goDuration(100 + Math.floor(h * 900));
    emit(ctx, s, 'Normal', 'Pulling', `Pulling image "${image}"`);
    emit(ctx, s, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${20_000_000 + Math.floor(h * 180_000_000)} bytes.`);
  } else {
    emit(ctx, s, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
  }
  emit(ctx, s, 'Normal', 'Created', `Created container: ${s.spec.name}`);
  emit(ctx, s, 'Normal', 'Started', `Started container ${s.spec.name}`);
}

/** Without a readiness probe a started container is ready at once (the prober's default result). */
function readyOnStart(ctx: StageContext, s: Slot, st: ContainerStatus): ContainerStatus {
  const eligible = s.kind === 'regular' || isSidecar(s.spec);
  return { ...st, ready: eligible && st.started && !s.spec.readinessProbe && !ctx.behaviour.readinessFails(s.spec.name) };
}

function newContainerID(ctx: StageContext, c: ContainerSpec, restarts: number): string {
  const id = containerID(ctx.seed, uid(ctx.pod), c.name, restarts);
  ctx.memory.starts.set(c.name, { id, at: ctx.now });
  return id;
}

function start(ctx: StageContext, s: Slot, restarted: boolean): void {
  startEvents(ctx, s);
  const restarts = (s.status?.restartCount ?? 0) + (restarted ? 1 : 0);
  put(ctx, s.kind, readyOnStart(ctx, s, runningStatus(s.spec, ctx.now, newContainerID(ctx, s.spec, restarts), s.status, restarted)));
}

/** The image as the kubelet names it in pull messages: ":latest" added when it has no tag or digest (applyDefaultImageTag). */
function withDefaultTag(image: string): string {
  const last = image.slice(image.lastIndexOf('/') + 1);
  return image.includes('@') || last.includes(':') ? image : `${image}:latest`;
}

function pullMessage(image: string): string {
  const ref = normalizeImage(image);
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
}

function deletionTimes(ctx: StageContext): { requestedAt: number; deadline: number } {
  const m = ctx.pod.metadata as Record<string, unknown>;
  const deadline = parseTime(m.deletionTimestamp) ?? ctx.now;
  const grace = typeof m.deletionGracePeriodSeconds === 'number' ? m.deletionGracePeriodSeconds : 0;
  return { requestedAt: deadline - grace * 1000, deadline };
}

/** Whether the conditions the kubelet would write differ from the pod's (e.g. a readiness gate changed). */
function conditionsStale(ctx: StageContext): boolean {
  const want = finalizeStatus(ctx.pod, structuredClone(ctx.status), ctx.now).conditions ?? [];
  const have = ctx.status.conditions ?? [];
  const key = (c: { type: string; status: string; reason?: string; message?: string }) => `${c.type}|${c.status}|${c.reason ?? ''}|${c.message ?? ''}`;
  return want.length !== have.length || want.some((c, i) => key(c) !== key(have[i]));
}

export const DEFAULT_POD_STAGES: readonly Stage[] = [
  {
    name: 'pod-remove',
    selector: (ctx) => isDeleting(ctx.pod) && running(ctx).length === 0,
    delay: () => ({ ms: 0 }),
    next: () => ({ delete: true }),
  },
  {
    name: 'pod-terminate',
    selector: (ctx) => isDeleting(ctx.pod) && running(ctx).length > 0,
    delay: (ctx) => {
      const { requestedAt, deadline } = deletionTimes(ctx);
      return { at: Math.min(deadline, requestedAt + ctx.behaviour.shutdownMs) };
    },
    next: (ctx) => {
      const { requestedAt, deadline } = deletionTimes(ctx);
      const killed = requestedAt + ctx.behaviour.shutdownMs >= deadline && ctx.behaviour.shutdownMs > 0;
      for (const s of running(ctx)) emit(ctx, s, 'Normal', 'Killing', `Stopping container ${s.spec.name}`, requestedAt);
      for (const s of running(ctx)) put(ctx, s.kind, killed ? terminatedStatus(s.status!, ctx.now, 137, 'Error') : terminatedStatus(s.status!, ctx.now, 0, 'Completed'));
      return { status: ctx.status };
    },
  },
  {
    name: 'pod-accept',
    selector: (ctx) => !isDeleting(ctx.pod) && !terminalPhase(ctx) && !ctx.status.startTime,
    delay: () => ({ ms: 0 }),
    next: (ctx) => {
      const st = ctx.status;
      st.startTime = rfc3339(ctx.now);
      st.hostIP = ctx.hostIP;
      st.hostIPs = [{ ip: ctx.hostIP }];
      const inits = initContainersOf(ctx.pod);
      const reason = inits.length ? 'PodInitializing' : 'ContainerCreating';
      if (inits.length) st.initContainerStatuses = inits.map((c) => waitingStatus(c, reason));
      st.containerStatuses = containersOf(ctx.pod).map((c) => waitingStatus(c, reason));
      return { status: st };
    },
  },
  {
    name: 'pod-sandbox-ready',
    selector: (ctx) => active(ctx) && !ctx.status.podIP,
    delay: () => ({ ms: 100, jitterMs: 100 }),
    next: (ctx) => {
      const hostNetwork = (ctx.pod.spec as Record<string, unknown> | undefined)?.hostNetwork === true;
      const got = hostNetwork ? { ip: ctx.hostIP } : ctx.allocatePodIP();
      if (!('ip' in got)) {
        // kuberuntime's createPodSandbox failure as containerd reports a CNI ADD error; the pod
        // worker tries again later (the aws-cni plugin words `message`).
        const sandbox = hexHash(ctx.seed, 32, 'sandbox', uid(ctx.pod), String(ctx.now));
        emit(ctx, undefined, 'Warning', 'FailedCreatePodSandBox',
          `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandbox}": plugin type="aws-cni" name="aws-cni" failed (add): ${got.message}`);
        return { retryAfterMs: SANDBOX_RETRY_MS };
      }
      const ip = got.ip;
      ctx.status.podIP = ip;
      ctx.status.podIPs = [{ ip }];
      return { status: ctx.status };
    },
  },
  {
    name: 'image-pull-error',
    selector: (ctx) => startable(ctx).some((s) => ctx.behaviour.imagePullFails(s.spec.name) && s.status!.state.waiting!.reason !== 'ErrImagePull'),
    key: (ctx) => String(ctx.memory.pulls.size),
    delay: (ctx) => {
      let at = Infinity;
      for (const s of startable(ctx)) {
        if (!ctx.behaviour.imagePullFails(s.spec.name)) continue;
        const p = ctx.memory.pulls.get(s.spec.name);
        if (s.status!.state.waiting!.reason === 'ImagePullBackOff' && p) at = Math.min(at, p.lastFailureAt + restartBackoffMs(p.failures));
        else if (!p) return { ms: 200, jitterMs: 200 };
      }
      return { at };
    },
    next: (ctx) => {
      for (const s of startable(ctx)) {
        if (!ctx.behaviour.imagePullFails(s.spec.name) || s.status!.state.waiting!.reason === 'ErrImagePull') continue;
        const p = ctx.memory.pulls.get(s.spec.name);
        if (p && s.status!.state.waiting!.reason === 'ImagePullBackOff' && p.lastFailureAt + restartBackoffMs(p.failures) > ctx.now) continue;
        ctx.memory.pulls.set(s.spec.name, { failures: (p?.failures ?? 0) + 1, lastFailureAt: ctx.now });
        emit(ctx, s, 'Normal', 'Pulling', `Pulling image "${s.spec.image}"`);
        emit(ctx, s, 'Warning', 'Failed', `Failed to pull image "${s.spec.image}": ${pullMessage(s.spec.image)}`);
        emit(ctx, s, 'Warning', 'Failed', 'Error: ErrImagePull');
        put(ctx, s.kind, waitingStatus(s.spec, 'ErrImagePull', pullMessage(s.spec.image), s.status));
      }
      return { status: ctx.status };
    },
  },
  {
    name: 'image-pull-backoff',
    selector: (ctx) => startable(ctx).some((s) => s.status!.state.waiting!.reason === 'ErrImagePull'),
    delay: () => ({ ms: PULL_ERROR_TO_BACKOFF_MS }),
    next: (ctx) => {
      for (const s of startable(ctx)) {
        if (s.status!.state.waiting!.reason !== 'ErrImagePull') continue;
        emit(ctx, s, 'Normal', 'BackOff', `Back-off pulling image "${withDefaultTag(s.spec.image)}"`);
        emit(ctx, s, 'Warning', 'Failed', 'Error: ImagePullBackOff');
        put(ctx, s.kind, waitingStatus(s.spec, 'ImagePullBackOff', `Back-off pulling image "${withDefaultTag(s.spec.image)}"`, s.status));
      }
      return { status: ctx.status };
    },
  },
  {
    name: 'container-create',
    selector: (ctx) => startable(ctx).some((s) => !ctx.behaviour.imagePullFails(s.spec.name) && !PULL_REASONS.has(s.status!.state.waiting!.reason)),
    delay: (ctx) => (currentInit(ctx) ? { ms: 100, jitterMs: 100 } : { ms: 200, jitterMs: 200 }),
    next: (ctx) => {
      for (const s of startable(ctx)) if (!ctx.behaviour.imagePullFails(s.spec.name)) start(ctx, s, false);
      return { status: ctx.status };
    },
  },
  {
    name: 'init-container-complete',
    selector: (ctx) => {
      const s = withSandbox(ctx) ? currentInit(ctx) : undefined;
      return !!s && !isSidecar(s.spec) && !!s.status?.state.running && !ctx.behaviour.initFailure(s.spec.name);
    },
    delay: (ctx) => ({ at: startedAtMs(ctx, currentInit(ctx)!.status!) + ctx.behaviour.initRunMs }),
    next: (ctx) => {
      const s = currentInit(ctx)!;
      put(ctx, 'init', { ...terminatedStatus(s.status!, ctx.now, 0, 'Completed'), ready: true });
      return { status: ctx.status };
    },
  },
  {
    name: 'container-started',
    selector: (ctx) => withSandbox(ctx) && running(ctx).some((s) => !s.status!.started),
    delay: (ctx) => ({ at: Math.min(...running(ctx).filter((s) => !s.status!.started).map((s) => startedAt(ctx, s))) }),
    next: (ctx) => {
      for (const s of running(ctx)) if (!s.status!.started && startedAt(ctx, s) <= ctx.now) put(ctx, s.kind, readyOnStart(ctx, s, { ...s.status!, started: true }));
      return { status: ctx.status };
    },
  },
  {
    name: 'container-ready',
    selector: (ctx) => withSandbox(ctx) && readyCandidates(ctx).length > 0,
    delay: (ctx) => ({ at: Math.min(...readyCandidates(ctx).map((s) => readyAt(ctx, s))) }),
    next: (ctx) => {
      for (const s of readyCandidates(ctx)) if (readyAt(ctx, s) <= ctx.now) put(ctx, s.kind, { ...s.status!, ready: true });
      return { status: ctx.status };
    },
  },
  {
    name: 'container-exit',
    selector: (ctx) => withSandbox(ctx) && exitCandidates(ctx).length > 0,
    delay: (ctx) => ({ at: Math.min(...exitCandidates(ctx).map((s) => s.at)) }),
    next: (ctx) => {
      for (const s of exitCandidates(ctx)) if (s.at <= ctx.now) put(ctx, s.kind, terminatedStatus(s.status!, ctx.now, s.plan.exitCode, s.plan.reason));
      return { status: ctx.status };
    },
  },
  {
    // The first restart is immediate; later ones wait out the back-off in CrashLoopBackOff.
    name: 'container-restart',
    selector: (ctx) => withSandbox(ctx) && restartable(ctx).length > 0,
    delay: () => ({ ms: 0 }),
    next: (ctx) => {
      for (const s of restartable(ctx)) {
        const st = s.status!;
        if (st.restartCount === 0) {
          start(ctx, s, true);
          continue;
        }
        const message = `back-off ${goDuration(restartBackoffMs(st.restartCount))} restarting failed container=${s.spec.name} pod=${podRef(ctx)}`;
        emit(ctx, s, 'Warning', 'BackOff', `Back-off restarting failed container ${s.spec.name} in pod ${podRef(ctx)}`);
        put(ctx, s.kind, { ...st, state: { waiting: { reason: 'CrashLoopBackOff', message } }, lastState: { terminated: st.state.terminated! }, ready: false, started: false });
      }
      return { status: ctx.status };
    },
  },
  {
    name: 'container-backoff-restart',
    selector: (ctx) => withSandbox(ctx) && backingOff(ctx).length > 0,
    delay: (ctx) => ({ at: Math.min(...backingOff(ctx).map(backoffEndsAt)) }),
    next: (ctx) => {
      for (const s of backingOff(ctx)) {
        if (backoffEndsAt(s) > ctx.now) continue;
        const restarts = s.status!.restartCount + 1;
        startEvents(ctx, s);
        put(ctx, s.kind, readyOnStart(ctx, s, { ...runningStatus(s.spec, ctx.now, newContainerID(ctx, s.spec, restarts), s.status, false), restartCount: restarts }));
      }
      return { status: ctx.status };
    },
  },
  {
    // Conditions owned by others (readiness gates) changed: recompute Ready and write it back.
    name: 'pod-conditions-sync',
    selector: (ctx) => active(ctx) && conditionsStale(ctx),
    delay: () => ({ ms: 0 }),
    next: (ctx) => ({ status: ctx.status }),
  },
];
