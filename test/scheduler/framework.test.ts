// The framework: requests with init containers and sidecars, the adaptive percentage of nodes to
// score, FitError messages, and whole scheduling cycles over in-memory snapshots.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fitErrorMessage, newDiagnosis } from '../../src/scheduler/framework/fit-error.js';
import { Framework } from '../../src/scheduler/framework/framework.js';
import { numFeasibleNodesToFind } from '../../src/scheduler/framework/percentage.js';
import { podInfoOf } from '../../src/scheduler/framework/pod-info.js';
import { podRequests } from '../../src/scheduler/framework/resources.js';
import { Snapshot } from '../../src/scheduler/framework/snapshot.js';
import { Status } from '../../src/scheduler/framework/status.js';
import { defaultPlugins, IN_TREE_PLUGINS } from '../../src/scheduler/registry.js';
import { scheduleOne } from '../../src/scheduler/schedule-one.js';
import { node, pod } from './fixtures.js';

function cluster(nodes: ReturnType<typeof node>[], pods: ReturnType<typeof pod>[] = []) {
  const snapshot = new Snapshot();
  for (const n of nodes) snapshot.setNode(n);
  for (const p of pods) snapshot.addPod(p);
  let seed = 1;
  const fw = new Framework({ registry: IN_TREE_PLUGINS, plugins: defaultPlugins(), snapshot, random: () => ((seed = (seed * 16807) % 2147483647) / 2147483647) });
  return { snapshot, fw };
}

describe('pod requests', () => {
  test('max(sum of containers, largest init container) plus sidecars and overhead', () => {
    const r = podRequests({
      containers: [{ name: 'a', resources: { requests: { cpu: '100m', memory: '100Mi' } } }, { name: 'b', resources: { requests: { cpu: '200m' } } }],
      initContainers: [
        { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '50m' } } },
        { name: 'init', resources: { requests: { cpu: '1', memory: '50Mi' } } },
      ],
      overhead: { cpu: '10m' },
    });
    // app 300m + sidecar 50m = 350m; init 1000m + sidecar started before it 50m = 1050m; + 10m overhead.
    assert.equal(r.milliCPU, 1060);
    assert.equal(r.memory, 100 * 1024 * 1024);
  });

  test('limits stand in for missing requests; non-zero defaults for scoring', () => {
    const spec = { containers: [{ name: 'a', resources: { limits: { cpu: '2' } } }] };
    assert.equal(podRequests(spec).milliCPU, 2000);
    assert.equal(podRequests(spec, true).memory, 200 * 1024 * 1024);
  });
});

describe('percentageOfNodesToScore', () => {
  test('adaptive default: all below 100, 50% at 100 nodes falling to 5%, never below 100 nodes', () => {
    assert.equal(numFeasibleNodesToFind(50, undefined), 50);
    assert.equal(numFeasibleNodesToFind(100, undefined), 100);
    assert.equal(numFeasibleNodesToFind(1000, undefined), 420);
    assert.equal(numFeasibleNodesToFind(5000, undefined), 500);
    assert.equal(numFeasibleNodesToFind(20000, undefined), 1000);
    assert.equal(numFeasibleNodesToFind(1000, 5), 100);
    assert.equal(numFeasibleNodesToFind(1000, 30), 300);
  });
});

