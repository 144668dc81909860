// The plugin interfaces of the scheduling framework (pkg/scheduler/framework/interface.go).
import type { LabelSelector } from '../../util/label-selector.js';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import type { Snapshot } from './snapshot.js';
import type { MaybeStatus, Status } from './status.js';

/** The highest score a Score plugin may give after normalization. */
export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

/** A PodDisruptionBudget as preemption reads it. */
export interface DisruptionBudget {
  namespace: string;
  selector: LabelSelector;
  /** status.disruptionsAllowed */
  disruptionsAllowed: number;
  /** status.disruptedPods: pods already being disrupted, not counted again. */
  disruptedPods: Set<string>;
}

/** What plugins may read beyond the pod and the node (framework.Handle). */
export interface Handle {
  snapshot: Snapshot;
  /** Labels of a namespace, for namespaceSelector; undefined when unknown. */
  namespaceLabels(ns: string): Record<string, string> | undefined;
  /** Names of every known namespace (namespaceSelector of the pod being scheduled). */
  namespaceNames(): string[];
  /**
   * helper.DefaultSelector: the selector of the Services, ReplicationControllers, ReplicaSets and
   * StatefulSets that select the pod, for PodTopologySpread's default constraints.
   */
  defaultSpreadSelector(pod: PodInfo): LabelSelector | undefined;
  pdbs(): DisruptionBudget[];
  /** Runs the Filter plugins for one node (preemption's dry runs). */
  runFilterPlugins(state: CycleState, pod: PodInfo, node: NodeInfo): Status;
  /** The same, counting pods nominated to the node with at least the pod's priority. */
  runFilterWithNominatedPods(state: CycleState, pod: PodInfo, node: NodeInfo): Status;
  /** Tells the PreFilter extensions that a pod was added to or removed from `node` in a dry run. */
  runPreFilterAddPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, node: NodeInfo): Status;
  runPreFilterRemovePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, node: NodeInfo): Status;
}

export interface Plugin {
  readonly name: string;
}

export interface QueueSortPlugin extends Plugin {
  /** True when a should be scheduled before b. */
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

/** A pod waiting in the scheduling queue. */
export interface QueuedPodInfo {
  pod: PodInfo;
  /** When the pod was added to the queue (clock ms). */
  timestamp: number;
  attempts: number;
  /** When the pod was first seen by the queue. */
  initialAttemptTimestamp: number;
  /** Plugins that rejected the pod in its last attempt. */
  unschedulablePlugins: Set<string>;
}

/** PreFilterResult: undefined nodeNames means all nodes. */
export interface PreFilterResult {
  nodeNames?: Set<string>;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): { result?: PreFilterResult; status?: MaybeStatus } | MaybeStatus;
  addPod?(state: CycleState, pod: PodInfo, toAdd: PodInfo, node: NodeInfo): MaybeStatus;
  removePod?(state: CycleState, pod: PodInfo, toRemove: PodInfo, node: NodeInfo): MaybeStatus;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus;
}

/** The filter outcome per node, for PostFilter. */
export interface NodeToStatus {
  get(nodeName: string): Status | undefined;
  /** The status of nodes not in the map (filtered out before Filter ran, e.g. by a PreFilter result). */
  absent: Status;
}

export interface PostFilterResult {
  nominatedNodeName?: string;
  /** Pods to delete so the pod fits on the nominated node (DefaultPreemption's victims). */
  victims?: PodInfo[];
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, statuses: NodeToStatus): { result?: PostFilterResult; status: Status };
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): MaybeStatus;
}

export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number | Status;
  /** Maps raw scores (in node order) to 0..MAX_NODE_SCORE in place. */
  normalizeScore?(state: CycleState, pod: PodInfo, scores: NodeScore[]): MaybeStatus;
}

export interface NodeScore {
  name: string;
  score: number;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus;
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  permit(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus;
}

/** Everything a plugin factory may implement; the framework checks which methods exist. */
export type AnyPlugin = Plugin &
  Partial<Pick<QueueSortPlugin, 'less'>> &
  Partial<Pick<PreFilterPlugin, 'preFilter' | 'addPod' | 'removePod'>> &
  Partial<Pick<FilterPlugin, 'filter'>> &
  Partial<Pick<PostFilterPlugin, 'postFilter'>> &
  Partial<Pick<PreScorePlugin, 'preScore'>> &
  Partial<Pick<ScorePlugin, 'score' | 'normalizeScore'>> &
  Partial<Pick<ReservePlugin, 'reserve' | 'unreserve'>> &
  Partial<Pick<PermitPlugin, 'permit'>>;

/** Builds a plugin from its arguments (from the profile) and the framework handle. */
export type PluginFactory = (args: Record<string, unknown> | undefined, handle: Handle) => AnyPlugin;
