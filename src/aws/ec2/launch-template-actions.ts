// EC2's launch template actions: CreateLaunchTemplate, CreateLaunchTemplateVersion,
// DescribeLaunchTemplates, DescribeLaunchTemplateVersions, ModifyLaunchTemplate and
// DeleteLaunchTemplate over the region's LaunchTemplates, each change stored at once.
import type { LaunchTemplateInfo, LaunchTemplateData, LaunchTemplateRef, LaunchTemplates, LaunchTemplateVersion, Tags } from '../../cloud/index.js';
import type { Clock } from '../../util/clock.js';
import { AwsError } from '../errors.js';
import { launchTemplateDataXml, parseLaunchTemplateData } from './launch-template-codec.js';
import { filters, numberedList, page, type Params } from './protocol.js';
import { applyFilters, tagFields, tagSet, tagsFor, type Item } from './shapes.js';
import type { TagTarget } from './vpc-actions.js';

export interface LaunchTemplateActionContext {
  templates(region: string): LaunchTemplates;
  /** Stores one template after a change (or removes it once deleted). */
  save(region: string, id: string): Promise<void>;
  clock: Clock;
  accountId: string;
}

type Ctx = { region: string; callerArn?: string };
type Action = (p: Params, ctx: Ctx) => Promise<Item>;

const iso = (ms: number) => new Date(ms).toISOString();

function templateXml(t: LaunchTemplateInfo): Item {
  return {
    launchTemplateId: t.launchTemplateId, launchTemplateName: t.launchTemplateName, createTime: iso(t.createTime), createdBy: t.createdBy,
    defaultVersionNumber: t.defaultVersionNumber, latestVersionNumber: t.latestVersionNumber, tagSet: tagSet(t.tags),
  };
}

function versionXml(t: LaunchTemplateInfo, v: LaunchTemplateVersion): Item {
  return {
    launchTemplateId: t.launchTemplateId, launchTemplateName: t.launchTemplateName, versionNumber: v.versionNumber,
    versionDescription: v.versionDescription, createTime: iso(v.createTime), createdBy: v.createdBy,
    defaultVersion: v.versionNumber === t.defaultVersionNumber, launchTemplateData: launchTemplateDataXml(v.data),
  };
}

const UNENCODED = /[^A-Za-z0-9+/=\s]/;

/** The checks EC2 makes when a template version is written (most parameters are only checked at launch). */
function validateData(data: LaunchTemplateData): void {
  if (data.UserData !== undefined) {
    const text = data.UserData.replace(/\s/g, '');
    if (UNENCODED.test(data.UserData) || text.length % 4 !== 0) throw new AwsError('InvalidUserData.Malformed', 'Invalid BASE64 encoding of user data.', 400);
    if (Buffer.from(text, 'base64').length > 16_384) throw new AwsError('InvalidParameterValue', 'User data is limited to 16384 bytes', 400);
  }
  if (data.ImageId !== undefined && !/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(data.ImageId) && !data.ImageId.startsWith('resolve:ssm:')) {
    throw new AwsError('InvalidAMIID.Malformed', `Invalid id: "${data.ImageId}" (expecting "ami-...")`, 400);
  }
  for (const id of data.SecurityGroupIds ?? []) {
    if (!/^sg-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) throw new AwsError('InvalidGroupId.Malformed', `Invalid id: "${id}"`, 400);
  }
  const md = data.MetadataOptions;
  if (md) {
    if (md.HttpTokens !== undefined && !['optional', 'required'].includes(md.HttpTokens)) throw new AwsError('InvalidParameterValue', `The value '${md.HttpTokens}' is not valid for HttpTokens. Valid values: optional, required.`, 400);
    if (md.HttpEndpoint !== undefined && !['enabled', 'disabled'].includes(md.HttpEndpoint)) throw new AwsError('InvalidParameterValue', `The value '${md.HttpEndpoint}' is not valid for HttpEndpoint. Valid values: enabled, disabled.`, 400);
    const hop = md.HttpPutResponseHopLimit;
    if (hop !== undefined && (hop < 1 || hop > 64)) throw new AwsError('InvalidParameterValue', 'The HttpPutResponseHopLimit must be between 1 and 64.', 400);
  }
  for (const bdm of data.BlockDeviceMappings ?? []) {
    const size = bdm.Ebs?.VolumeSize;
    if (size !== undefined && (size < 1 || size > 65_536)) throw new AwsError('InvalidParameterValue', `Volume of size ${size}GB is not valid. Volume size must be between 1 and 65536 GiB.`, 400);
  }
}

/** LaunchTemplateId or LaunchTemplateName of a request. */
function refOf(p: Params): LaunchTemplateRef {
  const ref: LaunchTemplateRef = {};
  if (p.LaunchTemplateId !== undefined) ref.id = p.LaunchTemplateId;
  if (p.LaunchTemplateName !== undefined) ref.name = p.LaunchTemplateName;
  return ref;
}

