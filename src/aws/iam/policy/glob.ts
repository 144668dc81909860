// Wildcard patterns of IAM: `*` any run of characters, `?` one character, and (in 2012-10-17
// policies) policy variables `${key}` / `${key, 'default'}` whose values match literally.
// ${*}, ${?} and ${$} stand for the literal characters (IAM User Guide, "IAM policy elements: Variables").

export type Lookup = (key: string) => string | undefined;

interface Token { literal: string }
type Part = Token | '*' | '?';

/** The pattern's parts after substituting variables, or undefined when a variable has no value. */
function tokenize(pattern: string, lookup: Lookup | undefined): Part[] | undefined {
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (lookup && c === '$' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i + 2);
      if (end > 0) {
        const value = resolveVariable(pattern.slice(i + 2, end), lookup);
        if (value === undefined) return undefined;
        lit += value;
        i = end;
        continue;
      }
    }
    if (c === '*' || c === '?') {
      if (lit) parts.push({ literal: lit });
      lit = '';
      parts.push(c);
    } else lit += c;
  }
  if (lit) parts.push({ literal: lit });
  return parts;
}

function resolveVariable(expr: string, lookup: Lookup): string | undefined {
  const m = /^\s*([^,]*?)\s*(?:,\s*'([^']*)'\s*)?$/.exec(expr);
  if (!m) return undefined;
  const name = m[1];
  if (name === '*' || name === '?' || name === '$') return name;
  return lookup(name) ?? m[2];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Patterns without variables compile once; the cache is bounded so odd inputs cannot grow it forever. */
const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 10_000;

export function compileGlob(pattern: string, lookup: Lookup | undefined, ignoreCase: boolean): RegExp | undefined {
  const cacheable = !lookup || !pattern.includes('${');
  const key = (ignoreCase ? 'i:' : 's:') + pattern;
  if (cacheable) {
    const hit = cache.get(key);
    if (hit) return hit;
  }
  const re = buildGlob(pattern, lookup, ignoreCase);
  if (cacheable && re) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, re);
  }
  return re;
}

function buildGlob(pattern: string, lookup: Lookup | undefined, ignoreCase: boolean): RegExp | undefined {
  const parts = tokenize(pattern, lookup);
  if (!parts) return undefined;
  const src = parts.map((p) => (p === '*' ? '.*' : p === '?' ? '.' : escape(p.literal))).join('');
  return new RegExp(`^${src}$`, ignoreCase ? 'is' : 's');
}

export function globMatch(pattern: string, value: string, lookup: Lookup | undefined, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!/[*?$]/.test(pattern)) return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  return compileGlob(pattern, lookup, ignoreCase)?.test(value) ?? false;
}

/** Substitutes variables without wildcard meaning (StringEquals values): undefined when unresolved. */
export function substitute(pattern: string, lookup: Lookup | undefined): string | undefined {
  const parts = tokenize(pattern, lookup);
  if (!parts) return undefined;
  return parts.map((p) => (typeof p === 'string' ? p : p.literal)).join('');
}

/** Splits an ARN into its six fields; the last keeps any further colons. Colons inside ${...} do not split. */
export function splitArn(arn: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < arn.length; i++) {
    const c = arn[i];
    if (c === '$' && arn[i + 1] === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    if (c === ':' && depth === 0 && out.length < 5) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** ARN matching as IAM does it: field by field, so a wildcard never spans a field's colon. */
export function arnMatch(pattern: string, arn: string, lookup: Lookup | undefined): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (p.length !== 6 || a.length !== 6) return globMatch(pattern, arn, lookup);
  return p.every((field, i) => globMatch(field, a[i], lookup));
}
