// A region's EC2 launch templates: named, immutable versions of instance launch parameters
// (EC2 user guide, "Launch templates" and "Restrictions for Amazon EC2 launch templates"):
// - names of 3–128 characters from a-z A-Z 0-9 ( ) . - / _, unique in the region;
// - at most 5,000 templates per region and 10,000 versions per template;
// - versions are numbered 1, 2, ... in creation order; one is the default ($Default), the newest
//   is $Latest; a new version may start from a source version and override its parameters;
// - parameters are stored as given: EC2 does not fully validate them until an instance launches.
// resolve() gives node-group code the data of a template version named by id or name.
import { createHash } from 'node:crypto';
import { Ec2ModelError } from './errors.js';
import type { Tags } from './vpc-types.js';

/**
 * Launch parameters as the EC2 API and the aws CLI's --launch-template-data JSON spell them
 * (RequestLaunchTemplateData). The members node groups read are typed; every other member of the
 * API is kept as given.
 */
export interface LaunchTemplateData {
  ImageId?: string;
  InstanceType?: string;
  KeyName?: string;
  /** Base64, as EC2 takes it. */
  UserData?: string;
  SecurityGroupIds?: string[];
  SecurityGroups?: string[];
  BlockDeviceMappings?: {
    DeviceName?: string;
    NoDevice?: string;
    VirtualName?: string;
    Ebs?: { VolumeSize?: number; VolumeType?: string; Iops?: number; Throughput?: number; Encrypted?: boolean; KmsKeyId?: string; DeleteOnTermination?: boolean; SnapshotId?: string };
  }[];
  MetadataOptions?: { HttpTokens?: string; HttpPutResponseHopLimit?: number; HttpEndpoint?: string; HttpProtocolIpv6?: string; InstanceMetadataTags?: string };
  TagSpecifications?: { ResourceType?: string; Tags?: { Key?: string; Value?: string }[] }[];
  [member: string]: unknown;
}

export interface LaunchTemplateVersion {
  versionNumber: number;
  versionDescription?: string;
  /** Epoch milliseconds. */
  createTime: number;
  createdBy: string;
  data: LaunchTemplateData;
}

export interface LaunchTemplate {
  launchTemplateId: string;
  launchTemplateName: string;
  createTime: number;
  createdBy: string;
  defaultVersionNumber: number;
  latestVersionNumber: number;
  tags: Tags;
  versions: LaunchTemplateVersion[];
}

/** A template without its versions (what Describe/Create/Modify/Delete answer with). */
export type LaunchTemplateInfo = Omit<LaunchTemplate, 'versions'>;

/** A launch template named by ID or name, with an optional version ("3", "$Latest", "$Default"). */
export interface LaunchTemplateRef {
  id?: string;
  name?: string;
  version?: string;
}

export interface ResolvedLaunchTemplate {
  launchTemplateId: string;
  launchTemplateName: string;
  versionNumber: number;
  data: LaunchTemplateData;
}

export const MAX_LAUNCH_TEMPLATES_PER_REGION = 5_000;
export const MAX_VERSIONS_PER_LAUNCH_TEMPLATE = 10_000;
const NAME_PATTERN = /^[a-zA-Z0-9().\-/_]{3,128}$/;
const ID_PATTERN = /^lt-[0-9a-f]{17}$/;

const clone = <T>(v: T): T => structuredClone(v);

function info(t: LaunchTemplate): LaunchTemplateInfo {
  const { versions: _versions, ...rest } = t;
  return { ...rest, tags: { ...t.tags } };
}

export class LaunchTemplates {
  private readonly byId = new Map<string, LaunchTemplate>();

  private nextId = 1;

  constructor(readonly region: string) {}

  /** IDs hash the region, a counter, the name and the time, so a restarted region never hands out a deleted template's ID again. */
  private newId(name: string, now: number): string {
    const n = this.nextId++;
    return `lt-${createHash('sha256').update(`${this.region}/lt/${n}/${name}/${now}`).digest('hex').slice(0, 17)}`;
  }

  static validateName(name: string): void {
    if (!NAME_PATTERN.test(name)) {
      throw new Ec2ModelError('InvalidLaunchTemplateName.MalformedException', "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.'");
    }
  }

  private static validateDescription(description: string | undefined): void {
    if (description !== undefined && description.length > 255) throw new Ec2ModelError('InvalidParameterValue', 'Version description must be 255 characters or fewer.');
  }

