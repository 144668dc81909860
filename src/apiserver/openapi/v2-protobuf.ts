// The protobuf form of an OpenAPI v2 document: gnostic's openapi.v2.Document
// (github.com/google/gnostic-models openapiv2/OpenAPIv2.proto), which is the only form client-go
// asks /openapi/v2 for (Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf).
// Values without a typed field (vendor extensions, defaults, enum members) travel as YAML text in
// Any.yaml, as gnostic writes them.
import protobuf from 'protobufjs';
import { stringify as yamlStringify } from 'yaml';

type Obj = Record<string, unknown>;
type Writer = protobuf.Writer;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const LEN = 2;

function str(w: Writer, no: number, v: unknown): void {
  if (typeof v === 'string' && v !== '') w.uint32((no << 3) | LEN).string(v);
}
function strs(w: Writer, no: number, v: unknown): void {
  if (Array.isArray(v)) for (const s of v) if (typeof s === 'string') w.uint32((no << 3) | LEN).string(s);
}
function bool(w: Writer, no: number, v: unknown): void {
  if (v === true) w.uint32(no << 3).bool(true);
}
function double(w: Writer, no: number, v: unknown): void {
  if (typeof v === 'number' && v !== 0) w.uint32((no << 3) | 1).double(v);
}
function int64(w: Writer, no: number, v: unknown): void {
  if (typeof v === 'number' && v !== 0) w.uint32(no << 3).int64(v);
}
function msg(w: Writer, no: number, encode: (w: Writer) => void): void {
  const inner = protobuf.Writer.create();
  encode(inner);
  w.uint32((no << 3) | LEN).bytes(inner.finish());
}

/** Any{yaml}: gnostic keeps free-form values as their YAML text. */
function any(w: Writer, no: number, v: unknown): void {
  msg(w, no, (a) => str(a, 2, yamlStringify(v)));
}

/** NamedAny entries of every x- key. */
function vendorExtensions(w: Writer, no: number, o: Obj): void {
  for (const [k, v] of Object.entries(o)) {
    if (!k.startsWith('x-')) continue;
    msg(w, no, (e) => {
      str(e, 1, k);
      any(e, 2, v);
    });
  }
}

export function encodeSchema(w: Writer, s: Obj): void {
  str(w, 1, s.$ref);
  str(w, 2, s.format);
  str(w, 3, s.title);
  str(w, 4, s.description);
  if (s.default !== undefined) any(w, 5, s.default);
  double(w, 6, s.multipleOf);
  double(w, 7, s.maximum);
  bool(w, 8, s.exclusiveMaximum);
  double(w, 9, s.minimum);
  bool(w, 10, s.exclusiveMinimum);
  int64(w, 11, s.maxLength);
  int64(w, 12, s.minLength);
  str(w, 13, s.pattern);
  int64(w, 14, s.maxItems);
  int64(w, 15, s.minItems);
  bool(w, 16, s.uniqueItems);
  int64(w, 17, s.maxProperties);
  int64(w, 18, s.minProperties);
  strs(w, 19, s.required);
  if (Array.isArray(s.enum)) for (const e of s.enum) any(w, 20, e);
  if (typeof s.additionalProperties === 'boolean') msg(w, 21, (a) => a.uint32((2 << 3) | 0).bool(s.additionalProperties as boolean));
  else if (isObj(s.additionalProperties)) msg(w, 21, (a) => msg(a, 1, (x) => encodeSchema(x, s.additionalProperties as Obj)));
  if (typeof s.type === 'string') msg(w, 22, (t) => str(t, 1, s.type));
  else if (Array.isArray(s.type)) msg(w, 22, (t) => strs(t, 1, s.type));
  if (isObj(s.items)) msg(w, 23, (i) => msg(i, 1, (x) => encodeSchema(x, s.items as Obj)));
  if (Array.isArray(s.allOf)) for (const a of s.allOf) if (isObj(a)) msg(w, 24, (x) => encodeSchema(x, a));
  if (isObj(s.properties)) {
    const props = s.properties;
    msg(w, 25, (p) => {
      for (const [name, v] of Object.entries(props)) {
        if (!isObj(v)) continue;
        msg(p, 1, (n) => {
          str(n, 1, name);
          msg(n, 2, (x) => encodeSchema(x, v));
        });
      }
    });
  }
  bool(w, 27, s.readOnly);
  vendorExtensions(w, 31, s);
}

