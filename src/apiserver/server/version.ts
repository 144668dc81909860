// `GET /version`: the emulated Kubernetes version (k8s.io/apimachinery/pkg/version.Info).

export interface VersionInfo {
  major: string;
  minor: string;
  emulationMajor: string;
  emulationMinor: string;
  minCompatibilityMajor: string;
  minCompatibilityMinor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

const GO_ARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };

/** Parses `1.33` or `v1.33.4` into the version document; throws on anything else. */
export function versionInfo(kubernetesVersion: string, buildDate = new Date(0).toISOString().replace(/\.\d+Z$/, 'Z')): VersionInfo {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(kubernetesVersion.trim());
  if (!m) throw new Error(`invalid Kubernetes version ${JSON.stringify(kubernetesVersion)}: expected MAJOR.MINOR or MAJOR.MINOR.PATCH`);
  const [, major, minor, patch = '0'] = m;
  // Upstream reports the minimum compatibility version as one minor below the binary version.
  const minMinor = String(Math.max(0, Number(minor) - 1));
  return {
    major,
    minor,
    emulationMajor: major,
    emulationMinor: minor,
    minCompatibilityMajor: major,
    minCompatibilityMinor: minMinor,
    gitVersion: `v${major}.${minor}.${patch}`,
    gitCommit: '',
    gitTreeState: '',
    buildDate,
    goVersion: `node${process.versions.node}`,
    compiler: 'kumo',
    platform: `${process.platform}/${GO_ARCH[process.arch] ?? process.arch}`,
  };
}
