// A running AWS endpoint with EKS registered, over in-memory state, and a ClusterRuntime that gives
// each cluster a real CA and a loopback HTTPS server signed by it.
import { createServer, type Server } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { EKSClient } from '@aws-sdk/client-eks';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { awsCli } from '../helpers/aws-cli.js';
import { loadOrCreatePki } from '../../src/apiserver/certs/pki.js';
import { serviceRoleCheck, startAwsEndpoint, type AwsEndpoint } from '../../src/aws/index.js';
import { MemoryAwsStateStore } from '../../src/aws/state.js';
import { EksService, eksHandler, type Cluster, type ClusterDependents, type ClusterRuntime, type EksStateStore } from '../../src/aws/eks/index.js';
import { RealClock, type Clock } from '../../src/util/clock.js';

export class TlsRuntime implements ClusterRuntime {
  readonly servers = new Map<string, Server>();
  readonly versions = new Map<string, string>();
  readonly started: Cluster[] = [];
  readonly stopped: string[] = [];
  private readonly dirs: string[] = [];

  private readonly pending = new Set<Promise<unknown>>();

  start(cluster: Cluster): Promise<{ endpoint: string; caData: string; oidcIssuer: string }> {
    const p = this.serve(cluster);
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => undefined);
    return p;
  }

  private async serve(cluster: Cluster): Promise<{ endpoint: string; caData: string; oidcIssuer: string }> {
    this.started.push(cluster);
    const dir = await mkdtemp(join(tmpdir(), 'kumo-eks-ca-'));
    this.dirs.push(dir);
    const pki = await loadOrCreatePki(dir);
    const server = createServer({ cert: pki.cert, key: pki.key }, (_req, res) => res.end(JSON.stringify({ cluster: cluster.name })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.servers.set(cluster.name, server);
    this.versions.set(cluster.name, cluster.version);
    const port = (server.address() as AddressInfo).port;
    return {
      endpoint: `https://127.0.0.1:${port}`,
      caData: Buffer.from(pki.caCert).toString('base64'),
      oidcIssuer: `https://127.0.0.1:${port}/id/${cluster.name.toUpperCase()}`,
    };
  }
  async setVersion(name: string, version: string): Promise<void> {
    this.versions.set(name, version);
  }
  async stop(name: string): Promise<void> {
    this.stopped.push(name);
    const s = this.servers.get(name);
    this.servers.delete(name);
    if (s) await new Promise<void>((r) => { s.close(() => r()); s.closeAllConnections(); });
  }
  async close(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    for (const name of [...this.servers.keys()]) await this.stop(name);
    for (const d of this.dirs) await rm(d, { recursive: true, force: true });
  }
}

export interface Fixture {
  endpoint: AwsEndpoint;
  eks: EKSClient;
  svc: EksService;
  runtime: TlsRuntime;
  store: EksStateStore;
  iam: IAMClient;
  /** Creates an IAM role eks.amazonaws.com may assume (CreateCluster requires one) and answers its ARN. */
  clusterRole(name?: string): Promise<string>;
  cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }>;
  close(): Promise<void>;
}

/** `clock` drives EKS's transitions; the endpoint checks signatures against wall time. */
export async function startFixture(opts: { clock?: Clock; store?: EksStateStore; transitionMs?: number; dependents?: ClusterDependents; enforceIam?: boolean } = {}): Promise<Fixture> {
  const clock = opts.clock ?? new RealClock();
  const store = opts.store ?? new MemoryAwsStateStore();
  const runtime = new TlsRuntime();
  const iamState = new MemoryAwsStateStore();
  const svc = new EksService({ store, clock, runtime, transitionMs: opts.transitionMs, dependents: opts.dependents, roleCheck: serviceRoleCheck(iamState) });
  await svc.start();
  const endpoint = await startAwsEndpoint({
    host: '127.0.0.1', port: 0, state: iamState, region: 'us-east-1', enforceIam: opts.enforceIam ?? false, clock: new RealClock(),
  });
  endpoint.registerRestJsonService('eks', eksHandler(svc));
  const eks = new EKSClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const iam = new IAMClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const awsCliHome = awsCli('kumo-eks-cli-');
  return {
    endpoint, eks, svc, runtime, store, iam,
    async clusterRole(name = 'eks') {
      const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
      return (await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }))).Role!.Arn!;
    },
    cli: (...args: string[]) => awsCliHome.run(endpoint.url, args),
    async close() {
      svc.stop();
      eks.destroy();
      iam.destroy();
      await endpoint.stop();
      await runtime.close();
      awsCliHome.cleanup();
    },
  };
}