/** ParametersItem{parameter: Parameter{body_parameter | non_body_parameter{query | path}}}. */
function encodeParameter(w: Writer, p: Obj): void {
  msg(w, 1, (param) => {
    if (p.in === 'body') {
      msg(param, 1, (b) => {
        str(b, 1, p.description);
        str(b, 2, p.name);
        str(b, 3, p.in);
        bool(b, 4, p.required);
        if (isObj(p.schema)) msg(b, 5, (x) => encodeSchema(x, p.schema as Obj));
        vendorExtensions(b, 6, p);
      });
      return;
    }
    msg(param, 2, (nb) => {
      // QueryParameterSubSchema (3) and PathParameterSubSchema (4) differ in their numbering after `name`.
      const path = p.in === 'path';
      msg(nb, path ? 4 : 3, (q) => {
        bool(q, 1, p.required);
        str(q, 2, p.in);
        str(q, 3, p.description);
        str(q, 4, p.name);
        if (!path) bool(q, 5, p.allowEmptyValue);
        str(q, path ? 5 : 6, p.type);
        str(q, path ? 6 : 7, p.format);
        bool(q, path ? 19 : 20, p.uniqueItems);
        vendorExtensions(q, path ? 22 : 23, p);
      });
    });
  });
}

function encodeOperation(w: Writer, op: Obj): void {
  strs(w, 1, op.tags);
  str(w, 2, op.summary);
  str(w, 3, op.description);
  str(w, 5, op.operationId);
  strs(w, 6, op.produces);
  strs(w, 7, op.consumes);
  if (Array.isArray(op.parameters)) for (const p of op.parameters) if (isObj(p)) msg(w, 8, (x) => encodeParameter(x, p));
  if (isObj(op.responses)) {
    const responses = op.responses;
    msg(w, 9, (rs) => {
      for (const [code, r] of Object.entries(responses)) {
        if (!isObj(r)) continue;
        msg(rs, 1, (named) => {
          str(named, 1, code);
          msg(named, 2, (value) =>
            msg(value, 1, (resp) => {
              str(resp, 1, r.description);
              if (isObj(r.schema)) msg(resp, 2, (item) => msg(item, 1, (x) => encodeSchema(x, r.schema as Obj)));
            }),
          );
        });
      }
    });
  }
  strs(w, 10, op.schemes);
  bool(w, 11, op.deprecated);
  vendorExtensions(w, 13, op);
}

const PATH_VERBS: [string, number][] = [['get', 2], ['put', 3], ['post', 4], ['delete', 5], ['options', 6], ['head', 7], ['patch', 8]];

/** The gnostic Document of a v2 JSON document. */
export function encodeOpenApiV2(doc: Obj): Buffer {
  const w = protobuf.Writer.create();
  str(w, 1, doc.swagger);
  if (isObj(doc.info)) {
    const info = doc.info;
    msg(w, 2, (i) => {
      str(i, 1, info.title);
      str(i, 2, info.version);
      str(i, 3, info.description);
    });
  }
  if (isObj(doc.paths)) {
    const paths = doc.paths;
    msg(w, 8, (ps) => {
      for (const [path, item] of Object.entries(paths)) {
        if (!isObj(item)) continue;
        msg(ps, 2, (named) => {
          str(named, 1, path);
          msg(named, 2, (pi) => {
            for (const [verb, no] of PATH_VERBS) if (isObj(item[verb])) msg(pi, no, (x) => encodeOperation(x, item[verb] as Obj));
            if (Array.isArray(item.parameters)) for (const p of item.parameters) if (isObj(p)) msg(pi, 9, (x) => encodeParameter(x, p));
            vendorExtensions(pi, 10, item);
          });
        });
      }
    });
  }
  if (isObj(doc.definitions)) {
    const definitions = doc.definitions;
    msg(w, 9, (ds) => {
      for (const [name, schema] of Object.entries(definitions)) {
        if (!isObj(schema)) continue;
        msg(ds, 1, (named) => {
          str(named, 1, name);
          msg(named, 2, (x) => encodeSchema(x, schema));
        });
      }
    });
  }
  if (Array.isArray(doc.security)) {
    for (const req of doc.security) {
      if (!isObj(req)) continue;
      msg(w, 12, (sr) => {
        for (const [name, scopes] of Object.entries(req)) {
          msg(sr, 1, (named) => {
            str(named, 1, name);
            msg(named, 2, (arr) => strs(arr, 1, scopes));
          });
        }
      });
    }
  }
  if (isObj(doc.securityDefinitions)) {
    const defs = doc.securityDefinitions;
    msg(w, 13, (sd) => {
      for (const [name, def] of Object.entries(defs)) {
        if (!isObj(def) || def.type !== 'apiKey') continue;
        msg(sd, 1, (named) => {
          str(named, 1, name);
          // SecurityDefinitionsItem.api_key_security = 2: ApiKeySecurity{type, name, in, description}.
          msg(named, 2, (item) =>
            msg(item, 2, (k) => {
              str(k, 1, def.type);
              str(k, 2, def.name);
              str(k, 3, def.in);
              str(k, 4, def.description);
            }),
          );
        });
      }
    });
  }
  return Buffer.from(w.finish());
}
