import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../../src/api/field-errors.js';
import { CustomResourceSchema } from '../../src/apiserver/crd/index.js';

const render = (errs: FieldError[]) => errs.map((e) => (e.field ? `${e.field}: ${fieldErrorMessage(e)}` : fieldErrorMessage(e)));

function cr(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'my-crontab', namespace: 'default' }, spec, ...extra };
}

const crontab = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['cronSpec'],
      properties: {
        cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
        image: { type: 'string', minLength: 2, maxLength: 10 },
        replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
        color: { type: 'string', enum: ['red', 'blue'] },
        ratio: { type: 'number', exclusiveMaximum: true, maximum: 1 },
        created: { type: 'string', format: 'date-time' },
        tags: { type: 'array', maxItems: 3, minItems: 1, items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer', default: 80 } } },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        port: { 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } } },
      },
    },
    status: { type: 'object', properties: { replicas: { type: 'integer' } } },
  },
};

describe('pruning', () => {
  test('unknown fields go, their paths come back; preserved and map fields stay; metadata keeps ObjectMeta fields', () => {
    const s = new CustomResourceSchema(crontab, { namespaced: true });
    const obj = cr({
      cronSpec: '* * * * */5', bogus: 1, free: { anything: { goes: true } }, labels: { a: 'b' },
      ports: [{ name: 'http', port: 8080, extra: 'x' }],
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', junk: 1 }, spec: { a: 'x', b: 'y' }, other: 1 },
    }, { extraTop: true });
    (obj.metadata as Record<string, unknown>).unknownMeta = 'x';
    (obj.metadata as Record<string, unknown>).labels = { ok: 'yes' };
    const unknown = s.prune(obj);
    assert.deepEqual(unknown.sort(), ['extraTop', 'metadata.unknownMeta', 'spec.bogus', 'spec.ports[0].extra', 'spec.template.metadata.junk', 'spec.template.other', 'spec.template.spec.b'].sort());
    const spec = obj.spec as Record<string, any>;
    assert.deepEqual(spec.free, { anything: { goes: true } });
    assert.deepEqual(spec.labels, { a: 'b' });
    assert.deepEqual(spec.template, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { a: 'x' } });
    assert.deepEqual(obj.metadata, { name: 'my-crontab', namespace: 'default', labels: { ok: 'yes' } });
  });

  test('malformed metadata fields are dropped silently', () => {
    const s = new CustomResourceSchema(crontab);
    const obj = cr({ cronSpec: '* * * * *' });
    Object.assign(obj.metadata as object, { labels: { a: 1 }, generation: 'x' });
    assert.deepEqual(s.prune(obj), []);
    assert.deepEqual(obj.metadata, { name: 'my-crontab', namespace: 'default' });
  });
});

describe('defaulting', () => {
  test('missing fields and list items get their defaults; nulls of non-nullable fields too', () => {
    const s = new CustomResourceSchema(crontab);
    const obj = cr({ cronSpec: '* * * * *', ports: [{ name: 'a' }, { name: 'b', port: 1 }] });
    s.applyDefaults(obj);
    assert.equal((obj.spec as any).replicas, 1);
    assert.deepEqual((obj.spec as any).ports, [{ name: 'a', port: 80 }, { name: 'b', port: 1 }]);
    const withNull = cr({ cronSpec: '* * * * *', replicas: null, note: null, image: null });
    s.applyDefaults(withNull);
    assert.equal((withNull.spec as any).replicas, 1, 'a null non-nullable field with a default is defaulted');
    assert.equal((withNull.spec as any).note, null, 'nullable keeps null');
    assert.ok(!('image' in (withNull.spec as object)), 'a null non-nullable field without default is dropped');
  });

  test('defaults are copies, and apply inside defaulted objects', () => {
    const s = new CustomResourceSchema({
      type: 'object',
      properties: { spec: { type: 'object', default: {}, properties: { a: { type: 'object', default: { x: [1] }, properties: { x: { type: 'array', items: { type: 'integer' } }, y: { type: 'string', default: 'why' } } } } } },
    });
    const o1 = cr(undefined as never);
    delete o1.spec;
    s.applyDefaults(o1);
    assert.deepEqual(o1.spec, { a: { x: [1], y: 'why' } });
    const o2 = cr(undefined as never);
    delete o2.spec;
    s.applyDefaults(o2);
    (o2.spec as any).a.x.push(2);
    assert.deepEqual((o1.spec as any).a.x, [1]);
  });
});

