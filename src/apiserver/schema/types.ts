// The shape of the schema catalog: one description of every built-in kind from which
// defaulting, validation, OpenAPI, strategic merge patch, apply, protobuf decoding and
// Table output are derived. `catalog.ts` builds it; everything else only reads it.

/** What a value of a field is. */
export type TypeNode =
  | { kind: 'scalar'; scalar: 'string' | 'int32' | 'int64' | 'bool' | 'float64' | 'bytes' }
  /** A struct type by its fully qualified name, e.g. 'k8s.io/api/core/v1.PodSpec'. */
  | { kind: 'struct'; ref: string }
  | { kind: 'list'; elem: TypeNode }
  /** JSON object with string keys (protobuf: repeated entries, key = 1, value = 2). */
  | { kind: 'map'; value: TypeNode }
  /**
   * Types with a hand-written wire form upstream: Time, MicroTime, Duration, Quantity,
   * IntOrString, RawExtension, apiextensions JSON and JSONSchemaProps unions.
   */
  | { kind: 'special'; ref: string };

export interface FieldDef {
  /** JSON name; '' for an inlined (embedded) struct. */
  json: string;
  type: TypeNode;
  /** Protobuf field number; 0 when the field is not in the protobuf form. */
  proto: number;
  inline?: boolean;
  optional?: boolean;
  /** Strategic merge patch: e.g. ['merge'], ['merge', 'retainKeys'], ['retainKeys']. */
  patchStrategy?: string[];
  patchMergeKey?: string;
  /** Server-side apply markers. */
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  mapType?: 'atomic' | 'granular';
  structType?: 'atomic' | 'granular';
}

export interface StructDef {
  /** Fully qualified name, e.g. 'k8s.io/api/apps/v1.Deployment'. */
  name: string;
  fields: FieldDef[];
  /** Fields by JSON name, with inlined structs' fields flattened in. */
  byJson: Map<string, FieldDef>;
}

/** One REST resource of one group-version, as discovery describes it. */
export interface ResourceDef {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural, lower case: 'deployments'. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Subresource names served: 'status', 'scale', 'binding', 'eviction', 'log', 'token', ... */
  subresources: string[];
  /** The struct type of the object, e.g. 'k8s.io/api/apps/v1.Deployment'. */
  typeRef: string;
}

export interface SchemaCatalog {
  /** Every served resource of every group-version, built-in first. */
  resources(): ResourceDef[];
  resource(group: string, version: string, resource: string): ResourceDef | undefined;
  resourceForKind(group: string, version: string, kind: string): ResourceDef | undefined;
  struct(ref: string): StructDef | undefined;
}
