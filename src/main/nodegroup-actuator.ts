// Managed node groups' data plane: each group instance is an EC2 instance of the region's VPC model
// (its ENI and private IP from one of the group's subnets) and a simulated kubelet registered in
// the cluster's API server with the labels, taints and providerID EKS gives a managed node. The
// decisions (zone balance, termination order, update batches) are src/cloud's; draining goes through
// the Kubernetes API (cloud/node-drain.ts). Instances live in memory: after a restart the group's
// Nodes (label eks.amazonaws.com/nodegroup) and the VPC model's attachments bring them back.
import { randomBytes } from 'node:crypto';
import type { Ec2Instance, InstanceSource, InstanceStateName, VpcModels } from '../aws/index.js';
import { amiIdFor, NodegroupUpdateError, VERSIONS, type Cluster, type Nodegroup, type NodegroupRuntime, type NodegroupVersionTarget } from '../aws/eks/index.js';
import { isNotFound } from '../client/errors.js';
import { creationTimestamp, labels as labelsOf, name as nameOf } from '../client/objects.js';
import type { KubeClient, Obj } from '../client/types.js';
import { cordon, DrainTimeoutError, drainNode } from '../cloud/node-drain.js';
import {
  CAPACITY_TYPE_LABEL, instanceTypeForLaunch, kubernetesTaintEffect, managedNodeLabels, maxUnavailableOf, NODEGROUP_IMAGE_LABEL, NODEGROUP_LABEL,
  pickTerminations, placeInstances, surgeOf, type SubnetChoice,
} from '../cloud/nodegroup-plan.js';
import { instanceType as cloudInstanceType, readVpcCniSettings } from '../cloud/index.js';
import { kubeletVersionFor } from '../kubelet/node-object.js';
import type { NodeTaint } from '../kubelet/node-object.js';
import type { Clock } from '../util/clock.js';
import type { RunningApiServer } from './apiserver.js';

export interface NodegroupTiming {
  /** How long refused evictions are retried before PodEvictionFailure (EKS: 15 minutes). */
  drainTimeoutMs: number;
  /** Pause between eviction rounds. */
  drainRetryMs: number;
  /** EKS waits 60 seconds after a node is drained before terminating it. */
  afterDrainMs: number;
  /** How long launched nodes may take to report Ready. */
  readyTimeoutMs: number;
}

export const DEFAULT_NODEGROUP_TIMING: NodegroupTiming = { drainTimeoutMs: 15 * 60_000, drainRetryMs: 5_000, afterDrainMs: 60_000, readyTimeoutMs: 10 * 60_000 };

export interface NodegroupActuatorOptions {
  region: string;
  /** The running control plane of a cluster. */
  plane(clusterName: string): Promise<RunningApiServer> | undefined;
  vpc: VpcModels;
  /** Node-group time: drains, the post-drain wait (a scaled clock makes updates run faster than wall time). */
  clock: Clock;
  /** Called when an instance of a group was terminated from outside (EC2 TerminateInstances): the group replaces it. */
  onInstanceLost(clusterName: string, nodegroupName: string): void;
  timing?: Partial<NodegroupTiming>;
}

interface InstanceRecord extends Ec2Instance {
  clusterName: string;
  nodegroupName: string;
  nodeName: string;
  terminatedAt?: number;
}

const NODE_MANAGER = { username: 'eks:node-manager', groups: ['system:masters'] };
/** EC2 keeps terminated instances visible for about an hour. */
const TERMINATED_VISIBLE_MS = 60 * 60_000;

const live = (r: InstanceRecord) => r.state === 'pending' || r.state === 'running';

export class NodegroupActuator implements NodegroupRuntime, InstanceSource {
  private readonly records = new Map<string, InstanceRecord>();
  private readonly adopted = new WeakMap<RunningApiServer, Promise<void>>();
  private readonly clients = new WeakMap<RunningApiServer, KubeClient>();
  private readonly timing: NodegroupTiming;

  constructor(private readonly opts: NodegroupActuatorOptions) {
    this.timing = { ...DEFAULT_NODEGROUP_TIMING, ...opts.timing };
  }

  private saving: Promise<void> = Promise.resolve();
  private saveQueued = false;

