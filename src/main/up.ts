// Composition root of `kumo up`: one process that is an EKS region. A management store and registry
// hold the AWS state (IAM, STS sessions, EKS) as ConfigMaps; the AWS endpoint serves IAM, STS and
// EKS on one port; every EKS cluster is an in-process control plane (eks-runtime.ts) whose API
// server accepts `k8s-aws-v1.` tokens and enforces access policies before RBAC (eks-auth.ts).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Registry } from '../apiserver/registry/index.js';
import { builtinCatalog } from '../apiserver/schema/catalog.js';
import { createInProcessClient } from '../client/in-process.js';
import { fetchJwks, KubeAwsStateStore, serviceRoleCheck, startAwsEndpoint, VpcModels, type AwsEndpoint, type JwksResolver } from '../aws/index.js';
import { clusterOidcProviders, EksService, eksHandler, fargateProfileNames, identityResolver, type AwsAuthSource } from '../aws/eks/index.js';
import { RealClock } from '../util/clock.js';
import { accessPolicyAuthorizer, eksOidcAuthenticator, eksTokenAuthenticator } from './eks-auth.js';
import { startOidcIssuer } from './eks-oidc.js';
import { InProcessEksRuntime } from './eks-runtime.js';
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
  /** Simulated nodes in every cluster. */
  nodesPerCluster: number;
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
    oidcBase: oidc.base,
    auth: (clusterName) => {
      const resolveIdentity = (name: string, arn: string) => identityResolver(eks.svc as EksService, awsAuth)(name, arn);
      return {
        tokenAuthenticators: [
          eksTokenAuthenticator({ clusterName, state: awsState, resolve: resolveIdentity, clock }),
          eksOidcAuthenticator({ providers: () => clusterOidcProviders(eks.svc as EksService, clusterName), jwks: jwksResolver, clock }),
        ],
        authorizeBefore: accessPolicyAuthorizer(clusterName, resolveIdentity),
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
  // The region's VPC model (EC2 Describe*), kept with the IAM state so subnet IDs survive restarts.
  const vpcModels = await VpcModels.open(awsState, [opts.region]);
  const svc: EksService = new EksService({
    store: eksState, clock, runtime, transitionMs: opts.clusterCreateDelayMs,
    subnets: (region, id) => (vpcModels.regions().includes(region) ? vpcModels.model(region).subnet(id) : undefined),
    roleCheck: serviceRoleCheck(awsState),
    dependents: { nodegroups: async () => [], fargateProfiles: async (name) => fargateProfileNames(svc, name) },
  });
  eks.svc = svc;
  let endpoint: AwsEndpoint | undefined;
  try {
    await svc.start();
    endpoint = await startAwsEndpoint({ host: opts.host, port: opts.port, state: awsState, region: opts.region, enforceIam: opts.enforceIam, clock, jwksResolver, vpcModels });
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
        await oidc.stop();
        await registry.stop();
        await store.close();
      })();
      return closing;
    },
  };
}
