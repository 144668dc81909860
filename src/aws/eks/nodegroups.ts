// EKS managed node groups: the six operations with EKS's validation, the group's lifecycle
// (CREATING -> ACTIVE, UPDATING, DELETING) and its updates as tracked Update objects. The nodes
// themselves are the NodegroupRuntime's (main/ wires it to the cluster's simulated kubelet).
import { randomUUID } from 'node:crypto';
import { parseIamPrincipal } from './arns.js';
import { invalidParameter, resourceInUse, resourceLimitExceeded, resourceNotFound } from './errors.js';
import { optBool, optObject, optString, optStringList, optTags, paginate, reqString, type Body, type Query } from './input.js';
import type { CallerContext, Cluster, Update } from './model.js';
import {
  amiTypeInfo, checkAmiTypeForVersion, checkInstanceTypes, checkReleaseVersion, defaultAmiType, isCapacityType, KUBELET_SKEW, labelMap,
  latestReleaseVersion, mergeTaints, NODEGROUP_NAME, scalingConfig, taintList, updateConfig,
} from './nodegroup-input.js';
import { NodegroupUpdateError, type LaunchTemplateSummary, type NetworkLookup, type Nodegroup, type NodegroupIssue, type NodegroupRuntime, type NodegroupVersionTarget } from './nodegroup-model.js';
import type { EksService } from './service.js';
import type { StoredNodegroup, StoredUpdate } from './state.js';
import { minorOf, versionInfo } from './versions.js';

/** EKS quota: managed node groups per cluster. */
export const MAX_NODEGROUPS_PER_CLUSTER = 30;

const epochSeconds = (ms: number) => ms / 1000;
const where = (clusterName: string, nodegroupName: string) => ({ clusterName, nodegroupName });

export const nodegroupArn = (region: string, account: string, cluster: string, name: string, uuid: string) =>
  `arn:aws:eks:${region}:${account}:nodegroup/${cluster}/${name}/${uuid}`;

function issueOf(err: unknown, resourceIds: string[]): NodegroupIssue {
  const message = err instanceof Error ? err.message : String(err);
  const code = /not enough free addresses|InsufficientFreeAddresses/i.test(message) ? 'InsufficientFreeAddresses' : 'NodeCreationFailure';
  return { code, message, resourceIds };
}

export class NodegroupManager {
  /** Per group (cluster/name): the operation running now; the next one waits for it. */
  private readonly chains = new Map<string, Promise<void>>();
  /** Set by stop(): work cut short by shutdown leaves the stored state as it was, for resume() after a restart. */
  private stopped = false;

  constructor(
    private readonly svc: EksService,
    private readonly transitionMs: number,
    private readonly runtime?: NodegroupRuntime,
    private readonly network?: NetworkLookup,
  ) {}

