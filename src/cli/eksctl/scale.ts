// `kumo scale nodegroup --cluster C --name N --nodes N [--nodes-min M] [--nodes-max X] [--wait]`:
// eksctl's scale of a managed node group, an UpdateNodegroupConfig of its scaling config.
import { DescribeNodegroupCommand, DescribeUpdateCommand, UpdateNodegroupConfigCommand } from '@aws-sdk/client-eks';
import { DEFAULT_REGION, awsClients, regionFromEnv } from './aws.js';
import { EksctlError } from './config.js';
import { waitFor, withLog, type CommandIo } from './run.js';

export interface ScaleOptions {
  cluster?: string;
  name?: string;
  nodes?: number;
  nodesMin?: number;
  nodesMax?: number;
  wait: boolean;
  region?: string;
  endpointUrl?: string;
  profile?: string;
  timeoutMs: number;
}

/** eksctl's validateNumberOfNodes. */
function checkCounts(o: ScaleOptions): void {
  if (o.nodes === undefined && o.nodesMin === undefined && o.nodesMax === undefined) {
    throw new EksctlError('at least one of minimum, maximum and desired nodes must be set');
  }
  if (o.nodes !== undefined && o.nodes < 0) throw new EksctlError('number of nodes must be 0 or greater');
  if (o.nodesMin !== undefined && o.nodesMin < 0) throw new EksctlError('minimum of nodes must be 0 or greater');
  if (o.nodesMax !== undefined && o.nodesMax < 0) throw new EksctlError('maximum of nodes must be 0 or greater');
  if (o.nodesMin !== undefined && o.nodesMax !== undefined && o.nodesMin > o.nodesMax) {
    throw new EksctlError('maximum number of nodes must be greater than minimum number of nodes');
  }
  if (o.nodes !== undefined && o.nodesMax !== undefined && o.nodes > o.nodesMax) {
    throw new EksctlError('number of nodes must be within range of min nodes and max nodes');
  }
  if (o.nodes !== undefined && o.nodesMin !== undefined && o.nodes < o.nodesMin) {
    throw new EksctlError('number of nodes must be within range of min nodes and max nodes');
  }
}

export async function scaleNodegroup(opts: ScaleOptions, io: CommandIo): Promise<void> {
  const ctx = withLog(io);
  if (!opts.cluster) throw new EksctlError('--cluster must be set');
  if (!opts.name) throw new EksctlError('--name must be set');
  checkCounts(opts);
  const region = opts.region ?? regionFromEnv(io.env) ?? DEFAULT_REGION;
  const aws = awsClients({ endpointUrl: opts.endpointUrl, region, profile: opts.profile });
  const clusterName = opts.cluster;
  const nodegroupName = opts.name;
  try {
    const current = (await aws.eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName }))).nodegroup!;
    const sc = current.scalingConfig ?? {};
    const desired = opts.nodes ?? sc.desiredSize;
    const min = opts.nodesMin ?? sc.minSize;
    const max = opts.nodesMax ?? sc.maxSize;
    // eksctl's checks against the group's current bounds when the command leaves them as they are.
    if (desired !== undefined && max !== undefined && desired > max) throw new EksctlError(`the desired nodes ${desired} is greater than current nodes-max/maxSize ${max}`);
    if (desired !== undefined && min !== undefined && desired < min) throw new EksctlError(`the desired nodes ${desired} is less than current nodes-min/minSize ${min}`);
    ctx.log.info(`scaling nodegroup "${nodegroupName}" in cluster ${clusterName}`);
    const out = await aws.eks.send(new UpdateNodegroupConfigCommand({ clusterName, nodegroupName, scalingConfig: { desiredSize: desired, minSize: min, maxSize: max } }));
    if (opts.wait) {
      ctx.log.info(`waiting for scaling of nodegroup "${nodegroupName}" to complete`);
      const updateId = out.update!.id!;
      await waitFor(ctx, `scaling of nodegroup "${nodegroupName}"`, opts.timeoutMs, async () => {
        const u = (await aws.eks.send(new DescribeUpdateCommand({ name: clusterName, nodegroupName, updateId }))).update!;
        if (u.status === 'Failed' || u.status === 'Cancelled') throw new EksctlError(`scaling of nodegroup "${nodegroupName}" ${u.status.toLowerCase()}: ${u.errors?.map((e) => e.errorMessage).join('; ') ?? ''}`);
        return u.status === 'Successful' ? true : undefined;
      });
      ctx.log.info('nodegroup successfully scaled');
    } else {
      ctx.log.info('initiated scaling of nodegroup');
      ctx.log.info(`to see the status of the scaling run \`kumo get nodegroup --cluster ${clusterName} --region ${region} --name ${nodegroupName}\``);
    }
  } finally {
    aws.destroy();
  }
}