describe('OpenAPI validation', () => {
  const s = new CustomResourceSchema(crontab, { namespaced: true });
  test('messages as upstream gives them', () => {
    const obj = cr({
      replicas: 11, image: 'x', color: 'green', ratio: 1, created: 'yesterday', tags: ['a', 'a', 'b', 'c'],
      ports: [{ name: 'a' }, { name: 'a' }], port: true, note: null,
    });
    assert.deepEqual(render(s.validate(obj)).sort(), [
      'spec.color: Unsupported value: "green": supported values: "red", "blue"',
      'spec.created: Invalid value: "yesterday": spec.created in body must be of type date-time: "yesterday"',
      'spec.cronSpec: Required value',
      'spec.image: Invalid value: "x": spec.image in body should be at least 2 chars long',
      'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
      'spec.ports[1]: Duplicate value: {"name":"a"}',
      'spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1',
      'spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10',
      'spec.tags: Too many: must have at most 3 items',
      'spec.tags[1]: Duplicate value: "a"',
    ].sort());
    // Upstream prints the count too ("Too many: 4: ..."); the shared renderer leaves it out.
    assert.equal(s.validate(obj).find((e) => e.type === 'FieldValueTooMany')?.badValue, 4);
  });

  test('types, patterns, lengths and nulls', () => {
    const errs = render(s.validate(cr({ cronSpec: 'nope', replicas: 'two', image: 'far-too-long-image', tags: [], labels: { a: 1 }, status: 1 })));
    assert.deepEqual(errs.sort(), [
      "spec.cronSpec: Invalid value: \"nope\": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'",
      'spec.image: Too long: may not be more than 10 bytes',
      'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      'spec.tags: Invalid value: []: spec.tags in body should have at least 1 items',
    ].sort());
    assert.deepEqual(render(s.validate(cr({ cronSpec: '* * * * *', replicas: null }))), ['spec.replicas: Invalid value: "null": spec.replicas in body must be of type integer: "null"']);
  });

  test('embedded resources need apiVersion and kind; their metadata is ObjectMeta', () => {
    const errs = render(s.validate(cr({ cronSpec: '* * * * *', template: { kind: 'bad_kind', metadata: { labels: { 'no way': 'x' } }, spec: {} } })));
    assert.deepEqual(errs.map((e) => e.split(':')[0]).sort(), ['spec.template.apiVersion', 'spec.template.kind', 'spec.template.metadata.labels'].sort(), errs.join('\n'));
    assert.ok(errs.includes('spec.template.apiVersion: Required value'));
    assert.deepEqual(render(s.validate(cr({ cronSpec: '* * * * *', template: { apiVersion: 'v1', kind: 'Pod', spec: {} } }))), []);
  });

  test('metadata: name rules and namespace per scope', () => {
    const bad = cr({ cronSpec: '* * * * *' });
    (bad.metadata as any).name = 'Not_Valid';
    delete (bad.metadata as any).namespace;
    const errs = render(s.validate(bad));
    assert.ok(errs.some((e) => e.startsWith('metadata.name: Invalid value: "Not_Valid": a lowercase RFC 1123 subdomain')), errs.join('\n'));
    assert.ok(errs.includes('metadata.namespace: Required value'), errs.join('\n'));
  });
});

function ruleSchema(rules: unknown[], props: Record<string, unknown> = {}): CustomResourceSchema {
  return new CustomResourceSchema({
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': rules,
        properties: {
          replicas: { type: 'integer' }, minReplicas: { type: 'integer' }, maxReplicas: { type: 'integer' }, name: { type: 'string' },
          items: { type: 'array', items: { type: 'integer' } },
          'dash-name': { type: 'string' },
          ...props,
        },
      },
    },
  }, { namespaced: true });
}

