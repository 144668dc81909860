// `kumo up`: the AWS endpoint (IAM, STS, EKS) with a real Kubernetes control plane per EKS cluster.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from './apiserver.js';

export interface UpCommandOptions {
  port: number;
  host: string;
  dataDir: string;
  storage: 'sqlite' | 'memory';
  region: string;
  enforceIam: boolean;
  clusterCreateDelay: number;
  clusterNodes: number;
  nodeTimeScale: number;
}

function parseScale(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer from 0 to 65535');
  return n;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

export function upCommand(): Command {
  return new Command('up')
    .description('Run an EKS region on this machine: the AWS endpoint (EKS, IAM, STS) and a Kubernetes control plane per EKS cluster')
    .addOption(new Option('--port <port>', 'port of the AWS endpoint (0 picks a free port)').default(4566).argParser(parsePort))
    .addOption(new Option('--host <address>', 'address to listen on').default('127.0.0.1'))
    .addOption(new Option('--data-dir <dir>', 'directory for the AWS state and every cluster').default(join(homedir(), '.kumo'), '~/.kumo'))
    .addOption(new Option('--storage <driver>', 'storage driver').choices(['sqlite', 'memory']).default('sqlite'))
    .addOption(new Option('--region <region>', 'the AWS region served').default('us-east-1'))
    .addOption(new Option('--enforce-iam', 'evaluate identity policies for every EKS, IAM and STS call').default(false))
    .addOption(new Option('--cluster-create-delay <duration>', 'how long clusters stay CREATING/DELETING and updates InProgress').default(200, '200ms').argParser(parseDuration))
    .addOption(new Option('--cluster-nodes <n>', 'simulated nodes in every cluster outside any node group (EKS starts clusters with none)').default(0).argParser(parseCount))
    .addOption(new Option('--node-time-scale <factor>', 'node-group time (drain retries, waits of version updates) runs this many times faster than wall time').default(1).argParser(parseScale))
    .action(async (opts: UpCommandOptions) => {
      // Loaded when the command runs: the cli layer holds no static dependency on main/.
      const { startUp } = await import('../main/up.js');
      const running = await startUp({
        port: opts.port,
        host: opts.host,
        dataDir: opts.dataDir,
        storage: opts.storage,
        region: opts.region,
        enforceIam: opts.enforceIam,
        clusterCreateDelayMs: opts.clusterCreateDelay,
        nodesPerCluster: opts.clusterNodes,
        nodeTimeScale: opts.nodeTimeScale,
      });
      process.stdout.write(`kumo up: AWS endpoint ${running.url} (region ${opts.region})\n`);
      await new Promise<void>((resolveStop) => {
        const stop = (signal: NodeJS.Signals) => {
          process.stderr.write(`kumo up: ${signal}, shutting down\n`);
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          running.close().then(resolveStop, (err) => {
            process.stderr.write(`kumo up: shutdown failed: ${String(err)}\n`);
            process.exitCode = 1;
            resolveStop();
          });
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
    });
}
