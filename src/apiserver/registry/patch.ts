// PATCH: JSON patch, merge patch, strategic merge patch and server-side apply, applied to the
// current object and stored through the update path (apiserver/pkg/endpoints/handlers/patch.go).
// Conflicting concurrent writes re-apply the patch to the new object, as upstream retries.
import { parse as parseYaml } from 'yaml';
import { badRequest, invalid, unsupportedMediaType } from '../../api/status.js';
import { toStatusCauses } from '../../api/field-errors.js';
import { computeApply } from '../apply/index.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, catalogSchema, checkPatchedObjectIdentity } from '../patch/index.js';
import type { ResourceDef } from '../schema/types.js';
import type { RegistryContext } from './context.js';
import { isObject, rfc3339 } from './object-meta.js';
import { resetFields } from './strategy.js';
import { groupVersion } from './reader.js';
import { patchedObjectDecodeError } from './patch-decode.js';
import { getScale, updateScale } from './scale.js';
import { hasStructSchema, schemaOf } from './schemas.js';
import type { ApiObject, PatchType, WriteOptions } from './types.js';
import type { UpdateResult } from './writer.js';
import { fieldManagerOf, updateObject } from './writer.js';

const SCALE_TYPE = 'k8s.io/api/autoscaling/v1.Scale';

function decodePatch(type: PatchType, patch: Buffer | Record<string, unknown> | unknown[]): unknown {
  if (!Buffer.isBuffer(patch)) return patch;
  const text = patch.toString('utf8');
  if (type === 'apply') {
    try {
      return parseYaml(text);
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
}

/** Applies a json/merge/strategic patch to `doc`, whose schema is `structRef`'s. */
function applyPatch(ctx: RegistryContext, res: ResourceDef, type: PatchType, doc: ApiObject, patch: unknown, structRef?: string): ApiObject {
  let out: unknown;
  switch (type) {
    case 'json':
      out = applyJsonPatch(doc, patch);
      break;
    case 'merge':
      out = applyMergePatch(doc, patch);
      break;
    case 'strategic':
      out = applyStrategicMergePatch(doc, patch, structRef ? catalogSchema(ctx.catalog, structRef) : schemaOf(ctx.catalog, res));
      break;
    default:
      throw badRequest(`unsupported patch type ${type}`);
  }
  if (!isObject(out)) throw badRequest('the patched object is not a JSON object');
  return out;
}

export async function patchObject(
  ctx: RegistryContext,
  res: ResourceDef,
  namespace: string | undefined,
  name: string,
  type: PatchType,
  rawPatch: Buffer | Record<string, unknown> | unknown[],
  opts: WriteOptions & { force?: boolean },
): Promise<UpdateResult> {
  // Custom resources have no Go type to take patch strategies from (patch.go: 415 for SMP).
  if (type === 'strategic' && !hasStructSchema(ctx.catalog, res)) {
    throw unsupportedMediaType('application/strategic-merge-patch+json');
  }
  const patch = decodePatch(type, rawPatch);
  if (opts.subresource === 'scale') {
    if (type === 'apply') throw unsupportedMediaType('application/apply-patch+yaml');
    const current = await getScale(ctx, res, namespace, name);
    const next = applyPatch(ctx, res, type, current, patch, SCALE_TYPE);
    return { object: await updateScale(ctx, res, namespace, name, next, opts), created: false };
  }
  if (type === 'apply') {
    const manager = fieldManagerOf({ ...opts, userAgent: undefined });
    if (!manager) {
      throw invalid('meta.k8s.io', 'PatchOptions', '', toStatusCauses([{ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' }]));
    }
    if (!isObject(patch)) throw badRequest('error decoding YAML: the applied configuration is not an object');
    return updateObject(
      ctx,
      res,
      namespace,
      name,
      {
        allowCreate: !opts.subresource,
        managedFieldsDone: true,
        produce: (existing) => {
          const out = computeApply(existing, patch, {
            manager,
            force: opts.force === true,
            schema: schemaOf(ctx.catalog, res),
            apiVersion: groupVersion(res),
            now: rfc3339(ctx.clock.now()),
            subresource: opts.subresource,
            kind: res.kind,
            ignoredFields: resetFields(res, opts.subresource),
          }).object as ApiObject;
          checkPatchedObjectIdentity(out, { name, namespace: res.namespaced ? (namespace ?? '') : '' });
          return out;
        },
      },
      opts,
    );
  }
  return updateObject(
    ctx,
    res,
    namespace,
    name,
    {
      allowCreate: false,
      produce: (existing) => {
        if (!existing) return {};
        const out = applyPatch(ctx, res, type, existing, patch);
        // The patched object is decoded into the typed object before anything else looks at it.
        const undecodable = patchedObjectDecodeError(ctx.catalog, res.typeRef, type, existing, patch, out);
        if (undecodable) throw undecodable;
        checkPatchedObjectIdentity(out, { name, namespace: res.namespaced ? (namespace ?? '') : '' });
        return out;
      },
    },
    opts,
  );
}