  /** Stores the VPC model; saves run one at a time and a burst of requests shares one write. */
  private saveVpc(): Promise<void> {
    if (this.saveQueued) return this.saving;
    this.saveQueued = true;
    this.saving = this.saving.then(() => {
      this.saveQueued = false;
      return this.opts.vpc.save(this.opts.region);
    }).catch((err: unknown) => console.error('kumo: storing the VPC model failed:', err));
    return this.saving;
  }

  private get model() {
    return this.opts.vpc.model(this.opts.region);
  }

  private client(plane: RunningApiServer): KubeClient {
    let c = this.clients.get(plane);
    if (!c) this.clients.set(plane, (c = plane.inProcessClient(NODE_MANAGER, 'eks-node-manager')));
    return c;
  }

  /** The cluster's control plane, with the group nodes it already has taken over as instances. */
  private async planeOf(clusterName: string): Promise<RunningApiServer> {
    const p = this.opts.plane(clusterName);
    if (!p) throw new Error(`the control plane of cluster ${clusterName} is not running`);
    const plane = await p;
    let adoption = this.adopted.get(plane);
    if (!adoption) this.adopted.set(plane, (adoption = this.adopt(clusterName, plane)));
    await adoption;
    return plane;
  }

  private async adopt(clusterName: string, plane: RunningApiServer): Promise<void> {
    const nodes = await this.client(plane).resource('', 'v1', 'nodes').list(undefined, { labelSelector: NODEGROUP_LABEL });
    for (const node of nodes.items) {
      const providerID = String(((node.spec ?? {}) as Obj).providerID ?? '');
      const instanceId = /\/(i-[0-9a-f]+)$/.exec(providerID)?.[1];
      if (!instanceId || this.records.get(instanceId)?.state === 'running') continue;
      const l = labelsOf(node);
      const ip = (((node.status ?? {}) as Obj).addresses as { type: string; address: string }[] | undefined)?.find((a) => a.type === 'InternalIP')?.address;
      const net = this.model.node(instanceId);
      const subnet = net ? this.model.subnet(net.subnetId) : undefined;
      const ng = l[NODEGROUP_LABEL];
      const type = l['node.kubernetes.io/instance-type'] ?? '';
      this.records.set(instanceId, {
        instanceId, imageId: l[NODEGROUP_IMAGE_LABEL] ?? '', instanceType: type, architecture: cloudInstanceType(type)?.arch ?? 'x86_64',
        state: 'running', privateIpAddress: ip, privateDnsName: nameOf(node), subnetId: net?.subnetId, vpcId: subnet?.vpcId,
        availabilityZone: l['topology.kubernetes.io/zone'] ?? '', launchTime: Date.parse(creationTimestamp(node) ?? '') || this.opts.clock.now(),
        tags: this.instanceTags(clusterName, ng), spot: l[CAPACITY_TYPE_LABEL] === 'SPOT', clusterName, nodegroupName: ng, nodeName: nameOf(node),
      });
    }
  }

  private instanceTags(clusterName: string, nodegroupName: string, asg?: string): Record<string, string> {
    return {
      'eks:cluster-name': clusterName,
      'eks:nodegroup-name': nodegroupName,
      ...(asg ? { 'aws:autoscaling:groupName': asg } : {}),
      [`kubernetes.io/cluster/${clusterName}`]: 'owned',
      'k8s.io/cluster-autoscaler/enabled': 'true',
      [`k8s.io/cluster-autoscaler/${clusterName}`]: 'owned',
    };
  }

  private groupInstances(clusterName: string, nodegroupName: string): InstanceRecord[] {
    return [...this.records.values()].filter((r) => r.clusterName === clusterName && r.nodegroupName === nodegroupName && live(r));
  }

  private subnetChoices(ng: Nodegroup): SubnetChoice[] {
    return ng.subnets.map((id) => {
      const s = this.model.subnet(id);
      if (!s) throw new Error(`The subnet ID '${id}' does not exist`);
      return { subnetId: id, zone: s.availabilityZone };
    });
  }

  // ---- NodegroupRuntime --------------------------------------------------------------------

