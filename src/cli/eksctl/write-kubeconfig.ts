// `kumo utils write-kubeconfig --cluster C [--kubeconfig PATH]`: the cluster's entries as
// `aws eks update-kubeconfig` writes them (the cluster must be ACTIVE or UPDATING).
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { DEFAULT_REGION, awsClients, regionFromEnv } from './aws.js';
import { EksctlError } from './config.js';
import { kubeconfigPath, writeKubeconfig } from './kubeconfig.js';
import { withLog, type CommandIo } from './run.js';

export interface WriteKubeconfigOptions {
  cluster?: string;
  kubeconfig?: string;
  region?: string;
  endpointUrl?: string;
  profile?: string;
}

export async function writeClusterKubeconfig(opts: WriteKubeconfigOptions, io: CommandIo): Promise<void> {
  const ctx = withLog(io);
  if (!opts.cluster) throw new EksctlError('--cluster must be set');
  const region = opts.region ?? regionFromEnv(io.env) ?? DEFAULT_REGION;
  const aws = awsClients({ endpointUrl: opts.endpointUrl, region, profile: opts.profile });
  try {
    const c = (await aws.eks.send(new DescribeClusterCommand({ name: opts.cluster }))).cluster!;
    if (c.status !== 'ACTIVE' && c.status !== 'UPDATING') throw new EksctlError(`cluster "${opts.cluster}" is not ready (status ${c.status})`);
    const path = kubeconfigPath(opts.kubeconfig, io.env);
    writeKubeconfig(path, { name: c.name!, arn: c.arn!, endpoint: c.endpoint!, caData: c.certificateAuthority!.data! }, opts.profile);
    ctx.log.success(`saved kubeconfig as ${JSON.stringify(path)}`);
  } finally {
    aws.destroy();
  }
}
