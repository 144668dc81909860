// EKS Fargate as the cluster sees it: the ACTIVE Fargate profiles mirrored into the cluster as the
// ConfigMap kube-system/kumo-fargate-profiles (written by the EKS side, read by the Fargate
// admission plugin and the Fargate scheduler), and EKS's rule for which profile a pod matches
// (EKS user guide, fargate-profile: a selector matches a pod in its namespace that carries all its
// labels; `*` and `?` are wildcards in namespaces, label keys and values; of several matching
// profiles the first by name wins; a pod's eks.amazonaws.com/fargate-profile label picks one).

export const FARGATE_SCHEDULER_NAME = 'fargate-scheduler';
export const FARGATE_PROFILE_LABEL = 'eks.amazonaws.com/fargate-profile';
export const COMPUTE_TYPE_LABEL = 'eks.amazonaws.com/compute-type';
export const FARGATE_MIRROR_NAMESPACE = 'kube-system';
export const FARGATE_MIRROR_CONFIGMAP = 'kumo-fargate-profiles';
/** The ConfigMap key holding the profiles (JSON of FargateMirror). */
export const FARGATE_MIRROR_KEY = 'profiles.json';

export interface FargateSelectorView {
  namespace: string;
  labels?: Record<string, string>;
}

export interface FargateProfileView {
  name: string;
  selectors: FargateSelectorView[];
  subnets: { subnetId: string; availabilityZone?: string; cidrBlock?: string }[];
}

export interface FargateMirror {
  profiles: FargateProfileView[];
  /** How long Fargate takes to give a pod its node (simulated milliseconds). */
  startupMs?: number;
}

/** The mirror from a ConfigMap's data; undefined when absent or malformed. */
export function parseFargateMirror(data: unknown): FargateMirror | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const text = (data as Record<string, unknown>)[FARGATE_MIRROR_KEY];
  if (typeof text !== 'string') return undefined;
  try {
    const v = JSON.parse(text) as FargateMirror;
    if (!v || !Array.isArray(v.profiles)) return undefined;
    const ok = v.profiles.every((p) => typeof p?.name === 'string' && Array.isArray(p.selectors) && Array.isArray(p.subnets)
      && p.selectors.every((s) => typeof s?.namespace === 'string'));
    return ok ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Fargate's wildcard match: `*` is any run of characters, `?` exactly one. */
export function wildcardMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

export function selectorMatches(sel: FargateSelectorView, namespace: string, labels: Record<string, string>): boolean {
  if (!wildcardMatch(sel.namespace, namespace)) return false;
  for (const [k, v] of Object.entries(sel.labels ?? {})) {
    const hit = Object.entries(labels).some(([pk, pv]) => wildcardMatch(k, pk) && wildcardMatch(v, pv));
    if (!hit) return false;
  }
  return true;
}

/**
 * The profile a pod created in `namespace` with `labels` runs under, or undefined. A pod that names
 * a profile with the eks.amazonaws.com/fargate-profile label is only matched against that profile.
 */
export function matchFargateProfile(profiles: readonly FargateProfileView[], namespace: string, labels: Record<string, string>): FargateProfileView | undefined {
  const wanted = labels[FARGATE_PROFILE_LABEL];
  const candidates = [...profiles]
    .filter((p) => wanted === undefined || p.name === wanted)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return candidates.find((p) => p.selectors.some((s) => selectorMatches(s, namespace, labels)));
}
