// cel-go's optional syntax and macros in CRD rules, against cel-spec's conformance cases
// (tests/simple/testdata/optionals.textproto) and cel-go's checker errors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isCelError, isCelList, isCelMap } from '@bufbuild/cel';
import { compileExpr } from '../../src/apiserver/crd/cel-compile.js';
import { estimateCost } from '../../src/apiserver/crd/cel-cost.js';
import { buildNode } from '../../src/apiserver/crd/node.js';
import { toCel } from '../../src/apiserver/crd/cel-values.js';

function plain(v: unknown): unknown {
  if (isCelList(v)) return [...v].map(plain);
  if (isCelMap(v)) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  return v;
}

function evaluate(src: string, self: unknown = null): unknown {
  const c = compileExpr(src);
  if (!c.ok) throw new Error(c.detail);
  const out = c.expr.run({ self: self as never });
  return isCelError(out) ? { error: out.message } : plain(out);
}

function cases(table: Array<[string, unknown]>, self?: unknown): void {
  for (const [src, want] of table) assert.deepEqual(evaluate(src, self), want, src);
}

const SCHEMA = buildNode({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        ports: { type: 'array', items: { type: 'integer' } },
      },
    },
  },
});

describe('optional syntax', () => {
  test('conformance: selection, index and chaining', () => {
    cases([
      ['{}.?x.hasValue()', false],
      ["{'null_key': dyn(null)}.?null_key.hasValue()", true],
      ["{'null_key': dyn(null)}.?null_key.invalid.hasValue()", { error: 'no such key: invalid' }],
      ['{true: dyn(0)}[?false].absent.hasValue()', false],
      ['{true: dyn(0)}[?true].absent.hasValue()', { error: 'no such key: absent' }],
      ['{}.?null_key.invalid.hasValue()', false],
      ['has({}.?x.y)', false],
      ["has({'x': {'y': 'z'}}.?x.y)", true],
      ["{'c': {'dashed-index': 'goodbye'}}.c[?'dashed-index'].orValue('default value')", 'goodbye'],
      ["{'c': {}}.c[?'missing-index'].orValue('default value')", 'default value'],
      ["optional.of({'c': {'index': 'goodbye'}}).c.index.orValue('default value')", 'goodbye'],
      ["optional.of({'c': {}}).c.missing.or(optional.none()[0]).orValue('default value')", 'default value'],
      ["optional.of({'c': {}}).c.missing.or(optional.of(['list-value'])[0]).orValue('default value')", 'list-value'],
      ["optional.of({'c': {}}).c['missing'].orValue('default value')", 'default value'],
      ["{'c': {'dashed-index': 'goodbye'}}.?c.missing.or({'c': {'dashed-index': 'goodbye'}}.?c['dashed-index']).orValue('').size()", 7n],
      ['optional.of({}).?c.hasValue()', false],
      ['optional.none().?repeated_string.hasValue()', false],
      ['[][?0].hasValue()', false],
      ['optional.of([])[?0].hasValue()', false],
      ['optional.none()[?0].hasValue()', false],
      ["['foo'][?0].value()", 'foo'],
      ["optional.of(['foo'])[?0].value()", 'foo'],
      ['[1, 2][?-1].hasValue()', false],
      // Kubernetes' homogeneous literals rule out conformance's mixed-key maps.
      ['{1: 1.0, 2: 2.0}[?2.0].value()', 2],
      ["{1u: 'a'}[?1].value()", 'a'],
      ["{'a': 1}[?1].hasValue()", false],
    ]);
  });

  test('conformance: optional list elements and map entries', () => {
    cases([
      ['[?{}.?c, ?optional.of(42), ?optional.none()]', [42n]],
      ["[?optional.ofNonZeroValue({'c': []}.?c.orValue(dyn({})))]", []],
      ["{?'nested_map': optional.ofNonZeroValue({?'map': {'c': {'dashed-index': 'goodbye'}}.?c})}", { nested_map: { map: { 'dashed-index': 'goodbye' } } }],
      ["{?'nested_map': optional.ofNonZeroValue({?'map': {}.?c}), 'singleton': true}", { singleton: true }],
      ["optional.ofNonZeroValue({?'nested_map': optional.ofNonZeroValue({?'map': optional.of({}).?c})}).hasValue()", false],
      ["has({?'foo': optional.none()}.foo)", false],
      ['[?dyn(1)]', { error: 'cannot initialize optional list element from non-optional value 1' }],
      ["{?'k': dyn(1)}", { error: "cannot initialize optional entry 'k' from non-optional value 1" }],
    ]);
  });

  test('conformance: optMap and optFlatMap', () => {
    cases([
      ['optional.none().optMap(y, y + 1).hasValue()', false],
      ['optional.of(42).optMap(y, y + 1).value()', 43n],
      ['{}.?key.optFlatMap(k, k.?subkey).hasValue()', false],
      ["{'key': {}}.?key.optFlatMap(k, k.?subkey).hasValue()", false],
      ["{'key': {'subkey': 'subvalue'}}.?key.optFlatMap(k, k.?subkey).value()", 'subvalue'],
      ["{'key': {'subkey': ''}}.?key.optFlatMap(k, optional.ofNonZeroValue(k.subkey)).hasValue()", false],
      ['[1, 2].map(x, optional.of(x).optMap(y, y * x).value())', [1n, 4n]],
    ]);
  });

  test('rules over objects as the API server sees them', () => {
    const obj = toCel({ spec: { replicas: 3, labels: { team: 'a' }, ports: [80] } }, SCHEMA, true);
    const empty = toCel({ spec: {} }, SCHEMA, true);
    cases([
      ['self.?spec.?replicas.orValue(1) <= 10', true],
      ["self.spec.labels[?'team'].orValue('') == 'a'", true],
      ['self.spec.?ports[0].value() == 80', true],
      ['[?self.spec.?replicas, 1].size() == 2', true],
    ], obj);
    cases([
      ['self.?spec.?replicas.orValue(1)', 1n],
      ["self.spec.?labels[?'team'].hasValue()", false],
      ['[?self.spec.?replicas, 1].size() == 1', true],
    ], empty);
  });

  test('compile errors as cel-go reports them', () => {
    const err = (src: string) => {
      const c = compileExpr(src, { self: SCHEMA, isResource: true, expect: 'bool' });
      return c.ok ? 'ok' : c.detail;
    };
    assert.equal(err('self.?spec.?replica.hasValue()'), "ERROR: <input>:1:11: undefined field 'replica'\n | self.?spec.?replica.hasValue()\n | ..........^");
    assert.equal(err("self.?metadata.labels[?'team'].hasValue()"), "ERROR: <input>:1:15: undefined field 'labels'\n | self.?metadata.labels[?'team'].hasValue()\n | ..............^");
    assert.equal(err('self.spec.?replicas.?x.hasValue()'), "ERROR: <input>:1:20: type 'int' does not support field selection\n | self.spec.?replicas.?x.hasValue()\n | ...................^");
    assert.equal(err('self.?spec.optMap(1, true).hasValue()'), 'ERROR: <input>:1:19: optMap() variable name must be a simple identifier\n | self.?spec.optMap(1, true).hasValue()\n | ..................^');
    assert.equal(err('self.?spec'), 'cel expression must evaluate to a bool');
    assert.equal(err("[?1, ?'a'].size() == 0"), "ERROR: <input>:1:3: expected type 'optional_type(int)' but found 'int'\n | [?1, ?'a'].size() == 0\n | ..^\nERROR: <input>:1:7: expected type 'optional_type(string)' but found 'string'\n | [?1, ?'a'].size() == 0\n | ......^");
    assert.equal(err("{?'k': [1]}.size() == 0"), "ERROR: <input>:1:8: expected type 'optional_type(list(int))' but found 'list(int)'\n | {?'k': [1]}.size() == 0\n | .......^");
    assert.equal(err("self.?spec.?replicas.orValue(1) <= 10 && {?'a': self.spec.?replicas, 'b': 2}.size() > 0 && [?self.spec.?ports].size() >= 0"), 'ok');
    assert.equal(err('has(self.?spec)'), 'ERROR: <input>:1:9: invalid argument to has() macro\n | has(self.?spec)\n | ........^');
    assert.match(err('self.spec.labels[?] == 1'), /^ERROR: <input>:1:17: Syntax error: /);
    assert.match(err('[1, ?].size() == 1'), /^ERROR: <input>:1:5: Syntax error: /);
    // Positions of syntax errors are those of the rule as written.
    assert.equal(err('self.?spec.?replicas.orValue(1) >'), 'ERROR: <input>:1:33: Syntax error: found > but expecting end of input\n | self.?spec.?replicas.orValue(1) >\n | ................................^');
  });

  test('the cost estimate iterates over what an optional selection holds', () => {
    const spec = SCHEMA.properties!.get('spec')!;
    const cost = (src: string) => {
      const c = compileExpr(src);
      assert.ok(c.ok);
      return estimateCost(c.expr.ast, spec, 1);
    };
    const plain = cost('self.ports.all(p, p > 0)');
    assert.ok(plain > 1000);
    assert.ok(cost('self.?ports.orValue([]).all(p, p > 0)') >= plain);
    assert.ok(cost('self.?ports.value().all(p, p > 0)') >= plain);
  });
});
