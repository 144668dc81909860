// The kubelet's PodNetwork over a region's VpcModel: nodes attached to a subnet (VpcModel.attachNode,
// done when an instance launches) get their pods' IPs as the VPC CNI assigns them; the nodes of a
// cluster launch with the vpc-cni settings of its aws-node DaemonSet.
// Pod IPs are rebuilt from the pods after a restart, as ipamd rebuilds its datastore: the stored
// VpcModel keeps ENIs and each subnet's allocation cursor but no pod addresses (VpcModels.save),
// and the simulator re-announces every pod's IP when it takes its nodes over (restore →
// VpcModel.claimPodIp). Changes are stored debounced (saveSoon; flushed on shutdown) so the cursor
// stays ahead of every address handed out and a node launched after a restart never takes a pod's.
import { CNI_NO_IP_MESSAGE, Ec2ModelError, readVpcCniSettings } from '../cloud/index.js';
import type { VpcModels } from '../aws/index.js';
import type { KubeClient } from '../client/types.js';
import type { PodIpAssignment, PodNetwork } from '../kubelet/pod-network.js';

export interface VpcPodNetworkOptions {
  models: VpcModels;
  region: string;
  /** The cluster's client (reads the aws-node DaemonSet). */
  client: KubeClient;
  onError?: (err: unknown, context: string) => void;
}

export function vpcPodNetwork(opts: VpcPodNetworkOptions): PodNetwork {
  const model = () => opts.models.model(opts.region);
  const changed = () => opts.models.saveSoon(opts.region);
  const onError = opts.onError ?? ((err, context) => console.error(`pod network: ${context}:`, err));
  /** A node whose attachment is gone (its instance terminated) keeps no addresses. */
  const tolerant = <T>(context: string, fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof Ec2ModelError && err.code === 'InvalidInstanceID.NotFound')) onError(err, context);
      return fallback;
    }
  };
  return {
    async launchSettings() {
      try {
        return await readVpcCniSettings(opts.client);
      } catch (err) {
        onError(err, 'reading the aws-node DaemonSet');
        return { prefixDelegation: false };
      }
    },
    attachment(node) {
      const n = model().node(node.instanceId);
      return n && { prefixDelegation: n.prefixDelegation };
    },
    assign(node) {
      return tolerant<PodIpAssignment>(`assigning a pod IP on ${node.name}`, () => {
        const r = model().assignPodIp(node.instanceId);
        if ('ip' in r) {
          changed();
          return { ip: r.ip };
        }
        return { error: r.error, message: r.message };
      }, { error: 'InvalidInstanceID.NotFound', message: CNI_NO_IP_MESSAGE });
    },
    release(node, ip) {
      tolerant(`releasing pod IP ${ip} on ${node.name}`, () => {
        if (model().releasePodIp(node.instanceId, ip)) changed();
      }, undefined);
    },
    restore(node, ip) {
      tolerant(`keeping pod IP ${ip} on ${node.name}`, () => {
        // Already recorded (the usual case) or claimed again; the debounced save is one write either way.
        if (model().claimPodIp(node.instanceId, ip)) changed();
        else onError(new Error(`address ${ip} is held by something else in the subnet`), `keeping pod IP ${ip} on ${node.name}`);
      }, undefined);
    },
  };
}
