// OpenAPI v2 (Swagger 2.0) as kube-apiserver serves it at /openapi/v2: one document for every
// group-version, derived here from the per-group-version v3 documents (the same catalog behind
// both). kubectl reads it for kinds whose v3 PATCH operation cannot tell it whether the server
// validates fields (the review kinds have no PATCH), and then validates client-side against
// its definitions (cli-runtime query_param_verifier.go, kube-openapi pkg/util/proto).
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const V3_REF = '#/components/schemas/';

/** A v3 schema in v2 terms: refs into #/definitions, $ref wrappers unwrapped, oneOf unions as their v2 type. */
export function v2Schema(s: unknown): Obj {
  if (!isObj(s)) return {};
  if (typeof s.$ref === 'string') {
    const out: Obj = { $ref: s.$ref.startsWith(V3_REF) ? `#/definitions/${s.$ref.slice(V3_REF.length)}` : s.$ref };
    if (typeof s.description === 'string') out.description = s.description;
    return out;
  }
  // `allOf: [{$ref}]` only exists in v3 to give a reference siblings; v2 puts them beside $ref.
  if (Array.isArray(s.allOf) && s.allOf.length === 1 && isObj(s.allOf[0]) && typeof s.allOf[0].$ref === 'string') {
    const { allOf: _a, ...rest } = s;
    return { ...rest, ...v2Schema(s.allOf[0]) };
  }
  const out: Obj = {};
  for (const [k, v] of Object.entries(s)) {
    switch (k) {
      case 'oneOf':
      case 'anyOf':
      case 'nullable':
        break;
      case 'properties':
        if (isObj(v)) {
          const props: Obj = {};
          for (const [name, p] of Object.entries(v)) Object.defineProperty(props, name, { value: v2Schema(p), enumerable: true, writable: true, configurable: true });
          out.properties = props;
        }
        break;
      case 'items':
      case 'not':
        out[k] = v2Schema(v);
        break;
      case 'additionalProperties':
        out[k] = typeof v === 'boolean' ? v : v2Schema(v);
        break;
      case 'allOf':
        out[k] = Array.isArray(v) ? v.map(v2Schema) : v;
        break;
      default:
        out[k] = v;
    }
  }
  // Quantity and IntOrString: v3 oneOf [string, number|integer]; v2 says string (int-or-string by format).
  if (out.type === undefined && Array.isArray(s.oneOf)) out.type = 'string';
  return out;
}

/** A v3 parameter as a v2 non-body parameter. */
function v2Parameter(p: unknown): Obj {
  if (!isObj(p)) return {};
  const { schema, ...rest } = p;
  return { ...rest, ...(isObj(schema) ? schema : {}) };
}

function firstSchema(content: unknown): unknown {
  if (!isObj(content)) return undefined;
  for (const media of Object.values(content)) if (isObj(media) && media.schema !== undefined) return media.schema;
  return undefined;
}

const VERBS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

function v2Operation(op: Obj): Obj {
  const out: Obj = {};
  if (typeof op.description === 'string') out.description = op.description;
  const body = isObj(op.requestBody) ? op.requestBody : undefined;
  if (body && isObj(body.content)) out.consumes = Object.keys(body.content);
  const produces = new Set<string>();
  const responses: Obj = {};
  for (const [code, r] of Object.entries(isObj(op.responses) ? op.responses : {})) {
    if (!isObj(r)) continue;
    const resp: Obj = { description: typeof r.description === 'string' ? r.description : '' };
    if (isObj(r.content)) for (const t of Object.keys(r.content)) produces.add(t);
    const schema = firstSchema(r.content);
    if (schema !== undefined) resp.schema = v2Schema(schema);
    responses[code] = resp;
  }
  if (produces.size) out.produces = [...produces];
  out.schemes = ['https'];
  if (Array.isArray(op.tags)) out.tags = op.tags;
  if (typeof op.operationId === 'string') out.operationId = op.operationId;
  const params = (Array.isArray(op.parameters) ? op.parameters : []).map(v2Parameter);
  if (body) params.unshift({ name: 'body', in: 'body', required: true, schema: v2Schema(firstSchema(body.content)) });
  if (params.length) out.parameters = params;
  out.responses = responses;
  if (op.deprecated === true) out.deprecated = true;
  for (const [k, v] of Object.entries(op)) if (k.startsWith('x-')) out[k] = v;
  return out;
}

/** Merges per-group-version v3 documents into one v2 document. */
export function openApiV2FromV3(docs: readonly unknown[], infoVersion: string): Obj {
  const paths: Record<string, Obj> = {};
  const definitions: Record<string, Obj> = {};
  for (const doc of docs) {
    if (!isObj(doc)) continue;
    for (const [path, item] of Object.entries(isObj(doc.paths) ? doc.paths : {})) {
      if (!isObj(item)) continue;
      const out: Obj = {};
      for (const verb of VERBS) if (isObj(item[verb])) out[verb] = v2Operation(item[verb] as Obj);
      if (Array.isArray(item.parameters) && item.parameters.length) out.parameters = item.parameters.map(v2Parameter);
      paths[path] = out;
    }
    const schemas = isObj(doc.components) && isObj(doc.components.schemas) ? doc.components.schemas : {};
    for (const [name, schema] of Object.entries(schemas)) definitions[name] = v2Schema(schema);
  }
  const sortedPaths: Obj = {};
  for (const p of Object.keys(paths).sort()) sortedPaths[p] = paths[p];
  const sortedDefinitions: Obj = {};
  for (const d of Object.keys(definitions).sort()) sortedDefinitions[d] = definitions[d];
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: infoVersion },
    paths: sortedPaths,
    definitions: sortedDefinitions,
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    security: [{ BearerToken: [] }],
  };
}
