// The root CA publisher (pkg/controller/certificates/rootcacertpublisher): every active namespace
// has a ConfigMap kube-root-ca.crt whose ca.crt is the cluster CA bundle (PEM), so pods can verify
// the API server; a changed or deleted one is put back.
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import type { Informer } from '../../client/informer.js';
import { annotations, clone, name, namespace } from '../../client/objects.js';
import type { Obj, ResourceClient } from '../../client/types.js';
import type { WorkQueue } from '../../util/workqueue.js';
import type { ControllerDeps, WorkloadController } from '../shared/types.js';
import { isNamespaceActive } from './controller.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export class RootCaPublisher implements WorkloadController {
  readonly name = 'root-ca-cert-publisher';
  readonly workers = 1;
  private readonly namespaces: Informer;
  private readonly configMaps: Informer;
  private readonly client: ResourceClient;

  constructor(
    deps: ControllerDeps,
    private readonly rootCaPem: string,
  ) {
    this.namespaces = deps.informers.informerFor('', 'v1', 'namespaces');
    this.configMaps = deps.informers.informerFor('', 'v1', 'configmaps');
    this.client = deps.client.resource('', 'v1', 'configmaps');
  }

  bind(queue: WorkQueue<string>): void {
    this.namespaces.addEventHandler({ onAdd: (ns) => queue.add(name(ns)), onUpdate: (_o, ns) => queue.add(name(ns)) });
    const cmChanged = (cm: Obj) => {
      if (name(cm) === ROOT_CA_CONFIGMAP) queue.add(namespace(cm));
    };
    this.configMaps.addEventHandler({ onUpdate: (_o, cm) => cmChanged(cm), onDelete: cmChanged });
  }

  /** `key` is a namespace name. */
  async reconcile(key: string): Promise<void> {
    if (!isNamespaceActive(this.namespaces.lister.get(undefined, key))) return;
    const data = { 'ca.crt': this.rootCaPem };
    const current = this.configMaps.lister.get(key, ROOT_CA_CONFIGMAP);
    try {
      if (!current) {
        await this.client.create(key, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CONFIGMAP, namespace: key, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
          data,
        });
        return;
      }
      const curData = (current.data ?? {}) as Record<string, unknown>;
      if (Object.keys(curData).length === 1 && curData['ca.crt'] === this.rootCaPem && annotations(current)[DESCRIPTION_ANNOTATION] === DESCRIPTION) return;
      const body = clone(current);
      const meta = body.metadata as Record<string, unknown>;
      meta.annotations = { ...annotations(current), [DESCRIPTION_ANNOTATION]: DESCRIPTION };
      body.data = data;
      await this.client.update(key, body);
    } catch (err) {
      if (isAlreadyExists(err) || isNotFound(err) || (err as { code?: number }).code === 403) return;
      throw err;
    }
  }
}
