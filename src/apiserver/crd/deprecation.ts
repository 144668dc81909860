// Warnings for requests to deprecated CRD versions (apiextensions-apiserver customresource_handler.go
// defaultDeprecationWarning) and Kubernetes' version ordering (apimachinery version.CompareKubeAwareVersionStrings).
import type { CustomResourceDefinition } from './types.js';

function parse(v: string): { major: number; level: number; minor: number } | undefined {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return undefined;
  return { major: Number(m[1]), level: m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0, minor: Number(m[3] ?? 0) };
}

/** Positive when `a` is the more stable/newer version: v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > others (by name, reversed). */
export function compareKubeVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (pa && !pb) return 1;
  if (!pa && pb) return -1;
  if (!pa || !pb) return a < b ? 1 : a > b ? -1 : 0;
  if (pa.level !== pb.level) return pa.level - pb.level;
  if (pa.major !== pb.major) return pa.major - pb.major;
  return pa.minor - pb.minor;
}

/** The Warning for requests to a version, or undefined when it is not deprecated. */
export function deprecationWarning(crd: CustomResourceDefinition, version: string): string | undefined {
  const versions = Array.isArray(crd.spec?.versions) ? crd.spec.versions.filter((x) => typeof x === 'object' && x !== null) : [];
  const v = versions.find((x) => x.name === version);
  if (!v || v.deprecated !== true) return undefined;
  if (typeof v.deprecationWarning === 'string') return v.deprecationWarning;
  const group = crd.spec?.group ?? '';
  const kind = crd.spec?.names?.kind ?? '';
  let msg = `${group}/${version} ${kind} is deprecated`;
  const newer = versions
    .filter((x) => x.served === true && x.deprecated !== true && typeof x.name === 'string' && compareKubeVersions(version, x.name) < 0)
    .map((x) => x.name as string)
    .sort((a, b) => compareKubeVersions(b, a));
  if (newer.length) msg += `; use ${group}/${newer[0]} ${kind}`;
  return msg;
}
