// ReplicaSet status (replica_set_utils.go calculateStatus) and the ReplicaFailure condition.
import { generation, labels } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';
import { getCondition, removeCondition, rfc3339, setCondition } from '../shared/conditions.js';
import type { Condition } from '../shared/conditions.js';
import { isPodAvailable, isPodReady } from '../shared/pods.js';

export interface ManageError {
  err: Error;
  /** Creating (FailedCreate) or deleting (FailedDelete) failed. */
  creating: boolean;
}

export function calculateStatus(rs: Obj, pods: Obj[], manageErr: ManageError | undefined, now: number): Record<string, unknown> {
  const spec = (rs.spec ?? {}) as Record<string, unknown>;
  const templateLabels = (((spec.template as Record<string, unknown>)?.metadata as Record<string, unknown>)?.labels ?? {}) as Record<string, string>;
  const minReady = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
  let fully = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    const l = labels(p);
    if (Object.entries(templateLabels).every(([k, v]) => l[k] === v)) fully++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
    }
  }
  const old = (rs.status ?? {}) as Record<string, unknown>;
  let conds = (Array.isArray(old.conditions) ? old.conditions : []) as Condition[];
  const failure = getCondition(old, 'ReplicaFailure');
  if (manageErr && !failure) {
    conds = setCondition(conds, { type: 'ReplicaFailure', status: 'True', reason: manageErr.creating ? 'FailedCreate' : 'FailedDelete', message: manageErr.err.message, lastTransitionTime: rfc3339(now) });
  } else if (!manageErr && failure) {
    conds = removeCondition(conds, 'ReplicaFailure');
  }
  const status: Record<string, unknown> = {
    replicas: pods.length,
    fullyLabeledReplicas: fully,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: generation(rs),
  };
  if (conds.length) status.conditions = conds;
  return status;
}
