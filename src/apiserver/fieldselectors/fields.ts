// The field selector grammar of k8s.io/apimachinery/pkg/fields (selector.go): comma-separated
// terms `field=value`, `field==value`, `field!=value`; `\`, `,` and `=` in values are escaped with `\`.

export interface FieldRequirement {
  field: string;
  operator: '=' | '==' | '!=';
  value: string;
}

export class FieldSelectorError extends Error {
  override name = 'FieldSelectorError';
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

/** Splits on commas that are not escaped. */
function splitTerms(s: string): string[] {
  if (s.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < s.length; i++) {
    if (escaped) escaped = false;
    else if (s[i] === '\\') escaped = true;
    else if (s[i] === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), operator: op, value: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function unescapeValue(s: string): string {
  if (!/[\\=,]/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\') {
      const next = s[i + 1];
      if (next === '\\' || next === ',' || next === '=') {
        out += next;
        i++;
        continue;
      }
      throw new FieldSelectorError(`invalid field selector: invalid escape sequence: ${s.slice(i, i + 2)}`);
    }
    if (ch === ',' || ch === '=') throw new FieldSelectorError(`invalid field selector: unescaped character: ${ch}`);
    out += ch;
  }
  return out;
}

/** fields.ParseSelector. Terms come back sorted, as upstream sorts them. */
export function parseFieldSelector(s: string): FieldRequirement[] {
  const parts = splitTerms(s).sort();
  const out: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const term = splitTerm(part);
    if (!term) throw new FieldSelectorError(`invalid selector: '${s}'; can't understand '${part}'`);
    out.push({ ...term, value: unescapeValue(term.value) });
  }
  return out;
}

/** True when every requirement holds; a field missing from `fields` counts as the empty string. */
export function matchesFieldSelector(reqs: FieldRequirement[], fields: Record<string, string>): boolean {
  return reqs.every((r) => {
    const v = fields[r.field] ?? '';
    return r.operator === '!=' ? v !== r.value : v === r.value;
  });
}

/** Selector.String(): the terms with values escaped again. */
export function fieldSelectorString(reqs: FieldRequirement[]): string {
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');
  return reqs.map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${esc(r.value)}`).join(',');
}
