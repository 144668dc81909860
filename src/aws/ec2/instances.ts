// DescribeInstances and TerminateInstances over the instances node groups launch (the
// InstanceSource main/ wires in), in EC2's reservation/instance XML shape as the aws CLI parses it.
import type { Tags } from '../../cloud/index.js';
import { AwsError } from '../errors.js';
import { filters, numberedList, page, type Ec2Xml, type Filter, type Params } from './protocol.js';

export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

/** EC2's instance state codes (the low byte of InstanceState.Code). */
export const INSTANCE_STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80,
};

export interface Ec2Instance {
  instanceId: string;
  imageId: string;
  instanceType: string;
  architecture: 'x86_64' | 'arm64';
  state: InstanceStateName;
  /** Why the instance last changed state (e.g. "User initiated (2025-...)"). */
  stateTransitionReason?: string;
  privateIpAddress?: string;
  privateDnsName: string;
  subnetId?: string;
  vpcId?: string;
  availabilityZone: string;
  /** Epoch milliseconds. */
  launchTime: number;
  tags: Tags;
  spot: boolean;
}

/** The instances of a region and what terminating them does (main/ runs them as node-group nodes). */
export interface InstanceSource {
  instances(region: string): Ec2Instance[];
  /** Starts terminating (running -> shutting-down -> terminated); answers the states before and after. */
  terminate(region: string, instanceIds: string[]): Promise<{ instanceId: string; previous: InstanceStateName; current: InstanceStateName }[]>;
}

const state = (s: InstanceStateName): Ec2Xml => ({ code: INSTANCE_STATE_CODES[s], name: s });

/** EC2 filter values may hold * and ? wildcards. */
function matches(pattern: string, value: string): boolean {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);
}

const FILTERS = ['instance-id', 'instance-state-name', 'instance-state-code', 'instance-type', 'private-ip-address', 'private-dns-name', 'subnet-id',
  'vpc-id', 'availability-zone', 'image-id', 'instance-lifecycle', 'tag-key', 'tag-value', 'architecture'];

function fieldsOf(i: Ec2Instance): Record<string, (string | undefined)[]> {
  const f: Record<string, (string | undefined)[]> = {
    'instance-id': [i.instanceId], 'instance-state-name': [i.state], 'instance-state-code': [String(INSTANCE_STATE_CODES[i.state])],
    'instance-type': [i.instanceType], 'private-ip-address': [i.privateIpAddress], 'private-dns-name': [i.privateDnsName],
    'subnet-id': [i.subnetId], 'vpc-id': [i.vpcId], 'availability-zone': [i.availabilityZone], 'image-id': [i.imageId],
    'instance-lifecycle': [i.spot ? 'spot' : undefined], 'tag-key': Object.keys(i.tags), 'tag-value': Object.values(i.tags), architecture: [i.architecture],
  };
  for (const [k, v] of Object.entries(i.tags)) f[`tag:${k}`] = [v];
  return f;
}

function applyFilters(items: Ec2Instance[], fs: Filter[]): Ec2Instance[] {
  for (const f of fs) if (!FILTERS.includes(f.name) && !f.name.startsWith('tag:')) throw new AwsError('InvalidParameterValue', `The filter '${f.name}' is invalid`, 400);
  return items.filter((i) => {
    const offered = fieldsOf(i);
    return fs.every((f) => (offered[f.name] ?? []).some((v) => v !== undefined && f.values.some((p) => matches(p, v))));
  });
}

const ID = /^i-[0-9a-f]{8,17}$/;

function requireIds(ids: string[], known: Ec2Instance[]): void {
  for (const id of ids) if (!ID.test(id)) throw new AwsError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`, 400);
  const missing = ids.filter((id) => !known.some((i) => i.instanceId === id));
  if (missing.length === 1) throw new AwsError('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`, 400);
  if (missing.length > 1) throw new AwsError('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`, 400);
}

function instanceXml(i: Ec2Instance): Ec2Xml {
  return {
    instanceId: i.instanceId,
    imageId: i.imageId,
    instanceState: state(i.state),
    privateDnsName: i.state === 'terminated' ? '' : i.privateDnsName,
    dnsName: '',
    reason: i.stateTransitionReason ?? '',
    amiLaunchIndex: 0,
    productCodes: [],
    instanceType: i.instanceType,
    launchTime: new Date(i.launchTime).toISOString(),
    placement: { availabilityZone: i.availabilityZone, groupName: '', tenancy: 'default' },
    monitoring: { state: 'disabled' },
    subnetId: i.state === 'terminated' ? undefined : i.subnetId,
    vpcId: i.state === 'terminated' ? undefined : i.vpcId,
    privateIpAddress: i.state === 'terminated' ? undefined : i.privateIpAddress,
    sourceDestCheck: true,
    groupSet: [],
    architecture: i.architecture,
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/xvda',
    blockDeviceMapping: [],
    instanceLifecycle: i.spot ? 'spot' : undefined,
    virtualizationType: 'hvm',
    tagSet: Object.entries(i.tags).map(([key, value]) => ({ key, value })),
    hypervisor: 'xen',
    ebsOptimized: false,
  };
}

type AsyncAction = (p: Params, ctx: { region: string }) => Promise<Record<string, Ec2Xml>>;

export function instanceActions(source: InstanceSource | undefined, accountId: string): Record<string, AsyncAction> {
  const all = (region: string) => source?.instances(region) ?? [];
  return {
    async DescribeInstances(p, ctx) {
      const known = all(ctx.region);
      const ids = numberedList(p, 'InstanceId');
      // EC2: "You cannot specify this parameter and the instance IDs parameter in the same request."
      if (ids.length && p.MaxResults !== undefined) {
        throw new AwsError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults', 400);
      }
      requireIds(ids, known);
      const picked = applyFilters(ids.length ? known.filter((i) => ids.includes(i.instanceId)) : known, filters(p));
      const { items, nextToken } = page(picked, p, 5, 1000);
      return {
        nextToken,
        reservationSet: items.map((i) => ({
          reservationId: `r-${i.instanceId.slice(2)}`,
          ownerId: accountId,
          requesterId: '940372691376',
          groupSet: [],
          instancesSet: [instanceXml(i)],
        })),
      };
    },
    async TerminateInstances(p, ctx) {
      const ids = numberedList(p, 'InstanceId');
      if (ids.length === 0) throw new AwsError('MissingParameter', "The request must contain the parameter InstanceId", 400);
      requireIds(ids, all(ctx.region));
      const changes = await source!.terminate(ctx.region, ids);
      return { instancesSet: changes.map((c) => ({ instanceId: c.instanceId, currentState: state(c.current), previousState: state(c.previous) })) };
    },
  };
}
