// RE2 pattern matching (Go regexp syntax, as schema `pattern` and CEL matches() use upstream)
// through CEL's own matches(), which @bufbuild/cel implements with an RE2 engine.
import { isCelError, parse, plan } from '@bufbuild/cel';
import { ruleEnv } from './cel-library.js';

let program: ReturnType<typeof plan> | undefined;

/** Whether `s` matches the RE2 `pattern`; an Error when the pattern is not valid RE2. */
export function re2Matches(pattern: string, s: string): boolean | Error {
  program ??= plan(ruleEnv(), parse('self.matches(oldSelf)'));
  const out = program({ self: s, oldSelf: pattern } as never);
  if (isCelError(out)) return new Error(out.message);
  return out === true;
}
