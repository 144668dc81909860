// The add-ons EKS installs into every new cluster as self-managed objects in kube-system (EKS user
// guide, "Amazon EKS add-ons": the Amazon VPC CNI, kube-proxy and CoreDNS are created with the
// cluster): the aws-node and kube-proxy DaemonSets, the coredns Deployment (two replicas) behind the
// kube-dns Service at the tenth address of the service range, and their ServiceAccounts. Images
// are EKS's ECR images of the versions EKS lists for the cluster's Kubernetes version (user guide
// managing-kube-proxy / managing-coredns tables; amazon-vpc-cni-k8s releases).
// Users change them as on EKS, e.g. `kubectl set env daemonset aws-node -n kube-system
// ENABLE_PREFIX_DELEGATION=true`; nodes launched afterwards follow it (src/cloud/vpc-cni.ts).
import { isAlreadyExists } from '../client/errors.js';
import type { KubeClient, Obj } from '../client/types.js';

/** EKS's ECR account for add-on images in most commercial regions. */
const ECR_ACCOUNT = '602401143452';
const VPC_CNI_VERSION = 'v1.19.2-eksbuild.1';
/** Self-managed kube-proxy images by Kubernetes minor (managing-kube-proxy table; 1.28–1.30 from the add-on table). */
const KUBE_PROXY: Record<string, string> = {
  '1.34': 'v1.34.0-eksbuild.5', '1.33': 'v1.33.3-minimal-eksbuild.11', '1.32': 'v1.32.6-minimal-eksbuild.13', '1.31': 'v1.31.10-minimal-eksbuild.13',
  '1.30': 'v1.30.14-eksbuild.8', '1.29': 'v1.29.15-eksbuild.16', '1.28': 'v1.28.15-eksbuild.31',
};
/** CoreDNS by Kubernetes minor (managing-coredns table). */
const COREDNS: Record<string, string> = {
  '1.34': 'v1.12.4-eksbuild.1', '1.33': 'v1.12.4-eksbuild.1', '1.32': 'v1.11.4-eksbuild.24', '1.31': 'v1.11.4-eksbuild.24',
  '1.30': 'v1.11.4-eksbuild.24', '1.29': 'v1.11.4-eksbuild.24', '1.28': 'v1.10.1-eksbuild.38',
};

function minorOf(version: string): string {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  return m ? `${m[1]}.${m[2]}` : version;
}

/** The newest entry at or below the cluster's minor (a version newer than the table takes the newest). */
function pick(table: Record<string, string>, version: string): string {
  const minor = minorOf(version);
  const keys = Object.keys(table).sort((a, b) => Number(b.split('.')[1]) - Number(a.split('.')[1]));
  return table[minor] ?? table[keys.find((k) => Number(k.split('.')[1]) <= Number(minor.split('.')[1])) ?? keys[keys.length - 1]];
}

const image = (region: string, repo: string, tag: string) => `${ECR_ACCOUNT}.dkr.ecr.${region}.amazonaws.com/${repo}:${tag}`;

/** Linux nodes of both architectures, but not Fargate, hybrid or Auto Mode nodes (as EKS's DaemonSets select). */
const EC2_NODE_AFFINITY = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{
        matchExpressions: [
          { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
          { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] },
          { key: 'eks.amazonaws.com/compute-type', operator: 'NotIn', values: ['fargate', 'hybrid', 'auto'] },
        ],
      }],
    },
  },
};

function serviceAccount(name: string): Obj {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'kube-system' } };
}

