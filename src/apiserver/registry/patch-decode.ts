// A patch whose result does not decode into the typed object (a malformed resource.Quantity) is
// refused as upstream's patch handler refuses it (apiserver/pkg/endpoints/handlers/patch.go):
// 422 Invalid for an empty GroupKind and name, message ` "" is invalid: patch: Invalid value:
// <v>: <decode error>`. <v> is what upstream quotes: for JSON and merge patches the patched
// object's JSON as evanphx/json-patch (v4) writes it (objects it decoded get sorted keys, the
// others keep their order); for strategic merge patches the patch map printed with %+v.
import { ApiError } from '../../api/status.js';
import { firstQuantityError } from '../server/quantities.js';
import type { SchemaCatalog } from '../schema/types.js';
import type { PatchType } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's %v of a value decoded from JSON into interface{} (maps print with sorted keys). */
function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isObj(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goFormat(v[k])}`).join(' ')}]`;
  if (typeof v === 'number' && !Number.isInteger(v)) {
    const s = String(v);
    return s.replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(v);
}

/** JSON with keys sorted in objects `sorted` says were decoded, insertion order elsewhere. */
function encode(v: unknown, sorted: (path: string) => boolean, path = ''): string {
  if (Array.isArray(v)) return `[${v.map((x, i) => encode(x, sorted, `${path}/${i}`)).join(',')}]`;
  if (isObj(v)) {
    const keys = sorted(path) ? Object.keys(v).sort() : Object.keys(v);
    return `{${keys.filter((k) => v[k] !== undefined).map((k) => `${JSON.stringify(k)}:${encode(v[k], sorted, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const everything = () => true;

/** evanphx MergePatch output: merged objects and pruned patch values are re-encoded sorted. */
function mergeJson(cur: unknown, patch: Obj): string {
  const doc = isObj(cur) ? cur : {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc)) if (v !== null) out[k] = encode(v, () => false);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (isObj(doc[k]) && isObj(v)) out[k] = mergeJson(doc[k], v);
    else if (isObj(doc[k])) out[k] = encode(v, () => false);
    else out[k] = encode(pruneNulls(v), everything);
  }
  return `{${Object.keys(out).sort().map((k) => `${JSON.stringify(k)}:${out[k]}`).join(',')}}`;
}

function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pruneNulls);
  if (!isObj(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, pruneNulls(x)]));
}

/** evanphx JSON patch output: the root and the containers along each operation's paths are decoded. */
function jsonPatchJson(patched: Obj, ops: unknown): string {
  const touched = new Set<string>(['']);
  for (const op of Array.isArray(ops) ? ops : []) {
    if (!isObj(op)) continue;
    for (const p of [op.path, op.from]) {
      if (typeof p !== 'string') continue;
      const parts = p.split('/').slice(1, -1);
      for (let i = 1; i <= parts.length; i++) touched.add(`/${parts.slice(0, i).join('/')}`);
    }
  }
  return encode(patched, (path) => touched.has(path));
}

/** Go's json.Marshal escapes <, > and & (and U+2028/2029) in strings. */
const htmlEscape = (json: string) => json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The Status upstream answers when the patched object has a malformed quantity; undefined when it decodes. */
export function patchedObjectDecodeError(catalog: SchemaCatalog, typeRef: string, type: PatchType, current: Obj, patch: unknown, patched: Obj): ApiError | undefined {
  const why = firstQuantityError(catalog, typeRef, patched);
  if (!why) return undefined;
  let value: string;
  if (type === 'strategic') value = goFormat(patch);
  else if (type === 'merge' && isObj(patch)) value = htmlEscape(mergeJson(current, patch));
  else value = htmlEscape(type === 'merge' ? encode(patched, everything) : jsonPatchJson(patched, patch));
  const cause = `Invalid value: ${JSON.stringify(value)}: ${why}`;
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: ` "" is invalid: patch: ${cause}`,
    reason: 'Invalid',
    details: { causes: [{ reason: 'FieldValueInvalid', message: cause, field: 'patch' }] },
    code: 422,
  });
}
