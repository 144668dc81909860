// Composition root of `kumo up`: one process that is an EKS region. A management store and registry
// hold the AWS state (IAM, STS sessions, EKS) as ConfigMaps; the AWS endpoint serves IAM, STS and
// EKS on one port; every EKS cluster is an in-process control plane (eks-runtime.ts) whose API
// server accepts `k8s-aws-v1.` tokens and enforces access policies before RBAC (eks-auth.ts).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Registry } from '../apiserver/registry/index.js';
import { builtinCatalog } from '../apiserver/schema/catalog.js';
import { createInProcessClient } from '../client/in-process.js';
import { fetchJwks, KubeAwsStateStore, LaunchTemplateStore, serviceRoleCheck, startAwsEndpoint, VpcModels, type AwsEndpoint, type JwksResolver } from '../aws/index.js';
import { clusterOidcProviders, EksService, eksHandler, fargateProfileNames, identityResolver, type AwsAuthSource, type NetworkLookup } from '../aws/eks/index.js';
import { RealClock, ScaledClock } from '../util/clock.js';
import { NodegroupActuator } from './nodegroup-actuator.js';
import { accessPolicyAuthorizer, accessPolicyRulesFor, eksOidcAuthenticator, eksTokenAuthenticator } from './eks-auth.js';
import { startOidcIssuer } from './eks-oidc.js';
import { InProcessEksRuntime } from './eks-runtime.js';
import { vpcPodNetwork } from './pod-network.js';
import { openStore } from './storage.js';

export interface UpOptions {
  port: number;
  host: string;
  dataDir: string;
  storage: 'sqlite' | 'memory';
  region: string;
  enforceIam: boolean;
  /** How long CREATING, DELETING and an update's InProgress last. */
  clusterCreateDelayMs: number;
  /** Simulated nodes in every cluster outside any node group (EKS starts clusters with none). */
  nodesPerCluster: number;
  /** Node-group time (drain retries and waits of updates) runs this many times faster than wall time. Default 1. */
  nodeTimeScale?: number;
}

export interface RunningUp {
  url: string;
  port: number;
  /** The CA of the clusters' OIDC issuer server (https://host:port/id/<ID>). */
  oidcCaPem: string;
  close(): Promise<void>;
}

const MANAGEMENT_USER = { username: 'system:kumo-up', groups: ['system:masters', 'system:authenticated'] };

