// Writing a cluster into a kubeconfig as `aws eks update-kubeconfig` does
// (awscli/customizations/eks/update_kubeconfig.py): cluster, user and context all named by the
// cluster ARN; the user runs `aws --region R eks get-token --cluster-name N --output json`; the
// context becomes current. The file is the first of KUBECONFIG's paths (or --kubeconfig, else
// ~/.kube/config); entries of the same name are replaced, others kept.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { EksctlError } from './config.js';

export interface ClusterEntry {
  name: string;
  arn: string;
  endpoint: string;
  caData: string;
}

type Named = { name: string; [k: string]: unknown };

export function kubeconfigPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag;
  const first = (env.KUBECONFIG ?? '').split(delimiter).find((p) => p !== '');
  return first ?? join(homedir(), '.kube', 'config');
}

function upsert(list: unknown, entry: Named): Named[] {
  const items = Array.isArray(list) ? (list as Named[]).filter((e) => e && typeof e === 'object') : [];
  const i = items.findIndex((e) => e.name === entry.name);
  if (i >= 0) items[i] = entry;
  else items.push(entry);
  return items;
}

/** The entries of one cluster, in update-kubeconfig's shape. */
export function clusterEntries(c: ClusterEntry, profile?: string) {
  const region = c.arn.split(':')[3];
  const exec: Record<string, unknown> = {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    args: ['--region', region, 'eks', 'get-token', '--cluster-name', c.name, '--output', 'json'],
    command: 'aws',
  };
  if (profile) exec.env = [{ name: 'AWS_PROFILE', value: profile }];
  return {
    cluster: { cluster: { 'certificate-authority-data': c.caData, server: c.endpoint }, name: c.arn },
    user: { name: c.arn, user: { exec } },
    context: { context: { cluster: c.arn, user: c.arn }, name: c.arn },
  };
}

function load(path: string): Record<string, unknown> {
  if (!existsSync(path)) return { apiVersion: 'v1', clusters: [], contexts: [], 'current-context': '', kind: 'Config', preferences: {}, users: [] };
  const text = readFileSync(path, 'utf8');
  const doc = text.trim() === '' ? {} : (parse(text) as unknown);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new EksctlError(`unable to read kubeconfig ${JSON.stringify(path)}: not a kubeconfig`);
  return doc as Record<string, unknown>;
}

function save(path: string, config: Record<string, unknown>): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, stringify(config), { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Adds (or replaces) the cluster's entries and makes its context current. */
export function writeKubeconfig(path: string, c: ClusterEntry, profile?: string): void {
  const config = load(path);
  const e = clusterEntries(c, profile);
  config.clusters = upsert(config.clusters, e.cluster);
  config.users = upsert(config.users, e.user);
  config.contexts = upsert(config.contexts, e.context);
  config['current-context'] = e.context.name;
  save(path, config);
}

/** Removes the cluster's entries (eksctl delete cluster); the current context is cleared if it was this one. */
export function removeFromKubeconfig(path: string, arn: string): boolean {
  if (!existsSync(path)) return false;
  const config = load(path);
  let changed = false;
  for (const key of ['clusters', 'users', 'contexts']) {
    const list = Array.isArray(config[key]) ? (config[key] as Named[]) : [];
    const kept = list.filter((e) => e?.name !== arn);
    if (kept.length !== list.length) changed = true;
    config[key] = kept;
  }
  if (config['current-context'] === arn) {
    config['current-context'] = '';
    changed = true;
  }
  if (changed) save(path, config);
  return changed;
}
