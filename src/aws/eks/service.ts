// The EKS region: clusters with their lifecycle on the injected clock, updates, tags, identity
// provider configs and idempotency tokens. Access entries live in access-entries.ts over the same state.
import { randomUUID } from 'node:crypto';
import type { Clock, Timer } from '../../util/clock.js';
import { clusterArn, identityProviderConfigArn, parseAssumedRole, parseIamPrincipal } from './arns.js';
import { AUTH_MODES, endpointAccess, logging, networkConfig, vpcConfig } from './cluster-config.js';
import { badRequest, invalidParameter, invalidRequest, noCluster, notFound, resourceInUse, resourceNotFound } from './errors.js';
import { optBool, optObject, optString, optTags, paginate, queryBool, queryList, queryString, reqString, type Body, type Query } from './input.js';
import type { AuthenticationMode, CallerContext, Cluster, ClusterDependents, ClusterRuntime, EksStateStore, OidcIdentityProviderConfig, Tags, Update } from './model.js';
import { EksState, paramsHash, type ClusterChange, type StoredCluster, type StoredUpdate } from './state.js';
import { clusterVersionInformation, DEFAULT_VERSION, minorOf, requireSupportedVersion, versionInfo, VERSIONS } from './versions.js';
import { ACCESS_POLICY_PREFIX } from './access-policies.js';
import { createEntry } from './access-entries.js';
import { resumeFargateProfiles } from './fargate-profiles.js';
import type { ServiceRoleCheck } from '../iam/service-role.js';
import type { NetworkLookup, NodegroupRuntime } from './nodegroup-model.js';
import { NodegroupManager } from './nodegroups.js';

export interface EksServiceOptions {
  store: EksStateStore;
  clock: Clock;
  runtime: ClusterRuntime;
  /** Clock time CREATING, DELETING and an update's InProgress last. Default 200 ms. */
  transitionMs?: number;
  /** Node groups and Fargate profiles that block DeleteCluster (a later issue provides them). */
  dependents?: ClusterDependents;
  /** Whether IAM lets a service principal assume a role (serviceRoleCheck over the IAM state): cluster roles, pod execution roles. */
  roleCheck?: ServiceRoleCheck;
  /** Runs node groups' nodes; without it node groups are records that only change status. */
  nodegroupRuntime?: NodegroupRuntime;
  /** The region's VPC model: CreateCluster, CreateNodegroup and CreateFargateProfile resolve subnets against it when given. */
  network?: NetworkLookup;
}

const epochSeconds = (ms: number) => ms / 1000;
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;

export class EksService {
  readonly state: EksState;
  readonly clock: Clock;
  readonly runtime: ClusterRuntime;
  readonly transitionMs: number;
  private readonly dependents?: ClusterDependents;
  readonly roleCheck?: ServiceRoleCheck;
  readonly network?: NetworkLookup;
  readonly nodegroups: NodegroupManager;
  private readonly timers = new Map<string, Timer>();
  /** Control planes being started, by cluster name. */
  private readonly starting = new Map<string, Promise<{ endpoint: string; caData: string; oidcIssuer: string }>>();
  private stopped = false;

  constructor(opts: EksServiceOptions) {
    this.state = new EksState(opts.store);
    this.clock = opts.clock;
    this.runtime = opts.runtime;
    this.transitionMs = opts.transitionMs ?? 200;
    this.dependents = opts.dependents;
    this.roleCheck = opts.roleCheck;
    this.network = opts.network;
    this.nodegroups = new NodegroupManager(this, this.transitionMs, opts.nodegroupRuntime, opts.network);
  }

  /** Loads the stored region, restarts the control plane of every live cluster and re-arms pending transitions. */
  async start(): Promise<void> {
    await this.state.load();
    for (const c of this.state.clusters.values()) {
      if (c.cluster.status === 'DELETING') this.arm(`cluster/${c.cluster.name}`, c.dueAt ?? this.clock.now(), () => this.finishDelete(c.cluster.name));
      else if (c.cluster.status === 'CREATING') this.beginStart(c.cluster);
      else if (c.cluster.status !== 'FAILED') {
        // Already running before the restart: bring the same control plane back.
        try {
          const live = await this.runtime.start(structuredClone(c.cluster));
          c.cluster.endpoint = live.endpoint;
          c.cluster.certificateAuthority = { data: live.caData };
          c.cluster.identity = { oidc: { issuer: live.oidcIssuer } };
        } catch (err) {
          c.cluster.health = { issues: [{ code: 'ClusterUnreachable', message: `The control plane failed to start: ${(err as Error).message}`, resourceIds: [] }] };
        }
        await this.state.putCluster(c);
      }
      if (c.cluster.status === 'CREATING') this.arm(`cluster/${c.cluster.name}`, c.dueAt ?? this.clock.now(), () => this.finishCreate(c.cluster.name));
    }
    for (const list of this.state.updates.values()) {
      for (const u of list) if (u.update.status === 'InProgress' && u.nodegroupName === undefined) this.armUpdate(u);
    }
    await resumeFargateProfiles(this);
    await this.nodegroups.resume();
  }

