// EKS's ClusterRuntime over in-process control planes: each cluster is one `kumo apiserver`
// (startApiServer) with its own data dir DIR/clusters/<name>, HTTPS port, CA and simulated nodes.
// After a restart a cluster comes back on the port of its stored endpoint with the same CA, so
// kubeconfigs written before keep working. A new cluster's keys (CA, serving certificate, the RSA
// ServiceAccount signing key) are made ahead of time in a spare data dir, so CreateCluster does not
// wait for key generation.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster, ClusterRuntime, FargateProfileMirror } from '../aws/eks/index.js';
import type { TokenAuthenticator } from '../apiserver/auth/index.js';
import type { AuthorizationAttributes } from '../apiserver/server/deps.js';
import { loadOrCreatePki } from '../apiserver/certs/pki.js';
import { ServiceAccountTokens } from '../apiserver/auth/index.js';
import { startApiServer, type RunningApiServer } from './apiserver.js';
import type { ClusterRuntimeOptions } from './cluster-runtime.js';
import { installDefaultAddons } from './eks-addons.js';
import { createInProcessClient } from '../client/in-process.js';
import type { RulesBefore } from './registry-api.js';
import { SERVICE_ACCOUNT_DIR } from './auth.js';
import { writeFargateMirror } from './fargate-mirror.js';
import type { FargateAddresses } from '../cloud/fargate-scheduler.js';
import { openStore, type StorageKind } from './storage.js';

const EKS_ADDON_USER = { username: 'eks:addon-manager', groups: ['system:masters', 'system:authenticated'] };

export interface EksRuntimeOptions {
  dataDir: string;
  host: string;
  storage: Exclude<StorageKind, 'etcd'>;
  region: string;
  /** Simulated nodes per cluster. */
  nodes: number;
  /** Base URL of the OIDC issuer server (eks-oidc.ts); a cluster's issuer is `${oidcBase}/id/<ID>`. */
  oidcBase: string;
  /** Install EKS's default add-on objects into new clusters; default true. */
  defaultAddons?: boolean;
  /** Pod IPs of the clusters' VPC-attached nodes. */
  podNetwork?: ClusterRuntimeOptions['podNetwork'];
  /** How long Fargate takes to give a pod its node (clock milliseconds of the cluster). */
  fargateStartupMs?: number;
  /** The region's subnet addresses Fargate nodes take theirs from. */
  fargateAddresses?: FargateAddresses;
  /** The cluster's authentication hooks (EKS tokens, access policies), built per cluster. */
  auth(clusterName: string): { tokenAuthenticators: TokenAuthenticator[]; authorizeBefore: (attrs: AuthorizationAttributes) => Promise<boolean>; rulesBefore?: RulesBefore };
}

function storedPort(endpoint: string | undefined): number {
  if (!endpoint) return 0;
  try {
    return Number(new URL(endpoint).port) || 0;
  } catch {
    return 0;
  }
}

export class InProcessEksRuntime implements ClusterRuntime {
  private readonly planes = new Map<string, Promise<RunningApiServer>>();
  /** A data dir with a fresh cluster's keys, ready to become the next new cluster's. */
  private spare?: Promise<string>;

  constructor(private readonly opts: EksRuntimeOptions) {
    // Spares left by an earlier run that stopped before using them.
    rmSync(this.spareRoot(), { recursive: true, force: true });
    this.spare = this.makeSpare();
  }

  private spareRoot(): string {
    return join(this.opts.dataDir, 'spare-planes');
  }

  private async makeSpare(): Promise<string> {
    const dir = join(this.spareRoot(), randomUUID());
    await Promise.all([
      loadOrCreatePki(dir),
      // The issuer is the cluster's and given at start; the key file is what takes the time.
      ServiceAccountTokens.loadOrCreate(join(dir, SERVICE_ACCOUNT_DIR), 'https://kumo.invalid'),
      // A new SQLite file costs its schema and first syncs; an existing one opens in milliseconds.
      this.opts.storage === 'sqlite' ? openStore({ kind: 'sqlite', dataDir: dir }).then((s) => s.close()) : undefined,
    ]);
    return dir;
  }

  /** Moves the spare into place as a new cluster's data dir (an existing one is kept) and starts the next spare. */
  private async takeSpare(clusterDir: string): Promise<void> {
    if (existsSync(clusterDir) && readdirSync(clusterDir).length > 0) return;
    const spare = this.spare;
    this.spare = this.makeSpare();
    this.spare.catch(() => undefined);
    const dir = await spare?.catch(() => undefined);
    if (!dir) return;
    mkdirSync(join(clusterDir, '..'), { recursive: true });
    rmSync(clusterDir, { recursive: true, force: true });
    renameSync(dir, clusterDir);
  }

