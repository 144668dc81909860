// Controller references (metav1.NewControllerRef) and the adopt/release rules of
// controller.ControllerRefManager: an owner claims the orphans its selector matches and releases
// the pods it owns that no longer match.
import { isConflict, isNotFound } from '../../client/errors.js';
import { clone, controllerOf, deletionTimestamp, labels, metadata, namespace, ownerReferences, uid } from '../../client/objects.js';
import type { OwnerReference } from '../../client/objects.js';
import type { Obj, ResourceClient } from '../../client/types.js';
import { matchesLabels } from '../../util/label-selector.js';
import type { LabelSelector } from '../../util/label-selector.js';
import { name } from '../../client/objects.js';

export function controllerRef(owner: Obj, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: name(owner), uid: uid(owner), controller: true, blockOwnerDeletion: true };
}

export interface ClaimTarget {
  owner: Obj;
  apiVersion: string;
  kind: string;
  selector: LabelSelector;
  /** The client of the dependents' resource. */
  client: ResourceClient;
  /** Re-reads the owner from the server (canAdopt: the owner must still exist, same uid, not deleting). */
  fresh(): Promise<Obj | undefined>;
}

/**
 * ClaimObjects: which of `candidates` belong to the owner after adopting matching orphans and
 * releasing owned objects that stopped matching. Failures to adopt or release skip that object.
 */
export async function claim(t: ClaimTarget, candidates: Obj[]): Promise<Obj[]> {
  const ownerUid = uid(t.owner);
  const ownerDeleting = deletionTimestamp(t.owner) !== undefined;
  const out: Obj[] = [];
  let canAdopt: boolean | undefined;
  for (const obj of candidates) {
    const ref = controllerOf(obj);
    const matches = matchesLabels(t.selector, labels(obj));
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (matches || ownerDeleting) {
        out.push(obj);
        continue;
      }
      if (deletionTimestamp(obj) !== undefined) continue;
      await release(t, obj).catch(ignoreGoneOrConflict);
      continue;
    }
    if (!matches || ownerDeleting || deletionTimestamp(obj) !== undefined) continue;
    if (canAdopt === undefined) {
      const f = await t.fresh();
      canAdopt = f !== undefined && uid(f) === ownerUid && deletionTimestamp(f) === undefined;
    }
    if (!canAdopt) continue;
    try {
      out.push(await adopt(t, obj));
    } catch (err) {
      ignoreGoneOrConflict(err);
    }
  }
  return out;
}

function ignoreGoneOrConflict(err: unknown): void {
  if (isNotFound(err) || isConflict(err)) return;
  throw err;
}

async function adopt(t: ClaimTarget, obj: Obj): Promise<Obj> {
  const next = clone(obj);
  const m = next.metadata as Record<string, unknown>;
  m.ownerReferences = [...ownerReferences(obj), controllerRef(t.owner, t.apiVersion, t.kind)];
  return t.client.update(undefined, next);
}

async function release(t: ClaimTarget, obj: Obj): Promise<void> {
  const next = clone(obj);
  const m = next.metadata as Record<string, unknown>;
  const refs = ownerReferences(obj).filter((r) => r.uid !== uid(t.owner));
  if (refs.length) m.ownerReferences = refs;
  else delete m.ownerReferences;
  await t.client.update(undefined, next);
}

/** The metadata of a fresh object: only what a template carries over. */
export function templateMeta(template: Obj): { labels: Record<string, string>; annotations: Record<string, string>; finalizers?: string[] } {
  const m = metadata(template);
  const out: { labels: Record<string, string>; annotations: Record<string, string>; finalizers?: string[] } = {
    labels: { ...((m.labels as Record<string, string>) ?? {}) },
    annotations: { ...((m.annotations as Record<string, string>) ?? {}) },
  };
  if (Array.isArray(m.finalizers) && m.finalizers.length) out.finalizers = [...(m.finalizers as string[])];
  return out;
}

/**
 * controller.GetPodFromTemplate: a pod for `owner` from its template, named by generateName
 * "<owner>-" unless `podName` is given.
 */
export function podFromTemplate(template: Obj, owner: Obj, ref: OwnerReference, podName?: string): Obj {
  const tm = templateMeta(template);
  const meta: Record<string, unknown> = { labels: tm.labels, ownerReferences: [ref] };
  if (Object.keys(tm.annotations).length) meta.annotations = tm.annotations;
  if (tm.finalizers) meta.finalizers = tm.finalizers;
  if (podName) meta.name = podName;
  else meta.generateName = `${name(owner)}-`;
  const spec = structuredClone((template.spec as Record<string, unknown>) ?? {});
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec };
}

/** The "namespace/name" key of the object's controller, when that controller is a `kind`. */
export function controllerKey(obj: Obj, kind: string): string | undefined {
  const ref = controllerOf(obj);
  return ref?.kind === kind ? `${namespace(obj)}/${ref.name}` : undefined;
}
