// Golden filter statuses and scores of the in-tree plugins over pure snapshots.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Framework } from '../../src/scheduler/framework/framework.js';
import { podInfoOf } from '../../src/scheduler/framework/pod-info.js';
import { Snapshot } from '../../src/scheduler/framework/snapshot.js';
import { CODE_NAMES } from '../../src/scheduler/framework/status.js';
import { defaultPlugins, IN_TREE_PLUGINS } from '../../src/scheduler/registry.js';
import { scheduleOne } from '../../src/scheduler/schedule-one.js';
import type { Obj } from '../../src/client/types.js';
import { node, pod } from './fixtures.js';

/** Runs PreFilter then Filter on every node: "node: Code reason" per node. */
function filterAll(nodes: Obj[], existing: Obj[], incoming: Obj): string[] {
  const snapshot = new Snapshot();
  for (const n of nodes) snapshot.setNode(n);
  for (const p of existing) snapshot.addPod(p);
  const fw = new Framework({ registry: IN_TREE_PLUGINS, plugins: defaultPlugins(), snapshot });
  const state = fw.newCycleState();
  const info = podInfoOf(incoming);
  const pre = fw.runPreFilterPlugins(state, info, snapshot.nodeInfos());
  assert.equal(pre.status.isSuccess(), true, pre.status.message());
  return snapshot.nodeInfos().map((n) => {
    const s = fw.runFilterPlugins(state, info, n);
    return s.isSuccess() ? `${n.name}: Success` : `${n.name}: ${CODE_NAMES[s.code]} ${s.message()} [${s.plugin}]`;
  });
}

describe('filters', () => {
  test('NodeUnschedulable, NodeName, NodePorts', () => {
    const nodes = [node('cordoned', { unschedulable: true }), node('busy'), node('free')];
    const withPort = (name: string, extra: Record<string, unknown> = {}) => pod(name, { spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }], ...extra } });
    assert.deepEqual(filterAll(nodes, [{ ...withPort('holder'), spec: { ...(withPort('holder').spec as object), nodeName: 'busy' } }], withPort('p')), [
      'cordoned: UnschedulableAndUnresolvable node(s) were unschedulable [NodeUnschedulable]',
      "busy: Unschedulable node(s) didn't have free ports for the requested pod ports [NodePorts]",
      'free: Success',
    ]);
    assert.deepEqual(filterAll([node('a'), node('b')], [], pod('p', { nodeName: 'b' })), ["a: UnschedulableAndUnresolvable node(s) didn't match the requested node name [NodeName]", 'b: Success']);
  });

  test('NodeAffinity operators and matchFields', () => {
    const nodes = [node('small', { labels: { size: '2', tier: 'web' } }), node('large', { labels: { size: '8' } })];
    const affinity = (terms: unknown[]) => pod('p', { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } } });
    const miss = "UnschedulableAndUnresolvable node(s) didn't match Pod's node affinity/selector [NodeAffinity]";
    assert.deepEqual(filterAll(nodes, [], affinity([{ matchExpressions: [{ key: 'size', operator: 'Gt', values: ['4'] }] }])), [`small: ${miss}`, 'large: Success']);
    assert.deepEqual(filterAll(nodes, [], affinity([{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }])), [`small: ${miss}`, 'large: Success']);
    assert.deepEqual(filterAll(nodes, [], affinity([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['small'] }] }])), ['small: Success', `large: ${miss}`]);
    assert.deepEqual(filterAll(nodes, [], pod('p', { spec: { nodeSelector: { tier: 'web' } } })), ['small: Success', `large: ${miss}`]);
  });

  test('NodeResourcesFit lists every insufficient resource; Too many pods', () => {
    const nodes = [node('n', { cpu: '1', memory: '1Gi', pods: '1', extra: { 'example.com/gpu': '1' } })];
    const p = pod('p', { spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '2', memory: '2Gi', 'example.com/gpu': '2' } } }] } });
    assert.deepEqual(filterAll(nodes, [pod('x', { nodeName: 'n' })], p), ['n: Unschedulable Too many pods, Insufficient cpu, Insufficient memory, Insufficient example.com/gpu [NodeResourcesFit]']);
  });

  test('PodTopologySpread: skew and the missing label', () => {
    const nodes = [node('a', { labels: { zone: 'a' } }), node('b', { labels: { zone: 'b' } }), node('nolabel')];
    const tsc = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'w' } } }] };
    assert.deepEqual(filterAll(nodes, [pod('x', { nodeName: 'a', labels: { app: 'w' } })], pod('p', { labels: { app: 'w' }, spec: tsc })), [
      "a: Unschedulable node(s) didn't match pod topology spread constraints [PodTopologySpread]",
      'b: Success',
      "nolabel: UnschedulableAndUnresolvable node(s) didn't match pod topology spread constraints (missing required label) [PodTopologySpread]",
    ]);
  });

  test('InterPodAffinity: affinity, anti-affinity and existing pods anti-affinity', () => {
    const nodes = [node('a'), node('b'), node('c')];
    const term = (app: string) => [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app } } }];
    const existing = [
      pod('db', { nodeName: 'a', labels: { app: 'db' } }),
      pod('loner', { nodeName: 'c', labels: { app: 'loner' }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('web') } } } }),
    ];
    assert.deepEqual(filterAll(nodes, existing, pod('p', { labels: { app: 'web' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('db') } } } })), [
      'a: Success',
      "b: UnschedulableAndUnresolvable node(s) didn't match pod affinity rules [InterPodAffinity]",
      "c: UnschedulableAndUnresolvable node(s) didn't match pod affinity rules [InterPodAffinity]",
    ]);
    assert.deepEqual(filterAll(nodes, existing, pod('p', { labels: { app: 'web' }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('db') } } } })), [
      "a: Unschedulable node(s) didn't match pod anti-affinity rules [InterPodAffinity]",
      'b: Success',
      "c: Unschedulable node(s) didn't satisfy existing pods anti-affinity rules [InterPodAffinity]",
    ]);
  });
});