  /** The running control plane of a cluster, if any. */
  plane(name: string): Promise<RunningApiServer> | undefined {
    return this.planes.get(name);
  }

  async start(cluster: Cluster): Promise<{ endpoint: string; caData: string; oidcIssuer: string }> {
    const existing = this.planes.get(cluster.name);
    const p = existing ?? this.launch(cluster);
    if (!existing) {
      this.planes.set(cluster.name, p);
      p.catch(() => this.planes.delete(cluster.name));
    }
    const plane = await p;
    const caPem = readFileSync(join(this.opts.dataDir, 'clusters', cluster.name, 'pki', 'ca.crt'));
    return { endpoint: plane.url, caData: caPem.toString('base64'), oidcIssuer: this.issuerOf(cluster) };
  }

  /** EKS's issuer shape (`.../id/<32 hex>`), stable across restarts: the cluster's ServiceAccount tokens carry it as `iss`. */
  private issuerOf(cluster: Cluster): string {
    const id = createHash('sha256').update(cluster.arn).digest('hex').slice(0, 32).toUpperCase();
    return `${this.opts.oidcBase}/id/${id}`;
  }

  /** The ServiceAccount keys of the cluster whose issuer this is, if it runs here. */
  async keysOf(issuer: string): Promise<ServiceAccountTokens | undefined> {
    const want = issuer.replace(/\/$/, '');
    for (const p of this.planes.values()) {
      const plane = await p.catch(() => undefined);
      if (plane && plane.serviceAccountTokens.issuer === want) return plane.serviceAccountTokens;
    }
    return undefined;
  }

  private async launch(cluster: Cluster): Promise<RunningApiServer> {
    const dataDir = join(this.opts.dataDir, 'clusters', cluster.name);
    await this.takeSpare(dataDir);
    const base = {
      host: this.opts.host,
      dataDir,
      storage: this.opts.storage,
      kubernetesVersion: cluster.version,
      serviceAccountIssuer: this.issuerOf(cluster),
      cluster: {
        nodes: this.opts.nodes, region: this.opts.region, zones: ['a', 'b', 'c'].map((z) => `${this.opts.region}${z}`),
        podNetwork: this.opts.podNetwork, fargateAddresses: this.opts.fargateAddresses,
      },
      ...this.opts.auth(cluster.name),
    };
    const port = storedPort(cluster.endpoint);
    let plane: RunningApiServer;
    try {
      plane = await startApiServer({ ...base, port });
    } catch (err) {
      // The old port is taken by someone else: a new one (old kubeconfigs then need update-kubeconfig).
      if (port === 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      plane = await startApiServer({ ...base, port: 0 });
    }
    // A new cluster gets EKS's default add-ons (aws-node, kube-proxy, CoreDNS) once, at creation.
    if (cluster.status === 'CREATING' && this.opts.defaultAddons !== false) {
      const client = createInProcessClient(plane.registry, plane.catalog, EKS_ADDON_USER, 'eks-addon-manager');
      try {
        await installDefaultAddons(client, this.opts.region, cluster.version);
      } catch (err) {
        await plane.close();
        throw err;
      }
    }
    return plane;
  }

  async syncFargateProfiles(name: string, profiles: FargateProfileMirror[]): Promise<void> {
    const p = this.planes.get(name);
    if (!p) throw new Error(`the control plane of cluster ${name} is not running`);
    await writeFargateMirror(await p, profiles, this.opts.fargateStartupMs ?? 30_000);
  }

  async setVersion(name: string, version: string): Promise<void> {
    const plane = await this.planes.get(name);
    plane?.setKubernetesVersion(version);
  }

  /** EKS calls stop once a cluster is deleted: its control plane ends and its data goes with it. */
  async stop(name: string): Promise<void> {
    await this.shutdown(name);
    rmSync(join(this.opts.dataDir, 'clusters', name), { recursive: true, force: true });
  }

  private async shutdown(name: string): Promise<void> {
    const p = this.planes.get(name);
    this.planes.delete(name);
    if (p) await (await p.catch(() => undefined))?.close();
  }

  /** Ends every control plane and keeps its data (`kumo up` shutting down; a restart brings them back). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.planes.keys()].map((n) => this.shutdown(n)));
    const spare = this.spare;
    this.spare = undefined;
    await spare?.catch(() => undefined);
    rmSync(this.spareRoot(), { recursive: true, force: true });
  }
}
