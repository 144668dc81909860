// framework.FitError and Diagnosis: why no node fits, in kube-scheduler's message form
// (pkg/scheduler/framework/types.go FitError.Error):
//   0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu. preemption: ...
import type { NodeToStatus } from './interfaces.js';
import type { PodInfo } from './pod-info.js';
import { Code, Status } from './status.js';

/** NoNodeAvailableMsg */
export const NO_NODE_AVAILABLE = (n: number) => `0/${n} nodes are available`;

/** The filter status of every node that was tried, and of the ones that were not (absent). */
export class NodeStatusMap implements NodeToStatus {
  readonly statuses = new Map<string, Status>();
  absent: Status = new Status(Code.UnschedulableAndUnresolvable);

  get(nodeName: string): Status | undefined {
    return this.statuses.get(nodeName) ?? this.absent;
  }

  set(nodeName: string, s: Status): void {
    this.statuses.set(nodeName, s);
  }

  get size(): number {
    return this.statuses.size;
  }
}

export interface Diagnosis {
  nodeToStatus: NodeStatusMap;
  unschedulablePlugins: Set<string>;
  /** The message of a PreFilter plugin that rejected the pod for every node. */
  preFilterMsg: string;
  /** The message of the PostFilter plugins (preemption). */
  postFilterMsg: string;
}

export function newDiagnosis(): Diagnosis {
  return { nodeToStatus: new NodeStatusMap(), unschedulablePlugins: new Set(), preFilterMsg: '', postFilterMsg: '' };
}

export class FitError extends Error {
  constructor(
    readonly pod: PodInfo,
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {
    super('');
    this.name = 'FitError';
    // Error's own `message` is replaced by one computed when read: PostFilter adds to the diagnosis later.
    Object.defineProperty(this, 'message', { get: () => fitErrorMessage(this.numAllNodes, this.diagnosis), enumerable: false, configurable: true });
  }

  override toString(): string {
    return this.message;
  }
}

/** FitError.Error(): the reason histogram sorted as strings, then the PostFilter message. */
export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `${NO_NODE_AVAILABLE(numAllNodes)}:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const counts = new Map<string, number>();
    for (const s of d.nodeToStatus.statuses.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    const absent = numAllNodes - d.nodeToStatus.size;
    if (absent > 0) for (const r of d.nodeToStatus.absent.reasons) counts.set(r, (counts.get(r) ?? 0) + absent);
    // sort.Strings over "<count> <reason>": a byte-wise sort, as Go's.
    const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (parts.length) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}`;
  return msg;
}