  async reconcile(cluster: Cluster, ng: Nodegroup, previous?: Nodegroup): Promise<void> {
    const plane = await this.planeOf(cluster.name);
    const client = this.client(plane);
    const current = this.groupInstances(cluster.name, ng.nodegroupName);
    if (previous) await this.applyLabelsAndTaints(client, current, ng, previous);
    const desired = ng.scalingConfig.desiredSize;
    if (current.length < desired) {
      await this.launch(plane, cluster, ng, desired - current.length, { version: ng.version, releaseVersion: ng.releaseVersion });
    } else if (current.length > desired) {
      const amiId = amiIdFor(this.opts.region, ng.amiType, ng.releaseVersion);
      const victims = pickTerminations(current.map((r) => ({ ...r, zone: r.availabilityZone, subnetId: r.subnetId ?? '', launchedAt: r.launchTime, current: r.imageId === amiId })), current.length - desired);
      await Promise.all(victims.map((id) => this.drainAndTerminate(plane, this.records.get(id)!, true, 'Scale-in')));
    }
    await this.waitReady(client, ng.nodegroupName, this.groupInstances(cluster.name, ng.nodegroupName).map((r) => r.nodeName));
  }

  async upgrade(cluster: Cluster, ng: Nodegroup, target: NodegroupVersionTarget): Promise<void> {
    const plane = await this.planeOf(cluster.name);
    const client = this.client(plane);
    const newAmi = amiIdFor(this.opts.region, ng.amiType, target.releaseVersion);
    const desired = ng.scalingConfig.desiredSize;
    const maxUnavailable = maxUnavailableOf(ng.updateConfig, desired);
    const old = this.groupInstances(cluster.name, ng.nodegroupName).filter((r) => r.imageId !== newAmi);
    const isNew = () => this.groupInstances(cluster.name, ng.nodegroupName).filter((r) => r.imageId === newAmi);
    if (old.length) {
      // Scale up: new nodes in the zones of the old ones, Ready before anything is drained.
      const zones = new Set(old.map((r) => r.availabilityZone));
      const launched = await this.launch(plane, cluster, ng, surgeOf(zones.size, maxUnavailable), target, zones);
      await this.waitReady(client, ng.nodegroupName, launched);
      // Old nodes take no new pods from here on.
      for (const r of old) await cordon(client, r.nodeName);
      // Upgrade: maxUnavailable old nodes at a time are drained (PDBs honoured), then terminated.
      while (old.length) {
        const batch = old.splice(0, maxUnavailable);
        try {
          await Promise.all(batch.map((r) => drainNode(client, r.nodeName, { clock: this.opts.clock, timeoutMs: this.timing.drainTimeoutMs, retryMs: this.timing.drainRetryMs, force: target.force })));
        } catch (err) {
          if (err instanceof DrainTimeoutError) {
            throw new NodegroupUpdateError('PodEvictionFailure', `Reached max retries while trying to evict pods from nodes in node group ${ng.nodegroupName}`, [ng.nodegroupName]);
          }
          throw err;
        }
        await this.opts.clock.sleep(this.timing.afterDrainMs);
        await Promise.all(batch.map((r) => this.terminateRecord(plane, r, 'Upgrade')));
        const have = isNew().length + old.length;
        if (have < desired) await this.waitReady(client, ng.nodegroupName, await this.launch(plane, cluster, ng, desired - have, target));
      }
    }
    // Scale down: back to the desired size.
    const now = isNew();
    if (now.length > desired) {
      const victims = pickTerminations(now.map((r) => ({ ...r, zone: r.availabilityZone, subnetId: r.subnetId ?? '', launchedAt: r.launchTime, current: true })), now.length - desired);
      await Promise.all(victims.map((id) => this.drainAndTerminate(plane, this.records.get(id)!, true, 'Scale-in')));
    }
  }

  async remove(cluster: Cluster, ng: Nodegroup): Promise<void> {
    const p = this.opts.plane(cluster.name);
    if (!p) {
      // The control plane is gone: only the instances' network attachments are left to release.
      for (const r of [...this.records.values()].filter((x) => x.clusterName === cluster.name && x.nodegroupName === ng.nodegroupName)) {
        this.model.detachNode(r.instanceId);
        this.records.delete(r.instanceId);
      }
      await this.saveVpc();
      return;
    }
    const plane = await this.planeOf(cluster.name);
    const group = this.groupInstances(cluster.name, ng.nodegroupName);
    for (let i = 0; i < group.length; i += 50) {
      await Promise.all(group.slice(i, i + 50).map((r) => this.drainAndTerminate(plane, r, true, 'Node group deletion')));
    }
  }

