import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults, generateJobSelector, imageTag } from '../../src/apiserver/defaults/index.js';

type Obj = Record<string, any>;

function defaulted(group: string, version: string, kind: string, obj: Obj): Obj {
  const copy = structuredClone(obj);
  applyDefaults(group, version, kind, copy);
  return copy;
}

const CONTAINER_DEFAULTS = { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} };
const POD_SPEC_DEFAULTS = { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler' };

describe('Deployment (apps/v1)', () => {
  test('kubectl create deployment web --image=nginx, as upstream stores it', () => {
    const got = defaulted('apps', 'v1', 'Deployment', {
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
      },
    });
    assert.equal(got.spec.template.spec.enableServiceLinks, undefined, 'enableServiceLinks is defaulted on Pods only');
    assert.deepEqual(got.spec, {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx', imagePullPolicy: 'Always', ...CONTAINER_DEFAULTS }], ...POD_SPEC_DEFAULTS },
      },
    });
  });
  test('Recreate gets no rollingUpdate; explicit values stay', () => {
    const got = defaulted('apps', 'v1', 'Deployment', { spec: { replicas: 0, strategy: { type: 'Recreate' }, revisionHistoryLimit: 0, template: { spec: { containers: [] } } } });
    assert.deepEqual(got.spec.strategy, { type: 'Recreate' });
    assert.equal(got.spec.replicas, 0);
    assert.equal(got.spec.revisionHistoryLimit, 0);
  });
});

describe('Pod', () => {
  test('bare pod defaults', () => {
    const got = defaulted('', 'v1', 'Pod', {
      metadata: { name: 'p' },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'registry.example.com:5000/app:1.2',
            ports: [{ containerPort: 8080 }],
            resources: { limits: { cpu: '1000m', memory: '1024Mi' } },
            livenessProbe: { httpGet: { port: 8080 } },
            env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
          },
        ],
        volumes: [{ name: 'cfg', configMap: { name: 'c' } }, { name: 'sec', secret: { secretName: 's' } }, { name: 'scratch' }],
      },
    });
    const c = got.spec.containers[0];
    assert.equal(c.imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(c.ports, [{ containerPort: 8080, protocol: 'TCP' }]);
    assert.deepEqual(c.resources, { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } });
    assert.deepEqual(c.livenessProbe, { httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    assert.equal(c.env[0].valueFrom.fieldRef.apiVersion, 'v1');
    assert.deepEqual(c.resizePolicy, [
      { resourceName: 'cpu', restartPolicy: 'NotRequired' },
      { resourceName: 'memory', restartPolicy: 'NotRequired' },
    ]);
    assert.deepEqual(got.spec.volumes, [
      { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
      { name: 'sec', secret: { secretName: 's', defaultMode: 420 } },
      { name: 'scratch', emptyDir: {} },
    ]);
    assert.equal(got.spec.enableServiceLinks, true);
    for (const [k, v] of Object.entries(POD_SPEC_DEFAULTS)) assert.deepEqual(got.spec[k], v, k);
  });
  test('hostNetwork pods get hostPort = containerPort', () => {
    const got = defaulted('', 'v1', 'Pod', { spec: { hostNetwork: true, containers: [{ name: 'a', image: 'x:1', ports: [{ containerPort: 53, protocol: 'UDP' }] }] } });
    assert.deepEqual(got.spec.containers[0].ports, [{ containerPort: 53, protocol: 'UDP', hostPort: 53 }]);
  });
  const pullPolicies: Array<[string, string]> = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['localhost:5000/nginx', 'Always'],
    ['localhost:5000/nginx:v2', 'IfNotPresent'],
    ['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
  ];
  for (const [image, want] of pullPolicies) {
    test(`imagePullPolicy for ${image} is ${want}`, () => {
      assert.equal(defaulted('', 'v1', 'Pod', { spec: { containers: [{ name: 'a', image }] } }).spec.containers[0].imagePullPolicy, want);
    });
  }
  test('imageTag', () => assert.equal(imageTag('a/b:c'), 'c'));
});

