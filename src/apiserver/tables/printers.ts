// Server-side printer columns of built-in resources (pkg/printers/internalversion/printers.go).
// The API server always prints the wide cells (GenerateOptions{Wide: true}); kubectl hides
// columns with priority > 0 unless asked for -o wide.
import { formatLabelSelector } from '../../util/label-selector.js';
import type { Obj } from './format.js';
import { accessModes, conditionStatus, containerCells, formatLabels, get, has, humanDuration, isObj, list, num, quantityString, since, str, timeOf } from './format.js';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface RowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Printer {
  columns: ColumnDefinition[];
  cells(o: Obj, now: number): unknown[];
  conditions?(o: Obj): RowCondition[] | undefined;
}

const NAME_DOC = 'Name of the object (metadata.name).';
const AGE_DOC = 'Time since the object was created (metadata.creationTimestamp).';

function col(name: string, type = 'string', description = '', priority = 0, format = ''): ColumnDefinition {
  return { name, type, format, description, priority };
}
const NAME = col('Name', 'string', NAME_DOC, 0, 'name');
const AGE = col('Age', 'string', AGE_DOC);
const wide = (name: string, description: string, type = 'string') => col(name, type, description, 1);
const CONTAINERS = wide('Containers', 'Names of each container in the template.');
const IMAGES = wide('Images', 'Images referenced by each container in the template.');
const SELECTOR = wide('Selector', 'Label selector of the pods this object manages.');

const name = (o: Obj) => str(o, 'metadata', 'name');
const age = (o: Obj, now: number) => since(get(o, 'metadata', 'creationTimestamp'), now);
const templateContainers = (o: Obj, ...path: string[]) => containerCells(list(o, ...path, 'containers'));

type Cells = (o: Obj, now: number) => unknown[];

/** The common printer shape: Name, the resource's own columns, then Age. */
function named(columns: ColumnDefinition[], cells: Cells): Printer {
  return { columns: [NAME, ...columns, AGE], cells: (o, now) => [name(o), ...cells(o, now), age(o, now)] };
}

/** Owners of a pod template: Name, own columns, Age, then (wide) the template's Containers and Images and the selector. */
function templateOwner(columns: ColumnDefinition[], cells: Cells, templateSpec: string[], selector: (o: Obj) => string): Printer {
  return {
    columns: [NAME, ...columns, AGE, CONTAINERS, IMAGES, SELECTOR],
    cells: (o, now) => [name(o), ...cells(o, now), age(o, now), ...templateContainers(o, ...templateSpec), selector(o)],
  };
}

const POD_TEMPLATE_SPEC = ['spec', 'template', 'spec'];
const specSelector = (o: Obj) => formatLabelSelector(get(o, 'spec', 'selector'));
const REPLICA_COUNT_COLUMNS = [col('Desired', 'integer', 'Desired replicas.'), col('Current', 'integer', 'Current replicas.'), col('Ready', 'integer', 'Ready replicas.')];
const replicaCounts = (o: Obj) => [num(o, 'spec', 'replicas'), num(o, 'status', 'replicas'), num(o, 'status', 'readyReplicas')];

// ---- pods ----

