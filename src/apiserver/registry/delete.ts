// delete with upstream's rules (generic/registry/store.go Delete, rest.BeforeDelete,
// deletionFinalizersForGarbageCollection; core/namespace/storage Delete; pod strategy
// CheckGracefulDelete): preconditions, graceful deletion, finalizers, propagation policy.
import { conflict, forbidden, invalid, notFound } from '../../api/status.js';
import { toStatusCauses } from '../../api/field-errors.js';
import type { FieldError } from '../../api/field-errors.js';
import { ConflictError, NotFoundError } from '../../storage/errors.js';
import type { ResourceDef } from '../schema/types.js';
import { decodeKv, encodeValue } from '../watchcache/index.js';
import type { RegistryContext } from './context.js';
import { fromStorageError } from './errors.js';
import { keyFor } from './object-key.js';
import { finalizersOf, isObject, meta, metaString, rfc3339 } from './object-meta.js';
import { clusterIPsOf, isServices, releaseIP } from './service-addresses.js';
import { customFromStorage, customToStorage } from './custom-conversion.js';
import { fromStorage, toStorage } from './storage-mapping.js';
import { returnsDeletedObject } from './strategy.js';
import type { ApiObject, WriteOptions } from './types.js';

export interface DeleteResult {
  object: ApiObject;
  /** True when the object is gone; false while graceful deletion or finalizers keep it. */
  finished: boolean;
  /**
   * The HTTP status upstream answers with: 200, or 202 only when the deletion is pending AND the
   * request set orphanDependents=false (apiserver/pkg/endpoints/handlers/delete.go).
   */
  code: 200 | 202;
}

const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';
const DELETE_ATTEMPTS = 16;
/** NamespaceLifecycle: these namespaces may not be deleted. */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

interface DeleteOpts {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  orphanDependents?: boolean;
  propagationPolicy?: string;
}

function validateDeleteOptions(options: Record<string, unknown>): DeleteOpts {
  const errs: FieldError[] = [];
  const out: DeleteOpts = {};
  if (options.gracePeriodSeconds !== undefined && options.gracePeriodSeconds !== null) {
    if (typeof options.gracePeriodSeconds !== 'number' || !Number.isInteger(options.gracePeriodSeconds)) {
      errs.push({ type: 'FieldValueInvalid', field: 'gracePeriodSeconds', badValue: options.gracePeriodSeconds, detail: 'must be an integer' });
    } else out.gracePeriodSeconds = options.gracePeriodSeconds;
  }
  if (isObject(options.preconditions)) {
    const p = options.preconditions;
    out.preconditions = {
      uid: typeof p.uid === 'string' ? p.uid : undefined,
      resourceVersion: typeof p.resourceVersion === 'string' ? p.resourceVersion : undefined,
    };
  }
  if (typeof options.orphanDependents === 'boolean') out.orphanDependents = options.orphanDependents;
  if (typeof options.propagationPolicy === 'string') out.propagationPolicy = options.propagationPolicy;
  // apimachinery/pkg/apis/meta/v1/validation ValidateDeleteOptions
  if (out.orphanDependents !== undefined && out.propagationPolicy !== undefined) {
    errs.push({ type: 'FieldValueInvalid', field: 'propagationPolicy', badValue: out.propagationPolicy, detail: 'orphanDependents and deletionPropagation cannot be both set' });
  }
  if (out.propagationPolicy !== undefined && !['Foreground', 'Background', 'Orphan'].includes(out.propagationPolicy)) {
    errs.push({ type: 'FieldValueNotSupported', field: 'propagationPolicy', badValue: out.propagationPolicy, detail: 'supported values: "Foreground", "Background", "Orphan", "nil"' });
  }
  if (errs.length) throw invalid('meta.k8s.io', 'DeleteOptions', '', toStatusCauses(errs));
  return out;
}

