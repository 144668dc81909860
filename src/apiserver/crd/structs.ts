// A structural schema as catalog StructDefs, so OpenAPI, kubectl explain, server-side apply and
// merge patch see a custom resource's fields the way they see built-in kinds. Objects with
// properties become structs named after their path below the kind (`…/v1.CronTab.spec`),
// additionalProperties maps, free-form values (x-kubernetes-preserve-unknown-fields without
// properties, and objects that preserve unknown fields) apiextensions' JSON type,
// x-kubernetes-int-or-string IntOrString.
import type { FieldDef, StructDef, TypeNode } from '../schema/types.js';
import type { SchemaNode } from './node.js';

const META = 'k8s.io/apimachinery/pkg/apis/meta/v1';
const JSON_REF = 'k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1.JSON';
const INT_OR_STRING = 'k8s.io/apimachinery/pkg/util/intstr.IntOrString';

const str: TypeNode = { kind: 'scalar', scalar: 'string' };

class StructBuilder {
  readonly out: StructDef[] = [];

  typeOf(node: SchemaNode | undefined, name: string): TypeNode {
    if (!node) return { kind: 'special', ref: JSON_REF };
    if (node.intOrString) return { kind: 'special', ref: INT_OR_STRING };
    switch (node.type) {
      case 'string':
        return node.format === 'byte' ? { kind: 'scalar', scalar: 'bytes' } : str;
      case 'integer':
        return { kind: 'scalar', scalar: node.format === 'int32' ? 'int32' : 'int64' };
      case 'number':
        return { kind: 'scalar', scalar: 'float64' };
      case 'boolean':
        return { kind: 'scalar', scalar: 'bool' };
      case 'array':
        return { kind: 'list', elem: this.typeOf(node.items, name) };
      default:
        break;
    }
    // A struct keeps only its declared fields wherever the catalog prunes, so objects that also
    // preserve unknown fields stay free-form.
    if (node.preserveUnknown) return { kind: 'special', ref: JSON_REF };
    if (node.properties || node.embedded) return { kind: 'struct', ref: this.struct(node, name, node.embedded) };
    if (node.additional && node.type === 'object') return { kind: 'map', value: this.typeOf(node.additional, name) };
    return { kind: 'special', ref: JSON_REF };
  }

  field(json: string, node: SchemaNode, required: boolean, name: string): FieldDef {
    const f: FieldDef = { json, type: this.typeOf(node, name), proto: 0 };
    if (!required) f.optional = true;
    if (node.type === 'array') {
      if (node.listType) f.listType = node.listType;
      if (node.listType === 'map' && node.listMapKeys.length) f.listMapKeys = [...node.listMapKeys];
    }
    if (node.mapType) {
      if (f.type.kind === 'struct') f.structType = node.mapType;
      else f.mapType = node.mapType;
    }
    return f;
  }

  /** Registers the struct of an object node; returns its name. */
  struct(node: SchemaNode, name: string, resource: boolean): string {
    const fields: FieldDef[] = [];
    const required = new Set(node.required);
    if (resource) {
      fields.push({ json: 'apiVersion', type: str, proto: 0, optional: true });
      fields.push({ json: 'kind', type: str, proto: 0, optional: true });
      fields.push({ json: 'metadata', type: { kind: 'struct', ref: `${META}.ObjectMeta` }, proto: 0, optional: true });
    }
    for (const [k, child] of node.properties ?? []) {
      if (resource && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
      fields.push(this.field(k, child, required.has(k), `${name}.${k}`));
    }
    this.out.push({ name, fields, byJson: new Map() });
    return name;
  }
}

/**
 * The structs of one custom resource version: the kind (`typeRef`), every nested object, and the
 * list kind (`listRef`).
 */
export function schemaStructs(root: SchemaNode, typeRef: string, listRef: string): StructDef[] {
  // A root that preserves unknown fields registers no struct: the catalog then treats the kind as
  // schemaless (OpenAPI: an object with x-kubernetes-preserve-unknown-fields).
  if (root.preserveUnknown) return [];
  const b = new StructBuilder();
  b.struct(root, typeRef, true);
  b.out.push({
    name: listRef,
    fields: [
      { json: 'apiVersion', type: str, proto: 0, optional: true },
      { json: 'kind', type: str, proto: 0, optional: true },
      { json: 'metadata', type: { kind: 'struct', ref: `${META}.ListMeta` }, proto: 0, optional: true },
      { json: 'items', type: { kind: 'list', elem: { kind: 'struct', ref: typeRef } }, proto: 0 },
    ],
    byJson: new Map(),
  });
  return b.out;
}