  /** Cancels pending timers (the state stays as stored; start() resumes it). */
  stop(): void {
    this.stopped = true;
    this.nodegroups.stop();
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  arm(key: string, at: number, fn: () => Promise<void>): void {
    this.timers.get(key)?.cancel();
    this.timers.set(key, this.clock.setTimer(Math.max(0, at - this.clock.now()), () => {
      this.timers.delete(key);
      if (!this.stopped) void fn().catch(() => undefined);
    }));
  }

  private beginStart(cluster: Cluster): void {
    const p = this.runtime.start(structuredClone(cluster));
    p.catch(() => undefined);
    this.starting.set(cluster.name, p);
  }

  cluster(name: string): StoredCluster {
    const c = this.state.clusters.get(name);
    if (!c) throw noCluster(name);
    return c;
  }

  // ---- idempotency -------------------------------------------------------------------------

  /**
   * Runs `fn` once per clientRequestToken: the same token with the same parameters answers the first
   * response again; with different parameters it is refused.
   */
  async idempotent<T>(scope: string, op: string, body: Body, fn: () => Promise<T>): Promise<T> {
    const token = optString(body, 'clientRequestToken');
    if (token === undefined) return fn();
    const id = `${scope}/${op}/${token}`;
    const { clientRequestToken: _t, ...params } = body;
    const hash = paramsHash(params);
    const seen = this.state.tokens.get(id);
    if (seen) {
      if (seen.hash !== hash) throw invalidParameter(`Client request token ${token} has already been used with different parameters`);
      return seen.response as T;
    }
    const response = await fn();
    await this.state.putToken({ id, hash, response });
    return response;
  }

  // ---- clusters ----------------------------------------------------------------------------

  async createCluster(body: Body, ctx: CallerContext): Promise<{ cluster: Cluster }> {
    const name = reqString(body, 'name');
    return this.idempotent(name, 'CreateCluster', body, async () => {
      if (name.length > 100 || !CLUSTER_NAME.test(name)) {
        throw invalidParameter(`The cluster name ${name} is invalid. It must be 1-100 characters, start with an alphanumeric character and contain only alphanumerics, hyphens and underscores.`);
      }
      if (this.state.clusters.has(name)) throw resourceInUse(`Cluster already exists with name: ${name}`, { clusterName: name });
      const roleArn = reqString(body, 'roleArn');
      const role = parseIamPrincipal(roleArn);
      if (!role || role.kind !== 'role') throw invalidParameter(`The role ARN ${roleArn} is not a valid IAM role ARN.`, { clusterName: name });
      const version = optString(body, 'version') ?? DEFAULT_VERSION;
      const info = requireSupportedVersion(version, name);
      const vpcBody = optObject(body, 'resourcesVpcConfig');
      if (!vpcBody) throw invalidParameter('resourcesVpcConfig is required', { clusterName: name });
      const resourcesVpcConfig = vpcConfig(vpcBody, name, ctx.accountId, ctx.region);
      if (this.network) this.resolveSubnets(resourcesVpcConfig, name, ctx.region);
      const kubernetesNetworkConfig = networkConfig(optObject(body, 'kubernetesNetworkConfig'), name);
      const clusterLogging = logging(optObject(body, 'logging'), undefined, name);
      const access = optObject(body, 'accessConfig') ?? {};
      // CreateAccessConfigRequest: CONFIG_MAP when the API (SDKs, CLI, CloudFormation) leaves it out.
      const authenticationMode = (optString(access, 'authenticationMode') ?? 'CONFIG_MAP') as AuthenticationMode;
      if (!AUTH_MODES.includes(authenticationMode)) throw invalidParameter(`Invalid authenticationMode: ${authenticationMode}`, { clusterName: name });
      const bootstrap = optBool(access, 'bootstrapClusterCreatorAdminPermissions') ?? true;
      if (authenticationMode === 'CONFIG_MAP' && !bootstrap) {
        throw invalidParameter('bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to CONFIG_MAP', { clusterName: name });
      }
      for (const unsupported of ['outpostConfig', 'remoteNetworkConfig', 'computeConfig', 'storageConfig', 'encryptionConfig', 'controlPlaneScalingConfig']) {
        if (body[unsupported] !== undefined && body[unsupported] !== null) {
          throw invalidParameter(`${unsupported} is not supported by this endpoint`, { clusterName: name });
        }
      }
      const upgrade = optObject(body, 'upgradePolicy');
      const supportType = (upgrade && optString(upgrade, 'supportType')) ?? 'EXTENDED';
      if (supportType !== 'STANDARD' && supportType !== 'EXTENDED') throw invalidParameter(`Invalid supportType: ${supportType}`, { clusterName: name });
      const zonal = optObject(body, 'zonalShiftConfig');
      // EKS assumes the cluster role at once and refuses the call when it cannot (missing role or trust).
      const sourceArn = clusterArn(ctx.region, ctx.accountId, name);
      await ctx.passRole?.(roleArn);
      if (this.roleCheck && !(await this.roleCheck(roleArn, 'eks.amazonaws.com', { 'aws:SourceAccount': ctx.accountId, 'aws:SourceArn': sourceArn }))) {
        throw invalidParameter(`Role with arn: ${roleArn}, could not be assumed because it does not exist or the trusted entity is not correct`, { clusterName: name });
      }
      const now = this.clock.now();
      const cluster: Cluster = {
        name,
        arn: clusterArn(ctx.region, ctx.accountId, name),
        createdAt: epochSeconds(now),
        version,
        roleArn,
        resourcesVpcConfig,
        kubernetesNetworkConfig,
        logging: { clusterLogging },
        status: 'CREATING',
        clientRequestToken: optString(body, 'clientRequestToken'),
        platformVersion: info.platformVersion,
        tags: optTags(body) ?? {},
        health: { issues: [] },
        accessConfig: { bootstrapClusterCreatorAdminPermissions: bootstrap, authenticationMode },
        upgradePolicy: { supportType },
        zonalShiftConfig: zonal ? { enabled: optBool(zonal, 'enabled') ?? false } : undefined,
        deletionProtection: optBool(body, 'deletionProtection') ?? false,
      };
      const stored: StoredCluster = { cluster, creatorArn: ctx.callerArn, dueAt: now + this.transitionMs };
      await this.state.putCluster(stored);
      if (authenticationMode !== 'CONFIG_MAP' && bootstrap) await this.bootstrapCreatorEntry(stored, ctx);
      this.beginStart(cluster);
      this.arm(`cluster/${name}`, stored.dueAt!, () => this.finishCreate(name));
      return { cluster: structuredClone(cluster) };
    });
  }

  /**
   * Subnets and security groups of the region's VPC model: each must exist (EKS passes EC2's
   * InvalidSubnetID.NotFound text through), they must share one VPC and span two zones; the VPC is theirs.
   */
  private resolveSubnets(cfg: Cluster['resourcesVpcConfig'], clusterName: string, region: string): void {
    const zones = new Set<string>();
    const vpcs = new Set<string>();
    for (const id of cfg.subnetIds) {
      const s = this.network!.subnet(region, id);
      if (!s) throw invalidParameter(`The subnet ID '${id}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)`, { clusterName });
      zones.add(s.availabilityZone);
      vpcs.add(s.vpcId);
    }
    if (vpcs.size > 1) throw invalidParameter('Subnets specified must belong to the same VPC', { clusterName });
    if (zones.size < 2) throw invalidParameter('Subnets specified must be in at least two different AZs', { clusterName });
    const vpcId = [...vpcs][0];
    for (const g of cfg.securityGroupIds) {
      const sg = this.network!.securityGroup(region, g);
      if (!sg) throw invalidParameter(`The security group '${g}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidGroup.NotFound)`, { clusterName });
      if (sg.vpcId !== vpcId) throw invalidParameter(`Security group ${g} is not in the VPC ${vpcId} of the subnets`, { clusterName });
    }
    cfg.vpcId = vpcId;
  }

  /** The creator's access entry with AmazonEKSClusterAdminPolicy, as EKS makes it at creation. */
  private async bootstrapCreatorEntry(stored: StoredCluster, ctx: CallerContext): Promise<void> {
    const assumed = parseAssumedRole(ctx.callerArn);
    const principalArn = ctx.principalArn ?? (assumed ? `arn:aws:iam::${assumed.account}:role/${assumed.role}` : ctx.callerArn);
    // Only IAM principals can hold an entry (a federated caller gets none, as in EKS).
    if (!/^arn:aws[a-z-]*:iam::\d{12}:(root$|role\/|user\/)/.test(principalArn)) return;
    const entry = await createEntry(this, stored.cluster.name, { principalArn }, ctx);
    const now = epochSeconds(this.clock.now());
    entry.policies.push({
      policyArn: `${ACCESS_POLICY_PREFIX}AmazonEKSClusterAdminPolicy`,
      accessScope: { type: 'cluster', namespaces: [] },
      associatedAt: now,
      modifiedAt: now,
    });
    await this.state.putEntry(entry);
  }

  private async finishCreate(name: string): Promise<void> {
    const stored = this.state.clusters.get(name);
    if (!stored || stored.cluster.status !== 'CREATING') return;
    let pending = this.starting.get(name);
    if (!pending) {
      this.beginStart(stored.cluster);
      pending = this.starting.get(name)!;
    }
    try {
      const live = await pending;
      stored.cluster.endpoint = live.endpoint;
      stored.cluster.certificateAuthority = { data: live.caData };
      stored.cluster.identity = { oidc: { issuer: live.oidcIssuer } };
      stored.cluster.status = 'ACTIVE';
    } catch (err) {
      stored.cluster.status = 'FAILED';
      stored.cluster.health = { issues: [{ code: 'InternalFailure', message: `The control plane failed to start: ${(err as Error).message}`, resourceIds: [] }] };
    } finally {
      this.starting.delete(name);
    }
    delete stored.dueAt;
    if (this.state.clusters.get(name) === stored) await this.state.putCluster(stored);
  }

  describeCluster(name: string): { cluster: Cluster } {
    return { cluster: structuredClone(this.cluster(name).cluster) };
  }

  listClusters(q: Query): { clusters: string[]; nextToken?: string } {
    const include = queryList(q, 'include');
    for (const i of include) if (i !== 'all') throw invalidParameter(`Invalid include value: ${i}`);
    const names = [...this.state.clusters.keys()].sort();
    const { page, nextToken } = paginate(names, (n) => n, q);
    return { clusters: page, nextToken };
  }

  async deleteCluster(name: string): Promise<{ cluster: Cluster }> {
    const stored = this.cluster(name);
    const c = stored.cluster;
    if (c.deletionProtection) {
      throw invalidRequest(`Cannot delete cluster ${name} because deletion protection is enabled. Disable deletion protection with UpdateClusterConfig first.`, { clusterName: name });
    }
    const running = this.inProgress(name);
    if (running) throw resourceInUse(`Cannot delete because cluster ${name} currently has update ${running.update.id} in progress`, { clusterName: name });
    if (c.status === 'CREATING' || c.status === 'DELETING') {
      throw resourceInUse(`Cluster has status of ${c.status}. Cannot delete.`, { clusterName: name });
    }
    if (this.nodegroups.names(name).length) throw resourceInUse('Cluster has nodegroups attached', { clusterName: name });
    if (this.dependents) {
      const ngs = await this.dependents.nodegroups(name);
      if (ngs.length) throw resourceInUse(`Cluster has nodegroups attached`, { clusterName: name });
      const fps = await this.dependents.fargateProfiles(name);
      if (fps.length) throw resourceInUse(`Cluster has Fargate profiles attached`, { clusterName: name });
    }
    c.status = 'DELETING';
    stored.dueAt = this.clock.now() + this.transitionMs;
    await this.state.putCluster(stored);
    this.arm(`cluster/${name}`, stored.dueAt, () => this.finishDelete(name));
    return { cluster: structuredClone(c) };
  }

  private async finishDelete(name: string): Promise<void> {
    const stored = this.state.clusters.get(name);
    if (!stored || stored.cluster.status !== 'DELETING') return;
    await this.runtime.stop(name).catch(() => undefined);
    await this.state.deleteCluster(name);
  }

  describeClusterVersions(q: Query): { clusterVersions: Record<string, unknown>[]; nextToken?: string } {
    const type = queryString(q, 'clusterType');
    if (type !== undefined && type !== 'eks') throw invalidParameter(`Invalid clusterType: ${type}`);
    const defaultOnly = queryBool(q, 'defaultOnly') ?? false;
    queryBool(q, 'includeAll');
    const wanted = queryList(q, 'clusterVersions');
    const statusText = queryString(q, 'versionStatus') ?? queryString(q, 'status');
    const status = statusText?.toUpperCase().replace(/-/g, '_');
    if (status !== undefined && !['UNSUPPORTED', 'STANDARD_SUPPORT', 'EXTENDED_SUPPORT'].includes(status)) {
      throw invalidParameter(`Invalid versionStatus: ${statusText}`);
    }
    const list = VERSIONS.filter((v) =>
      (!defaultOnly || v.version === DEFAULT_VERSION) &&
      (wanted.length === 0 || wanted.includes(v.version)) &&
      (status === undefined || v.versionStatus === status));
    // Newest first, as EKS lists them; page keys sort the same way.
    const key = (v: (typeof VERSIONS)[number]) => String(1000 - minorOf(v.version)).padStart(4, '0');
    const { page, nextToken } = paginate(list, key, q);
    return { clusterVersions: page.map(clusterVersionInformation), nextToken };
  }

  // ---- updates -----------------------------------------------------------------------------

  inProgress(name: string): StoredUpdate | undefined {
    return this.state.updates.get(name)?.find((u) => u.update.status === 'InProgress' && u.nodegroupName === undefined);
  }

  private requireUpdatable(stored: StoredCluster, type: string): void {
    const name = stored.cluster.name;
    const running = this.inProgress(name);
    if (running) throw resourceInUse(`Cannot ${type} because cluster ${name} currently has update ${running.update.id} in progress`, { clusterName: name });
    if (stored.cluster.status !== 'ACTIVE') {
      throw resourceInUse(`Cluster ${name} is in ${stored.cluster.status} state. Only clusters in ACTIVE state can be updated.`, { clusterName: name });
    }
  }

  private async beginUpdate(stored: StoredCluster, type: string, params: Update['params'], change: ClusterChange): Promise<{ update: Update }> {
    const update: Update = { id: randomUUID(), status: 'InProgress', type, params, createdAt: epochSeconds(this.clock.now()), errors: [] };
    const u: StoredUpdate = { clusterName: stored.cluster.name, update, change, dueAt: this.clock.now() + this.transitionMs };
    stored.cluster.status = 'UPDATING';
    await this.state.putCluster(stored);
    await this.state.putUpdate(u);
    this.armUpdate(u);
    return { update: structuredClone(update) };
  }

  private armUpdate(u: StoredUpdate): void {
    this.arm(`update/${u.update.id}`, u.dueAt, () => this.finishUpdate(u));
  }

  private async finishUpdate(u: StoredUpdate): Promise<void> {
    const stored = this.state.clusters.get(u.clusterName);
    if (!stored) return;
    try {
      await this.applyChange(stored, u.change);
      u.update.status = 'Successful';
    } catch (err) {
      u.update.status = 'Failed';
      u.update.errors = [{ errorCode: 'Unknown', errorMessage: (err as Error).message, resourceIds: [u.clusterName] }];
    }
    if (stored.cluster.status === 'UPDATING') stored.cluster.status = 'ACTIVE';
    await this.state.putUpdate(u);
    await this.state.putCluster(stored);
  }

  private async applyChange(stored: StoredCluster, change: ClusterChange): Promise<void> {
    const c = stored.cluster;
    switch (change.kind) {
      case 'version':
        await this.runtime.setVersion(c.name, change.version);
        c.version = change.version;
        c.platformVersion = change.platformVersion;
        return;
      case 'config':
        Object.assign(c, structuredClone(change.patch));
        return;
      case 'idp-associate': {
        const idp = this.state.idps.get(c.name)?.get(change.configName);
        if (idp) {
          idp.config.status = 'ACTIVE';
          await this.state.putIdp(idp);
        }
        return;
      }
      case 'idp-disassociate':
        await this.state.deleteIdp(c.name, change.configName);
        return;
      case 'nodegroup-config':
      case 'nodegroup-version':
        // Node-group updates finish through their runtime (nodegroups.ts), never through this timer.
        return;
    }
  }

  async updateClusterVersion(name: string, body: Body): Promise<{ update: Update }> {
    const stored = this.cluster(name);
    return this.idempotent(name, 'UpdateClusterVersion', body, async () => {
      const version = reqString(body, 'version');
      optBool(body, 'force');
      this.requireUpdatable(stored, 'VersionUpdate');
      const from = stored.cluster.version;
      // EKS moves the control plane one minor version at a time, never down.
      if (!/^1\.\d+$/.test(version) || minorOf(version) !== minorOf(from) + 1) {
        throw invalidParameter(`Unsupported Kubernetes minor version update from ${from} to ${version}`, { clusterName: name });
      }
      const info = versionInfo(version);
      if (!info) throw invalidParameter('unsupported Kubernetes version', { clusterName: name });
      // Kubelets may trail the control plane by KUBELET_SKEW minors (EKS update-cluster guide).
      const behind = this.nodegroups.skewBlockers(name, version);
      if (behind.length) {
        throw invalidRequest(`Nodegroups ${behind.join(', ')} must be updated to match cluster version ${from} before updating cluster version`, { clusterName: name });
      }
      return this.beginUpdate(stored, 'VersionUpdate',
        [{ type: 'Version', value: version }, { type: 'PlatformVersion', value: info.platformVersion }],
        { kind: 'version', version, platformVersion: info.platformVersion });
    });
  }

  async updateClusterConfig(name: string, body: Body): Promise<{ update: Update }> {
    const stored = this.cluster(name);
    return this.idempotent(name, 'UpdateClusterConfig', body, async () => {
      const c = stored.cluster;
      const kinds = ['resourcesVpcConfig', 'logging', 'accessConfig', 'upgradePolicy', 'zonalShiftConfig', 'deletionProtection',
        'computeConfig', 'kubernetesNetworkConfig', 'storageConfig', 'remoteNetworkConfig', 'controlPlaneScalingConfig']
        .filter((k) => body[k] !== undefined && body[k] !== null);
      if (kinds.length === 0) throw invalidParameter('No changes were specified in the update request', { clusterName: name });
      if (kinds.length > 1) throw invalidParameter('Only one type of update can be allowed.', { clusterName: name });
      const kind = kinds[0];
      switch (kind) {
        case 'logging': {
          const clusterLogging = logging(optObject(body, 'logging'), c.logging.clusterLogging, name);
          if (JSON.stringify(clusterLogging) === JSON.stringify(logging(undefined, c.logging.clusterLogging, name))) {
            throw invalidParameter('No changes needed for the logging config provided', { clusterName: name });
          }
          this.requireUpdatable(stored, 'LoggingUpdate');
          return this.beginUpdate(stored, 'LoggingUpdate', [{ type: 'ClusterLogging', value: JSON.stringify({ clusterLogging }) }],
            { kind: 'config', patch: { logging: { clusterLogging } } });
        }
        case 'resourcesVpcConfig': {
          const vpc = optObject(body, 'resourcesVpcConfig')!;
          if (vpc.subnetIds !== undefined || vpc.securityGroupIds !== undefined) {
            throw invalidParameter('Changing subnets or security groups is not supported by this endpoint', { clusterName: name });
          }
          const access = endpointAccess(vpc, c.resourcesVpcConfig, name);
          const cur = c.resourcesVpcConfig;
          if (access.endpointPublicAccess === cur.endpointPublicAccess && access.endpointPrivateAccess === cur.endpointPrivateAccess &&
            JSON.stringify(access.publicAccessCidrs) === JSON.stringify(cur.publicAccessCidrs)) {
            throw invalidParameter(`Cluster is already at the desired configuration with endpointPrivateAccess: ${cur.endpointPrivateAccess} , ` +
              `endpointPublicAccess: ${cur.endpointPublicAccess}, and Public Endpoint Restrictions: [${cur.publicAccessCidrs.join(', ')}]`, { clusterName: name });
          }
          this.requireUpdatable(stored, 'EndpointAccessUpdate');
          const params = [
            { type: 'EndpointPublicAccess', value: String(access.endpointPublicAccess) },
            { type: 'EndpointPrivateAccess', value: String(access.endpointPrivateAccess) },
            { type: 'PublicAccessCidrs', value: JSON.stringify(access.publicAccessCidrs) },
          ];
          return this.beginUpdate(stored, 'EndpointAccessUpdate', params,
            { kind: 'config', patch: { resourcesVpcConfig: { ...c.resourcesVpcConfig, ...access } } });
        }
        case 'accessConfig': {
          const a = optObject(body, 'accessConfig')!;
          const mode = optString(a, 'authenticationMode') as AuthenticationMode | undefined;
          if (mode === undefined) throw invalidParameter('authenticationMode is required', { clusterName: name });
          if (!AUTH_MODES.includes(mode)) throw invalidParameter(`Invalid authenticationMode: ${mode}`, { clusterName: name });
          // Modes only move towards API: CONFIG_MAP -> API_AND_CONFIG_MAP -> API.
          const from = c.accessConfig.authenticationMode;
          const rank = (m: AuthenticationMode) => ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'].indexOf(m);
          if (rank(mode) <= rank(from)) throw invalidParameter(`Unsupported authentication mode update from ${from} to ${mode}`, { clusterName: name });
          this.requireUpdatable(stored, 'AccessConfigUpdate');
          return this.beginUpdate(stored, 'AccessConfigUpdate', [{ type: 'AuthenticationMode', value: mode }],
            { kind: 'config', patch: { accessConfig: { ...c.accessConfig, authenticationMode: mode } } });
        }
        case 'upgradePolicy': {
          const supportType = optString(optObject(body, 'upgradePolicy')!, 'supportType');
          if (supportType !== 'STANDARD' && supportType !== 'EXTENDED') throw invalidParameter(`Invalid supportType: ${supportType}`, { clusterName: name });
          this.requireUpdatable(stored, 'UpgradePolicyUpdate');
          return this.beginUpdate(stored, 'UpgradePolicyUpdate', [{ type: 'UpgradePolicy', value: supportType }],
            { kind: 'config', patch: { upgradePolicy: { supportType } } });
        }
        case 'zonalShiftConfig': {
          const enabled = optBool(optObject(body, 'zonalShiftConfig')!, 'enabled') ?? false;
          this.requireUpdatable(stored, 'ZonalShiftConfigUpdate');
          return this.beginUpdate(stored, 'ZonalShiftConfigUpdate', [{ type: 'ZonalShiftConfig', value: String(enabled) }],
            { kind: 'config', patch: { zonalShiftConfig: { enabled } } });
        }
        case 'deletionProtection': {
          const deletionProtection = optBool(body, 'deletionProtection')!;
          this.requireUpdatable(stored, 'DeletionProtectionUpdate');
          return this.beginUpdate(stored, 'DeletionProtectionUpdate', [{ type: 'DeletionProtection', value: String(deletionProtection) }],
            { kind: 'config', patch: { deletionProtection } });
        }
        default:
          throw invalidParameter(`${kind} updates are not supported by this endpoint`, { clusterName: name });
      }
    });
  }

  /** The updates ListUpdates/DescribeUpdate look at: a node group's when nodegroupName is given, else the cluster's own. */
  private updatesFor(name: string, q: Query): StoredUpdate[] {
    const ng = queryString(q, 'nodegroupName');
    if (ng !== undefined) return this.nodegroups.updatesOf(name, ng);
    this.requireNoSubresource(name, q);
    return (this.state.updates.get(name) ?? []).filter((u) => u.nodegroupName === undefined);
  }

  private requireNoSubresource(name: string, q: Query): void {
    const addon = queryString(q, 'addonName');
    if (addon !== undefined) throw resourceNotFound(`No addon: ${addon} found in cluster: ${name}`, { clusterName: name, addonName: addon });
    const cap = queryString(q, 'capabilityName');
    if (cap !== undefined) throw resourceNotFound(`No capability found for name: ${cap}.`, { clusterName: name });
  }

  describeUpdate(name: string, updateId: string, q: Query): { update: Update } {
    this.cluster(name);
    const u = this.updatesFor(name, q).find((x) => x.update.id === updateId);
    if (!u) throw resourceNotFound(`No update found for ID: ${updateId}`, { clusterName: name });
    return { update: structuredClone(u.update) };
  }

  listUpdates(name: string, q: Query): { updateIds: string[]; nextToken?: string } {
    this.cluster(name);
    const list = this.updatesFor(name, q);
    const key = (u: StoredUpdate) => `${String(u.update.createdAt * 1000).padStart(16, '0')}/${u.update.id}`;
    const { page, nextToken } = paginate(list, key, q);
    return { updateIds: page.map((u) => u.update.id), nextToken };
  }

  /**
   * CancelUpdate (SDK model): EKS cancels only VersionRollback updates of Auto Mode clusters, which
   * Kumo never makes, so every other update is refused as EKS refuses it.
   */
  cancelUpdate(name: string, updateId: string, body: Body): never {
    this.cluster(name);
    optString(body, 'clientRequestToken');
    const u = this.state.updates.get(name)?.find((x) => x.update.id === updateId);
    if (!u) throw resourceNotFound(`No update found for ID: ${updateId}`, { clusterName: name });
    if (u.update.status !== 'InProgress') throw invalidRequest(`Update ${updateId} is ${u.update.status} and cannot be cancelled.`, { clusterName: name });
    throw invalidRequest(`Update ${updateId} of type ${u.update.type} cannot be cancelled. Only VersionRollback updates can be cancelled.`, { clusterName: name });
  }

  // ---- tags ----------------------------------------------------------------------------------

  /** The tags of the resource an ARN names, or undefined when it names none (no error: used before authorization). */
  resourceTags(arn: string): Tags | undefined {
    try {
      return this.taggable(arn).tags;
    } catch {
      return undefined;
    }
  }

  /** The tag map of the resource an ARN names (cluster, access entry, identity provider config). */
  private taggable(arn: string): { tags: Tags; save: () => Promise<void> } {
    if (!/^arn:aws[a-z-]*:eks:[a-z0-9-]+:\d{12}:[a-z-]+\/.+/.test(arn)) throw badRequest(`${arn} is not a valid resource ARN`);
    for (const c of this.state.clusters.values()) {
      if (c.cluster.arn === arn) return { tags: c.cluster.tags, save: () => this.state.putCluster(c) };
    }
    for (const entries of this.state.entries.values()) {
      for (const e of entries.values()) if (e.entry.accessEntryArn === arn) return { tags: e.entry.tags, save: () => this.state.putEntry(e) };
    }
    const ng = this.nodegroups.byArn(arn);
    if (ng) return { tags: ng.nodegroup.tags, save: () => this.state.putNodegroup(ng) };
    for (const idps of this.state.idps.values()) {
      for (const i of idps.values()) if (i.config.identityProviderConfigArn === arn) return { tags: i.config.tags, save: () => this.state.putIdp(i) };
    }
    for (const profiles of this.state.fargateProfiles.values()) {
      for (const f of profiles.values()) if (f.profile.fargateProfileArn === arn) return { tags: f.profile.tags, save: () => this.state.putFargateProfile(f) };
    }
    throw notFound(`Resource ${arn} was not found`);
  }

  async tagResource(arn: string, body: Body): Promise<Record<string, never>> {
    const tags = optTags(body);
    if (!tags) throw badRequest('tags is required');
    const t = this.taggable(arn);
    Object.assign(t.tags, tags);
    if (Object.keys(t.tags).length > 50) throw badRequest('A resource can have at most 50 tags');
    await t.save();
    return {};
  }

  async untagResource(arn: string, q: Query): Promise<Record<string, never>> {
    const keys = queryList(q, 'tagKeys');
    if (keys.length === 0 || keys.length > 50) throw badRequest('tagKeys must contain between 1 and 50 keys');
    const t = this.taggable(arn);
    for (const k of keys) delete t.tags[k];
    await t.save();
    return {};
  }

  listTagsForResource(arn: string): { tags: Tags } {
    return { tags: { ...this.taggable(arn).tags } };
  }

  // ---- identity provider configs (OIDC) ------------------------------------------------------

  private requireOidcRef(name: string, body: Body): string {
    const ref = optObject(body, 'identityProviderConfig');
    if (!ref) throw invalidParameter('identityProviderConfig is required', { clusterName: name });
    const type = reqString(ref, 'type');
    const configName = reqString(ref, 'name');
    if (type !== 'oidc') throw invalidParameter(`Unsupported identity provider config type: ${type}`, { clusterName: name });
    return configName;
  }

  async associateIdentityProviderConfig(name: string, body: Body, ctx: CallerContext): Promise<{ update: Update; tags?: Tags }> {
    const stored = this.cluster(name);
    return this.idempotent(name, 'AssociateIdentityProviderConfig', body, async () => {
      const oidc = optObject(body, 'oidc');
      if (!oidc) throw invalidParameter('oidc is required', { clusterName: name });
      const configName = reqString(oidc, 'identityProviderConfigName');
      const issuerUrl = reqString(oidc, 'issuerUrl');
      const clientId = reqString(oidc, 'clientId');
      if (!/^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(issuerUrl)) throw invalidParameter('The issuerUrl must be a valid https URL', { clusterName: name });
      const usernameClaim = optString(oidc, 'usernameClaim');
      const usernamePrefix = optString(oidc, 'usernamePrefix');
      const groupsClaim = optString(oidc, 'groupsClaim');
      const groupsPrefix = optString(oidc, 'groupsPrefix');
      for (const [k, v] of [['usernamePrefix', usernamePrefix], ['groupsPrefix', groupsPrefix]] as const) {
        if (v !== undefined && v.startsWith('system:')) throw invalidParameter(`${k} can't start with system:`, { clusterName: name });
      }
      const claims = optObject(oidc, 'requiredClaims');
      const requiredClaims: Record<string, string> | undefined = claims ? {} : undefined;
      for (const [k, v] of Object.entries(claims ?? {})) {
        if (typeof v !== 'string' || k.length < 1 || k.length > 63 || v.length < 1 || v.length > 253) {
          throw invalidParameter('requiredClaims keys must be 1-63 and values 1-253 characters', { clusterName: name });
        }
        requiredClaims![k] = v;
      }
      const idps = this.state.clusterIdps(name);
      if (idps.size > 0) {
        // EKS allows one OIDC identity provider per cluster.
        throw resourceLimitExceededIdp(name);
      }
      const tags = optTags(body) ?? {};
      const config: OidcIdentityProviderConfig = {
        identityProviderConfigName: configName,
        identityProviderConfigArn: identityProviderConfigArn(ctx.region, ctx.accountId, name, configName, randomUUID()),
        clusterName: name, issuerUrl, clientId, usernameClaim: usernameClaim ?? 'sub', usernamePrefix, groupsClaim, groupsPrefix,
        requiredClaims, tags, status: 'CREATING',
      };
      this.requireUpdatable(stored, 'AssociateIdentityProviderConfig');
      await this.state.putIdp({ config });
      const res = await this.beginUpdate(stored, 'AssociateIdentityProviderConfig',
        [{ type: 'IdentityProviderConfig', value: JSON.stringify([{ type: 'oidc', name: configName }]) }],
        { kind: 'idp-associate', configName });
      return { ...res, tags: Object.keys(tags).length ? tags : undefined };
    });
  }

  describeIdentityProviderConfig(name: string, body: Body): { identityProviderConfig: { oidc: OidcIdentityProviderConfig } } {
    this.cluster(name);
    const configName = this.requireOidcRef(name, body);
    const idp = this.state.idps.get(name)?.get(configName);
    if (!idp) throw resourceNotFound(`No identity provider config found for name: ${configName}.`, { clusterName: name });
    return { identityProviderConfig: { oidc: structuredClone(idp.config) } };
  }

  listIdentityProviderConfigs(name: string, q: Query): { identityProviderConfigs: { type: string; name: string }[]; nextToken?: string } {
    this.cluster(name);
    const names = [...(this.state.idps.get(name)?.keys() ?? [])].sort();
    const { page, nextToken } = paginate(names, (n) => n, q);
    return { identityProviderConfigs: page.map((n) => ({ type: 'oidc', name: n })), nextToken };
  }

  async disassociateIdentityProviderConfig(name: string, body: Body): Promise<{ update: Update }> {
    const stored = this.cluster(name);
    return this.idempotent(name, 'DisassociateIdentityProviderConfig', body, async () => {
      const configName = this.requireOidcRef(name, body);
      const idp = this.state.idps.get(name)?.get(configName);
      if (!idp) throw resourceNotFound(`No identity provider config found for name: ${configName}.`, { clusterName: name });
      this.requireUpdatable(stored, 'DisassociateIdentityProviderConfig');
      idp.config.status = 'DELETING';
      await this.state.putIdp(idp);
      return this.beginUpdate(stored, 'DisassociateIdentityProviderConfig',
        [{ type: 'IdentityProviderConfig', value: JSON.stringify([{ type: 'oidc', name: configName }]) }],
        { kind: 'idp-disassociate', configName });
    });
  }
}

function resourceLimitExceededIdp(name: string) {
  return invalidRequest(`Cluster ${name} already has an identity provider config associated; only one is allowed.`, { clusterName: name });
}
