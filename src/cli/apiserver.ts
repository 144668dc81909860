// `kumo apiserver`: one standalone Kubernetes API server on the storage layer.
import { Command, InvalidArgumentError, Option } from 'commander';

export interface ApiserverCommandOptions {
  port: number;
  host: string;
  dataDir: string;
  storage: 'sqlite' | 'memory' | 'etcd';
  etcdEndpoints?: string[];
  kubernetesVersion: string;
  etcdCompactionInterval: number;
  nodes: number;
  zones: string[];
  region: string;
  instanceType: string;
  timeScale: number;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

function parseFactor(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

function parseList(value: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('must name at least one zone');
  return items;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer from 0 to 65535');
  return n;
}

/** A Go duration as kube-apiserver's flags take it: "5m", "1m30s", "500ms", "0". */
export function parseDuration(value: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
  if (value.trim() === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    total += Number(m[1]) * units[m[2]];
    matched = re.lastIndex;
  }
  if (matched === 0 || matched !== value.length) throw new InvalidArgumentError(`invalid duration ${JSON.stringify(value)}`);
  return total;
}

function parseEndpoints(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

export function apiserverCommand(): Command {
  return new Command('apiserver')
    .description('Run a standalone Kubernetes API server; writes an admin kubeconfig to DIR/kubeconfig once ready')
    .addOption(new Option('--port <port>', 'HTTPS port to listen on (0 picks a free port)').default(6443).argParser(parsePort))
    .addOption(new Option('--host <address>', 'address to listen on').default('127.0.0.1'))
    .requiredOption('--data-dir <dir>', 'directory for storage, certificates, tokens and the kubeconfig')
    .addOption(new Option('--storage <driver>', 'storage driver').choices(['sqlite', 'memory', 'etcd']).default('sqlite'))
    .addOption(new Option('--etcd-endpoints <urls>', 'etcd endpoints, comma separated (with --storage etcd)').argParser(parseEndpoints))
    .addOption(new Option('--kubernetes-version <version>', 'Kubernetes version to emulate').default('1.33'))
    .addOption(
      new Option('--etcd-compaction-interval <duration>', 'how often storage history is compacted, keeping one interval of it (0 disables)')
        .default(300_000, '5m')
        .argParser(parseDuration),
    )
    .addOption(new Option('--nodes <n>', 'simulated nodes to run (the scheduler and controllers always run)').default(0).argParser(parseCount))
    .addOption(new Option('--zones <zones>', 'availability zones the nodes are spread over, comma separated').default(['us-east-1a', 'us-east-1b', 'us-east-1c'], 'us-east-1a,us-east-1b,us-east-1c').argParser(parseList))
    .addOption(new Option('--region <region>', 'region label of the simulated nodes').default('us-east-1'))
    .addOption(new Option('--instance-type <type>', 'instance type of the simulated nodes (capacity, labels)').default('m5.large'))
    .addOption(new Option('--time-scale <factor>', 'simulated time on the cluster side runs this many times faster than wall time').default(1).argParser(parseFactor))
    .action(async (opts: ApiserverCommandOptions, cmd: Command) => {
      if (opts.storage === 'etcd' && !opts.etcdEndpoints?.length) throw new InvalidArgumentError('--storage etcd needs --etcd-endpoints');
      const { instanceType, listInstanceTypes } = await import('../cloud/instance-types.js');
      if (!instanceType(opts.instanceType)) {
        cmd.error(`error: option '--instance-type <type>' argument '${opts.instanceType}' is invalid. known instance types: ${listInstanceTypes().map((t) => t.name).join(', ')}`);
      }
      // The composition root is loaded when the command runs, so `kumo --help` stays fast and the
      // cli layer holds no static dependency on main/ (DESIGN.md: nothing imports main).
      const { startApiServer } = await import('../main/apiserver.js');
      const running = await startApiServer({
        port: opts.port,
        host: opts.host,
        dataDir: opts.dataDir,
        storage: opts.storage,
        etcdEndpoints: opts.etcdEndpoints,
        kubernetesVersion: opts.kubernetesVersion,
        compactionIntervalMs: opts.etcdCompactionInterval,
        cluster: { nodes: opts.nodes, zones: opts.zones, region: opts.region, instanceType: opts.instanceType, timeScale: opts.timeScale },
      });
      process.stdout.write(`kumo apiserver ready at ${running.url}, kubeconfig ${running.kubeconfigPath}\n`);
      await new Promise<void>((resolveStop) => {
        const stop = (signal: NodeJS.Signals) => {
          process.stderr.write(`kumo apiserver: ${signal}, shutting down\n`);
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          running.close().then(resolveStop, (err) => {
            process.stderr.write(`kumo apiserver: shutdown failed: ${String(err)}\n`);
            process.exitCode = 1;
            resolveStop();
          });
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
    });
}
