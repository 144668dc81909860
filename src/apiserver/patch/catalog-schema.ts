// SchemaNode over the built-in schema catalog: a struct ref (e.g. 'k8s.io/api/apps/v1.Deployment')
// becomes the root, fields carry their patch strategy, merge key and apply markers.
import type { FieldDef, SchemaCatalog, StructDef, TypeNode } from '../schema/types.js';
import { ANY_NODE, SCALAR_NODE, type SchemaNode } from './schema-node.js';

/** Go facts the catalog adds to its fields (see schema/catalog-structs.ts WireFieldDef). */
interface WireFacts {
  omitEmpty?: boolean;
  pointer?: boolean;
}

/** Special types whose JSON is a scalar (Time, Quantity, IntOrString, ...), with their Go zero JSON. */
const SCALAR_SPECIALS: Record<string, unknown> = {
  'k8s.io/apimachinery/pkg/apis/meta/v1.Time': null,
  'k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime': null,
  'k8s.io/apimachinery/pkg/apis/meta/v1.Duration': '0s',
  'k8s.io/apimachinery/pkg/api/resource.Quantity': '0',
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString': 0,
};

/**
 * Declared defaults of list-map key fields (`+default=` markers, which kube-openapi turns into
 * OpenAPI defaults; structured-merge-diff fills a missing key from them).
 */
const KEY_DEFAULTS: Record<string, Record<string, unknown>> = {
  'k8s.io/api/core/v1.ContainerPort': { protocol: 'TCP' },
  'k8s.io/api/core/v1.ServicePort': { protocol: 'TCP' },
};

const SCALAR_ZERO: Record<string, unknown> = { string: '', int32: 0, int64: 0, float64: 0, bool: false, bytes: null };

class CatalogNode implements SchemaNode {
  readonly kind: SchemaNode['kind'];
  readonly patchStrategy: readonly string[];
  readonly patchMergeKey: string | undefined;
  readonly listType: 'atomic' | 'set' | 'map';
  readonly listMapKeys: readonly string[];
  readonly atomic: boolean;
  readonly openFields: boolean;
  private readonly struct: StructDef | undefined;
  private fields: Map<string, SchemaNode> | undefined;
  private elemNode: SchemaNode | undefined;
  private zero: { v: unknown } | undefined;

  constructor(
    private readonly catalog: SchemaCatalog,
    private readonly type: TypeNode,
    markers: FieldDef | undefined,
  ) {
    this.patchStrategy = markers?.patchStrategy ?? [];
    this.patchMergeKey = markers?.patchMergeKey;
    this.struct = type.kind === 'struct' ? catalog.struct(type.ref) : undefined;
    switch (type.kind) {
      case 'struct':
        this.kind = this.struct ? 'struct' : 'any';
        break;
      case 'map':
        this.kind = 'map';
        break;
      case 'list':
        this.kind = 'list';
        break;
      case 'scalar':
        this.kind = 'scalar';
        break;
      default:
        this.kind = type.ref in SCALAR_SPECIALS ? 'scalar' : 'any';
    }
    // kube-openapi's schema conversion: an explicit list type wins; otherwise a list with
    // patch strategy "merge" is associative (keyed by the merge key, or a set without one).
    let listType = markers?.listType;
    let keys = markers?.listMapKeys ?? [];
    if (type.kind === 'list' && !listType && this.patchStrategy.includes('merge')) {
      listType = this.patchMergeKey ? 'map' : 'set';
      keys = this.patchMergeKey ? [this.patchMergeKey] : [];
    }
    this.listType = listType ?? 'atomic';
    this.listMapKeys = this.listType === 'map' ? keys : [];
    const structAtomic = (this.struct as (StructDef & { structType?: string }) | undefined)?.structType === 'atomic';
    this.atomic = markers?.mapType === 'atomic' || markers?.structType === 'atomic' || structAtomic;
    this.openFields = this.kind === 'any' || (this.struct !== undefined && isDynamic(this.struct));
  }

  field(name: string): SchemaNode | undefined {
    if (this.kind === 'map') return this.elem();
    if (this.kind === 'any') return ANY_NODE;
    if (this.kind !== 'struct' || !this.struct) return undefined;
    this.fields ??= new Map();
    let node = this.fields.get(name);
    if (!node) {
      const def = this.struct.byJson.get(name);
      if (!def) return undefined;
      node = new CatalogNode(this.catalog, def.type, def);
      this.fields.set(name, node);
    }
    return node;
  }

  elem(): SchemaNode {
    if (!this.elemNode) {
      if (this.type.kind === 'list') this.elemNode = new CatalogNode(this.catalog, this.type.elem, undefined);
      else if (this.type.kind === 'map') this.elemNode = new CatalogNode(this.catalog, this.type.value, undefined);
      else this.elemNode = this.kind === 'scalar' ? SCALAR_NODE : ANY_NODE;
    }
    return this.elemNode;
  }

  fieldDefault(name: string): unknown {
    if (this.type.kind !== 'struct') return undefined;
    return KEY_DEFAULTS[this.type.ref]?.[name];
  }

  zeroValue(): unknown {
    if (!this.zero) this.zero = { v: this.computeZero() };
    return this.zero.v;
  }

  private computeZero(): unknown {
    const t = this.type;
    // Custom resources are unstructured upstream: their empty object has no fields.
    if (this.struct && isDynamic(this.struct)) return undefined;
    if (t.kind === 'scalar') return SCALAR_ZERO[t.scalar];
    if (t.kind === 'special') return t.ref in SCALAR_SPECIALS ? SCALAR_SPECIALS[t.ref] : null;
    if (t.kind !== 'struct' || !this.struct) return null;
    const out: Record<string, unknown> = {};
    for (const [name, def] of this.struct.byJson) {
      const wire = def as FieldDef & WireFacts;
      const goStruct = def.type.kind === 'struct' || (def.type.kind === 'special' && def.type.ref in SCALAR_SPECIALS);
      if (wire.pointer || def.type.kind === 'list' || def.type.kind === 'map' || (def.type.kind === 'special' && !goStruct)) {
        if (!wire.omitEmpty) out[name] = null;
        continue;
      }
      // encoding/json never omits a non-pointer struct, omitempty or not.
      if (wire.omitEmpty && !goStruct) continue;
      const child = this.field(name);
      if (child) out[name] = child.zeroValue();
    }
    return out;
  }
}

/**
 * A struct registered at run time for a custom resource (crd/structs.ts): no field has a
 * protobuf number and no Go facts. Such objects are unstructured, and fields their schema keeps
 * without declaring (x-kubernetes-preserve-unknown-fields) cannot be told apart, so they are
 * accepted.
 */
function isDynamic(s: StructDef): boolean {
  return s.fields.length > 0 && s.fields.every((f) => f.proto === 0);
}

/** The schema of objects of a built-in struct type, e.g. ('k8s.io/api/apps/v1.Deployment'). */
export function catalogSchema(catalog: SchemaCatalog, structRef: string): SchemaNode {
  return new CatalogNode(catalog, { kind: 'struct', ref: structRef }, undefined);
}
