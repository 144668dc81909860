// The scale subresource of deployments, replicasets, statefulsets and replicationcontrollers
// (autoscaling/v1 Scale; pkg/registry/apps/deployment/storage ScaleREST and its siblings).
import { badRequest, conflict, invalid, OBJECT_MODIFIED } from '../../api/status.js';
import { toStatusCauses } from '../../api/field-errors.js';
import { labelSelectorFromObject, labelSelectorFromSet, labelSelectorString } from '../../util/label-selector.js';
import type { ResourceDef } from '../schema/types.js';
import type { RegistryContext } from './context.js';
import { isObject, meta, metaString } from './object-meta.js';
import { getObject } from './reader.js';
import type { ApiObject, WriteOptions } from './types.js';
import { updateObject } from './writer.js';

const SCALABLE = new Set(['apps/deployments', 'apps/replicasets', 'apps/statefulsets', '/replicationcontrollers']);

export function isScalable(res: ResourceDef): boolean {
  return SCALABLE.has(`${res.group}/${res.resource}`);
}

interface ScaleMapping {
  read(obj: ApiObject): ApiObject;
  write(obj: ApiObject, replicas: number): void;
}

/**
 * How a resource maps to and from Scale: the workload kinds by spec.replicas, custom resources by
 * the scale subresource paths their CRD declares (specReplicasPath, statusReplicasPath, labelSelectorPath).
 */
function scaleMapping(ctx: RegistryContext, res: ResourceDef): ScaleMapping {
  const custom = ctx.customResources?.forResource(res)?.scale;
  if (custom) return custom;
  if (!isScalable(res)) throw badRequest(`the server does not serve the scale subresource of ${res.group ? `${res.resource}.${res.group}` : res.resource}`);
  return {
    read: (obj) => scaleOf(res, obj),
    write: (obj, replicas) => {
      const spec = isObject(obj.spec) ? obj.spec : (obj.spec = {});
      spec.replicas = replicas;
    },
  };
}

/** The Scale view of a workload object. */
export function scaleOf(res: ResourceDef, obj: ApiObject): ApiObject {
  const m = meta(obj);
  const spec = isObject(obj.spec) ? obj.spec : {};
  const status = isObject(obj.status) ? obj.status : {};
  let selector = '';
  try {
    // Replication controllers select by a plain label map; the apps kinds by a LabelSelector.
    selector = res.group === '' ? labelSelectorString(labelSelectorFromSet(spec.selector as Record<string, string> | undefined)) : labelSelectorString(labelSelectorFromObject(spec.selector ?? {}));
  } catch {
    selector = '';
  }
  const scaleMeta: Record<string, unknown> = { name: m.name };
  for (const k of ['namespace', 'uid', 'resourceVersion', 'creationTimestamp']) if (m[k] !== undefined) scaleMeta[k] = m[k];
  const scaleStatus: Record<string, unknown> = { replicas: typeof status.replicas === 'number' ? status.replicas : 0 };
  if (selector) scaleStatus.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: scaleMeta,
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 0 },
    status: scaleStatus,
  };
}

export async function getScale(ctx: RegistryContext, res: ResourceDef, namespace: string | undefined, name: string): Promise<ApiObject> {
  return scaleMapping(ctx, res).read(await getObject(ctx, res, namespace, name));
}

export async function updateScale(ctx: RegistryContext, res: ResourceDef, namespace: string | undefined, name: string, scale: ApiObject, opts: WriteOptions): Promise<ApiObject> {
  const mapping = scaleMapping(ctx, res);
  if (!isObject(scale)) throw badRequest('the body of the request must be a JSON object');
  const sm = isObject(scale.metadata) ? scale.metadata : {};
  if (sm.name !== undefined && sm.name !== '' && sm.name !== name) throw badRequest(`the name of the object (${String(sm.name)}) does not match the name on the URL (${name})`);
  const replicas = isObject(scale.spec) ? scale.spec.replicas : undefined;
  const scaleErrs = [];
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas))) {
    scaleErrs.push({ type: 'FieldValueInvalid' as const, field: 'spec.replicas', badValue: replicas, detail: 'must be an integer' });
  } else if (typeof replicas === 'number' && replicas < 0) {
    scaleErrs.push({ type: 'FieldValueInvalid' as const, field: 'spec.replicas', badValue: replicas, detail: 'must be greater than or equal to 0' });
  }
  if (scaleErrs.length) throw invalid('autoscaling', 'Scale', name, toStatusCauses(scaleErrs));
  const wantRv = typeof sm.resourceVersion === 'string' ? sm.resourceVersion : '';
  const result = await updateObject(
    ctx,
    res,
    namespace,
    name,
    {
      allowCreate: false,
      produce: (obj) => {
        if (!obj) return {};
        if (wantRv && wantRv !== metaString(obj, 'resourceVersion')) throw conflict(res.group, res.resource, name, OBJECT_MODIFIED);
        mapping.write(obj, typeof replicas === 'number' ? replicas : 0);
        return obj;
      },
    },
    { ...opts, subresource: undefined },
  );
  return mapping.read(result.object);
}