describe('other workloads', () => {
  test('StatefulSet', () => {
    const got = defaulted('apps', 'v1', 'StatefulSet', {
      spec: { serviceName: 'db', template: { spec: { containers: [] } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } }] },
    });
    assert.equal(got.spec.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(got.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.deepEqual(got.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    assert.equal(got.spec.replicas, 1);
    assert.equal(got.spec.revisionHistoryLimit, 10);
    assert.deepEqual(got.spec.volumeClaimTemplates[0].spec.volumeMode, 'Filesystem');
    assert.deepEqual(got.spec.volumeClaimTemplates[0].status, { phase: 'Pending' });
  });
  test('StatefulSet OnDelete keeps no rollingUpdate', () => {
    const got = defaulted('apps', 'v1', 'StatefulSet', { spec: { updateStrategy: { type: 'OnDelete' }, template: { spec: { containers: [] } } } });
    assert.deepEqual(got.spec.updateStrategy, { type: 'OnDelete' });
  });
  test('DaemonSet', () => {
    const got = defaulted('apps', 'v1', 'DaemonSet', { spec: { template: { spec: { containers: [] } } } });
    assert.deepEqual(got.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.equal(got.spec.revisionHistoryLimit, 10);
  });
  test('ReplicaSet', () => {
    assert.equal(defaulted('apps', 'v1', 'ReplicaSet', { spec: { template: { spec: { containers: [] } } } }).spec.replicas, 1);
  });
  test('Job', () => {
    const got = defaulted('batch', 'v1', 'Job', { metadata: { name: 'pi' }, spec: { template: { metadata: { labels: { x: 'y' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } } });
    assert.equal(got.spec.completions, 1);
    assert.equal(got.spec.parallelism, 1);
    assert.equal(got.spec.backoffLimit, 6);
    assert.equal(got.spec.completionMode, 'NonIndexed');
    assert.equal(got.spec.suspend, false);
    assert.equal(got.spec.podReplacementPolicy, 'TerminatingOrFailed');
    assert.equal(got.spec.manualSelector, false);
    assert.deepEqual(got.metadata.labels, { x: 'y' });
    assert.equal(got.spec.template.spec.restartPolicy, 'Never');
    generateJobSelector(got, 'uid-1');
    assert.deepEqual(got.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-1' } });
    assert.equal(got.spec.template.metadata.labels['job-name'], 'pi');
  });
  test('Job with parallelism only, and with a pod failure policy', () => {
    const a = defaulted('batch', 'v1', 'Job', { spec: { parallelism: 3, template: { spec: { containers: [] } } } });
    assert.equal(a.spec.completions, undefined);
    const b = defaulted('batch', 'v1', 'Job', { spec: { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] }, template: { spec: { containers: [] } } } });
    assert.equal(b.spec.podReplacementPolicy, 'Failed');
    assert.equal(b.spec.podFailurePolicy.rules[0].onPodConditions[0].status, 'True');
  });
  test('CronJob', () => {
    const got = defaulted('batch', 'v1', 'CronJob', { spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'busybox' }] } } } } } });
    assert.equal(got.spec.concurrencyPolicy, 'Allow');
    assert.equal(got.spec.suspend, false);
    assert.equal(got.spec.successfulJobsHistoryLimit, 3);
    assert.equal(got.spec.failedJobsHistoryLimit, 1);
    assert.equal(got.spec.jobTemplate.spec.backoffLimit, undefined, 'a job template is not a Job');
    assert.equal(got.spec.jobTemplate.spec.template.spec.restartPolicy, 'Always');
  });
  test('ReplicationController takes selector and labels from its template', () => {
    const got = defaulted('', 'v1', 'ReplicationController', { metadata: {}, spec: { template: { metadata: { labels: { a: 'b' } }, spec: { containers: [] } } } });
    assert.deepEqual(got.spec.selector, { a: 'b' });
    assert.deepEqual(got.metadata.labels, { a: 'b' });
    assert.equal(got.spec.replicas, 1);
  });
});

