// The EC2 API subset a cluster's users and node groups use: DescribeVpcs, DescribeSubnets,
// DescribeSecurityGroups, DescribeAvailabilityZones and DescribeInstanceTypes, answered from the
// region's VpcModel and the instance catalog in EC2's own XML format, and the VPC write actions
// of vpc-actions.ts.
import { Ec2ModelError, instanceType, listInstanceTypes, type InstanceTypeInfo, type SecurityGroupRule, type VpcModel } from '../../cloud/index.js';
import { AwsError } from '../errors.js';
import { instanceActions, type InstanceSource } from './instances.js';
import { ec2ErrorResponse, ec2Response, filters, numberedList, type Ec2Xml, type Params } from './protocol.js';
import { applyFilters, byIds, tagFields, tagSet, type Item } from './shapes.js';
import type { Clock } from '../../util/clock.js';
import { launchTemplateActions, launchTemplateTagTarget } from './launch-template-actions.js';
import type { LaunchTemplateStore } from './launch-template-store.js';
import { subnetXml, vpcActions, vpcXml, type TagTarget } from './vpc-actions.js';

export interface Ec2ServiceOptions {
  /** The VPC model of a region (the caller creates, persists and shares it). */
  model(region: string): VpcModel;
  accountId: string;
  /** Stores a region's model after a call changed it; default: nothing to store. */
  saveModel?(region: string): Promise<void>;
  /** Further resources CreateTags/DeleteTags reach. */
  taggables?: TagTarget[];
  /** The regions' launch templates; without them the launch template actions are not served. */
  launchTemplates?: Pick<LaunchTemplateStore, 'model' | 'save'>;
  /** Creation times of launch templates. */
  clock?: Clock;
  /** Node-group instances (DescribeInstances, TerminateInstances); none when absent. */
  instances?: InstanceSource;
}

export interface Ec2CallContext {
  requestId: string;
  region: string;
  /** The caller's ARN (a launch template's createdBy). */
  callerArn?: string;
}

/** One EC2 call's answer: the HTTP status and the XML document, success or error. */
export interface Ec2Answer {
  status: number;
  body: string;
}

export interface Ec2Service {
  signingName: 'ec2';
  has(action: string): boolean;
  /** Answers a call: a success document, or EC2's error document for AwsError/Ec2ModelError. */
  handle(action: string, params: Params, ctx: Ec2CallContext): Promise<Ec2Answer>;
  /** EC2's error document, for errors the endpoint raises (AuthFailure, UnauthorizedOperation). */
  errorDocument(code: string, message: string, requestId: string): string;
}

function rulesXml(rules: SecurityGroupRule[], accountId: string): Ec2Xml[] {
  return rules.map((r) => ({
    ipProtocol: r.ipProtocol,
    fromPort: r.fromPort,
    toPort: r.toPort,
    groups: (r.groupIds ?? []).map((groupId) => ({ userId: accountId, groupId })),
    ipRanges: (r.cidrIpv4 ?? []).map((cidrIp) => ({ cidrIp })),
    ipv6Ranges: [],
    prefixListIds: [],
  }));
}

function instanceTypeXml(t: InstanceTypeInfo): Item {
  return {
    instanceType: t.name,
    hypervisor: t.nitro ? 'nitro' : 'xen',
    processorInfo: { supportedArchitectures: [t.arch] },
    vCpuInfo: { defaultVCpus: t.vcpu },
    memoryInfo: { sizeInMiB: t.memoryMiB },
    networkInfo: { maximumNetworkInterfaces: t.maxENIs, ipv4AddressesPerInterface: t.ipv4PerENI },
    gpuInfo: t.acceleratorKind === 'nvidia' ? { gpus: [{ name: t.gpuModel, manufacturer: 'NVIDIA', count: t.gpus }] } : undefined,
    supportedUsageClasses: ['on-demand', 'spot'],
  };
}

