// An admin kubeconfig (clientcmd v1 Config) for a running server: cluster with the HTTPS URL and the
// CA, a user with the admin token, and a context that is current.
import { renameSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export interface KubeconfigParams {
  server: string;
  caPem: string;
  token: string;
  /** Names used for the cluster, user and context entries. */
  name?: string;
}

export function adminKubeconfig({ server, caPem, token, name = 'kumo' }: KubeconfigParams): string {
  const user = `${name}-admin`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name, context: { cluster: name, user, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

/** Writes the file atomically (readers never see half a kubeconfig), readable by the owner only. */
export function writeKubeconfig(path: string, params: KubeconfigParams): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, adminKubeconfig(params), { mode: 0o600 });
  renameSync(tmp, path);
}
