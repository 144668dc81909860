// What a DaemonSet pod looks like (pkg/controller/daemon/util): the template with the revision
// hash label, the automatic tolerations, and node affinity pinning it to its node through
// matchFields metadata.name so the default scheduler places it.
import type { Obj } from '../../client/types.js';
import type { Toleration } from '../shared/scheduling.js';

/** AddOrUpdateDaemonPodTolerations. */
export function daemonTolerations(podSpec: Record<string, unknown>): Toleration[] {
  const auto: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (podSpec.hostNetwork === true) auto.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  const own = (Array.isArray(podSpec.tolerations) ? podSpec.tolerations : []) as Toleration[];
  const out = [...own];
  for (const t of auto) {
    const same = (x: Toleration) => x.key === t.key && (x.effect ?? '') === t.effect && (x.operator ?? 'Equal') === 'Exists';
    if (!out.some(same)) out.push(t);
  }
  return out;
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: one required term selecting the node by name. */
export function pinToNode(podSpec: Record<string, unknown>, nodeName: string): void {
  const affinity = (podSpec.affinity ?? {}) as Record<string, unknown>;
  const nodeAffinity = (affinity.nodeAffinity ?? {}) as Record<string, unknown>;
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] };
  affinity.nodeAffinity = nodeAffinity;
  podSpec.affinity = affinity;
}

export function daemonPodSpec(template: Obj, nodeName: string): Record<string, unknown> {
  const spec = structuredClone((template.spec ?? {}) as Record<string, unknown>);
  spec.tolerations = daemonTolerations(spec);
  pinToNode(spec, nodeName);
  return spec;
}
