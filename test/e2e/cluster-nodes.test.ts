// `kumo apiserver --nodes 3 --time-scale 10` driven by kubectl and helm: `kubectl drain` held by a
// PodDisruptionBudget, `helm install --wait` of the `helm create` chart, and the runtime node
// controls (a node that stops heartbeating goes NotReady and is tainted; a deleted Node leaves the
// pool and its pods are collected).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { kubectl, run, startApiServer, type TestApiServer } from '../helpers/apiserver.js';
import { eventually } from '../helpers/wait.js';

async function json(server: TestApiServer, args: string[]): Promise<any> {
  return JSON.parse(await kubectl(server, [...args, '-o', 'json']));
}

function readyCondition(node: any): string | undefined {
  return node.status?.conditions?.find((c: any) => c.type === 'Ready')?.status;
}

test('kumo apiserver --nodes 3: drain, helm --wait and node controls', async (t) => {
  const server = await startApiServer(t, { storage: 'memory', extraArgs: ['--nodes', '3', '--time-scale', '10'] });
  const nodeNames = (await json(server, ['get', 'nodes'])).items.map((n: any) => n.metadata.name).sort() as string[];
  const [first, second, third] = nodeNames;
  const podsOf = async (selector: string) => (await json(server, ['get', 'pods', '-l', selector])).items as any[];
  // Made first, looked at last: at --time-scale 10 a simulated minute passes every 6 s.
  const cronCreated = Date.now();
  await kubectl(server, ['apply', '-f', '-'], {
    input: `apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: {kumo.dev/run-seconds: "2"}
        spec:
          restartPolicy: Never
          containers: [{name: tick, image: busybox}]
`,
  });

  await t.test('kubectl drain waits on a PDB with minAvailable 2 until replacements are Ready', async () => {
    // All three replicas on one node, so the drain must evict them one disruption at a time.
    await kubectl(server, ['cordon', second, third]);
    await kubectl(server, ['create', 'deployment', 'guarded', '--image=nginx', '--replicas=3']);
    await kubectl(server, ['rollout', 'status', 'deployment/guarded', '--timeout=30s']);
    assert.deepEqual((await podsOf('app=guarded')).map((p) => p.spec.nodeName), [first, first, first]);
    await kubectl(server, ['uncordon', second, third]);
    await kubectl(server, ['create', 'poddisruptionbudget', 'guarded', '--selector=app=guarded', '--min-available=2']);
    await eventually('PDB status', async () => ((await json(server, ['get', 'pdb', 'guarded'])).status?.disruptionsAllowed === 1 ? true : undefined));

    const drain = await run(server, 'kubectl', ['drain', first, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=90s'], { timeoutMs: 100_000 });
    assert.equal(drain.code, 0, drain.stderr + drain.stdout);
    const out = drain.stdout + drain.stderr;
    assert.match(out, /Cannot evict pod as it would violate the pod's disruption budget/);
    assert.match(out, new RegExp(`node/${first.replace(/\./g, '\\.')} drained`));

    await kubectl(server, ['rollout', 'status', 'deployment/guarded', '--timeout=30s']);
    const pods = await podsOf('app=guarded');
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.notEqual(p.spec.nodeName, first);
      assert.equal(p.status.conditions.find((c: any) => c.type === 'Ready')?.status, 'True');
    }
    const node = await json(server, ['get', 'node', first]);
    assert.equal(node.spec.unschedulable, true);
    await kubectl(server, ['uncordon', first]);
  });

  await t.test('helm install --wait of the helm create chart', async () => {
    const work = join(server.dataDir, 'charts');
    mkdirSync(work, { recursive: true });
    const created = await run(server, 'helm', ['create', 'demo'], { cwd: work });
    assert.equal(created.code, 0, created.stderr);
    const started = Date.now();
    const installed = await run(server, 'helm', ['install', 'demo', './demo', '--wait', '--timeout', '60s'], { cwd: work, timeoutMs: 90_000 });
    t.diagnostic(`helm install --wait: ${Date.now() - started} ms`);
    assert.equal(installed.code, 0, installed.stderr + installed.stdout);
    assert.match(installed.stdout, /STATUS: deployed/);
    const deploy = await json(server, ['get', 'deployment', 'demo']);
    assert.equal(deploy.status.readyReplicas, 1);
  });

  await t.test('annotation kumo.dev/heartbeat=stopped makes a node NotReady; removing it brings it back', async () => {
    await kubectl(server, ['annotate', 'node', third, 'kumo.dev/heartbeat=stopped']);
    // node-monitor-grace-period (40 s of simulated time) passes; the node controller marks it.
    const silent = await eventually('node NotReady', async () => {
      const n = await json(server, ['get', 'node', third]);
      return readyCondition(n) === 'Unknown' ? n : undefined;
    });
    assert.ok(silent.spec.taints.some((x: any) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoExecute'));
    await kubectl(server, ['annotate', 'node', third, 'kumo.dev/heartbeat-']);
    const back = await eventually('node Ready again', async () => {
      const n = await json(server, ['get', 'node', third]);
      return readyCondition(n) === 'True' && !(n.spec.taints ?? []).some((x: any) => x.key.startsWith('node.kubernetes.io/')) ? n : undefined;
    });
    assert.equal(readyCondition(back), 'True');
  });

  await t.test('deleting a Node removes it from the pool and its pods are collected', async () => {
    const onThird = async () => (await json(server, ['get', 'pods', '-A', '--field-selector', `spec.nodeName=${third}`])).items as any[];
    await kubectl(server, ['create', 'deployment', 'spread', '--image=nginx', '--replicas=6']);
    await kubectl(server, ['rollout', 'status', 'deployment/spread', '--timeout=30s']);
    assert.ok((await onThird()).length > 0, 'some pods run on the node about to go');
    await kubectl(server, ['delete', 'node', third]);
    await eventually('pods of the deleted node collected', async () => ((await onThird()).length === 0 ? true : undefined));
    await kubectl(server, ['rollout', 'status', 'deployment/spread', '--timeout=30s']);
    const nodes = (await json(server, ['get', 'nodes'])).items.map((n: any) => n.metadata.name).sort();
    assert.deepEqual(nodes, [first, second]);
  });

  await t.test('a CronJob fires on simulated time and its Job completes', async () => {
    const job = await eventually('a completed Job of the CronJob', async () => {
      const jobs = (await json(server, ['get', 'jobs'])).items as any[];
      return jobs.find((j) => j.metadata.ownerReferences?.some((o: any) => o.kind === 'CronJob' && o.name === 'tick') && j.status?.conditions?.some((c: any) => c.type === 'Complete' && c.status === 'True'));
    });
    assert.match(job.metadata.name, /^tick-\d+$/);
    const cron = await json(server, ['get', 'cronjob', 'tick']);
    assert.ok(cron.status.lastScheduleTime);
    t.diagnostic(`first CronJob run complete ${Date.now() - cronCreated} ms after it was created (wall time)`);
  });

  await t.test('ConfigMap kube-system/kumo-node-pool sets the pool size', async () => {
    const nodeList = async () => (await json(server, ['get', 'nodes'])).items as any[];
    await kubectl(server, ['-n', 'kube-system', 'create', 'configmap', 'kumo-node-pool', '--from-literal=nodes=4']);
    const grown = await eventually('four nodes', async () => {
      const list = await nodeList();
      return list.length === 4 ? list : undefined;
    });
    await kubectl(server, ['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=30s']);
    assert.ok(grown.every((n) => n.metadata.labels['node.kubernetes.io/instance-type'] === 'm5.large'));
    assert.deepEqual(new Set(grown.map((n) => n.metadata.labels['topology.kubernetes.io/zone'])).size, 3);

    await kubectl(server, ['-n', 'kube-system', 'patch', 'configmap', 'kumo-node-pool', '-p', '{"data":{"nodes":"2"}}']);
    const shrunk = await eventually('two nodes', async () => {
      const list = await nodeList();
      return list.length === 2 ? list : undefined;
    });
    // The newest nodes go first.
    assert.deepEqual(shrunk.map((n) => n.metadata.name).sort(), [first, second]);

    // A deleted Node is replaced while the pool has a desired size (the freed address, and so the
    // name, may be reused: the replacement is told apart by its uid).
    const goneUid = shrunk.find((n) => n.metadata.name === second).metadata.uid;
    await kubectl(server, ['delete', 'node', second]);
    await eventually('a replacement node', async () => {
      const list = await nodeList();
      return list.length === 2 && !list.some((n) => n.metadata.uid === goneUid) ? list : undefined;
    });
    await kubectl(server, ['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=30s']);

    // Bad input changes nothing and is reported on the ConfigMap.
    await kubectl(server, ['-n', 'kube-system', 'patch', 'configmap', 'kumo-node-pool', '-p', '{"data":{"nodes":"many"}}']);
    const warning = await eventually('an InvalidNodePool event', async () => {
      const ev = await json(server, ['-n', 'kube-system', 'get', 'events', '--field-selector', 'involvedObject.name=kumo-node-pool,reason=InvalidNodePool']);
      return ev.items[0];
    });
    assert.equal(warning.type, 'Warning');
    assert.equal(warning.message, 'data.nodes must be a non-negative integer, got "many"; the node pool is left as it is');
    assert.equal((await nodeList()).length, 2);
  });
});