function awsNode(region: string): Obj {
  const labels = { 'k8s-app': 'aws-node', 'app.kubernetes.io/name': 'aws-node', 'app.kubernetes.io/instance': 'aws-vpc-cni' };
  const env = {
    ADDITIONAL_ENI_TAGS: '{}', AWS_VPC_CNI_NODE_PORT_SUPPORT: 'true', AWS_VPC_ENI_MTU: '9001', AWS_VPC_K8S_CNI_EXTERNALSNAT: 'false',
    AWS_VPC_K8S_CNI_LOGLEVEL: 'DEBUG', AWS_VPC_K8S_CNI_LOG_FILE: '/host/var/log/aws-routed-eni/ipamd.log', AWS_VPC_K8S_CNI_RANDOMIZESNAT: 'prng',
    AWS_VPC_K8S_CNI_VETHPREFIX: 'eni', AWS_VPC_K8S_PLUGIN_LOG_FILE: '/var/log/aws-routed-eni/plugin.log', AWS_VPC_K8S_PLUGIN_LOG_LEVEL: 'DEBUG',
    DISABLE_INTROSPECTION: 'false', DISABLE_METRICS: 'false', DISABLE_NETWORK_RESOURCE_PROVISIONING: 'false', ENABLE_IPv4: 'true', ENABLE_IPv6: 'false',
    ENABLE_POD_ENI: 'false', ENABLE_PREFIX_DELEGATION: 'false', WARM_ENI_TARGET: '1', WARM_PREFIX_TARGET: '1',
  };
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name: 'aws-node', namespace: 'kube-system', labels },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'aws-node' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'aws-node', hostNetwork: true, priorityClassName: 'system-node-critical', terminationGracePeriodSeconds: 10,
          affinity: EC2_NODE_AFFINITY, tolerations: [{ operator: 'Exists' }],
          initContainers: [{ name: 'aws-vpc-cni-init', image: image(region, 'amazon-k8s-cni-init', VPC_CNI_VERSION), securityContext: { privileged: true } }],
          containers: [
            {
              name: 'aws-node', image: image(region, 'amazon-k8s-cni', VPC_CNI_VERSION),
              ports: [{ containerPort: 61678, name: 'metrics' }],
              env: Object.entries(env).map(([name, value]) => ({ name, value })),
              resources: { requests: { cpu: '25m' } },
              securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
            },
            {
              name: 'aws-eks-nodeagent', image: image(region, 'amazon/aws-network-policy-agent', 'v1.1.6-eksbuild.1'),
              args: ['--enable-ipv6=false', '--enable-network-policy=false', '--enable-cloudwatch-logs=false', '--metrics-bind-addr=:8162', '--health-probe-bind-addr=:8163'],
              resources: { requests: { cpu: '25m' } },
              securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN'] } },
            },
          ],
        },
      },
    },
  };
}

function kubeProxy(region: string, version: string): Obj {
  const labels = { 'k8s-app': 'kube-proxy', 'eks.amazonaws.com/component': 'kube-proxy' };
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-proxy' } },
        spec: {
          serviceAccountName: 'kube-proxy', hostNetwork: true, priorityClassName: 'system-node-critical',
          affinity: EC2_NODE_AFFINITY, tolerations: [{ operator: 'Exists' }],
          containers: [{
            name: 'kube-proxy', image: image(region, 'eks/kube-proxy', pick(KUBE_PROXY, version)),
            command: ['kube-proxy', '--v=2', '--config=/var/lib/kube-proxy-config/config', '--hostname-override=$(NODE_NAME)'],
            env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
            resources: { requests: { cpu: '100m' } },
            securityContext: { privileged: true },
          }],
        },
      },
    },
  };
}

function coredns(region: string, version: string): Obj {
  const labels = { 'k8s-app': 'kube-dns', 'eks.amazonaws.com/component': 'coredns' };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { ...labels, 'kubernetes.io/name': 'CoreDNS' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        // EKS keeps CoreDNS on EC2 nodes until the annotation is removed (user guide, fargate-getting-started).
        metadata: { labels, annotations: { 'eks.amazonaws.com/compute-type': 'ec2' } },
        spec: {
          serviceAccountName: 'coredns', priorityClassName: 'system-cluster-critical', dnsPolicy: 'Default',
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }, { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }] }],
              },
            },
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{
                weight: 100,
                podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] }, topologyKey: 'kubernetes.io/hostname' },
              }],
            },
          },
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
          containers: [{
            name: 'coredns', image: image(region, 'eks/coredns', pick(COREDNS, version)), args: ['-conf', '/etc/coredns/Corefile'],
            ports: [{ containerPort: 53, name: 'dns', protocol: 'UDP' }, { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' }, { containerPort: 9153, name: 'metrics', protocol: 'TCP' }],
            resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
          }],
        },
      },
    },
  };
}

function kubeDns(): Obj {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'eks.amazonaws.com/component': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' } },
    spec: {
      selector: { 'k8s-app': 'kube-dns' },
      // The tenth address of EKS's service range 10.100.0.0/16.
      clusterIP: '10.100.0.10',
      ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 }, { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 }],
    },
  };
}

/** The objects EKS creates in a new cluster of this Kubernetes version in this region. */
export function defaultAddonObjects(region: string, kubernetesVersion: string): Obj[] {
  return [
    serviceAccount('aws-node'), serviceAccount('kube-proxy'), serviceAccount('coredns'),
    awsNode(region), kubeProxy(region, kubernetesVersion), coredns(region, kubernetesVersion), kubeDns(),
  ];
}

/** Creates the default add-on objects that do not exist yet (a user's changes and deletions made later are not undone: call it once, at creation). */
export async function installDefaultAddons(client: KubeClient, region: string, kubernetesVersion: string): Promise<void> {
  for (const obj of defaultAddonObjects(region, kubernetesVersion)) {
    const [group, version] = String(obj.apiVersion).includes('/') ? String(obj.apiVersion).split('/') : ['', String(obj.apiVersion)];
    const resource = `${String(obj.kind).toLowerCase()}s`;
    try {
      await client.resource(group, version, resource).create('kube-system', obj);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}
