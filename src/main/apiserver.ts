// Composition root of `kumo apiserver`: storage, schema catalog, registry, auth and the HTTPS server,
// wired together; writes the admin kubeconfig once the server is ready.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadOrCreatePki } from '../apiserver/certs/pki.js';
import { loadOrCreateAdminToken } from '../apiserver/kubeconfig/admin-token.js';
import { writeKubeconfig } from '../apiserver/kubeconfig/kubeconfig.js';
import { openApiV3DocumentJson, openApiV3Index } from '../apiserver/openapi/index.js';
import { builtinCatalog } from '../apiserver/schema/catalog.js';
import { startCustomResources } from '../apiserver/crd/install.js';
import { decodeProtobufBody } from '../apiserver/protobuf/index.js';
import { Registry, serializeJSONBytes } from '../apiserver/registry/index.js';
import { RestHandler } from '../apiserver/server/resource-handler.js';
import { tableFor } from '../apiserver/tables/index.js';
import { ApiServer } from '../apiserver/server/server.js';
import { versionInfo } from '../apiserver/server/version.js';
import { RealClock, ScaledClock } from '../util/clock.js';
import { startClusterRuntime, type ClusterRuntime, type ClusterRuntimeOptions } from './cluster-runtime.js';
import type { FargateAddresses } from '../cloud/fargate-scheduler.js';
import { openStore, startCompaction, type StorageKind } from './storage.js';
import { buildClusterAuth } from './auth.js';
import { Authenticator, bearerToken, impersonate, type ServiceAccountTokens, type TokenAuthenticator } from '../apiserver/auth/index.js';
import type { Authenticate, Authorize, AuthorizationAttributes } from '../apiserver/server/deps.js';
import type { SchemaCatalog } from '../apiserver/schema/types.js';
import { registryApi, type RulesBefore } from './registry-api.js';
import { createInProcessClient } from '../client/in-process.js';
import type { KubeClient } from '../client/types.js';
import type { NodeSimulator } from '../kubelet/simulator.js';

export interface ApiServerOptions {
  port: number;
  host?: string;
  dataDir: string;
  storage: StorageKind;
  etcdEndpoints?: string[];
  kubernetesVersion: string;
  /** kube-apiserver's --etcd-compaction-interval: default 5 minutes; 0 disables compaction. */
  compactionIntervalMs?: number;
  /** The cluster side (scheduler, controllers, simulated nodes); always runs, with 0 nodes by default. */
  cluster?: {
    nodes?: number;
    zones?: string[];
    region?: string;
    instanceType?: string;
    /** Simulated time runs this many times faster than wall time on the cluster side. Default 1. */
    timeScale?: number;
    /** Pod IPs of VPC-attached nodes (EKS clusters of `kumo up`). */
    podNetwork?: ClusterRuntimeOptions['podNetwork'];
    /** Where Fargate nodes take their addresses (the region's VPC model under `kumo up`). */
    fargateAddresses?: FargateAddresses;
  };
  /** The ServiceAccount token issuer (--service-account-issuer); default DEFAULT_ISSUER. */
  serviceAccountIssuer?: string;
  /** Extra bearer-token authenticators (e.g. EKS `k8s-aws-v1.` tokens), tried before the built-in ones. */
  tokenAuthenticators?: TokenAuthenticator[];
  /** An authorizer consulted before RBAC (e.g. EKS access policies): allowed wins, otherwise RBAC decides. */
  authorizeBefore?: (attrs: AuthorizationAttributes) => Promise<boolean>;
  /** What authorizeBefore grants a user, per namespace, for SelfSubjectRulesReview (`kubectl auth can-i --list`). */
  rulesBefore?: RulesBefore;
}

export interface RunningApiServer {
  url: string;
  port: number;
  kubeconfigPath: string;
  registry: Registry;
  catalog: SchemaCatalog;
  /** The ServiceAccount token issuer's keys (its JWKS is what an OIDC provider for the cluster serves). */
  serviceAccountTokens: ServiceAccountTokens;
  /** Changes the Kubernetes version /version reports (an EKS control-plane upgrade). */
  setKubernetesVersion(version: string): void;
  /** The cluster's simulated nodes (managed node groups launch theirs here). */
  simulator: NodeSimulator;
  /** An in-process client acting as the given user (no HTTP, no authentication). */
  inProcessClient(user: { username: string; groups: string[] }, userAgent: string): KubeClient;
  close(): Promise<void>;
}

