// Durable AwsStateStore: one ConfigMap per object in the management plane's `kumo-iam` namespace.
// IAM names allow characters a Kubernetes name does not (`+=,.@_` and upper case), so the
// ConfigMap's name is the kind plus a hash of the id; the id and the JSON live in data.
import { createHash } from 'node:crypto';
import type { KubeClient, Obj } from '../client/types.js';
import { isAlreadyExists, isNotFound } from '../client/errors.js';
import type { AwsStateStore, StateKind } from './state.js';

export const IAM_NAMESPACE = 'kumo-iam';
const KIND_LABEL = 'kumo.io/aws-state-kind';

function objectName(kind: StateKind, id: string): string {
  return `${kind}-${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;
}

export class KubeAwsStateStore implements AwsStateStore {
  private namespaceReady = false;

  constructor(private readonly client: KubeClient, private readonly namespace = IAM_NAMESPACE) {}

  private get configMaps() {
    return this.client.resource('', 'v1', 'configmaps');
  }

  private async ensureNamespace(): Promise<void> {
    if (this.namespaceReady) return;
    try {
      await this.client.resource('', 'v1', 'namespaces').create(undefined, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: this.namespace },
      });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    this.namespaceReady = true;
  }

  async get<T>(kind: StateKind, id: string): Promise<T | undefined> {
    try {
      const cm = await this.configMaps.get(this.namespace, objectName(kind, id));
      return JSON.parse(((cm.data as Record<string, string>) ?? {})['object.json']) as T;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async put(kind: StateKind, id: string, obj: unknown): Promise<void> {
    await this.ensureNamespace();
    const name = objectName(kind, id);
    const body: Obj = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: this.namespace, labels: { [KIND_LABEL]: kind } },
      data: { id, 'object.json': JSON.stringify(obj) },
    };
    try {
      await this.configMaps.create(this.namespace, body);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      // Last writer wins, as in the in-memory store: IAM has no optimistic concurrency to honour.
      const current = await this.configMaps.get(this.namespace, name);
      const metadata = { ...(body.metadata as Record<string, unknown>), resourceVersion: (current.metadata as Record<string, unknown>).resourceVersion };
      await this.configMaps.update(this.namespace, { ...body, metadata });
    }
  }

  async delete(kind: StateKind, id: string): Promise<boolean> {
    try {
      await this.configMaps.delete(this.namespace, objectName(kind, id));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async list<T>(kind: StateKind): Promise<T[]> {
    const list = await this.configMaps.list(this.namespace, { labelSelector: `${KIND_LABEL}=${kind}` });
    return list.items
      .map((cm) => (cm.data as Record<string, string>) ?? {})
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((data) => JSON.parse(data['object.json']) as T);
  }
}
