// The admission contract (k8s.io/apiserver/pkg/admission): plugins that may change (admit) and then
// check (validate) a write before the registry stores it. The registry's write path calls
// runAdmission with the request's attributes after decoding and defaulting the body and before
// validation and storage; a plugin rejects by throwing an ApiError (usually 403 Forbidden).
import type { UserInfo } from '../registry/types.js';
import type { ResourceDef } from '../schema/types.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export type AdmissionObject = Record<string, unknown>;

export interface AdmissionAttributes {
  operation: AdmissionOperation;
  resource: ResourceDef;
  /** 'status', 'binding', 'resize', ... for writes to a subresource. */
  subresource?: string;
  namespace?: string;
  /** The object's name ('' on a create with generateName before the name is made). */
  name: string;
  /** The incoming object (CREATE, UPDATE); mutating plugins change it in place. */
  object?: AdmissionObject;
  /** The stored object (UPDATE, DELETE). */
  oldObject?: AdmissionObject;
  user: UserInfo;
  dryRun: boolean;
}

/** What plugins may read and write besides the request: a narrow view of the API's state. */
export interface AdmissionLookup {
  /** Every object of a resource in a namespace (for cluster-scoped resources, namespace undefined). */
  list(group: string, version: string, resource: string, namespace: string | undefined): Promise<AdmissionObject[]>;
  /** One object (for cluster-scoped resources, namespace undefined); undefined when it does not exist. */
  get?(group: string, version: string, resource: string, namespace: string | undefined, name: string): Promise<AdmissionObject | undefined>;
  /**
   * PUT of the status subresource with optimistic concurrency: throws a 409 Conflict ApiError when
   * obj.metadata.resourceVersion is stale. Returns the stored object.
   */
  updateStatus(group: string, version: string, resource: string, obj: AdmissionObject): Promise<AdmissionObject>;
  /** The time (the API server's Clock), in milliseconds since the epoch. */
  now(): number;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** Mutating phase: may change attrs.object. */
  admit?(attrs: AdmissionAttributes, lookup: AdmissionLookup): Promise<void>;
  /** Validating phase: may only reject. */
  validate?(attrs: AdmissionAttributes, lookup: AdmissionLookup): Promise<void>;
}

/** Every plugin's admit in order, then every plugin's validate in order (the apiserver's admission chain). */
export async function runAdmission(plugins: readonly AdmissionPlugin[], attrs: AdmissionAttributes, lookup: AdmissionLookup): Promise<void> {
  for (const p of plugins) if (p.admit) await p.admit(attrs, lookup);
  for (const p of plugins) if (p.validate) await p.validate(attrs, lookup);
}
