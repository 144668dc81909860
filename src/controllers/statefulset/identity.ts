// StatefulSet pod identity (pkg/controller/statefulset/stateful_set_utils.go): ordinal names,
// hostname/subdomain, the pod-name and pod-index labels, and claims from volumeClaimTemplates.
import { name } from '../../client/objects.js';
import type { Obj } from '../../client/types.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/** The ordinal of a pod named "<set>-<n>", or undefined when it is not one of the set's. */
export function ordinalOf(set: Obj, pod: Obj): number | undefined {
  const prefix = `${name(set)}-`;
  const n = name(pod);
  if (!n.startsWith(prefix)) return undefined;
  const rest = n.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

export function podName(set: Obj, ordinal: number): string {
  return `${name(set)}-${ordinal}`;
}

export function claimName(template: Obj, pod: string): string {
  return `${name(template)}-${pod}`;
}

/** The claims a pod of the set uses, made from volumeClaimTemplates with the selector's labels. */
export function claimsFor(set: Obj, pod: string): Obj[] {
  const spec = (set.spec ?? {}) as Record<string, unknown>;
  const templates = (Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : []) as Obj[];
  const selectorLabels = (((spec.selector ?? {}) as Record<string, unknown>).matchLabels ?? {}) as Record<string, string>;
  return templates.map((t) => {
    const m = (t.metadata ?? {}) as Record<string, unknown>;
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: claimName(t, pod), labels: { ...((m.labels ?? {}) as Record<string, string>), ...selectorLabels }, ...(m.annotations ? { annotations: m.annotations } : {}) },
      spec: structuredClone(t.spec ?? {}),
    };
  });
}

/** Adds the claims' volumes to a pod spec (a template volume of the same name is replaced). */
export function addClaimVolumes(set: Obj, podSpec: Record<string, unknown>, pod: string): void {
  const spec = (set.spec ?? {}) as Record<string, unknown>;
  const templates = (Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : []) as Obj[];
  if (!templates.length) return;
  const names = new Set(templates.map((t) => name(t)));
  const volumes = ((Array.isArray(podSpec.volumes) ? podSpec.volumes : []) as Obj[]).filter((v) => !names.has(String(v.name)));
  for (const t of templates) volumes.push({ name: name(t), persistentVolumeClaim: { claimName: claimName(t, pod) } });
  podSpec.volumes = volumes;
}
