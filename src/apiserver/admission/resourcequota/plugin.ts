// ResourceQuota admission (plugin/pkg/admission/resourcequota, quota controller.go checkRequest):
// a namespaced write that charges quota is checked against every quota of its namespace whose
// status.hard names a resource it charges (and whose scopes take it):
// - a pod missing cpu/memory requests or limits a quota tracks: 403 "failed quota: <quota>: must
//   specify ...";
// - a quota whose status does not yet show usage for those resources: 403 "status unknown for
//   quota: <quota>, resources: ...";
// - usage + the request above hard: 403 "exceeded quota: <quota>, requested: ..., used: ...,
//   limited: ...".
// On success the new usage is written to each quota's status at once (optimistic concurrency,
// retried on conflicts), so two quick creations cannot both pass; the quota controller later
// replaces it with the measured value. Updates charge only what they add. Dry runs check only.
import { ApiError, forbidden, internalError } from '../../../api/status.js';
import type { AdmissionAttributes, AdmissionLookup, AdmissionObject, AdmissionPlugin } from '../types.js';
import type { GroupResource, ResourceList } from '../../../util/quota-usage.js';
import {
  add,
  chargedOn,
  exceeded,
  formatResourceList,
  isZero,
  mask,
  matchesResource,
  matchesScopes,
  parseResourceList,
  podConstraintError,
  prettyPrint,
  quotaScopes,
  scopeAllowsResource,
  subtractNonNegative,
  usageOf,
} from '../../../util/quota-usage.js';

const ATTEMPTS = 5;

function meta(obj: AdmissionObject): Record<string, unknown> {
  return (obj.metadata ?? {}) as Record<string, unknown>;
}

export class ResourceQuotaAdmission implements AdmissionPlugin {
  readonly name = 'ResourceQuota';
  /** Checks of one namespace run one at a time in this process (upstream batches them per namespace). */
  private readonly locks = new Map<string, Promise<void>>();

  async validate(attrs: AdmissionAttributes, lookup: AdmissionLookup): Promise<void> {
    const ns = attrs.namespace;
    if (!ns || !attrs.resource.namespaced || !attrs.object) return;
    const gr: GroupResource = { group: attrs.resource.group, resource: attrs.resource.resource };
    if (!chargedOn(gr, attrs.operation, attrs.subresource)) return;
    const previous = this.locks.get(ns) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const chained = previous.then(() => mine);
    this.locks.set(ns, chained);
    await previous;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.check(attrs, gr, ns, lookup);
          return;
        } catch (err) {
          if (err instanceof ApiError && err.code === 409 && attempt < ATTEMPTS) continue;
          if (err instanceof ApiError && err.code === 409) throw internalError(`resource quota evaluation timed out`);
          throw err;
        }
      }
    } finally {
      release();
      if (this.locks.get(ns) === chained) this.locks.delete(ns);
    }
  }

  private async check(attrs: AdmissionAttributes, gr: GroupResource, ns: string, lookup: AdmissionLookup): Promise<void> {
    const quotas = await lookup.list('', 'v1', 'resourcequotas', ns);
    if (quotas.length === 0) return;
    const obj = attrs.object!;
    const now = lookup.now();
    const deny = (why: string) => forbidden(attrs.resource.group, attrs.resource.resource, attrs.name, why);
    const interesting: { quota: AdmissionObject; hard: ResourceList; used: ResourceList }[] = [];
    for (const quota of [...quotas].sort((a, b) => String(meta(a).name).localeCompare(String(meta(b).name)))) {
      const scopes = quotaScopes(quota);
      if (!matchesScopes(gr, obj, scopes)) continue;
      const status = (quota.status ?? {}) as Record<string, unknown>;
      const hard = parseResourceList(status.hard);
      const restricted = [...hard.keys()].filter((n) => matchesResource(gr, n) && scopeAllowsResource(scopes, n)).sort();
      if (restricted.length === 0) continue;
      const quotaName = String(meta(quota).name ?? '');
      if (gr.group === '' && gr.resource === 'pods') {
        const err = podConstraintError(obj, restricted);
        if (err) throw deny(`failed quota: ${quotaName}: ${err}`);
      }
      const used = parseResourceList(status.used);
      if (restricted.some((r) => !used.has(r))) throw deny(`status unknown for quota: ${quotaName}, resources: ${restricted.join(',')}`);
      interesting.push({ quota, hard: mask(hard, restricted), used });
    }
    if (interesting.length === 0) return;
    let delta = usageOf(gr, obj, now);
    if (attrs.operation === 'UPDATE' && attrs.oldObject) {
      delta = subtractNonNegative(delta, usageOf(gr, attrs.oldObject, now));
      if (isZero(delta)) return;
    }
    const updates: { quota: AdmissionObject; used: ResourceList }[] = [];
    for (const { quota, hard, used } of interesting) {
      const requested = mask(delta, hard.keys());
      const newUsage = add(used, requested);
      const over = exceeded(mask(newUsage, requested.keys()), hard);
      if (over.length) {
        throw deny(`exceeded quota: ${String(meta(quota).name)}, requested: ${prettyPrint(mask(requested, over))}, used: ${prettyPrint(mask(used, over))}, limited: ${prettyPrint(mask(hard, over))}`);
      }
      if (!isZero(requested)) updates.push({ quota, used: newUsage });
    }
    if (attrs.dryRun) return;
    for (const { quota, used } of updates) {
      const status = (quota.status ?? {}) as Record<string, unknown>;
      const body = { ...structuredClone(quota), status: { ...structuredClone(status), used: formatResourceList(used) } };
      await lookup.updateStatus('', 'v1', 'resourcequotas', body);
    }
  }
}
