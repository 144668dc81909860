// JSON merge patch (RFC 7386) as kube-apiserver applies it (evanphx/json-patch MergePatch):
// null deletes a member, objects merge recursively, anything else (arrays included) replaces.
// A patch that is not an object replaces the document (with nulls pruned from it); a null patch
// is rejected.
import { badRequest } from './errors.js';
import { deepClone, hasOwn, isJsonObject, type JsonObject, setOwn } from './json-value.js';

/** Applies an RFC 7386 merge patch to a copy of doc. Throws a 400 ApiError for a null patch. */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (patch === null || patch === undefined) throw badRequest('Invalid JSON Patch');
  if (Array.isArray(patch)) return patch.map((v) => pruneNulls(deepClone(v)));
  if (!isJsonObject(patch)) return deepClone(patch);
  if (!isJsonObject(doc)) return pruneNulls(deepClone(patch));
  const out = deepClone(doc);
  mergeInto(out, patch);
  return out;
}

function mergeInto(target: JsonObject, patch: JsonObject): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete target[k];
      continue;
    }
    const cur = hasOwn(target, k) ? target[k] : undefined;
    if (isJsonObject(cur) && isJsonObject(v)) mergeInto(cur, v);
    // Replacing a member drops the patch value's nulls, except an array over an object, which
    // the library takes verbatim.
    else setOwn(target, k, Array.isArray(v) && isJsonObject(cur) ? deepClone(v) : pruneNulls(deepClone(v)));
  }
}

/** Removes null members of objects, recursively (array elements stay, their objects are pruned). */
function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) {
    v.forEach((x) => pruneNulls(x));
    return v;
  }
  if (isJsonObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else pruneNulls(v[k]);
    }
  }
  return v;
}
