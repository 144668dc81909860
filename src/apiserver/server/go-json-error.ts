// Finds the first syntax error in a JSON text and words it the way Go's encoding/json does
// ("invalid character 'x' looking for beginning of value", "unexpected end of JSON input"), since
// upstream's error messages quote it.

function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

class SyntaxErr extends Error {}

/** Go's message for the first syntax error in `text`, or undefined when it is valid JSON. */
export function goJsonSyntaxError(text: string): string | undefined {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const end = (): never => {
    throw new SyntaxErr('unexpected end of JSON input');
  };
  const bad = (context: string): never => {
    throw new SyntaxErr(`invalid character ${quoteChar(text[i])} ${context}`);
  };
  /** Moves to the next character, which the input must have. */
  const step = () => {
    i++;
    if (i >= n) end();
  };
  /** The next character after white space, which the input must have. */
  const next = (): string => {
    ws();
    if (i >= n) end();
    return text[i];
  };
  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      step();
      if (text[i] !== word[k]) bad(`in literal ${word} (expecting ${quoteChar(word[k])})`);
    }
    i++;
  };
  const digits = (context: string) => {
    if (i >= n) end();
    if (!/[0-9]/.test(text[i])) bad(context);
    while (i < n && /[0-9]/.test(text[i])) i++;
  };
  const number = () => {
    if (text[i] === '-') {
      step();
      if (!/[0-9]/.test(text[i])) bad('in numeric literal');
    }
    if (text[i] === '0') i++;
    else while (i < n && /[0-9]/.test(text[i])) i++;
    if (i < n && text[i] === '.') {
      i++;
      digits('after decimal point in numeric literal');
    }
    if (i < n && (text[i] === 'e' || text[i] === 'E')) {
      i++;
      if (i < n && (text[i] === '+' || text[i] === '-')) i++;
      digits('in exponent of numeric literal');
    }
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= n) end();
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        step();
        const e = text[i];
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            step();
            if (!/[0-9a-fA-F]/.test(text[i])) bad('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(e)) bad('in string escape code');
        i++;
        continue;
      }
      if (c < ' ') bad('in string literal');
      i++;
    }
  };
  /** An object or array whose opening bracket is at `i`: comma-separated members up to `close`. */
  const members = (close: string, member: () => void, afterMember: string) => {
    i++;
    if (next() === close) {
      i++;
      return;
    }
    for (;;) {
      member();
      const c = next();
      if (c !== ',' && c !== close) bad(afterMember);
      i++;
      if (c === close) return;
    }
  };
  const objectMember = () => {
    if (next() !== '"') bad('looking for beginning of object key string');
    string();
    if (next() !== ':') bad('after object key');
    i++;
    value();
  };
  const value = (): void => {
    const c = next();
    if (c === '{') return members('}', objectMember, 'after object key:value pair');
    if (c === '[') return members(']', value, 'after array element');
    if (c === '"') return string();
    if (c === '-' || /[0-9]/.test(c)) return number();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    bad('looking for beginning of value');
  };
  try {
    value();
    ws();
    if (i < n) bad('after top-level value');
    return undefined;
  } catch (err) {
    if (err instanceof SyntaxErr) return err.message;
    throw err;
  }
}
