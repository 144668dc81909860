// Fargate profiles (CreateFargateProfile, DescribeFargateProfile, ListFargateProfiles,
// DeleteFargateProfile) with EKS's rules: up to five selectors, each with a namespace and up to
// five labels; private subnets only; a pod execution role that trusts eks-fargate-pods; profiles
// are immutable; one profile of a cluster CREATING or DELETING at a time (EKS user guide,
// fargate-profile and delete-fargate-profile). ACTIVE profiles are handed to the cluster's control
// plane (ClusterRuntime.syncFargateProfiles), whose Fargate admission and scheduler act on them.
import { randomUUID } from 'node:crypto';
import { parseIamPrincipal } from './arns.js';
import { invalidParameter, invalidRequest, resourceInUse, resourceLimitExceeded, resourceNotFound } from './errors.js';
import { optObject, optStringList, optTags, paginate, reqString, type Body, type Query } from './input.js';
import type { CallerContext, FargateProfile, FargateProfileMirror, FargateProfileSelector } from './model.js';
import type { EksService } from './service.js';
import type { StoredFargateProfile } from './state.js';

export const FARGATE_POD_SERVICE = 'eks-fargate-pods.amazonaws.com';
const MAX_SELECTORS = 5;
const MAX_LABELS = 5;
/** The EKS service quota "Fargate profiles per cluster". */
export const MAX_PROFILES_PER_CLUSTER = 10;
const PROFILE_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;
/** Kubernetes names and label parts plus Fargate's wildcards `*` and `?`. */
const NAMESPACE_PATTERN = /^[a-z0-9*?]([-a-z0-9*?]*[a-z0-9*?])?$/;
const LABEL_KEY_PATTERN = /^([a-z0-9*?]([-a-z0-9.*?]*[a-z0-9*?])?\/)?[A-Za-z0-9*?]([-A-Za-z0-9_.*?]*[A-Za-z0-9*?])?$/;
const LABEL_VALUE_PATTERN = /^([A-Za-z0-9*?]([-A-Za-z0-9_.*?]*[A-Za-z0-9*?])?)?$/;

const epochSeconds = (ms: number) => ms / 1000;

export const fargateProfileArn = (region: string, account: string, cluster: string, name: string, uuid: string) =>
  `arn:aws:eks:${region}:${account}:fargateprofile/${cluster}/${name}/${uuid}`;

function profilesOf(svc: EksService, clusterName: string): Map<string, StoredFargateProfile> {
  return svc.state.clusterFargateProfiles(clusterName);
}

function findProfile(svc: EksService, clusterName: string, name: string): StoredFargateProfile {
  const f = svc.state.fargateProfiles.get(clusterName)?.get(name);
  if (!f) throw resourceNotFound(`No Fargate Profile found with name: ${name}.`, { clusterName, fargateProfileName: name });
  return f;
}

function selectorsOf(body: Body, clusterName: string, name: string): FargateProfileSelector[] {
  const fields = { clusterName, fargateProfileName: name };
  const raw = body.selectors;
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) throw invalidParameter('Fargate Profile must have at least one selector.', fields);
  if (!Array.isArray(raw)) throw invalidParameter('selectors must be a list', fields);
  if (raw.length > MAX_SELECTORS) throw invalidParameter(`Fargate Profile can have at most ${MAX_SELECTORS} selectors.`, fields);
  return raw.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalidParameter('Each selector must be an object', fields);
    const sel = item as Body;
    const ns = sel.namespace;
    if (ns === undefined || ns === null || ns === '') throw invalidParameter('Fargate Profile selector must have a namespace.', fields);
    if (typeof ns !== 'string') throw invalidParameter('namespace must be a string', fields);
    if (ns.length > 63 || !NAMESPACE_PATTERN.test(ns)) throw invalidParameter(`Namespace ${ns} in Fargate Profile selector is invalid.`, fields);
    const labels = optObject(sel, 'labels');
    const out: FargateProfileSelector = { namespace: ns };
    if (labels !== undefined) {
      const entries = Object.entries(labels);
      if (entries.length > MAX_LABELS) throw invalidParameter(`Fargate Profile selector can have at most ${MAX_LABELS} labels.`, fields);
      for (const [k, v] of entries) {
        if (typeof v !== 'string') throw invalidParameter(`Label value for key ${k} must be a string`, fields);
        const keyName = k.includes('/') ? k.slice(k.indexOf('/') + 1) : k;
        if (k.length > 316 || keyName.length > 63 || !LABEL_KEY_PATTERN.test(k)) throw invalidParameter(`Label key ${k} in Fargate Profile selector is invalid.`, fields);
        if (v.length > 63 || !LABEL_VALUE_PATTERN.test(v)) throw invalidParameter(`Label value ${v} in Fargate Profile selector is invalid.`, fields);
      }
      out.labels = { ...(labels as Record<string, string>) };
    }
    return out;
  });
}

