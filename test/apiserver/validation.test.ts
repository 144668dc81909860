import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validateObject, cronScheduleError } from '../../src/apiserver/validation/index.js';
import { applyDefaults, generateJobSelector } from '../../src/apiserver/defaults/index.js';
import { fieldErrorMessage } from '../../src/api/field-errors.js';

type Obj = Record<string, any>;

function check(group: string, version: string, kind: string, obj: Obj, old?: Obj): string[] {
  const o = structuredClone(obj);
  applyDefaults(group, version, kind, o);
  return validateObject(group, version, kind, o, old).map((e) => `${e.field}: ${fieldErrorMessage(e)}`);
}

const meta = (name = 'web') => ({ name, namespace: 'default' });
const podSpec = (extra: Obj = {}): Obj => ({ containers: [{ name: 'app', image: 'nginx:1.27' }], ...extra });
const deployment = (spec: Obj = {}): Obj => ({
  metadata: meta(),
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec() }, ...spec },
});

describe('Pod', () => {
  test('valid pod', () => assert.deepEqual(check('', 'v1', 'Pod', { metadata: meta(), spec: podSpec() }), []));
  const cases: Array<[string, Obj, string[]]> = [
    ['no containers', { containers: [] }, ['spec.containers: Required value']],
    ['no image', { containers: [{ name: 'a' }] }, ['spec.containers[0].image: Required value']],
    ['image with spaces', { containers: [{ name: 'a', image: ' nginx' }] }, ['spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace']],
    [
      'bad container name',
      { containers: [{ name: 'App', image: 'x' }] },
      [`spec.containers[0].name: Invalid value: "App": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`],
    ],
    ['duplicate names across init and app containers', { initContainers: [{ name: 'a', image: 'x' }], containers: [{ name: 'a', image: 'x' }] }, ['spec.containers[0].name: Duplicate value: "a"']],
    ['port out of range', { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }] }, ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['bad protocol', { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, protocol: 'HTTP' }] }] }, ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']],
    [
      'request above limit',
      { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] },
      ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
    ],
    [
      'bad quantity',
      { containers: [{ name: 'a', image: 'x', resources: { requests: { memory: '1GB' } } }] },
      [`spec.containers[0].resources.requests[memory]: Invalid value: "1GB": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`],
    ],
    ['negative quantity', { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '-1' } } }] }, ['spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0']],
    // SetDefaults_Pod copies limits into requests, so both report the name.
    ['unknown resource', { containers: [{ name: 'a', image: 'x', resources: { limits: { gpu: '1' } } }] }, [
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    ]],
    ['extended resources may not overcommit', { containers: [{ name: 'a', image: 'x', resources: { requests: { 'nvidia.com/gpu': '1' } } }] }, ['spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources']],
    ['restartPolicy', { restartPolicy: 'Sometimes' }, ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']],
    ['volume names unique', { volumes: [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }] }, ['spec.volumes[1].name: Duplicate value: "v"']],
    ['one volume source', { volumes: [{ name: 'v', emptyDir: {}, configMap: { name: 'c' } }] }, ['spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type']],
    ['volume mount path required', { containers: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'v' }] }], volumes: [{ name: 'v' }] }, ['spec.containers[0].volumeMounts[0].mountPath: Required value']],
    ['toleration operator', { tolerations: [{ key: 'k', operator: 'Is' }] }, ['spec.tolerations[0].operator: Unsupported value: "Is": supported values: "Equal", "Exists"']],
    ['liveness successThreshold', { containers: [{ name: 'a', image: 'x', livenessProbe: { tcpSocket: { port: 80 }, successThreshold: 2 } }] }, ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1']],
    ['probe without handler', { containers: [{ name: 'a', image: 'x', readinessProbe: { periodSeconds: 5 } }] }, ['spec.containers[0].readinessProbe: Required value: must specify a handler type']],
  ];
  for (const [name, spec, want] of cases) {
    test(name, () => assert.deepEqual(check('', 'v1', 'Pod', { metadata: meta(), spec: podSpec(spec) }), want));
  }
  test('update may change images only', () => {
    const old = structuredClone({ metadata: { ...meta(), resourceVersion: '1' }, spec: podSpec() });
    applyDefaults('', 'v1', 'Pod', old);
    const imageChange = structuredClone(old);
    imageChange.spec.containers[0].image = 'nginx:1.28';
    assert.deepEqual(validateObject('', 'v1', 'Pod', imageChange, old), []);
    const other = structuredClone(old);
    other.spec.containers[0].ports = [{ containerPort: 80, protocol: 'TCP' }];
    const msgs = validateObject('', 'v1', 'Pod', other, old).map((e) => `${e.field}: ${fieldErrorMessage(e)}`);
    assert.equal(msgs.length, 1);
    assert.match(msgs[0], /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/);
  });
});

