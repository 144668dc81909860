// The source rewrite of cel-go's optional syntax (cel-optional-syntax.ts): which `?` is the
// optional marker, what is left alone (the conditional operator, literals, comments), and how
// offsets map back to the rule as written.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rewriteOptionalSyntax, tokenize } from '../../src/apiserver/crd/cel-optional-syntax.js';

const text = (src: string) => rewriteOptionalSyntax(src).text;

describe('optional syntax rewrite', () => {
  test('optional selection and index, chained', () => {
    assert.equal(text('self.?spec.?replicas.orValue(1)'), 'self.kumoOptSelect__("spec").kumoOptSelect__("replicas").orValue(1)');
    assert.equal(text("self.labels[?'team'].hasValue()"), "self.labels.kumoOptIndex__('team').hasValue()");
    assert.equal(text('x[?a[?b]].c'), 'x.kumoOptIndex__(a.kumoOptIndex__(b)).c');
    assert.equal(text('a . ? b'), 'a . kumoOptSelect__("b")');
    assert.equal(text('a.?`b-c`'), 'a.kumoOptSelect__("b-c")');
  });

  test('optional list elements and map entries', () => {
    assert.equal(text('[?self.?a, 1, ?x]'), '[kumoOptElement__(self.kumoOptSelect__("a")), 1, kumoOptElement__(x)]');
    assert.equal(text("{?'k': v, 'j': [?w]}"), "{kumoOptEntry__('k'): v, 'j': [kumoOptElement__(w)]}");
    assert.equal(text('x in [?y]'), 'x in [kumoOptElement__(y)]');
    assert.equal(text('[?f(a, b)]'), '[kumoOptElement__(f(a, b))]');
  });

  test('the conditional operator, literals and comments are left alone', () => {
    for (const src of ['a ? b : c', "a ? [b] : {'k': c}", `'.?x' + "[?y]" + r'[?z]' + b".?w" // .?c`, `'''a.?b
[?c]'''`, "'\\'.?x'", 'a.?b(c)', 'f(?x)']) {
      assert.equal(text(src), src, src);
    }
  });

  test('a rule naming a marker itself is not rewritten', () => {
    assert.equal(text('kumoOptSelect__(1) && a.?b'), 'kumoOptSelect__(1) && a.?b');
  });

  test('offsets of the rewritten text map back to the rule', () => {
    const r = rewriteOptionalSyntax("a.?b[?'k'] + c");
    assert.equal(r.map.length, r.text.length + 1);
    assert.equal(r.map[r.text.lastIndexOf('c')], "a.?b[?'k'] + c".lastIndexOf('c'));
    // Inserted text stands for the construct it replaces: the `.` and the `[`.
    assert.equal(r.map[r.text.indexOf('kumoOptSelect__')], 1);
    assert.equal(r.map[r.text.indexOf('kumoOptIndex__')], 4);
  });

  test('tokens', () => {
    assert.deepEqual(tokenize("a.b[0u] >= 1.5e3 && 'x'").map((t) => t.text), ['a', '.', 'b', '[', '0u', ']', '>=', '1.5e3', '&&', "'x'"]);
  });
});