  private static requireData(data: LaunchTemplateData | undefined): LaunchTemplateData {
    if (!data || !Object.keys(data).length) throw new Ec2ModelError('MissingParameter', 'The request must contain the parameter LaunchTemplateData');
    return data;
  }

  /** CreateLaunchTemplate: the template with version 1 as its default. */
  create(input: { name: string; data: LaunchTemplateData; description?: string; tags?: Tags; createdBy: string; now: number }): LaunchTemplateInfo {
    LaunchTemplates.validateName(input.name);
    LaunchTemplates.validateDescription(input.description);
    if ([...this.byId.values()].some((t) => t.launchTemplateName === input.name)) {
      throw new Ec2ModelError('InvalidLaunchTemplateName.AlreadyExistsException', `Launch template name already in use.`);
    }
    if (this.byId.size >= MAX_LAUNCH_TEMPLATES_PER_REGION) {
      throw new Ec2ModelError('LaunchTemplateLimitExceeded', `You've reached the limit of ${MAX_LAUNCH_TEMPLATES_PER_REGION} launch templates in this Region.`);
    }
    const data = LaunchTemplates.requireData(input.data);
    const t: LaunchTemplate = {
      launchTemplateId: this.newId(input.name, input.now), launchTemplateName: input.name, createTime: input.now, createdBy: input.createdBy,
      defaultVersionNumber: 1, latestVersionNumber: 1, tags: { ...input.tags },
      versions: [{ versionNumber: 1, versionDescription: input.description, createTime: input.now, createdBy: input.createdBy, data: clone(data) }],
    };
    this.byId.set(t.launchTemplateId, t);
    return info(t);
  }

