// cel-go's optional syntax (parser.EnableOptionalSyntax, on for Kubernetes rules) as a source
// rewrite before @bufbuild/cel's parser, which does not read it: `a.?b` becomes
// `a.kumoOptSelect__("b")`, `a[?k]` becomes `a.kumoOptIndex__(k)`, an optional list element
// `[?x]` becomes `[kumoOptElement__(x)]` and an optional map entry `{?k: v}` becomes
// `{kumoOptEntry__(k): v}`; cel-optional-ast.ts turns those calls into the evaluator's helpers.
// A `?` is the optional marker exactly where the grammar allows it: after `.` or `[` (member
// access), or at the start of a list element or map key; elsewhere it is the conditional
// operator. String, bytes and raw literals and comments are left untouched. `map` tells, for each
// offset of the rewritten text, the offset in the original.

export const MARKERS = { select: 'kumoOptSelect__', index: 'kumoOptIndex__', element: 'kumoOptElement__', entry: 'kumoOptEntry__' } as const;

interface Token {
  kind: 'ident' | 'number' | 'string' | 'punct';
  text: string;
  start: number;
  end: number;
}

const NUMBER = /(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)[uU]?/y;
const IDENT = /[_a-zA-Z][_a-zA-Z0-9]*/y;
const STRING_PREFIX = /(?:[rR][bB]?|[bB][rR]?)?(?:"""|'''|"|')/y;
const PUNCT = /==|!=|<=|>=|&&|\|\||[-+*/%!<>?:.,()[\]{}]/y;

function stringEnd(src: string, at: number, raw: boolean, quote: string): number {
  let i = at;
  while (i < src.length) {
    if (!raw && src[i] === '\\') {
      i += 2;
      continue;
    }
    if (src.startsWith(quote, i)) return i + quote.length;
    if (quote.length === 1 && src[i] === '\n') return i;
    i++;
  }
  return src.length;
}

/** CEL tokens without whitespace and comments; an unknown character is a one-character token. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const at = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    return re.exec(src)?.[0];
  };
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (src.startsWith('//', i)) {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? src.length : nl;
      continue;
    }
    const str = at(STRING_PREFIX);
    if (str) {
      const quote = str.replace(/^[rRbB]+/, '');
      const end = stringEnd(src, i + str.length, /[rR]/.test(str.slice(0, str.length - quote.length)), quote);
      out.push({ kind: 'string', text: src.slice(i, end), start: i, end });
      i = end;
      continue;
    }
    if (c === '`') {
      const close = src.indexOf('`', i + 1);
      const end = close < 0 ? src.length : close + 1;
      out.push({ kind: 'ident', text: src.slice(i, end), start: i, end });
      i = end;
      continue;
    }
    const ident = at(IDENT);
    const number = ident ? undefined : at(NUMBER);
    const m = ident ?? number ?? at(PUNCT) ?? c;
    out.push({ kind: ident ? 'ident' : number ? 'number' : 'punct', text: m, start: i, end: i + m.length });
    i += m.length;
  }
  return out;
}

/** Whether a token ends an operand, so that a following `[` indexes it. */
function endsOperand(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.kind === 'ident') return t.text !== 'in';
  if (t.kind === 'number' || t.kind === 'string') return true;
  return t.text === ')' || t.text === ']' || t.text === '}';
}

interface Edit {
  start: number;
  end: number;
  text: string;
  /** The original offset inserted text stands for. */
  origin: number;
}

export interface Rewritten {
  text: string;
  /** Original offset of every offset of `text` (one more entry for its end). */
  map: number[];
  /** Whether any optional syntax was found. */
  changed: boolean;
}

/** The index of the token closing the bracket opened at `open`, or of the `stop` token at depth 0. */
function closing(tokens: Token[], open: number, stops: string[]): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!.text;
    if (tokens[i]!.kind !== 'punct') continue;
    if (depth === 0 && stops.includes(t)) return i;
    if (t === '(' || t === '[' || t === '{') depth++;
    else if (t === ')' || t === ']' || t === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function apply(src: string, edits: Edit[]): Rewritten {
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  let text = '';
  const map: number[] = [];
  let pos = 0;
  for (const e of edits) {
    for (; pos < e.start; pos++) {
      text += src[pos];
      map.push(pos);
    }
    text += e.text;
    for (let k = 0; k < e.text.length; k++) map.push(e.origin);
    pos = Math.max(pos, e.end);
  }
  for (; pos < src.length; pos++) {
    text += src[pos];
    map.push(pos);
  }
  map.push(src.length);
  return { text, map, changed: edits.length > 0 };
}

/** Rewrites the optional syntax of a rule into marker calls; other text is kept as it is. */
export function rewriteOptionalSyntax(src: string): Rewritten {
  if (!src.includes('?')) return apply(src, []);
  const tokens = tokenize(src);
  // A rule naming a marker itself is left alone: the marker is then an undeclared reference.
  if (tokens.some((t) => t.kind === 'ident' && Object.values(MARKERS).includes(t.text as never))) return apply(src, []);
  const edits: Edit[] = [];
  // Open brackets: '(' call or group, 'index', 'list', 'map'.
  const stack: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'punct') continue;
    const prev = tokens[i - 1];
    if (t.text === '(' || t.text === '{') stack.push(t.text === '(' ? '(' : prev && endsOperand(prev) ? 'message' : 'map');
    else if (t.text === '[') stack.push(endsOperand(prev) ? 'index' : 'list');
    else if (t.text === ')' || t.text === ']' || t.text === '}') stack.pop();
    if (t.text !== '?' || !prev || prev.kind !== 'punct') continue;
    const next = tokens[i + 1];
    const inside = stack[stack.length - 1];
    if (prev.text === '.' && next?.kind === 'ident' && tokens[i + 2]?.text !== '(') {
      const name = next.text.startsWith('`') ? next.text.slice(1, -1) : next.text;
      edits.push({ start: t.start, end: next.end, text: `${MARKERS.select}(${JSON.stringify(name)})`, origin: prev.start });
      i++;
    } else if (prev.text === '[' && inside === 'index') {
      const close = closing(tokens, i + 1, []);
      // An empty `[?]` is left for the parser to refuse.
      if (close <= i + 1 || tokens[close]!.text !== ']') continue;
      edits.push({ start: prev.start, end: t.end, text: `.${MARKERS.index}(`, origin: prev.start });
      edits.push({ start: tokens[close]!.start, end: tokens[close]!.end, text: ')', origin: tokens[close]!.start });
    } else if ((prev.text === '[' || prev.text === ',') && inside === 'list') {
      const end = closing(tokens, i + 1, [',']);
      if (end <= i + 1) continue;
      edits.push({ start: t.start, end: t.end, text: `${MARKERS.element}(`, origin: t.start });
      edits.push({ start: tokens[end]!.start, end: tokens[end]!.start, text: ')', origin: tokens[end]!.start });
    } else if ((prev.text === '{' || prev.text === ',') && inside === 'map') {
      const end = closing(tokens, i + 1, [':', ',']);
      if (end <= i + 1 || tokens[end]!.text !== ':') continue;
      edits.push({ start: t.start, end: t.end, text: `${MARKERS.entry}(`, origin: t.start });
      edits.push({ start: tokens[end]!.start, end: tokens[end]!.start, text: ')', origin: tokens[end]!.start });
    }
  }
  return apply(src, edits);
}
