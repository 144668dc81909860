// The CRD controllers of apiextensions-apiserver in one: naming (pkg/controller/status: accepted
// names and the NamesAccepted condition, conflicts with other CRDs of the group), establishing
// (pkg/controller/establish: Established once the resources are served), serving (registering the
// served versions in the schema catalog, so discovery and OpenAPI follow through catalog.onChange)
// and finalizing (pkg/controller/finalizer: a deleted CRD's custom objects are deleted, then its
// resources go and the cleanup finalizer is removed).
import type { Clock } from '../../util/clock.js';
import type { MutableCatalog } from '../schema/catalog.js';
import type { ResourceDef } from '../schema/types.js';
import { apiApprovalCondition } from './approval.js';
import { crdResourceDefs, crdVersion, listTypeRef, storageVersion } from './resources.js';
import { scalePaths, type ScalePaths } from './scale.js';
import { CustomResourceSchema } from './schema.js';
import { setCondition } from './strategy.js';
import { CLEANUP_FINALIZER, isPlainObject, type CustomResourceDefinition, type CustomResourceDefinitionNames, type CustomResourceDefinitionStatus } from './types.js';

export type CrdEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** What the controller needs from the API server: CRD reads and writes and custom object deletion. */
export interface CrdBackend {
  /** Delivers every existing CRD as ADDED, then each change; returns the function that stops it. */
  watchCrds(onEvent: (type: CrdEventType, crd: CustomResourceDefinition) => void): () => void;
  /** Writes a CRD's status (the status subresource); the change comes back as a MODIFIED event. */
  updateCrdStatus(name: string, status: CustomResourceDefinitionStatus): Promise<void>;
  /** Every custom object of a resource, across namespaces. */
  listObjects(res: ResourceDef): Promise<{ namespace?: string; name: string }[]>;
  deleteObject(res: ResourceDef, namespace: string | undefined, name: string): Promise<void>;
  /** Removes a finalizer from a CRD (which deletes it when it was the last one). */
  removeFinalizer(name: string, finalizer: string): Promise<void>;
}

/** The served state of one custom resource version, as the registry's write path needs it. */
export interface ServedVersion {
  crd: CustomResourceDefinition;
  resource: ResourceDef;
  schema: CustomResourceSchema;
  scale: ScalePaths | undefined;
  /** A deleted CRD's resources refuse creates until they are gone. */
  terminating: boolean;
}

/** Time between retries of a failed cleanup or status write. */
const RETRY_MS = 1000;

