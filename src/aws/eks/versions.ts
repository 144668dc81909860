// Kubernetes versions this EKS region offers, with EKS's published release and end-of-support dates
// (EKS user guide, kubernetes-versions). Support status is the catalog's, as of when 1.33 was the
// newest release, so that flows written against these versions keep working as the clock moves.
import { invalidParameter } from './errors.js';

export interface VersionInfo {
  version: string;
  releaseDate: string;
  endOfStandardSupportDate: string;
  endOfExtendedSupportDate: string;
  versionStatus: 'STANDARD_SUPPORT' | 'EXTENDED_SUPPORT';
  kubernetesPatchVersion: string;
  /** Latest EKS platform version of the minor (eks.N). */
  platformVersion: string;
}

export const VERSIONS: readonly VersionInfo[] = [
  { version: '1.33', releaseDate: '2025-05-29', endOfStandardSupportDate: '2026-07-29', endOfExtendedSupportDate: '2027-07-29', versionStatus: 'STANDARD_SUPPORT', kubernetesPatchVersion: '1.33.5', platformVersion: 'eks.21' },
  { version: '1.32', releaseDate: '2025-01-23', endOfStandardSupportDate: '2026-03-23', endOfExtendedSupportDate: '2027-03-23', versionStatus: 'STANDARD_SUPPORT', kubernetesPatchVersion: '1.32.9', platformVersion: 'eks.27' },
  { version: '1.31', releaseDate: '2024-09-26', endOfStandardSupportDate: '2025-11-26', endOfExtendedSupportDate: '2026-11-26', versionStatus: 'STANDARD_SUPPORT', kubernetesPatchVersion: '1.31.13', platformVersion: 'eks.43' },
  { version: '1.30', releaseDate: '2024-05-23', endOfStandardSupportDate: '2025-07-23', endOfExtendedSupportDate: '2026-07-23', versionStatus: 'STANDARD_SUPPORT', kubernetesPatchVersion: '1.30.14', platformVersion: 'eks.51' },
  { version: '1.29', releaseDate: '2024-01-23', endOfStandardSupportDate: '2025-03-23', endOfExtendedSupportDate: '2026-03-23', versionStatus: 'EXTENDED_SUPPORT', kubernetesPatchVersion: '1.29.15', platformVersion: 'eks.54' },
  { version: '1.28', releaseDate: '2023-09-26', endOfStandardSupportDate: '2024-11-26', endOfExtendedSupportDate: '2025-11-26', versionStatus: 'EXTENDED_SUPPORT', kubernetesPatchVersion: '1.28.15', platformVersion: 'eks.60' },
];

export const DEFAULT_VERSION = '1.33';

export function versionInfo(version: string): VersionInfo | undefined {
  return VERSIONS.find((v) => v.version === version);
}

export function minorOf(version: string): number {
  return Number(version.split('.')[1]);
}

/** CreateCluster's check: only catalogued versions (EKS answers this exact text, with clusterName). */
export function requireSupportedVersion(version: string, clusterName: string): VersionInfo {
  const info = versionInfo(version);
  if (!info) throw invalidParameter('unsupported Kubernetes version', { clusterName });
  return info;
}

const epoch = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;

/** A ClusterVersionInformation as DescribeClusterVersions answers it. */
export function clusterVersionInformation(v: VersionInfo): Record<string, unknown> {
  return {
    clusterVersion: v.version,
    clusterType: 'eks',
    defaultPlatformVersion: v.platformVersion,
    defaultVersion: v.version === DEFAULT_VERSION,
    releaseDate: epoch(v.releaseDate),
    endOfStandardSupportDate: epoch(v.endOfStandardSupportDate),
    endOfExtendedSupportDate: epoch(v.endOfExtendedSupportDate),
    status: v.versionStatus === 'STANDARD_SUPPORT' ? 'standard-support' : 'extended-support',
    versionStatus: v.versionStatus,
    kubernetesPatchVersion: v.kubernetesPatchVersion,
  };
}