export function createEc2Service(opts: Ec2ServiceOptions): Ec2Service {
  const notFound = (code: string, what: string) => (id: string) => new AwsError(code, `The ${what} '${id}' does not exist`, 400);

  const lts = opts.launchTemplates;
  const ltContext = lts && opts.clock && { templates: (region: string) => lts.model(region), save: (region: string, id: string) => lts.save(region, id), clock: opts.clock, accountId: opts.accountId };
  const taggables = [...(ltContext ? [launchTemplateTagTarget(ltContext)] : []), ...(opts.taggables ?? [])];
  const actions: Record<string, (p: Params, ctx: Ec2CallContext) => Item | Promise<Item>> = {
    ...vpcActions({ model: opts.model, accountId: opts.accountId, save: async (region) => opts.saveModel?.(region), taggables }),
    ...(ltContext ? launchTemplateActions(ltContext) : {}),
    ...instanceActions(opts.instances, opts.accountId),
    DescribeAvailabilityZones(p, ctx) {
      const zones = opts.model(ctx.region).availabilityZones();
      let picked = byIds(zones, numberedList(p, 'ZoneName'), (z) => z.zoneName, (id) => new AwsError('InvalidParameterValue', `Invalid availability zone: [${id}]`, 400));
      picked = byIds(picked, numberedList(p, 'ZoneId'), (z) => z.zoneId, (id) => new AwsError('InvalidParameterValue', `Invalid availability zone: [${id}]`, 400));
      picked = applyFilters(picked, filters(p), (z) => ({
        'zone-name': [z.zoneName], 'zone-id': [z.zoneId], 'region-name': [z.regionName], state: [z.state], 'zone-type': ['availability-zone'],
      }), ['zone-name', 'zone-id', 'region-name', 'state', 'zone-type']);
      return {
        availabilityZoneInfo: picked.map((z) => ({
          zoneName: z.zoneName, zoneState: z.state, regionName: z.regionName, zoneId: z.zoneId, zoneType: 'availability-zone',
          optInStatus: 'opt-in-not-required', groupName: z.regionName, networkBorderGroup: z.regionName, messageSet: [],
        })),
      };
    },

    DescribeVpcs(p, ctx) {
      const vpcs = byIds(opts.model(ctx.region).vpcs(), numberedList(p, 'VpcId'), (v) => v.vpcId, notFound('InvalidVpcID.NotFound', 'vpc ID'));
      const picked = applyFilters(vpcs, filters(p), (v) => ({
        'vpc-id': [v.vpcId], 'cidr-block': [v.cidrBlock], 'cidr': [v.cidrBlock], 'is-default': [String(v.isDefault)], state: [v.state], 'owner-id': [opts.accountId], ...tagFields(v.tags),
      }), ['vpc-id', 'cidr-block', 'cidr', 'is-default', 'state', 'owner-id', 'tag-key', 'tag-value']);
      return { vpcSet: picked.map((v) => vpcXml(v, opts.accountId)) };
    },

    DescribeSubnets(p, ctx) {
      const subnets = byIds(opts.model(ctx.region).subnets(), numberedList(p, 'SubnetId'), (s) => s.subnetId, notFound('InvalidSubnetID.NotFound', 'subnet ID'));
      const picked = applyFilters(subnets, filters(p), (s) => ({
        'subnet-id': [s.subnetId], 'vpc-id': [s.vpcId], 'cidr-block': [s.cidrBlock], 'availability-zone': [s.availabilityZone],
        'availability-zone-id': [s.availabilityZoneId], 'default-for-az': [String(s.defaultForAz)], 'map-public-ip-on-launch': [String(s.mapPublicIpOnLaunch)],
        state: [s.state], 'available-ip-address-count': [String(s.availableIpAddressCount)], 'owner-id': [opts.accountId], ...tagFields(s.tags),
      }), ['subnet-id', 'vpc-id', 'cidr-block', 'availability-zone', 'availability-zone-id', 'default-for-az', 'map-public-ip-on-launch', 'state', 'available-ip-address-count', 'owner-id', 'tag-key', 'tag-value']);
      return { subnetSet: picked.map((s) => subnetXml(s, ctx.region, opts.accountId)) };
    },

    DescribeSecurityGroups(p, ctx) {
      let groups = opts.model(ctx.region).securityGroups();
      groups = byIds(groups, numberedList(p, 'GroupId'), (g) => g.groupId, notFound('InvalidGroup.NotFound', 'security group'));
      groups = byIds(groups, numberedList(p, 'GroupName'), (g) => g.groupName, notFound('InvalidGroup.NotFound', 'security group'));
      const picked = applyFilters(groups, filters(p), (g) => ({
        'group-id': [g.groupId], 'group-name': [g.groupName], description: [g.description], 'vpc-id': [g.vpcId], 'owner-id': [opts.accountId], ...tagFields(g.tags),
      }), ['group-id', 'group-name', 'description', 'vpc-id', 'owner-id', 'tag-key', 'tag-value']);
      return {
        securityGroupInfo: picked.map((g) => ({
          ownerId: opts.accountId, groupId: g.groupId, groupName: g.groupName, groupDescription: g.description, vpcId: g.vpcId,
          ipPermissions: rulesXml(g.ingress, opts.accountId), ipPermissionsEgress: rulesXml(g.egress, opts.accountId), tagSet: tagSet(g.tags),
        })),
      };
    },

    DescribeInstanceTypes(p) {
      const names = numberedList(p, 'InstanceType');
      for (const n of names) {
        if (!instanceType(n)) throw new AwsError('InvalidInstanceType', `The following supplied instance types do not exist: [${n}]`, 400);
      }
      const types = names.length ? names.map((n) => instanceType(n)!) : listInstanceTypes();
      const picked = applyFilters(types, filters(p), (t) => ({
        'instance-type': [t.name], 'processor-info.supported-architecture': [t.arch], 'vcpu-info.default-vcpus': [String(t.vcpu)],
        'memory-info.size-in-mib': [String(t.memoryMiB)], hypervisor: [t.nitro ? 'nitro' : 'xen'],
        'network-info.maximum-network-interfaces': [String(t.maxENIs)], 'network-info.ipv4-addresses-per-interface': [String(t.ipv4PerENI)],
      }), ['instance-type', 'processor-info.supported-architecture', 'vcpu-info.default-vcpus', 'memory-info.size-in-mib', 'hypervisor', 'network-info.maximum-network-interfaces', 'network-info.ipv4-addresses-per-interface']);
      return { instanceTypeSet: picked.map(instanceTypeXml) };
    },
  };

  return {
    signingName: 'ec2',
    has: (action) => Object.hasOwn(actions, action),
    errorDocument: ec2ErrorResponse,
    async handle(action, params, ctx) {
      try {
        const fn = actions[action];
        if (!fn || !Object.hasOwn(actions, action)) throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`, 400);
        // Permission was checked by the endpoint; a dry run stops here (EC2 API reference, DryRun).
        if (params.DryRun === 'true') throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
        return { status: 200, body: ec2Response(action, ctx.requestId, await fn(params, ctx)) };
      } catch (err) {
        if (err instanceof AwsError) return { status: err.status, body: ec2ErrorResponse(err.code, err.message, ctx.requestId) };
        if (err instanceof Ec2ModelError) return { status: 400, body: ec2ErrorResponse(err.code, err.message, ctx.requestId) };
        throw err;
      }
    },
  };
}
