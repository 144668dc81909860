// HttpClientOptions from a kubeconfig (clientcmd v1 Config): the current (or a named) context's
// server, CA and bearer token. Only token users are supported; others throw, naming what is missing.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { HttpClientOptions } from './http.js';

interface Named {
  name: string;
  [k: string]: unknown;
}

function find(list: unknown, name: string, field: string): Record<string, unknown> {
  const entries = Array.isArray(list) ? (list as Named[]) : [];
  const entry = entries.find((e) => e && e.name === name);
  const value = entry?.[field];
  if (!value || typeof value !== 'object') throw new Error(`kubeconfig: no ${field} named ${JSON.stringify(name)}`);
  return value as Record<string, unknown>;
}

export function clientOptionsFromKubeconfig(text: string, contextName?: string): HttpClientOptions {
  const config = parse(text) as Record<string, unknown> | null;
  if (!config || typeof config !== 'object' || Array.isArray(config)) throw new Error('kubeconfig: not a YAML object');
  const ctxName = contextName ?? (config['current-context'] as string | undefined);
  if (!ctxName) throw new Error('kubeconfig: no current-context');
  const ctx = find(config.contexts, ctxName, 'context');
  const cluster = find(config.clusters, String(ctx.cluster), 'cluster');
  const user = find(config.users, String(ctx.user), 'user');
  const server = cluster.server;
  if (typeof server !== 'string' || !server) throw new Error(`kubeconfig: cluster ${JSON.stringify(ctx.cluster)} has no server`);
  let caData: string;
  if (typeof cluster['certificate-authority-data'] === 'string') caData = cluster['certificate-authority-data'];
  else if (typeof cluster['certificate-authority'] === 'string') caData = readFileSync(cluster['certificate-authority'], 'utf8');
  else throw new Error(`kubeconfig: cluster ${JSON.stringify(ctx.cluster)} has no certificate authority`);
  let token: string;
  if (typeof user.token === 'string' && user.token) token = user.token;
  else if (typeof user.tokenFile === 'string') token = readFileSync(user.tokenFile, 'utf8').trim();
  else throw new Error(`kubeconfig: user ${JSON.stringify(ctx.user)} has no token (only bearer tokens are supported)`);
  return { server, caData, token };
}

export function clientOptionsFromKubeconfigFile(path: string, contextName?: string): HttpClientOptions {
  return clientOptionsFromKubeconfig(readFileSync(path, 'utf8'), contextName);
}
