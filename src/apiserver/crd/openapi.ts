// The OpenAPI v3 schemas apiextensions-apiserver publishes for a CRD version
// (pkg/controller/openapi/builder: the structural schema with its descriptions, value validations
// and x-kubernetes extensions, apiVersion/kind/metadata added to the kind and to embedded
// resources, and the list kind), for an OpenAPI document to use in place of the schemas derived
// from catalog structs, which carry no descriptions or value validations.
import { crdVersion, servedNames } from './resources.js';
import { isPlainObject, type CustomResourceDefinition, type JSONSchemaProps } from './types.js';

type Schema = Record<string, unknown>;

const OBJECT_META = '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const LIST_META = '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';

// swaggerMetadataDescriptions and TypeMeta's field descriptions.
const API_VERSION_DOC = 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DOC = 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const OBJECT_META_DOC = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
const LIST_META_DOC = 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

/** Deep copy of a schema node, with apiVersion/kind/metadata filled in for resources. */
function publish(s: JSONSchemaProps, resource: boolean): Schema {
  const out: Schema = {};
  for (const k of Object.keys(s)) {
    const v = (s as Record<string, unknown>)[k];
    if (k === 'properties' && isPlainObject(v)) {
      const props: Schema = {};
      for (const p of Object.keys(v)) {
        if (resource && p === 'metadata') continue;
        Object.defineProperty(props, p, { value: isPlainObject(v[p]) ? publish(v[p] as JSONSchemaProps, false) : v[p], enumerable: true, writable: true, configurable: true });
      }
      out.properties = props;
    } else if ((k === 'items' || k === 'additionalProperties' || k === 'not') && isPlainObject(v)) {
      out[k] = publish(v as JSONSchemaProps, false);
    } else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) {
      out[k] = v.map((x) => (isPlainObject(x) ? publish(x as JSONSchemaProps, false) : x));
    } else {
      out[k] = structuredClone(v);
    }
  }
  if (resource || s['x-kubernetes-embedded-resource'] === true) {
    const props = isPlainObject(out.properties) ? out.properties : (out.properties = {});
    if (!isPlainObject(props.apiVersion)) props.apiVersion = { type: 'string', description: API_VERSION_DOC };
    if (!isPlainObject(props.kind)) props.kind = { type: 'string', description: KIND_DOC };
    props.metadata = { allOf: [{ $ref: OBJECT_META }], description: OBJECT_META_DOC };
    out.type = 'object';
  }
  return out;
}

export interface CrdOpenAPISchemas {
  /** Component name (e.g. com.example.stable.v1.CronTab) to schema. */
  [name: string]: Schema;
}

/** The kind's and list kind's component schemas of one served version, by OpenAPI component name. */
export function crdOpenAPIV3Schemas(crd: CustomResourceDefinition, version: string): CrdOpenAPISchemas {
  const v = crdVersion(crd, version);
  const group = String(crd.spec?.group ?? '');
  const names = servedNames(crd);
  const kind = String(names.kind ?? '');
  const listKind = String(names.listKind || `${kind}List`);
  const prefix = `${group.split('.').reverse().join('.')}.${version}`;
  const raw = isPlainObject(v?.schema?.openAPIV3Schema) ? (v!.schema!.openAPIV3Schema as JSONSchemaProps) : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const kindSchema = publish(raw, true);
  kindSchema['x-kubernetes-group-version-kind'] = [{ group, kind, version }];
  const listSchema: Schema = {
    description: `${listKind} is a list of ${kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: API_VERSION_DOC },
      items: { type: 'array', description: `List of ${names.plural ?? ''}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`, items: { $ref: `#/components/schemas/${prefix}.${kind}` } },
      kind: { type: 'string', description: KIND_DOC },
      metadata: { allOf: [{ $ref: LIST_META }], description: LIST_META_DOC },
    },
    'x-kubernetes-group-version-kind': [{ group, kind: listKind, version }],
  };
  return { [`${prefix}.${kind}`]: kindSchema, [`${prefix}.${listKind}`]: listSchema };
}
