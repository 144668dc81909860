// The eksctl-style verbs of `kumo`: create/delete/upgrade cluster, get clusters|nodegroups|
// fargateprofiles, scale nodegroup, utils write-kubeconfig. Flags follow eksctl's names; failures
// print `Error: <message>` on stderr and exit with status 1, as eksctl does.
import { Command, InvalidArgumentError, Option } from 'commander';
import { RealClock } from '../../util/clock.js';
import { parseDuration } from '../apiserver.js';
import type { OutputFormat } from './get.js';
import type { CommandIo } from './run.js';

/** eksctl's default --timeout for waits on AWS. */
const DEFAULT_TIMEOUT_MS = 25 * 60_000;

function io(): CommandIo {
  // The SDK's notice about its future Node.js requirement is not the user's concern here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    clock: new RealClock(),
    env: process.env,
    pollMs: 250,
  };
}

// The implementations (and the AWS SDK) load when a command runs, so `kumo --help` and `kumo up` stay fast.
function run<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      const { describeError } = await import('./run.js');
      process.stderr.write(`Error: ${describeError(err)}\n`);
      process.exitCode = 1;
    }
  };
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be an integer');
  return n;
}

interface AwsFlags {
  region?: string;
  endpointUrl?: string;
  profile?: string;
}

function awsFlags(cmd: Command): Command {
  return cmd
    .option('-r, --region <region>', 'AWS region (defaults to the config file\'s, then AWS_REGION)')
    .option('--endpoint-url <url>', 'AWS endpoint (defaults to AWS_ENDPOINT_URL, then http://127.0.0.1:4566)')
    .option('-p, --profile <profile>', 'AWS credentials profile to use');
}

const timeout = () => new Option('--timeout <duration>', 'maximum waiting time for any long-running operation').default(DEFAULT_TIMEOUT_MS, '25m0s').argParser(parseDuration);
const output = () => new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'yaml']).default('table');

function createCommand(): Command {
  const cluster = awsFlags(new Command('cluster').description('Create a cluster from an eksctl ClusterConfig file'))
    .requiredOption('-f, --config-file <file>', 'load configuration from a file (or stdin if set to \'-\')')
    .option('--kubeconfig <path>', 'path to write kubeconfig (KUBECONFIG, else ~/.kube/config)')
    .option('--write-kubeconfig [bool]', 'toggle writing of kubeconfig', (v) => v !== 'false', true)
    .addOption(timeout())
    .action(run(async (o: AwsFlags & { configFile: string; kubeconfig?: string; writeKubeconfig: boolean; timeout: number }) => {
      const { createCluster } = await import('./create-cluster.js');
      await createCluster({ configFile: o.configFile, region: o.region, endpointUrl: o.endpointUrl, profile: o.profile, kubeconfig: o.kubeconfig, writeKubeconfig: o.writeKubeconfig, timeoutMs: o.timeout }, io());
    }));
  return new Command('create').description('Create resource(s)').addCommand(cluster);
}

function deleteCommand(): Command {
  const cluster = awsFlags(new Command('cluster').description('Delete a cluster, its node groups, Fargate profiles and IAM roles').argument('[name]'))
    .option('-n, --name <name>', 'EKS cluster name')
    .option('-f, --config-file <file>', 'load configuration from a file')
    .option('--kubeconfig <path>', 'kubeconfig to remove the cluster from')
    .option('-w, --wait', 'wait for deletion of all resources (always done)')
    .addOption(timeout())
    .action(run(async (arg: string | undefined, o: AwsFlags & { name?: string; configFile?: string; kubeconfig?: string; timeout: number }) => {
      const { deleteCluster } = await import('./delete-cluster.js');
      await deleteCluster({ name: o.name ?? arg, configFile: o.configFile, region: o.region, endpointUrl: o.endpointUrl, profile: o.profile, kubeconfig: o.kubeconfig, timeoutMs: o.timeout }, io());
    }));
  return new Command('delete').description('Delete resource(s)').addCommand(cluster);
}