describe('FitError', () => {
  test('reason histogram sorted, then the preemption message', () => {
    const d = newDiagnosis();
    d.nodeToStatus.set('a', Status.unresolvable('node(s) had untolerated taint {node.kubernetes.io/unschedulable: }'));
    d.nodeToStatus.set('b', Status.unschedulable('Insufficient cpu'));
    d.nodeToStatus.set('c', Status.unschedulable('Insufficient cpu'));
    d.postFilterMsg = 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    assert.equal(
      fitErrorMessage(3, d),
      '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unschedulable: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });

  test('a pod too big for every node', () => {
    const { fw, snapshot } = cluster([node('n1', { cpu: '1' }), node('n2', { cpu: '1' }), node('n3', { cpu: '1', taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] })]);
    const out = scheduleOne(fw, snapshot, pod('big', { cpu: '2' }));
    assert.equal(out.kind, 'unschedulable');
    assert.equal(
      out.kind === 'unschedulable' && out.error.message,
      '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unschedulable: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });
});

describe('scheduleOne', () => {
  test('assumes the pod so the next one sees it', () => {
    const { fw, snapshot } = cluster([node('n1', { cpu: '1' }), node('n2', { cpu: '1' })]);
    const a = scheduleOne(fw, snapshot, pod('a', { cpu: '700m' }));
    const b = scheduleOne(fw, snapshot, pod('b', { cpu: '700m' }));
    assert.equal(a.kind, 'scheduled');
    assert.equal(b.kind, 'scheduled');
    assert.notEqual(a.kind === 'scheduled' && a.nodeName, b.kind === 'scheduled' && b.nodeName);
    const c = scheduleOne(fw, snapshot, pod('c', { cpu: '700m' }));
    assert.equal(c.kind === 'unschedulable' && c.error.message.startsWith('0/2 nodes are available: 2 Insufficient cpu.'), true);
  });

  test('LeastAllocated prefers the emptier node', () => {
    const { fw, snapshot } = cluster([node('n1'), node('n2')], [pod('x', { cpu: '3', nodeName: 'n1' })]);
    const out = scheduleOne(fw, snapshot, pod('a', { cpu: '100m' }));
    assert.equal(out.kind === 'scheduled' && out.nodeName, 'n2');
  });

  test('room on a node is kept for a higher-priority pod nominated to it', () => {
    const snapshot = new Snapshot();
    snapshot.setNode(node('n1', { cpu: '1' }));
    const nominated = podInfoOf(pod('preemptor', { cpu: '800m', priority: 100, spec: {} }));
    const fw = new Framework({ registry: IN_TREE_PLUGINS, plugins: defaultPlugins(), snapshot, nominatedPods: (n) => (n === 'n1' ? [nominated] : []) });
    const low = scheduleOne(fw, snapshot, pod('low', { cpu: '800m', priority: 1 }));
    assert.equal(low.kind === 'unschedulable' && low.error.message.startsWith('0/1 nodes are available: 1 Insufficient cpu.'), true);
    const same = scheduleOne(fw, snapshot, pod('peer', { cpu: '100m', priority: 100 }));
    assert.equal(same.kind === 'scheduled' && same.nodeName, 'n1');
  });

  test('preemption picks the node with the lowest-priority victims', () => {
    const { fw, snapshot } = cluster(
      [node('n1', { cpu: '1' }), node('n2', { cpu: '1' })],
      [pod('low', { cpu: '1', nodeName: 'n1', priority: 1 }), pod('mid', { cpu: '1', nodeName: 'n2', priority: 5 })],
    );
    const out = scheduleOne(fw, snapshot, pod('high', { cpu: '1', priority: 10 }));
    assert.equal(out.kind, 'unschedulable');
    if (out.kind !== 'unschedulable') return;
    assert.equal(out.postFilter?.nominatedNodeName, 'n1');
    assert.deepEqual(out.postFilter?.victims?.map((v) => v.name), ['low']);
    assert.equal(out.error.message, '0/2 nodes are available: 2 Insufficient cpu.');
  });

  test('preemption avoids a node whose victim a PodDisruptionBudget protects', () => {
    const snapshot = new Snapshot();
    snapshot.setNode(node('n1', { cpu: '1' }));
    snapshot.setNode(node('n2', { cpu: '1' }));
    snapshot.addPod(pod('guarded', { cpu: '1', nodeName: 'n1', priority: 1, labels: { app: 'db' } }));
    snapshot.addPod(pod('free', { cpu: '1', nodeName: 'n2', priority: 5, labels: { app: 'web' } }));
    const fw = new Framework({
      registry: IN_TREE_PLUGINS,
      plugins: defaultPlugins(),
      snapshot,
      pdbs: () => [{ namespace: 'default', selector: { requirements: [{ key: 'app', operator: 'Equals', values: ['db'] }] }, disruptionsAllowed: 0, disruptedPods: new Set() }],
    });
    const out = scheduleOne(fw, snapshot, pod('high', { cpu: '1', priority: 10 }));
    assert.equal(out.kind === 'unschedulable' && out.postFilter?.nominatedNodeName, 'n2');
  });

  test('preemptionPolicy Never does not preempt', () => {
    const { fw, snapshot } = cluster([node('n1', { cpu: '1' })], [pod('low', { cpu: '1', nodeName: 'n1', priority: 1 })]);
    const out = scheduleOne(fw, snapshot, pod('high', { cpu: '1', priority: 10, spec: { preemptionPolicy: 'Never' } }));
    assert.equal(out.kind === 'unschedulable' && out.error.message, '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
  });
});
