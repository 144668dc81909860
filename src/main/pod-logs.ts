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
  const statuses = [...((status['containerStatuses'] as Obj[]) ?? []), ...((status['initContainerStatuses'] as Obj[]) ?? [])];
  const cs = statuses.find((s) => s['name'] === container);
  const state = (cs?.['state'] ?? {}) as Obj;
  if (!state['running'] && !state['terminated']) {
    const reason = String(((state['waiting'] ?? {}) as Obj)['reason'] ?? 'ContainerCreating');
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${reason}`);
  }
  return '';
}