const rfc3339 = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const canonical = (v: unknown) => JSON.stringify(v, (_k, x) => (isPlainObject(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const gvrKey = (r: Pick<ResourceDef, 'group' | 'version' | 'resource'>) => `${r.group}/${r.version}/${r.resource}`;

export class CrdController {
  readonly name = 'crd-controller';
  private readonly crds = new Map<string, CustomResourceDefinition>();
  /** GVR keys each CRD has registered in the catalog. */
  private readonly registered = new Map<string, ResourceDef[]>();
  private readonly served = new Map<string, ServedVersion>();
  private readonly queue = new Set<string>();
  private readonly retries = new Map<string, { cancel(): void }>();
  private running: Promise<void> | undefined;
  private stopWatch: (() => void) | undefined;
  private stopped = false;
  /** The last status this controller wrote per CRD (to recognise the echo of its own writes). */
  private readonly written = new Map<string, string>();
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly backend: CrdBackend,
    private readonly catalog: MutableCatalog,
    private readonly clock: Clock,
  ) {}

  start(): void {
    this.stopped = false;
    this.stopWatch = this.backend.watchCrds((type, crd) => this.onEvent(type, crd));
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
    this.stopWatch = undefined;
    for (const t of this.retries.values()) t.cancel();
    this.retries.clear();
  }

  /** The served custom resource version behind a catalog resource, if it is one. */
  servedVersion(res: Pick<ResourceDef, 'group' | 'version' | 'resource'>): ServedVersion | undefined {
    return this.served.get(gvrKey(res));
  }

  /** Resolves once every queued reconcile has finished (for tests and orderly shutdown). */
  idle(): Promise<void> {
    if (!this.running && this.queue.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private onEvent(type: CrdEventType, crd: CustomResourceDefinition): void {
    const name = str(crd.metadata?.name);
    if (!name) return;
    // Our own status writes come back as MODIFIED events; they need no reconcile (a failed
    // cleanup is retried by timer instead of looping on its own status updates).
    const prev = this.crds.get(name);
    const echo = type === 'MODIFIED' && prev !== undefined && this.written.get(name) === canonical(crd.status ?? {}) && canonical(withoutStatus(prev)) === canonical(withoutStatus(crd));
    if (type === 'DELETED') {
      // Keep the last state: the reconcile of a vanished CRD still has to clean up after it.
      this.crds.set(name, { ...crd, metadata: { ...crd.metadata, deletionTimestamp: crd.metadata?.deletionTimestamp ?? rfc3339(this.clock.now()) }, _gone: true } as CustomResourceDefinition);
    } else {
      this.crds.set(name, crd);
    }
    if (!echo) this.enqueue(name);
  }

  private async writeStatus(name: string, status: CustomResourceDefinitionStatus): Promise<void> {
    this.written.set(name, canonical(status));
    await this.backend.updateCrdStatus(name, status);
  }

  private enqueue(name: string): void {
    this.queue.add(name);
    if (!this.running) this.running = this.drain();
  }

  private async drain(): Promise<void> {
    while (this.queue.size > 0 && !this.stopped) {
      const name = this.queue.values().next().value as string;
      this.queue.delete(name);
      try {
        await this.reconcile(name);
      } catch {
        this.retryLater(name);
      }
    }
    this.running = undefined;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private retryLater(name: string): void {
    if (this.stopped || this.retries.has(name)) return;
    this.retries.set(name, this.clock.setTimer(RETRY_MS, () => {
      this.retries.delete(name);
      if (this.crds.has(name)) this.enqueue(name);
    }));
  }

  /** Brings one CRD's served resources and status in line with its spec. */
  async reconcile(name: string): Promise<void> {
    const crd = this.crds.get(name);
    if (!crd) return;
    const gone = (crd as { _gone?: boolean })._gone === true;
    if (gone || crd.metadata?.deletionTimestamp) {
      await this.finalize(name, crd, gone);
      return;
    }
    const status = this.desiredStatus(name, crd);
    const established = status.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
    const accepted = status.conditions?.some((c) => c.type === 'NamesAccepted' && c.status === 'True') ?? false;
    if (accepted || established) this.serve(name, { ...crd, status });
    if (canonical(status) !== canonical(crd.status ?? {})) {
      await this.writeStatus(name, status);
      // The MODIFIED event carries the new status; until it arrives (and unless a newer version of
      // the CRD came in meanwhile), name conflicts are checked against what was written.
      if (this.crds.get(name) === crd) this.crds.set(name, { ...crd, status });
    }
  }

  /** Accepted names, NamesAccepted and Established (calculateNamesAndConditions + establishing). */
  private desiredStatus(name: string, crd: CustomResourceDefinition): CustomResourceDefinitionStatus {
    const now = rfc3339(this.clock.now());
    const status: CustomResourceDefinitionStatus = structuredClone(isPlainObject(crd.status) ? crd.status : {});
    const names: CustomResourceDefinitionNames = isPlainObject(crd.spec?.names) ? crd.spec.names : {};
    const conflict = this.nameConflict(name, crd, names);
    if (conflict) {
      setCondition(status, { type: 'NamesAccepted', status: 'False', reason: conflict.reason, message: conflict.message }, now);
    } else {
      status.acceptedNames = acceptedNamesOf(names);
      setCondition(status, { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }, now);
    }
    const wasEstablished = status.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
    if (!wasEstablished) {
      if (conflict) setCondition(status, { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' }, now);
      else setCondition(status, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }, now);
    }
    const approval = apiApprovalCondition(crd);
    if (approval) setCondition(status, approval, now);
    const sv = storageVersion(crd);
    const stored = Array.isArray(status.storedVersions) ? status.storedVersions : (status.storedVersions = []);
    if (sv && !stored.includes(sv)) stored.push(sv);
    return status;
  }

  /** Names of the group already accepted by another CRD (naming_controller.go). */
  private nameConflict(name: string, crd: CustomResourceDefinition, names: CustomResourceDefinitionNames): { reason: string; message: string } | undefined {
    const group = str(crd.spec?.group);
    const plurals = new Set<string>();
    const singulars = new Set<string>();
    const shorts = new Set<string>();
    const kinds = new Set<string>();
    const listKinds = new Set<string>();
    for (const [other, o] of this.crds) {
      if (other === name || str(o.spec?.group) !== group || (o as { _gone?: boolean })._gone) continue;
      const an = o.status?.acceptedNames;
      if (!an || typeof an !== 'object') continue;
      if (an.plural) plurals.add(an.plural);
      if (an.singular) singulars.add(an.singular);
      for (const s of Array.isArray(an.shortNames) ? an.shortNames : []) shorts.add(s);
      if (an.kind) kinds.add(an.kind);
      if (an.listKind) listKinds.add(an.listKind);
    }
    const plural = str(names.plural);
    const singular = str(names.singular);
    if (plurals.has(plural) || singulars.has(plural)) return { reason: 'PluralConflict', message: `"${plural}" is already in use` };
    if (plurals.has(singular) || singulars.has(singular)) return { reason: 'SingularConflict', message: `"${singular}" is already in use` };
    for (const s of Array.isArray(names.shortNames) ? names.shortNames : []) {
      if (shorts.has(s) || plurals.has(s) || singulars.has(s)) return { reason: 'ShortNamesConflict', message: `"${s}" is already in use` };
    }
    const kind = str(names.kind);
    const listKind = str(names.listKind);
    if (kinds.has(kind) || listKinds.has(kind)) return { reason: 'KindConflict', message: `"${kind}" is already in use` };
    if (kinds.has(listKind) || listKinds.has(listKind)) return { reason: 'ListKindConflict', message: `"${listKind}" is already in use` };
    return undefined;
  }

  /** Registers the served versions (and drops versions no longer served). */
  private serve(name: string, crd: CustomResourceDefinition): void {
    const defs = crdResourceDefs(crd);
    const previous = new Map((this.registered.get(name) ?? []).map((d) => [gvrKey(d), d]));
    const before = this.lastServed.get(name);
    const keep = new Set(defs.map(gvrKey));
    for (const [key, old] of previous) {
      if (keep.has(key)) continue;
      this.served.delete(key);
      this.catalog.removeResource(old.group, old.version, old.resource);
    }
    const ours: ResourceDef[] = [];
    for (const def of defs) {
      const key = gvrKey(def);
      // A resource already served by a built-in or by another CRD is not taken over.
      if (!previous.has(key) && this.catalog.resource(def.group, def.version, def.resource)) continue;
      const v = crdVersion(crd, def.version);
      const schema = new CustomResourceSchema(v?.schema?.openAPIV3Schema, { namespaced: def.namespaced });
      this.served.set(key, { crd, resource: def, schema, scale: scalePaths(v?.subresources?.scale), terminating: false });
      ours.push(def);
      const unchanged = previous.has(key) && before !== undefined && canonical(previous.get(key)) === canonical(def) && canonical(crdVersion(before, def.version)?.schema ?? null) === canonical(v?.schema ?? null);
      if (!unchanged) this.catalog.addResource(def, schema.toStructs(def.typeRef, listTypeRef(def)));
    }
    this.registered.set(name, ours);
    this.lastServed.set(name, crd);
  }

  private readonly lastServed = new Map<string, CustomResourceDefinition>();

  private unserve(name: string): void {
    for (const def of this.registered.get(name) ?? []) {
      this.served.delete(gvrKey(def));
      if (this.catalog.resource(def.group, def.version, def.resource) && !this.catalog.isBuiltin(def.group, def.version, def.resource)) {
        this.catalog.removeResource(def.group, def.version, def.resource);
      }
    }
    this.registered.delete(name);
    this.lastServed.delete(name);
  }

  /** crd_finalizer.go: Terminating, delete every custom object, stop serving, remove the finalizer. */
  private async finalize(name: string, crd: CustomResourceDefinition, gone: boolean): Promise<void> {
    const now = () => rfc3339(this.clock.now());
    const hasFinalizer = Array.isArray(crd.metadata?.finalizers) && crd.metadata.finalizers.includes(CLEANUP_FINALIZER);
    if (!gone && !hasFinalizer) return;
    for (const def of this.registered.get(name) ?? []) {
      const sv = this.served.get(gvrKey(def));
      if (sv) sv.terminating = true;
    }
    const status: CustomResourceDefinitionStatus = structuredClone(isPlainObject(crd.status) ? crd.status : {});
    if (!gone) {
      setCondition(status, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' }, now());
      await this.writeStatus(name, status);
    }
    const failure = await this.deleteInstances(name, crd);
    if (failure) {
      if (!gone) {
        setCondition(status, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionFailed', message: failure }, now());
        await this.writeStatus(name, status);
      }
      throw new Error(failure);
    }
    this.unserve(name);
    if (gone) {
      this.crds.delete(name);
      return;
    }
    setCondition(status, { type: 'Terminating', status: 'False', reason: 'InstanceDeletionCompleted', message: 'removed all instances' }, now());
    await this.writeStatus(name, status);
    await this.backend.removeFinalizer(name, CLEANUP_FINALIZER);
  }

  /** Deletes every object of every served version's resource (they share one storage); returns a failure message. */
  private async deleteInstances(name: string, crd: CustomResourceDefinition): Promise<string | undefined> {
    const defs = this.registered.get(name) ?? crdResourceDefs(crd);
    const def = defs.find((d) => d.version === storageVersion(crd)) ?? defs[0];
    if (!def) return undefined;
    let items: { namespace?: string; name: string }[];
    try {
      items = await this.backend.listObjects(def);
    } catch (err) {
      return `could not list instances: ${(err as Error).message}`;
    }
    const errors: string[] = [];
    for (const item of items) {
      try {
        await this.backend.deleteObject(def, item.namespace, item.name);
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    if (errors.length) return `could not issue all deletes: ${errors.join(', ')}`;
    try {
      const left = await this.backend.listObjects(def);
      if (left.length) return `could not confirm zero CustomResources remaining: ${left.length} remaining`;
    } catch (err) {
      return `could not confirm zero CustomResources remaining: ${(err as Error).message}`;
    }
    return undefined;
  }
}

function withoutStatus(crd: CustomResourceDefinition): unknown {
  const m: Record<string, unknown> = { ...(crd.metadata ?? {}) };
  delete m.resourceVersion;
  delete m.managedFields;
  return { spec: crd.spec, metadata: m };
}

function acceptedNamesOf(n: CustomResourceDefinitionNames): CustomResourceDefinitionNames {
  const out: CustomResourceDefinitionNames = { plural: str(n.plural), kind: str(n.kind) };
  if (n.singular) out.singular = n.singular;
  if (Array.isArray(n.shortNames) && n.shortNames.length) out.shortNames = [...n.shortNames];
  if (n.listKind) out.listKind = n.listKind;
  if (Array.isArray(n.categories) && n.categories.length) out.categories = [...n.categories];
  return out;
}

