// The label selector string grammar of k8s.io/apimachinery/pkg/labels (selector.go: Lexer and
// Parser), with upstream's error texts. Matching and the requirement model live in util/.
import { LabelSelectorError, labelSelectorString, matchesLabels, newRequirement, qualifiedNameErrors } from '../../util/label-selector.js';
import type { LabelSelector, Operator, Requirement } from '../../util/label-selector.js';

export { matchesLabels, labelSelectorString, LabelSelectorError };
export type { LabelSelector, Requirement };

type Tok = 'id' | 'in' | 'notin' | '!' | '!=' | '(' | ')' | ',' | '=' | '==' | '>' | '<' | 'eos' | 'error';

interface Token {
  tok: Tok;
  lit: string;
}

const SPECIAL = ['!', '!=', '(', ')', ',', '=', '==', '>', '<'];
const SPECIAL_CHARS = new Set(['!', '(', ')', ',', '=', '>', '<']);

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function lex(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (isWhitespace(ch)) {
      i++;
      continue;
    }
    if (SPECIAL_CHARS.has(ch)) {
      // Longest special symbol starting here.
      let lit = ch;
      if (i + 1 < s.length && SPECIAL.includes(ch + s[i + 1])) lit = ch + s[i + 1];
      out.push({ tok: lit as Tok, lit });
      i += lit.length;
      continue;
    }
    let j = i;
    while (j < s.length && !isWhitespace(s[j]) && !SPECIAL_CHARS.has(s[j])) j++;
    const lit = s.slice(i, j);
    out.push({ tok: lit === 'in' ? 'in' : lit === 'notin' ? 'notin' : 'id', lit });
    i = j;
  }
  out.push({ tok: 'eos', lit: '' });
  return out;
}

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  /** In the Values context the keywords `in` and `notin` are plain identifiers. */
  private peek(values: boolean): Token {
    const t = this.tokens[Math.min(this.pos, this.tokens.length - 1)];
    return values && (t.tok === 'in' || t.tok === 'notin') ? { tok: 'id', lit: t.lit } : t;
  }
  private next(values: boolean): Token {
    const t = this.peek(values);
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const t = this.peek(true);
      if (t.tok === 'eos') return reqs;
      if (t.tok !== 'id' && t.tok !== '!') throw new LabelSelectorError(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.requirement());
      } catch (e) {
        if (e instanceof LabelSelectorError) throw new LabelSelectorError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const after = this.next(true);
      if (after.tok === 'eos') return reqs;
      if (after.tok !== ',') throw new LabelSelectorError(`found '${after.lit}', expected: ',' or 'end of string'`);
      const t2 = this.peek(true);
      if (t2.tok !== 'id' && t2.tok !== '!') throw new LabelSelectorError(`found '${t2.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    let t = this.next(true);
    let op: Operator | undefined;
    if (t.tok === '!') {
      op = 'DoesNotExist';
      t = this.next(true);
    }
    if (t.tok !== 'id') throw new LabelSelectorError(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErrs = qualifiedNameErrors(key);
    // validateLabelKey reports at the parser's path, which is nil here: Go prints it as <nil>.
    if (keyErrs.length) throw new LabelSelectorError(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
    const la = this.peek(true).tok;
    if (la === 'eos' || la === ',') return newRequirement(key, op ?? 'Exists', []);
    if (op === 'DoesNotExist') return newRequirement(key, op, []);
    op = this.operator();
    const values = op === 'In' || op === 'NotIn' ? this.values() : this.exactValue();
    return newRequirement(key, op, values);
  }

  private operator(): Operator {
    const t = this.next(false);
    const ops: Partial<Record<Tok, Operator>> = { '=': 'Equals', '==': 'DoubleEquals', '>': 'GreaterThan', '<': 'LessThan', in: 'In', notin: 'NotIn', '!=': 'NotEquals', '!': 'DoesNotExist' };
    const op = ops[t.tok];
    if (!op) throw new LabelSelectorError(`found '${t.lit}', expected: ${BINARY_OPERATORS}`);
    return op;
  }

  private values(): string[] {
    const open = this.next(true);
    if (open.tok !== '(') throw new LabelSelectorError(`found '${open.lit}' expected: '('`);
    const t = this.peek(true);
    if (t.tok === ')') {
      this.next(true);
      return [''];
    }
    if (t.tok !== 'id' && t.tok !== ',') throw new LabelSelectorError(`found '${t.lit}', expected: ',', ')' or identifier`);
    const list = this.identifiers();
    const close = this.next(true);
    if (close.tok !== ')') throw new LabelSelectorError(`found '${close.lit}', expected: ')'`);
    return list;
  }

  private identifiers(): string[] {
    const s = new Set<string>();
    for (;;) {
      const t = this.next(true);
      if (t.tok === 'id') {
        s.add(t.lit);
        const t2 = this.peek(true);
        if (t2.tok === ',') continue;
        if (t2.tok === ')') return [...s];
        throw new LabelSelectorError(`found '${t2.lit}', expected: ',' or ')'`);
      }
      if (t.tok === ',') {
        if (s.size === 0) s.add('');
        const t2 = this.peek(true);
        if (t2.tok === ')') {
          s.add('');
          return [...s];
        }
        if (t2.tok === ',') {
          this.next(true);
          s.add('');
        }
        continue;
      }
      throw new LabelSelectorError(`found '${t.lit}', expected: ',', or identifier`);
    }
  }

  private exactValue(): string[] {
    const la = this.peek(true).tok;
    if (la === 'eos' || la === ',') return [''];
    const t = this.next(true);
    if (t.tok === 'id') return [t.lit];
    throw new LabelSelectorError(`found '${t.lit}', expected: identifier`);
  }
}

/** labels.Parse: `a=b,c!=d,e in (f,g),!h,i`. Throws LabelSelectorError with upstream's message. */
export function parseLabelSelector(s: string): LabelSelector {
  const reqs = new Parser(lex(s)).parse();
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { requirements: reqs };
}
