// The ServiceAccounts controller (pkg/controller/serviceaccount/serviceaccounts_controller.go):
// every active namespace has a ServiceAccount "default"; one deleted is created again.
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import type { Informer } from '../../client/informer.js';
import { field, name, namespace } from '../../client/objects.js';
import type { Obj, ResourceClient } from '../../client/types.js';
import type { WorkQueue } from '../../util/workqueue.js';
import type { ControllerDeps, WorkloadController } from '../shared/types.js';

/** The service accounts every namespace gets (DefaultServiceAccountsControllerOptions). */
export const MANAGED_SERVICE_ACCOUNTS = ['default'];

export function isNamespaceActive(ns: Obj | undefined): boolean {
  return ns !== undefined && field(ns, 'status', 'phase') !== 'Terminating' && field(ns, 'metadata', 'deletionTimestamp') === undefined;
}

export class ServiceAccountsController implements WorkloadController {
  readonly name = 'serviceaccount-controller';
  readonly workers = 1;
  private readonly namespaces: Informer;
  private readonly serviceAccounts: Informer;
  private readonly client: ResourceClient;

  constructor(deps: ControllerDeps) {
    this.namespaces = deps.informers.informerFor('', 'v1', 'namespaces');
    this.serviceAccounts = deps.informers.informerFor('', 'v1', 'serviceaccounts');
    this.client = deps.client.resource('', 'v1', 'serviceaccounts');
  }

  bind(queue: WorkQueue<string>): void {
    this.namespaces.addEventHandler({ onAdd: (ns) => queue.add(name(ns)), onUpdate: (_o, ns) => queue.add(name(ns)) });
    this.serviceAccounts.addEventHandler({
      onDelete: (sa) => {
        if (MANAGED_SERVICE_ACCOUNTS.includes(name(sa))) queue.add(namespace(sa));
      },
    });
  }

  /** `key` is a namespace name. */
  async reconcile(key: string): Promise<void> {
    const ns = this.namespaces.lister.get(undefined, key);
    if (!isNamespaceActive(ns)) return;
    for (const sa of MANAGED_SERVICE_ACCOUNTS) {
      if (this.serviceAccounts.lister.get(key, sa)) continue;
      try {
        await this.client.create(key, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: key } });
      } catch (err) {
        // Already there (the cache lags), or the namespace went away or started terminating meanwhile.
        if (isAlreadyExists(err) || isNotFound(err) || (err as { code?: number }).code === 403) continue;
        throw err;
      }
    }
  }
}
