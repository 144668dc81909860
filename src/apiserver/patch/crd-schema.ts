// SchemaNode over a CustomResourceDefinition version's openAPIV3Schema (a structural schema):
// x-kubernetes-list-type / -list-map-keys / -map-type / -preserve-unknown-fields /
// -int-or-string / -embedded-resource, and `default` for list-map keys. CRDs have no strategic
// merge patch metadata (upstream answers 415 to SMP on custom resources), so patchStrategy is
// always empty; server-side apply uses the markers.
import { ANY_NODE, SCALAR_NODE, type SchemaNode } from './schema-node.js';

type JsonSchema = Record<string, unknown>;

const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

class CrdNode implements SchemaNode {
  readonly kind: SchemaNode['kind'];
  readonly patchStrategy: readonly string[] = [];
  readonly patchMergeKey = undefined;
  readonly listType: 'atomic' | 'set' | 'map';
  readonly listMapKeys: readonly string[];
  readonly atomic: boolean;
  private readonly props: JsonSchema | undefined;
  private readonly extra: SchemaNode | undefined;
  private readonly preserveUnknown: boolean;
  readonly openFields: boolean;
  private readonly children = new Map<string, SchemaNode>();
  private elemNode: SchemaNode | undefined;

  constructor(
    private readonly schema: JsonSchema,
    private readonly overrides: Record<string, SchemaNode> = {},
  ) {
    const type = schema.type;
    this.preserveUnknown = schema['x-kubernetes-preserve-unknown-fields'] === true;
    this.props = isObject(schema.properties) ? schema.properties : undefined;
    if (schema['x-kubernetes-int-or-string'] === true) this.kind = 'scalar';
    else if (type === 'array') this.kind = 'list';
    else if (type === 'object' || this.props || schema['x-kubernetes-embedded-resource'] === true) {
      if (this.props || schema['x-kubernetes-embedded-resource'] === true) this.kind = 'struct';
      else if (isObject(schema.additionalProperties) || schema.additionalProperties === true) this.kind = 'map';
      else this.kind = this.preserveUnknown ? 'any' : 'struct';
    } else if (type === undefined) this.kind = this.preserveUnknown ? 'any' : 'any';
    else this.kind = 'scalar';
    if (this.kind === 'map') {
      this.extra = isObject(schema.additionalProperties) ? new CrdNode(schema.additionalProperties) : ANY_NODE;
    }
    const listType = schema['x-kubernetes-list-type'];
    this.listType = listType === 'set' || listType === 'map' ? listType : 'atomic';
    const keys = schema['x-kubernetes-list-map-keys'];
    this.listMapKeys = this.listType === 'map' && Array.isArray(keys) ? keys.map(String) : [];
    this.atomic = schema['x-kubernetes-map-type'] === 'atomic';
    this.openFields = this.preserveUnknown;
  }

  field(name: string): SchemaNode | undefined {
    if (this.kind === 'map') return this.extra;
    if (this.kind === 'any') return ANY_NODE;
    if (this.kind !== 'struct') return undefined;
    let node = this.children.get(name);
    if (node) return node;
    if (name in this.overrides) node = this.overrides[name];
    else if (this.props && isObject(this.props[name])) node = new CrdNode(this.props[name] as JsonSchema);
    else if (this.schema['x-kubernetes-embedded-resource'] === true && (name === 'apiVersion' || name === 'kind')) node = SCALAR_NODE;
    else if (this.schema['x-kubernetes-embedded-resource'] === true && name === 'metadata') node = OBJECT_META;
    else if (this.preserveUnknown) node = ANY_NODE;
    if (node) this.children.set(name, node);
    return node;
  }

  elem(): SchemaNode {
    if (!this.elemNode) this.elemNode = this.kind === 'list' && isObject(this.schema.items) ? new CrdNode(this.schema.items) : ANY_NODE;
    return this.elemNode;
  }

  fieldDefault(name: string): unknown {
    const p = this.props?.[name];
    return isObject(p) ? p.default : undefined;
  }

  zeroValue(): unknown {
    // Custom resources are unstructured: the empty object has no fields.
    return undefined;
  }
}

/** ObjectMeta's apply and patch facts (k8s.io/apimachinery meta/v1 types.go markers). */
const OBJECT_META_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    selfLink: { type: 'string' },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer' },
    creationTimestamp: { type: 'string' },
    deletionTimestamp: { type: 'string' },
    deletionGracePeriodSeconds: { type: 'integer' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    ownerReferences: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['uid'],
      items: {
        type: 'object',
        'x-kubernetes-map-type': 'atomic',
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          name: { type: 'string' },
          uid: { type: 'string' },
          controller: { type: 'boolean' },
          blockOwnerDeletion: { type: 'boolean' },
        },
      },
    },
    finalizers: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
    managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  },
};

const OBJECT_META: SchemaNode = new CrdNode(OBJECT_META_SCHEMA);

/**
 * The schema of a custom resource from its version's openAPIV3Schema. apiVersion, kind and
 * metadata are always known, whatever the schema says of them (upstream replaces metadata's
 * schema with ObjectMeta's). A missing schema gives an object of unknown shape.
 */
export function crdSchema(openAPIV3Schema: Record<string, unknown> | undefined): SchemaNode {
  const root = openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return new CrdNode({ ...root, type: 'object', properties: isObject(root.properties) ? root.properties : {} }, {
    apiVersion: SCALAR_NODE,
    kind: SCALAR_NODE,
    metadata: OBJECT_META,
  });
}