  private enqueue(key: string, fn: () => Promise<void>): Promise<void> {
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn).catch((err: unknown) => console.error(`eks: node group ${key}:`, err));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }

  stop(): void {
    this.stopped = true;
  }

  /** Resolves once every queued operation of every group has run (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()]);
  }

  /** Nodegroup names of a cluster (DeleteCluster refuses while there are any). */
  names(clusterName: string): string[] {
    return [...(this.svc.state.nodegroups.get(clusterName)?.keys() ?? [])].sort();
  }

  private stored(clusterName: string, name: string): StoredNodegroup {
    this.svc.cluster(clusterName);
    const n = this.svc.state.nodegroups.get(clusterName)?.get(name);
    if (!n) throw resourceNotFound(`No node group found for name: ${name}.`, where(clusterName, name));
    return n;
  }

  /** Waits the service's transition time at least, then runs `fn` (CREATING and DELETING last that long). */
  private async atLeastTransition<T>(fn: () => Promise<T>): Promise<T> {
    const started = this.svc.clock.now();
    const out = await fn();
    const rest = started + this.transitionMs - this.svc.clock.now();
    if (rest > 0) await this.svc.clock.sleep(rest);
    return out;
  }

  /** After a restart: every group's nodes are adopted again and interrupted work resumes. */
  async resume(): Promise<void> {
    for (const groups of this.svc.state.nodegroups.values()) {
      for (const n of groups.values()) {
        const ng = n.nodegroup;
        const key = `${ng.clusterName}/${ng.nodegroupName}`;
        if (ng.status === 'CREATING') void this.enqueue(key, () => this.runCreate(ng.clusterName, ng.nodegroupName));
        else if (ng.status === 'DELETING') void this.enqueue(key, () => this.runDelete(ng.clusterName, ng.nodegroupName));
        else if (ng.status !== 'CREATE_FAILED' && ng.status !== 'DELETE_FAILED') {
          const pending = (this.svc.state.updates.get(ng.clusterName) ?? []).find((u) => u.nodegroupName === ng.nodegroupName && u.update.status === 'InProgress');
          if (pending) void this.enqueue(key, () => this.runUpdate(pending));
          else void this.enqueue(key, () => this.runReconcile(ng.clusterName, ng.nodegroupName));
        }
      }
    }
  }

  // ---- CreateNodegroup -----------------------------------------------------------------------

  async create(clusterName: string, body: Body, ctx: CallerContext): Promise<{ nodegroup: Nodegroup }> {
    const stored = this.svc.cluster(clusterName);
    const name = reqString(body, 'nodegroupName');
    return this.svc.idempotent(clusterName, `CreateNodegroup/${name}`, body, async () => {
      const w = where(clusterName, name);
      if (name.length > 63 || !NODEGROUP_NAME.test(name)) {
        throw invalidParameter(`The nodegroup name ${name} is invalid. It must be 1-63 characters, start with an alphanumeric character and contain only alphanumerics, hyphens and underscores.`, w);
      }
      const cluster = stored.cluster;
      const groups = this.svc.state.clusterNodegroups(clusterName);
      if (groups.has(name)) throw resourceInUse(`NodeGroup already exists with name ${name} and cluster name ${clusterName}`, w);
      if (cluster.status !== 'ACTIVE' && cluster.status !== 'UPDATING') {
        throw resourceInUse(`Cluster ${clusterName} is in ${cluster.status} state. Node groups can only be created on ACTIVE clusters.`, w);
      }
      if (groups.size >= MAX_NODEGROUPS_PER_CLUSTER) throw resourceLimitExceeded(`Cluster ${clusterName} already has the maximum number of node groups (${MAX_NODEGROUPS_PER_CLUSTER})`, w);

      const nodeRole = reqString(body, 'nodeRole');
      const role = parseIamPrincipal(nodeRole);
      if (!role || role.kind !== 'role') throw invalidParameter(`The role ARN ${nodeRole} is not a valid IAM role ARN.`, w);
      await ctx.passRole?.(nodeRole);
      // The nodes' instance profile: EC2 must be able to assume the role.
      if (this.svc.roleCheck && !(await this.svc.roleCheck(nodeRole, 'ec2.amazonaws.com', { 'aws:SourceAccount': ctx.accountId }))) {
        throw invalidParameter(`Following required service principals [ec2.amazonaws.com] were not found in the trust relationships of nodeRole ${nodeRole}`, w);
      }

      const subnets = optStringList(body, 'subnets') ?? [];
      if (subnets.length === 0) throw invalidParameter('Subnets are required', w);
      this.checkSubnets(cluster, subnets, ctx.region, w);

      const lt = this.launchTemplateOf(optObject(body, 'launchTemplate'), body, ctx.region, w);
      const capacityType = optString(body, 'capacityType') ?? 'ON_DEMAND';
      if (!isCapacityType(capacityType)) throw invalidParameter(`Invalid capacityType: ${capacityType}`, w);
      const instanceTypes = optStringList(body, 'instanceTypes') ?? (lt?.instanceType ? [lt.instanceType] : ['t3.medium']);
      const amiType = optString(body, 'amiType') ?? defaultAmiType(instanceTypes);
      if (!amiTypeInfo(amiType)) throw invalidParameter(`Invalid amiType: ${amiType}`, w);

      const version = optString(body, 'version') ?? cluster.version;
      this.checkVersion(cluster, version, w);
      checkAmiTypeForVersion(amiType, version, w);
      checkInstanceTypes(instanceTypes, amiType, capacityType, w);
      const releaseVersion = optString(body, 'releaseVersion') ?? latestReleaseVersion(version, amiType);
      checkReleaseVersion(releaseVersion, version, amiType, w);

      const scaling = scalingConfig(optObject(body, 'scalingConfig'), undefined, w);
      const diskSize = body.diskSize === undefined || body.diskSize === null ? (lt ? undefined : 20) : body.diskSize;
      if (diskSize !== undefined && (typeof diskSize !== 'number' || !Number.isInteger(diskSize) || diskSize < 1 || diskSize > 16384)) throw invalidParameter('diskSize must be an integer between 1 and 16384', w);
      const labels = labelMap(body.labels, 'labels', w);
      const taints = taintList(body.taints, 'taints', w);
      if (taints.length > 50) throw invalidParameter("The number of taints can't exceed 50", w);
      const update = updateConfig(optObject(body, 'updateConfig'), undefined, w);
      const remote = optObject(body, 'remoteAccess');
      let remoteAccess: Nodegroup['remoteAccess'];
      if (remote) {
        const ec2SshKey = optString(remote, 'ec2SshKey');
        const sourceSecurityGroups = optStringList(remote, 'sourceSecurityGroups');
        for (const g of sourceSecurityGroups ?? []) {
          if (this.network && !this.network.securityGroup(ctx.region, g)) throw invalidParameter(`The security group '${g}' does not exist`, w);
        }
        remoteAccess = { ec2SshKey, sourceSecurityGroups };
      }
      for (const k of ['nodeRepairConfig', 'warmPoolConfig']) {
        if (body[k] !== undefined && body[k] !== null) throw invalidParameter(`${k} is not supported by this endpoint`, w);
      }
      const uuid = randomUUID();
      const now = epochSeconds(this.svc.clock.now());
      const nodegroup: Nodegroup = {
        nodegroupName: name,
        nodegroupArn: nodegroupArn(ctx.region, ctx.accountId, clusterName, name, uuid),
        clusterName, version, releaseVersion, createdAt: now, modifiedAt: now, status: 'CREATING', capacityType,
        scalingConfig: scaling, instanceTypes, subnets, remoteAccess, amiType, nodeRole, labels, taints,
        resources: {
          autoScalingGroups: [{ name: `eks-${name}-${uuid}` }],
          ...(remoteAccess ? { remoteAccessSecurityGroup: `sg-${uuid.replace(/-/g, '').slice(0, 17)}` } : {}),
        },
        diskSize: diskSize as number | undefined, health: { issues: [] }, updateConfig: update, tags: optTags(body) ?? {},
        ...(lt ? { launchTemplate: { name: lt.name, version: String(lt.version), id: lt.id } } : {}),
      };
      await this.svc.state.putNodegroup({ nodegroup });
      void this.enqueue(`${clusterName}/${name}`, () => this.runCreate(clusterName, name));
      return { nodegroup: structuredClone(nodegroup) };
    });
  }

  /**
   * The launch template of a new group (EKS user guide, launch template support): it must exist; the
   * instance type, disk size and SSH access come from it or from the request, never from both.
   */
  private launchTemplateOf(ref: Body | undefined, body: Body, region: string, w: { clusterName: string; nodegroupName: string }): LaunchTemplateSummary | undefined {
    if (!ref) return undefined;
    const id = optString(ref, 'id');
    const name = optString(ref, 'name');
    const version = optString(ref, 'version');
    if (id !== undefined && name !== undefined) throw invalidParameter('Either launch template ID or name can be specified, but not both.', w);
    if (id === undefined && name === undefined) throw invalidParameter('Launch template ID or name must be specified.', w);
    if (!this.network?.launchTemplate) throw invalidParameter('launchTemplate is not supported by this endpoint', w);
    let lt: LaunchTemplateSummary;
    try {
      lt = this.network.launchTemplate(region, { id, name, version });
    } catch (err) {
      throw invalidParameter((err as Error).message, w);
    }
    if (lt.instanceType && body.instanceTypes !== undefined && body.instanceTypes !== null) {
      throw invalidParameter('Instance type cannot be specified in both the launch template and the request.', w);
    }
    if (body.diskSize !== undefined && body.diskSize !== null) throw invalidParameter('Disk size must be specified within the launch template.', w);
    if (body.remoteAccess !== undefined && body.remoteAccess !== null) throw invalidParameter('Remote access configuration cannot be specified with a launch template.', w);
    if (lt.imageId) throw invalidParameter('Launch templates with a custom AMI (ImageId) are not supported by this endpoint', w);
    return lt;
  }

  private checkSubnets(cluster: Cluster, subnets: string[], region: string, w: { clusterName: string; nodegroupName: string }): void {
    for (const id of subnets) {
      if (!/^subnet-[0-9a-f]{1,17}$/.test(id)) throw invalidParameter(`The subnet ID '${id}' does not exist`, w);
      if (!this.network) continue;
      const s = this.network.subnet(region, id);
      if (!s) throw invalidParameter(`The subnet ID '${id}' does not exist`, w);
      if (s.vpcId !== cluster.resourcesVpcConfig.vpcId) {
        throw invalidParameter(`Subnet ${id} is not in the same VPC as the cluster (${cluster.resourcesVpcConfig.vpcId})`, w);
      }
    }
  }

  /** Not above the control plane, within the kubelet skew, and a version EKS offers. */
  private checkVersion(cluster: Cluster, version: string, w: { clusterName: string; nodegroupName: string }): void {
    if (!/^1\.\d+$/.test(version) || !versionInfo(version)) throw invalidParameter(`Requested Kubernetes version ${version} is invalid.`, w);
    if (minorOf(version) > minorOf(cluster.version)) {
      throw invalidParameter(`Requested Nodegroup version ${version} is greater than cluster version ${cluster.version}.`, w);
    }
    if (minorOf(cluster.version) - minorOf(version) > KUBELET_SKEW) {
      throw invalidParameter(`Requested Nodegroup version ${version} is more than ${KUBELET_SKEW} minor versions older than cluster version ${cluster.version}.`, w);
    }
  }

  private async runCreate(clusterName: string, name: string): Promise<void> {
    const n = this.svc.state.nodegroups.get(clusterName)?.get(name);
    const cluster = this.svc.state.clusters.get(clusterName)?.cluster;
    if (!n || !cluster || n.nodegroup.status !== 'CREATING') return;
    try {
      await this.atLeastTransition(async () => this.runtime?.reconcile(structuredClone(cluster), structuredClone(n.nodegroup)));
      n.nodegroup.status = 'ACTIVE';
      n.nodegroup.health = { issues: [] };
    } catch (err) {
      if (this.stopped) return;
      n.nodegroup.status = 'CREATE_FAILED';
      n.nodegroup.health = { issues: [issueOf(err, n.nodegroup.resources.autoScalingGroups.map((a) => a.name))] };
    }
    n.nodegroup.modifiedAt = epochSeconds(this.svc.clock.now());
    if (this.svc.state.nodegroups.get(clusterName)?.get(name) === n) await this.svc.state.putNodegroup(n);
  }

  /** Re-applies the spec (restart adoption, a replaced instance); the status stays as it is. */
  private async runReconcile(clusterName: string, name: string): Promise<void> {
    const n = this.svc.state.nodegroups.get(clusterName)?.get(name);
    const cluster = this.svc.state.clusters.get(clusterName)?.cluster;
    if (!n || !cluster || !this.runtime) return;
    // A group being created, deleted or that failed is not topped up (its own operation decides).
    if (['CREATING', 'DELETING', 'CREATE_FAILED', 'DELETE_FAILED'].includes(n.nodegroup.status)) return;
    try {
      await this.runtime.reconcile(structuredClone(cluster), structuredClone(n.nodegroup));
    } catch (err) {
      if (this.stopped) return;
      n.nodegroup.health = { issues: [issueOf(err, n.nodegroup.resources.autoScalingGroups.map((a) => a.name))] };
      await this.svc.state.putNodegroup(n);
    }
  }

  /** Asks for the group's spec to be applied again (an instance of it was terminated). */
  replaceLost(clusterName: string, name: string): void {
    if (!this.svc.state.nodegroups.get(clusterName)?.has(name)) return;
    void this.enqueue(`${clusterName}/${name}`, () => this.runReconcile(clusterName, name));
  }

  // ---- Describe / List -----------------------------------------------------------------------

  describe(clusterName: string, name: string): { nodegroup: Nodegroup } {
    return { nodegroup: structuredClone(this.stored(clusterName, name).nodegroup) };
  }

  list(clusterName: string, q: Query): { nodegroups: string[]; nextToken?: string } {
    this.svc.cluster(clusterName);
    const { page, nextToken } = paginate(this.names(clusterName), (n) => n, q);
    return { nodegroups: page, nextToken };
  }

  /** The node group a tag operation names by ARN. */
  byArn(arn: string): StoredNodegroup | undefined {
    for (const groups of this.svc.state.nodegroups.values()) for (const n of groups.values()) if (n.nodegroup.nodegroupArn === arn) return n;
    return undefined;
  }

  // ---- DeleteNodegroup -----------------------------------------------------------------------

  async delete(clusterName: string, name: string): Promise<{ nodegroup: Nodegroup }> {
    const n = this.stored(clusterName, name);
    const ng = n.nodegroup;
    if (ng.status === 'DELETING') throw resourceInUse(`Nodegroup ${name} is already in DELETING state.`, where(clusterName, name));
    ng.status = 'DELETING';
    ng.modifiedAt = epochSeconds(this.svc.clock.now());
    await this.svc.state.putNodegroup(n);
    void this.enqueue(`${clusterName}/${name}`, () => this.runDelete(clusterName, name));
    return { nodegroup: structuredClone(ng) };
  }

  private async runDelete(clusterName: string, name: string): Promise<void> {
    const n = this.svc.state.nodegroups.get(clusterName)?.get(name);
    const cluster = this.svc.state.clusters.get(clusterName)?.cluster;
    if (!n || n.nodegroup.status !== 'DELETING') return;
    try {
      await this.atLeastTransition(async () => {
        if (cluster) await this.runtime?.remove(structuredClone(cluster), structuredClone(n.nodegroup));
      });
      await this.svc.state.deleteNodegroup(clusterName, name);
    } catch (err) {
      if (this.stopped) return;
      n.nodegroup.status = 'DELETE_FAILED';
      n.nodegroup.health = { issues: [{ code: 'InternalFailure', message: (err as Error).message, resourceIds: [] }] };
      await this.svc.state.putNodegroup(n);
    }
  }

  // ---- updates -------------------------------------------------------------------------------

  private requireUpdatable(clusterName: string, n: StoredNodegroup): void {
    const ng = n.nodegroup;
    const running = (this.svc.state.updates.get(clusterName) ?? []).find((u) => u.nodegroupName === ng.nodegroupName && u.update.status === 'InProgress');
    if (running) throw resourceInUse(`Nodegroup ${ng.nodegroupName} currently has update ${running.update.id} in progress`, where(clusterName, ng.nodegroupName));
    if (ng.status !== 'ACTIVE' && ng.status !== 'DEGRADED') {
      throw resourceInUse(`Nodegroup ${ng.nodegroupName} is in ${ng.status} state. Only node groups in ACTIVE state can be updated.`, where(clusterName, ng.nodegroupName));
    }
  }

  private async begin(clusterName: string, n: StoredNodegroup, type: string, params: Update['params'], change: StoredUpdate['change']): Promise<{ update: Update }> {
    const update: Update = { id: randomUUID(), status: 'InProgress', type, params, createdAt: epochSeconds(this.svc.clock.now()), errors: [] };
    const u: StoredUpdate = { clusterName, update, change, dueAt: 0, nodegroupName: n.nodegroup.nodegroupName };
    n.nodegroup.status = 'UPDATING';
    n.nodegroup.modifiedAt = update.createdAt;
    await this.svc.state.putNodegroup(n);
    await this.svc.state.putUpdate(u);
    void this.enqueue(`${clusterName}/${n.nodegroup.nodegroupName}`, () => this.runUpdate(u));
    return { update: structuredClone(update) };
  }

  private async runUpdate(u: StoredUpdate): Promise<void> {
    const n = this.svc.state.nodegroups.get(u.clusterName)?.get(u.nodegroupName ?? '');
    const cluster = this.svc.state.clusters.get(u.clusterName)?.cluster;
    if (!n || !cluster || u.update.status !== 'InProgress') return;
    const ng = n.nodegroup;
    try {
      await this.atLeastTransition(async () => {
        if (u.change.kind === 'nodegroup-config') {
          const next = { ...structuredClone(ng), ...structuredClone(u.change.patch) };
          await this.runtime?.reconcile(structuredClone(cluster), next, structuredClone(ng));
          Object.assign(ng, structuredClone(u.change.patch));
        } else if (u.change.kind === 'nodegroup-version') {
          const t = u.change.target;
          await this.runtime?.upgrade(structuredClone(cluster), structuredClone(ng), t);
          ng.version = t.version;
          ng.releaseVersion = t.releaseVersion;
        }
      });
      u.update.status = 'Successful';
    } catch (err) {
      if (this.stopped) return;
      u.update.status = 'Failed';
      const e = err instanceof NodegroupUpdateError ? err : new NodegroupUpdateError('Unknown', (err as Error).message, [ng.nodegroupName]);
      u.update.errors = [{ errorCode: e.errorCode, errorMessage: e.message, resourceIds: e.resourceIds }];
    }
    if (ng.status === 'UPDATING') ng.status = 'ACTIVE';
    ng.modifiedAt = epochSeconds(this.svc.clock.now());
    await this.svc.state.putUpdate(u);
    if (this.svc.state.nodegroups.get(u.clusterName)?.get(ng.nodegroupName) === n) await this.svc.state.putNodegroup(n);
  }

  async updateConfig(clusterName: string, name: string, body: Body): Promise<{ update: Update }> {
    const n = this.stored(clusterName, name);
    return this.svc.idempotent(clusterName, `UpdateNodegroupConfig/${name}`, body, async () => {
      const w = where(clusterName, name);
      const ng = n.nodegroup;
      const patch: Partial<Nodegroup> = {};
      const params: Update['params'] = [];
      const labelsBody = optObject(body, 'labels');
      if (labelsBody) {
        const add = labelMap(labelsBody.addOrUpdateLabels, 'addOrUpdateLabels', w);
        const remove = optStringList(labelsBody, 'removeLabels') ?? [];
        for (const k of remove) if (k in add) throw invalidParameter(`Label ${k} cannot be both added and removed`, w);
        const labels = { ...ng.labels, ...add };
        for (const k of remove) delete labels[k];
        patch.labels = labels;
        if (Object.keys(add).length) params.push({ type: 'LabelsToAdd', value: JSON.stringify(add) });
        if (remove.length) params.push({ type: 'LabelsToRemove', value: JSON.stringify(remove) });
      }
      const taintsBody = optObject(body, 'taints');
      if (taintsBody) {
        const add = taintList(taintsBody.addOrUpdateTaints, 'addOrUpdateTaints', w);
        const remove = taintList(taintsBody.removeTaints, 'removeTaints', w);
        patch.taints = mergeTaints(ng.taints, add, remove, w);
        if (add.length) params.push({ type: 'TaintsToAdd', value: JSON.stringify(add) });
        if (remove.length) params.push({ type: 'TaintsToRemove', value: JSON.stringify(remove) });
      }
      const scalingBody = optObject(body, 'scalingConfig');
      if (scalingBody) {
        patch.scalingConfig = scalingConfig(scalingBody, ng.scalingConfig, w);
        for (const k of ['minSize', 'maxSize', 'desiredSize'] as const) {
          if (scalingBody[k] !== undefined && scalingBody[k] !== null) params.push({ type: k[0].toUpperCase() + k.slice(1), value: String(patch.scalingConfig[k]) });
        }
      }
      const updateBody = optObject(body, 'updateConfig');
      if (updateBody) {
        patch.updateConfig = updateConfig(updateBody, ng.updateConfig, w);
        if (patch.updateConfig.maxUnavailable !== undefined) params.push({ type: 'MaxUnavailable', value: String(patch.updateConfig.maxUnavailable) });
        else params.push({ type: 'MaxUnavailablePercentage', value: String(patch.updateConfig.maxUnavailablePercentage) });
      }
      for (const k of ['nodeRepairConfig', 'warmPoolConfig']) {
        if (body[k] !== undefined && body[k] !== null) throw invalidParameter(`${k} is not supported by this endpoint`, w);
      }
      if (Object.keys(patch).length === 0) throw invalidParameter('No changes were specified in the update request', w);
      this.requireUpdatable(clusterName, n);
      return this.begin(clusterName, n, 'ConfigUpdate', params, { kind: 'nodegroup-config', patch });
    });
  }

  async updateVersion(clusterName: string, name: string, body: Body): Promise<{ update: Update }> {
    const n = this.stored(clusterName, name);
    const cluster = this.svc.cluster(clusterName).cluster;
    return this.svc.idempotent(clusterName, `UpdateNodegroupVersion/${name}`, body, async () => {
      const w = where(clusterName, name);
      const ng = n.nodegroup;
      if (body.launchTemplate !== undefined && body.launchTemplate !== null) throw invalidParameter('launchTemplate is not supported by this endpoint', w);
      const force = optBool(body, 'force') ?? false;
      // Without a version the group moves to the latest AMI of its own Kubernetes version (UpdateNodegroupVersion API reference).
      const version = optString(body, 'version') ?? ng.version;
      this.checkVersion(cluster, version, w);
      if (minorOf(version) < minorOf(ng.version)) throw invalidParameter(`Requested Nodegroup version ${version} is lower than the current version ${ng.version}.`, w);
      checkAmiTypeForVersion(ng.amiType, version, w);
      const releaseVersion = optString(body, 'releaseVersion') ?? latestReleaseVersion(version, ng.amiType);
      checkReleaseVersion(releaseVersion, version, ng.amiType, w);
      if (version === ng.version && releaseVersion === ng.releaseVersion) {
        throw invalidParameter(`Nodegroup ${name} is already at version ${version} with release version ${releaseVersion}.`, w);
      }
      this.requireUpdatable(clusterName, n);
      const target: NodegroupVersionTarget = { version, releaseVersion, force };
      return this.begin(clusterName, n, 'VersionUpdate',
        [{ type: 'Version', value: version }, { type: 'ReleaseVersion', value: releaseVersion }],
        { kind: 'nodegroup-version', target });
    });
  }

  /** UpdateClusterVersion's check: groups whose kubelets would fall outside the skew after the upgrade. */
  skewBlockers(clusterName: string, toVersion: string): string[] {
    return this.names(clusterName).filter((name) => {
      const ng = this.svc.state.nodegroups.get(clusterName)!.get(name)!.nodegroup;
      return minorOf(toVersion) - minorOf(ng.version) > KUBELET_SKEW;
    });
  }

  /** DescribeUpdate/ListUpdates with nodegroupName: that group's updates (the group must exist). */
  updatesOf(clusterName: string, name: string): StoredUpdate[] {
    this.stored(clusterName, name);
    return (this.svc.state.updates.get(clusterName) ?? []).filter((u) => u.nodegroupName === name);
  }
}