describe('core kinds', () => {
  test('Service', () => {
    const got = defaulted('', 'v1', 'Service', { spec: { selector: { app: 'web' }, ports: [{ port: 80 }, { port: 443, targetPort: 'https', protocol: 'TCP' }] } });
    assert.deepEqual(got.spec, {
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }, { port: 443, targetPort: 'https', protocol: 'TCP' }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
  });
  test('LoadBalancer and ExternalName services', () => {
    const lb = defaulted('', 'v1', 'Service', { spec: { type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [{ port: 80 }] } });
    assert.equal(lb.spec.externalTrafficPolicy, 'Cluster');
    assert.equal(lb.spec.allocateLoadBalancerNodePorts, true);
    assert.deepEqual(lb.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
    const lbStatus = defaulted('', 'v1', 'Service', { spec: { type: 'LoadBalancer', ports: [{ port: 80 }] }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { hostname: 'x.elb.amazonaws.com' }] } } });
    assert.deepEqual(lbStatus.status.loadBalancer.ingress, [{ ip: '1.2.3.4', ipMode: 'VIP' }, { hostname: 'x.elb.amazonaws.com' }]);
    const none = defaulted('', 'v1', 'Service', { spec: { sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } }, ports: [{ port: 80 }] } });
    assert.equal(none.spec.sessionAffinityConfig, undefined);
    const withExternalIPs = defaulted('', 'v1', 'Service', { spec: { externalIPs: ['1.2.3.4'], ports: [{ port: 80 }] } });
    assert.equal(withExternalIPs.spec.externalTrafficPolicy, 'Cluster');
    const ext = defaulted('', 'v1', 'Service', { spec: { type: 'ExternalName', externalName: 'example.com' } });
    assert.equal(ext.spec.internalTrafficPolicy, undefined);
    assert.equal(ext.spec.ipFamilies, undefined);
  });
  test('Namespace', () => {
    assert.deepEqual(defaulted('', 'v1', 'Namespace', { metadata: { name: 'team-a' } }), {
      metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  });
  test('Secret, PVC, PV, Node', () => {
    assert.equal(defaulted('', 'v1', 'Secret', {}).type, 'Opaque');
    assert.equal(defaulted('', 'v1', 'Secret', { type: 'kubernetes.io/tls' }).type, 'kubernetes.io/tls');
    const pvc = defaulted('', 'v1', 'PersistentVolumeClaim', { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1024Mi' } } } });
    assert.equal(pvc.spec.volumeMode, 'Filesystem');
    assert.equal(pvc.spec.resources.requests.storage, '1Gi');
    assert.equal(pvc.status.phase, 'Pending');
    const pv = defaulted('', 'v1', 'PersistentVolume', { spec: { capacity: { storage: '5Gi' } } });
    assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Retain');
    assert.equal(pv.status.phase, 'Pending');
    const node = defaulted('', 'v1', 'Node', { status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } } });
    assert.deepEqual(node.status.allocatable, { cpu: '4', memory: '8Gi', pods: '110' });
  });
  test('kinds without defaults are untouched', () => {
    for (const [g, k] of [['', 'ConfigMap'], ['', 'ServiceAccount'], ['coordination.k8s.io', 'Lease'], ['policy', 'PodDisruptionBudget'], ['networking.k8s.io', 'Ingress']]) {
      const o = { metadata: { name: 'x' }, data: { a: 'b' } };
      assert.deepEqual(defaulted(g, 'v1', k, o), o);
    }
  });
});

describe('other groups', () => {
  test('NetworkPolicy policyTypes and port protocol', () => {
    const a = defaulted('networking.k8s.io', 'v1', 'NetworkPolicy', { spec: { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] } });
    assert.deepEqual(a.spec.policyTypes, ['Ingress']);
    assert.equal(a.spec.ingress[0].ports[0].protocol, 'TCP');
    const b = defaulted('networking.k8s.io', 'v1', 'NetworkPolicy', { spec: { podSelector: {}, egress: [{}] } });
    assert.deepEqual(b.spec.policyTypes, ['Ingress', 'Egress']);
  });
  test('RoleBinding subjects and roleRef apiGroup', () => {
    const got = defaulted('rbac.authorization.k8s.io', 'v1', 'RoleBinding', {
      roleRef: { kind: 'Role', name: 'r' },
      subjects: [{ kind: 'User', name: 'alice' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }, { kind: 'Group', name: 'devs' }],
    });
    assert.equal(got.roleRef.apiGroup, 'rbac.authorization.k8s.io');
    assert.deepEqual(got.subjects.map((s: Obj) => s.apiGroup), ['rbac.authorization.k8s.io', '', 'rbac.authorization.k8s.io']);
  });
  test('HPA v2 and v1', () => {
    const v2 = defaulted('autoscaling', 'v2', 'HorizontalPodAutoscaler', { spec: { maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } });
    assert.equal(v2.spec.minReplicas, 1);
    assert.deepEqual(v2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    assert.equal(v2.spec.behavior.scaleDown.stabilizationWindowSeconds, 60);
    assert.equal(v2.spec.behavior.scaleUp.stabilizationWindowSeconds, 0);
    assert.equal(v2.spec.behavior.scaleUp.policies.length, 2);
    const v1 = defaulted('autoscaling', 'v1', 'HorizontalPodAutoscaler', { spec: { maxReplicas: 5 } });
    assert.deepEqual(v1.spec, { maxReplicas: 5, minReplicas: 1 });
  });
  test('StorageClass, PriorityClass, webhooks', () => {
    const sc = defaulted('storage.k8s.io', 'v1', 'StorageClass', { provisioner: 'ebs.csi.aws.com' });
    assert.equal(sc.reclaimPolicy, 'Delete');
    assert.equal(sc.volumeBindingMode, 'Immediate');
    assert.equal(defaulted('scheduling.k8s.io', 'v1', 'PriorityClass', { value: 5 }).preemptionPolicy, 'PreemptLowerPriority');
    const wh = defaulted('admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration', { webhooks: [{ name: 'a.b.c', clientConfig: { service: { name: 's', namespace: 'n' } }, rules: [{}] }] });
    assert.equal(wh.webhooks[0].failurePolicy, 'Fail');
    assert.equal(wh.webhooks[0].reinvocationPolicy, 'Never');
    assert.equal(wh.webhooks[0].timeoutSeconds, 10);
    assert.equal(wh.webhooks[0].clientConfig.service.port, 443);
    assert.equal(wh.webhooks[0].rules[0].scope, '*');
  });
});