describe('scores', () => {
  function scores(nodes: Obj[], existing: Obj[], incoming: Obj, plugin: string): Record<string, number> {
    const snapshot = new Snapshot();
    for (const n of nodes) snapshot.setNode(n);
    for (const p of existing) snapshot.addPod(p);
    const fw = new Framework({ registry: IN_TREE_PLUGINS, plugins: [{ name: plugin }], snapshot });
    const state = fw.newCycleState();
    const info = podInfoOf(incoming);
    fw.runPreScorePlugins(state, info, snapshot.nodeInfos());
    const { totals } = fw.runScorePlugins(state, info, snapshot.nodeInfos());
    return Object.fromEntries(totals.map((t) => [t.name, t.score]));
  }

  test('TaintToleration: fewer untolerated PreferNoSchedule taints is better', () => {
    const nodes = [node('clean'), node('one', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }] }), node('two', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }] })];
    assert.deepEqual(scores(nodes, [], pod('p'), 'TaintToleration'), { clean: 100, one: 50, two: 0 });
  });

  test('NodeResourcesFit LeastAllocated and MostAllocated', () => {
    const nodes = [node('empty', { cpu: '4', memory: '8Gi' }), node('half', { cpu: '4', memory: '8Gi' })];
    const existing = [pod('x', { nodeName: 'half', cpu: '2', memory: '4Gi' })];
    const p = pod('p', { cpu: '1', memory: '2Gi' });
    assert.deepEqual(scores(nodes, existing, p, 'NodeResourcesFit'), { empty: 75, half: 25 });
    const snapshot = new Snapshot();
    for (const n of nodes) snapshot.setNode(n);
    for (const e of existing) snapshot.addPod(e);
    const fw = new Framework({ registry: IN_TREE_PLUGINS, plugins: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }], snapshot });
    const { totals } = fw.runScorePlugins(fw.newCycleState(), podInfoOf(p), snapshot.nodeInfos());
    assert.deepEqual(totals.map((t) => t.score), [25, 75]);
  });

  test('NodeAffinity preferred terms', () => {
    const nodes = [node('ssd', { labels: { disk: 'ssd' } }), node('hdd', { labels: { disk: 'hdd' } })];
    const p = pod('p', { spec: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] } } } });
    assert.deepEqual(scores(nodes, [], p, 'NodeAffinity'), { ssd: 100, hdd: 0 });
  });
});

