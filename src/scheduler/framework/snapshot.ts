// The scheduler's view of the cluster: NodeInfos by name and in a stable order, and the lists of
// nodes with pods that have affinity (upstream's Cache and Snapshot in one: a scheduling cycle
// runs synchronously on this single-threaded runtime, so no change can land in the middle of one
// and no per-cycle copy is needed).
import type { Obj } from './api.js';
import { NodeInfo } from './node-info.js';
import type { LabelSelector } from './labels.js';
import { PodInfo, podInfoOf } from './pod-info.js';

export class Snapshot {
  private readonly infos = new Map<string, NodeInfo>();
  private list: NodeInfo[] = [];
  private listDirty = false;
  private affinityList: NodeInfo[] | undefined;
  private antiAffinityList: NodeInfo[] | undefined;
  /** label key -> value -> nodes carrying it; dropped whenever the node set or a node changes */
  private byLabel = new Map<string, Map<string, NodeInfo[]>>();
  /** Bumped whenever a pod is added to or removed from a node. */
  podVersion = 0;
  /** Bumped whenever a node is added or removed or its labels change (topology domains). */
  topologyVersion = 0;
  /** Node names of the pod changes after version `logBase` (entry i is version logBase + i + 1). */
  private changeLog: string[] = [];
  private logBase = 0;
  /** "key=value" -> pods carrying that label (equality lookups for pod affinity terms) */
  private readonly podsByLabel = new Map<string, Set<PodInfo>>();
  /**
   * "key=value" -> pods with a required anti-affinity term whose selector demands that label;
   * under "" the pods with a term that demands no single label.
   */
  private readonly antiAffinityByLabel = new Map<string, Set<PodInfo>>();
  /** pod key -> the node it is counted on */
  private readonly podNodes = new Map<string, string>();

  /** Every node known by a Node object, in a stable order. */
  nodeInfos(): NodeInfo[] {
    if (this.listDirty) {
      this.list = [...this.infos.values()].filter((n) => n.node !== undefined);
      this.listDirty = false;
    }
    return this.list;
  }

  /** The nodes grouped by their value of a label (topology domains); nodes without it are left out. */
  nodesByLabelValue(key: string): Map<string, NodeInfo[]> {
    let groups = this.byLabel.get(key);
    if (!groups) {
      groups = new Map();
      for (const n of this.nodeInfos()) {
        const v = n.labels[key];
        if (v === undefined) continue;
        const g = groups.get(v);
        if (g) g.push(n);
        else groups.set(v, [n]);
      }
      this.byLabel.set(key, groups);
    }
    return groups;
  }

  /**
   * The nodes whose pods changed after `podVersion` was `since` (with repeats), or undefined when
   * that is too long ago to tell. Lets plugins update per-node tallies instead of recounting.
   */
  podChangesSince(since: number): string[] | undefined {
    if (since < this.logBase || since > this.podVersion) return undefined;
    return this.changeLog.slice(since - this.logBase);
  }

  private recordPodChange(node: string): void {
    this.podVersion++;
    if (this.changeLog.length >= 4096) {
      this.logBase += this.changeLog.length;
      this.changeLog = [];
    }
    this.changeLog.push(node);
  }

  numNodes(): number {
    return this.nodeInfos().length;
  }

  get(name: string): NodeInfo | undefined {
    const n = this.infos.get(name);
    return n?.node ? n : undefined;
  }

  /** Nodes that run at least one pod with pod affinity or anti-affinity terms. */
  havePodsWithAffinity(): NodeInfo[] {
    return (this.affinityList ??= this.nodeInfos().filter((n) => n.podsWithAffinity.length > 0));
  }

  havePodsWithRequiredAntiAffinity(): NodeInfo[] {
    return (this.antiAffinityList ??= this.nodeInfos().filter((n) => n.podsWithRequiredAntiAffinity.length > 0));
  }

  /** Adds or replaces a node object. */
  setNode(obj: Obj): NodeInfo {
    const name = (obj.metadata as { name: string }).name;
    let info = this.infos.get(name);
    if (!info) {
      info = new NodeInfo(obj);
      this.infos.set(name, info);
      this.listDirty = true;
      this.topologyChanged();
    } else {
      const before = info.node ? JSON.stringify(info.labels) : undefined;
      if (!info.node) this.listDirty = true;
      info.setNode(obj);
      if (before !== JSON.stringify(info.labels)) this.topologyChanged();
    }
    this.affinityList = this.antiAffinityList = undefined;
    return info;
  }

