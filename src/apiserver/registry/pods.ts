// pods/binding and pods/eviction (pkg/registry/core/pod/storage: BindingREST, EvictionREST).
import { ApiError, badRequest, conflict, forbidden, internalError, invalid, notFound, tooManyRequests } from '../../api/status.js';
import { toStatusCauses } from '../../api/field-errors.js';
import { labelSelectorFromObject, matchesLabels } from '../../util/label-selector.js';
import type { ResourceDef } from '../schema/types.js';
import type { RegistryContext } from './context.js';
import { deleteObject } from './delete.js';
import { isObject, meta, metaString, rfc3339 } from './object-meta.js';
import { getObject, listObjects } from './reader.js';
import type { ApiObject, WriteOptions } from './types.js';
import { updateObject } from './writer.js';

/** BindingREST/EvictionREST answer `metav1.Status{Status: Success}` (no code in the body) with HTTP 201. */
function created(): ApiObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
}

function resourceOf(ctx: RegistryContext, group: string, version: string, resource: string): ResourceDef {
  const r = ctx.catalog.resource(group, version, resource);
  if (!r) throw internalError(`the schema catalog has no ${group}/${version}/${resource}`);
  return r;
}

/** POST pods/<name>/binding: assigns the pod to a node and marks it PodScheduled. */
export async function bindPod(ctx: RegistryContext, namespace: string, podName: string, binding: ApiObject, opts: WriteOptions): Promise<ApiObject> {
  if (!isObject(binding)) throw badRequest('the body of the request must be a JSON object');
  const pods = resourceOf(ctx, '', 'v1', 'pods');
  const bm = isObject(binding.metadata) ? binding.metadata : {};
  if (bm.name !== undefined && bm.name !== podName) throw badRequest('name in URL does not match name in Binding object');
  if (typeof bm.namespace === 'string' && bm.namespace && bm.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const target = isObject(binding.target) ? binding.target : {};
  const errs = [];
  if (target.kind !== undefined && target.kind !== '' && target.kind !== 'Node') {
    errs.push({ type: 'FieldValueNotSupported' as const, field: 'target.kind', badValue: target.kind, detail: 'supported values: "Node", ""' });
  }
  if (typeof target.name !== 'string' || !target.name) errs.push({ type: 'FieldValueRequired' as const, field: 'target.name' });
  if (errs.length) throw invalid('', 'Binding', podName, toStatusCauses(errs));
  const node = target.name as string;
  const annotations = isObject(bm.annotations) ? bm.annotations : {};
  await updateObject(
    ctx,
    pods,
    namespace,
    podName,
    {
      allowCreate: false,
      raw: true,
      produce: (pod) => {
        if (!pod) throw notFound('', 'pods', podName);
        const m = meta(pod);
        if (m.deletionTimestamp) throw conflict('', 'pods', podName, `pod ${podName} is being deleted, cannot be assigned to a host`);
        const spec = isObject(pod.spec) ? pod.spec : (pod.spec = {});
        if (typeof spec.nodeName === 'string' && spec.nodeName) throw conflict('', 'pods', podName, `pod ${podName} is already assigned to node ${JSON.stringify(spec.nodeName)}`);
        spec.nodeName = node;
        if (Object.keys(annotations).length) m.annotations = { ...(isObject(m.annotations) ? m.annotations : {}), ...annotations };
        const status = isObject(pod.status) ? pod.status : (pod.status = {});
        const conditions = Array.isArray(status.conditions) ? status.conditions.filter((c) => !(isObject(c) && c.type === 'PodScheduled')) : [];
        conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(ctx.clock.now()) });
        status.conditions = conditions;
        return pod;
      },
    },
    { ...opts, subresource: 'binding' },
  );
  return created();
}

/** A pod that is not running can be evicted without asking its disruption budget (canIgnorePDB). */
function canIgnorePDB(pod: ApiObject): boolean {
  const phase = isObject(pod.status) ? pod.status.phase : undefined;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || Boolean(meta(pod).deletionTimestamp);
}

/** POST pods/<name>/eviction: deletes the pod unless its PodDisruptionBudget forbids it. */
export async function evictPod(ctx: RegistryContext, namespace: string, name: string, eviction: ApiObject, opts: WriteOptions): Promise<ApiObject> {
  if (!isObject(eviction)) throw badRequest('the body of the request must be a JSON object');
  const em = isObject(eviction.metadata) ? eviction.metadata : {};
  if (em.name !== undefined && em.name !== '' && em.name !== name) throw badRequest('name in URL does not match name in Eviction object');
  const pods = resourceOf(ctx, '', 'v1', 'pods');
  const deleteOptions = isObject(eviction.deleteOptions) ? eviction.deleteOptions : {};
  const pod = await getObject(ctx, pods, namespace, name);
  if (!canIgnorePDB(pod)) {
    const pdbs = resourceOf(ctx, 'policy', 'v1', 'poddisruptionbudgets');
    const list = await listObjects(ctx, pdbs, namespace, {});
    const labels = (isObject(pod.metadata) && isObject(pod.metadata.labels) ? pod.metadata.labels : {}) as Record<string, string>;
    const matching = (list.items as ApiObject[]).filter((pdb) => {
      try {
        return matchesLabels(labelSelectorFromObject(isObject(pdb.spec) ? pdb.spec.selector : undefined), labels);
      } catch {
        return false;
      }
    });
    if (matching.length > 1) throw internalError('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    if (matching.length === 1) await checkAndDecrement(ctx, pdbs, namespace, name, metaString(matching[0], 'name'), opts);
  }
  await deleteObject(ctx, pods, namespace, name, deleteOptions, opts);
  return created();
}

const DISRUPTION_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

function disruptionError(retryAfterSeconds: number, cause: string): ApiError {
  const err = tooManyRequests(DISRUPTION_MESSAGE, retryAfterSeconds);
  const details = err.status.details ?? {};
  if (!retryAfterSeconds) delete details.retryAfterSeconds;
  details.causes = [{ reason: 'DisruptionBudget', message: cause }];
  err.status.details = details;
  return err;
}

/** EvictionREST.checkAndDecrement: take one allowed disruption from the budget, recorded in its status. */
async function checkAndDecrement(ctx: RegistryContext, pdbs: ResourceDef, namespace: string, podName: string, pdbName: string, opts: WriteOptions): Promise<void> {
  await updateObject(
    ctx,
    pdbs,
    namespace,
    pdbName,
    {
      allowCreate: false,
      produce: (pdb) => {
        if (!pdb) throw notFound('policy', 'poddisruptionbudgets', pdbName);
        const status = isObject(pdb.status) ? pdb.status : (pdb.status = {});
        const num = (v: unknown) => (typeof v === 'number' ? v : 0);
        const generation = num(meta(pdb).generation);
        if (num(status.observedGeneration) < generation) throw disruptionError(10, `The disruption budget ${pdbName} is still being processed by the server.`);
        const allowed = num(status.disruptionsAllowed);
        if (allowed < 0) throw forbidden('policy', 'poddisruptionbudget', pdbName, 'pdb disruptions allowed is negative');
        if (allowed === 0) {
          throw disruptionError(0, `The disruption budget ${pdbName} needs ${num(status.desiredHealthy)} healthy pods and has ${num(status.currentHealthy)} currently`);
        }
        status.disruptionsAllowed = allowed - 1;
        status.disruptedPods = { ...(isObject(status.disruptedPods) ? status.disruptedPods : {}), [podName]: rfc3339(ctx.clock.now()) };
        return pdb;
      },
    },
    { ...opts, subresource: 'status' },
  );
}
