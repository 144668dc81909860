import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, tableFor } from '../../src/apiserver/tables/index.js';
import { FakeClock } from '../../src/util/clock.js';

type Obj = Record<string, any>;

const NOW = Date.parse('2026-03-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

const names = (t: { columnDefinitions: Array<{ name: string; priority: number }> | null }) => t.columnDefinitions!.map((c) => (c.priority ? `${c.name}*` : c.name));

describe('duration.HumanDuration', () => {
  const cases: Array<[number, string]> = [
    [-5 * S, '<invalid>'],
    [-1 * S, '0s'],
    [0, '0s'],
    [45 * S, '45s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [5 * M + 3 * S, '5m3s'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 20 * M, '3h20m'],
    [8 * H + 59 * M, '8h'],
    [47 * H, '47h'],
    [2 * D, '2d'],
    [2 * D + 4 * H, '2d4h'],
    [8 * D, '8d'],
    [729 * D, '729d'],
    [2 * 365 * D, '2y'],
    [3 * 365 * D + 20 * D, '3y20d'],
    [9 * 365 * D, '9y'],
  ];
  for (const [ms, want] of cases) test(`${ms}ms -> ${want}`, () => assert.equal(humanDuration(ms), want));
});

describe('pods', () => {
  const pod = (name: string, extra: Obj = {}): Obj => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', creationTimestamp: ago(5 * M + 3 * S), resourceVersion: '10', ...(extra.metadata ?? {}) },
    spec: { nodeName: 'node-a', containers: [{ name: 'app', image: 'nginx' }, { name: 'side', image: 'envoy' }], ...(extra.spec ?? {}) },
    status: extra.status ?? {},
  });
  const running = {
    phase: 'Running',
    podIPs: [{ ip: '10.0.0.7' }],
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [
      { name: 'app', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(90 * S) } } },
      { name: 'side', ready: true, restartCount: 0, state: { running: {} } },
    ],
  };
  test('columns and a running pod (golden)', () => {
    const t = tableFor('', 'pods', [pod('web-1', { status: running })], { now: NOW });
    assert.deepEqual(names(t), ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP*', 'Node*', 'Nominated Node*', 'Readiness Gates*']);
    assert.equal(t.columnDefinitions![0].format, 'name');
    assert.deepEqual(t.rows[0].cells, ['web-1', '2/2', 'Running', '2 (90s ago)', '5m3s', '10.0.0.7', 'node-a', '<none>', '<none>']);
    assert.deepEqual(t.rows[0].object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod('web-1').metadata });
    assert.deepEqual(t.metadata, { resourceVersion: '10' });
    assert.equal(t.kind, 'Table');
    assert.equal(t.apiVersion, 'meta.k8s.io/v1');
  });
  const statusCases: Array<[string, Obj, string, string]> = [
    ['pending, unscheduled', { phase: 'Pending' }, 'Pending', '0/2'],
    ['ContainerCreating', { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, state: { waiting: { reason: 'ContainerCreating' } } }, { name: 'side', ready: false, state: { waiting: { reason: 'ContainerCreating' } } }] }, 'ContainerCreating', '0/2'],
    ['CrashLoopBackOff', { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }, { name: 'side', ready: true, state: { running: {} } }] }, 'CrashLoopBackOff', '1/2'],
    ['Completed', { phase: 'Succeeded', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { name: 'side', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }, 'Completed', '0/2'],
    ['Error exit', { phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 2 } } }, { name: 'side', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }, 'ExitCode:2', '0/2'],
    ['SchedulingGated', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }, 'SchedulingGated', '0/2'],
    ['Evicted', { phase: 'Failed', reason: 'Evicted' }, 'Evicted', '0/2'],
  ];
  for (const [label, status, want, ready] of statusCases) {
    test(`status: ${label}`, () => {
      const cells = tableFor('', 'pods', [pod('p', { status })], { now: NOW }).rows[0].cells;
      assert.equal(cells[2], want);
      assert.equal(cells[1], ready);
    });
  }
  test('Terminating while running, Unknown when the node is lost', () => {
    const deleting = pod('p', { metadata: { deletionTimestamp: ago(S) }, status: running });
    assert.equal(tableFor('', 'pods', [deleting], { now: NOW }).rows[0].cells[2], 'Terminating');
    const lost = pod('p', { metadata: { deletionTimestamp: ago(S) }, status: { ...running, reason: 'NodeLost' } });
    assert.equal(tableFor('', 'pods', [lost], { now: NOW }).rows[0].cells[2], 'Unknown');
  });
  test('init containers', () => {
    const spec = { initContainers: [{ name: 'migrate', image: 'x' }, { name: 'wait', image: 'y' }] };
    const waiting = pod('p', { spec, status: { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', state: { terminated: { exitCode: 0 } } }, { name: 'wait', state: { running: {} } }] } });
    assert.equal(tableFor('', 'pods', [waiting], { now: NOW }).rows[0].cells[2], 'Init:1/2');
    const failed = pod('p', { spec, status: { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', state: { terminated: { exitCode: 1, reason: 'Error' } } }] } });
    assert.equal(tableFor('', 'pods', [failed], { now: NOW }).rows[0].cells[2], 'Init:Error');
    const backoff = pod('p', { spec, status: { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', state: { waiting: { reason: 'CrashLoopBackOff' } } }] } });
    assert.equal(tableFor('', 'pods', [backoff], { now: NOW }).rows[0].cells[2], 'Init:CrashLoopBackOff');
  });
  test('completed pods carry the Completed row condition', () => {
    const t = tableFor('', 'pods', [pod('p', { status: { phase: 'Succeeded' } })], { now: NOW });
    assert.deepEqual(t.rows[0].conditions, [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  });
  test('readiness gates', () => {
    const p = pod('p', { spec: { readinessGates: [{ conditionType: 'example.com/lb' }] }, status: { phase: 'Running', conditions: [{ type: 'example.com/lb', status: 'True' }] } });
    assert.equal(tableFor('', 'pods', [p], { now: NOW }).rows[0].cells[8], '1/1');
  });
  test('includeObject, noHeaders, wide=false, Clock', () => {
    const p = pod('p', { status: running });
    assert.equal(tableFor('', 'pods', [p], { now: NOW, includeObject: 'None' }).rows[0].object, null);
    assert.equal(tableFor('', 'pods', [p], { now: NOW, includeObject: 'Object' }).rows[0].object, p);
    assert.equal(tableFor('', 'pods', [p], { now: NOW, noHeaders: true }).columnDefinitions, null);
    const narrow = tableFor('', 'pods', [p], { now: NOW, wide: false });
    assert.deepEqual(names(narrow), ['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    assert.equal(narrow.rows[0].cells.length, 5);
    const clock = new FakeClock(NOW);
    clock.advance(D);
    assert.equal(tableFor('', 'pods', [p], { now: clock }).rows[0].cells[4], '24h');
    assert.deepEqual(tableFor('', 'pods', [p, p], { now: NOW, resourceVersion: '99', continue: 'abc' }).metadata, { resourceVersion: '99', continue: 'abc' });
  });
});

describe('workloads, services, nodes (golden)', () => {
  test('deployments', () => {
    const d = {
      metadata: { name: 'web', creationTimestamp: ago(2 * D + 4 * H) },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'fluent-bit' }] } } },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    const t = tableFor('apps', 'deployments', [d], { now: NOW });
    assert.deepEqual(names(t), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers*', 'Images*', 'Selector*']);
    assert.deepEqual(t.rows[0].cells, ['web', '2/3', 3, 2, '2d4h', 'nginx,log', 'nginx:1.27,fluent-bit', 'app=web']);
  });
  test('services', () => {
    const base = { metadata: { name: 'web', creationTimestamp: ago(45 * S) } };
    const cluster = { ...base, spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], selector: { app: 'web', tier: 'fe' }, ports: [{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] } };
    const t = tableFor('', 'services', [cluster], { now: NOW });
    assert.deepEqual(names(t), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector*']);
    assert.deepEqual(t.rows[0].cells, ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP,443/TCP', '45s', 'app=web,tier=fe']);
    const lb = { ...base, spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.11'], ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }] }, status: { loadBalancer: {} } };
    assert.deepEqual(tableFor('', 'services', [lb], { now: NOW }).rows[0].cells, ['web', 'LoadBalancer', '10.96.0.11', '<pending>', '80:31000/TCP', '45s', '<none>']);
    const lbReady = { ...lb, status: { loadBalancer: { ingress: [{ hostname: 'k8s-web-123.elb.us-east-1.amazonaws.com' }] } } };
    assert.equal(tableFor('', 'services', [lbReady], { now: NOW }).rows[0].cells[3], 'k8s-web-123.elb.us-east-1.amazonaws.com');
    const ext = { ...base, spec: { type: 'ExternalName', externalName: 'db.example.com' } };
    assert.deepEqual(tableFor('', 'services', [ext], { now: NOW }).rows[0].cells.slice(1, 5), ['ExternalName', '<none>', 'db.example.com', '<none>']);
  });
  test('nodes', () => {
    const node = {
      metadata: { name: 'ip-10-0-1-23.ec2.internal', creationTimestamp: ago(3 * H + 20 * M), labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker' } },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '10.0.1.23' }, { type: 'Hostname', address: 'ip-10-0-1-23' }],
        nodeInfo: { kubeletVersion: 'v1.33.1-eks-1234', osImage: 'Amazon Linux 2023', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.27' },
      },
    };
    const t = tableFor('', 'nodes', [node], { now: NOW });
    assert.deepEqual(names(t), ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP*', 'External-IP*', 'OS-Image*', 'Kernel-Version*', 'Container-Runtime*']);
    assert.deepEqual(t.rows[0].cells, ['ip-10-0-1-23.ec2.internal', 'Ready,SchedulingDisabled', 'control-plane,worker', '3h20m', 'v1.33.1-eks-1234', '10.0.1.23', '<none>', 'Amazon Linux 2023', '6.1.0', 'containerd://1.7.27']);
    const bare = tableFor('', 'nodes', [{ metadata: { name: 'n' } }], { now: NOW }).rows[0].cells;
    assert.deepEqual(bare, ['n', 'Unknown', '<none>', '<unknown>', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });
  test('jobs and cronjobs', () => {
    const job = { metadata: { name: 'pi', creationTimestamp: ago(10 * M) }, spec: { completions: 3, template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } }, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } } }, status: { succeeded: 3, startTime: ago(10 * M), completionTime: ago(8 * M), conditions: [{ type: 'Complete', status: 'True' }] } };
    const t = tableFor('batch', 'jobs', [job], { now: NOW });
    assert.deepEqual(names(t), ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers*', 'Images*', 'Selector*']);
    assert.deepEqual(t.rows[0].cells, ['pi', 'Complete', '3/3', '2m', '10m', 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u1']);
    const running = { ...job, spec: { parallelism: 4, template: job.spec.template }, status: { startTime: ago(30 * S) } };
    assert.deepEqual(tableFor('batch', 'jobs', [running], { now: NOW }).rows[0].cells.slice(1, 4), ['Running', '0/1 of 4', '30s']);
    const cj = { metadata: { name: 'backup', creationTimestamp: ago(D) }, spec: { schedule: '0 * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'busybox' }] } } } } }, status: { active: [{ name: 'x' }] } };
    assert.deepEqual(tableFor('batch', 'cronjobs', [cj], { now: NOW }).rows[0].cells, ['backup', '0 * * * *', '<none>', false, 1, '<none>', '24h', 'b', 'busybox', '<none>']);
  });
  test('other printers', () => {
    const at = ago(M * 3);
    assert.deepEqual(tableFor('', 'secrets', [{ metadata: { name: 's', creationTimestamp: at }, type: 'Opaque', data: { a: 'eA==', b: 'eQ==' } }], { now: NOW }).rows[0].cells, ['s', 'Opaque', 2, '3m']);
    assert.deepEqual(tableFor('', 'configmaps', [{ metadata: { name: 'c', creationTimestamp: at }, data: { a: '1' }, binaryData: { b: 'eA==' } }], { now: NOW }).rows[0].cells, ['c', 2, '3m']);
    assert.deepEqual(tableFor('', 'namespaces', [{ metadata: { name: 'default', creationTimestamp: at }, status: { phase: 'Active' } }], { now: NOW }).rows[0].cells, ['default', 'Active', '3m']);
    const pvc = { metadata: { name: 'data', creationTimestamp: at }, spec: { volumeName: 'pv-1', storageClassName: 'gp3', volumeMode: 'Filesystem' }, status: { phase: 'Bound', capacity: { storage: '1024Mi' }, accessModes: ['ReadWriteOnce'] } };
    assert.deepEqual(tableFor('', 'persistentvolumeclaims', [pvc], { now: NOW }).rows[0].cells, ['data', 'Bound', 'pv-1', '1Gi', 'RWO', 'gp3', '<unset>', '3m', 'Filesystem']);
    const hpa = { metadata: { name: 'web', creationTimestamp: at }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] }, status: { currentReplicas: 2 } };
    assert.deepEqual(tableFor('autoscaling', 'horizontalpodautoscalers', [hpa], { now: NOW }).rows[0].cells, ['web', 'Deployment/web', 'cpu: <unknown>/80%', '1', 10, 2, '3m']);
    const ev = { metadata: { name: 'p.1', creationTimestamp: at }, involvedObject: { kind: 'Pod', name: 'p' }, type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/p to n ', source: { component: 'default-scheduler' }, firstTimestamp: ago(2 * M), lastTimestamp: ago(M), count: 3 };
    assert.deepEqual(tableFor('', 'events', [ev], { now: NOW }).rows[0].cells, ['60s', 'Normal', 'Scheduled', 'pod/p', '', 'default-scheduler', 'Successfully assigned default/p to n', '2m', 3, 'p.1']);
    const ev2 = { metadata: { name: 'p.2', creationTimestamp: at }, regarding: { kind: 'Pod', name: 'p' }, type: 'Warning', reason: 'BackOff', note: 'Back-off restarting', reportingController: 'kubelet', reportingInstance: 'node-a', eventTime: ago(5 * M), series: { count: 7, lastObservedTime: ago(20 * S) } };
    const t2 = tableFor('events.k8s.io', 'events', [ev2], { now: NOW });
    assert.deepEqual(names(t2), names(tableFor('', 'events', [], { now: NOW })));
    assert.deepEqual(t2.rows[0].cells, ['20s', 'Warning', 'BackOff', 'pod/p', '', 'kubelet, node-a', 'Back-off restarting', '5m', 7, 'p.2']);
    const hpaV1 = { metadata: { name: 'old', creationTimestamp: at }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 4, targetCPUUtilizationPercentage: 50 }, status: { currentCPUUtilizationPercentage: 12, currentReplicas: 1 } };
    assert.equal(tableFor('autoscaling', 'horizontalpodautoscalers', [hpaV1], { now: NOW }).rows[0].cells[2], 'cpu: 12%/50%');
    assert.deepEqual(tableFor('storage.k8s.io', 'csistoragecapacities', [{ metadata: { name: 'c' }, storageClassName: 'gp3', capacity: '1024Gi' }], { now: NOW }).rows[0].cells, ['c', 'gp3', '1Ti']);
    const rb = { metadata: { name: 'rb', creationTimestamp: at }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'alice' }, { kind: 'ServiceAccount', name: 'default', namespace: 'ns' }] };
    assert.deepEqual(tableFor('rbac.authorization.k8s.io', 'rolebindings', [rb], { now: NOW }).rows[0].cells, ['rb', 'ClusterRole/view', '3m', 'alice', '', 'ns/default']);
    const sc = { metadata: { name: 'gp3', creationTimestamp: at, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'ebs.csi.aws.com', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true };
    assert.deepEqual(tableFor('storage.k8s.io', 'storageclasses', [sc], { now: NOW }).rows[0].cells, ['gp3 (default)', 'ebs.csi.aws.com', 'Delete', 'WaitForFirstConsumer', true, '3m']);
    const pdb = { metadata: { name: 'web', creationTimestamp: at }, spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } };
    assert.deepEqual(tableFor('policy', 'poddisruptionbudgets', [pdb], { now: NOW }).rows[0].cells, ['web', '50%', 'N/A', 1, '3m']);
    const lease = { metadata: { name: 'kube-scheduler', creationTimestamp: at }, spec: { holderIdentity: 'kumo_1' } };
    assert.deepEqual(tableFor('coordination.k8s.io', 'leases', [lease], { now: NOW }).rows[0].cells, ['kube-scheduler', 'kumo_1', '3m']);
    const ing = { metadata: { name: 'web', creationTimestamp: at }, spec: { ingressClassName: 'alb', rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }], tls: [{}] } };
    assert.deepEqual(tableFor('networking.k8s.io', 'ingresses', [ing], { now: NOW }).rows[0].cells, ['web', 'alb', 'a.example.com,b.example.com', '', '80, 443', '3m']);
  });
  test('built-ins without a printer use the default convertor; custom resources get Name/Age or their columns', () => {
    const role = { metadata: { name: 'reader', creationTimestamp: '2026-02-27T08:30:00Z' } };
    const t = tableFor('rbac.authorization.k8s.io', 'roles', [role], { now: NOW });
    assert.deepEqual(names(t), ['Name', 'Created At']);
    assert.equal(t.columnDefinitions![1].type, 'date');
    assert.deepEqual(t.rows[0].cells, ['reader', '2026-02-27T08:30:00Z']);
    const crd = tableFor('apiextensions.k8s.io', 'customresourcedefinitions', [{ metadata: { name: 'widgets.example.com', creationTimestamp: '2026-02-27T08:30:00Z' } }], { now: NOW });
    assert.deepEqual(names(crd), ['Name', 'Created At']);
    const cr = { metadata: { name: 'w1', creationTimestamp: ago(H) }, spec: { size: 3, colors: ['red'] } };
    const plain = tableFor('example.com', 'widgets', [cr], { now: NOW });
    assert.deepEqual(names(plain), ['Name', 'Age']);
    assert.deepEqual(plain.rows[0].cells, ['w1', '60m']);
    const columns = [
      { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
      { name: 'First', type: 'string', jsonPath: '.spec.colors[0]', priority: 1 },
      { name: 'Missing', type: 'string', jsonPath: '.status.phase' },
    ];
    assert.deepEqual(tableFor('example.com', 'widgets', [cr], { now: NOW, printerColumns: columns }).rows[0].cells, ['w1', 3, 'red', null]);
  });
});