  private topologyChanged(): void {
    this.topologyVersion++;
    if (this.byLabel.size) this.byLabel = new Map();
  }

  /** Removes a node; its pods stay remembered under its name until they go (as upstream's cache). */
  removeNode(name: string): void {
    const info = this.infos.get(name);
    if (!info) return;
    this.topologyChanged();
    if (info.pods.length === 0) this.infos.delete(name);
    else {
      info.node = undefined;
      info.nodeObj = undefined;
    }
    this.listDirty = true;
    this.affinityList = this.antiAffinityList = undefined;
  }

  /** Counts a pod on `nodeName` (its spec.nodeName unless given). Replaces an earlier entry for the same key. */
  addPod(pod: Obj | PodInfo, nodeName?: string): PodInfo {
    const info = pod instanceof PodInfo ? pod : podInfoOf(pod);
    const node = nodeName ?? info.nodeName;
    this.removePod(info.key);
    let ni = this.infos.get(node);
    if (!ni) {
      ni = new NodeInfo(node);
      this.infos.set(node, ni);
    }
    ni.addPod(info);
    this.index(info, true);
    this.podNodes.set(info.key, node);
    this.recordPodChange(node);
    if (info.hasAffinity()) this.affinityList = this.antiAffinityList = undefined;
    return info;
  }

  removePod(key: string): void {
    const node = this.podNodes.get(key);
    if (node === undefined) return;
    this.podNodes.delete(key);
    const ni = this.infos.get(node);
    if (!ni) return;
    const had = ni.podsWithAffinity.length;
    const removed = ni.removePod(key);
    if (removed) this.index(removed, false);
    this.recordPodChange(node);
    if (had !== ni.podsWithAffinity.length) this.affinityList = this.antiAffinityList = undefined;
    if (!ni.node && ni.pods.length === 0) this.infos.delete(node);
  }

  /** The node a pod is counted on, if any. */
  nodeOfPod(key: string): string | undefined {
    return this.podNodes.get(key);
  }

  /** The NodeInfo (with a Node object) a pod is counted on. */
  nodeInfoOfPod(key: string): NodeInfo | undefined {
    const name = this.podNodes.get(key);
    return name === undefined ? undefined : this.get(name);
  }

  /** Pods carrying the label key=value. */
  podsWithLabel(key: string, value: string): ReadonlySet<PodInfo> | undefined {
    return this.podsByLabel.get(`${key}=${value}`);
  }

  /**
   * Every pod with required anti-affinity whose terms could match a pod with these labels (a
   * superset: callers still match each term).
   */
  antiAffinityCandidates(labels: Record<string, string>): Set<PodInfo> {
    const out = new Set<PodInfo>(this.antiAffinityByLabel.get('') ?? []);
    for (const k in labels) {
      const set = this.antiAffinityByLabel.get(`${k}=${labels[k]}`);
      if (set) for (const p of set) out.add(p);
    }
    return out;
  }

  private index(info: PodInfo, add: boolean): void {
    const put = (m: Map<string, Set<PodInfo>>, k: string) => {
      let set = m.get(k);
      if (add) {
        if (!set) m.set(k, (set = new Set()));
        set.add(info);
      } else if (set) {
        set.delete(info);
        if (set.size === 0) m.delete(k);
      }
    };
    for (const k in info.labels) put(this.podsByLabel, `${k}=${info.labels[k]}`);
    for (const t of info.requiredAntiAffinityTerms) {
      const label = equalityLabel(t.selector);
      put(this.antiAffinityByLabel, label ?? '');
    }
  }

  podCount(): number {
    return this.podNodes.size;
  }
}

/** The first "key=value" a selector demands (Equals, or In with one value), if any. */
export function equalityLabel(sel: LabelSelector): string | undefined {
  if (sel.nothing) return undefined;
  for (const r of sel.requirements) {
    if ((r.operator === 'Equals' || r.operator === 'DoubleEquals' || r.operator === 'In') && r.values.length === 1) return `${r.key}=${r.values[0]}`;
  }
  return undefined;
}
