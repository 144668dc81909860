// create and update through the store, with upstream's generic registry rules
// (apiserver/pkg/registry/generic/registry/store.go Create/Update, rest.BeforeCreate/BeforeUpdate).
import { randomUUID } from 'node:crypto';
import { alreadyExists, badRequest, conflict, forbidden, invalid, notFound, OBJECT_MODIFIED } from '../../api/status.js';
import { toStatusCauses } from '../../api/field-errors.js';
import type { FieldError } from '../../api/field-errors.js';
import { ConflictError, KeyExistsError, NotFoundError } from '../../storage/errors.js';
import { ignoreManagedFieldsTimestamps, updateManagedFields } from '../apply/index.js';
import { applyDefaults, generateJobSelector } from '../defaults/index.js';
import { validateObject } from '../validation/index.js';
import type { ResourceDef } from '../schema/types.js';
import { decodeKv, encodeValue, objectKey, resourceId } from '../watchcache/index.js';
import type { AdmissionAttributes } from '../admission/types.js';
import { validateCustomResourceDefinition, validateCustomResourceDefinitionStatusUpdate } from '../crd/crd-validation.js';
import { defaultCrd } from '../crd/strategy.js';
import type { CustomResourceDefinition } from '../crd/types.js';
import type { RegistryContext } from './context.js';
import { fromStorageError } from './errors.js';
import { keyFor } from './object-key.js';
import { deepClone, finalizersOf, generateName, isObject, jsonEqual, managerFromUserAgent, meta, metaString, rfc3339 } from './object-meta.js';
import { groupVersion } from './reader.js';
import { schemaOf } from './schemas.js';
import { customFromStorage, customToStorage } from './custom-conversion.js';
import { fromStorage, toStorage } from './storage-mapping.js';
import { allocateServiceAddresses, clusterIPsOf, isServices, releaseIP } from './service-addresses.js';
import { pruneUnknownFields, reportUnknownFields } from './prune.js';
import { prepareForCreate, prepareForUpdate, resetFields, updateGeneration } from './strategy.js';
import { checkName, checkNamespace, checkTypeMeta } from './type-meta.js';
import type { ApiObject, WriteOptions } from './types.js';

/** How often create retries a generateName collision (upstream's RetryGenerateName: 8 attempts). */
const GENERATE_NAME_ATTEMPTS = 8;
/** Store conflicts retried by an update before giving up with 409. */
const UPDATE_ATTEMPTS = 16;

export interface UpdatePlan {
  /** The desired object, built from (a copy of) the current one; undefined when it does not exist. */
  produce(existing: ApiObject | undefined): ApiObject | Promise<ApiObject>;
  /** A missing object may be created (PUT for kinds that allow it, server-side apply). */
  allowCreate: boolean;
  /**
   * Store the produced object as it is, bypassing the endpoint strategy (defaults, field resets,
   * validation), as upstream's subresource registries do with GuaranteedUpdate (pods/binding).
   */
  raw?: boolean;
  /** produce() already recorded field ownership (server-side apply). */
  managedFieldsDone?: boolean;
}

export interface UpdateResult {
  object: ApiObject;
  created: boolean;
}

const NAMESPACES: Pick<ResourceDef, 'group' | 'resource' | 'namespaced'> = { group: '', resource: 'namespaces', namespaced: false };

/** Decoding-time steps of every write body: type meta, namespace, unknown fields. */
function decodeBody(ctx: RegistryContext, res: ResourceDef, namespace: string | undefined, obj: ApiObject, opts: WriteOptions): void {
  checkTypeMeta(res, obj);
  checkNamespace(res, namespace, obj);
  const cr = ctx.customResources?.forResource(res);
  const unknown = cr ? cr.prune(obj) : pruneUnknownFields(ctx.catalog, res.typeRef, obj);
  reportUnknownFields(unknown, opts.fieldValidation, opts.warnings);
}

const isCrds = (res: ResourceDef) => res.group === 'apiextensions.k8s.io' && res.resource === 'customresourcedefinitions';