function checkPreconditions(res: ResourceDef, name: string, obj: ApiObject, o: DeleteOpts): void {
  const p = o.preconditions;
  if (!p) return;
  const uid = metaString(obj, 'uid');
  if (p.uid && p.uid !== uid) throw conflict(res.group, res.resource, name, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${uid}`);
  const rv = metaString(obj, 'resourceVersion');
  if (p.resourceVersion && p.resourceVersion !== rv) {
    throw conflict(res.group, res.resource, name, `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${rv}`);
  }
}

/** The finalizers after applying the request's propagation policy (deletionFinalizersForGarbageCollection). */
function gcFinalizers(current: string[], o: DeleteOpts): string[] {
  let orphan: boolean;
  let foreground: boolean;
  if (o.propagationPolicy !== undefined) {
    orphan = o.propagationPolicy === 'Orphan';
    foreground = o.propagationPolicy === 'Foreground';
  } else if (o.orphanDependents !== undefined) {
    orphan = o.orphanDependents;
    foreground = false;
  } else {
    // No policy in the request: the object's existing GC finalizers stand; default is Background.
    orphan = current.includes(ORPHAN);
    foreground = !orphan && current.includes(FOREGROUND);
  }
  const out = current.filter((f) => f !== ORPHAN && f !== FOREGROUND);
  if (orphan) out.push(ORPHAN);
  if (foreground) out.push(FOREGROUND);
  return out;
}

/** Pod strategy CheckGracefulDelete: the grace period, 0 for pods that never ran anywhere. */
function podGracePeriod(pod: ApiObject, requested: number | undefined): number {
  const spec = isObject(pod.spec) ? pod.spec : {};
  let grace = requested ?? (typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30);
  // A negative grace period from a client means "as soon as possible", which upstream maps to 1.
  if (grace < 0) grace = 1;
  if (!spec.nodeName) return 0;
  const phase = isObject(pod.status) ? pod.status.phase : undefined;
  if (phase === 'Failed' || phase === 'Succeeded') return 0;
  return grace;
}

function isPods(res: ResourceDef): boolean {
  return res.group === '' && res.resource === 'pods';
}
function isNamespaces(res: ResourceDef): boolean {
  return res.group === '' && res.resource === 'namespaces';
}

function finishedBody(res: ResourceDef, obj: ApiObject): ApiObject {
  if (returnsDeletedObject(res)) return obj;
  // store.go finalizeDelete: a Status without a code, details.kind being the resource.
  const details: { name: string; group?: string; kind: string; uid: string } = { name: metaString(obj, 'name'), kind: res.resource, uid: metaString(obj, 'uid') };
  if (res.group) details.group = res.group;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

export async function deleteObject(ctx: RegistryContext, res: ResourceDef, namespace: string | undefined, name: string, options: Record<string, unknown>, opts: WriteOptions): Promise<DeleteResult> {
  const o = validateDeleteOptions(isObject(options) ? options : {});
  if (isNamespaces(res) && IMMORTAL_NAMESPACES.has(name)) throw forbidden('', 'namespaces', name, 'this namespace may not be deleted');
  const key = keyFor(ctx.store.prefix, res, namespace, name);
  const pendingCode: 200 | 202 = o.orphanDependents === false ? 202 : 200;
  for (let attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
    const kv = await ctx.store.get(key);
    if (!kv) throw notFound(res.group, res.resource, name);
    const existing = await customFromStorage(ctx, res, fromStorage(res, decodeKv(kv)));
    checkPreconditions(res, name, existing, o);
    const m = meta(existing);
    const next = structuredClone(existing);
    const nm = meta(next);
    const now = ctx.clock.now();
    let changed = false;

    // Graceful deletion (pods only): set or shorten the deletion grace period (rest.BeforeDelete).
    let grace = 0;
    if (isPods(res)) {
      grace = podGracePeriod(existing, o.gracePeriodSeconds);
      const current = typeof m.deletionGracePeriodSeconds === 'number' ? m.deletionGracePeriodSeconds : undefined;
      if (m.deletionTimestamp && current !== undefined) {
        if (o.gracePeriodSeconds === undefined || grace >= current) grace = current;
      }
      if (grace > 0 && (current === undefined || grace < current || !m.deletionTimestamp)) {
        nm.deletionTimestamp = rfc3339(now + grace * 1000);
        nm.deletionGracePeriodSeconds = grace;
        changed = true;
      } else if (grace === 0 && current !== undefined && current !== 0) {
        nm.deletionGracePeriodSeconds = 0;
        changed = true;
      }
    }

    if (isNamespaces(res)) {
      // Namespace deletion: mark Terminating; the namespace lifecycle reconciler empties it and
      // removes spec.finalizers, after which the namespace itself is deleted.
      if (!m.deletionTimestamp) {
        nm.deletionTimestamp = rfc3339(now);
        nm.deletionGracePeriodSeconds = 0;
        next.status = { ...(isObject(next.status) ? next.status : {}), phase: 'Terminating' };
        changed = true;
      }
    }

    const fins = gcFinalizers(finalizersOf(existing), o);
    if (fins.join('\u0000') !== finalizersOf(existing).join('\u0000')) {
      if (fins.length) nm.finalizers = fins;
      else delete nm.finalizers;
      changed = true;
    }
    const specFinalizers = isNamespaces(res) && isObject(next.spec) && Array.isArray(next.spec.finalizers) ? next.spec.finalizers : [];
    const pending = grace > 0 || fins.length > 0 || specFinalizers.length > 0;
    if (pending) {
      if (!nm.deletionTimestamp) {
        nm.deletionTimestamp = rfc3339(now);
        nm.deletionGracePeriodSeconds = 0;
        changed = true;
      }
      if (!changed || opts.dryRun) return { object: next, finished: false, code: pendingCode };
      try {
        const stored = await customToStorage(ctx, res, next);
        const updated = await ctx.store.update(key, encodeValue(toStorage(res, stored)), kv.modRevision);
        nm.resourceVersion = String(updated.modRevision);
        return { object: next, finished: false, code: pendingCode };
      } catch (err) {
        if (err instanceof ConflictError || err instanceof NotFoundError) continue;
        throw fromStorageError(err, res.group, res.resource, name);
      }
    }
    if (opts.dryRun) return { object: finishedBody(res, existing), finished: true, code: 200 };
    try {
      await ctx.store.delete(key, kv.modRevision);
      if (isServices(res)) for (const ip of clusterIPsOf(existing)) await releaseIP(ctx, ip);
      return { object: finishedBody(res, existing), finished: true, code: 200 };
    } catch (err) {
      if (err instanceof ConflictError) continue;
      if (err instanceof NotFoundError) throw notFound(res.group, res.resource, name);
      throw fromStorageError(err, res.group, res.resource, name);
    }
  }
  throw conflict(res.group, res.resource, name, 'the object has been modified; please apply your changes to the latest version and try again');
}
