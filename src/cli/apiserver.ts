// `kumo apiserver`: one standalone Kubernetes API server on the storage layer.
import { Command, InvalidArgumentError, Option } from 'commander';

export interface ApiserverCommandOptions {
  port: number;
  host: string;
  dataDir: string;
  storage: 'sqlite' | 'memory' | 'etcd';
  etcdEndpoints?: string[];
  kubernetesVersion: string;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer from 0 to 65535');
  return n;
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
    .action(async (opts: ApiserverCommandOptions) => {
      if (opts.storage === 'etcd' && !opts.etcdEndpoints?.length) throw new InvalidArgumentError('--storage etcd needs --etcd-endpoints');
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