describe('PodTopologySpread details', () => {
  const zoneNodes = () => [node('a1', { labels: { zone: 'a' } }), node('b1', { labels: { zone: 'b' } })];
  const spread = (extra: Record<string, unknown> = {}) => ({
    labels: { app: 'w' },
    spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'w' } }, ...extra }] },
  });
  const existing = () => [pod('x', { nodeName: 'a1', labels: { app: 'w' } }), pod('y', { nodeName: 'b1', labels: { app: 'w' } })];
  const miss = "Unschedulable node(s) didn't match pod topology spread constraints [PodTopologySpread]";

  test('minDomains above the number of domains makes the global minimum 0', () => {
    assert.deepEqual(filterAll(zoneNodes(), existing(), pod('p', spread())), ['a1: Success', 'b1: Success']);
    assert.deepEqual(filterAll(zoneNodes(), existing(), pod('p', spread({ minDomains: 3 }))), [`a1: ${miss}`, `b1: ${miss}`]);
  });

  test('nodeAffinityPolicy Honor leaves out domains the pod cannot use; Ignore counts them', () => {
    const nodes = [...zoneNodes(), node('c1', { labels: { zone: 'c', pool: 'x' } })];
    const p = (policy: string) => {
      const s = spread({ nodeAffinityPolicy: policy });
      return pod('p', { labels: s.labels, spec: { ...s.spec, nodeSelector: { pool: 'x' } } });
    };
    // Honor: only zone c counts, min 0 there; Ignore: zone c with 0 pods is the minimum either way.
    assert.deepEqual(filterAll(nodes, [pod('z', { nodeName: 'c1', labels: { app: 'w' } })], p('Honor'))[2], 'c1: Success');
    assert.deepEqual(filterAll(nodes, [pod('z', { nodeName: 'c1', labels: { app: 'w' } })], p('Ignore'))[2], `c1: ${miss}`);
  });

  test('two constraints take the general path; matchLabelKeys narrows the selector', () => {
    const nodes = [node('a1', { labels: { zone: 'a' } }), node('a2', { labels: { zone: 'a' } }), node('b1', { labels: { zone: 'b' } })];
    const tsc = [
      { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'w' } }, matchLabelKeys: ['rev'] },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'w' } }, matchLabelKeys: ['rev'] },
    ];
    const old = [pod('o1', { nodeName: 'a1', labels: { app: 'w', rev: '1' } }), pod('o2', { nodeName: 'a2', labels: { app: 'w', rev: '1' } })];
    // Pods of revision 1 do not count for revision 2: every node is open.
    assert.deepEqual(filterAll(nodes, old, pod('p', { labels: { app: 'w', rev: '2' }, spec: { topologySpreadConstraints: tsc } })), ['a1: Success', 'a2: Success', 'b1: Success']);
    assert.deepEqual(filterAll(nodes, old, pod('p', { labels: { app: 'w', rev: '1' }, spec: { topologySpreadConstraints: tsc } })), [`a1: ${miss}`, `a2: ${miss}`, 'b1: Success']);
  });

  test('ScheduleAnyway scores the emptier domain higher; cluster defaults apply to pods without constraints', () => {
    const nodes = [node('h1', { labels: { 'topology.kubernetes.io/zone': 'a' } }), node('h2', { labels: { 'topology.kubernetes.io/zone': 'b' } })];
    const others = [pod('x1', { nodeName: 'h1', labels: { app: 'w' } }), pod('x2', { nodeName: 'h1', labels: { app: 'w' } })];
    const snapshot = new Snapshot();
    for (const n of nodes) snapshot.setNode(n);
    for (const p of others) snapshot.addPod(p);
    const fw = new Framework({
      registry: IN_TREE_PLUGINS,
      plugins: [{ name: 'PodTopologySpread' }],
      snapshot,
      defaultSpreadSelector: (p) => (p.labels.app === 'w' ? { requirements: [{ key: 'app', operator: 'Equals', values: ['w'] }] } : undefined),
    });
    const info = podInfoOf(pod('p', { labels: { app: 'w' } }));
    const state = fw.newCycleState();
    fw.runPreScorePlugins(state, info, snapshot.nodeInfos());
    const { totals } = fw.runScorePlugins(state, info, snapshot.nodeInfos());
    assert.ok(totals[1].score > totals[0].score, JSON.stringify(totals));
    assert.equal(totals[1].score, 100);
  });
});

