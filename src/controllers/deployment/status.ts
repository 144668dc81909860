// Deployment status and conditions (pkg/controller/deployment/sync.go calculateStatus,
// progress.go syncRolloutStatus; util DeploymentComplete/Progressing/TimedOut), with upstream's
// condition reasons and messages, read by `kubectl rollout status` and kstatus.
import { generation } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';
import { getCondition, removeCondition, rfc3339 } from '../shared/conditions.js';
import type { Condition } from '../shared/conditions.js';
import { maxUnavailable, replicasOf, spec, statusNum, sumReplicas, sumStatus } from './util.js';
import { name } from '../../client/objects.js';

export const REASONS = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  failedCreate: 'ReplicaSetCreateError',
  minAvailable: 'MinimumReplicasAvailable',
  minUnavailable: 'MinimumReplicasUnavailable',
} as const;

export function hasProgressDeadline(d: Obj): boolean {
  const p = spec(d).progressDeadlineSeconds;
  return typeof p === 'number' && p !== 2147483647;
}

/** util.NewDeploymentCondition: both times now. */
export function newCondition(type: string, status: Condition['status'], reason: string, message: string, now: number): Condition {
  const t = rfc3339(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/**
 * SetDeploymentCondition: a condition with the same status and reason as the current one changes
 * nothing; the same status keeps its lastTransitionTime.
 */
export function setDeploymentCondition(conds: Condition[], c: Condition): Condition[] {
  const cur = conds.find((x) => x.type === c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return conds;
  const next = { ...c };
  if (cur && cur.status === c.status) next.lastTransitionTime = cur.lastTransitionTime;
  return [...conds.filter((x) => x.type !== c.type), next];
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  collisionCount?: number;
  conditions?: Condition[];
}

/** calculateStatus: counts from the ReplicaSets' statuses, and the Available condition. */
export function calculateStatus(d: Obj, allRSs: Obj[], newRS: Obj | undefined, now: number): DeploymentStatus {
  const available = sumStatus(allRSs, 'availableReplicas');
  const total = sumReplicas(allRSs);
  const old = (d.status ?? {}) as DeploymentStatus;
  const status: DeploymentStatus = {
    observedGeneration: generation(d),
    replicas: sumStatus(allRSs, 'replicas'),
    updatedReplicas: newRS ? statusNum(newRS, 'replicas') : 0,
    readyReplicas: sumStatus(allRSs, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    collisionCount: old.collisionCount,
    conditions: [...(old.conditions ?? [])],
  };
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    status.conditions = setDeploymentCondition(status.conditions!, newCondition('Available', 'True', REASONS.minAvailable, 'Deployment has minimum availability.', now));
  } else {
    status.conditions = setDeploymentCondition(status.conditions!, newCondition('Available', 'False', REASONS.minUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** DeploymentComplete: every replica updated and available, and the spec observed. */
export function isComplete(d: Obj, s: DeploymentStatus): boolean {
  const r = replicasOf(d);
  return (s.updatedReplicas ?? 0) === r && (s.replicas ?? 0) === r && (s.availableReplicas ?? 0) === r && (s.observedGeneration ?? 0) >= generation(d);
}

/** DeploymentProgressing: more updated, ready or available pods, or fewer old ones, than before. */
export function isProgressing(d: Obj, s: DeploymentStatus): boolean {
  const o = (d.status ?? {}) as DeploymentStatus;
  const oldOld = (o.replicas ?? 0) - (o.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (o.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (o.availableReplicas ?? 0);
}

/** DeploymentTimedOut: the Progressing condition was last updated longer ago than the deadline. */
export function isTimedOut(d: Obj, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c) return false;
  if (c.reason === REASONS.newRSAvailable) return false;
  if (c.reason === REASONS.timedOut) return true;
  const from = Date.parse(c.lastUpdateTime ?? '') || 0;
  return from + Number(spec(d).progressDeadlineSeconds) * 1000 < now;
}

/** The Progressing/ReplicaFailure part of syncRolloutStatus. */
export function rolloutConditions(d: Obj, s: DeploymentStatus, newRS: Obj | undefined, allRSs: Obj[], now: number): DeploymentStatus {
  let conds = s.conditions ?? [];
  if (!hasProgressDeadline(d)) conds = removeCondition(conds, 'Progressing');
  const cur = getCondition({ conditions: conds }, 'Progressing');
  const complete = s.replicas === s.updatedReplicas && cur?.reason === REASONS.newRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    if (isComplete(d, s)) {
      const msg = newRS ? `ReplicaSet "${name(newRS)}" has successfully progressed.` : `Deployment "${name(d)}" has successfully progressed.`;
      conds = setDeploymentCondition(conds, newCondition('Progressing', 'True', REASONS.newRSAvailable, msg, now));
    } else if (isProgressing(d, s)) {
      const msg = newRS ? `ReplicaSet "${name(newRS)}" is progressing.` : `Deployment "${name(d)}" is progressing.`;
      const c = newCondition('Progressing', 'True', REASONS.rsUpdated, msg, now);
      // Progress refreshes lastUpdateTime even when the reason is unchanged.
      if (cur && cur.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
      conds = [...removeCondition(conds, 'Progressing'), c];
    } else if (isTimedOut(d, { ...s, conditions: conds }, now)) {
      const msg = newRS ? `ReplicaSet "${name(newRS)}" has timed out progressing.` : `Deployment "${name(d)}" has timed out progressing.`;
      conds = setDeploymentCondition(conds, newCondition('Progressing', 'False', REASONS.timedOut, msg, now));
    }
  }
  // ReplicaFailure conditions of the ReplicaSets move up to the Deployment.
  const failure = [newRS, ...allRSs].map((rs) => (rs ? getCondition(rs.status, 'ReplicaFailure') : undefined)).find((c) => c);
  if (failure) conds = setDeploymentCondition(conds, { ...failure, lastUpdateTime: failure.lastTransitionTime });
  else conds = removeCondition(conds, 'ReplicaFailure');
  return { ...s, conditions: conds };
}