export function launchTemplateActions(c: LaunchTemplateActionContext): Record<string, Action> {
  const createdBy = (ctx: Ctx) => ctx.callerArn ?? `arn:aws:iam::${c.accountId}:root`;
  return {
    async CreateLaunchTemplate(p, ctx) {
      const name = p.LaunchTemplateName;
      if (name === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter LaunchTemplateName', 400);
      const data = parseLaunchTemplateData(p) ?? {};
      validateData(data);
      const tags: Tags = tagsFor(p, 'launch-template');
      const t = c.templates(ctx.region).create({ name, data, description: p.VersionDescription, tags, createdBy: createdBy(ctx), now: c.clock.now() });
      await c.save(ctx.region, t.launchTemplateId);
      return { launchTemplate: templateXml(t) };
    },

    async CreateLaunchTemplateVersion(p, ctx) {
      const data = parseLaunchTemplateData(p) ?? {};
      validateData(data);
      const { template, version } = c.templates(ctx.region).createVersion({
        ref: refOf(p), sourceVersion: p.SourceVersion, data, description: p.VersionDescription, createdBy: createdBy(ctx), now: c.clock.now(),
      });
      await c.save(ctx.region, template.launchTemplateId);
      return { launchTemplateVersion: versionXml(template, version) };
    },

    async DescribeLaunchTemplates(p, ctx) {
      const model = c.templates(ctx.region);
      const ids = numberedList(p, 'LaunchTemplateId');
      const names = numberedList(p, 'LaunchTemplateName');
      let picked = model.list();
      if (ids.length || names.length) {
        for (const id of ids) model.info({ id });
        for (const name of names) {
          if (!picked.some((t) => t.launchTemplateName === name)) {
            throw new AwsError('InvalidLaunchTemplateName.NotFoundException', 'At least one of the launch templates specified in the request does not exist.', 400);
          }
        }
        picked = picked.filter((t) => ids.includes(t.launchTemplateId) || names.includes(t.launchTemplateName));
      }
      picked = applyFilters(picked, filters(p), (t) => ({
        'create-time': [iso(t.createTime)], 'launch-template-name': [t.launchTemplateName], 'launch-template-id': [t.launchTemplateId], ...tagFields(t.tags),
      }), ['create-time', 'launch-template-name', 'launch-template-id', 'tag-key', 'tag-value']);
      const { items, nextToken } = page(picked, p, 1, 200);
      return { launchTemplates: items.map(templateXml), nextToken };
    },

    async DescribeLaunchTemplateVersions(p, ctx) {
      const ref = refOf(p);
      const hasRef = ref.id !== undefined || ref.name !== undefined;
      const versions = numberedList(p, 'LaunchTemplateVersion');
      let picked = c.templates(ctx.region).versions(hasRef ? ref : undefined, { versions, min: p.MinVersion, max: p.MaxVersion });
      if (p.ResolveAlias === 'true' && picked.some(({ version }) => version.data.ImageId?.startsWith('resolve:ssm:'))) {
        throw new AwsError('UnsupportedOperation', 'Resolving Systems Manager parameter aliases (ResolveAlias) is not supported.', 400);
      }
      picked = applyFilters(picked, filters(p), ({ template, version: v }) => ({
        'create-time': [iso(v.createTime)], 'ebs-optimized': [v.data.EbsOptimized === undefined ? undefined : String(v.data.EbsOptimized)],
        'http-endpoint': [v.data.MetadataOptions?.HttpEndpoint], 'http-tokens': [v.data.MetadataOptions?.HttpTokens],
        'http-protocol-ipv6': [v.data.MetadataOptions?.HttpProtocolIpv6],
        'iam-instance-profile': [(v.data.IamInstanceProfile as { Arn?: string } | undefined)?.Arn],
        'image-id': [v.data.ImageId], 'instance-type': [v.data.InstanceType], 'is-default-version': [String(v.versionNumber === template.defaultVersionNumber)],
        'kernel-id': [v.data.KernelId as string | undefined], 'ram-disk-id': [v.data.RamDiskId as string | undefined],
      }), ['create-time', 'ebs-optimized', 'http-endpoint', 'http-tokens', 'http-protocol-ipv6', 'iam-instance-profile', 'image-id', 'instance-type', 'is-default-version', 'kernel-id', 'ram-disk-id']);
      const { items, nextToken } = page(picked, p, 1, 200);
      return { launchTemplateVersionSet: items.map(({ template, version }) => versionXml(template, version)), nextToken };
    },

    async ModifyLaunchTemplate(p, ctx) {
      const model = c.templates(ctx.region);
      const t = p.SetDefaultVersion !== undefined ? model.setDefaultVersion(refOf(p), p.SetDefaultVersion) : model.info(refOf(p));
      await c.save(ctx.region, t.launchTemplateId);
      return { launchTemplate: templateXml(t) };
    },

    async DeleteLaunchTemplate(p, ctx) {
      const t = c.templates(ctx.region).delete(refOf(p));
      await c.save(ctx.region, t.launchTemplateId);
      return { launchTemplate: templateXml(t) };
    },
  };
}

/** Launch templates for CreateTags/DeleteTags. */
export function launchTemplateTagTarget(c: Pick<LaunchTemplateActionContext, 'templates' | 'save'>): TagTarget {
  return {
    tags(region, id) {
      const model = c.templates(region);
      return model.has(id) ? model.info({ id }).tags : undefined;
    },
    async setTags(region, id, tags) {
      c.templates(region).setTags(id, tags);
      await c.save(region, id);
    },
  };
}