function defaults(ctx: RegistryContext, res: ResourceDef, obj: ApiObject): void {
  const cr = ctx.customResources?.forResource(res);
  if (cr) cr.applyDefaults(obj);
  else if (isCrds(res)) defaultCrd(obj as CustomResourceDefinition);
  else applyDefaults(res.group, res.version, res.kind, obj);
}

/** Create (no `old`) or update validation; 422 Invalid with upstream's causes. */
function validate(ctx: RegistryContext, res: ResourceDef, obj: ApiObject, old: ApiObject | undefined, subresource?: string): void {
  let errs: FieldError[];
  const cr = ctx.customResources?.forResource(res);
  if (cr) errs = cr.validate(obj, old);
  else if (isCrds(res)) errs = subresource === 'status' && old ? validateCustomResourceDefinitionStatusUpdate(obj, old) : validateCustomResourceDefinition(obj, old);
  else if (subresource === 'ephemeralcontainers' && old) errs = validateEphemeralContainersUpdate(res, obj, old);
  // pods/resize: only resources changed, which the pod's own validation covers.
  else if (subresource === 'resize') errs = validateObject(res.group, res.version, res.kind, obj);
  else errs = validateObject(res.group, res.version, res.kind, obj, old);
  if (errs.length) throw invalid(res.group, res.kind, metaString(obj, 'name'), toStatusCauses(errs));
}

/**
 * ValidatePodEphemeralContainersUpdate: the pod as a whole must be valid, and ephemeral
 * containers already there may not change or go away.
 */
function validateEphemeralContainersUpdate(res: ResourceDef, obj: ApiObject, old: ApiObject): FieldError[] {
  const errs = validateObject(res.group, res.version, res.kind, obj);
  const list = (o: ApiObject) => (isObject(o.spec) && Array.isArray(o.spec.ephemeralContainers) ? o.spec.ephemeralContainers.filter(isObject) : []);
  const now = list(obj);
  for (const before of list(old)) {
    const after = now.find((c) => c.name === before.name);
    if (!after) errs.push({ type: 'FieldValueForbidden', field: 'spec.ephemeralContainers', detail: `existing ephemeral containers ${JSON.stringify(before.name)} may not be removed` });
    else if (!jsonEqual(after, before)) errs.push({ type: 'FieldValueForbidden', field: 'spec.ephemeralContainers', detail: `existing ephemeral containers ${JSON.stringify(before.name)} may not be changed` });
  }
  return errs;
}

/**
 * One phase of the admission chain: 'admit' (mutating plugins, after defaulting) or 'validate'
 * (validating plugins, after the strategy's validation, just before storage), as kube-apiserver
 * orders them around rest.BeforeCreate/BeforeUpdate.
 */
async function runAdmissionPhase(ctx: RegistryContext, phase: 'admit' | 'validate', res: ResourceDef, obj: ApiObject, old: ApiObject | undefined, opts: WriteOptions): Promise<void> {
  if (!ctx.admission) return;
  const attrs: AdmissionAttributes = {
    operation: old ? 'UPDATE' : 'CREATE',
    resource: res,
    subresource: opts.subresource,
    namespace: res.namespaced ? metaString(obj, 'namespace') || undefined : undefined,
    name: metaString(obj, 'name'),
    object: obj,
    oldObject: old,
    user: opts.user,
    dryRun: opts.dryRun,
  };
  for (const plugin of ctx.admission.plugins) await plugin[phase]?.(attrs, ctx.admission.lookup);
}

/**
 * NamespaceLifecycle admission: the namespace must exist and not be terminating. Like upstream's
 * plugin it reads the namespace from the cache (its informer), and looks it up in storage only
 * when the cache does not have it (a namespace created a moment ago).
 */