describe('Deployment and other controllers', () => {
  test('valid deployment', () => assert.deepEqual(check('apps', 'v1', 'Deployment', deployment()), []));
  test('selector must match template labels', () => {
    const d = deployment();
    d.spec.template.metadata.labels = { app: 'other' };
    assert.deepEqual(check('apps', 'v1', 'Deployment', d), ['spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`']);
  });
  test('selector required; empty selector invalid', () => {
    const d = deployment();
    delete d.spec.selector;
    // A nil selector is labels.Nothing(), which matches no template either.
    assert.deepEqual(check('apps', 'v1', 'Deployment', d), ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']);
    assert.deepEqual(check('apps', 'v1', 'Deployment', deployment({ selector: {} })), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
  });
  test('replicas, strategy, surge', () => {
    assert.deepEqual(check('apps', 'v1', 'Deployment', deployment({ replicas: -1 })), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
    assert.deepEqual(check('apps', 'v1', 'Deployment', deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } })), [
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ]);
    assert.deepEqual(check('apps', 'v1', 'Deployment', deployment({ strategy: { type: 'Blue' } })), ['spec.strategy: Unsupported value: {"type":"Blue"}: supported values: "Recreate", "RollingUpdate"']);
    assert.deepEqual(check('apps', 'v1', 'Deployment', deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'abc' } } })), [
      `spec.strategy.rollingUpdate.maxSurge: Invalid value: "abc": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
    ]);
    assert.deepEqual(check('apps', 'v1', 'Deployment', deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '120%' } } })), [
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%',
    ]);
  });
  test('template restartPolicy must be Always', () => {
    const d = deployment();
    d.spec.template.spec.restartPolicy = 'Never';
    assert.deepEqual(check('apps', 'v1', 'Deployment', d), ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']);
  });
  test('selector is immutable in apps/v1', () => {
    const old = deployment();
    old.metadata.resourceVersion = '3';
    applyDefaults('apps', 'v1', 'Deployment', old);
    const next = structuredClone(old);
    next.spec.selector = { matchLabels: { app: 'web', v: '2' } };
    next.spec.template.metadata.labels = { app: 'web', v: '2' };
    assert.deepEqual(validateObject('apps', 'v1', 'Deployment', next, old).map((e) => `${e.field}: ${fieldErrorMessage(e)}`), [
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"2"}}: field is immutable',
    ]);
  });
  test('StatefulSet, DaemonSet, ReplicaSet, ReplicationController', () => {
    const base = deployment();
    assert.deepEqual(check('apps', 'v1', 'StatefulSet', { ...base, spec: { ...base.spec, serviceName: 'web' } }), []);
    assert.deepEqual(check('apps', 'v1', 'DaemonSet', base), []);
    assert.deepEqual(check('apps', 'v1', 'ReplicaSet', base), []);
    assert.deepEqual(check('apps', 'v1', 'StatefulSet', { ...base, spec: { ...base.spec, podManagementPolicy: 'Random' } }), [`spec.podManagementPolicy: Invalid value: "Random": must be 'OrderedReady' or 'Parallel'`]);
    assert.deepEqual(check('apps', 'v1', 'DaemonSet', { ...base, spec: { ...base.spec, selector: {} } }), ['spec.selector: Invalid value: {}: empty selector is invalid for daemonset']);
    assert.deepEqual(check('apps', 'v1', 'DaemonSet', { ...base, spec: { ...base.spec, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } } }), [
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
    ]);
    const noSelector = structuredClone(base);
    delete noSelector.spec.selector;
    assert.deepEqual(check('apps', 'v1', 'DaemonSet', noSelector), ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']);
    const rc = { metadata: meta(), spec: { selector: { app: 'x' }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec() } } };
    assert.deepEqual(check('', 'v1', 'ReplicationController', rc), ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']);
  });
  test('StatefulSet update: only some spec fields may change', () => {
    const old: Obj = { ...deployment(), spec: { ...deployment().spec, serviceName: 'web' } };
    old.metadata.resourceVersion = '1';
    applyDefaults('apps', 'v1', 'StatefulSet', old);
    const next = structuredClone(old);
    next.spec.serviceName = 'other';
    assert.deepEqual(validateObject('apps', 'v1', 'StatefulSet', next, old).map((e) => `${e.field}: ${fieldErrorMessage(e)}`), [
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });
});

describe('Job and CronJob', () => {
  const job = (spec: Obj = {}): Obj => ({ metadata: { ...meta('pi'), uid: 'uid-1' }, spec: { template: { spec: podSpec({ restartPolicy: 'Never' }) }, ...spec } });
  function checkJob(j: Obj, old?: Obj): string[] {
    const o = structuredClone(j);
    applyDefaults('batch', 'v1', 'Job', o);
    generateJobSelector(o, 'uid-1');
    return validateObject('batch', 'v1', 'Job', o, old).map((e) => `${e.field}: ${fieldErrorMessage(e)}`);
  }
  test('valid job with generated selector', () => assert.deepEqual(checkJob(job()), []));
  test('restartPolicy Always is not allowed', () => {
    const j = job();
    j.spec.template.spec.restartPolicy = 'Always';
    assert.deepEqual(checkJob(j), ['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']);
  });
  test('Indexed needs completions; negatives rejected', () => {
    assert.deepEqual(checkJob(job({ completionMode: 'Indexed', parallelism: 2 })), ['spec.completions: Required value: when completion mode is Indexed']);
    assert.deepEqual(checkJob(job({ backoffLimit: -1 })), ['spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0']);
  });
  test('manual selector must match', () => {
    const j = job({ manualSelector: true, selector: { matchLabels: { a: 'b' } } });
    assert.deepEqual(checkJob(j), ['spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`']);
  });
  test('template immutable after creation', () => {
    const old = structuredClone(job());
    old.metadata.resourceVersion = '1';
    applyDefaults('batch', 'v1', 'Job', old);
    generateJobSelector(old, 'uid-1');
    const next = structuredClone(old);
    next.spec.template.spec.containers[0].image = 'other';
    const msgs = validateObject('batch', 'v1', 'Job', next, old).map((e) => `${e.field}: ${fieldErrorMessage(e)}`);
    assert.equal(msgs.length, 1);
    assert.match(msgs[0], /^spec.template: Invalid value: .*: field is immutable$/);
  });
  const cron = (schedule: string, extra: Obj = {}): Obj => ({ metadata: meta('backup'), spec: { schedule, jobTemplate: { spec: { template: { spec: podSpec({ restartPolicy: 'OnFailure' }) } } }, ...extra } });
  for (const ok of ['*/5 * * * *', '0 0 * * 0', '@hourly', '@every 1h30m', '0 9-17 * JAN-MAR mon-fri', '15,45 */2 1 * ?']) {
    test(`schedule ${ok} is valid`, () => assert.deepEqual(check('batch', 'v1', 'CronJob', cron(ok)), []));
  }
  const bad: Array<[string, string]> = [
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['', 'empty spec string'],
  ];
  for (const [schedule, want] of bad) {
    test(`schedule ${JSON.stringify(schedule)}: ${want}`, () => assert.equal(cronScheduleError(schedule), want));
  }
  test('CronJob errors in context', () => {
    assert.deepEqual(check('batch', 'v1', 'CronJob', cron('61 * * * *')), ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61']);
    assert.deepEqual(check('batch', 'v1', 'CronJob', cron('TZ=UTC 0 * * * *')), ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']);
    assert.deepEqual(check('batch', 'v1', 'CronJob', cron('0 * * * *', { timeZone: 'Mars/Olympus' })), ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
    assert.deepEqual(check('batch', 'v1', 'CronJob', cron('0 * * * *', { timeZone: 'Europe/Berlin' })), []);
    assert.deepEqual(check('batch', 'v1', 'CronJob', cron('0 * * * *', { concurrencyPolicy: 'Sometimes' })), ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"']);
    assert.deepEqual(check('batch', 'v1', 'CronJob', { ...cron('0 * * * *'), metadata: meta('x'.repeat(53)) }), [`metadata.name: Invalid value: "${'x'.repeat(53)}": must be no more than 52 characters`]);
  });
});

describe('Service', () => {
  const svc = (spec: Obj): Obj => ({ metadata: meta(), spec: { selector: { app: 'web' }, ...spec } });
  test('valid', () => assert.deepEqual(check('', 'v1', 'Service', svc({ ports: [{ port: 80 }] })), []));
  test('rules', () => {
    assert.deepEqual(check('', 'v1', 'Service', svc({})), ['spec.ports: Required value']);
    // targetPort defaults to port, so it is reported as well (ValidatePortNumOrName).
    assert.deepEqual(check('', 'v1', 'Service', svc({ ports: [{ port: 0 }] })), [
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
    assert.deepEqual(check('', 'v1', 'Service', svc({ ports: [{ port: 80 }, { port: 443 }] })), ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']);
    assert.deepEqual(check('', 'v1', 'Service', svc({ ports: [{ name: 'a', port: 80 }, { name: 'a', port: 81 }] })), ['spec.ports[1].name: Duplicate value: "a"']);
    assert.deepEqual(check('', 'v1', 'Service', svc({ type: 'Magic', ports: [{ port: 80 }] })), ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']);
    assert.deepEqual(check('', 'v1', 'Service', svc({ ports: [{ port: 80, protocol: 'ICMP' }] })), ['spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"']);
    assert.deepEqual(check('', 'v1', 'Service', { metadata: meta(), spec: { type: 'ExternalName', externalName: 'db.example.com' } }), []);
  });
  test('clusterIP may not change', () => {
    const old = svc({ clusterIP: '10.96.0.10', ports: [{ port: 80 }] });
    old.metadata.resourceVersion = '1';
    applyDefaults('', 'v1', 'Service', old);
    const next = structuredClone(old);
    next.spec.clusterIP = '10.96.0.11';
    assert.deepEqual(validateObject('', 'v1', 'Service', next, old).map((e) => `${e.field}: ${fieldErrorMessage(e)}`), ['spec.clusterIPs[0]: Invalid value: "10.96.0.11": may not change once set']);
  });
});

describe('ConfigMap and Secret', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  test('keys', () => {
    assert.deepEqual(check('', 'v1', 'ConfigMap', { metadata: meta(), data: { 'a b': 'x', '..x': 'y', 'ok.key_1-2': 'z' } }), [
      `data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      "data[..x]: Invalid value: \"..x\": must not start with '..'",
    ]);
  });
  test('1 MiB in total', () => {
    assert.deepEqual(check('', 'v1', 'ConfigMap', { metadata: meta(), data: { a: 'x'.repeat(1024 * 1024 + 1) } }), [': Too long: may not be more than 1048576 bytes']);
  });
  test('immutable', () => {
    const old = { metadata: { ...meta(), resourceVersion: '1' }, immutable: true, data: { a: 'b' } };
    assert.deepEqual(check('', 'v1', 'ConfigMap', { ...old, data: { a: 'c' } }, old), ['data: Forbidden: field is immutable when `immutable` is set']);
    const oldSecret = { metadata: { ...meta(), resourceVersion: '1' }, immutable: true, type: 'Opaque', data: { a: b64('b') } };
    assert.deepEqual(check('', 'v1', 'Secret', { ...oldSecret, immutable: false }, oldSecret), ['immutable: Forbidden: field is immutable when `immutable` is set']);
    assert.deepEqual(check('', 'v1', 'Secret', { ...oldSecret, immutable: true, type: 'x.io/y' }, oldSecret), ['type: Invalid value: "x.io/y": field is immutable']);
  });
  test('type-specific keys', () => {
    assert.deepEqual(check('', 'v1', 'Secret', { metadata: meta(), type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } }), ['data[tls.key]: Required value']);
    assert.deepEqual(check('', 'v1', 'Secret', { metadata: meta(), type: 'kubernetes.io/dockerconfigjson', data: {} }), ['data[.dockerconfigjson]: Required value']);
    const bad = check('', 'v1', 'Secret', { metadata: meta(), type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{nope') } });
    assert.equal(bad.length, 1);
    assert.match(bad[0], /^data\[\.dockerconfigjson\]: Invalid value: "<secret contents redacted>": /);
    assert.deepEqual(check('', 'v1', 'Secret', { metadata: meta(), type: 'kubernetes.io/service-account-token' }), ['metadata.annotations[kubernetes.io/service-account.name]: Required value']);
    assert.deepEqual(check('', 'v1', 'Secret', { metadata: meta(), type: 'kubernetes.io/basic-auth', data: { username: b64('u') } }), []);
  });
  test('stringData is merged into data', () => {
    const s: Obj = { metadata: meta(), stringData: { password: 'hunter2' }, data: { user: b64('admin') } };
    applyDefaults('', 'v1', 'Secret', s);
    assert.deepEqual(s.data, { user: b64('admin'), password: b64('hunter2') });
    assert.equal(s.stringData, undefined);
  });
});

describe('other kinds', () => {
  test('HPA', () => {
    const hpa = (spec: Obj) => ({ metadata: meta(), spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, ...spec } });
    assert.deepEqual(check('autoscaling', 'v2', 'HorizontalPodAutoscaler', hpa({})), []);
    assert.deepEqual(check('autoscaling', 'v2', 'HorizontalPodAutoscaler', hpa({ minReplicas: 6 })), ['spec.maxReplicas: Invalid value: 5: must be greater than or equal to `minReplicas`']);
    assert.deepEqual(check('autoscaling', 'v2', 'HorizontalPodAutoscaler', hpa({ minReplicas: 0 })), ['spec.minReplicas: Invalid value: 0: must be greater than or equal to 1']);
    assert.deepEqual(check('autoscaling', 'v2', 'HorizontalPodAutoscaler', hpa({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }] })), [
      'spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
    ]);
    assert.deepEqual(check('autoscaling', 'v2', 'HorizontalPodAutoscaler', hpa({ metrics: [{ type: 'Pods', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] })), [
      'spec.metrics[0].pods: Required value: must populate information for the given metric source',
    ]);
    assert.deepEqual(check('autoscaling', 'v2', 'HorizontalPodAutoscaler', hpa({ behavior: { scaleDown: { policies: [{ type: 'Percent', value: 10, periodSeconds: 3600 }] } } })), [
      'spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 3600: must be less than or equal to 1800',
    ]);
  });
  test('PDB', () => {
    const errs = check('policy', 'v1', 'PodDisruptionBudget', { metadata: meta(), spec: { minAvailable: 1, maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } });
    assert.equal(errs.length, 1);
    assert.match(errs[0], /^spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set$/);
    assert.deepEqual(check('policy', 'v1', 'PodDisruptionBudget', { metadata: meta(), spec: { minAvailable: '50%', selector: {} } }), []);
  });
  test('RBAC', () => {
    const role = { metadata: meta('reader'), rules: [{ apiGroups: [''], resources: ['pods'] }, { apiGroups: [''], verbs: ['get'] }] };
    assert.deepEqual(check('rbac.authorization.k8s.io', 'v1', 'Role', role), ['rules[0].verbs: Required value: verbs must contain at least one value', 'rules[1].resources: Required value: resource rules must supply at least one resource']);
    assert.deepEqual(check('rbac.authorization.k8s.io', 'v1', 'Role', { metadata: meta('r'), rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] }), [
      'rules[0].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
    ]);
    const rb = { metadata: meta('rb'), roleRef: { kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'default' }, { kind: 'Robot', name: 'r2' }] };
    assert.deepEqual(check('rbac.authorization.k8s.io', 'v1', 'RoleBinding', rb), ['subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"']);
    const crb = { metadata: { name: 'crb' }, roleRef: { kind: 'Role', name: 'x' }, subjects: [{ kind: 'ServiceAccount', name: 'default' }] };
    assert.deepEqual(check('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', crb), ['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"', 'subjects[0].namespace: Required value']);
    const old = { ...rb, metadata: { ...meta('rb'), resourceVersion: '1' }, subjects: [] };
    applyDefaults('rbac.authorization.k8s.io', 'v1', 'RoleBinding', old);
    assert.deepEqual(check('rbac.authorization.k8s.io', 'v1', 'RoleBinding', { ...old, roleRef: { kind: 'Role', name: 'writer' } }, old), [
      'roleRef: Invalid value: {"kind":"Role","name":"writer","apiGroup":"rbac.authorization.k8s.io"}: cannot change roleRef',
    ]);
  });
  test('Namespace finalizers, Lease, Event, PVC, Node', () => {
    assert.deepEqual(check('', 'v1', 'Namespace', { metadata: { name: 'ns' }, spec: { finalizers: ['custom'] } }), ['spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified']);
    assert.deepEqual(check('coordination.k8s.io', 'v1', 'Lease', { metadata: meta('l'), spec: { leaseDurationSeconds: 0 } }), ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']);
    assert.deepEqual(check('', 'v1', 'Event', { metadata: { name: 'e.1', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'other' } }), [
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
    assert.deepEqual(check('', 'v1', 'PersistentVolumeClaim', { metadata: meta('data'), spec: { resources: { requests: { storage: '1Gi' } } } }), ['spec.accessModes: Required value: at least 1 access mode is required']);
    assert.deepEqual(check('', 'v1', 'PersistentVolumeClaim', { metadata: meta('data'), spec: { accessModes: ['ReadWriteOnce'] } }), ['spec.resources[storage]: Required value']);
    assert.deepEqual(check('', 'v1', 'Node', { metadata: { name: 'n1' }, spec: { taints: [{ key: 'k', effect: 'Sometimes' }] } }), ['spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"']);
  });
  test('PVC spec immutable except storage of bound claims', () => {
    const old: Obj = { metadata: { ...meta('data'), resourceVersion: '1' }, spec: { accessModes: ['ReadWriteOnce'], volumeName: 'pv-1', resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound', capacity: { storage: '1Gi' } } };
    applyDefaults('', 'v1', 'PersistentVolumeClaim', old);
    const grow = structuredClone(old);
    grow.spec.resources.requests.storage = '2Gi';
    assert.deepEqual(validateObject('', 'v1', 'PersistentVolumeClaim', grow, old), []);
    const modes = structuredClone(old);
    modes.spec.accessModes = ['ReadWriteMany'];
    assert.deepEqual(validateObject('', 'v1', 'PersistentVolumeClaim', modes, old).map((e) => `${e.field}: ${fieldErrorMessage(e)}`), [
      'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    ]);
  });
  test('Ingress and NetworkPolicy', () => {
    const ing = (rules: Obj[]) => ({ metadata: meta('ing'), spec: { rules } });
    const backend = { service: { name: 'web', port: { number: 80 } } };
    assert.deepEqual(check('networking.k8s.io', 'v1', 'Ingress', ing([{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }])), []);
    assert.deepEqual(check('networking.k8s.io', 'v1', 'Ingress', ing([{ host: '10.0.0.1', http: { paths: [{ path: 'x', pathType: 'Prefix', backend }] } }])), [
      'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
      'spec.rules[0].http.paths[0].path: Invalid value: "x": must be an absolute path',
    ]);
    assert.deepEqual(check('networking.k8s.io', 'v1', 'Ingress', ing([{ http: { paths: [{ path: '/', backend }] } }])), ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']);
    // As helm users see it: `spec: Invalid value: null: either ...`.
    assert.deepEqual(check('networking.k8s.io', 'v1', 'Ingress', { metadata: meta('ing'), spec: { ingressClassName: 'nginx' } }), ['spec: Invalid value: null: either `defaultBackend` or `rules` must be specified']);
    const np = { metadata: meta('np'), spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }], ports: [{ port: 80, endPort: 70 }] }] } };
    assert.deepEqual(check('networking.k8s.io', 'v1', 'NetworkPolicy', np), [
      'spec.ingress[0].ports[0].endPort: Invalid value: 70: must be greater than or equal to `port`',
      'spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer',
    ]);
  });
  test('PriorityClass and StorageClass', () => {
    assert.deepEqual(check('scheduling.k8s.io', 'v1', 'PriorityClass', { metadata: { name: 'high' }, value: 2000000000 }), ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
    assert.deepEqual(check('storage.k8s.io', 'v1', 'StorageClass', { metadata: { name: 'gp3' }, provisioner: 'ebs.csi.aws.com', volumeBindingMode: 'Later' }), [
      'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
    ]);
  });
  test('review requests carry no metadata to check', () => {
    assert.deepEqual(check('authentication.k8s.io', 'v1', 'TokenReview', { spec: { token: 'x' } }), []);
  });
  test('unknown kinds get ObjectMeta validation only', () => {
    assert.deepEqual(check('example.com', 'v1', 'Widget', { metadata: { name: 'w', namespace: 'default' }, spec: { anything: true } }), []);
    assert.equal(check('example.com', 'v1', 'Widget', { metadata: { name: 'W!' } }).length, 1);
  });
});
