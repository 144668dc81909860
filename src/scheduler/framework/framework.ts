// The framework runner (pkg/scheduler/framework/runtime/framework.go): builds the plugins of a
// profile from the registry and runs them at each extension point.
import type { LabelSelector } from '../../util/label-selector.js';
import { CycleState } from './cycle-state.js';
import type {
  AnyPlugin,
  DisruptionBudget,
  FilterPlugin,
  Handle,
  NodeScore,
  NodeToStatus,
  PermitPlugin,
  PluginFactory,
  PostFilterPlugin,
  PostFilterResult,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  QueuedPodInfo,
  QueueSortPlugin,
  ReservePlugin,
  ScorePlugin,
} from './interfaces.js';
import { MAX_NODE_SCORE, MIN_NODE_SCORE } from './interfaces.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import { Snapshot } from './snapshot.js';
import { Code, Status } from './status.js';
import type { MaybeStatus } from './status.js';

/** One plugin of a profile: its registry name, score weight and arguments. */
export interface PluginConfig {
  name: string;
  /** Score weight (default 1). */
  weight?: number;
  args?: Record<string, unknown>;
}

export interface FrameworkOptions {
  /** Plugin factories by name (the scheduler's one explicit map). */
  registry: ReadonlyMap<string, PluginFactory>;
  /** Enabled plugins in the order their extension points run. */
  plugins: PluginConfig[];
  snapshot?: Snapshot;
  /** 0 or undefined: the adaptive default. */
  percentageOfNodesToScore?: number;
  /** For tie-breaks between equally scored nodes; Math.random by default. */
  random?: () => number;
  namespaceLabels?: (ns: string) => Record<string, string> | undefined;
  namespaceNames?: () => string[];
  defaultSpreadSelector?: (pod: PodInfo) => LabelSelector | undefined;
  pdbs?: () => DisruptionBudget[];
  /** Pods nominated to a node by an earlier preemption, not yet bound there. */
  nominatedPods?: (nodeName: string) => PodInfo[];
}

function has<K extends keyof AnyPlugin>(p: AnyPlugin, k: K): boolean {
  return typeof p[k] === 'function';
}

export class Framework implements Handle {
  snapshot: Snapshot;
  readonly percentageOfNodesToScore: number | undefined;
  readonly random: () => number;
  /** Where the next search for feasible nodes starts (spreads the search over the cluster). */
  nextStartNodeIndex = 0;

  readonly queueSort: QueueSortPlugin | undefined;
  readonly preFilterPlugins: PreFilterPlugin[] = [];
  readonly filterPlugins: FilterPlugin[] = [];
  readonly postFilterPlugins: PostFilterPlugin[] = [];
  readonly preScorePlugins: PreScorePlugin[] = [];
  readonly scorePlugins: { plugin: ScorePlugin; weight: number }[] = [];
  readonly reservePlugins: ReservePlugin[] = [];
  readonly permitPlugins: PermitPlugin[] = [];
  private readonly opts: FrameworkOptions;

  constructor(opts: FrameworkOptions) {
    this.opts = opts;
    this.snapshot = opts.snapshot ?? new Snapshot();
    this.percentageOfNodesToScore = opts.percentageOfNodesToScore;
    this.random = opts.random ?? Math.random;
    let queueSort: QueueSortPlugin | undefined;
    for (const cfg of opts.plugins) {
      const factory = opts.registry.get(cfg.name);
      if (!factory) throw new Error(`plugin "${cfg.name}" does not exist`);
      const p = factory(cfg.args, this);
      if (has(p, 'less')) {
        if (queueSort) throw new Error('only one queue sort plugin can be enabled');
        queueSort = p as QueueSortPlugin;
      }
      if (has(p, 'preFilter')) this.preFilterPlugins.push(p as PreFilterPlugin);
      if (has(p, 'filter')) this.filterPlugins.push(p as FilterPlugin);
      if (has(p, 'postFilter')) this.postFilterPlugins.push(p as PostFilterPlugin);
      if (has(p, 'preScore')) this.preScorePlugins.push(p as PreScorePlugin);
      if (has(p, 'score')) this.scorePlugins.push({ plugin: p as ScorePlugin, weight: cfg.weight ?? 1 });
      if (has(p, 'reserve')) this.reservePlugins.push(p as ReservePlugin);
      if (has(p, 'permit')) this.permitPlugins.push(p as PermitPlugin);
    }
    this.queueSort = queueSort;
  }