async function admitNamespace(ctx: RegistryContext, res: ResourceDef, namespace: string | undefined, name: string): Promise<void> {
  if (!res.namespaced || !namespace) return;
  const key = objectKey(ctx.store.prefix, NAMESPACES, undefined, namespace);
  let ns: Readonly<ApiObject> | undefined = ctx.hub.cache(resourceId('', 'namespaces')).get(key)?.object;
  if (!ns) {
    const kv = await ctx.store.get(key);
    if (!kv) throw notFound('', 'namespaces', namespace);
    ns = decodeKv(kv);
  }
  const phase = isObject(ns.status) ? ns.status.phase : undefined;
  if (phase === 'Terminating') throw forbidden(res.group, res.resource, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
}

/** The namespace strategy keeps the kubernetes.io/metadata.name label equal to the name. */
function canonicalizeNamespace(res: ResourceDef, obj: ApiObject): void {
  if (res.group !== '' || res.resource !== 'namespaces') return;
  const m = meta(obj);
  if (typeof m.name !== 'string' || !m.name) return;
  const labels = isObject(m.labels) ? m.labels : (m.labels = {});
  labels['kubernetes.io/metadata.name'] = m.name;
}

/** The field manager of a write: the fieldManager parameter, else the User-Agent's program name. */
export function fieldManagerOf(opts: WriteOptions): string {
  return opts.fieldManager || managerFromUserAgent(opts.userAgent);
}

/** Records the write in metadata.managedFields (fieldmanager.go Update). */
function recordManagedFields(ctx: RegistryContext, res: ResourceDef, old: ApiObject | undefined, next: ApiObject, opts: WriteOptions): void {
  const subresource = opts.subresource && opts.subresource !== 'binding' && opts.subresource !== 'eviction' ? opts.subresource : undefined;
  updateManagedFields(old, next, {
    manager: fieldManagerOf(opts),
    operation: 'Update',
    apiVersion: groupVersion(res),
    now: rfc3339(ctx.clock.now()),
    subresource,
    schema: schemaOf(ctx.catalog, res),
    ignoredFields: resetFields(res, subresource),
  });
}

export async function createObject(ctx: RegistryContext, res: ResourceDef, namespace: string | undefined, body: ApiObject, opts: WriteOptions): Promise<ApiObject> {
  if (!isObject(body)) throw badRequest('the body of the request must be a JSON object');
  const obj = deepClone(body);
  decodeBody(ctx, res, namespace, obj, opts);
  return createDecoded(ctx, res, namespace, obj, opts, false);
}

/** create after the body was decoded (shared with create-on-update). */
async function createDecoded(ctx: RegistryContext, res: ResourceDef, namespace: string | undefined, obj: ApiObject, opts: WriteOptions, managedFieldsDone: boolean): Promise<ApiObject> {
  const m = meta(obj);
  if (metaString(obj, 'resourceVersion')) throw badRequest('resourceVersion should not be set on objects to be created');
  const requestedName = metaString(obj, 'name');
  await admitNamespace(ctx, res, res.namespaced ? (metaString(obj, 'namespace') || namespace) : undefined, requestedName);
  defaults(ctx, res, obj);
  await runAdmissionPhase(ctx, 'admit', res, obj, undefined, opts);
  // rest.BeforeCreate: system fields are the server's.
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
  m.uid = randomUUID();
  m.creationTimestamp = rfc3339(ctx.clock.now());
  prepareForCreate(res, obj);
  const generateFrom = !requestedName && typeof m.generateName === 'string' && m.generateName ? m.generateName : undefined;
  if (generateFrom) m.name = generateName(generateFrom);
  canonicalizeNamespace(res, obj);
  // The job strategy generates the selector from the uid at create.
  if (res.group === 'batch' && res.resource === 'jobs') generateJobSelector(obj, String(m.uid));
  // The service registry allocates ClusterIPs and node ports before validation (BeginCreate).
  const release = isServices(res) && m.name ? await allocateServiceAddresses(ctx, res, obj, undefined, opts.dryRun) : undefined;
  try {
    return await storeNew(ctx, res, obj, opts, managedFieldsDone, generateFrom);
  } catch (err) {
    await release?.();
    throw err;
  }
}

async function storeNew(ctx: RegistryContext, res: ResourceDef, obj: ApiObject, opts: WriteOptions, managedFieldsDone: boolean, generateFrom: string | undefined): Promise<ApiObject> {
  const m = meta(obj);
  validate(ctx, res, obj, undefined);
  await runAdmissionPhase(ctx, 'validate', res, obj, undefined, opts);
  if (!managedFieldsDone) recordManagedFields(ctx, res, undefined, obj, opts);
  const ns = res.namespaced ? metaString(obj, 'namespace') : undefined;
  for (let attempt = 0; ; attempt++) {
    if (generateFrom && attempt > 0) {
      m.name = generateName(generateFrom);
      canonicalizeNamespace(res, obj);
    }
    const name = metaString(obj, 'name');
    const key = keyFor(ctx.store.prefix, res, ns, name);
    // Custom objects are encoded in the storage version and the answer decoded back (upstream's
    // storage codec does both, dry run included).
    const stored = await customToStorage(ctx, res, obj);
    if (opts.dryRun) {
      if (await ctx.store.get(key)) throw alreadyExists(res.group, res.resource, name);
      return stored === obj ? obj : customFromStorage(ctx, res, stored);
    }
    try {
      const kv = await ctx.store.create(key, encodeValue(toStorage(res, stored)));
      m.resourceVersion = String(kv.modRevision);
      if (stored === obj) return obj;
      return await customFromStorage(ctx, res, { ...stored, metadata: { ...meta(stored), resourceVersion: m.resourceVersion } });
    } catch (err) {
      if (err instanceof KeyExistsError && generateFrom && attempt + 1 < GENERATE_NAME_ATTEMPTS) continue;
      throw fromStorageError(err, res.group, res.resource, name);
    }
  }
}

/** PUT semantics: the body replaces the object (create-on-update where the kind allows it). */
export function updatePlanFromBody(body: ApiObject, allowCreate: boolean): UpdatePlan {
  if (!isObject(body)) throw badRequest('the body of the request must be a JSON object');
  return { produce: () => deepClone(body), allowCreate };
}

/**
 * An update that removes the last finalizer of an object being deleted (grace period 0) deletes
 * it (store.go shouldDeleteDuringUpdate; namespaces also need empty spec.finalizers).
 */
function shouldDeleteDuringUpdate(res: ResourceDef, next: ApiObject, old: ApiObject): boolean {
  const m = meta(next);
  if (Array.isArray(m.finalizers) && m.finalizers.length > 0) return false;
  if (finalizersOf(old).length === 0) return false;
  if (!m.deletionTimestamp) return false;
  if (res.group === '' && res.resource === 'namespaces' && isObject(next.spec) && Array.isArray(next.spec.finalizers) && next.spec.finalizers.length > 0) return false;
  return m.deletionGracePeriodSeconds === undefined || m.deletionGracePeriodSeconds === 0;
}

/** Carries the system fields an update may not change over from the stored object (rest.BeforeUpdate). */
function keepSystemFields(next: ApiObject, old: ApiObject): void {
  const m = meta(next);
  const om = meta(old);
  if (!m.uid) m.uid = om.uid;
  if (om.creationTimestamp) m.creationTimestamp = om.creationTimestamp;
  else delete m.creationTimestamp;
  if (om.deletionTimestamp) m.deletionTimestamp = om.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (om.deletionGracePeriodSeconds !== undefined && m.deletionGracePeriodSeconds === undefined) m.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
  delete m.selfLink;
}

function withoutVersion(obj: ApiObject): ApiObject {
  const m = { ...meta(obj) };
  delete m.resourceVersion;
  return { ...obj, metadata: m };
}

export async function updateObject(ctx: RegistryContext, res: ResourceDef, namespace: string | undefined, name: string, plan: UpdatePlan, opts: WriteOptions): Promise<UpdateResult> {
  const key = keyFor(ctx.store.prefix, res, namespace, name);
  for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
    const kv = await ctx.store.get(key);
    if (!kv) {
      if (!plan.allowCreate || opts.subresource) throw notFound(res.group, res.resource, name);
      const body = await plan.produce(undefined);
      decodeBody(ctx, res, namespace, body, opts);
      checkName(body, name);
      delete meta(body).resourceVersion;
      try {
        return { object: await createDecoded(ctx, res, namespace, body, opts, plan.managedFieldsDone === true), created: true };
      } catch (err) {
        // Someone created it meanwhile: update that one instead.
        if ((err as { reason?: string }).reason === 'AlreadyExists' && !opts.dryRun) continue;
        throw err;
      }
    }
    const existing = await customFromStorage(ctx, res, fromStorage(res, decodeKv(kv)));
    const body = await plan.produce(deepClone(existing));
    decodeBody(ctx, res, namespace, body, opts);
    checkName(body, name);
    const bodyRv = metaString(body, 'resourceVersion');
    if (bodyRv && bodyRv !== String(kv.modRevision)) throw conflict(res.group, res.resource, name, OBJECT_MODIFIED);
    if (opts.subresource !== 'finalize' && !plan.raw) defaults(ctx, res, body);
    if (!plan.raw) await runAdmissionPhase(ctx, 'admit', res, body, existing, opts);
    const next = plan.raw ? body : prepareForUpdate(res, body, existing, opts.subresource);
    keepSystemFields(next, existing);
    canonicalizeNamespace(res, next);
    updateGeneration(res, next, existing);
    meta(next).resourceVersion = String(kv.modRevision);
    const release = isServices(res) && !plan.raw && !opts.subresource ? await allocateServiceAddresses(ctx, res, next, existing, opts.dryRun) : undefined;
    let stored = false;
    try {
      const out = await storeUpdate(ctx, res, key, name, kv.modRevision, next, existing, plan, opts);
      stored = out !== undefined;
      if (!out) continue;
      // IPs a Service no longer holds (type changed to ExternalName) go back to the pool.
      if (release && out.stored && !opts.dryRun) {
        const kept = new Set(clusterIPsOf(out.object));
        for (const ip of clusterIPsOf(existing)) if (!kept.has(ip)) await releaseIP(ctx, ip);
      }
      return { object: out.object, created: false };
    } finally {
      if (!stored) await release?.();
    }
  }
  throw conflict(res.group, res.resource, name, OBJECT_MODIFIED);
}

