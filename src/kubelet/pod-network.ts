// Where a simulated node's pod IPs come from. Without a PodNetwork (or for a node it has no
// attachment for) each node hands out addresses of its own block in 100.64.0.0/10. With one, an
// attached node's pods get addresses the way the VPC CNI gives them: from the node's subnet,
// through its ENIs; when there is none the CNI's error surfaces as the FailedCreatePodSandBox
// event and the pod waits in ContainerCreating until an address frees.

export interface PodNetworkNode {
  name: string;
  instanceId: string;
}

/** An address for a pod, or the CNI plugin's failure text. */
export type PodIpAssignment = { ip: string } | { error: string; message: string };

export interface PodNetwork {
  /**
   * The vpc-cni settings nodes launched now get (ENABLE_PREFIX_DELEGATION of the aws-node
   * DaemonSet): read when nodes are added, it decides their max pods.
   */
  launchSettings?(): Promise<{ prefixDelegation: boolean }>;
  /** The node's network attachment, if its pods' IPs come from this network; asked once per node. */
  attachment(node: PodNetworkNode): { prefixDelegation: boolean } | undefined;
  assign(node: PodNetworkNode): PodIpAssignment;
  release(node: PodNetworkNode, ip: string): void;
  /** A pod seen holding this address (after a restart): the network keeps it assigned to the node. */
  restore(node: PodNetworkNode, ip: string): void;
}

/** The address source of one node, as its pods see it. */
export interface NodePodAddresses {
  allocate(): PodIpAssignment;
  markUsed(ip: string): void;
  release(ip: string): void;
}

/** The pod network's addresses of one attached node. */
export function networkAddresses(network: PodNetwork, node: PodNetworkNode): NodePodAddresses {
  return {
    allocate: () => network.assign(node),
    markUsed: (ip) => network.restore(node, ip),
    release: (ip) => network.release(node, ip),
  };
}
