// Group/version/resource triples the workload controllers use, in one place.
import type { KubeClient, ResourceClient } from '../../client/types.js';

export interface Gvr {
  group: string;
  version: string;
  resource: string;
}

export const PODS: Gvr = { group: '', version: 'v1', resource: 'pods' };
export const NODES: Gvr = { group: '', version: 'v1', resource: 'nodes' };
export const PVCS: Gvr = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
export const REPLICASETS: Gvr = { group: 'apps', version: 'v1', resource: 'replicasets' };
export const DEPLOYMENTS: Gvr = { group: 'apps', version: 'v1', resource: 'deployments' };
export const STATEFULSETS: Gvr = { group: 'apps', version: 'v1', resource: 'statefulsets' };
export const DAEMONSETS: Gvr = { group: 'apps', version: 'v1', resource: 'daemonsets' };
export const CONTROLLERREVISIONS: Gvr = { group: 'apps', version: 'v1', resource: 'controllerrevisions' };
export const JOBS: Gvr = { group: 'batch', version: 'v1', resource: 'jobs' };
export const CRONJOBS: Gvr = { group: 'batch', version: 'v1', resource: 'cronjobs' };
export const PDBS: Gvr = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' };
export const REPLICATIONCONTROLLERS: Gvr = { group: '', version: 'v1', resource: 'replicationcontrollers' };

/** The client for one of these resources. */
export function resourceClient(client: KubeClient, gvr: Gvr): ResourceClient {
  return client.resource(gvr.group, gvr.version, gvr.resource);
}