/**
 * The last steps of an update: validation, field management, then the guarded write.
 * Undefined when the store reports a concurrent change (the caller retries).
 */
async function storeUpdate(
  ctx: RegistryContext,
  res: ResourceDef,
  key: string,
  name: string,
  modRevision: number,
  next: ApiObject,
  existing: ApiObject,
  plan: UpdatePlan,
  opts: WriteOptions,
): Promise<{ object: ApiObject; stored: boolean } | undefined> {
  if (!plan.raw) validate(ctx, res, next, existing, opts.subresource);
  if (!plan.raw) await runAdmissionPhase(ctx, 'validate', res, next, existing, opts);
  if (!plan.raw && !plan.managedFieldsDone) recordManagedFields(ctx, res, existing, next, opts);
  // A write that changes nothing but managedFields timestamps is a no-op.
  ignoreManagedFieldsTimestamps(next, existing);
  if (jsonEqual(withoutVersion(next), withoutVersion(existing))) return { object: existing, stored: false };
  if (opts.dryRun) return { object: next, stored: false };
  try {
    if (shouldDeleteDuringUpdate(res, next, existing)) {
      const { revision } = await ctx.store.delete(key, modRevision);
      meta(next).resourceVersion = String(revision);
      if (isServices(res)) for (const ip of clusterIPsOf(existing)) await releaseIP(ctx, ip);
    } else {
      const stored = await customToStorage(ctx, res, next);
      const updated = await ctx.store.update(key, encodeValue(toStorage(res, stored)), modRevision);
      meta(next).resourceVersion = String(updated.modRevision);
      if (stored !== next) return { object: await customFromStorage(ctx, res, { ...stored, metadata: { ...meta(stored), resourceVersion: meta(next).resourceVersion } }), stored: true };
    }
    return { object: next, stored: true };
  } catch (err) {
    if (err instanceof ConflictError || err instanceof NotFoundError) return undefined;
    throw fromStorageError(err, res.group, res.resource, name);
  }
}
