// What discovery says about each subresource: the kind it takes and returns and its verbs, as a
// Kubernetes 1.33 server reports them (`kubectl get --raw /api/v1` lists e.g. `pods/eviction`).

export interface SubresourceFacts {
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

const GET_UPDATE = ['get', 'patch', 'update'];

/**
 * Facts for `resource/subresource`. `kind`/`group`/`version` of the parent stand in where the
 * subresource serves the parent object itself (status, ephemeralcontainers, resize, finalize).
 */
export function subresourceFacts(parent: { group: string; version: string; kind: string }, resource: string, subresource: string): SubresourceFacts {
  const self = { group: parent.group, version: parent.version, kind: parent.kind };
  switch (subresource) {
    case 'status':
      return { ...self, verbs: GET_UPDATE };
    case 'scale':
      return { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: GET_UPDATE };
    case 'binding':
      return { group: '', version: 'v1', kind: 'Binding', verbs: ['create'] };
    case 'eviction':
      return { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
    case 'log':
      return { ...self, verbs: ['get'] };
    case 'token':
      return { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] };
    case 'finalize':
      return { ...self, verbs: resource === 'namespaces' ? ['update'] : GET_UPDATE };
    case 'ephemeralcontainers':
    case 'resize':
      return { ...self, verbs: GET_UPDATE };
    case 'approval':
      return { ...self, verbs: GET_UPDATE };
    default:
      return { ...self, verbs: GET_UPDATE };
  }
}