export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const version = versionInfo(opts.kubernetesVersion);
  const pki = await loadOrCreatePki(dataDir);
  const adminToken = loadOrCreateAdminToken(dataDir);
  const store = await openStore({ kind: opts.storage, dataDir, etcdEndpoints: opts.etcdEndpoints });
  const catalog = builtinCatalog();
  const clock = new RealClock();
  const compaction = startCompaction(store, opts.compactionIntervalMs ?? 300_000, clock);

  const openApiOptions = { infoVersion: version.gitVersion };
  const registry = new Registry({ store, catalog, clock });
  try {
    await registry.start();
  } catch (err) {
    compaction?.stop();
    await store.close();
    throw err;
  }
  let auth;
  try {
    auth = await buildClusterAuth({ dataDir, registry, catalog, adminToken, issuer: opts.serviceAccountIssuer });
  } catch (err) {
    await registry.stop();
    compaction?.stop();
    await store.close();
    throw err;
  }
  // CRDs: their served versions are registered in the catalog, which discovery and OpenAPI follow.
  const crds = startCustomResources(registry, catalog, clock);
  const crHooks = crds.hooks;
  let runtime: ClusterRuntime;
  try {
    const c = opts.cluster ?? {};
    runtime = await startClusterRuntime({
      registry,
      catalog,
      clock: c.timeScale && c.timeScale !== 1 ? new ScaledClock(c.timeScale) : clock,
      caPem: pki.caCert,
      nodes: c.nodes ?? 0,
      zones: c.zones ?? ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      region: c.region ?? 'us-east-1',
      instanceType: c.instanceType ?? 'm5.large',
      kubernetesVersion: () => version.gitVersion,
      podNetwork: c.podNetwork,
      fargateAddresses: c.fargateAddresses,
    });
  } catch (err) {
    crds.stop();
    auth.stop();
    await registry.stop();
    compaction?.stop();
    await store.close();
    throw err;
  }
  const clusterAuth = auth;
  const extraTokens = opts.tokenAuthenticators ?? [];
  const authenticate: Authenticate = extraTokens.length === 0 ? auth.authenticate : async (req) => {
    const header = req.headers['authorization'];
    const token = bearerToken(Array.isArray(header) ? header[0] : header);
    if (token) {
      for (const a of extraTokens) {
        const result = await a.authenticateToken(token, []);
        // Upstream's union authenticator: a refusal lets the next authenticator try (the built-in ones last).
        if (!result || 'error' in result) continue;
        const user = { ...result.user, groups: [...new Set([...result.user.groups, 'system:authenticated'])] };
        return impersonate(user, req.headers, clusterAuth.rbac) ?? user;
      }
    }
    return clusterAuth.authenticate(req);
  };
  const before = opts.authorizeBefore;
  const authorize: Authorize = !before ? auth.authorize : async (attrs) => ((await before(attrs)) ? { allowed: true } : clusterAuth.authorize(attrs));
  // TokenReview accepts the same tokens as requests do (EKS `k8s-aws-v1.` tokens among them).
  const reviewAuth = extraTokens.length === 0
    ? auth
    : { ...auth, authenticator: new Authenticator({ adminToken, serviceAccounts: auth.tokens, lookup: auth.lookup, tokenAuthenticators: extraTokens }) };
  const handler = new RestHandler({
    catalog,
    api: registryApi(registry, reviewAuth, clock, () => runtime.dataPlane, before, opts.rulesBefore),
    tables: (res, objects, o) => {
      const listMeta = {
        resourceVersion: o.listMeta?.['resourceVersion'] as string | undefined,
        continue: o.listMeta?.['continue'] as string | undefined,
        remainingItemCount: o.listMeta?.['remainingItemCount'] as number | undefined,
      };
      // Custom resources print their CRD's additionalPrinterColumns.
      const custom = crHooks.forResource(res);
      if (custom) return custom.table(objects, { now: clock.now(), includeObject: o.includeObject, noHeaders: o.noHeaders, ...listMeta }) as unknown as Record<string, unknown>;
      return tableFor(res.group, res.resource, objects, {
        includeObject: o.includeObject,
        noHeaders: o.noHeaders,
        now: clock,
        ...listMeta,
      }) as unknown as Record<string, unknown>;
    },
    resourceWarning: (res) => crHooks.forResource(res)?.warning,
    protobuf: (body) => decodeProtobufBody(body, catalog),
    serialize: serializeJSONBytes,
    onShutdown: (fn) => server.onShutdown(fn),
  });

  const server: ApiServer = new ApiServer(
    {
      resources: catalog,
      authenticate,
      authorize,
      handler,
      openapi: {
        index: () => openApiV3Index(catalog, openApiOptions),
        document: (gvPath) => {
          const doc = openApiV3DocumentJson(catalog, gvPath, openApiOptions);
          return doc && { body: doc.json, hash: doc.hash };
        },
      },
      version,
      liveChecks: [
        { name: 'ping', check: async () => true },
        { name: 'log', check: async () => true },
        { name: 'etcd', check: async () => void (await store.currentRevision()) },
      ],
      readyChecks: [],
    },
    pki,
  );
  const host = opts.host ?? '127.0.0.1';
  let port: number;
  try {
    port = await server.listen(opts.port, host);
  } catch (err) {
    await runtime.stop();
    crds.stop();
    auth.stop();
    await registry.stop();
    compaction?.stop();
    await store.close();
    throw err;
  }
  const url = `https://${host}:${port}`;
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, { server: url, caPem: pki.caCert, token: adminToken });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    kubeconfigPath,
    registry,
    catalog,
    serviceAccountTokens: auth.tokens,
    simulator: runtime.simulator,
    inProcessClient: (user, userAgent) => createInProcessClient(registry, catalog, { username: user.username, groups: [...user.groups, 'system:authenticated'] }, userAgent),
    setKubernetesVersion(v: string) {
      Object.assign(version, versionInfo(v));
    },
    close() {
      closing ??= (async () => {
        await server.close();
        await runtime.stop();
        crds.stop();
        auth.stop();
        await registry.stop();
        compaction?.stop();
        await compaction?.idle();
        await store.close();
      })();
      return closing;
    },
  };
}
