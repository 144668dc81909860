// Access entries and their access policies (the nine access operations of the EKS model).
import { randomUUID } from 'node:crypto';
import { accessEntryArn, parseIamPrincipal, type IamPrincipal } from './arns.js';
import { ACCESS_POLICY_NAMES, accessPolicyArn, isAccessPolicyArn } from './access-policies.js';
import { invalidParameter, invalidRequest, resourceInUse, resourceNotFound } from './errors.js';
import { optObject, optString, optStringList, optTags, paginate, queryString, reqString, type Body, type Query } from './input.js';
import type { AccessEntry, AccessScope, AssociatedAccessPolicy, CallerContext } from './model.js';
import type { EksService } from './service.js';
import type { StoredAccessEntry } from './state.js';

export const ACCESS_ENTRY_TYPES = ['STANDARD', 'FARGATE_LINUX', 'EC2_LINUX', 'EC2_WINDOWS', 'EC2', 'HYBRID_LINUX', 'HYPERPOD_LINUX'];
const RESERVED_USERNAME_PREFIXES = ['system:', 'eks:', 'aws:', 'amazon:', 'iam:'];
const epochSeconds = (ms: number) => ms / 1000;

/** Every access-entry operation needs a cluster whose authentication mode includes the API. */
function entryCluster(svc: EksService, name: string) {
  const stored = svc.cluster(name);
  const mode = stored.cluster.accessConfig.authenticationMode;
  if (mode !== 'API' && mode !== 'API_AND_CONFIG_MAP') {
    throw invalidRequest("The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.", { clusterName: name });
  }
  return stored;
}

function findEntry(svc: EksService, cluster: string, principalArn: string): StoredAccessEntry {
  const e = svc.state.entries.get(cluster)?.get(principalArn);
  if (!e) throw resourceNotFound("The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.", { clusterName: cluster });
  return e;
}

/** The principal an access entry may name: an IAM role or user, or the account root. */
function principalOf(arn: string, clusterName: string): IamPrincipal {
  const root = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(arn);
  if (root) return { kind: 'user', account: root[1], name: 'root', path: '/' };
  const p = parseIamPrincipal(arn);
  if (!p) throw invalidParameter(`The principalArn ${arn} is not a valid IAM role or user ARN.`, { clusterName });
  return p;
}

/** The username EKS generates when none is given (EKS user guide, creating access entries). */
function defaultUsername(type: string, principalArn: string, p: IamPrincipal): string {
  if (type === 'EC2_LINUX' || type === 'EC2_WINDOWS' || type === 'EC2') return 'system:node:{{EC2PrivateDNSName}}';
  if (type !== 'STANDARD') return 'system:node:{{SessionName}}';
  if (p.kind === 'role') return `arn:aws:sts::${p.account}:assumed-role/${p.name}/{{SessionName}}`;
  return principalArn;
}

function checkUsername(username: string, clusterName: string): void {
  if (username.length < 1 || username.length > 256) throw invalidParameter('username must be between 1 and 256 characters', { clusterName });
  const bad = RESERVED_USERNAME_PREFIXES.find((p) => username.startsWith(p));
  if (bad) throw invalidParameter(`The username ${username} is invalid, it cannot start with ${bad.slice(0, -1)}`, { clusterName });
}

function checkGroups(groups: string[], clusterName: string): void {
  for (const g of groups) {
    if (g.startsWith('system:')) throw invalidParameter(`The kubernetes group name ${g} is invalid, it cannot start with system`, { clusterName });
    if (g.length < 1) throw invalidParameter('Kubernetes group names must not be empty', { clusterName });
  }
}