/** The profile's subnets: the given ones, each a private subnet of the cluster's VPC; by default the cluster's private subnets. */
function subnetsOf(svc: EksService, body: Body, clusterName: string, name: string, region: string): string[] {
  const fields = { clusterName, fargateProfileName: name };
  const given = optStringList(body, 'subnets');
  const cluster = svc.cluster(clusterName).cluster;
  const network = svc.network;
  if (given === undefined || given.length === 0) {
    const privateOnes = cluster.resourcesVpcConfig.subnetIds.filter((id) => network?.subnet(region, id)?.mapPublicIpOnLaunch === false);
    if (privateOnes.length === 0) throw invalidParameter('No private subnets were specified and the cluster has none: Fargate Profiles require private subnets.', fields);
    return privateOnes;
  }
  const unique = [...new Set(given)];
  if (!network) return unique;
  // The cluster's VPC, when its subnets are ones the VPC model knows.
  const clusterVpc = cluster.resourcesVpcConfig.subnetIds.map((id) => network.subnet(region, id)?.vpcId).find((v) => v !== undefined);
  for (const id of unique) {
    const s = network.subnet(region, id);
    if (!s) throw invalidParameter(`Subnet ${id} provided in Fargate Profile does not exist.`, fields);
    if (clusterVpc !== undefined && s.vpcId !== clusterVpc) throw invalidParameter(`Subnet ${id} provided in Fargate Profile is not in the VPC of cluster ${clusterName} (${clusterVpc}).`, fields);
    if (s.mapPublicIpOnLaunch) throw invalidParameter(`Subnet ${id} provided in Fargate Profile is not a private subnet`, fields);
  }
  return unique;
}

/** A profile being created or deleted blocks creating or deleting another one in the same cluster. */
function busyProfile(svc: EksService, clusterName: string, except?: string): StoredFargateProfile | undefined {
  for (const f of profilesOf(svc, clusterName).values()) {
    if (f.profile.fargateProfileName === except) continue;
    if (f.profile.status === 'CREATING' || f.profile.status === 'DELETING') return f;
  }
  return undefined;
}

