// The schema facts that patching and server-side apply need, as a walker over a value's type.
// Two adapters build it: one over the built-in catalog (catalog-schema.ts), one over a CRD's
// openAPIV3Schema (crd-schema.ts). Patch and apply code reads only this interface.

/**
 * What a value is: a struct (declared fields), a map (string keys, one value schema), a list,
 * a scalar, or `any` — a value of unknown shape, treated the way structured-merge-diff treats
 * its "deduced" type: objects are granular maps of `any`, lists are atomic.
 */
export type SchemaKind = 'struct' | 'map' | 'list' | 'scalar' | 'any';

export interface SchemaNode {
  readonly kind: SchemaKind;
  /**
   * Struct: the schema of a declared field, undefined when the struct does not declare it.
   * Map: the value schema, whatever the key. Any: `any`. Others: undefined.
   */
  field(name: string): SchemaNode | undefined;
  /** List: the element schema. Others: `any`. */
  elem(): SchemaNode;
  /**
   * Strategic merge patch strategies of the field holding this value, e.g. ['merge'],
   * ['merge', 'retainKeys'], ['retainKeys']; empty when none.
   */
  readonly patchStrategy: readonly string[];
  readonly patchMergeKey: string | undefined;
  /** Server-side apply: how list items are identified ('atomic' when unspecified). */
  readonly listType: 'atomic' | 'set' | 'map';
  readonly listMapKeys: readonly string[];
  /** Server-side apply: a struct or map replaced as a whole (mapType/structType atomic). */
  readonly atomic: boolean;
  /**
   * Struct: it keeps fields it does not declare (x-kubernetes-preserve-unknown-fields), so an
   * applied configuration may set them; they are owned like map entries.
   */
  readonly openFields: boolean;
  /** Struct: the declared default of a field, used for list-map keys left out of an item. */
  fieldDefault(name: string): unknown;
  /**
   * Go's JSON form of the zero value of this type (non-pointer structs and fields without
   * omitempty), or undefined when it has none / it is not known. Field management compares a
   * created object against it, as upstream compares against `New()` of the Go type.
   */
  zeroValue(): unknown;
}

const NO_STRATEGY: readonly string[] = [];

/** A value of unknown shape. */
export const ANY_NODE: SchemaNode = {
  kind: 'any',
  field: () => ANY_NODE,
  elem: () => ANY_NODE,
  patchStrategy: NO_STRATEGY,
  patchMergeKey: undefined,
  listType: 'atomic',
  listMapKeys: [],
  atomic: false,
  openFields: true,
  fieldDefault: () => undefined,
  zeroValue: () => undefined,
};

/** A scalar with no markers. */
export const SCALAR_NODE: SchemaNode = {
  ...ANY_NODE,
  kind: 'scalar',
  field: () => undefined,
};
