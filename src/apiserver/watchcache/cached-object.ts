// One object as the watch cache holds it: parsed once, frozen, with its JSON text kept.
import type { KeyValue } from '../../storage/types.js';
import { cachedJson, decodeKv, decodeValue, deepFreeze, rememberJson } from './codec.js';
import type { ApiObject } from './codec.js';

export interface CachedObject {
  key: string;
  /** The object's resourceVersion as a number (the key's mod revision). */
  rv: number;
  /** Deep-frozen; shared by every reader. */
  object: Readonly<ApiObject>;
  /** JSON.stringify(object), computed once, on first use. */
  readonly json: string;
}

function seal(key: string, rv: number, obj: ApiObject): CachedObject {
  deepFreeze(obj);
  // The text is made when a reader first needs it (a JSON list, get or watch).
  rememberJson(obj);
  return {
    key,
    rv,
    object: obj,
    get json() {
      return cachedJson(obj) as string;
    },
  };
}

export function cachedFromKv(kv: KeyValue): CachedObject {
  return seal(kv.key, kv.modRevision, decodeKv(kv));
}

/** The same object stamped with another resourceVersion (deletion events carry the delete's RV). */
export function cachedWithRv(c: CachedObject, rv: number): CachedObject {
  if (c.rv === rv) return c;
  return seal(c.key, rv, decodeValue(c.json, rv));
}