export async function createFargateProfile(svc: EksService, clusterName: string, body: Body, ctx: CallerContext): Promise<{ fargateProfile: FargateProfile }> {
  const stored = svc.cluster(clusterName);
  const name = reqString(body, 'fargateProfileName');
  return svc.idempotent(clusterName, `CreateFargateProfile/${name}`, body, async () => {
    const fields = { clusterName, fargateProfileName: name };
    if (name.length > 100 || !PROFILE_NAME.test(name)) {
      throw invalidParameter(`The Fargate Profile name ${name} is invalid. It must be 1-100 characters, start with an alphanumeric character and contain only alphanumerics, hyphens and underscores.`, fields);
    }
    const status = stored.cluster.status;
    if (status !== 'ACTIVE' && status !== 'UPDATING') throw invalidRequest(`Cluster ${clusterName} is in ${status} status. Fargate Profiles can only be created on ACTIVE clusters.`, fields);
    const selectors = selectorsOf(body, clusterName, name);
    const roleArn = reqString(body, 'podExecutionRoleArn');
    const role = parseIamPrincipal(roleArn);
    if (!role || role.kind !== 'role') throw invalidParameter(`Invalid ARN: ${roleArn}`, fields);
    const subnets = subnetsOf(svc, body, clusterName, name, ctx.region);
    const tags = optTags(body) ?? {};
    if (profilesOf(svc, clusterName).has(name)) throw resourceInUse('A Fargate Profile already exists with this name in this cluster.', fields);
    const busy = busyProfile(svc, clusterName);
    if (busy) {
      throw resourceInUse(`Cannot create Fargate Profile ${name} because cluster ${clusterName} currently has Fargate profile ${busy.profile.fargateProfileName} in status ${busy.profile.status}`, fields);
    }
    if (profilesOf(svc, clusterName).size >= MAX_PROFILES_PER_CLUSTER) {
      throw resourceLimitExceeded(`Cluster ${clusterName} already has the maximum of ${MAX_PROFILES_PER_CLUSTER} Fargate Profiles.`, fields);
    }
    const arn = fargateProfileArn(ctx.region, ctx.accountId, clusterName, name, randomUUID());
    await ctx.passRole?.(roleArn);
    // EKS assumes the role as eks-fargate-pods.amazonaws.com for the profile (aws:SourceArn is the profile's ARN).
    if (svc.roleCheck && !(await svc.roleCheck(roleArn, FARGATE_POD_SERVICE, { 'aws:SourceArn': arn, 'aws:SourceAccount': arn.split(':')[4] ?? '' }))) {
      throw invalidParameter(`Misconfigured PodExecutionRole Trust Policy; Please add the ${FARGATE_POD_SERVICE} Service Principal`, fields);
    }
    const now = svc.clock.now();
    const profile: FargateProfile = {
      fargateProfileName: name,
      fargateProfileArn: arn,
      clusterName,
      createdAt: epochSeconds(now),
      podExecutionRoleArn: roleArn,
      subnets,
      selectors,
      status: 'CREATING',
      tags,
      health: { issues: [] },
    };
    const entry: StoredFargateProfile = { profile, dueAt: now + svc.transitionMs };
    await svc.state.putFargateProfile(entry);
    svc.arm(`fargate/${clusterName}/${name}`, entry.dueAt!, () => finishCreate(svc, clusterName, name));
    return { fargateProfile: structuredClone(profile) };
  });
}

export function describeFargateProfile(svc: EksService, clusterName: string, name: string): { fargateProfile: FargateProfile } {
  svc.cluster(clusterName);
  return { fargateProfile: structuredClone(findProfile(svc, clusterName, name).profile) };
}

export function listFargateProfiles(svc: EksService, clusterName: string, q: Query): { fargateProfileNames: string[]; nextToken?: string } {
  svc.cluster(clusterName);
  const names = [...profilesOf(svc, clusterName).keys()].sort();
  const { page, nextToken } = paginate(names, (n) => n, q);
  return { fargateProfileNames: page, nextToken };
}

export async function deleteFargateProfile(svc: EksService, clusterName: string, name: string): Promise<{ fargateProfile: FargateProfile }> {
  svc.cluster(clusterName);
  const f = findProfile(svc, clusterName, name);
  const fields = { clusterName, fargateProfileName: name };
  if (svc.inProgress(clusterName)) throw resourceInUse(`Cannot Delete Fargate Profile ${name} because cluster ${clusterName} currently has an update in progress`, fields);
  const busy = busyProfile(svc, clusterName, name);
  if (busy) {
    throw resourceInUse(`Cannot Delete Fargate Profile ${name} because cluster ${clusterName} currently has Fargate profile ${busy.profile.fargateProfileName} in status ${busy.profile.status}`, fields);
  }
  if (f.profile.status === 'CREATING' || f.profile.status === 'DELETING') {
    throw resourceInUse(`Cannot Delete Fargate Profile ${name} because it is in status ${f.profile.status}`, fields);
  }
  f.profile.status = 'DELETING';
  f.dueAt = svc.clock.now() + svc.transitionMs;
  await svc.state.putFargateProfile(f);
  // Its pods stop being Fargate pods at once: the cluster no longer sees the profile (a cluster
  // whose control plane is down learns it when it comes back, from resumeFargateProfiles).
  await syncCluster(svc, clusterName).catch(() => undefined);
  svc.arm(`fargate/${clusterName}/${name}`, f.dueAt, () => finishDelete(svc, clusterName, name));
  return { fargateProfile: structuredClone(f.profile) };
}

