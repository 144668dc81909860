// Talking to the cluster's own API server as the caller's IAM identity: an EKS token made from the
// same credentials, over the cluster's endpoint and CA (DescribeCluster).
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { createHttpClient, isAlreadyExists, isNotFound, type HttpKubeClient, type Obj } from '../../client/index.js';
import type { Clock } from '../../util/clock.js';
import type { AwsClients } from './aws.js';
import { eksToken } from './token.js';

export async function clusterClient(aws: AwsClients, cluster: string, clock: Clock): Promise<HttpKubeClient> {
  const c = (await aws.eks.send(new DescribeClusterCommand({ name: cluster }))).cluster!;
  const token = await eksToken(await aws.credentials(), aws.region, cluster, new Date(clock.now()));
  return createHttpClient({ server: c.endpoint!, caData: c.certificateAuthority!.data!, token, userAgent: 'kumo-eksctl' });
}

/** Creates the ServiceAccount (and its namespace), or sets the labels and annotations on one that exists. */
export async function ensureServiceAccount(client: HttpKubeClient, sa: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> }): Promise<'created' | 'updated'> {
  const sas = client.resource('', 'v1', 'serviceaccounts');
  const namespaces = client.resource('', 'v1', 'namespaces');
  try {
    await namespaces.get(undefined, sa.namespace);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await namespaces.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: sa.namespace } });
  }
  const obj: Obj = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa.name, namespace: sa.namespace, labels: sa.labels, annotations: sa.annotations } };
  try {
    await sas.create(sa.namespace, obj);
    return 'created';
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    await sas.patch(sa.namespace, sa.name, 'merge', { metadata: { labels: sa.labels, annotations: sa.annotations } });
    return 'updated';
  }
}

/** The nodes of one managed node group (EKS labels them eks.amazonaws.com/nodegroup=<name>). */
export async function nodeGroupNodes(client: HttpKubeClient, nodegroup: string): Promise<{ name: string; ready: boolean }[]> {
  const list = await client.resource('', 'v1', 'nodes').list(undefined, { labelSelector: `eks.amazonaws.com/nodegroup=${nodegroup}` });
  return list.items.map((n) => {
    const conditions = ((n.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions) ?? [];
    return { name: String((n.metadata as { name?: string }).name), ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True') };
  });
}
