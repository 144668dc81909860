// `kumo upgrade cluster (-f FILE | --name N) [--version V] [--approve]`: eksctl's control-plane
// upgrade. Without --approve it only says what it would do; with it, UpdateClusterVersion, waited
// for until the update succeeds. The default target is the next minor version.
import { DescribeClusterCommand, DescribeUpdateCommand, UpdateClusterVersionCommand } from '@aws-sdk/client-eks';
import { DEFAULT_REGION, awsClients, regionFromEnv } from './aws.js';
import { EksctlError, loadClusterConfig } from './config.js';
import { waitFor, withLog, type CommandIo } from './run.js';

export interface UpgradeOptions {
  configFile?: string;
  name?: string;
  version?: string;
  approve: boolean;
  region?: string;
  endpointUrl?: string;
  profile?: string;
  timeoutMs: number;
}

const minor = (v: string) => {
  const m = /^1\.(\d+)$/.exec(v);
  if (!m) throw new EksctlError(`invalid version ${JSON.stringify(v)}`);
  return Number(m[1]);
};

export async function upgradeCluster(opts: UpgradeOptions, io: CommandIo): Promise<void> {
  const ctx = withLog(io);
  let name = opts.name;
  let region = opts.region;
  let target = opts.version;
  if (opts.configFile) {
    if (opts.name) throw new EksctlError('cannot use --name when --config-file/-f flag is used');
    const cfg = loadClusterConfig(opts.configFile);
    name = cfg.metadata?.name;
    region = cfg.metadata?.region ?? region;
    target ??= cfg.metadata?.version;
  }
  if (!name) throw new EksctlError('--name must be set');
  region ??= regionFromEnv(io.env) ?? DEFAULT_REGION;
  const aws = awsClients({ endpointUrl: opts.endpointUrl, region, profile: opts.profile });
  try {
    const cluster = (await aws.eks.send(new DescribeClusterCommand({ name }))).cluster!;
    const current = cluster.version!;
    target ??= `1.${minor(current) + 1}`;
    if (minor(target) < minor(current)) throw new EksctlError(`cannot upgrade to a lower version. Found given target version ${JSON.stringify(target)}, current cluster version ${JSON.stringify(current)}`);
    if (minor(target) > minor(current) + 1) {
      throw new EksctlError(`upgrading more than one version at a time is not supported. Found upgrade from ${JSON.stringify(current)} to ${JSON.stringify(target)}. Please upgrade to ${JSON.stringify(`1.${minor(current) + 1}`)}`);
    }
    if (target === current) {
      ctx.log.info(`no cluster version update required`);
      return;
    }
    if (!opts.approve) {
      ctx.log.info(`(plan) would upgrade cluster "${name}" control plane from current version "${current}" to "${target}"`);
      ctx.log.warning(`no changes were applied, run again with '--approve' to apply the changes`);
      return;
    }
    ctx.log.info(`will upgrade cluster "${name}" control plane from current version "${current}" to "${target}"`);
    const update = (await aws.eks.send(new UpdateClusterVersionCommand({ name, version: target }))).update!;
    ctx.log.info(`waiting for requested "${update.type}" in cluster "${name}" to succeed`);
    await waitFor(ctx, `requested "${update.type}" in cluster "${name}"`, opts.timeoutMs, async () => {
      const u = (await aws.eks.send(new DescribeUpdateCommand({ name, updateId: update.id! }))).update!;
      if (u.status === 'Failed' || u.status === 'Cancelled') throw new EksctlError(`update ${update.id} ${u.status.toLowerCase()}: ${u.errors?.map((e) => e.errorMessage).join('; ') ?? ''}`);
      return u.status === 'Successful' ? true : undefined;
    });
    ctx.log.success(`cluster "${name}" control plane has been upgraded to version "${target}"`);
    ctx.log.info('you will need to follow the upgrade procedure for all of nodegroups and add-ons');
  } finally {
    aws.destroy();
  }
}
