// Small helpers for defaulting plain JSON objects in place.

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object at `key`, created empty when missing (Go's non-pointer structs are always present). */
export function child(o: Obj, key: string): Obj {
  const v = o[key];
  if (isObj(v)) return v;
  const made: Obj = {};
  o[key] = made;
  return made;
}

/** The object at `key` when there is one. */
export function opt(o: Obj | undefined, key: string): Obj | undefined {
  const v = o?.[key];
  return isObj(v) ? v : undefined;
}

export function list(o: Obj | undefined, key: string): Obj[] {
  const v = o?.[key];
  return Array.isArray(v) ? v.filter(isObj) : [];
}

/** Sets `key` when it is unset (undefined or null) or, for strings, empty, like Go's zero-value checks. */
export function dflt(o: Obj, key: string, value: unknown): void {
  const v = o[key];
  if (v === undefined || v === null || v === '') o[key] = value;
}

/** Sets `key` only when absent: for pointer fields, where an explicit empty/zero value is kept. */
export function dfltPtr(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}