function podCells(pod: Obj, now: number): unknown[] {
  let restarts = 0;
  let restartableInitRestarts = 0;
  const spec = get(pod, 'spec');
  let totalContainers = list(spec, 'containers').length;
  let readyContainers = 0;
  let lastRestart = 0;
  let lastRestartableInitRestart = 0;
  const phase = str(pod, 'status', 'phase');
  let reason = str(pod, 'status', 'reason') || phase;
  for (const c of list(pod, 'status', 'conditions')) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const initSpecs = new Map<string, Obj>();
  const initContainers = list(spec, 'initContainers');
  for (const c of initContainers) {
    initSpecs.set(str(c, 'name'), c);
    if (c.restartPolicy === 'Always') totalContainers++;
  }
  const finishedAt = (s: Obj) => timeOf(get(s, 'lastState', 'terminated', 'finishedAt')) ?? 0;
  let initializing = false;
  const initStatuses = list(pod, 'status', 'initContainerStatuses');
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const restartable = initSpecs.get(str(cs, 'name'))?.restartPolicy === 'Always';
    restarts += num(cs, 'restartCount');
    lastRestart = Math.max(lastRestart, finishedAt(cs));
    if (restartable) {
      restartableInitRestarts += num(cs, 'restartCount');
      lastRestartableInitRestart = Math.max(lastRestartableInitRestart, finishedAt(cs));
    }
    const terminated = get(cs, 'state', 'terminated');
    const waiting = get(cs, 'state', 'waiting');
    if (isObj(terminated) && num(terminated, 'exitCode') === 0) continue;
    if (restartable && cs.started === true) {
      if (cs.ready === true) readyContainers++;
      continue;
    }
    if (isObj(terminated)) {
      const r = str(terminated, 'reason');
      if (!r) reason = num(terminated, 'signal') !== 0 ? `Init:Signal:${num(terminated, 'signal')}` : `Init:ExitCode:${num(terminated, 'exitCode')}`;
      else reason = `Init:${r}`;
    } else if (isObj(waiting) && str(waiting, 'reason') && str(waiting, 'reason') !== 'PodInitializing') {
      reason = `Init:${str(waiting, 'reason')}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }
  if (!initializing || conditionStatus(pod, 'Initialized') === 'True') {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses = list(pod, 'status', 'containerStatuses');
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += num(cs, 'restartCount');
      lastRestart = Math.max(lastRestart, finishedAt(cs));
      const waiting = get(cs, 'state', 'waiting');
      const terminated = get(cs, 'state', 'terminated');
      if (isObj(waiting) && str(waiting, 'reason')) reason = str(waiting, 'reason');
      else if (isObj(terminated) && str(terminated, 'reason')) reason = str(terminated, 'reason');
      else if (isObj(terminated)) reason = num(terminated, 'signal') !== 0 ? `Signal:${num(terminated, 'signal')}` : `ExitCode:${num(terminated, 'exitCode')}`;
      else if (cs.ready === true && has(cs, 'state', 'running')) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionStatus(pod, 'Ready') === 'True' ? 'Running' : 'NotReady';
  }
  const deleting = has(pod, 'metadata', 'deletionTimestamp');
  if (deleting && str(pod, 'status', 'reason') === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  const restartsCell = restarts !== 0 && lastRestart !== 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  const podIPs = list(pod, 'status', 'podIPs');
  // v1 -> internal conversion fills podIPs from podIP when only the latter is set.
  const podIP = (podIPs.length ? str(podIPs[0], 'ip') : str(pod, 'status', 'podIP')) || '<none>';
  const gates = list(spec, 'readinessGates');
  let readinessGates = '<none>';
  if (gates.length) {
    const conds = list(pod, 'status', 'conditions');
    const trueCount = gates.filter((g) => conds.find((c) => c.type === g.conditionType)?.status === 'True').length;
    readinessGates = `${trueCount}/${gates.length}`;
  }
  return [
    name(pod),
    `${readyContainers}/${totalContainers}`,
    reason,
    restartsCell,
    age(pod, now),
    podIP,
    str(spec, 'nodeName') || '<none>',
    str(pod, 'status', 'nominatedNodeName') || '<none>',
    readinessGates,
  ];
}

function podConditions(pod: Obj): RowCondition[] | undefined {
  const phase = str(pod, 'status', 'phase');
  if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
  if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  return undefined;
}

// ---- services, endpoints, ingress ----

function loadBalancerIngress(o: Obj, ...path: string[]): string {
  const set = new Set<string>();
  for (const ing of list(o, ...path)) {
    if (str(ing, 'ip')) set.add(str(ing, 'ip'));
    else if (str(ing, 'hostname')) set.add(str(ing, 'hostname'));
  }
  // Wide output is never clipped; the server prints wide cells.
  return [...set].sort().join(',');
}

function serviceExternalIP(svc: Obj): string {
  const externalIPs = Array.isArray(get(svc, 'spec', 'externalIPs')) ? (get(svc, 'spec', 'externalIPs') as unknown[]).map(String) : [];
  switch (str(svc, 'spec', 'type')) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc, 'status', 'loadBalancer', 'ingress');
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(svc, 'spec', 'externalName');
  }
  return '<unknown>';
}

function servicePorts(svc: Obj): string {
  const s = list(svc, 'spec', 'ports')
    .map((p) => (num(p, 'nodePort') > 0 ? `${num(p, 'port')}:${num(p, 'nodePort')}/${str(p, 'protocol')}` : `${num(p, 'port')}/${str(p, 'protocol')}`))
    .join(',');
  return s || '<none>';
}

function formatEndpoints(ep: Obj): string {
  const subsets = list(ep, 'subsets');
  if (subsets.length === 0) return '<none>';
  const out: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = list(ss, 'addresses');
    const ports = list(ss, 'ports');
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) {
        if (out.length === max) {
          more = true;
          break;
        }
        out.push(str(a, 'ip'));
      }
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (out.length === max) {
          more = true;
          break;
        }
        const ip = str(a, 'ip');
        out.push(`${ip.includes(':') ? `[${ip}]` : ip}:${num(p, 'port')}`);
      }
    }
  }
  const joined = out.join(',');
  return more ? `${joined} + ${count - max} more...` : joined;
}

function listWithMore(items: string[], total: number, max: number): string {
  const shown = items.slice(0, max);
  const joined = shown.join(',');
  if (total > max) return `${joined} + ${total - max} more...`;
  return joined || '<unset>';
}

function ingressHosts(ing: Obj): string {
  const rules = list(ing, 'spec', 'rules');
  const out: string[] = [];
  const max = 3;
  let more = false;
  for (const r of rules) {
    if (out.length === max) more = true;
    if (!more && str(r, 'host')) out.push(str(r, 'host'));
  }
  if (out.length === 0) return '*';
  return more ? `${out.join(',')} + ${rules.length - max} more...` : out.join(',');
}

// ---- nodes ----

function nodeStatus(node: Obj): string {
  const ready = list(node, 'status', 'conditions').find((c) => c.type === 'Ready');
  const status: string[] = [];
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else status.push('Unknown');
  if (get(node, 'spec', 'unschedulable') === true) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeRoles(node: Obj): string {
  const roles = new Set<string>();
  const labels = get(node, 'metadata', 'labels');
  if (isObj(labels)) {
    for (const [k, v] of Object.entries(labels)) {
      if (k.startsWith('node-role.kubernetes.io/')) {
        const role = k.slice('node-role.kubernetes.io/'.length);
        if (role) roles.add(role);
      } else if (k === 'kubernetes.io/role' && v !== '') roles.add(String(v));
    }
  }
  return [...roles].sort().join(',') || '<none>';
}

function nodeAddress(node: Obj, type: string): string {
  return str(list(node, 'status', 'addresses').find((a) => a.type === type), 'address') || '<none>';
}

// ---- events ----

function eventCells(ev: Obj, now: number): unknown[] {
  const microSince = (v: unknown) => since(v, now);
  let first = has(ev, 'firstTimestamp') ? since(ev.firstTimestamp, now) : microSince(ev.eventTime);
  if (first === '<unknown>' && !has(ev, 'firstTimestamp')) first = microSince(ev.eventTime);
  let last = has(ev, 'lastTimestamp') ? since(ev.lastTimestamp, now) : first;
  let count = num(ev, 'count');
  if (isObj(ev.series)) {
    last = microSince(get(ev, 'series', 'lastObservedTime'));
    count = num(ev, 'series', 'count');
  } else if (count === 0) count = 1;
  const kind = str(ev, 'involvedObject', 'kind').toLowerCase();
  const target = str(ev, 'involvedObject', 'name') ? `${kind}/${str(ev, 'involvedObject', 'name')}` : kind;
  const component = str(ev, 'source', 'component') || str(ev, 'reportingComponent');
  const host = str(ev, 'source', 'host') || str(ev, 'reportingInstance');
  const source = host ? `${component}, ${host}` : component;
  return [last, str(ev, 'type'), str(ev, 'reason'), target, str(ev, 'involvedObject', 'fieldPath'), source, str(ev, 'message').trim(), first, count, name(ev)];
}

/** events.k8s.io/v1 Events are stored as core Events: the same printer, on the core field names. */
function asCoreEvent(ev: Obj): Obj {
  return {
    metadata: ev.metadata,
    involvedObject: ev.regarding,
    type: ev.type,
    reason: ev.reason,
    message: ev.note,
    source: ev.deprecatedSource,
    reportingComponent: ev.reportingController,
    reportingInstance: ev.reportingInstance,
    firstTimestamp: ev.deprecatedFirstTimestamp,
    lastTimestamp: ev.deprecatedLastTimestamp,
    count: ev.deprecatedCount,
    eventTime: ev.eventTime,
    series: ev.series,
  };
}

// ---- HPA ----

/** autoscaling/v1 objects carry one CPU target; upstream prints them through the v2 shape. */
function hpaMetrics(hpa: Obj): [Obj[], Obj[]] {
  if (has(hpa, 'spec', 'metrics') || !has(hpa, 'spec', 'targetCPUUtilizationPercentage')) return [list(hpa, 'spec', 'metrics'), list(hpa, 'status', 'currentMetrics')];
  const spec = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: num(hpa, 'spec', 'targetCPUUtilizationPercentage') } } }];
  const status = has(hpa, 'status', 'currentCPUUtilizationPercentage')
    ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: num(hpa, 'status', 'currentCPUUtilizationPercentage') } } }]
    : [];
  return [spec, status];
}

function hpaTargets(hpa: Obj): string {
  const [specs, statuses] = hpaMetrics(hpa);
  if (specs.length === 0) return '<none>';
  const out: string[] = [];
  specs.forEach((m, i) => {
    const st = statuses[i];
    const qs = (v: unknown) => quantityString(v);
    switch (m.type) {
      case 'External':
      case 'Object': {
        const key = m.type === 'External' ? 'external' : 'object';
        if (has(m, key, 'target', 'averageValue')) {
          const cur = has(st, key, 'current', 'averageValue') ? qs(get(st, key, 'current', 'averageValue')) : '<unknown>';
          out.push(`${cur}/${qs(get(m, key, 'target', 'averageValue'))} (avg)`);
        } else {
          const cur = isObj(get(st, key)) ? qs(get(st, key, 'current', 'value')) : '<unknown>';
          out.push(`${cur}/${qs(get(m, key, 'target', 'value'))}`);
        }
        break;
      }
      case 'Pods': {
        const cur = isObj(get(st, 'pods')) ? qs(get(st, 'pods', 'current', 'averageValue')) : '<unknown>';
        out.push(`${cur}/${qs(get(m, 'pods', 'target', 'averageValue'))}`);
        break;
      }
      case 'Resource':
      case 'ContainerResource': {
        const key = m.type === 'Resource' ? 'resource' : 'containerResource';
        const res = str(m, key, 'name');
        if (has(m, key, 'target', 'averageValue')) {
          const cur = isObj(get(st, key)) ? qs(get(st, key, 'current', 'averageValue')) : '<unknown>';
          out.push(`${res}: ${cur}/${qs(get(m, key, 'target', 'averageValue'))}`);
        } else {
          const cur = has(st, key, 'current', 'averageUtilization') ? `${num(st, key, 'current', 'averageUtilization')}%` : '<unknown>';
          const target = has(m, key, 'target', 'averageUtilization') ? `${num(m, key, 'target', 'averageUtilization')}%` : '<auto>';
          out.push(`${res}: ${cur}/${target}`);
        }
        break;
      }
      default:
        out.push('<unknown type>');
    }
  });
  const max = 2;
  if (out.length > max) return `${out.slice(0, max).join(', ')} + ${out.length - max} more...`;
  return out.join(', ');
}

// ---- RBAC ----

function subjectsStrings(b: Obj): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of list(b, 'subjects')) {
    if (s.kind === 'User') users.push(str(s, 'name'));
    else if (s.kind === 'Group') groups.push(str(s, 'name'));
    else if (s.kind === 'ServiceAccount') sas.push(`${str(s, 'namespace')}/${str(s, 'name')}`);
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

const bindingPrinter: Printer = {
  columns: [NAME, col('Role', 'string', 'The role this binding grants.'), AGE, wide('Users', 'Users in the binding'), wide('Groups', 'Groups in the binding'), wide('ServiceAccounts', 'ServiceAccounts in the binding')],
  cells: (o, now) => [name(o), `${str(o, 'roleRef', 'kind')}/${str(o, 'roleRef', 'name')}`, age(o, now), ...subjectsStrings(o)],
};

const webhookConfigurationPrinter = named([col('Webhooks', 'integer', 'Webhooks indicates the number of webhooks registered in this configuration')], (o) => [list(o, 'webhooks').length]);

function csrStatus(o: Obj): string {
  const types = new Set(list(o, 'status', 'conditions').map((c) => str(c, 'type')));
  let s = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) s += ',Failed';
  if (str(o, 'status', 'certificate')) s += ',Issued';
  return s;
}

const storageClassName = (o: Obj) => str(o, 'metadata', 'annotations', 'volume.beta.kubernetes.io/storage-class') || str(o, 'spec', 'storageClassName');
const orUnset = (v: string) => v || '<unset>';
const boolOr = (v: unknown, dflt: boolean) => (typeof v === 'boolean' ? v : dflt);

/** Printers keyed by `group/resource`. */
export const PRINTERS: Record<string, Printer> = {
  '/pods': {
    columns: [
      NAME,
      col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'string', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      AGE,
      wide('IP', 'The IP address allocated to the pod.'),
      wide('Node', 'The node the pod is bound to.'),
      wide('Nominated Node', 'The node the scheduler nominated for this pod after preemption.'),
      wide('Readiness Gates', 'Readiness gates of the pod: true conditions / all gates.'),
    ],
    cells: podCells,
    conditions: podConditions,
  },
  '/podtemplates': {
    columns: [NAME, col('Containers', 'string', 'Names of each container in the template.'), col('Images', 'string', 'Images referenced by each container in the template.'), col('Pod Labels', 'string', 'The labels for the pod template.')],
    cells: (o) => [name(o), ...templateContainers(o, 'template', 'spec'), formatLabels(get(o, 'template', 'metadata', 'labels'))],
  },
  '/replicationcontrollers': templateOwner(REPLICA_COUNT_COLUMNS, replicaCounts, POD_TEMPLATE_SPEC, (o) => formatLabels(get(o, 'spec', 'selector'))),
  '/services': {
    columns: [
      NAME,
      col('Type', 'string', 'How the service is exposed.'),
      col('Cluster-IP', 'string', 'The IP address of the service inside the cluster.'),
      col('External-IP', 'string', 'External addresses of the service.'),
      col('Port(s)', 'string', 'The ports the service exposes.'),
      AGE,
      wide('Selector', 'Labels of the pods the service routes to.'),
    ],
    cells: (o, now) => {
      const ips = get(o, 'spec', 'clusterIPs');
      const clusterIP = Array.isArray(ips) && ips.length ? String(ips[0]) : str(o, 'spec', 'clusterIP') || '<none>';
      return [name(o), str(o, 'spec', 'type'), clusterIP, serviceExternalIP(o), servicePorts(o), age(o, now), formatLabels(get(o, 'spec', 'selector'))];
    },
  },
  '/endpoints': named([col('Endpoints', 'string', 'Addresses and ports of the endpoints.')], (o) => [formatEndpoints(o)]),
  '/nodes': {
    columns: [
      NAME,
      col('Status', 'string', 'The status of the node'),
      col('Roles', 'string', 'The roles of the node'),
      AGE,
      col('Version', 'string', 'Kubelet version reported by the node.'),
      wide('Internal-IP', 'Internal address of the node.'),
      wide('External-IP', 'External address of the node.'),
      wide('OS-Image', 'OS image reported by the node.'),
      wide('Kernel-Version', 'Kernel version reported by the node.'),
      wide('Container-Runtime', 'Container runtime version reported by the node.'),
    ],
    cells: (o, now) => [
      name(o),
      nodeStatus(o),
      nodeRoles(o),
      age(o, now),
      str(o, 'status', 'nodeInfo', 'kubeletVersion'),
      nodeAddress(o, 'InternalIP'),
      nodeAddress(o, 'ExternalIP'),
      str(o, 'status', 'nodeInfo', 'osImage') || '<unknown>',
      str(o, 'status', 'nodeInfo', 'kernelVersion') || '<unknown>',
      str(o, 'status', 'nodeInfo', 'containerRuntimeVersion') || '<unknown>',
    ],
  },
  '/events': {
    columns: [
      col('Last Seen', 'string', 'Time since the event was last seen.'),
      col('Type', 'string', 'Type of the event (Normal, Warning).'),
      col('Reason', 'string', 'Why the event happened.'),
      col('Object', 'string', 'The object the event is about.'),
      wide('Subobject', 'The part of the object the event is about.'),
      wide('Source', 'The component that reported the event.'),
      col('Message', 'string', 'Human-readable description of the event.'),
      wide('First Seen', 'Time since the event was first seen.'),
      wide('Count', 'How many times the event occurred.'),
      { ...wide('Name', NAME_DOC), format: 'name' },
    ],
    cells: eventCells,
  },
  'events.k8s.io/events': {
    columns: [] as ColumnDefinition[],
    cells: (o, now) => eventCells(asCoreEvent(o), now),
  },
  '/namespaces': named([col('Status', 'string', 'The status of the namespace')], (o) => [str(o, 'status', 'phase')]),
  '/secrets': named([col('Type', 'string', 'Type of the secret.'), col('Data', 'string', 'Number of data keys.')], (o) => [str(o, 'type'), isObj(o.data) ? Object.keys(o.data).length : 0]),
  '/configmaps': named([col('Data', 'string', 'Number of data and binaryData keys.')], (o) => [
    (isObj(o.data) ? Object.keys(o.data).length : 0) + (isObj(o.binaryData) ? Object.keys(o.binaryData).length : 0),
  ]),
  '/serviceaccounts': named([col('Secrets', 'string', 'Number of secrets referenced.')], (o) => [list(o, 'secrets').length]),
  '/persistentvolumes': {
    columns: [
      NAME,
      col('Capacity', 'string', 'Capacity of the volume.'),
      col('Access Modes', 'string', 'Access modes of the volume.'),
      col('Reclaim Policy', 'string', 'What happens to the volume when its claim is released.'),
      col('Status', 'string', 'Phase of the volume.'),
      col('Claim', 'string', 'The claim bound to the volume.'),
      col('StorageClass', 'string', 'StorageClass of the pv'),
      col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
      col('Reason', 'string', 'Why the volume is in its phase.'),
      AGE,
      wide('VolumeMode', 'Filesystem or Block.'),
    ],
    cells: (o, now) => {
      const claim = isObj(get(o, 'spec', 'claimRef')) ? `${str(o, 'spec', 'claimRef', 'namespace')}/${str(o, 'spec', 'claimRef', 'name')}` : '';
      const phase = has(o, 'metadata', 'deletionTimestamp') ? 'Terminating' : str(o, 'status', 'phase');
      return [
        name(o),
        quantityString(get(o, 'spec', 'capacity', 'storage')),
        accessModes(get(o, 'spec', 'accessModes')),
        str(o, 'spec', 'persistentVolumeReclaimPolicy'),
        phase,
        claim,
        storageClassName(o),
        orUnset(str(o, 'spec', 'volumeAttributesClassName')),
        str(o, 'status', 'reason'),
        age(o, now),
        orUnset(str(o, 'spec', 'volumeMode')),
      ];
    },
  },
  '/persistentvolumeclaims': {
    columns: [
      NAME,
      col('Status', 'string', 'Phase of the claim.'),
      col('Volume', 'string', 'The volume bound to the claim.'),
      col('Capacity', 'string', 'Capacity of the bound volume.'),
      col('Access Modes', 'string', 'Access modes of the bound volume.'),
      col('StorageClass', 'string', 'StorageClass of the pvc'),
      col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
      AGE,
      wide('VolumeMode', 'Filesystem or Block.'),
    ],
    cells: (o, now) => {
      const bound = str(o, 'spec', 'volumeName') !== '';
      return [
        name(o),
        has(o, 'metadata', 'deletionTimestamp') ? 'Terminating' : str(o, 'status', 'phase'),
        str(o, 'spec', 'volumeName'),
        bound ? quantityString(get(o, 'status', 'capacity', 'storage')) : '',
        bound ? accessModes(get(o, 'status', 'accessModes')) : '',
        storageClassName(o),
        orUnset(str(o, 'spec', 'volumeAttributesClassName')),
        age(o, now),
        orUnset(str(o, 'spec', 'volumeMode')),
      ];
    },
  },
  '/resourcequotas': named(
    [col('Request', 'string', 'Used and hard request quotas.'), col('Limit', 'string', 'Used and hard limit quotas.')],
    (o) => {
      const hard = isObj(get(o, 'status', 'hard')) ? (get(o, 'status', 'hard') as Obj) : {};
      const used = isObj(get(o, 'status', 'used')) ? (get(o, 'status', 'used') as Obj) : {};
      const req: string[] = [];
      const lim: string[] = [];
      for (const r of Object.keys(hard).sort()) {
        const cell = `${r}: ${quantityString(used[r])}/${quantityString(hard[r])}`;
        (r.split('.').length > 1 && r.split('.')[0] === 'limits' ? lim : req).push(cell);
      }
      return [req.join(', '), lim.join(', ')];
    },
  ),
  'apps/deployments': templateOwner(
    [col('Ready', 'string', 'Number of the pod with ready state'), col('Up-to-date', 'string', 'Replicas updated to the current template.'), col('Available', 'string', 'Replicas available to serve.')],
    (o) => [`${num(o, 'status', 'readyReplicas')}/${num(o, 'spec', 'replicas')}`, num(o, 'status', 'updatedReplicas'), num(o, 'status', 'availableReplicas')],
    POD_TEMPLATE_SPEC,
    (o) => {
      const sel = specSelector(o);
      return sel === '<error>' ? '<invalid>' : sel === '<none>' ? '' : sel;
    },
  ),
  'apps/replicasets': templateOwner(REPLICA_COUNT_COLUMNS, replicaCounts, POD_TEMPLATE_SPEC, specSelector),
  'apps/statefulsets': {
    columns: [NAME, col('Ready', 'string', 'Number of the pod with ready state'), AGE, CONTAINERS, IMAGES],
    cells: (o, now) => [name(o), `${num(o, 'status', 'readyReplicas')}/${num(o, 'spec', 'replicas')}`, age(o, now), ...templateContainers(o, ...POD_TEMPLATE_SPEC)],
  },
  'apps/daemonsets': templateOwner(
    [
      col('Desired', 'integer', 'Nodes that should run the pod.'),
      col('Current', 'integer', 'Nodes running the pod.'),
      col('Ready', 'integer', 'Nodes whose pod is ready.'),
      col('Up-to-date', 'integer', 'Nodes running the current template.'),
      col('Available', 'integer', 'Nodes whose pod is available.'),
      col('Node Selector', 'string', 'Node selector of the pod template.'),
    ],
    (o) => [
      num(o, 'status', 'desiredNumberScheduled'),
      num(o, 'status', 'currentNumberScheduled'),
      num(o, 'status', 'numberReady'),
      num(o, 'status', 'updatedNumberScheduled'),
      num(o, 'status', 'numberAvailable'),
      formatLabels(get(o, 'spec', 'template', 'spec', 'nodeSelector')),
    ],
    POD_TEMPLATE_SPEC,
    specSelector,
  ),
  'apps/controllerrevisions': named(
    [col('Controller', 'string', 'Controller of the object'), col('Revision', 'string', 'Revision number.')],
    (o) => {
      const ref = list(o, 'metadata', 'ownerReferences').find((r) => r.controller === true);
      let controller = '<none>';
      if (ref) {
        const apiVersion = str(ref, 'apiVersion');
        const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
        controller = `${(group ? `${str(ref, 'kind')}.${group}` : str(ref, 'kind')).toLowerCase()}/${str(ref, 'name')}`;
      }
      return [controller, num(o, 'revision')];
    },
  ),
  'batch/jobs': templateOwner(
    [col('Status', 'string', 'Status of the job.'), col('Completions', 'string', 'Succeeded pods out of the completions wanted.'), col('Duration', 'string', 'Time required to complete the job.')],
    (o, now) => {
      const is = (t: string) => conditionStatus(o, t) === 'True';
      let status = 'Running';
      if (is('Complete')) status = 'Complete';
      else if (is('Failed')) status = 'Failed';
      else if (has(o, 'metadata', 'deletionTimestamp')) status = 'Terminating';
      else if (is('Suspended')) status = 'Suspended';
      else if (is('FailureTarget')) status = 'FailureTarget';
      const succeeded = num(o, 'status', 'succeeded');
      let completions: string;
      if (has(o, 'spec', 'completions')) completions = `${succeeded}/${num(o, 'spec', 'completions')}`;
      else completions = num(o, 'spec', 'parallelism') > 1 ? `${succeeded}/1 of ${num(o, 'spec', 'parallelism')}` : `${succeeded}/1`;
      const start = timeOf(get(o, 'status', 'startTime'));
      const end = timeOf(get(o, 'status', 'completionTime'));
      const duration = start === undefined ? '' : humanDuration((end ?? now) - start);
      return [status, completions, duration];
    },
    POD_TEMPLATE_SPEC,
    specSelector,
  ),
  'batch/cronjobs': templateOwner(
    [
      col('Schedule', 'string', 'The cron schedule.'),
      col('Timezone', 'string', 'Time zone of the schedule.'),
      col('Suspend', 'boolean', 'Whether new runs are suspended.'),
      col('Active', 'integer', 'Running jobs.'),
      col('Last Schedule', 'string', 'Time since the job was last scheduled.'),
    ],
    (o, now) => [
      str(o, 'spec', 'schedule'),
      str(o, 'spec', 'timeZone') || '<none>',
      // printBoolPtr: "<unset>" when nil.
      typeof get(o, 'spec', 'suspend') === 'boolean' ? get(o, 'spec', 'suspend') : '<unset>',
      list(o, 'status', 'active').length,
      has(o, 'status', 'lastScheduleTime') ? since(get(o, 'status', 'lastScheduleTime'), now) : '<none>',
    ],
    ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
    (o) => formatLabelSelector(get(o, 'spec', 'jobTemplate', 'spec', 'selector')),
  ),
  'autoscaling/horizontalpodautoscalers': named(
    [
      col('Reference', 'string', 'The scaled object.'),
      col('Targets', 'string', 'Current and target metric values.'),
      col('MinPods', 'string', 'Lower limit of replicas.'),
      col('MaxPods', 'string', 'Upper limit of replicas.'),
      col('Replicas', 'string', 'Current replicas.'),
    ],
    (o) => [
      `${str(o, 'spec', 'scaleTargetRef', 'kind')}/${str(o, 'spec', 'scaleTargetRef', 'name')}`,
      hpaTargets(o),
      has(o, 'spec', 'minReplicas') ? String(num(o, 'spec', 'minReplicas')) : '<unset>',
      num(o, 'spec', 'maxReplicas'),
      num(o, 'status', 'currentReplicas'),
    ],
  ),
  'policy/poddisruptionbudgets': named(
    [
      col('Min Available', 'string', 'The minimum number of pods that must be available.'),
      col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
      col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ],
    (o) => [
      has(o, 'spec', 'minAvailable') ? String(get(o, 'spec', 'minAvailable')) : 'N/A',
      has(o, 'spec', 'maxUnavailable') ? String(get(o, 'spec', 'maxUnavailable')) : 'N/A',
      num(o, 'status', 'disruptionsAllowed'),
    ],
  ),
  'networking.k8s.io/ingresses': named(
    [
      col('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
      col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
      col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
      col('Ports', 'string', 'Ports of TLS configurations that open'),
    ],
    (o) => [
      str(o, 'spec', 'ingressClassName') || '<none>',
      ingressHosts(o),
      loadBalancerIngress(o, 'status', 'loadBalancer', 'ingress'),
      list(o, 'spec', 'tls').length ? '80, 443' : '80',
    ],
  ),
  'networking.k8s.io/ingressclasses': named(
    [col('Controller', 'string', 'Controller that is responsible for handling this class'), col('Parameters', 'string', 'A reference to a resource with additional parameters')],
    (o) => {
      let params = '<none>';
      const p = get(o, 'spec', 'parameters');
      if (isObj(p)) params = `${str(p, 'kind')}${has(p, 'apiGroup') ? `.${str(p, 'apiGroup')}` : ''}/${str(p, 'name')}`;
      return [str(o, 'spec', 'controller'), params];
    },
  ),
  'networking.k8s.io/networkpolicies': named([col('Pod-Selector', 'string', 'Pods the policy applies to.')], (o) => [formatLabelSelector(get(o, 'spec', 'podSelector') ?? {})]),
  'discovery.k8s.io/endpointslices': named(
    [col('AddressType', 'string', 'Type of the addresses.'), col('Ports', 'string', 'Ports of the endpoints.'), col('Endpoints', 'string', 'Addresses of the endpoints.')],
    (o) => {
      const ports = list(o, 'ports').map((p) => (has(p, 'port') ? String(num(p, 'port')) : has(p, 'name') ? str(p, 'name') : '*'));
      const addrs = list(o, 'endpoints').flatMap((e) => (Array.isArray(e.addresses) ? e.addresses.map(String) : []));
      return [str(o, 'addressType'), listWithMore(ports, ports.length, 3), listWithMore(addrs, addrs.length, 3)];
    },
  ),
  'rbac.authorization.k8s.io/rolebindings': bindingPrinter,
  'rbac.authorization.k8s.io/clusterrolebindings': bindingPrinter,
  'coordination.k8s.io/leases': named([col('Holder', 'string', 'Identity of the holder of the lease.')], (o) => [str(o, 'spec', 'holderIdentity')]),
  'storage.k8s.io/storageclasses': {
    columns: [
      NAME,
      col('Provisioner', 'string', 'The volume plugin that provisions volumes.'),
      col('ReclaimPolicy', 'string', 'Reclaim policy of provisioned volumes.'),
      col('VolumeBindingMode', 'string', 'When volumes are bound.'),
      col('AllowVolumeExpansion', 'string', 'Whether volumes may be expanded.'),
      AGE,
    ],
    cells: (o, now) => {
      const ann = get(o, 'metadata', 'annotations');
      const isDefault = isObj(ann) && (ann['storageclass.kubernetes.io/is-default-class'] === 'true' || ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true');
      return [
        isDefault ? `${name(o)} (default)` : name(o),
        str(o, 'provisioner'),
        str(o, 'reclaimPolicy') || 'Delete',
        str(o, 'volumeBindingMode') || 'Immediate',
        boolOr(o.allowVolumeExpansion, false),
        age(o, now),
      ];
    },
  },
  'storage.k8s.io/csidrivers': named(
    [
      col('AttachRequired', 'boolean', 'Whether volumes must be attached.'),
      col('PodInfoOnMount', 'boolean', 'Whether pod information is passed on mount.'),
      col('StorageCapacity', 'boolean', 'Whether capacity is reported.'),
      col('TokenRequests', 'string', 'Audiences of requested tokens.'),
      col('RequiresRepublish', 'boolean', 'Whether volumes are republished periodically.'),
      col('Modes', 'string', 'Volume lifecycle modes.'),
    ],
    (o) => {
      const tokens = get(o, 'spec', 'tokenRequests');
      const modes = Array.isArray(get(o, 'spec', 'volumeLifecycleModes')) ? (get(o, 'spec', 'volumeLifecycleModes') as unknown[]).map(String).join(',') : '';
      return [
        boolOr(get(o, 'spec', 'attachRequired'), true),
        boolOr(get(o, 'spec', 'podInfoOnMount'), false),
        boolOr(get(o, 'spec', 'storageCapacity'), false),
        Array.isArray(tokens) ? tokens.filter(isObj).map((t) => str(t, 'audience')).join(',') : '<unset>',
        boolOr(get(o, 'spec', 'requiresRepublish'), false),
        modes || '<none>',
      ];
    },
  ),
  'storage.k8s.io/csinodes': named([col('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node')], (o) => [list(o, 'spec', 'drivers').length]),
  'storage.k8s.io/csistoragecapacities': {
    columns: [NAME, col('StorageClassName', 'string', 'The storage class the capacity is for.'), col('Capacity', 'string', 'Available capacity.')],
    cells: (o) => [name(o), str(o, 'storageClassName'), has(o, 'capacity') ? quantityString(o.capacity) : '<unset>'],
  },
  'storage.k8s.io/volumeattachments': named(
    [col('Attacher', 'string', 'The attacher.', 0, 'name'), col('PV', 'string', 'The persistent volume.'), col('Node', 'string', 'The node.'), col('Attached', 'boolean', 'Whether the volume is attached.')],
    (o) => [str(o, 'spec', 'attacher'), str(o, 'spec', 'source', 'persistentVolumeName'), str(o, 'spec', 'nodeName'), get(o, 'status', 'attached') === true],
  ),
  'scheduling.k8s.io/priorityclasses': {
    columns: [NAME, col('Value', 'integer', 'Priority value.'), col('Global-Default', 'boolean', 'Whether this is the default priority class.'), AGE, col('PreemptionPolicy', 'string', 'Whether pods of this class may preempt.')],
    cells: (o, now) => [name(o), num(o, 'value'), o.globalDefault === true, age(o, now), str(o, 'preemptionPolicy')],
  },
  'node.k8s.io/runtimeclasses': named([col('Handler', 'string', 'The container runtime handler.')], (o) => [str(o, 'handler')]),
  'certificates.k8s.io/certificatesigningrequests': {
    columns: [NAME, AGE, col('SignerName', 'string', 'The requested signer.'), col('Requestor', 'string', 'Who asked for the certificate.'), col('RequestedDuration', 'string', 'Requested validity.'), col('Condition', 'string', 'Approval state.')],
    cells: (o, now) => [
      name(o),
      age(o, now),
      str(o, 'spec', 'signerName') || '<none>',
      str(o, 'spec', 'username'),
      has(o, 'spec', 'expirationSeconds') ? humanDuration(num(o, 'spec', 'expirationSeconds') * 1000) : '<none>',
      csrStatus(o),
    ],
  },
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': webhookConfigurationPrinter,
  'admissionregistration.k8s.io/validatingwebhookconfigurations': webhookConfigurationPrinter,
  'admissionregistration.k8s.io/validatingadmissionpolicies': named(
    [col('Validations', 'integer', 'Validations indicates the number of validation rules defined in this configuration'), col('ParamKind', 'string', 'ParamKind specifies the kind of resources used to parameterize this policy')],
    (o) => [
      list(o, 'spec', 'validations').length,
      isObj(get(o, 'spec', 'paramKind')) ? `${str(o, 'spec', 'paramKind', 'apiVersion')}/${str(o, 'spec', 'paramKind', 'kind')}` : '<unset>',
    ],
  ),
  'admissionregistration.k8s.io/validatingadmissionpolicybindings': named(
    [col('PolicyName', 'string', 'PolicyName indicates the policy definition which the policy binding binded to'), col('ParamRef', 'string', 'ParamRef indicates the param resource which sets the configration param')],
    (o) => {
      let param = '<unset>';
      const pr = get(o, 'spec', 'paramRef');
      if (isObj(pr)) {
        if (str(pr, 'name')) param = str(pr, 'namespace') ? `${str(pr, 'namespace')}/${str(pr, 'name')}` : `*/${str(pr, 'name')}`;
        else if (isObj(pr.selector)) param = formatLabelSelector(pr.selector);
      }
      return [str(o, 'spec', 'policyName'), param];
    },
  ),
  'flowcontrol.apiserver.k8s.io/flowschemas': {
    columns: [
      NAME,
      col('PriorityLevel', 'string', 'The priority level flows go to.'),
      col('MatchingPrecedence', 'string', 'Lower values match first.'),
      col('DistinguisherMethod', 'string', 'How flows are told apart.'),
      AGE,
      col('MissingPL', 'string', 'references a broken or non-existent PriorityLevelConfiguration'),
    ],
    cells: (o, now) => [
      name(o),
      str(o, 'spec', 'priorityLevelConfiguration', 'name'),
      num(o, 'spec', 'matchingPrecedence'),
      str(o, 'spec', 'distinguisherMethod', 'type') || '<none>',
      age(o, now),
      str(list(o, 'status', 'conditions').find((c) => c.type === 'Dangling'), 'status') || '?',
    ],
  },
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations': named(
    [
      col('Type', 'string', 'Limited or Exempt.'),
      col('NominalConcurrencyShares', 'string', 'Share of the server concurrency.'),
      col('Queues', 'string', 'Number of queues.'),
      col('HandSize', 'string', 'Queues a flow is dealt to.'),
      col('QueueLengthLimit', 'string', 'Requests a queue may hold.'),
    ],
    (o) => {
      const limited = get(o, 'spec', 'limited');
      const q = get(limited, 'limitResponse', 'queuing');
      return [
        str(o, 'spec', 'type'),
        isObj(limited) ? num(limited, 'nominalConcurrencyShares') : '<none>',
        isObj(q) ? num(q, 'queues') : '<none>',
        isObj(q) ? num(q, 'handSize') : '<none>',
        isObj(q) ? num(q, 'queueLengthLimit') : '<none>',
      ];
    },
  ),
  'networking.k8s.io/servicecidrs': named([col('CIDRs', 'string', 'The CIDRs of the range.')], (o) => [(Array.isArray(get(o, 'spec', 'cidrs')) ? (get(o, 'spec', 'cidrs') as unknown[]) : []).map(String).join(',')]),
  'networking.k8s.io/ipaddresses': {
    columns: [NAME, col('ParentRef', 'string', 'The object the address belongs to.')],
    cells: (o) => {
      const p = get(o, 'spec', 'parentRef');
      let parent = '<none>';
      if (isObj(p)) {
        const gr = str(p, 'group') ? `${str(p, 'resource')}.${str(p, 'group')}` : str(p, 'resource');
        parent = `${gr.toLowerCase()}${str(p, 'namespace') ? `/${str(p, 'namespace')}` : ''}/${str(p, 'name')}`;
      }
      return [name(o), parent];
    },
  },
};

PRINTERS['events.k8s.io/events'].columns = PRINTERS['/events'].columns;