  // ---- Handle ----

  namespaceLabels(ns: string): Record<string, string> | undefined {
    return this.opts.namespaceLabels?.(ns);
  }

  namespaceNames(): string[] {
    return this.opts.namespaceNames?.() ?? [];
  }

  defaultSpreadSelector(pod: PodInfo): LabelSelector | undefined {
    return this.opts.defaultSpreadSelector?.(pod);
  }

  pdbs(): DisruptionBudget[] {
    return this.opts.pdbs?.() ?? [];
  }

  // ---- extension points ----

  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    if (this.queueSort) return this.queueSort.less(a, b);
    return a.timestamp < b.timestamp;
  }

  /**
   * RunPreFilterPlugins: a rejecting plugin stops the run; Skip marks the plugin's Filter as not
   * needed; node name sets of the results are intersected.
   */
  runPreFilterPlugins(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): { result: PreFilterResult; status: Status; restrictedBy: string[] } {
    let nodeNames: Set<string> | undefined;
    const restrictedBy: string[] = [];
    for (const p of this.preFilterPlugins) {
      let out: ReturnType<PreFilterPlugin['preFilter']>;
      try {
        out = p.preFilter(state, pod, nodes);
      } catch (err) {
        return { result: {}, status: Status.error(err).withPlugin(p.name), restrictedBy };
      }
      let result: PreFilterResult | undefined;
      let status: Status | undefined;
      if (out === undefined || out instanceof Status) status = out;
      else ({ result, status } = out);
      if (status?.isSkip()) {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (status && !status.isSuccess()) return { result: {}, status: status.withPlugin(p.name), restrictedBy };
      if (result?.nodeNames) {
        restrictedBy.push(p.name);
        nodeNames = nodeNames ? new Set([...nodeNames].filter((n) => result.nodeNames!.has(n))) : new Set(result.nodeNames);
        if (nodeNames.size === 0) {
          return { result: { nodeNames }, status: Status.unresolvable(`node(s) didn't satisfy plugin(s) [${restrictedBy.join(' ')}] simultaneously`).withPlugin(p.name), restrictedBy };
        }
      }
    }
    return { result: { nodeNames }, status: Status.success(), restrictedBy };
  }

  /** RunFilterPlugins: the first plugin that does not answer Success decides. */
  runFilterPlugins(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    let active = state.activeFilters as FilterPlugin[] | undefined;
    if (!active) {
      const skip = state.skipFilterPlugins;
      active = state.activeFilters = this.filterPlugins.filter((p) => !skip.has(p.name));
    }
    for (let i = 0; i < active.length; i++) {
      const p = active[i];
      let s: MaybeStatus;
      try {
        s = p.filter(state, pod, node);
      } catch (err) {
        return Status.error(err).withPlugin(p.name);
      }
      if (s !== undefined && s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  /**
   * RunFilterPluginsWithNominatedPods: pods of equal or higher priority nominated to the node
   * count as already there, so a preemptor's room is not taken; the pod must also fit without
   * them (they may end up elsewhere).
   */
  runFilterWithNominatedPods(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const nominated = this.opts.nominatedPods?.(node.name);
    if (nominated && nominated.length) {
      const higher = nominated.filter((p) => p.key !== pod.key && p.priority >= pod.priority);
      if (higher.length) {
        const st = state.clone();
        const ni = node.clone();
        for (const p of higher) {
          ni.addPod(p);
          const s = this.runPreFilterAddPod(st, pod, p, ni);
          if (!s.isSuccess()) return s;
        }
        const s = this.runFilterPlugins(st, pod, ni);
        if (!s.isSuccess()) return s;
      }
    }
    return this.runFilterPlugins(state, pod, node);
  }

  runPreFilterAddPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, node: NodeInfo): Status {
    for (const p of this.preFilterPlugins) {
      if (!p.addPod || state.skipFilterPlugins.has(p.name)) continue;
      const s = p.addPod(state, pod, toAdd, node);
      if (s && !s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  runPreFilterRemovePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, node: NodeInfo): Status {
    for (const p of this.preFilterPlugins) {
      if (!p.removePod || state.skipFilterPlugins.has(p.name)) continue;
      const s = p.removePod(state, pod, toRemove, node);
      if (s && !s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  /**
   * RunPostFilterPlugins: the first Success or UnschedulableAndUnresolvable ends the run; the
   * reasons of the others are collected.
   */
  runPostFilterPlugins(state: CycleState, pod: PodInfo, statuses: NodeToStatus): { result?: PostFilterResult; status: Status } {
    const reasons: string[] = [];
    let result: PostFilterResult | undefined;
    for (const p of this.postFilterPlugins) {
      const out = p.postFilter(state, pod, statuses);
      if (out.status.isSuccess() || out.status.code === Code.UnschedulableAndUnresolvable) return { result: out.result, status: out.status.withPlugin(p.name) };
      if (!out.status.isRejected()) return { status: out.status.withPlugin(p.name) };
      reasons.push(...out.status.reasons);
      if (out.result) result = out.result;
    }
    return { result, status: new Status(Code.Unschedulable, reasons) };
  }

  runPreScorePlugins(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): Status {
    for (const p of this.preScorePlugins) {
      const s = p.preScore(state, pod, nodes);
      if (s?.isSkip()) {
        state.skipScorePlugins.add(p.name);
        continue;
      }
      if (s && !s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  /** RunScorePlugins: per plugin score, normalize, weigh; the totals per node in `nodes` order. */
  runScorePlugins(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): { totals: NodeScore[]; status: Status } {
    const totals: NodeScore[] = nodes.map((n) => ({ name: n.name, score: 0 }));
    for (const { plugin, weight } of this.scorePlugins) {
      if (state.skipScorePlugins.has(plugin.name)) continue;
      const scores: NodeScore[] = new Array(nodes.length);
      for (let i = 0; i < nodes.length; i++) {
        const s = plugin.score(state, pod, nodes[i]);
        if (s instanceof Status) return { totals, status: s.withPlugin(plugin.name) };
        scores[i] = { name: nodes[i].name, score: s };
      }
      if (plugin.normalizeScore) {
        const s = plugin.normalizeScore(state, pod, scores);
        if (s && !s.isSuccess()) return { totals, status: s.withPlugin(plugin.name) };
      }
      for (let i = 0; i < scores.length; i++) {
        const sc = scores[i].score;
        if (sc > MAX_NODE_SCORE || sc < MIN_NODE_SCORE) {
          return { totals, status: Status.error(new Error(`plugin "${plugin.name}" returns an invalid score ${sc}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`)) };
        }
        totals[i].score += sc * weight;
      }
    }
    return { totals, status: Status.success() };
  }

  runReservePlugins(state: CycleState, pod: PodInfo, nodeName: string): Status {
    for (const p of this.reservePlugins) {
      const s = p.reserve(state, pod, nodeName);
      if (s && !s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  /** Unreserve runs in reverse order. */
  runUnreservePlugins(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (let i = this.reservePlugins.length - 1; i >= 0; i--) this.reservePlugins[i].unreserve(state, pod, nodeName);
  }

  /** RunPermitPlugins. Wait is not supported by any built-in plugin and is treated as a rejection. */
  runPermitPlugins(state: CycleState, pod: PodInfo, nodeName: string): Status {
    for (const p of this.permitPlugins) {
      const s = p.permit(state, pod, nodeName);
      if (s && !s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  newCycleState(): CycleState {
    return new CycleState();
  }
}
