// The fargate-scheduler of one cluster (`kumo apiserver --time-scale 10`) driven by kubectl, with
// the Fargate profiles given as the EKS side mirrors them (ConfigMap kube-system/kumo-fargate-profiles):
// a pod waits Fargate's start-up time, then runs on a node of its own; a completed Job pod keeps
// its node until the pod is deleted; host networking and GPUs are refused with the scheduler's event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, run, startApiServer, type TestApiServer } from '../helpers/apiserver.js';
import { eventually } from '../helpers/wait.js';

async function json(server: TestApiServer, args: string[]): Promise<any> {
  return JSON.parse(await kubectl(server, [...args, '-o', 'json']));
}

test('fargate-scheduler: start-up time, one node per pod, node lifetime and refusals', async (t) => {
  const server = await startApiServer(t, { storage: 'memory', extraArgs: ['--nodes', '1', '--time-scale', '10'] });
  const mirror = {
    profiles: [{ name: 'jobs', selectors: [{ namespace: 'batch' }], subnets: [{ subnetId: 'subnet-1', availabilityZone: 'us-east-1b', cidrBlock: '10.0.32.0/19' }] }],
    startupMs: 20_000,
  };
  await kubectl(server, ['create', 'namespace', 'batch']);
  await kubectl(server, ['create', 'configmap', 'kumo-fargate-profiles', '-n', 'kube-system', `--from-literal=profiles.json=${JSON.stringify(mirror)}`]);

  // A Job's pod: Pending through 20 simulated seconds (2 s of wall time), then on its own node.
  const created = Date.now();
  await kubectl(server, ['apply', '-f', '-'], { input: `apiVersion: batch/v1
kind: Job
metadata: {name: once, namespace: batch}
spec:
  template:
    metadata:
      annotations: {kumo.dev/run-seconds: "5"}
    spec:
      restartPolicy: Never
      containers: [{name: app, image: busybox}]
` });
  const pod = await eventually('job pod', async () => (await json(server, ['get', 'pods', '-n', 'batch', '-l', 'job-name=once'])).items[0]);
  assert.equal(pod.spec.schedulerName, 'fargate-scheduler');
  assert.equal(pod.metadata.labels['eks.amazonaws.com/fargate-profile'], 'jobs');
  const bound = await eventually('pod bound', async () => {
    const p = await json(server, ['get', 'pod', pod.metadata.name, '-n', 'batch']);
    return p.spec.nodeName ? p : undefined;
  });
  assert.ok(Date.now() - created >= 1_500, 'Fargate start-up takes its simulated time');
  assert.equal(bound.metadata.annotations.CapacityProvisioned, '0.25vCPU 0.5GB');
  // No aws-observability/aws-logging ConfigMap: Fargate's log router is off, and says so.
  assert.equal(bound.metadata.annotations.Logging, 'LoggingDisabled: LOGGING_CONFIGMAP_NOT_FOUND');
  const logging = (await json(server, ['get', 'events', '-n', 'batch', '--field-selector', `involvedObject.name=${pod.metadata.name}`])).items.find((e: any) => e.reason === 'LoggingDisabled');
  assert.equal(logging?.message, 'Disabled logging because aws-logging configmap was not found. configmap "aws-logging" not found');
  const nodeName = bound.spec.nodeName as string;
  assert.match(nodeName, /^fargate-ip-10-0-(3[2-9]|[45]\d|6[0-3])-\d+\.ec2\.internal$/);
  const node = await json(server, ['get', 'node', nodeName]);
  assert.equal(node.metadata.labels['topology.kubernetes.io/zone'], 'us-east-1b');
  assert.equal(node.metadata.labels['node.kubernetes.io/instance-type'], undefined);
  assert.equal(node.status.capacity.cpu, '250m');

  // The pod completes; its node stays (Fargate keeps a completed pod's capacity) until the pod goes.
  await eventually('pod Succeeded', async () => ((await json(server, ['get', 'pod', pod.metadata.name, '-n', 'batch'])).status.phase === 'Succeeded' ? true : undefined));
  assert.equal((await run(server, 'kubectl', ['get', 'node', nodeName])).code, 0, 'the completed pod keeps its node');
  await kubectl(server, ['delete', 'job', 'once', '-n', 'batch']);
  await eventually('node removed with its pod', async () => ((await run(server, 'kubectl', ['get', 'node', nodeName])).code !== 0 ? true : undefined));

  // Host networking and GPUs: Pending with the fargate-scheduler's event.
  await kubectl(server, ['apply', '-f', '-'], { input: `apiVersion: v1
kind: Pod
metadata: {name: hostnet, namespace: batch}
spec:
  hostNetwork: true
  containers:
  - name: app
    image: busybox
    resources:
      limits: {nvidia.com/gpu: "1"}
` });
  const event = await eventually('FailedScheduling', async () =>
    (await json(server, ['get', 'events', '-n', 'batch', '--field-selector', 'involvedObject.name=hostnet'])).items.find((e: any) => e.reason === 'FailedScheduling'));
  assert.equal(event.message, 'Pod not supported on Fargate: fields not supported: HostNetwork, resources not supported: nvidia.com/gpu');
  const pending = await json(server, ['get', 'pod', 'hostnet', '-n', 'batch']);
  assert.equal(pending.status.conditions.find((c: any) => c.type === 'PodScheduled').reason, 'Unschedulable');

  // A pod handed to the Fargate scheduler by hand, matching no profile, is not deleted: it waits.
  await kubectl(server, ['apply', '-f', '-'], { input: `apiVersion: v1
kind: Pod
metadata: {name: byhand, namespace: default}
spec:
  schedulerName: fargate-scheduler
  containers: [{name: app, image: busybox}]
` });
  const byHand = await eventually('FailedScheduling of byhand', async () =>
    (await json(server, ['get', 'events', '-n', 'default', '--field-selector', 'involvedObject.name=byhand'])).items.find((e: any) => e.reason === 'FailedScheduling'));
  assert.match(byHand.message, /does not match any Fargate profile/);
  assert.equal((await json(server, ['get', 'pod', 'byhand'])).status.phase, 'Pending');
  assert.equal((await json(server, ['get', 'nodes'])).items.length, 1);
});