  // ---- instances ---------------------------------------------------------------------------

  /** Launches `count` instances of the group (placed by zone balance, optionally only in `zones`); resolves with their node names. */
  private async launch(plane: RunningApiServer, cluster: Cluster, ng: Nodegroup, count: number, release: { version: string; releaseVersion: string }, zones?: Set<string>): Promise<string[]> {
    if (count <= 0) return [];
    const existing = this.groupInstances(cluster.name, ng.nodegroupName);
    let choices = this.subnetChoices(ng);
    if (zones) {
      const inZones = choices.filter((c) => zones.has(c.zone));
      if (inZones.length) choices = inZones;
    }
    const places = placeInstances(existing.map((r) => ({ subnetId: r.subnetId ?? '', zone: r.availabilityZone })), choices, count);
    const amiId = amiIdFor(this.opts.region, ng.amiType, release.releaseVersion);
    const patch = VERSIONS.find((v) => v.version === release.version)?.kubernetesPatchVersion ?? release.version;
    const made: InstanceRecord[] = [];
    const rollback = async () => {
      for (const r of made) {
        this.model.detachNode(r.instanceId);
        this.records.delete(r.instanceId);
      }
      await this.saveVpc();
    };
    // Instances launch with the cluster's vpc-cni settings (aws-node's ENABLE_PREFIX_DELEGATION): their pod IP mode and max pods.
    const { prefixDelegation } = await readVpcCniSettings(this.client(plane));
    try {
      places.forEach((place, i) => {
        const type = instanceTypeForLaunch(ng.instanceTypes, ng.capacityType, existing.length + i);
        const instanceId = `i-${randomBytes(9).toString('hex').slice(0, 17)}`;
        const net = this.model.attachNode(instanceId, { instanceType: type, subnetId: place.subnetId, prefixDelegation });
        const rec: InstanceRecord = {
          instanceId, imageId: amiId, instanceType: type, architecture: cloudInstanceType(type)?.arch ?? 'x86_64', state: 'pending',
          privateIpAddress: net.privateIp, privateDnsName: '', subnetId: place.subnetId, vpcId: this.model.subnet(place.subnetId)?.vpcId,
          availabilityZone: place.zone, launchTime: this.opts.clock.now(), tags: this.instanceTags(cluster.name, ng.nodegroupName, ng.resources.autoScalingGroups[0]?.name),
          spot: ng.capacityType === 'SPOT', clusterName: cluster.name, nodegroupName: ng.nodegroupName, nodeName: '',
        };
        made.push(rec);
        this.records.set(instanceId, rec);
      });
      const labels = managedNodeLabels(ng, amiId);
      const taints: NodeTaint[] = ng.taints.map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: kubernetesTaintEffect(t.effect) }));
      const byType = new Map<string, InstanceRecord[]>();
      for (const r of made) byType.set(r.instanceType, [...(byType.get(r.instanceType) ?? []), r]);
      for (const [type, recs] of byType) {
        const names = await plane.simulator.addNodes({
          count: recs.length, instanceType: type, region: this.opts.region, zones: recs.map((r) => r.availabilityZone),
          internalIPs: recs.map((r) => r.privateIpAddress!), instanceIds: recs.map((r) => r.instanceId), labels, taints, kubeletVersion: kubeletVersionFor(patch),
        });
        recs.forEach((r, i) => {
          r.nodeName = names[i];
          r.privateDnsName = names[i];
          r.state = 'running';
        });
      }
    } catch (err) {
      for (const r of made) if (r.nodeName) await plane.simulator.removeNode(r.nodeName).catch(() => undefined);
      await rollback();
      throw err;
    }
    await this.saveVpc();
    return made.map((r) => r.nodeName);
  }

  private async waitReady(client: KubeClient, nodegroupName: string, names: string[]): Promise<void> {
    if (names.length === 0) return;
    const want = new Set(names);
    const deadline = this.opts.clock.now() + this.timing.readyTimeoutMs;
    for (;;) {
      const list = await client.resource('', 'v1', 'nodes').list(undefined, { labelSelector: `${NODEGROUP_LABEL}=${nodegroupName}` });
      const ready = list.items.filter((n) => want.has(nameOf(n)) && ((((n.status ?? {}) as Obj).conditions ?? []) as { type: string; status: string }[])
        .some((c) => c.type === 'Ready' && c.status === 'True')).length;
      if (ready === want.size) return;
      if (this.opts.clock.now() > deadline) throw new Error(`${want.size - ready} of ${want.size} nodes of node group ${nodegroupName} did not become Ready`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Labels and taints of the group applied to its running nodes, as UpdateNodegroupConfig does. */
  private async applyLabelsAndTaints(client: KubeClient, instances: InstanceRecord[], ng: Nodegroup, previous: Nodegroup): Promise<void> {
    const labelPatch: Record<string, string | null> = { ...ng.labels };
    for (const k of Object.keys(previous.labels)) if (!(k in ng.labels)) labelPatch[k] = null;
    const labelsChanged = JSON.stringify(previous.labels) !== JSON.stringify(ng.labels);
    const taintsChanged = JSON.stringify(previous.taints) !== JSON.stringify(ng.taints);
    if (!labelsChanged && !taintsChanged) return;
    const nodes = client.resource('', 'v1', 'nodes');
    const toK8s = (t: Nodegroup['taints'][number]) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: kubernetesTaintEffect(t.effect) });
    const oldTaints = previous.taints.map(toK8s);
    for (const r of instances) {
      try {
        if (labelsChanged) await nodes.patch(undefined, r.nodeName, 'merge', { metadata: { labels: labelPatch } });
        if (taintsChanged) {
          const node = await nodes.get(undefined, r.nodeName);
          const have = (((node.spec ?? {}) as Obj).taints ?? []) as NodeTaint[];
          const others = have.filter((t) => !oldTaints.some((o) => o.key === t.key && o.effect === t.effect));
          await nodes.patch(undefined, r.nodeName, 'merge', { spec: { taints: [...others, ...ng.taints.map(toK8s)] } });
        }
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  private async drainAndTerminate(plane: RunningApiServer, r: InstanceRecord, force: boolean, reason: string): Promise<void> {
    try {
      await drainNode(this.client(plane), r.nodeName, { clock: this.opts.clock, timeoutMs: this.timing.drainTimeoutMs, retryMs: this.timing.drainRetryMs, force });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    await this.terminateRecord(plane, r, reason);
  }

  private async terminateRecord(plane: RunningApiServer, r: InstanceRecord, reason: string): Promise<void> {
    if (r.state === 'terminated') return;
    r.state = 'shutting-down';
    r.stateTransitionReason = `${reason} (${new Date(this.opts.clock.now()).toISOString().replace(/\.\d+Z$/, ' GMT').replace('T', ' ')})`;
    if (plane.simulator.node(r.nodeName)) {
      try {
        await plane.simulator.removeNode(r.nodeName);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    this.model.detachNode(r.instanceId);
    await this.saveVpc();
    r.state = 'terminated';
    r.terminatedAt = this.opts.clock.now();
  }

  // ---- InstanceSource (EC2) ----------------------------------------------------------------

  instances(region: string): Ec2Instance[] {
    if (region !== this.opts.region) return [];
    const now = this.opts.clock.now();
    for (const [id, r] of this.records) if (r.terminatedAt !== undefined && now - r.terminatedAt > TERMINATED_VISIBLE_MS) this.records.delete(id);
    return [...this.records.values()].map((r) => {
      const { clusterName: _c, nodegroupName: _n, nodeName: _m, terminatedAt: _t, ...instance } = r;
      return structuredClone(instance);
    });
  }

  async terminate(region: string, instanceIds: string[]): Promise<{ instanceId: string; previous: InstanceStateName; current: InstanceStateName }[]> {
    const out: { instanceId: string; previous: InstanceStateName; current: InstanceStateName }[] = [];
    for (const id of instanceIds) {
      const r = region === this.opts.region ? this.records.get(id) : undefined;
      if (!r) continue;
      const previous = r.state;
      if (live(r)) {
        r.state = 'shutting-down';
        const plane = this.opts.plane(r.clusterName);
        void (async () => {
          if (plane) await this.terminateRecord(await plane, r, 'User initiated');
          else r.state = 'terminated';
          this.opts.onInstanceLost(r.clusterName, r.nodegroupName);
        })().catch((err: unknown) => console.error(`ec2: terminating ${id}:`, err));
      }
      out.push({ instanceId: id, previous, current: r.state });
    }
    return out;
  }
}
