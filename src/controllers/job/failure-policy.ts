// spec.podFailurePolicy (pkg/controller/job/pod_failure_policy.go): the first rule matching a
// failed pod decides whether it fails the Job (FailJob), is not counted (Ignore) or counts (Count).
import { name, namespace } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';

export interface PolicyDecision {
  action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex';
  /** For FailJob: the Failed condition's message. */
  message?: string;
}

interface ContainerStatus {
  name?: string;
  state?: { terminated?: { exitCode?: number } };
}

export function matchPodFailurePolicy(policy: unknown, pod: Obj): PolicyDecision | undefined {
  const rules = (policy as { rules?: unknown } | undefined)?.rules;
  if (!Array.isArray(rules)) return undefined;
  const status = (pod.status ?? {}) as { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[]; conditions?: { type?: string; status?: string }[] };
  const containers = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as { action: PolicyDecision['action']; onExitCodes?: { containerName?: string; operator: string; values: number[] }; onPodConditions?: { type: string; status?: string }[] };
    if (rule.onExitCodes) {
      const req = rule.onExitCodes;
      for (const cs of containers) {
        if (req.containerName && cs.name !== req.containerName) continue;
        const code = cs.state?.terminated?.exitCode;
        // Containers that succeeded (exit code 0) never match.
        if (code === undefined || code === 0) continue;
        const listed = req.values.includes(code);
        if ((req.operator === 'In' && listed) || (req.operator === 'NotIn' && !listed)) {
          return { action: rule.action, message: `Container ${cs.name} for pod ${namespace(pod)}/${name(pod)} failed with exit code ${code} matching ${rule.action} rule at index ${i}` };
        }
      }
    } else if (rule.onPodConditions) {
      for (const pattern of rule.onPodConditions) {
        const want = pattern.status ?? 'True';
        if ((status.conditions ?? []).some((c) => c.type === pattern.type && c.status === want)) {
          return { action: rule.action, message: `Pod ${namespace(pod)}/${name(pod)} has condition ${pattern.type} matching ${rule.action} rule at index ${i}` };
        }
      }
    }
  }
  return undefined;
}
