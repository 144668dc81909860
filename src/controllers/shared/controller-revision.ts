// ControllerRevisions for DaemonSets and StatefulSets (pkg/controller/history): a revision holds
// the pod template as a strategic-merge "replace" patch, is named "<owner>-<hash>", labelled with
// controller-revision-hash, and numbered one above the highest existing revision.
import { isAlreadyExists } from '../../client/errors.js';
import { clone, labels, name, namespace } from '../../client/objects.js';
import type { Obj, ResourceClient } from '../../client/types.js';
import { computeHash, canonicalJson } from './hash.js';
import { controllerRef } from './owner-refs.js';

export const CONTROLLER_REVISION_HASH = 'controller-revision-hash';

/** The revision data: {"spec":{"template":{..., "$patch":"replace"}}} (getPatch upstream). */
export function revisionData(owner: Obj): Obj {
  const template = structuredClone(((owner.spec as Record<string, unknown>)?.template ?? {}) as Obj);
  template.$patch = 'replace';
  return { spec: { template } };
}

export function revisionNumber(rev: Obj): number {
  return typeof rev.revision === 'number' ? rev.revision : 0;
}

export function revisionHash(owner: Obj, collisionCount: number | undefined): string {
  return computeHash(revisionData(owner), collisionCount);
}

function sameData(a: Obj, b: Obj): boolean {
  return canonicalJson(a.data) === canonicalJson(b.data);
}

/**
 * The revision matching the owner's current template: found among `revisions` (its number raised
 * above the others if it is an old one coming back) or created. Returns it and every revision.
 */
export async function currentRevision(
  client: ResourceClient,
  owner: Obj,
  kind: string,
  revisions: Obj[],
  collisionCount: number | undefined,
): Promise<{ revision: Obj; hash: string }> {
  const data = revisionData(owner);
  const maxRev = revisions.reduce((m, r) => Math.max(m, revisionNumber(r)), 0);
  const equal = revisions.filter((r) => sameData(r, { data } as Obj)).sort((a, b) => revisionNumber(b) - revisionNumber(a));
  if (equal.length) {
    let rev = equal[0];
    if (revisionNumber(rev) < maxRev) {
      const next = clone(rev);
      next.revision = maxRev + 1;
      rev = await client.update(undefined, next);
    }
    return { revision: rev, hash: labels(rev)[CONTROLLER_REVISION_HASH] ?? name(rev).slice(name(owner).length + 1) };
  }
  const hash = revisionHash(owner, collisionCount);
  const ownerLabels = (((owner.spec as Record<string, unknown>)?.template as Obj | undefined)?.metadata as Record<string, unknown> | undefined)?.labels as Record<string, string> | undefined;
  const rev: Obj = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${name(owner)}-${hash}`,
      namespace: namespace(owner),
      labels: { ...(ownerLabels ?? {}), [CONTROLLER_REVISION_HASH]: hash },
      ownerReferences: [controllerRef(owner, 'apps/v1', kind)],
    },
    data,
    revision: maxRev + 1,
  };
  try {
    return { revision: await client.create(namespace(owner), rev), hash };
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    const existing = await client.get(namespace(owner), `${name(owner)}-${hash}`);
    if (sameData(existing, rev)) return { revision: existing, hash };
    throw e; // a hash collision: the caller bumps collisionCount
  }
}

/** Deletes the oldest revisions beyond `limit`, never one in `inUse` (hashes). */
export async function truncateHistory(client: ResourceClient, revisions: Obj[], limit: number, inUse: Set<string>): Promise<void> {
  const idle = revisions.filter((r) => !inUse.has(labels(r)[CONTROLLER_REVISION_HASH] ?? '')).sort((a, b) => revisionNumber(a) - revisionNumber(b));
  const excess = idle.length - limit;
  for (const r of idle.slice(0, Math.max(0, excess))) await client.delete(namespace(r), name(r)).catch(() => undefined);
}

/**
 * currentRevision with the owner's status.collisionCount; when the revision cannot be had (its
 * name is taken by a revision with other data), the owner's collisionCount goes up by one so the
 * next attempt hashes to another name, as the DaemonSet and StatefulSet controllers do upstream.
 */
export async function currentRevisionCountingCollisions(
  revClient: ResourceClient,
  ownerClient: ResourceClient,
  owner: Obj,
  kind: string,
  revisions: Obj[],
): Promise<{ revision: Obj; hash: string }> {
  const status = (owner.status ?? {}) as Record<string, unknown>;
  try {
    return await currentRevision(revClient, owner, kind, revisions, status.collisionCount as number | undefined);
  } catch (e) {
    await ownerClient.updateStatus(undefined, { ...owner, status: { ...status, collisionCount: Number(status.collisionCount ?? 0) + 1 } });
    throw e;
  }
}
