// Decoding request bodies (JSON, YAML, protobuf) into objects of the kind an endpoint takes, with
// upstream's errors (k8s.io/apiserver/pkg/endpoints/handlers/rest.go transformDecodeError): every
// failure is a 400 BadRequest and nothing reaches the registry.
import { parseAllDocuments } from 'yaml';
import { badRequest, type ApiError } from '../../api/status.js';
import { goJsonSyntaxError } from './go-json-error.js';

export interface ExpectedKind {
  group: string;
  version: string;
  kind: string;
}

/** Decodes a protobuf body (`k8s\0` + runtime.Unknown) into apiVersion, kind and the JSON-form object. */
export type ProtobufDecoder = (body: Buffer) => { apiVersion: string; kind: string; object: Record<string, unknown> };

export type ObjectFormat = 'json' | 'yaml' | 'protobuf';

const FIND_KIND_TYPE = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/** upstream summarizeData: the first 30 bytes as text for JSON-looking data, else as hex. */
function summarize(body: Buffer, max = 30): string {
  if (body.length === 0) return '<empty>';
  if (body[0] === 0x7b) return body.length > max ? `${body.subarray(0, max).toString()} ...` : body.toString();
  return body.length > max ? `${body.subarray(0, max).toString('hex')} ...` : body.toString('hex');
}

function unrecognized(expected: ExpectedKind, why: string, body: Buffer): ApiError {
  return badRequest(`the object provided is unrecognized (must be of type ${expected.kind}): ${why} (${summarize(body)})`);
}

function goTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Go's internal package of a group, as named in conversion errors: "core", "apps", "rbac", ... */
function internalPackage(group: string): string {
  return group === '' ? 'core' : group.split('.')[0];
}

function parseJson(body: Buffer, expected: ExpectedKind): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    const why = goJsonSyntaxError(text) ?? 'unexpected end of JSON input';
    throw unrecognized(expected, `couldn't get version/kind; json parse error: ${why}`, body);
  }
}

function parseYaml(body: Buffer, expected: ExpectedKind): unknown {
  const docs = parseAllDocuments(body.toString('utf8'), { uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const first = list[0];
  const problem = first?.errors[0];
  if (problem) {
    const line = problem.linePos?.[0]?.line;
    const text = problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw unrecognized(expected, `error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${text}`, body);
  }
  return first ? first.toJSON() : null;
}

/**
 * The object of a create/update body, with apiVersion and kind filled in from the endpoint when the
 * body leaves them out. Throws 400 BadRequest in upstream's words for anything else.
 */
export function decodeObject(body: Buffer, format: ObjectFormat, expected: ExpectedKind, protobuf?: ProtobufDecoder): Record<string, unknown> {
  let obj: unknown;
  if (format === 'protobuf') {
    if (!protobuf) throw badRequest('protobuf request bodies are not supported by this server');
    try {
      const decoded = protobuf(body);
      obj = { ...decoded.object, apiVersion: decoded.apiVersion, kind: decoded.kind };
    } catch (err) {
      if (err && typeof err === 'object' && 'status' in err) throw err;
      throw unrecognized(expected, err instanceof Error ? err.message : String(err), body);
    }
  } else {
    obj = format === 'json' ? parseJson(body, expected) : parseYaml(body, expected);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    const why = format === 'yaml' && obj === null ? "Object 'Kind' is missing in 'null'" : `couldn't get version/kind; json parse error: json: cannot unmarshal ${goTypeName(obj)} into Go value of type ${FIND_KIND_TYPE}`;
    throw unrecognized(expected, why, body);
  }
  const record = obj as Record<string, unknown>;
  for (const field of ['apiVersion', 'kind'] as const) {
    if (record[field] !== undefined && typeof record[field] !== 'string') {
      throw unrecognized(expected, `couldn't get version/kind; json parse error: json: cannot unmarshal ${goTypeName(record[field])} into Go struct field .${field} of type string`, body);
    }
  }
  const apiVersion = (record['apiVersion'] as string | undefined) || (expected.group ? `${expected.group}/${expected.version}` : expected.version);
  const kind = (record['kind'] as string | undefined) || expected.kind;
  const gv = splitApiVersion(apiVersion);
  if (kind !== expected.kind || gv.group !== expected.group) {
    // The body names another kind: upstream decodes it, then fails to convert it into the endpoint's type.
    throw badRequest(
      `${kind} in version ${JSON.stringify(gv.version)} cannot be handled as a ${expected.kind}: converting (${gv.version}.${kind}) to (${internalPackage(expected.group)}.${expected.kind}): unknown conversion`,
    );
  }
  if (gv.version !== expected.version) {
    const want = expected.group ? `${expected.group}/${expected.version}` : expected.version;
    throw badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${want})`);
  }
  record['apiVersion'] = apiVersion;
  record['kind'] = kind;
  return record;
}

/** Parses a patch body: JSON for json/merge/strategic patches, YAML (or JSON) for apply patches. */
export function decodePatch(body: Buffer, type: 'json-patch' | 'merge-patch' | 'strategic-merge-patch' | 'apply-patch'): unknown {
  const text = body.toString('utf8');
  if (type === 'apply-patch') {
    const docs = parseAllDocuments(text, { uniqueKeys: true });
    const list = Array.isArray(docs) ? docs : [docs];
    const problem = list[0]?.errors[0];
    if (problem) throw badRequest(`error decoding YAML: ${problem.message.split('\n')[0]}`);
    const value = list[0]?.toJSON();
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badRequest('error decoding YAML: the body is not a YAML object');
    return value;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(goJsonSyntaxError(text) ?? 'unexpected end of JSON input');
  }
}

/**
 * Decodes an options body (DeleteOptions), which every group-version registers, so any apiVersion is
 * taken; the kind must be `kind` or absent.
 */
export function decodeOptions(body: Buffer, format: ObjectFormat, kind: string, protobuf?: ProtobufDecoder): Record<string, unknown> {
  const expected: ExpectedKind = { group: 'meta.k8s.io', version: 'v1', kind };
  let obj: unknown;
  if (format === 'protobuf') {
    if (!protobuf) throw badRequest('protobuf request bodies are not supported by this server');
    try {
      obj = protobuf(body).object;
    } catch (err) {
      throw badRequest(err instanceof Error ? err.message : String(err));
    }
  } else {
    obj = format === 'json' ? parseJson(body, expected) : parseYaml(body, expected);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest(`decoded object cannot be converted to ${kind}`);
  const record = obj as Record<string, unknown>;
  if (record['kind'] !== undefined && record['kind'] !== '' && record['kind'] !== kind) throw badRequest(`decoded object cannot be converted to ${kind}`);
  return record;
}
