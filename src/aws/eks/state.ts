// EKS's region state: every object held in memory for fast reads and written through to the store,
// so `kumo up` finds it all again after a restart.
import { createHash } from 'node:crypto';
import type { AccessEntry, AssociatedAccessPolicy, Cluster, EksStateStore, FargateProfile, OidcIdentityProviderConfig, Update } from './model.js';
import type { Nodegroup, NodegroupVersionTarget } from './nodegroup-model.js';

export interface StoredCluster {
  cluster: Cluster;
  /** The IAM principal that created the cluster (its admin when bootstrapClusterCreatorAdminPermissions). */
  creatorArn: string;
  /** Clock time at which CREATING or DELETING ends. */
  dueAt?: number;
}

/** What an update changes when it succeeds. */
export type ClusterChange =
  | { kind: 'version'; version: string; platformVersion: string }
  | { kind: 'config'; patch: Partial<Cluster> }
  | { kind: 'idp-associate'; configName: string }
  | { kind: 'idp-disassociate'; configName: string }
  /** A node group's update: its runtime finishes it (nodegroups.ts), not the cluster's timer. */
  | { kind: 'nodegroup-config'; patch: Partial<Nodegroup> }
  | { kind: 'nodegroup-version'; target: NodegroupVersionTarget };

export interface StoredUpdate {
  clusterName: string;
  update: Update;
  change: ClusterChange;
  dueAt: number;
  /** Set for a node group's update (DescribeUpdate/ListUpdates with nodegroupName). */
  nodegroupName?: string;
}

export interface StoredNodegroup {
  nodegroup: Nodegroup;
}

export interface StoredAccessEntry {
  entry: AccessEntry;
  policies: AssociatedAccessPolicy[];
}

export interface StoredIdp {
  config: OidcIdentityProviderConfig;
}

export interface StoredFargateProfile {
  profile: FargateProfile;
  /** Clock time at which CREATING or DELETING ends. */
  dueAt?: number;
}

export interface StoredToken {
  id: string;
  hash: string;
  response: unknown;
}

const K = { cluster: 'ekscluster', update: 'eksupdate', entry: 'eksaccessentry', idp: 'eksidpconfig', token: 'ekstoken', fargate: 'eksfargateprofile', nodegroup: 'eksnodegroup' } as const;

/** Canonical JSON (sorted keys) hashed: what "the same parameters" means for idempotency tokens. */
export function paramsHash(value: unknown): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon) : v && typeof v === 'object'
      ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])]))
      : v;
  return createHash('sha256').update(JSON.stringify(canon(value))).digest('hex');
}

export class EksState {
  readonly clusters = new Map<string, StoredCluster>();
  /** Per cluster, in creation order. */
  readonly updates = new Map<string, StoredUpdate[]>();
  /** Per cluster, keyed by principal ARN. */
  readonly entries = new Map<string, Map<string, StoredAccessEntry>>();
  /** Per cluster, keyed by config name. */
  readonly idps = new Map<string, Map<string, StoredIdp>>();
  readonly tokens = new Map<string, StoredToken>();
  /** Per cluster, keyed by profile name. */
  readonly fargateProfiles = new Map<string, Map<string, StoredFargateProfile>>();
  /** Per cluster, keyed by node group name. */
  readonly nodegroups = new Map<string, Map<string, StoredNodegroup>>();

  constructor(private readonly store: EksStateStore) {}

  async load(): Promise<void> {
    for (const c of await this.store.list<StoredCluster>(K.cluster)) this.clusters.set(c.cluster.name, c);
    for (const u of await this.store.list<StoredUpdate>(K.update)) this.clusterUpdates(u.clusterName).push(u);
    for (const list of this.updates.values()) list.sort((a, b) => a.update.createdAt - b.update.createdAt);
    for (const e of await this.store.list<StoredAccessEntry>(K.entry)) this.clusterEntries(e.entry.clusterName).set(e.entry.principalArn, e);
    for (const i of await this.store.list<StoredIdp>(K.idp)) this.clusterIdps(i.config.clusterName).set(i.config.identityProviderConfigName, i);
    for (const t of await this.store.list<StoredToken>(K.token)) this.tokens.set(t.id, t);
    for (const f of await this.store.list<StoredFargateProfile>(K.fargate)) this.clusterFargateProfiles(f.profile.clusterName).set(f.profile.fargateProfileName, f);
    for (const n of await this.store.list<StoredNodegroup>(K.nodegroup)) this.clusterNodegroups(n.nodegroup.clusterName).set(n.nodegroup.nodegroupName, n);
  }

