// Path elements of structured-merge-diff (sigs.k8s.io/structured-merge-diff fieldpath): a
// struct or map field, a list item by its keys, a set item by its value, or a list index. Their
// serialized form is the key of a FieldsV1 object: `f:name`, `k:{"name":"web"}`, `v:"x"`, `i:0`.

export type PathElement =
  | { readonly t: 'f'; readonly name: string }
  /** Key fields sorted by name. */
  | { readonly t: 'k'; readonly key: readonly (readonly [string, unknown])[] }
  | { readonly t: 'v'; readonly value: unknown }
  | { readonly t: 'i'; readonly index: number };

export type Path = readonly PathElement[];

export const fieldPE = (name: string): PathElement => ({ t: 'f', name });

export function keyPE(fields: Iterable<readonly [string, unknown]>): PathElement {
  const key = [...fields].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { t: 'k', key };
}

/**
 * encoding/json's output for a value, which the serialized keys use: object keys sorted, and
 * <, >, &, U+2028, U+2029 escaped.
 */
export function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${goJsonString(k)}:${goJson(o[k])}`)
      .join(',')}}`;
  }
  if (typeof v === 'string') return goJsonString(v);
  return JSON.stringify(v ?? null);
}

const HTML_UNSAFE = /[<>&\u2028\u2029]/;

function goJsonString(s: string): string {
  const j = JSON.stringify(s);
  if (!HTML_UNSAFE.test(j)) return j;
  return j.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const serialized = new WeakMap<PathElement, string>();

/** The FieldsV1 key of a path element (also its identity in sets). */
export function serializePE(pe: PathElement): string {
  if (pe.t === 'f') return `f:${pe.name}`;
  let s = serialized.get(pe);
  if (s === undefined) {
    s = computeSerialized(pe);
    serialized.set(pe, s);
  }
  return s;
}

function computeSerialized(pe: PathElement): string {
  switch (pe.t) {
    case 'f':
      return `f:${pe.name}`;
    case 'k':
      return `k:{${pe.key.map(([k, v]) => `${goJsonString(k)}:${goJson(v)}`).join(',')}}`;
    case 'v':
      return `v:${goJson(pe.value)}`;
    case 'i':
      return `i:${pe.index}`;
  }
}

export class FieldsV1Error extends Error {}

/** Parses a FieldsV1 key; undefined for an unknown element type (which upstream skips). */
export function deserializePE(s: string): PathElement | undefined {
  if (s.length < 2) throw new FieldsV1Error('key must be 2 characters long:');
  if (s[1] !== ':') throw new FieldsV1Error(`missing colon: ${s}`);
  const body = s.slice(2);
  switch (s[0]) {
    case 'f':
      return { t: 'f', name: body };
    case 'v':
      return { t: 'v', value: parseJson(body) };
    case 'k': {
      const o = parseJson(body);
      if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new FieldsV1Error(`invalid key: ${s}`);
      return keyPE(Object.entries(o as Record<string, unknown>));
    }
    case 'i': {
      if (!/^-?\d+$/.test(body)) throw new FieldsV1Error(`strconv.Atoi: parsing ${JSON.stringify(body)}: invalid syntax`);
      return { t: 'i', index: Number(body) };
    }
    default:
      return undefined;
  }
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch (e) {
    throw new FieldsV1Error((e as Error).message);
  }
}

const TYPE_RANK = { f: 0, k: 1, v: 2, i: 3 } as const;

/** fieldpath PathElement.Compare: fields < keys < values < indexes. */
export function comparePE(a: PathElement, b: PathElement): number {
  if (a.t !== b.t) return TYPE_RANK[a.t] - TYPE_RANK[b.t];
  switch (a.t) {
    case 'f':
      return cmpStr(a.name, (b as typeof a).name);
    case 'k': {
      const bk = (b as typeof a).key;
      for (let i = 0; ; i++) {
        if (i >= a.key.length && i >= bk.length) return 0;
        if (i >= a.key.length) return -1;
        if (i >= bk.length) return 1;
        const [an, av] = a.key[i] as readonly [string, unknown];
        const [bn, bv] = bk[i] as readonly [string, unknown];
        const c = cmpStr(an, bn) || compareValues(av, bv);
        if (c) return c;
      }
    }
    case 'v':
      return compareValues(a.value, (b as typeof a).value);
    case 'i':
      return Math.sign(a.index - (b as typeof a).index);
  }
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function valueRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === 'object') return 4;
  return 5;
}

/** value.Compare: numbers < strings < booleans < lists < maps < null. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return Math.sign((a as number) - (b as number));
    case 1:
      return cmpStr(a as string, b as string);
    case 2:
      return a === b ? 0 : a ? 1 : -1;
    case 3: {
      const la = a as unknown[];
      const lb = b as unknown[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i]);
        if (c) return c;
      }
      return Math.sign(la.length - lb.length);
    }
    case 4: {
      const ka = Object.keys(a as object).sort();
      const kb = Object.keys(b as object).sort();
      for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
        const c = cmpStr(ka[i] as string, kb[i] as string) || compareValues((a as Record<string, unknown>)[ka[i] as string], (b as Record<string, unknown>)[kb[i] as string]);
        if (c) return c;
      }
      return Math.sign(ka.length - kb.length);
    }
    default:
      return 0;
  }
}

/** value.ToString, used in conflict messages: strings quoted, lists [a,b], maps {k=v;...}. */
function valueString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(',')}]`;
  if (typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${k}=${valueString((v as Record<string, unknown>)[k])}`)
      .join(';')}}`;
  }
  return String(v);
}

/** PathElement.String: `.name`, `[name="web"]`, `[="x"]`, `[0]`. */
export function peString(pe: PathElement): string {
  switch (pe.t) {
    case 'f':
      return `.${pe.name}`;
    case 'k':
      return `[${pe.key.map(([k, v]) => `${k}=${valueString(v)}`).join(',')}]`;
    case 'v':
      return `[=${valueString(pe.value)}]`;
    case 'i':
      return `[${pe.index}]`;
  }
}

/** Path.String: `.spec.template.spec.containers[name="web"].image`. */
export function pathString(path: Path): string {
  return path.map(peString).join('');
}