describe('x-kubernetes-validations', () => {
  test('a false rule reports "failed rule", message, or messageExpression', () => {
    const plain = ruleSchema([{ rule: 'self.minReplicas <= self.replicas' }]);
    assert.deepEqual(render(plain.validate(cr({ minReplicas: 3, replicas: 1 }))), ['spec: Invalid value: "object": failed rule: self.minReplicas <= self.replicas']);
    assert.deepEqual(render(plain.validate(cr({ minReplicas: 1, replicas: 3 }))), []);
    const msg = ruleSchema([{ rule: 'self.replicas <= self.maxReplicas', message: 'replicas should be smaller than or equal to maxReplicas' }]);
    assert.deepEqual(render(msg.validate(cr({ maxReplicas: 3, replicas: 5 }))), ['spec: Invalid value: "object": replicas should be smaller than or equal to maxReplicas']);
    const expr = ruleSchema([{ rule: 'self.replicas <= self.maxReplicas', message: 'fallback', messageExpression: "'replicas ' + string(self.replicas) + ' exceed ' + string(self.maxReplicas)" }]);
    assert.deepEqual(render(expr.validate(cr({ maxReplicas: 3, replicas: 5 }))), ['spec: Invalid value: "object": replicas 5 exceed 3']);
    const broken = ruleSchema([{ rule: 'self.replicas <= self.maxReplicas', message: 'fallback', messageExpression: 'self.nope' }]);
    assert.deepEqual(render(broken.validate(cr({ maxReplicas: 3, replicas: 5 }))), ['spec: Invalid value: "object": fallback'], 'a failing messageExpression falls back to message');
  });

  test('reason and fieldPath shape the error', () => {
    const s = ruleSchema([
      { rule: "!has(self.name) || self.name != 'forbidden'", reason: 'FieldValueForbidden', fieldPath: '.name', message: 'name is reserved' },
      { rule: 'has(self.replicas)', reason: 'FieldValueRequired', fieldPath: '.replicas', message: 'replicas must be set' },
      { rule: 'self.items.size() == 0 || self.items[0] != 0', reason: 'FieldValueDuplicate', fieldPath: '.items' },
    ]);
    assert.deepEqual(render(s.validate(cr({ name: 'forbidden', items: [0] }))), [
      'spec.name: Forbidden: name is reserved',
      'spec.replicas: Required value: replicas must be set',
      'spec.items: Duplicate value: "object"',
    ]);
  });

  test('rules on scalar fields, lists and evaluation errors', () => {
    const s = ruleSchema([], {
      name: { type: 'string', 'x-kubernetes-validations': [{ rule: "self.startsWith('app-') && self.matches('^[a-z-]+$')", message: 'must start with app-' }] },
      items: { type: 'array', items: { type: 'integer' }, 'x-kubernetes-validations': [{ rule: 'self.all(i, i > 0) && self.exists_one(i, i == 1) && self.isSorted() && self.sum() < 100', message: 'bad items' }] },
      replicas: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self / 0 == 1' }] },
    });
    assert.deepEqual(render(s.validate(cr({ name: 'app-ok', items: [1, 2, 3] }))), []);
    assert.deepEqual(render(s.validate(cr({ name: 'web', items: [3, 1] }))), [
      'spec.name: Invalid value: "string": must start with app-',
      'spec.items: Invalid value: "array": bad items',
    ]);
    assert.deepEqual(render(s.validate(cr({ replicas: 1 }))), ['spec.replicas: Invalid value: "integer": division by zero evaluating rule: self / 0 == 1']);
  });

  test('a missing field is a "no such key" error; has() guards it; escaped property names', () => {
    const s = ruleSchema([{ rule: 'self.replicas > 0' }, { rule: "!has(self.dash__dash__name) || self.dash__dash__name == 'x'" }]);
    assert.deepEqual(render(s.validate(cr({ 'dash-name': 'y', replicas: 1 }))), ['spec: Invalid value: "object": failed rule: !has(self.dash__dash__name) || self.dash__dash__name == \'x\'']);
    assert.deepEqual(render(s.validate(cr({}))), ['spec: Invalid value: "object": no such key: replicas evaluating rule: self.replicas > 0']);
  });

  test('string, list and map functions of the Kubernetes environment', () => {
    const s = ruleSchema([
      { rule: "self.name.lowerAscii().split('-').size() == 2 && self.name.indexOf('-') > 0 && self.name.find('[0-9]+') == '42'" },
      { rule: 'self.items.filter(i, i > 1).map(i, i * 2) == [4, 6] && self.items.min() == 1 && self.items.max() == 3 && self.items.indexOf(2) == 1' },
      { rule: "self.labels.all(k, k.startsWith('x')) && 'xa' in self.labels && self.labels['xa'] == 'v'" },
      { rule: "isIP('10.0.0.1') && !isIP('10.0.0.300') && isCIDR('10.0.0.0/8') && isURL('https://example.com/x') && isQuantity('500Mi') && !isQuantity('5 apples')" },
    ], { labels: { type: 'object', additionalProperties: { type: 'string' } } });
    assert.deepEqual(render(s.validate(cr({ name: 'APP-42', items: [1, 2, 3], labels: { xa: 'v', xb: 'w' } }))), []);
    assert.equal(s.validate(cr({ name: 'app42x', items: [1, 2, 3], labels: { ya: 'v' } })).length, 2);
  });

  test('quantity, url, ip/cidr, sets and format rules run; their runtime errors are reported as upstream does', () => {
    const s = ruleSchema([
      { rule: "quantity(self.mem).isLessThan(quantity('1Gi')) && quantity(self.mem).add(1).isInteger()", message: 'mem too large' },
      { rule: "cidr(self.net).containsIP(self.addr) && ip(self.addr).family() == 4 && url(self.hook).getScheme() == 'https'", message: 'bad network' },
      { rule: "sets.contains(['a', 'b'], self.tags) && !format.dns1123Label().validate(self.name).hasValue()", message: 'bad tags' },
      { rule: 'self.tags.all(i, v, i == 0 || v != self.tags[i - 1])', message: 'tags repeat' },
    ], { mem: { type: 'string' }, net: { type: 'string' }, addr: { type: 'string' }, hook: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } });
    const spec = { mem: '512Mi', net: '10.0.0.0/8', addr: '10.1.2.3', hook: 'https://x.example/h', tags: ['a'], name: 'ok' };
    assert.deepEqual(render(s.validate(cr(spec))), []);
    assert.deepEqual(render(s.validate(cr({ ...spec, mem: '2Gi', addr: '11.0.0.1', tags: ['c', 'c'], name: 'Not_OK' }))), [
      'spec: Invalid value: "object": mem too large',
      'spec: Invalid value: "object": bad network',
      'spec: Invalid value: "object": bad tags',
      'spec: Invalid value: "object": tags repeat',
    ]);
    assert.deepEqual(render(s.validate(cr({ ...spec, mem: 'lots', addr: '10.01.2.3' }))), [
      `spec: Invalid value: "object": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' evaluating rule: mem too large`,
      'spec: Invalid value: "object": IP Address "10.01.2.3" parse error during conversion from string: ParseAddr("10.01.2.3"): IPv4 field has octet with leading zero evaluating rule: bad network',
    ]);
  });

  test('a library call on an int-or-string value of the wrong type is a runtime no-such-overload error', () => {
    const s = ruleSchema([{ rule: "quantity(self.size).isLessThan(quantity('1Gi'))" }], { size: { 'x-kubernetes-int-or-string': true } });
    assert.deepEqual(render(s.validate(cr({ size: '1Mi' }))), []);
    assert.deepEqual(render(s.validate(cr({ size: 5 }))), [
      `spec: Invalid value: "object": 'no such overload': call arguments did not match a supported operator, function or macro signature for rule: quantity(self.size).isLessThan(quantity('1Gi'))`,
    ]);
  });

  test('transition rules run only on update, against the correlated old value', () => {
    const s = ruleSchema([{ rule: 'self.replicas >= oldSelf.replicas', message: 'replicas may not decrease' }], {
      name: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'name is immutable' }] },
      ports: {
        type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.port == oldSelf.port', message: 'port is immutable' }] },
      },
    });
    const old = cr({ replicas: 3, name: 'a', ports: [{ name: 'http', port: 80 }] });
    assert.deepEqual(render(s.validate(cr({ replicas: 1, name: 'b', ports: [{ name: 'http', port: 81 }] }))), [], 'create: no oldSelf, no transition rules');
    const next = cr({ replicas: 1, name: 'b', ports: [{ name: 'https', port: 443 }, { name: 'http', port: 81 }] });
    (next.metadata as any).resourceVersion = '5';
    (old.metadata as any).resourceVersion = '5';
    assert.deepEqual(render(s.validate(next, old)), [
      'spec: Invalid value: "object": replicas may not decrease',
      'spec.name: Invalid value: "string": name is immutable',
      'spec.ports[1]: Invalid value: "object": port is immutable',
    ]);
  });

  test('date-time, date and duration strings are CEL timestamps and durations', () => {
    const s = ruleSchema([
      { rule: "self.start < self.end && self.end - self.start <= self.window && self.start.getFullYear() == 2026 && self.day == timestamp('2026-11-27T00:00:00Z')", message: 'bad window' },
    ], { start: { type: 'string', format: 'date-time' }, end: { type: 'string', format: 'date-time' }, window: { type: 'string', format: 'duration' }, day: { type: 'string', format: 'date' } });
    assert.deepEqual(render(s.validate(cr({ start: '2026-11-27T10:00:00Z', end: '2026-11-27T11:00:00Z', window: '2h', day: '2026-11-27' }))), []);
    assert.deepEqual(render(s.validate(cr({ start: '2026-11-27T10:00:00Z', end: '2026-11-27T13:00:00Z', window: '2h', day: '2026-11-27' }))), ['spec: Invalid value: "object": bad window']);
  });

  test('root rules see apiVersion, kind and metadata.name only', () => {
    const s = new CustomResourceSchema({
      type: 'object',
      'x-kubernetes-validations': [{ rule: "self.metadata.name.startsWith('my-') && self.kind == 'CronTab' && !has(self.metadata.labels)" }],
      properties: { spec: { type: 'object' } },
    }, { namespaced: true });
    const o = cr({});
    (o.metadata as any).labels = { a: 'b' };
    assert.deepEqual(render(s.validate(o)), []);
    (o.metadata as any).name = 'other';
    // A rule at the root has a nil field path, which Go's field.Path prints as <nil>.
    assert.deepEqual(render(s.validate(o)), ['<nil>: Invalid value: "object": failed rule: self.metadata.name.startsWith(\'my-\') && self.kind == \'CronTab\' && !has(self.metadata.labels)']);
  });
});