  clusterNodegroups(name: string): Map<string, StoredNodegroup> {
    let m = this.nodegroups.get(name);
    if (!m) this.nodegroups.set(name, (m = new Map()));
    return m;
  }
  async putNodegroup(n: StoredNodegroup): Promise<void> {
    this.clusterNodegroups(n.nodegroup.clusterName).set(n.nodegroup.nodegroupName, n);
    await this.store.put(K.nodegroup, `${n.nodegroup.clusterName}/${n.nodegroup.nodegroupName}`, n);
  }
  async deleteNodegroup(cluster: string, name: string): Promise<void> {
    this.clusterNodegroups(cluster).delete(name);
    await this.store.delete(K.nodegroup, `${cluster}/${name}`);
    const kept: StoredUpdate[] = [];
    for (const u of this.updates.get(cluster) ?? []) {
      if (u.nodegroupName === name) await this.store.delete(K.update, `${cluster}/${u.update.id}`);
      else kept.push(u);
    }
    if (this.updates.has(cluster)) this.updates.set(cluster, kept);
  }

  clusterUpdates(name: string): StoredUpdate[] {
    let l = this.updates.get(name);
    if (!l) this.updates.set(name, (l = []));
    return l;
  }
  clusterEntries(name: string): Map<string, StoredAccessEntry> {
    let m = this.entries.get(name);
    if (!m) this.entries.set(name, (m = new Map()));
    return m;
  }
  clusterIdps(name: string): Map<string, StoredIdp> {
    let m = this.idps.get(name);
    if (!m) this.idps.set(name, (m = new Map()));
    return m;
  }

  clusterFargateProfiles(name: string): Map<string, StoredFargateProfile> {
    let m = this.fargateProfiles.get(name);
    if (!m) this.fargateProfiles.set(name, (m = new Map()));
    return m;
  }

  async putCluster(c: StoredCluster): Promise<void> {
    this.clusters.set(c.cluster.name, c);
    await this.store.put(K.cluster, c.cluster.name, c);
  }
  async putUpdate(u: StoredUpdate): Promise<void> {
    const list = this.clusterUpdates(u.clusterName);
    const i = list.findIndex((x) => x.update.id === u.update.id);
    if (i < 0) list.push(u);
    else list[i] = u;
    await this.store.put(K.update, `${u.clusterName}/${u.update.id}`, u);
  }
  async putEntry(e: StoredAccessEntry): Promise<void> {
    this.clusterEntries(e.entry.clusterName).set(e.entry.principalArn, e);
    await this.store.put(K.entry, `${e.entry.clusterName}/${e.entry.principalArn}`, e);
  }
  async deleteEntry(cluster: string, principalArn: string): Promise<void> {
    this.clusterEntries(cluster).delete(principalArn);
    await this.store.delete(K.entry, `${cluster}/${principalArn}`);
  }
  async putIdp(i: StoredIdp): Promise<void> {
    this.clusterIdps(i.config.clusterName).set(i.config.identityProviderConfigName, i);
    await this.store.put(K.idp, `${i.config.clusterName}/${i.config.identityProviderConfigName}`, i);
  }
  async deleteIdp(cluster: string, name: string): Promise<void> {
    this.clusterIdps(cluster).delete(name);
    await this.store.delete(K.idp, `${cluster}/${name}`);
  }
  async putFargateProfile(f: StoredFargateProfile): Promise<void> {
    this.clusterFargateProfiles(f.profile.clusterName).set(f.profile.fargateProfileName, f);
    await this.store.put(K.fargate, `${f.profile.clusterName}/${f.profile.fargateProfileName}`, f);
  }
  async deleteFargateProfile(cluster: string, name: string): Promise<void> {
    this.clusterFargateProfiles(cluster).delete(name);
    await this.store.delete(K.fargate, `${cluster}/${name}`);
  }
  async putToken(t: StoredToken): Promise<void> {
    this.tokens.set(t.id, t);
    await this.store.put(K.token, t.id, t);
  }

  /** Removes a cluster and everything that belongs to it. */
  async deleteCluster(name: string): Promise<void> {
    for (const u of this.updates.get(name) ?? []) await this.store.delete(K.update, `${name}/${u.update.id}`);
    for (const arn of this.entries.get(name)?.keys() ?? []) await this.store.delete(K.entry, `${name}/${arn}`);
    for (const n of this.idps.get(name)?.keys() ?? []) await this.store.delete(K.idp, `${name}/${n}`);
    for (const n of this.fargateProfiles.get(name)?.keys() ?? []) await this.store.delete(K.fargate, `${name}/${n}`);
    for (const n of this.nodegroups.get(name)?.keys() ?? []) await this.store.delete(K.nodegroup, `${name}/${n}`);
    this.nodegroups.delete(name);
    for (const id of [...this.tokens.keys()]) {
      if (id.startsWith(`${name}/`)) {
        this.tokens.delete(id);
        await this.store.delete(K.token, id);
      }
    }
    this.updates.delete(name);
    this.entries.delete(name);
    this.idps.delete(name);
    this.fargateProfiles.delete(name);
    this.clusters.delete(name);
    await this.store.delete(K.cluster, name);
  }
}
