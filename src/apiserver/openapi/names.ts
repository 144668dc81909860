// Names upstream's OpenAPI uses: schema names from Go package paths, operation ids and tags
// from group-versions.

/**
 * 'k8s.io/api/apps/v1.Deployment' -> 'io.k8s.api.apps.v1.Deployment';
 * 'stable.example.com/v1.CronTab' -> 'com.example.stable.v1.CronTab' (the domain reversed,
 * slashes become dots).
 */
export function schemaName(ref: string): string {
  const slash = ref.indexOf('/');
  if (slash < 0) return ref;
  const domain = ref.slice(0, slash).split('.').reverse().join('.');
  return `${domain}.${ref.slice(slash + 1).replaceAll('/', '.')}`;
}

/** '' -> 'Core', 'rbac.authorization.k8s.io' -> 'RbacAuthorization', 'stable.example.com' -> 'StableExampleCom'. */
export function groupWord(group: string): string {
  if (group === '') return 'Core';
  const trimmed = group.endsWith('.k8s.io') ? group.slice(0, -'.k8s.io'.length) : group;
  return trimmed
    .split(/[.-]/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/** Operation tag: 'apps_v1', 'core_v1', 'rbacAuthorization_v1'. */
export function tagFor(group: string, version: string): string {
  const word = groupWord(group);
  return `${word[0]!.toLowerCase()}${word.slice(1)}_${version}`;
}

/** 'AppsV1', 'CoreV1', 'AutoscalingV2'. */
export function gvWord(group: string, version: string): string {
  return `${groupWord(group)}${version[0]!.toUpperCase()}${version.slice(1)}`;
}

/** The document path of a group-version: 'api/v1' or 'apis/apps/v1'. */
export function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}
