// components.schemas of a group-version document: the catalog's structs in upstream's
// OpenAPI v3 form (kube-openapi's builder): properties with inlined structs flattened,
// `required` for fields that are neither optional nor omitempty, $ref for named types, the
// patch/list/map extensions, x-kubernetes-group-version-kind on kinds.
import type { WireFieldDef } from '../schema/catalog-structs.js';
import type { FieldDef, SchemaCatalog, TypeNode } from '../schema/types.js';
import { schemaName } from './names.js';

type Schema = Record<string, unknown>;
export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const META = 'k8s.io/apimachinery/pkg/apis/meta/v1';
const EXT = 'k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1';
export const PATCH_REF = `${META}.Patch`;

/** The hand-written OpenAPI of the special types, as upstream's OpenAPIDefinition/OpenAPIV3OneOfTypes give it. */
const SPECIAL_SCHEMAS: Record<string, Schema> = {
  [`${META}.Time`]: { type: 'string', format: 'date-time' },
  [`${META}.MicroTime`]: { type: 'string', format: 'date-time' },
  [`${META}.Duration`]: { type: 'string' },
  [`${META}.FieldsV1`]: { type: 'object' },
  'k8s.io/apimachinery/pkg/api/resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString': { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
  'k8s.io/apimachinery/pkg/runtime.RawExtension': { type: 'object' },
  // Any JSON value.
  [`${EXT}.JSON`]: {},
  [`${EXT}.JSONSchemaPropsOrArray`]: {},
  [`${EXT}.JSONSchemaPropsOrBool`]: {},
  [`${EXT}.JSONSchemaPropsOrStringArray`]: {},
  // Patch is a struct{} standing for any patch document.
  [PATCH_REF]: { type: 'object' },
};

function refTo(ref: string): Schema {
  return { $ref: `#/components/schemas/${schemaName(ref)}` };
}

/** Builds the schemas reachable from a set of roots. */
export class ComponentsBuilder {
  private readonly schemas = new Map<string, Schema>();
  private readonly pending: string[] = [];
  private readonly queued = new Set<string>();

  constructor(
    private readonly catalog: SchemaCatalog,
    /** GVKs to stamp on struct schemas, by struct ref. */
    private readonly gvks: Map<string, Gvk[]>,
  ) {}

  /** Registers a type (and everything it reaches); returns a $ref schema for it. */
  ref(ref: string): Schema {
    if (!this.queued.has(ref)) {
      this.queued.add(ref);
      this.pending.push(ref);
    }
    return refTo(ref);
  }

  private typeSchema(t: TypeNode): Schema {
    switch (t.kind) {
      case 'scalar':
        switch (t.scalar) {
          case 'string':
            return { type: 'string' };
          case 'bytes':
            return { type: 'string', format: 'byte' };
          case 'int32':
            return { type: 'integer', format: 'int32' };
          case 'int64':
            return { type: 'integer', format: 'int64' };
          case 'bool':
            return { type: 'boolean' };
          case 'float64':
            return { type: 'number', format: 'double' };
        }
        break;
      case 'list':
        return { type: 'array', items: this.typeSchema(t.elem) };
      case 'map':
        return { type: 'object', additionalProperties: this.typeSchema(t.value) };
      case 'struct':
        return this.ref(t.ref);
      case 'special':
        // Go's interface{} (Table cells) is not a named type.
        if (t.ref === 'interface{}') return { type: 'object' };
        return this.ref(t.ref);
    }
    return {};
  }

  private fieldSchema(f: FieldDef): Schema {
    const base = this.typeSchema(f.type);
    const ext: Schema = {};
    if (f.listMapKeys) ext['x-kubernetes-list-map-keys'] = [...f.listMapKeys];
    if (f.listType) ext['x-kubernetes-list-type'] = f.listType;
    if (f.mapType) ext['x-kubernetes-map-type'] = f.mapType;
    if (f.patchMergeKey) ext['x-kubernetes-patch-merge-key'] = f.patchMergeKey;
    if (f.patchStrategy && f.patchStrategy.length > 0) ext['x-kubernetes-patch-strategy'] = f.patchStrategy.join(',');
    if (Object.keys(ext).length === 0) return base;
    // OpenAPI 3.0 ignores siblings of $ref, so a referenced type with extensions is wrapped.
    if ('$ref' in base) return { allOf: [base], ...ext };
    return { ...base, ...ext };
  }

  private structSchema(ref: string): Schema {
    const special = SPECIAL_SCHEMAS[ref];
    if (special) return structuredClone(special);
    const s = this.catalog.struct(ref);
    const gvks = this.gvks.get(ref);
    const out: Schema = { type: 'object' };
    if (!s) {
      // A dynamic kind registered without a structural schema: anything goes.
      out['x-kubernetes-preserve-unknown-fields'] = true;
    } else {
      const properties: Record<string, Schema> = {};
      const required: string[] = [];
      // defineProperty: a field named "__proto__" (possible in a CRD) stays a property.
      for (const name of [...s.byJson.keys()].sort()) {
        Object.defineProperty(properties, name, { value: this.fieldSchema(s.byJson.get(name)!), enumerable: true, writable: true, configurable: true });
      }
      for (const [name, f] of s.byJson) {
        const wf = f as WireFieldDef;
        if (!wf.optional && !wf.omitEmpty) required.push(name);
      }
      if (Object.keys(properties).length > 0) out.properties = properties;
      if (required.length > 0) out.required = required;
      const structType = (s as { structType?: string }).structType;
      if (structType === 'atomic') out['x-kubernetes-map-type'] = 'atomic';
    }
    if (gvks && gvks.length > 0) out['x-kubernetes-group-version-kind'] = gvks.map((g) => ({ group: g.group, kind: g.kind, version: g.version }));
    return out;
  }

  /** Every registered schema and what it reaches, by upstream name, sorted. */
  build(): Record<string, Schema> {
    while (this.pending.length > 0) {
      const ref = this.pending.pop()!;
      this.schemas.set(ref, this.structSchema(ref));
    }
    const out: Record<string, Schema> = {};
    for (const ref of [...this.schemas.keys()].sort((a, b) => (schemaName(a) < schemaName(b) ? -1 : 1))) out[schemaName(ref)] = this.schemas.get(ref)!;
    return out;
  }
}