  private find(ref: LaunchTemplateRef): LaunchTemplate {
    if (ref.id !== undefined && ref.name !== undefined) throw new Ec2ModelError('InvalidParameterCombination', 'You can specify either the launch template ID or the launch template name in the request, but not both.');
    if (ref.id !== undefined) {
      if (!ID_PATTERN.test(ref.id)) throw new Ec2ModelError('InvalidLaunchTemplateId.Malformed', `The specified ID for the launch template (${ref.id}) is not valid. The ID must be in the form lt-xxxxxxxxxxxxxxxxx.`);
      const t = this.byId.get(ref.id);
      if (!t) throw new Ec2ModelError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${ref.id}, does not exist.`);
      return t;
    }
    if (ref.name !== undefined) {
      const t = [...this.byId.values()].find((x) => x.launchTemplateName === ref.name);
      if (!t) throw new Ec2ModelError('InvalidLaunchTemplateName.NotFoundException', `The specified launch template, with template name ${ref.name}, does not exist.`);
      return t;
    }
    throw new Ec2ModelError('MissingParameter', 'The request must contain the parameter LaunchTemplateName or LaunchTemplateId');
  }

  /** A version by "N", "$Latest" or "$Default". */
  private version(t: LaunchTemplate, spec: string): LaunchTemplateVersion {
    const n = spec === '$Latest' ? t.latestVersionNumber : spec === '$Default' ? t.defaultVersionNumber : /^[1-9][0-9]*$/.test(spec) ? Number(spec) : NaN;
    const v = t.versions.find((x) => x.versionNumber === n);
    if (!v) throw new Ec2ModelError('InvalidLaunchTemplateId.VersionNotFound', `The specified launch template version ${spec} does not exist for launch template ${t.launchTemplateId}.`);
    return v;
  }

  /**
   * CreateLaunchTemplateVersion. With a source version the new one inherits its parameters except
   * the members given in data (EC2 API reference: "except for parameters that you specify").
   */
  createVersion(input: { ref: LaunchTemplateRef; sourceVersion?: string; data: LaunchTemplateData; description?: string; createdBy: string; now: number }): { template: LaunchTemplateInfo; version: LaunchTemplateVersion } {
    const t = this.find(input.ref);
    LaunchTemplates.validateDescription(input.description);
    const base = input.sourceVersion !== undefined ? this.version(t, input.sourceVersion).data : {};
    const data = input.sourceVersion !== undefined ? { ...clone(base), ...clone(input.data) } : LaunchTemplates.requireData(input.data);
    if (t.versions.length >= MAX_VERSIONS_PER_LAUNCH_TEMPLATE) {
      throw new Ec2ModelError('VersionLimitExceeded', `The launch template ${t.launchTemplateId} has reached the limit of ${MAX_VERSIONS_PER_LAUNCH_TEMPLATE} versions.`);
    }
    const version: LaunchTemplateVersion = { versionNumber: t.latestVersionNumber + 1, versionDescription: input.description, createTime: input.now, createdBy: input.createdBy, data: clone(data) };
    t.versions.push(version);
    t.latestVersionNumber = version.versionNumber;
    return { template: info(t), version: clone(version) };
  }

  /** ModifyLaunchTemplate: another default version. */
  setDefaultVersion(ref: LaunchTemplateRef, spec: string): LaunchTemplateInfo {
    const t = this.find(ref);
    t.defaultVersionNumber = this.version(t, spec).versionNumber;
    return info(t);
  }

  /** DeleteLaunchTemplate: the template and all its versions. */
  delete(ref: LaunchTemplateRef): LaunchTemplateInfo {
    const t = this.find(ref);
    this.byId.delete(t.launchTemplateId);
    return info(t);
  }

  /** A template with all its versions (what the state store keeps). */
  get(ref: LaunchTemplateRef): LaunchTemplate {
    return clone(this.find(ref));
  }

  info(ref: LaunchTemplateRef): LaunchTemplateInfo {
    return info(this.find(ref));
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Every template, oldest first. */
  list(): LaunchTemplateInfo[] {
    return [...this.byId.values()].map(info);
  }

  /**
   * DescribeLaunchTemplateVersions' selection: given versions ("N", "$Latest", "$Default") and/or a
   * MinVersion–MaxVersion range of one template; with no template, only $Latest/$Default of all.
   */
  versions(ref: LaunchTemplateRef | undefined, select: { versions?: string[]; min?: string; max?: string } = {}): { template: LaunchTemplateInfo; version: LaunchTemplateVersion }[] {
    const specs = select.versions ?? [];
    if (!ref || (ref.id === undefined && ref.name === undefined)) {
      if (!specs.length || specs.some((s) => s !== '$Latest' && s !== '$Default') || select.min !== undefined || select.max !== undefined) {
        throw new Ec2ModelError('MissingParameter', 'The request must contain the parameter LaunchTemplateName or LaunchTemplateId');
      }
      const out: { template: LaunchTemplateInfo; version: LaunchTemplateVersion }[] = [];
      for (const t of this.byId.values()) {
        const picked = new Set(specs.map((s) => this.version(t, s).versionNumber));
        for (const v of t.versions) if (picked.has(v.versionNumber)) out.push({ template: info(t), version: clone(v) });
      }
      return out;
    }
    const t = this.find(ref);
    const bound = (s: string | undefined, name: string) => {
      if (s === undefined) return undefined;
      if (!/^[0-9]+$/.test(s)) throw new Ec2ModelError('InvalidParameterValue', `Invalid value '${s}' for ${name}.`);
      return Number(s);
    };
    const min = bound(select.min, 'MinVersion');
    const max = bound(select.max, 'MaxVersion');
    const picked = new Set(specs.map((s) => this.version(t, s).versionNumber));
    const ranged = min !== undefined || max !== undefined;
    const chosen = t.versions.filter((v) => {
      if (!specs.length && !ranged) return true;
      if (picked.has(v.versionNumber)) return true;
      return ranged && v.versionNumber >= (min ?? 1) && v.versionNumber <= (max ?? Infinity);
    });
    // EC2 lists the newest version first.
    const summary = info(t);
    return chosen.sort((a, b) => b.versionNumber - a.versionNumber).map((v) => ({ template: summary, version: clone(v) }));
  }

  /** The launch data of a template version; the version defaults to $Default. */
  resolve(ref: LaunchTemplateRef): ResolvedLaunchTemplate {
    const t = this.find({ id: ref.id, name: ref.name });
    const v = this.version(t, ref.version ?? '$Default');
    return { launchTemplateId: t.launchTemplateId, launchTemplateName: t.launchTemplateName, versionNumber: v.versionNumber, data: clone(v.data) };
  }

  setTags(id: string, tags: Tags): void {
    const t = this.byId.get(id);
    if (!t) throw new Ec2ModelError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`);
    t.tags = { ...tags };
  }

  /** Adds a stored template (loading). */
  restore(t: LaunchTemplate): void {
    if (!ID_PATTERN.test(t.launchTemplateId) || !Array.isArray(t.versions) || !t.versions.length) {
      throw new Ec2ModelError('InvalidState', `invalid stored launch template ${JSON.stringify(t.launchTemplateId)}`);
    }
    this.byId.set(t.launchTemplateId, clone(t));
    this.nextId = Math.max(this.nextId, this.byId.size + 1);
  }
}