/** Names of the cluster's profiles (they keep DeleteCluster from running). */
export function fargateProfileNames(svc: EksService, clusterName: string): string[] {
  return [...(svc.state.fargateProfiles.get(clusterName)?.keys() ?? [])].sort();
}

async function finishCreate(svc: EksService, clusterName: string, name: string): Promise<void> {
  const f = svc.state.fargateProfiles.get(clusterName)?.get(name);
  if (!f || f.profile.status !== 'CREATING') return;
  // The cluster learns of the profile before it reads ACTIVE, so a pod created right after
  // `aws eks wait fargate-profile-active` is already matched.
  f.profile.status = 'ACTIVE';
  try {
    await syncCluster(svc, clusterName);
  } catch (err) {
    f.profile.status = 'CREATE_FAILED';
    f.profile.health = { issues: [{ code: 'ClusterUnreachable', message: `The cluster's control plane could not be reached: ${(err as Error).message}`, resourceIds: [] }] };
  }
  delete f.dueAt;
  await svc.state.putFargateProfile(f);
}

async function finishDelete(svc: EksService, clusterName: string, name: string): Promise<void> {
  const f = svc.state.fargateProfiles.get(clusterName)?.get(name);
  if (!f || f.profile.status !== 'DELETING') return;
  await svc.state.deleteFargateProfile(clusterName, name);
}

/** The cluster's ACTIVE profiles as its control plane needs them, with each subnet's zone and CIDR. */
export function fargateMirror(svc: EksService, clusterName: string, region: string): FargateProfileMirror[] {
  return [...profilesOf(svc, clusterName).values()]
    .filter((f) => f.profile.status === 'ACTIVE')
    .sort((a, b) => (a.profile.fargateProfileName < b.profile.fargateProfileName ? -1 : 1))
    .map((f) => ({
      name: f.profile.fargateProfileName,
      selectors: structuredClone(f.profile.selectors),
      subnets: f.profile.subnets.map((id) => {
        const s = svc.network?.subnet(region, id);
        return s ? { subnetId: id, availabilityZone: s.availabilityZone, cidrBlock: s.cidrBlock } : { subnetId: id };
      }),
    }));
}

function regionOf(svc: EksService, clusterName: string): string {
  return svc.cluster(clusterName).cluster.arn.split(':')[3];
}

async function syncCluster(svc: EksService, clusterName: string): Promise<void> {
  if (!svc.runtime.syncFargateProfiles) return;
  await svc.runtime.syncFargateProfiles(clusterName, fargateMirror(svc, clusterName, regionOf(svc, clusterName)));
}

/** After a restart: pending transitions are re-armed and every cluster's control plane gets its profiles again. */
export async function resumeFargateProfiles(svc: EksService): Promise<void> {
  for (const [clusterName, profiles] of svc.state.fargateProfiles) {
    if (!svc.state.clusters.has(clusterName)) continue;
    for (const f of profiles.values()) {
      const name = f.profile.fargateProfileName;
      if (f.profile.status === 'CREATING') svc.arm(`fargate/${clusterName}/${name}`, f.dueAt ?? svc.clock.now(), () => finishCreate(svc, clusterName, name));
      if (f.profile.status === 'DELETING') svc.arm(`fargate/${clusterName}/${name}`, f.dueAt ?? svc.clock.now(), () => finishDelete(svc, clusterName, name));
    }
    const status = svc.state.clusters.get(clusterName)!.cluster.status;
    if (profiles.size > 0 && (status === 'ACTIVE' || status === 'UPDATING')) await syncCluster(svc, clusterName).catch(() => undefined);
  }
}