/** Validates and stores a new entry (also used for the cluster creator's bootstrap entry). */
export async function createEntry(svc: EksService, clusterName: string, body: Body, ctx: CallerContext): Promise<StoredAccessEntry> {
  const principalArn = reqString(body, 'principalArn');
  const p = principalOf(principalArn, clusterName);
  const type = optString(body, 'type') ?? 'STANDARD';
  if (!ACCESS_ENTRY_TYPES.includes(type)) throw invalidParameter(`The access entry type ${type} is invalid. Valid types are ${ACCESS_ENTRY_TYPES.join(', ')}.`, { clusterName });
  const groups = optStringList(body, 'kubernetesGroups');
  const username = optString(body, 'username');
  let kubernetesGroups: string[];
  if (type !== 'STANDARD') {
    if (p.kind !== 'role') throw invalidParameter(`Access entries of type ${type} require an IAM role principalArn.`, { clusterName });
    if (groups?.length) throw invalidParameter(`kubernetesGroups cannot be specified for access entries of type ${type}.`, { clusterName });
    if (username !== undefined) throw invalidParameter(`username cannot be specified for access entries of type ${type}.`, { clusterName });
    kubernetesGroups = ['system:nodes'];
  } else {
    kubernetesGroups = [...new Set(groups ?? [])];
    checkGroups(kubernetesGroups, clusterName);
    if (username !== undefined) checkUsername(username, clusterName);
  }
  if (svc.state.entries.get(clusterName)?.has(principalArn)) {
    throw resourceInUse('The specified access entry resource is already in use on this cluster.', { clusterName });
  }
  const now = epochSeconds(svc.clock.now());
  const entry: AccessEntry = {
    clusterName,
    principalArn,
    kubernetesGroups,
    accessEntryArn: accessEntryArn(ctx.region, ctx.accountId, clusterName, p, randomUUID()),
    createdAt: now,
    modifiedAt: now,
    tags: optTags(body) ?? {},
    username: username ?? defaultUsername(type, principalArn, p),
    type,
  };
  const stored: StoredAccessEntry = { entry, policies: [] };
  await svc.state.putEntry(stored);
  return stored;
}

export async function createAccessEntry(svc: EksService, clusterName: string, body: Body, ctx: CallerContext): Promise<{ accessEntry: AccessEntry }> {
  entryCluster(svc, clusterName);
  return svc.idempotent(clusterName, 'CreateAccessEntry', body, async () => {
    const stored = await createEntry(svc, clusterName, body, ctx);
    return { accessEntry: structuredClone(stored.entry) };
  });
}

export function describeAccessEntry(svc: EksService, clusterName: string, principalArn: string): { accessEntry: AccessEntry } {
  entryCluster(svc, clusterName);
  return { accessEntry: structuredClone(findEntry(svc, clusterName, principalArn).entry) };
}

export function listAccessEntries(svc: EksService, clusterName: string, q: Query): { accessEntries: string[]; nextToken?: string } {
  entryCluster(svc, clusterName);
  const policy = queryString(q, 'associatedPolicyArn');
  if (policy !== undefined && !isAccessPolicyArn(policy)) throw invalidParameter(`The policyArn ${policy} is not a valid access policy ARN.`, { clusterName });
  const arns = [...(svc.state.entries.get(clusterName)?.values() ?? [])]
    .filter((e) => policy === undefined || e.policies.some((a) => a.policyArn === policy))
    .map((e) => e.entry.principalArn)
    .sort();
  const { page, nextToken } = paginate(arns, (a) => a, q);
  return { accessEntries: page, nextToken };
}

export async function updateAccessEntry(svc: EksService, clusterName: string, principalArn: string, body: Body): Promise<{ accessEntry: AccessEntry }> {
  entryCluster(svc, clusterName);
  return svc.idempotent(clusterName, `UpdateAccessEntry/${principalArn}`, body, async () => {
    const e = findEntry(svc, clusterName, principalArn);
    const groups = optStringList(body, 'kubernetesGroups');
    const username = optString(body, 'username');
    if (e.entry.type !== 'STANDARD' && (groups !== undefined || username !== undefined)) {
      throw invalidParameter('This operation can only be performed on Access Entries with a type of "STANDARD".', { clusterName });
    }
    if (groups !== undefined) {
      const unique = [...new Set(groups)];
      checkGroups(unique, clusterName);
      e.entry.kubernetesGroups = unique;
    }
    if (username !== undefined) {
      checkUsername(username, clusterName);
      e.entry.username = username;
    }
    e.entry.modifiedAt = epochSeconds(svc.clock.now());
    await svc.state.putEntry(e);
    return { accessEntry: structuredClone(e.entry) };
  });
}

