// framework.PodInfo: a pod with what the plugins read from it parsed once (requests, ports,
// affinity terms with compiled selectors).
import { labelSelectorFromObject, matchesLabels } from '../../util/label-selector.js';
import type { LabelSelector } from '../../util/label-selector.js';
import { compileSelector } from './labels.js';
import type { LabelMatcher } from './labels.js';
import { asPod } from './api.js';
import type { Obj, PodAffinityTermSpec, PodShape, Toleration } from './api.js';
import { podRequests } from './resources.js';
import type { Resource } from './resources.js';

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** framework.AffinityTerm: a pod (anti-)affinity term with compiled selectors. */
export class AffinityTerm {
  readonly namespaces: Set<string>;
  readonly selector: LabelSelector;
  /** undefined: no namespaceSelector (matches no namespace by labels). */
  readonly nsSelector: LabelSelector | undefined;
  readonly topologyKey: string;
  /** The label selector compiled (the hot loops of InterPodAffinity call it per pod). */
  readonly matchLabels: LabelMatcher;

  constructor(
    ownerNamespace: string,
    spec: PodAffinityTermSpec,
    readonly weight = 0,
  ) {
    this.topologyKey = spec.topologyKey;
    this.selector = labelSelectorFromObject(spec.labelSelector ?? undefined);
    this.matchLabels = compileSelector(this.selector);
    this.nsSelector = spec.namespaceSelector ? labelSelectorFromObject(spec.namespaceSelector) : undefined;
    const ns = spec.namespaces ?? [];
    // GetNamespacesFromPodAffinityTerm: no namespaces and no selector mean the pod's own namespace.
    this.namespaces = new Set(ns.length === 0 && spec.namespaceSelector == null ? [ownerNamespace] : ns);
  }

  /** AffinityTerm.Matches: the pod is in one of the term's namespaces and carries matching labels. */
  matches(pod: PodInfo, nsLabels: Record<string, string> | undefined): boolean {
    if (this.namespaces.has(pod.namespace) || (this.nsSelector !== undefined && matchesLabels(this.nsSelector, nsLabels ?? {}))) {
      return this.matchLabels(pod.labels);
    }
    return false;
  }
}

function terms(ns: string, specs: PodAffinityTermSpec[] | undefined): AffinityTerm[] {
  return (specs ?? []).map((t) => new AffinityTerm(ns, t));
}

function weightedTerms(ns: string, specs: { weight: number; podAffinityTerm: PodAffinityTermSpec }[] | undefined): AffinityTerm[] {
  return (specs ?? []).map((t) => new AffinityTerm(ns, t.podAffinityTerm, t.weight));
}

export class PodInfo {
  readonly obj: Obj;
  readonly pod: PodShape;
  readonly key: string;
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly labels: Record<string, string>;
  readonly tolerations: Toleration[];
  readonly requests: Resource;
  /** Requests with the scoring defaults for containers that set none. */
  readonly nonZeroRequests: Resource;
  readonly hostPorts: HostPort[];
  readonly requiredAffinityTerms: AffinityTerm[];
  readonly requiredAntiAffinityTerms: AffinityTerm[];
  readonly preferredAffinityTerms: AffinityTerm[];
  readonly preferredAntiAffinityTerms: AffinityTerm[];
  /** Set when parsing an affinity term failed; PreFilter plugins report it. */
  readonly parseError: Error | undefined;
  readonly terminating: boolean;
  /** Milliseconds; status.startTime, else creationTimestamp (for preemption's ordering). */
  readonly startTime: number;

  constructor(obj: Obj) {
    this.obj = obj;
    const pod = (this.pod = asPod(obj));
    this.name = pod.metadata.name;
    this.namespace = pod.metadata.namespace ?? '';
    this.key = `${this.namespace}/${this.name}`;
    this.uid = pod.metadata.uid ?? '';
    this.labels = pod.metadata.labels ?? {};
    this.tolerations = pod.spec.tolerations ?? [];
    this.requests = podRequests(pod.spec);
    this.nonZeroRequests = podRequests(pod.spec, true);
    this.terminating = Boolean(pod.metadata.deletionTimestamp);
    const start = pod.status?.startTime ?? pod.metadata.creationTimestamp;
    this.startTime = start ? Date.parse(start) : 0;
    this.hostPorts = [];
    for (const c of pod.spec.containers ?? []) {
      for (const p of c.ports ?? []) {
        if (p.hostPort && p.hostPort > 0) this.hostPorts.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
      }
    }
    const a = pod.spec.affinity;
    let err: Error | undefined;
    const safe = <T>(fn: () => T[]): T[] => {
      try {
        return fn();
      } catch (e) {
        err ??= e instanceof Error ? e : new Error(String(e));
        return [];
      }
    };
    this.requiredAffinityTerms = safe(() => terms(this.namespace, a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution));
    this.requiredAntiAffinityTerms = safe(() => terms(this.namespace, a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution));
    this.preferredAffinityTerms = safe(() => weightedTerms(this.namespace, a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution));
    this.preferredAntiAffinityTerms = safe(() => weightedTerms(this.namespace, a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution));
    this.parseError = err;
  }

  get priority(): number {
    return typeof this.pod.spec.priority === 'number' ? this.pod.spec.priority : 0;
  }

  get nodeName(): string {
    return this.pod.spec.nodeName ?? '';
  }

  hasAffinity(): boolean {
    return this.requiredAffinityTerms.length + this.requiredAntiAffinityTerms.length + this.preferredAffinityTerms.length + this.preferredAntiAffinityTerms.length > 0;
  }

  hasRequiredAntiAffinity(): boolean {
    return this.requiredAntiAffinityTerms.length > 0;
  }
}

const cache = new WeakMap<Obj, PodInfo>();

/** The PodInfo of a pod object, parsed once per object (objects from informers are immutable). */
export function podInfoOf(obj: Obj): PodInfo {
  let info = cache.get(obj);
  if (!info) cache.set(obj, (info = new PodInfo(obj)));
  return info;
}
