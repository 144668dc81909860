// EC2's VPC write actions on the region's VpcModel: CreateVpc, DeleteVpc, CreateSubnet,
// DeleteSubnet, CreateSecurityGroup, DeleteSecurityGroup, CreateTags and DeleteTags, answered in
// EC2's XML and error shapes as the aws CLI parses them (botocore's ec2 protocol).
import type { SecurityGroup, Subnet, Tags, Vpc, VpcModel } from '../../cloud/index.js';
import { AwsError } from '../errors.js';
import { numberedList, type Ec2Xml, type Params } from './protocol.js';
import { MAX_TAGS_PER_RESOURCE, required, tagList, tagSet, tagsFor, validateTags, type Item } from './shapes.js';

export interface VpcActionContext {
  model(region: string): VpcModel;
  accountId: string;
  /** Stores the region's model after an action changed it. */
  save(region: string): Promise<void>;
  /** Resources beside VPCs, subnets and security groups that CreateTags/DeleteTags reach (launch templates, instances). */
  taggables?: TagTarget[];
}

/** One kind of taggable resource, found by its ID. */
export interface TagTarget {
  /** The resource's tags; undefined when no such resource exists. */
  tags(region: string, id: string): Tags | undefined;
  setTags(region: string, id: string, tags: Tags): Promise<void>;
}

type Ctx = { region: string };
type Action = (p: Params, ctx: Ctx) => Promise<Item>;

const RESOURCE_ID = /^([a-z]+(?:-[a-z]+)?)-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** The NotFound error EC2 names for each resource type by ID prefix. */
const NOT_FOUND: Record<string, [code: string, what: string]> = {
  vpc: ['InvalidVpcID.NotFound', 'vpc ID'],
  subnet: ['InvalidSubnetID.NotFound', 'subnet ID'],
  sg: ['InvalidGroup.NotFound', 'security group'],
  lt: ['InvalidLaunchTemplateId.NotFound', 'launch template ID'],
  i: ['InvalidInstanceID.NotFound', 'instance ID'],
};

/** EC2's answer to an ID that is not of the expected shape: `Invalid id: "x"` under <Type>ID.Malformed. */
export function checkId(id: string, prefix: 'vpc' | 'subnet' | 'sg'): void {
  const codes = { vpc: 'InvalidVpcID.Malformed', subnet: 'InvalidSubnetID.Malformed', sg: 'InvalidGroupId.Malformed' };
  const m = RESOURCE_ID.exec(id);
  if (!m || m[1] !== prefix) throw new AwsError(codes[prefix], `Invalid id: "${id}" (expecting "${prefix}-...")`, 400);
}

export function vpcXml(v: Vpc, accountId: string, state: string = v.state): Item {
  return {
    vpcId: v.vpcId, ownerId: accountId, state, cidrBlock: v.cidrBlock,
    cidrBlockAssociationSet: [{ cidrBlock: v.cidrBlock, associationId: v.vpcId.replace('vpc-', 'vpc-cidr-assoc-'), cidrBlockState: { state: 'associated' } }],
    instanceTenancy: 'default', isDefault: v.isDefault, tagSet: tagSet(v.tags),
  };
}

export function subnetXml(s: Subnet, region: string, accountId: string): Item {
  return {
    subnetId: s.subnetId, subnetArn: `arn:aws:ec2:${region}:${accountId}:subnet/${s.subnetId}`, ownerId: accountId, state: s.state,
    vpcId: s.vpcId, cidrBlock: s.cidrBlock, availableIpAddressCount: s.availableIpAddressCount, availabilityZone: s.availabilityZone,
    availabilityZoneId: s.availabilityZoneId, defaultForAz: s.defaultForAz, mapPublicIpOnLaunch: s.mapPublicIpOnLaunch, tagSet: tagSet(s.tags),
  };
}

function securityGroupArn(g: SecurityGroup, region: string, accountId: string): string {
  return `arn:aws:ec2:${region}:${accountId}:security-group/${g.groupId}`;
}

