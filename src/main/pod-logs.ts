// GET pods/<name>/log. Upstream (pkg/registry/core/pod/rest/log.go, pod strategy LogLocation)
// checks the container and the node before asking the node's kubelet for the stream; Kumo's
// containers are simulated and write no output, so a started container's log is empty.
import { badRequest } from '../api/status.js';

type Obj = Record<string, unknown>;

function names(list: unknown): string[] {
  return Array.isArray(list) ? list.map((c) => String((c as Obj)['name'] ?? '')) : [];
}

export function podLog(pod: Obj, query: URLSearchParams): string {
  const meta = (pod['metadata'] ?? {}) as Obj;
  const spec = (pod['spec'] ?? {}) as Obj;
  const status = (pod['status'] ?? {}) as Obj;
  const name = String(meta['name'] ?? '');
  const containers = names(spec['containers']);
  const inits = names(spec['initContainers']);
  const ephemeral = names(spec['ephemeralContainers']);
  let container = query.get('container') ?? '';
  if (!container) {
    if (containers.length === 1) container = containers[0];
    else {
      let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
      if (inits.length) msg += ` or one of the init containers: [${inits.join(' ')}]`;
      if (ephemeral.length) msg += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
      throw badRequest(msg);
    }
  } else if (![...containers, ...inits, ...ephemeral].includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  }
  if (!spec['nodeName']) throw badRequest(`pod ${name} does not have a host assigned`);
  // The kubelet's checks (validateContainerLogStatus): previous needs a terminated instance; a
  // running, terminated or restarting container has a log; a waiting one says why.
  const statuses = [...((status['containerStatuses'] as Obj[]) ?? []), ...((status['initContainerStatuses'] as Obj[]) ?? [])];
  const cs = statuses.find((s) => s['name'] === container);
  const state = (cs?.['state'] ?? {}) as Obj;
  const lastTerminated = ((cs?.['lastState'] ?? {}) as Obj)['terminated'];
  if (query.get('previous') === 'true') {
    if (!lastTerminated) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
  } else if (!state['running'] && !state['terminated'] && !lastTerminated) {
    const reason = String(((state['waiting'] ?? {}) as Obj)['reason'] ?? 'ContainerCreating');
    const text = reason === 'ErrImagePull' ? "image can't be pulled" : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${text}`);
  }
  return '';
}
