// The taint eviction controller (pkg/controller/tainteviction): a pod on a node with NoExecute
// taints it does not tolerate is deleted at once; one that tolerates them all is deleted after the
// smallest tolerationSeconds among the tolerations used, counted from when this controller first
// saw it under the taints; tolerations without tolerationSeconds let it stay. Before deleting, the
// pod gets the DisruptionTarget condition (reason DeletionByTaintManager). A pod whose taints go
// away before its time has its eviction cancelled.
import { isNotFound } from '../../client/errors.js';
import type { Informer } from '../../client/informer.js';
import { deletionTimestamp, field, keyOf, name, splitKey, uid } from '../../client/objects.js';
import type { Obj, ResourceClient } from '../../client/types.js';
import type { WorkQueue } from '../../util/workqueue.js';
import type { EventRecorder } from '../events/recorder.js';
import type { ControllerDeps, WorkloadController } from '../shared/types.js';
import { podsByNode, PODS_BY_NODE } from './pod-index.js';
import { matchingTolerations, minTolerationMs, nodeTaints, podTolerations } from './taints.js';

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function noExecuteKey(node: Obj | undefined): string {
  return JSON.stringify(
    nodeTaints(node)
      .filter((t) => t.effect === 'NoExecute')
      .map((t) => `${t.key}=${t.value ?? ''}`)
      .sort(),
  );
}

export class TaintEvictionController implements WorkloadController {
  readonly name = 'taint-eviction-controller';
  readonly workers = 4;
  private readonly nodes: Informer;
  private readonly pods: Informer;
  private readonly podClient: ResourceClient;
  /** Pods scheduled for eviction: when first seen under the taints (CreatedAt upstream). */
  private readonly scheduled = new Map<string, number>();
  private queue: WorkQueue<string> | undefined;

  constructor(
    private readonly deps: ControllerDeps,
    private readonly recorder?: EventRecorder,
  ) {
    this.nodes = deps.informers.informerFor('', 'v1', 'nodes');
    this.pods = deps.informers.informerFor('', 'v1', 'pods', { [PODS_BY_NODE]: podsByNode });
    this.podClient = deps.client.resource('', 'v1', 'pods');
  }

  bind(queue: WorkQueue<string>): void {
    this.queue = queue;
    const podsOf = (node: Obj) => {
      for (const p of this.pods.lister.byIndex(PODS_BY_NODE, name(node))) queue.add(keyOf(p));
    };
    this.nodes.addEventHandler({
      onAdd: (n) => nodeTaints(n).some((t) => t.effect === 'NoExecute') && podsOf(n),
      onUpdate: (o, n) => noExecuteKey(o) !== noExecuteKey(n) && podsOf(n),
      onDelete: podsOf,
    });
    this.pods.addEventHandler({
      onAdd: (p) => queue.add(keyOf(p)),
      onUpdate: (o, p) => {
        if (field(o, 'spec', 'nodeName') !== field(p, 'spec', 'nodeName') || JSON.stringify(podTolerations(o)) !== JSON.stringify(podTolerations(p)) || deletionTimestamp(p)) queue.add(keyOf(p));
      },
      onDelete: (p) => queue.add(keyOf(p)),
    });
  }

  private cancel(key: string, pod: Obj | undefined): void {
    if (!this.scheduled.delete(key)) return;
    if (pod && !deletionTimestamp(pod)) this.recorder?.event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  async reconcile(key: string): Promise<void> {
    const pod = this.pods.lister.getByKey(key);
    if (!pod || deletionTimestamp(pod)) {
      this.scheduled.delete(key);
      return;
    }
    const nodeName = field(pod, 'spec', 'nodeName');
    const node = typeof nodeName === 'string' && nodeName ? this.nodes.lister.get(undefined, nodeName) : undefined;
    const taints = nodeTaints(node).filter((t) => t.effect === 'NoExecute');
    if (taints.length === 0) {
      this.cancel(key, pod);
      return;
    }
    const now = this.deps.clock.now();
    const { all, used } = matchingTolerations(taints, podTolerations(pod));
    if (!all) {
      await this.evict(key, pod, now);
      return;
    }
    const min = minTolerationMs(used);
    if (min < 0) {
      this.cancel(key, pod);
      return;
    }
    let since = this.scheduled.get(key);
    if (since === undefined) this.scheduled.set(key, (since = now));
    const due = since + min;
    if (due <= now) await this.evict(key, pod, now);
    else this.queue?.addAfter(key, due - now);
  }

  private async evict(key: string, pod: Obj, now: number): Promise<void> {
    const { namespace: ns, name: podName } = splitKey(key);
    this.recorder?.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    try {
      const condition = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: rfc3339(now) };
      await this.podClient.patch(ns, podName, 'strategic', { status: { conditions: [condition] } }, { subresource: 'status' });
      await this.podClient.delete(ns, podName, { preconditions: { uid: uid(pod) } });
    } catch (err) {
      if (!isNotFound(err) && (err as { code?: number }).code !== 409) throw err;
    }
    this.scheduled.delete(key);
  }
}
