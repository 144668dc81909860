// `kumo apiserver --nodes 3` as a cluster, driven by kubectl: rollouts, scaling, scheduling
// (topology spread, taints, an unschedulable pod), DaemonSets, Jobs, Services with EndpointSlices,
// namespace deletion, `kubectl top` and `kubectl logs`. One server for all checks.
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, run, startApiServer, type TestApiServer } from '../helpers/apiserver.js';
import { eventually } from '../helpers/wait.js';

async function json(server: TestApiServer, args: string[]): Promise<any> {
  return JSON.parse(await kubectl(server, [...args, '-o', 'json']));
}

/** The complete JSON values of a stream of concatenated ones (`kubectl get -w -o json`). */
function jsonStream(text: string): any[] {
  const out: any[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') {
      if (depth++ === 0) start = i;
    } else if (ch === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
  }
  return out;
}

test('kumo apiserver --nodes 3 runs workloads as a cluster', async (t) => {
  const server = await startApiServer(t, { storage: 'memory', extraArgs: ['--nodes', '3'] });
  const nodes = await json(server, ['get', 'nodes']);
  const zoneOf = new Map<string, string>(nodes.items.map((n: any) => [n.metadata.name, n.metadata.labels['topology.kubernetes.io/zone']]));
  const podsOf = async (selector: string, ns = 'default') => (await json(server, ['-n', ns, 'get', 'pods', '-l', selector])).items as any[];

  await t.test('three nodes, Ready, one per zone', async () => {
    assert.equal(nodes.items.length, 3);
    assert.deepEqual([...zoneOf.values()].sort(), ['us-east-1a', 'us-east-1b', 'us-east-1c']);
    await kubectl(server, ['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=30s']);
  });

  await t.test('create deployment and rollout status', async () => {
    const started = Date.now();
    await kubectl(server, ['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
    const out = await kubectl(server, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const elapsed = Date.now() - started;
    t.diagnostic(`create deployment → rollout status done: ${elapsed} ms`);
    assert.match(out, /deployment "web" successfully rolled out/);
    // Target: within a second; a loaded shared machine gets some slack.
    assert.ok(elapsed < 5000, `rollout took ${elapsed} ms`);
    const pods = await podsOf('app=web');
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.equal(p.status.phase, 'Running');
      assert.ok(p.status.podIP && p.status.hostIP && p.spec.nodeName);
    }
  });

  await t.test('set image, then rollout undo', async () => {
    // Every pod event of the rollout, seen through a watch: with 3 replicas maxUnavailable 25%
    // rounds down to 0, so at no moment may fewer than 3 live (non-terminating) pods be Ready.
    const watcher = spawn('kubectl', ['get', 'pods', '-l', 'app=web', '-w', '--output-watch-events', '-o', 'json'], { env: server.env });
    t.after(() => watcher.kill('SIGKILL'));
    let stream = '';
    watcher.stdout.on('data', (c: Buffer) => (stream += c.toString()));
    const events = () => jsonStream(stream);
    await eventually('the watch lists the three pods', async () => (events().length >= 3 ? true : undefined));

    await kubectl(server, ['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
    await kubectl(server, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
    await eventually('the watch sees the three old pods go', async () => (events().filter((e) => e.type === 'DELETED').length >= 3 ? true : undefined));
    watcher.kill('SIGKILL');
    const live = new Map<string, boolean>();
    let minReady = Infinity;
    for (const [i, ev] of events().entries()) {
      const name = ev.object.metadata.name;
      if (ev.type === 'DELETED' || ev.object.metadata.deletionTimestamp) live.delete(name);
      else live.set(name, ev.object.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ?? false);
      if (i >= 2) minReady = Math.min(minReady, [...live.values()].filter(Boolean).length);
    }
    assert.equal(minReady, 3, 'ready pods never fell below replicas - maxUnavailable');
    const updated = await eventually('only new pods', async () => {
      const pods = await podsOf('app=web');
      return pods.length === 3 && pods.every((p) => !p.metadata.deletionTimestamp) ? pods : undefined;
    });
    assert.deepEqual(updated.map((p) => p.spec.containers[0].image), ['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
    const history = await kubectl(server, ['rollout', 'history', 'deployment/web']);
    assert.match(history, /^1\s/m);
    assert.match(history, /^2\s/m);

    await kubectl(server, ['rollout', 'undo', 'deployment/web']);
    await kubectl(server, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const deploy = await json(server, ['get', 'deployment', 'web']);
    assert.equal(deploy.spec.template.spec.containers[0].image, 'nginx');
    assert.equal(deploy.metadata.annotations['deployment.kubernetes.io/revision'], '3');
    assert.equal(deploy.status.updatedReplicas, 3);
    assert.equal(deploy.status.availableReplicas, 3);
  });

  await t.test('scale to 0 and back', async () => {
    await kubectl(server, ['scale', 'deployment/web', '--replicas=0']);
    await eventually('no web pods', async () => ((await podsOf('app=web')).length === 0 ? true : undefined));
    await kubectl(server, ['scale', 'deployment/web', '--replicas=3']);
    await kubectl(server, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
    assert.equal((await json(server, ['get', 'deployment', 'web'])).status.readyReplicas, 3);
  });

  await t.test('topologySpreadConstraint maxSkew 1 spreads pods over the three zones', async () => {
    await kubectl(server, ['apply', '-f', '-'], {
      input: `apiVersion: apps/v1
kind: Deployment
metadata: {name: spread}
spec:
  replicas: 6
  selector: {matchLabels: {app: spread}}
  template:
    metadata: {labels: {app: spread}}
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: DoNotSchedule
        labelSelector: {matchLabels: {app: spread}}
      containers:
      - {name: app, image: nginx, resources: {requests: {cpu: 10m}}}
`,
    });
    await kubectl(server, ['rollout', 'status', 'deployment/spread', '--timeout=30s']);
    const perZone = new Map<string, number>();
    for (const p of await podsOf('app=spread')) {
      const zone = zoneOf.get(p.spec.nodeName)!;
      perZone.set(zone, (perZone.get(zone) ?? 0) + 1);
    }
    assert.deepEqual([...perZone.entries()].sort(), [['us-east-1a', 2], ['us-east-1b', 2], ['us-east-1c', 2]]);
    await kubectl(server, ['delete', 'deployment', 'spread']);
  });

  await t.test('a NoSchedule taint repels, a toleration admits', async () => {
    await kubectl(server, ['taint', 'nodes', '--all', 'dedicated=infra:NoSchedule']);
    await kubectl(server, ['run', 'repelled', '--image=nginx']);
    await kubectl(server, ['run', 'admitted', '--image=nginx', '--overrides', JSON.stringify({ spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }] } })]);
    await kubectl(server, ['wait', '--for=condition=Ready', 'pod/admitted', '--timeout=30s']);
    const msg = await eventually('FailedScheduling for repelled', async () => {
      const ev = await json(server, ['get', 'events', '--field-selector', 'involvedObject.name=repelled,reason=FailedScheduling']);
      return ev.items[0]?.message as string | undefined;
    });
    assert.match(msg, /^0\/3 nodes are available: 3 node\(s\) had untolerated taint \{dedicated: infra\}\./);
    const repelled = await json(server, ['get', 'pod', 'repelled']);
    assert.equal(repelled.spec.nodeName, undefined);
    assert.equal(repelled.status.phase, 'Pending');

    // Lifting the taint lets the waiting pod in.
    await kubectl(server, ['taint', 'nodes', '--all', 'dedicated=infra:NoSchedule-']);
    await kubectl(server, ['wait', '--for=condition=Ready', 'pod/repelled', '--timeout=30s']);
    await kubectl(server, ['delete', 'pod', 'repelled', 'admitted', '--grace-period=0', '--force']);
  });

  await t.test('a pod too big for any node stays Pending with the FailedScheduling message', async () => {
    await kubectl(server, ['run', 'big', '--image=nginx', '--overrides', JSON.stringify({ spec: { containers: [{ name: 'big', image: 'nginx', resources: { requests: { cpu: '64' } } }] } })]);
    const expected = /0\/3 nodes are available: 3 Insufficient cpu\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\./;
    const describe = await eventually('FailedScheduling in describe', async () => {
      const out = await kubectl(server, ['describe', 'pod', 'big']);
      return /FailedScheduling/.test(out) ? out : undefined;
    });
    assert.match(describe, /^Status:\s+Pending$/m);
    assert.match(describe, expected);
    const pod = await json(server, ['get', 'pod', 'big']);
    const cond = pod.status.conditions.find((c: any) => c.type === 'PodScheduled');
    assert.equal(cond.status, 'False');
    assert.equal(cond.reason, 'Unschedulable');
    assert.match(cond.message, expected);
    await kubectl(server, ['delete', 'pod', 'big']);
  });

  await t.test('a DaemonSet runs one pod per node', async () => {
    await kubectl(server, ['apply', '-f', '-'], {
      input: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: busybox}]
`,
    });
    await kubectl(server, ['rollout', 'status', 'daemonset/agent', '--timeout=30s']);
    const pods = await podsOf('app=agent');
    assert.deepEqual(pods.map((p) => p.spec.nodeName).sort(), [...zoneOf.keys()].sort());
    const ds = await json(server, ['get', 'daemonset', 'agent']);
    assert.equal(ds.status.desiredNumberScheduled, 3);
    assert.equal(ds.status.numberReady, 3);
  });

  await t.test('a Job completes', async () => {
    await kubectl(server, ['apply', '-f', '-'], {
      input: `apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  completions: 2
  parallelism: 2
  template:
    metadata:
      annotations: {kumo.dev/run-seconds: "1"}
    spec:
      restartPolicy: Never
      containers: [{name: work, image: busybox, command: [sh, -c, "echo done"]}]
`,
    });
    await kubectl(server, ['wait', '--for=condition=complete', 'job/once', '--timeout=30s']);
    const job = await json(server, ['get', 'job', 'once']);
    assert.equal(job.status.succeeded, 2);
    const pods = await podsOf('job-name=once');
    assert.deepEqual(pods.map((p) => p.status.phase), ['Succeeded', 'Succeeded']);
  });

  await t.test('a Service gets a ClusterIP and an EndpointSlice with the ready pods\' IPs', async () => {
    await kubectl(server, ['expose', 'deployment', 'web', '--port=80']);
    const svc = await json(server, ['get', 'service', 'web']);
    assert.match(svc.spec.clusterIP, /^\d+\.\d+\.\d+\.\d+$/);
    const podIPs = (await podsOf('app=web')).map((p) => p.status.podIP).sort();
    assert.equal(podIPs.length, 3);
    const sliceIPs = await eventually('EndpointSlice addresses', async () => {
      const slices = await json(server, ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']);
      const ips = slices.items.flatMap((s: any) => (s.endpoints ?? []).filter((e: any) => e.conditions?.ready).flatMap((e: any) => e.addresses)).sort();
      return ips.length === 3 ? ips : undefined;
    });
    assert.deepEqual(sliceIPs, podIPs);
  });

  await t.test('kubectl top nodes and top pods print usage', async () => {
    const top = await kubectl(server, ['top', 'nodes']);
    const rows = top.trim().split('\n').slice(1);
    assert.equal(rows.length, 3);
    for (const row of rows) assert.match(row, /^ip-\S+\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s*$/);
    const pods = await kubectl(server, ['top', 'pods', '-l', 'app=web']);
    const podRows = pods.trim().split('\n').slice(1);
    assert.equal(podRows.length, 3);
    for (const row of podRows) assert.match(row, /^web-\S+\s+\d+m\s+\d+Mi\s*$/);
  });

  await t.test('kubectl logs prints the simulated lines', async () => {
    const [pod] = await podsOf('app=web');
    const out = await kubectl(server, ['logs', pod.metadata.name]);
    assert.match(out, new RegExp(`^kumo: simulated container nginx of pod default/${pod.metadata.name} started \\(image docker.io/library/nginx:latest, restart 0\\)$`, 'm'));
    assert.match(out, /^kumo: container nginx is ready$/m);

    // A crash-looping container: the last instance's log, now and with --previous.
    await kubectl(server, ['run', 'crash', '--image=busybox', '--annotations=kumo.dev/crash-after-seconds=1']);
    await eventually('a restart', async () => ((await json(server, ['get', 'pod', 'crash'])).status.containerStatuses?.[0]?.restartCount >= 1 ? true : undefined));
    const previous = await kubectl(server, ['logs', 'crash', '--previous']);
    assert.match(previous, /^kumo: simulated container crash of pod default\/crash started \(image docker.io\/library\/busybox:latest, restart 0\)$/m);
    assert.match(previous, /^kumo: container crash exited with code 1 \(Error\)$/m);
    const current = await kubectl(server, ['logs', 'crash']);
    assert.match(current, /^kumo: simulated container crash of pod default\/crash started/m);
    const none = await run(server, 'kubectl', ['logs', pod.metadata.name, '--previous']);
    assert.match(none.stderr, new RegExp(`previous terminated container "nginx" in pod "${pod.metadata.name}" not found`));
    await kubectl(server, ['delete', 'pod', 'crash', '--grace-period=0', '--force']);
  });

  await t.test('admission: LimitRange defaults and ResourceQuota limits', async () => {
    await kubectl(server, ['create', 'namespace', 'quota']);
    await kubectl(server, ['-n', 'quota', 'apply', '-f', '-'], {
      input: `apiVersion: v1
kind: LimitRange
metadata: {name: defaults}
spec:
  limits:
  - type: Container
    defaultRequest: {cpu: 150m}
    default: {cpu: 300m}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: pods}
spec:
  hard: {pods: "1"}
`,
    });
    await eventually('quota status', async () => ((await json(server, ['-n', 'quota', 'get', 'resourcequota', 'pods'])).status?.hard ? true : undefined));
    await kubectl(server, ['-n', 'quota', 'run', 'one', '--image=nginx']);
    const one = await json(server, ['-n', 'quota', 'get', 'pod', 'one']);
    assert.deepEqual(one.spec.containers[0].resources, { requests: { cpu: '150m' }, limits: { cpu: '300m' } });
    assert.equal(one.metadata.annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu request for container one; cpu limit for container one');
    const two = await run(server, 'kubectl', ['-n', 'quota', 'run', 'two', '--image=nginx']);
    assert.notEqual(two.code, 0);
    assert.match(two.stderr, /pods "two" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=1, limited: pods=1/);
    await kubectl(server, ['delete', 'namespace', 'quota', '--wait=false']);
  });

  await t.test('deleting a namespace removes everything in it', async () => {
    await kubectl(server, ['create', 'namespace', 'scratch']);
    await kubectl(server, ['-n', 'scratch', 'create', 'deployment', 'app', '--image=nginx', '--replicas=2']);
    await kubectl(server, ['-n', 'scratch', 'create', 'configmap', 'settings', '--from-literal=a=b']);
    await kubectl(server, ['-n', 'scratch', 'rollout', 'status', 'deployment/app', '--timeout=30s']);
    await kubectl(server, ['delete', 'namespace', 'scratch', '--timeout=60s']);
    const gone = await run(server, 'kubectl', ['get', 'namespace', 'scratch']);
    assert.match(gone.stderr, /NotFound/);
    const left = await json(server, ['get', 'pods,replicasets,deployments,configmaps,serviceaccounts', '-A', '--field-selector', 'metadata.namespace=scratch']);
    assert.deepEqual(left.items, []);
  });
});