describe('InterPodAffinity scores', () => {
  test('preferred affinity pulls toward the domain of matching pods; anti-affinity pushes away', () => {
    const nodes = [node('a'), node('b')];
    const existing = [pod('db', { nodeName: 'a', labels: { app: 'db' } })];
    const term = { weight: 50, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } } };
    const run = (aff: Record<string, unknown>) => {
      const snapshot = new Snapshot();
      for (const n of nodes) snapshot.setNode(n);
      for (const p of existing) snapshot.addPod(p);
      const fw = new Framework({ registry: IN_TREE_PLUGINS, plugins: [{ name: 'InterPodAffinity' }], snapshot });
      const info = podInfoOf(pod('p', { spec: { affinity: aff } }));
      const state = fw.newCycleState();
      fw.runPreScorePlugins(state, info, snapshot.nodeInfos());
      return fw.runScorePlugins(state, info, snapshot.nodeInfos()).totals.map((t) => t.score);
    };
    assert.deepEqual(run({ podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [term] } }), [100, 0]);
    assert.deepEqual(run({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [term] } }), [0, 100]);
  });
});

describe('PodTopologySpread tallies kept between cycles', () => {
  test('filter outcomes match a fresh count after pods come and go', () => {
    const nodes = Array.from({ length: 12 }, (_, i) => node(`n${i}`, { labels: { zone: `z${i % 4}` } }));
    const live = new Snapshot();
    for (const n of nodes) live.setNode(n);
    const fw = new Framework({ registry: IN_TREE_PLUGINS, plugins: defaultPlugins(), snapshot: live });
    const tsc = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'w' } } }] };
    const placed: Obj[] = [];
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let step = 0; step < 60; step++) {
      if (placed.length && rnd() < 0.3) {
        const [gone] = placed.splice(Math.floor(rnd() * placed.length), 1);
        live.removePod(`default/${(gone.metadata as { name: string }).name}`);
      } else {
        const p = pod(`p${step}`, { labels: { app: 'w' }, spec: tsc });
        const out = scheduleOne(fw, live, p);
        if (out.kind === 'scheduled') placed.push({ ...p, spec: { ...(p.spec as object), nodeName: out.nodeName } });
      }
      const probe = pod('probe', { labels: { app: 'w' }, spec: tsc });
      const fresh = filterAll(nodes, placed, probe);
      const state = fw.newCycleState();
      const info = podInfoOf(probe);
      fw.runPreFilterPlugins(state, info, live.nodeInfos());
      const seen = live.nodeInfos().map((n) => {
        const s = fw.runFilterPlugins(state, info, n);
        return s.isSuccess() ? `${n.name}: Success` : `${n.name}: ${CODE_NAMES[s.code]} ${s.message()} [${s.plugin}]`;
      });
      assert.deepEqual(seen, fresh, `step ${step}`);
    }
  });
});

describe('InterPodAffinity label index', () => {
  test('indexed and unindexable selectors of the same meaning place pods alike', () => {
    const nodes = Array.from({ length: 6 }, (_, i) => node(`n${i}`, { labels: { zone: `z${i % 2}` } }));
    const run = (indexable: boolean) => {
      const snapshot = new Snapshot();
      for (const n of nodes) snapshot.setNode(n);
      let seed = 11;
      const fw = new Framework({ registry: IN_TREE_PLUGINS, plugins: defaultPlugins(), snapshot, random: () => (seed = (seed * 48271) % 2147483647) / 2147483647 });
      const sel = (group: string) => (indexable ? { matchLabels: { group } } : { matchExpressions: [{ key: 'group', operator: 'In', values: [group, 'never'] }] });
      const placements: string[] = [];
      snapshot.addPod(pod('db', { nodeName: 'n1', labels: { group: 'db' } }));
      for (let i = 0; i < 16; i++) {
        const group = `g${i % 3}`;
        const affinity: Record<string, unknown> = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: sel(group) }] } };
        if (i % 4 === 0) affinity.podAffinity = { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: sel('db') }] };
        const out = scheduleOne(fw, snapshot, pod(`p${i}`, { labels: { group }, spec: { affinity } }));
        placements.push(out.kind === 'scheduled' ? out.nodeName : out.kind === 'unschedulable' ? out.error.message.split('.')[0] : 'error');
      }
      return placements;
    };
    const indexed = run(true);
    assert.deepEqual(indexed, run(false));
    // Anti-affinity keeps each group to one pod per node: six per group at most; the 16 fit.
    assert.equal(indexed.filter((p) => p.startsWith('n')).length, 16);
    // Pods with affinity to the db pod land in its zone.
    for (let i = 0; i < 16; i += 4) assert.equal(Number(indexed[i].slice(1)) % 2, 1, indexed[i]);
  });
});