export async function startUp(opts: UpOptions): Promise<RunningUp> {
  const dataDir = resolve(opts.dataDir);
  const managementDir = join(dataDir, 'management');
  mkdirSync(managementDir, { recursive: true });
  const clock = new RealClock();
  const store = await openStore({ kind: opts.storage, dataDir: managementDir });
  const catalog = builtinCatalog();
  const registry = new Registry({ store, catalog, clock });
  await registry.start();
  const client = createInProcessClient(registry, catalog, MANAGEMENT_USER, 'kumo-up');
  const awsState = new KubeAwsStateStore(client, 'kumo-iam');
  const eksState = new KubeAwsStateStore(client, 'kumo-eks');
  // The region's VPC model (EC2, node network attachments, pod IPs) and launch templates, kept with
  // the IAM state so IDs survive restarts; loaded before any cluster starts.
  const vpcModels = await VpcModels.open(awsState, [opts.region]);
  const launchTemplates = await LaunchTemplateStore.open(awsState, [opts.region]);

  // Filled in below; the issuer server looks keys up only on requests, once clusters run.
  const planes: { runtime?: InProcessEksRuntime } = {};
  const oidc = await startOidcIssuer({ dataDir, host: opts.host, keys: async (issuer) => planes.runtime?.keysOf(issuer) });
  // The service exists before any cluster starts (svc.start() below); the hooks run only on requests.
  const eks: { svc?: EksService } = {};
  const runtime = new InProcessEksRuntime({
    dataDir,
    host: opts.host,
    storage: opts.storage,
    region: opts.region,
    nodes: opts.nodesPerCluster,
    // Fargate's start-up time follows the region's transition delay (--cluster-create-delay).
    fargateStartupMs: opts.clusterCreateDelayMs,
    // A Fargate pod's ENI takes an address of its profile's subnet in the VPC model.
    fargateAddresses: {
      allocate(subnetId, owner) {
        const model = vpcModels.model(opts.region);
        if (!model.subnet(subnetId)) return undefined;
        const ip = model.allocate(subnetId, owner);
        if (ip !== undefined) vpcModels.saveSoon(opts.region);
        return ip;
      },
      release(ip) {
        if (vpcModels.model(opts.region).release(ip)) vpcModels.saveSoon(opts.region);
      },
    },
    oidcBase: oidc.base,
    podNetwork: (clusterClient) => vpcPodNetwork({ models: vpcModels, region: opts.region, client: clusterClient }),
    auth: (clusterName) => {
      const resolveIdentity = (name: string, arn: string) => identityResolver(eks.svc as EksService, awsAuth)(name, arn);
      return {
        tokenAuthenticators: [
          eksTokenAuthenticator({ clusterName, state: awsState, resolve: resolveIdentity, clock }),
          eksOidcAuthenticator({ providers: () => clusterOidcProviders(eks.svc as EksService, clusterName), jwks: jwksResolver, clock }),
        ],
        authorizeBefore: accessPolicyAuthorizer(clusterName, resolveIdentity),
        rulesBefore: accessPolicyRulesFor(clusterName, resolveIdentity),
      };
    },
  });
  planes.runtime = runtime;
  // The aws-auth ConfigMap of each cluster, read from that cluster's own registry.
  const awsAuth: AwsAuthSource = {
    async read(clusterName) {
      const plane = await runtime.plane(clusterName)?.catch(() => undefined);
      if (!plane) return undefined;
      const configMaps = plane.catalog.resource('', 'v1', 'configmaps');
      if (!configMaps) return undefined;
      try {
        const cm = await plane.registry.get(configMaps, 'kube-system', 'aws-auth', {});
        return (cm['data'] ?? {}) as { mapRoles?: string; mapUsers?: string };
      } catch (err) {
        if ((err as { reason?: string }).reason === 'NotFound') return undefined;
        throw err;
      }
    },
  };
  // Tokens issued by this region's clusters are checked against their keys in-process (STS web
  // identity, cluster OIDC providers); other issuers are fetched as AWS fetches them.
  const jwksResolver: JwksResolver = async (issuer) => ((await runtime.keysOf(issuer))?.jwks() as Awaited<ReturnType<JwksResolver>> | undefined) ?? fetchJwks(issuer);
  const network: NetworkLookup = {
    subnet: (region, id) => (vpcModels.regions().includes(region) ? vpcModels.model(region).subnet(id) : undefined),
    securityGroup: (region, id) => (vpcModels.regions().includes(region) ? vpcModels.model(region).securityGroup(id) : undefined),
    launchTemplate: (region, ref) => {
      const lt = launchTemplates.model(region).resolve(ref);
      return { id: lt.launchTemplateId, name: lt.launchTemplateName, version: lt.versionNumber, instanceType: lt.data.InstanceType, imageId: lt.data.ImageId, keyName: lt.data.KeyName };
    },
  };
  const nodeClock = opts.nodeTimeScale && opts.nodeTimeScale !== 1 ? new ScaledClock(opts.nodeTimeScale) : clock;
  const actuator = new NodegroupActuator({
    region: opts.region,
    plane: (name) => runtime.plane(name),
    vpc: vpcModels,
    clock: nodeClock,
    onInstanceLost: (cluster, nodegroup) => eks.svc?.nodegroups.replaceLost(cluster, nodegroup),
  });
  const svc: EksService = new EksService({
    store: eksState, clock, runtime, transitionMs: opts.clusterCreateDelayMs,
    roleCheck: serviceRoleCheck(awsState),
    dependents: { nodegroups: async (name) => svc.nodegroups.names(name), fargateProfiles: async (name) => fargateProfileNames(svc, name) },
    nodegroupRuntime: actuator,
    network,
  });
  eks.svc = svc;
  let endpoint: AwsEndpoint | undefined;
  try {
    await svc.start();
    endpoint = await startAwsEndpoint({ host: opts.host, port: opts.port, state: awsState, region: opts.region, enforceIam: opts.enforceIam, clock, jwksResolver, vpcModels, launchTemplates, instances: actuator });
    endpoint.registerRestJsonService('eks', eksHandler(svc));
  } catch (err) {
    svc.stop();
    await runtime.stopAll();
    await oidc.stop();
    await registry.stop();
    await store.close();
    throw err;
  }
  const running = endpoint;
  let closing: Promise<void> | undefined;
  return {
    url: running.url,
    port: running.port,
    oidcCaPem: oidc.caPem,
    close() {
      closing ??= (async () => {
        await running.stop();
        svc.stop();
        await runtime.stopAll();
        // Addresses Fargate took or gave back in the last moments are stored before the store closes.
        await vpcModels.flush().catch((err) => console.error('vpc model: flush failed:', err));
        await oidc.stop();
        await registry.stop();
        await store.close();
      })();
      return closing;
    },
  };
}