export async function deleteAccessEntry(svc: EksService, clusterName: string, principalArn: string): Promise<Record<string, never>> {
  entryCluster(svc, clusterName);
  findEntry(svc, clusterName, principalArn);
  await svc.state.deleteEntry(clusterName, principalArn);
  return {};
}

function accessScope(body: Body, clusterName: string): AccessScope {
  const scope = optObject(body, 'accessScope');
  if (!scope) throw invalidParameter('accessScope is required', { clusterName });
  const type = reqString(scope, 'type');
  const namespaces = optStringList(scope, 'namespaces') ?? [];
  if (type === 'cluster') {
    if (namespaces.length) throw invalidParameter('namespaces cannot be specified for an access scope of type cluster', { clusterName });
    return { type, namespaces: [] };
  }
  if (type !== 'namespace') throw invalidParameter(`The access scope type ${type} is invalid. Valid types are cluster, namespace.`, { clusterName });
  if (!namespaces.length) throw invalidParameter('namespaces must be specified for an access scope of type namespace', { clusterName });
  // Namespace names, with a trailing * as the only wildcard (EKS access scopes such as dev-*).
  for (const ns of namespaces) {
    if (!/^([a-z0-9][-a-z0-9]*)?\*$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns) || ns.length > 63) {
      throw invalidParameter(`The namespace ${ns} is invalid.`, { clusterName });
    }
  }
  return { type, namespaces: [...new Set(namespaces)] };
}

export async function associateAccessPolicy(svc: EksService, clusterName: string, principalArn: string, body: Body):
  Promise<{ clusterName: string; principalArn: string; associatedAccessPolicy: AssociatedAccessPolicy }> {
  entryCluster(svc, clusterName);
  const e = findEntry(svc, clusterName, principalArn);
  const policyArn = reqString(body, 'policyArn');
  if (!isAccessPolicyArn(policyArn)) throw invalidParameter(`The policyArn ${policyArn} is not a valid access policy ARN.`, { clusterName });
  if (e.entry.type !== 'STANDARD') throw invalidParameter('This operation can only be performed on Access Entries with a type of "STANDARD".', { clusterName });
  const scope = accessScope(body, clusterName);
  const now = epochSeconds(svc.clock.now());
  let assoc = e.policies.find((a) => a.policyArn === policyArn);
  if (assoc) {
    assoc.accessScope = scope;
    assoc.modifiedAt = now;
  } else {
    assoc = { policyArn, accessScope: scope, associatedAt: now, modifiedAt: now };
    e.policies.push(assoc);
  }
  await svc.state.putEntry(e);
  return { clusterName, principalArn, associatedAccessPolicy: structuredClone(assoc) };
}

export async function disassociateAccessPolicy(svc: EksService, clusterName: string, principalArn: string, policyArn: string): Promise<Record<string, never>> {
  entryCluster(svc, clusterName);
  const e = findEntry(svc, clusterName, principalArn);
  const i = e.policies.findIndex((a) => a.policyArn === policyArn);
  if (i < 0) throw resourceNotFound(`The specified policy ${policyArn} is not associated with the access entry.`, { clusterName });
  e.policies.splice(i, 1);
  await svc.state.putEntry(e);
  return {};
}

export function listAssociatedAccessPolicies(svc: EksService, clusterName: string, principalArn: string, q: Query):
  { clusterName: string; principalArn: string; associatedAccessPolicies: AssociatedAccessPolicy[]; nextToken?: string } {
  entryCluster(svc, clusterName);
  const e = findEntry(svc, clusterName, principalArn);
  const sorted = [...e.policies].sort((a, b) => (a.policyArn < b.policyArn ? -1 : 1));
  const { page, nextToken } = paginate(sorted, (a) => a.policyArn, q);
  return { clusterName, principalArn, associatedAccessPolicies: structuredClone(page), nextToken };
}

export function listAccessPolicies(q: Query): { accessPolicies: { name: string; arn: string }[]; nextToken?: string } {
  const all = ACCESS_POLICY_NAMES.map((name) => ({ name, arn: accessPolicyArn(name) }));
  const { page, nextToken } = paginate(all, (p) => p.arn, q);
  return { accessPolicies: page, nextToken };
}
