// The settings of the Amazon VPC CNI add-on a cluster runs: its aws-node DaemonSet in kube-system,
// configured through the aws-node container's environment (amazon-vpc-cni-k8s README,
// ENABLE_PREFIX_DELEGATION: "true" gives each ENI slot a /28 prefix on Nitro instances).
import { isNotFound } from '../client/errors.js';
import type { KubeClient, Obj } from '../client/types.js';

export const AWS_NODE_NAMESPACE = 'kube-system';
export const AWS_NODE_DAEMONSET = 'aws-node';

export interface VpcCniSettings {
  prefixDelegation: boolean;
}

/** The env value of the aws-node container (`value` only; valueFrom is not resolved). */
function envOf(ds: Obj, name: string): string | undefined {
  const containers = ((((ds.spec as Obj | undefined)?.template as Obj | undefined)?.spec as Obj | undefined)?.containers ?? []) as Array<{ name?: string; env?: Array<{ name?: string; value?: string }> }>;
  const c = containers.find((x) => x.name === AWS_NODE_DAEMONSET) ?? containers[0];
  return c?.env?.find((e) => e.name === name)?.value;
}

/** The cluster's vpc-cni settings now; the CNI's defaults when it has no aws-node DaemonSet. */
export async function readVpcCniSettings(client: KubeClient): Promise<VpcCniSettings> {
  try {
    const ds = await client.resource('apps', 'v1', 'daemonsets').get(AWS_NODE_NAMESPACE, AWS_NODE_DAEMONSET);
    // The CNI parses the variable with strconv.ParseBool semantics for "true".
    return { prefixDelegation: /^(true|1|t|TRUE|True|T)$/.test(envOf(ds, 'ENABLE_PREFIX_DELEGATION') ?? '') };
  } catch (err) {
    if (isNotFound(err)) return { prefixDelegation: false };
    throw err;
  }
}