export function vpcActions(c: VpcActionContext): Record<string, Action> {
  const model = (ctx: Ctx) => c.model(ctx.region);

  /** The tags of any taggable resource by ID, with the NotFound error of its type. */
  const findTags = (region: string, id: string): { tags: Tags; set: (tags: Tags) => Promise<void> } => {
    const m = RESOURCE_ID.exec(id);
    if (!m || !NOT_FOUND[m[1]]) throw new AwsError('InvalidID', `The ID '${id}' is not valid`, 400);
    const vpcModel = c.model(region);
    if (vpcModel.hasResource(id)) {
      const current = vpcModel.vpc(id)?.tags ?? vpcModel.subnet(id)?.tags ?? vpcModel.securityGroup(id)?.tags ?? {};
      return {
        tags: current,
        set: async (tags) => {
          vpcModel.removeTags(id, []);
          vpcModel.setTags(id, tags);
        },
      };
    }
    for (const t of c.taggables ?? []) {
      const tags = t.tags(region, id);
      if (tags) return { tags, set: (next) => t.setTags(region, id, next) };
    }
    const [code, what] = NOT_FOUND[m[1]];
    throw new AwsError(code, `The ${what} '${id}' does not exist`, 400);
  };

  return {
    async CreateVpc(p, ctx) {
      if (p.AmazonProvidedIpv6CidrBlock === 'true' || p.Ipv6CidrBlock || p.Ipv6IpamPoolId || p.Ipv4IpamPoolId) {
        throw new AwsError('InvalidParameterValue', 'IPv6 CIDR blocks and IPAM pools are not supported in this region.', 400);
      }
      if (!p.CidrBlock) throw new AwsError('MissingParameter', "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.", 400);
      if (p.InstanceTenancy && !['default', 'dedicated'].includes(p.InstanceTenancy)) {
        throw new AwsError('InvalidParameterValue', `Value (${p.InstanceTenancy}) for parameter instanceTenancy is invalid.`, 400);
      }
      const tags = tagsFor(p, 'vpc');
      const vpc = model(ctx).createVpc({ cidrBlock: p.CidrBlock, tags });
      await c.save(ctx.region);
      // CreateVpc answers while the VPC is still pending; DescribeVpcs shows it available.
      return { vpc: vpcXml(vpc, c.accountId, 'pending') };
    },

    async DeleteVpc(p, ctx) {
      const id = required(p, 'VpcId');
      checkId(id, 'vpc');
      model(ctx).deleteVpc(id);
      await c.save(ctx.region);
      return { return: true };
    },

    async CreateSubnet(p, ctx) {
      const vpcId = required(p, 'VpcId');
      checkId(vpcId, 'vpc');
      if (p.Ipv6CidrBlock || p.Ipv6Native === 'true' || p.Ipv4IpamPoolId) throw new AwsError('InvalidParameterValue', 'IPv6 subnets and IPAM pools are not supported in this region.', 400);
      const cidrBlock = required(p, 'CidrBlock');
      const m = model(ctx);
      const zones = m.availabilityZones();
      let zone = p.AvailabilityZone;
      if (p.AvailabilityZoneId) {
        const byId = zones.find((z) => z.zoneId === p.AvailabilityZoneId);
        if (!byId) throw new AwsError('InvalidParameterValue', `Value (${p.AvailabilityZoneId}) for parameter availabilityZoneId is invalid. Subnets can currently only be created in the following availability zones: ${zones.map((z) => z.zoneId).join(', ')}.`, 400);
        if (zone && zone !== byId.zoneName) throw new AwsError('InvalidParameterCombination', 'Only one of availabilityZone or availabilityZoneId may be specified.', 400);
        zone = byId.zoneName;
      }
      // Without a zone EC2 picks one; Kumo takes the zone with the fewest subnets of that VPC.
      if (!zone) {
        const count = (z: string) => m.subnets({ vpcId }).filter((s) => s.availabilityZone === z).length;
        zone = zones.map((z) => z.zoneName).sort((a, b) => count(a) - count(b))[0];
      }
      const subnet = m.createSubnet({ vpcId, cidrBlock, availabilityZone: zone, tags: tagsFor(p, 'subnet') });
      await c.save(ctx.region);
      return { subnet: subnetXml(subnet, ctx.region, c.accountId) };
    },

    async DeleteSubnet(p, ctx) {
      const id = required(p, 'SubnetId');
      checkId(id, 'subnet');
      model(ctx).deleteSubnet(id);
      await c.save(ctx.region);
      return { return: true };
    },

    async CreateSecurityGroup(p, ctx) {
      const groupName = required(p, 'GroupName');
      const description = required(p, 'GroupDescription');
      // Names and descriptions in a VPC: up to 255 characters of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$* (EC2 API reference).
      const allowed = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
      if (description.length > 255 || !allowed.test(description)) throw new AwsError('InvalidParameterValue', `Invalid security group description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*`, 400);
      if (groupName.length > 255 || !allowed.test(groupName)) throw new AwsError('InvalidParameterValue', `Invalid security group name. Valid names are non-empty strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*`, 400);
      if (groupName.toLowerCase().startsWith('sg-')) throw new AwsError('InvalidParameterValue', "Group names may not be in the format sg-*.", 400);
      const m = model(ctx);
      if (p.VpcId) checkId(p.VpcId, 'vpc');
      const vpcId = p.VpcId || m.defaultVpc()?.vpcId;
      if (!vpcId) throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user', 400);
      if (groupName === 'default') throw new AwsError('InvalidGroup.Reserved', 'The security group \'default\' is reserved', 400);
      const group = m.createSecurityGroup({ vpcId, groupName, description, tags: tagsFor(p, 'security-group') });
      await c.save(ctx.region);
      return { return: true, groupId: group.groupId, tagSet: tagSet(group.tags), securityGroupArn: securityGroupArn(group, ctx.region, c.accountId) };
    },

    async DeleteSecurityGroup(p, ctx) {
      const m = model(ctx);
      let groupId: string;
      if (p.GroupId) {
        groupId = p.GroupId;
        checkId(groupId, 'sg');
      } else if (p.GroupName) {
        // By name only in the default VPC (EC2 API reference, DeleteSecurityGroup).
        const vpcId = m.defaultVpc()?.vpcId;
        const g = m.securityGroups(vpcId).find((x) => x.groupName === p.GroupName);
        if (!vpcId || !g) throw new AwsError('InvalidGroup.NotFound', `The security group '${p.GroupName}' does not exist in default VPC '${vpcId ?? 'none'}'`, 400);
        groupId = g.groupId;
      } else throw new AwsError('MissingParameter', 'The request must contain the parameter groupName or groupId', 400);
      m.deleteSecurityGroup(groupId);
      await c.save(ctx.region);
      return { return: true, groupId };
    },

    async CreateTags(p, ctx) {
      const ids = numberedList(p, 'ResourceId');
      if (!ids.length) throw new AwsError('MissingParameter', 'The request must contain the parameter resourceIdSet', 400);
      const tags = tagList(p, 'Tag');
      if (!tags.length) throw new AwsError('MissingParameter', 'The request must contain the parameter tagSet', 400);
      validateTags(tags);
      // Every resource is checked before any is changed.
      const targets = ids.map((id) => ({ id, target: findTags(ctx.region, id) }));
      const changes = targets.map(({ id, target }) => {
        const next = { ...target.tags };
        for (const t of tags) next[t.key] = t.value ?? '';
        if (Object.keys(next).length > MAX_TAGS_PER_RESOURCE) throw new AwsError('TagLimitExceeded', `The maximum number of tags per resource (${MAX_TAGS_PER_RESOURCE}) has been exceeded for resource '${id}'.`, 400);
        return { target, next };
      });
      for (const { target, next } of changes) await target.set(next);
      await c.save(ctx.region);
      return { return: true };
    },

    async DeleteTags(p, ctx) {
      const ids = numberedList(p, 'ResourceId');
      if (!ids.length) throw new AwsError('MissingParameter', 'The request must contain the parameter resourceIdSet', 400);
      const tags = tagList(p, 'Tag');
      const targets = ids.map((id) => findTags(ctx.region, id));
      for (const target of targets) {
        const next = { ...target.tags };
        // A key alone removes the tag whatever its value; with a value only when it matches; no tags removes all.
        for (const t of tags.length ? tags : Object.keys(next).map((key) => ({ key, value: undefined as string | undefined }))) {
          if (t.key in next && (t.value === undefined || next[t.key] === t.value)) delete next[t.key];
        }
        await target.set(next);
      }
      await c.save(ctx.region);
      return { return: true };
    },
  } satisfies Record<string, (p: Params, ctx: Ctx) => Promise<Record<string, Ec2Xml>>>;
}
