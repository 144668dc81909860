// framework.NodeInfo: a node with the pods on it and what they use (requested resources, host
// ports, pods with affinity), kept up to date as pods are added and removed.
import { asNode } from './api.js';
import type { NodeShape, Obj, Taint } from './api.js';
import type { HostPort, PodInfo } from './pod-info.js';
import { Resource } from './resources.js';

/** The wildcard host IP: a port on 0.0.0.0 conflicts with that port on every IP. */
const ANY_IP = '0.0.0.0';

export class NodeInfo {
  node: NodeShape | undefined;
  nodeObj: Obj | undefined;
  name: string;
  labels: Record<string, string> = {};
  taints: Taint[] = [];
  allocatable = new Resource();
  readonly pods: PodInfo[] = [];
  readonly podsWithAffinity: PodInfo[] = [];
  readonly podsWithRequiredAntiAffinity: PodInfo[] = [];
  readonly requested = new Resource();
  readonly nonZeroRequested = new Resource();
  /** protocol/port -> set of IPs in use */
  readonly usedPorts = new Map<string, Map<string, number>>();
  /** Bumped on every change (upstream's Generation). */
  generation = 0;

  constructor(nodeObjOrName: Obj | string) {
    if (typeof nodeObjOrName === 'string') this.name = nodeObjOrName;
    else {
      this.name = '';
      this.setNode(nodeObjOrName);
    }
  }

  setNode(obj: Obj): void {
    const node = asNode(obj);
    this.nodeObj = obj;
    this.node = node;
    this.name = node.metadata.name;
    this.labels = node.metadata.labels ?? {};
    this.taints = node.spec?.taints ?? [];
    this.allocatable = Resource.fromList(node.status?.allocatable ?? node.status?.capacity);
    this.generation++;
  }

  addPod(p: PodInfo): void {
    this.pods.push(p);
    if (p.hasAffinity()) this.podsWithAffinity.push(p);
    if (p.hasRequiredAntiAffinity()) this.podsWithRequiredAntiAffinity.push(p);
    this.update(p, 1);
  }

  /** Removes the pod with this key; answers it, or undefined when it is not here. */
  removePod(key: string): PodInfo | undefined {
    const i = this.pods.findIndex((q) => q.key === key);
    if (i < 0) return undefined;
    const p = this.pods[i];
    this.pods.splice(i, 1);
    const drop = (list: PodInfo[]) => {
      const j = list.indexOf(p);
      if (j >= 0) list.splice(j, 1);
    };
    drop(this.podsWithAffinity);
    drop(this.podsWithRequiredAntiAffinity);
    this.update(p, -1);
    return p;
  }

  private update(p: PodInfo, sign: 1 | -1): void {
    this.requested.add(p.requests, sign);
    this.nonZeroRequested.add(p.nonZeroRequests, sign);
    for (const hp of p.hostPorts) {
      const k = `${hp.protocol}/${hp.port}`;
      let ips = this.usedPorts.get(k);
      if (!ips) this.usedPorts.set(k, (ips = new Map()));
      const n = (ips.get(hp.ip) ?? 0) + sign;
      if (n <= 0) ips.delete(hp.ip);
      else ips.set(hp.ip, n);
      if (ips.size === 0) this.usedPorts.delete(k);
    }
    this.generation++;
  }

  /** HostPortInfo.CheckConflict: the same protocol and port on the same IP, or on 0.0.0.0 on either side. */
  portConflicts(hp: HostPort): boolean {
    const ips = this.usedPorts.get(`${hp.protocol}/${hp.port}`);
    if (!ips) return false;
    if (hp.ip === ANY_IP) return ips.size > 0;
    return ips.has(hp.ip) || ips.has(ANY_IP);
  }

  /** A copy that can be changed without touching this one (preemption's dry runs). */
  clone(): NodeInfo {
    const c = this.nodeObj ? new NodeInfo(this.nodeObj) : new NodeInfo(this.name);
    for (const p of this.pods) c.addPod(p);
    return c;
  }
}