describe('validation ratcheting (updates)', () => {
  test('invalid values that did not change pass; changed ones are checked; CEL rules too', () => {
    const s = new CustomResourceSchema({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            a: { type: 'string', maxLength: 3 },
            b: { type: 'integer', minimum: 10 },
            c: { type: 'string', 'x-kubernetes-validations': [{ rule: "self != 'bad'", message: 'c is bad' }] },
            ports: {
              type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'],
              items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer', maximum: 100 } } },
            },
          },
        },
      },
    }, { namespaced: true });
    const old = cr({ a: 'toolong', b: 1, c: 'bad', ports: [{ name: 'x', port: 500 }, { name: 'y', port: 1 }] });
    (old.metadata as any).resourceVersion = '3';
    const same = structuredClone(old);
    (same.spec as any).ports.reverse();
    assert.deepEqual(render(s.validate(same, old)), []);
    const changed = structuredClone(old);
    Object.assign(changed.spec as object, { a: 'longer', c: 'bad', ports: [{ name: 'x', port: 500 }, { name: 'y', port: 200 }] });
    assert.deepEqual(render(s.validate(changed, old)), [
      'spec.a: Too long: may not be more than 3 bytes',
      'spec.ports[1].port: Invalid value: 200: spec.ports[1].port in body should be less than or equal to 100',
    ]);
    assert.equal(render(s.validate(changed)).length, 5, 'on create everything counts');
  });
});

