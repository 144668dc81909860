// Managed policies: customer managed ones with up to five versions, and the AWS managed ones
// (read-only, from managed-policies.ts).
import { AwsError, deleteConflict, entityAlreadyExists, invalidInput, limitExceeded, noSuchEntity } from '../errors.js';
import { uniqueId } from '../ids.js';
import type { XmlValue } from '../server/query.js';
import { checkName, checkPath, encodeDocument, isoNow, page, parseTags, pathPrefixFilter, required, tagsXml } from './common.js';
import type { IamAction, IamDeps } from './deps.js';
import { awsManagedPolicies, awsManagedPolicy } from './managed-policies.js';
import type { ManagedPolicyRecord } from './model.js';
import { policyUsageCounts, type PolicyUsageCounts } from './memberships.js';
import { parsePolicy } from './policy/index.js';

/** A customer or AWS managed policy as one record (AWS ones are synthesised, never stored). */
export async function loadAttachable(deps: IamDeps, arn: string): Promise<ManagedPolicyRecord> {
  const aws = awsManagedPolicy(arn);
  if (aws) {
    return {
      PolicyName: aws.name,
      PolicyId: aws.policyId,
      Arn: arn,
      Path: aws.path,
      Description: aws.description,
      CreateDate: aws.createDate,
      UpdateDate: aws.updateDate,
      DefaultVersionId: aws.versionId,
      Versions: [{ VersionId: aws.versionId, Document: aws.document, CreateDate: aws.updateDate }],
      NextVersion: 0,
      Tags: [],
    };
  }
  if (!/^arn:aws:iam::(\d{12}|aws):policy\/.+/.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  const p = await deps.state.get<ManagedPolicyRecord>('policy', arn);
  if (!p) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return p;
}

function policyXml(p: ManagedPolicyRecord, withTags: boolean, usage: PolicyUsageCounts): XmlValue {
  const counts = usage(p.Arn);
  return {
    PolicyName: p.PolicyName,
    PolicyId: p.PolicyId,
    Arn: p.Arn,
    Path: p.Path,
    DefaultVersionId: p.DefaultVersionId,
    AttachmentCount: counts.attachments,
    PermissionsBoundaryUsageCount: counts.boundaries,
    IsAttachable: true,
    Description: withTags ? p.Description : undefined,
    CreateDate: p.CreateDate,
    UpdateDate: p.UpdateDate,
    Tags: withTags && p.Tags.length ? tagsXml(p.Tags) : undefined,
  };
}

export async function customerPolicy(deps: IamDeps, arn: string): Promise<ManagedPolicyRecord> {
  if (awsManagedPolicy(arn)) throw new AwsError('AccessDenied', `You are not authorized to modify the AWS managed policy ${arn}.`, 403);
  return loadAttachable(deps, arn);
}

export const policyActions: Record<string, IamAction> = {
  async CreatePolicy(p, ctx, deps) {
    const name = required(p, 'PolicyName');
    checkName(name, 'PolicyName', 128);
    const path = p.Path ?? '/';
    checkPath(path);
    const doc = required(p, 'PolicyDocument');
    parsePolicy(doc, 'identity');
    const arn = `arn:aws:iam::${deps.accountId}:policy${path}${name}`;
    const existing = (await deps.state.list<ManagedPolicyRecord>('policy')).find((x) => x.PolicyName.toLowerCase() === name.toLowerCase());
    if (existing) throw entityAlreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
    const now = isoNow(ctx.clock.now());
    const policy: ManagedPolicyRecord = {
      PolicyName: name,
      PolicyId: uniqueId('ANPA'),
      Arn: arn,
      Path: path,
      Description: p.Description,
      CreateDate: now,
      UpdateDate: now,
      DefaultVersionId: 'v1',
      Versions: [{ VersionId: 'v1', Document: doc, CreateDate: now }],
      NextVersion: 2,
      Tags: parseTags(p),
    };
    await deps.state.put('policy', arn, policy);
    return { Policy: policyXml(policy, false, await policyUsageCounts(deps.state)) };
  },
  async GetPolicy(p, _ctx, deps) {
    const policy = await loadAttachable(deps, required(p, 'PolicyArn'));
    return { Policy: policyXml(policy, true, await policyUsageCounts(deps.state)) };
  },
  async DeletePolicy(p, _ctx, deps) {
    const policy = await customerPolicy(deps, required(p, 'PolicyArn'));
    if ((await policyUsageCounts(deps.state))(policy.Arn).attachments) throw deleteConflict('Cannot delete a policy attached to entities.');
    if (policy.Versions.length > 1) throw deleteConflict('Cannot delete a policy with versions other than the default version.');
    await deps.state.delete('policy', policy.Arn);
    return undefined;
  },
  async ListPolicies(p, _ctx, deps) {
    const scope = p.Scope ?? 'All';
    if (!['All', 'AWS', 'Local'].includes(scope)) throw new AwsError('ValidationError', `1 validation error detected: Value '${scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]`, 400);
    let all: ManagedPolicyRecord[] = [];
    if (scope !== 'Local') all.push(...(await Promise.all(awsManagedPolicies().map(({ arn }) => loadAttachable(deps, arn)))));
    if (scope !== 'AWS') all.push(...(await deps.state.list<ManagedPolicyRecord>('policy')));
    all = pathPrefixFilter(all, p);
    const usage = await policyUsageCounts(deps.state);
    if (p.OnlyAttached === 'true') all = all.filter((x) => usage(x.Arn).attachments > 0);
    const pg = page(all, p);
    return { Policies: pg.items.map((x) => policyXml(x, false, usage)), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
  },
  async GetPolicyVersion(p, _ctx, deps) {
    const policy = await loadAttachable(deps, required(p, 'PolicyArn'));
    const id = required(p, 'VersionId');
    const v = policy.Versions.find((x) => x.VersionId === id);
    if (!v) throw noSuchEntity(`Policy ${policy.Arn} version ${id} does not exist or is not attachable.`);
    return { PolicyVersion: { Document: encodeDocument(v.Document), VersionId: v.VersionId, IsDefaultVersion: v.VersionId === policy.DefaultVersionId, CreateDate: v.CreateDate } };
  },
  async CreatePolicyVersion(p, ctx, deps) {
    const policy = await customerPolicy(deps, required(p, 'PolicyArn'));
    const doc = required(p, 'PolicyDocument');
    parsePolicy(doc, 'identity');
    if (policy.Versions.length >= 5) throw limitExceeded('A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');
    const now = isoNow(ctx.clock.now());
    const v = { VersionId: `v${policy.NextVersion++}`, Document: doc, CreateDate: now };
    policy.Versions.push(v);
    if (p.SetAsDefault === 'true') {
      policy.DefaultVersionId = v.VersionId;
      policy.UpdateDate = now;
    }
    await deps.state.put('policy', policy.Arn, policy);
    return { PolicyVersion: { VersionId: v.VersionId, IsDefaultVersion: policy.DefaultVersionId === v.VersionId, CreateDate: v.CreateDate } };
  },
  async SetDefaultPolicyVersion(p, ctx, deps) {
    const policy = await customerPolicy(deps, required(p, 'PolicyArn'));
    const id = required(p, 'VersionId');
    if (!policy.Versions.some((v) => v.VersionId === id)) throw noSuchEntity(`Policy ${policy.Arn} version ${id} does not exist or is not attachable.`);
    policy.DefaultVersionId = id;
    policy.UpdateDate = isoNow(ctx.clock.now());
    await deps.state.put('policy', policy.Arn, policy);
    return undefined;
  },
  async ListPolicyVersions(p, _ctx, deps) {
    const policy = await loadAttachable(deps, required(p, 'PolicyArn'));
    const versions = [...policy.Versions].reverse().map((v) => ({ VersionId: v.VersionId, IsDefaultVersion: v.VersionId === policy.DefaultVersionId, CreateDate: v.CreateDate }));
    const pg = page(versions, p);
    return { Versions: pg.items, IsTruncated: pg.IsTruncated, Marker: pg.Marker };
  },
  async DeletePolicyVersion(p, _ctx, deps) {
    const policy = await customerPolicy(deps, required(p, 'PolicyArn'));
    const id = required(p, 'VersionId');
    if (!policy.Versions.some((v) => v.VersionId === id)) throw noSuchEntity(`Policy ${policy.Arn} version ${id} does not exist or is not attachable.`);
    if (id === policy.DefaultVersionId) throw deleteConflict('Cannot delete the default version of a policy.');
    policy.Versions = policy.Versions.filter((v) => v.VersionId !== id);
    await deps.state.put('policy', policy.Arn, policy);
    return undefined;
  },
};