function getCommand(): Command {
  const clusters = awsFlags(new Command('cluster').aliases(['clusters']).description('Get cluster(s)').argument('[name]'))
    .option('-n, --name <name>', 'EKS cluster name')
    .addOption(output())
    .action(run(async (arg: string | undefined, o: AwsFlags & { name?: string; output: OutputFormat }) => {
      const { getClusters } = await import('./get.js');
      await getClusters({ name: o.name ?? arg, region: o.region, endpointUrl: o.endpointUrl, profile: o.profile, output: o.output }, io());
    }));
  const nodegroups = awsFlags(new Command('nodegroup').aliases(['nodegroups', 'ng']).description('Get nodegroup(s)').argument('[name]'))
    .option('--cluster <name>', 'EKS cluster name')
    .option('-n, --name <name>', 'name of the nodegroup')
    .addOption(output())
    .action(run(async (arg: string | undefined, o: AwsFlags & { cluster?: string; name?: string; output: OutputFormat }) => {
      const { getNodegroups } = await import('./get.js');
      await getNodegroups({ cluster: o.cluster, name: o.name ?? arg, region: o.region, endpointUrl: o.endpointUrl, profile: o.profile, output: o.output }, io());
    }));
  const profiles = awsFlags(new Command('fargateprofile').aliases(['fargateprofiles']).description('Get Fargate profile(s)').argument('[name]'))
    .option('--cluster <name>', 'EKS cluster name')
    .option('--name <name>', 'name of the Fargate profile')
    .addOption(output())
    .action(run(async (arg: string | undefined, o: AwsFlags & { cluster?: string; name?: string; output: OutputFormat }) => {
      const { getFargateProfiles } = await import('./get.js');
      await getFargateProfiles({ cluster: o.cluster, name: o.name ?? arg, region: o.region, endpointUrl: o.endpointUrl, profile: o.profile, output: o.output }, io());
    }));
  return new Command('get').description('Get resource(s)').addCommand(clusters).addCommand(nodegroups).addCommand(profiles);
}

function scaleCommand(): Command {
  const ng = awsFlags(new Command('nodegroup').aliases(['ng']).description('Scale a nodegroup').argument('[name]'))
    .option('--cluster <name>', 'EKS cluster name')
    .option('-n, --name <name>', 'name of the nodegroup to scale')
    .option('-N, --nodes <n>', 'desired number of nodes', parseCount)
    .option('-m, --nodes-min <n>', 'minimum number of nodes', parseCount)
    .option('-M, --nodes-max <n>', 'maximum number of nodes', parseCount)
    .option('-w, --wait', 'wait for the scaling to complete', false)
    .addOption(timeout())
    .action(run(async (arg: string | undefined, o: AwsFlags & { cluster?: string; name?: string; nodes?: number; nodesMin?: number; nodesMax?: number; wait: boolean; timeout: number }) => {
      const { scaleNodegroup } = await import('./scale.js');
      await scaleNodegroup({
        cluster: o.cluster, name: o.name ?? arg, nodes: o.nodes, nodesMin: o.nodesMin, nodesMax: o.nodesMax, wait: o.wait,
        region: o.region, endpointUrl: o.endpointUrl, profile: o.profile, timeoutMs: o.timeout,
      }, io());
    }));
  return new Command('scale').description('Scale resources(s)').addCommand(ng);
}

function upgradeCommand(): Command {
  const cluster = awsFlags(new Command('cluster').description('Upgrade the control plane to the next version').argument('[name]'))
    .option('-n, --name <name>', 'EKS cluster name')
    .option('-f, --config-file <file>', 'load configuration from a file')
    .option('--version <version>', 'Kubernetes version (the next minor version by default)')
    .option('--approve', 'apply the changes', false)
    .addOption(timeout())
    .action(run(async (arg: string | undefined, o: AwsFlags & { name?: string; configFile?: string; version?: string; approve: boolean; timeout: number }) => {
      const { upgradeCluster } = await import('./upgrade.js');
      await upgradeCluster({
        name: o.name ?? arg, configFile: o.configFile, version: o.version, approve: o.approve,
        region: o.region, endpointUrl: o.endpointUrl, profile: o.profile, timeoutMs: o.timeout,
      }, io());
    }));
  return new Command('upgrade').description('Upgrade resource(s)').addCommand(cluster);
}

function utilsCommand(): Command {
  const write = awsFlags(new Command('write-kubeconfig').description('Write kubeconfig file for a given cluster'))
    .option('-c, --cluster <name>', 'EKS cluster name')
    .option('--kubeconfig <path>', 'path to write kubeconfig (KUBECONFIG, else ~/.kube/config)')
    .action(run(async (o: AwsFlags & { cluster?: string; kubeconfig?: string }) => {
      const { writeClusterKubeconfig } = await import('./write-kubeconfig.js');
      await writeClusterKubeconfig({ cluster: o.cluster, kubeconfig: o.kubeconfig, region: o.region, endpointUrl: o.endpointUrl, profile: o.profile }, io());
    }));
  return new Command('utils').description('Various utils').addCommand(write);
}

export function eksctlCommands(): Command[] {
  return [createCommand(), deleteCommand(), getCommand(), scaleCommand(), upgradeCommand(), utilsCommand()];
}