describe('catalog structs', () => {
  test('objects become structs, maps and free-form fields keep their shape, list markers carry over', () => {
    const s = new CustomResourceSchema(crontab);
    const structs = s.toStructs('stable.example.com/v1.CronTab', 'stable.example.com/v1.CronTabList');
    const byName = new Map(structs.map((x) => [x.name, x]));
    const root = byName.get('stable.example.com/v1.CronTab')!;
    assert.deepEqual(root.fields.map((f) => f.json), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    const spec = byName.get('stable.example.com/v1.CronTab.spec')!;
    const f = (n: string) => spec.fields.find((x) => x.json === n)!;
    assert.equal(f('cronSpec').optional, undefined, 'required fields are not optional');
    assert.equal(f('image').optional, true);
    assert.deepEqual(f('replicas').type, { kind: 'scalar', scalar: 'int64' });
    assert.deepEqual(f('ratio').type, { kind: 'scalar', scalar: 'float64' });
    assert.deepEqual(f('labels').type, { kind: 'map', value: { kind: 'scalar', scalar: 'string' } });
    assert.deepEqual(f('port').type, { kind: 'special', ref: 'k8s.io/apimachinery/pkg/util/intstr.IntOrString' });
    assert.deepEqual(f('free').type, { kind: 'special', ref: 'k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1.JSON' });
    assert.equal(f('ports').listType, 'map');
    assert.deepEqual(f('ports').listMapKeys, ['name']);
    assert.equal(f('tags').listType, 'set');
    assert.equal(byName.has('stable.example.com/v1.CronTab.spec.free'), false);
    assert.deepEqual(new CustomResourceSchema({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }).toStructs('a/v1.X', 'a/v1.XList'), [], 'a schemaless root registers no struct');
    const list = byName.get('stable.example.com/v1.CronTabList')!;
    assert.deepEqual(list.fields.find((x) => x.json === 'items')!.type, { kind: 'list', elem: { kind: 'struct', ref: 'stable.example.com/v1.CronTab' } });
  });
});
