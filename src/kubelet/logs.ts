// Simulated container logs for `kubectl logs`. No container runs, so the lines are synthetic and
// say so; they are derived from the container's status, one instance at a time:
//   <t0>  kumo: simulated container <c> of pod <ns>/<pod> started (image <image>, restart <n>)
//   <t0+d> kumo: container <c> is ready                      (when ready; d = readiness initialDelaySeconds)
//   every 30 s of running: kumo: container <c> running for <duration>
//   <end> kumo: container <c> exited with code <code> (<reason>)   (terminated instances)
// Errors follow the API server's texts for the same cases (400 BadRequest).
import { badRequest } from '../api/status.js';
import { name, namespace } from '../client/objects.js';
import type { Obj } from '../client/types.js';
import { goDuration, parseTime } from './determinism.js';
import { containersOf, findStatus, initContainersOf, statusOf } from './pod-status.js';
import type { ContainerSpec, Terminated } from './pod-status.js';

export interface LogOptions {
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  previous?: boolean;
}

export const LOG_TICK_MS = 30_000;
/** At most this many periodic lines per instance, the latest ones. */
const MAX_TICKS = 2_000;

interface Line {
  at: number;
  text: string;
}

/** The kubelet's words for the common pending failures (validateContainerLogStatus). */
function waitingReasonText(reason: string): string {
  if (reason === 'ErrImagePull') return "image can't be pulled";
  if (reason === 'ImagePullBackOff') return 'trying and failing to pull image';
  return reason;
}

function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function instanceLines(pod: Obj, c: ContainerSpec, image: string, restart: number, startedAt: number, end: Terminated | undefined, ready: boolean, now: number): Line[] {
  const lines: Line[] = [{ at: startedAt, text: `kumo: simulated container ${c.name} of pod ${namespace(pod)}/${name(pod)} started (image ${image}, restart ${restart})` }];
  const until = end ? (parseTime(end.finishedAt) ?? now) : now;
  const readyAt = startedAt + (c.readinessProbe?.initialDelaySeconds ?? 0) * 1000;
  if (ready && readyAt <= until) lines.push({ at: readyAt, text: `kumo: container ${c.name} is ready` });
  const ticks = Math.floor((until - startedAt) / LOG_TICK_MS);
  for (let k = Math.max(1, ticks - MAX_TICKS + 1); k <= ticks; k++) {
    const at = startedAt + k * LOG_TICK_MS;
    if (end && at >= until) break;
    lines.push({ at, text: `kumo: container ${c.name} running for ${goDuration(k * LOG_TICK_MS)}` });
  }
  if (end) lines.push({ at: until, text: `kumo: container ${c.name} exited with code ${end.exitCode} (${end.reason})` });
  return lines.sort((a, b) => a.at - b.at);
}

/** The log lines of a container of `pod` as of `now`. Throws a 400 ApiError as the API server would. */
export function logsFor(pod: Obj, container: string | undefined, opts: LogOptions, now: number): string[] {
  const podName = name(pod);
  const all = [...initContainersOf(pod), ...containersOf(pod)];
  let cname = container;
  if (!cname) {
    if (containersOf(pod).length !== 1) throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${containersOf(pod).map((c) => c.name).join(' ')}]`);
    cname = containersOf(pod)[0].name;
  }
  const spec = all.find((c) => c.name === cname);
  if (!spec) throw badRequest(`container ${cname} is not valid for pod ${podName}`);
  const st = statusOf(pod);
  const s = findStatus(st.containerStatuses, cname) ?? findStatus(st.initContainerStatuses, cname);
  let lines: Line[];
  if (opts.previous) {
    const prev = s?.lastState.terminated;
    if (!s || !prev) throw badRequest(`previous terminated container "${cname}" in pod "${podName}" not found`);
    lines = instanceLines(pod, spec, s.image, Math.max(0, s.restartCount - 1), parseTime(prev.startedAt) ?? now, prev, false, now);
  } else if (s?.state.running) {
    lines = instanceLines(pod, spec, s.image, s.restartCount, parseTime(s.state.running.startedAt) ?? now, undefined, s.ready, now);
  } else if (s?.state.terminated) {
    lines = instanceLines(pod, spec, s.image, s.restartCount, parseTime(s.state.terminated.startedAt) ?? now, s.state.terminated, false, now);
  } else if (s?.lastState.terminated) {
    // Waiting to restart (CrashLoopBackOff): upstream's kubelet serves the last instance's log.
    const prev = s.lastState.terminated;
    lines = instanceLines(pod, spec, s.image, Math.max(0, s.restartCount - 1), parseTime(prev.startedAt) ?? now, prev, false, now);
  } else {
    throw badRequest(`container "${cname}" in pod "${podName}" is waiting to start: ${waitingReasonText(s?.state.waiting?.reason ?? 'ContainerCreating')}`);
  }
  if (opts.sinceSeconds !== undefined) {
    const from = now - opts.sinceSeconds * 1000;
    lines = lines.filter((l) => l.at >= from);
  }
  if (opts.tailLines !== undefined) lines = opts.tailLines <= 0 ? [] : lines.slice(-opts.tailLines);
  return lines.map((l) => (opts.timestamps ? `${rfc3339Nano(l.at)} ${l.text}` : l.text));
}
