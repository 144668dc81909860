import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../../src/api/field-errors.js';
import { validateCustomResourceDefinition, type CustomResourceDefinition } from '../../src/apiserver/crd/index.js';

const render = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${fieldErrorMessage(e)}`);
const SCHEMA = 'spec.versions[0].schema.openAPIV3Schema';

function crd(mut: (c: any) => void = () => {}): CustomResourceDefinition {
  const c: any = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'] },
      versions: [{
        name: 'v1', served: true, storage: true,
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
        additionalPrinterColumns: [{ name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' }],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                'x-kubernetes-validations': [{ rule: 'self.replicas <= 10', message: 'too many' }],
                properties: { cronSpec: { type: 'string' }, replicas: { type: 'integer', default: 1, minimum: 0 } },
              },
              status: { type: 'object', properties: { replicas: { type: 'integer' } } },
            },
          },
        },
      }],
    },
  };
  mut(c);
  return c;
}

const only = (c: CustomResourceDefinition, old?: CustomResourceDefinition) => render(validateCustomResourceDefinition(c, old));

describe('CRD validation', () => {
  test('a well-formed CRD passes', () => {
    assert.deepEqual(only(crd()), []);
  });

  test('name, group, scope, names and versions', () => {
    assert.deepEqual(only(crd((c) => { c.metadata.name = 'crons.stable.example.com'; })), ['metadata.name: Invalid value: "crons.stable.example.com": must be spec.names.plural+"."+spec.group']);
    assert.deepEqual(only(crd((c) => { c.spec.group = 'example'; c.metadata.name = 'crontabs.example'; })), ['spec.group: Invalid value: "example": should be a domain with at least one dot']);
    assert.deepEqual(only(crd((c) => { c.spec.scope = 'Global'; })), ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"']);
    assert.deepEqual(only(crd((c) => { delete c.spec.names.singular; c.spec.names.listKind = 'CronTab'; c.spec.names.shortNames = ['C_T']; })), [
      'spec.names.singular: Required value',
      'spec.names.shortNames[0]: Invalid value: "C_T": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')',
      'spec.names.listKind: Invalid value: "CronTab": kind and listKind may not be the same',
    ]);
    const twoStorage = only(crd((c) => { c.spec.versions.push({ ...structuredClone(c.spec.versions[0]), name: 'v2' }); c.spec.versions[1].schema.openAPIV3Schema.properties.spec.properties.extra = { type: 'string' }; }));
    assert.ok(twoStorage.some((e) => e.startsWith('spec.versions: Invalid value: ') && e.endsWith('must have exactly one version marked as storage version')), twoStorage.join('\n'));
    const dup = only(crd((c) => { c.spec.versions.push({ ...structuredClone(c.spec.versions[0]), storage: false }); c.spec.versions[1].schema.openAPIV3Schema.properties.spec.properties.extra = { type: 'string' }; }));
    assert.ok(dup.some((e) => e.endsWith('must contain unique version names')), dup.join('\n'));
    assert.deepEqual(only(crd((c) => { delete c.spec.versions[0].schema; })), [`spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required`]);
    assert.deepEqual(only(crd((c) => { c.spec.versions[0].name = 'V1'; })).slice(0, 1).map((e) => e.split(':')[0]), ['spec.versions[0].name']);
  });

  test('structural schema rules', () => {
    assert.deepEqual(only(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.foo = { description: 'untyped' }; })), [
      `${SCHEMA}.properties[spec].properties[foo].type: Required value: must not be empty for specified object fields`,
    ]);
    assert.deepEqual(only(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.list = { type: 'array' }; })), [
      `${SCHEMA}.properties[spec].properties[list].items: Required value: must be specified`,
    ]);
    assert.deepEqual(only(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.metadata = { type: 'object', properties: { labels: { type: 'object' } } }; })), [
      `${SCHEMA}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
    ]);
    assert.deepEqual(only(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.metadata = { type: 'object', properties: { name: { type: 'string', maxLength: 20 } } }; })), []);
    assert.deepEqual(only(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.p = { type: 'string', 'x-kubernetes-int-or-string': true }; })), []);
    const junctor = only(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.spec.anyOf = [{ type: 'object', required: ['cronSpec'] }]; }));
    assert.deepEqual(junctor, [`${SCHEMA}.properties[spec].anyOf[0].type: Forbidden: must be empty to be structural`]);
    assert.deepEqual(only(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.m = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } }; })), [
      `${SCHEMA}.properties[spec].properties[m].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
    ]);
    assert.deepEqual(only(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.e = { type: 'object', 'x-kubernetes-embedded-resource': true }; })), [
      `${SCHEMA}.properties[spec].properties[e].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields`,
    ]);
    assert.deepEqual(only(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-preserve-unknown-fields'] = false; })), [
      `${SCHEMA}.properties[spec].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`,
    ]);
    assert.deepEqual(only(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.cronSpec.uniqueItems = true; })), [
      `${SCHEMA}.properties[spec].properties[cronSpec].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
    ]);
    const rootMap = only(crd((c) => { delete c.spec.versions[0].subresources; c.spec.versions[0].schema.openAPIV3Schema.additionalProperties = { type: 'string' }; delete c.spec.versions[0].schema.openAPIV3Schema.properties; }));
    assert.deepEqual(rootMap, [`${SCHEMA}.additionalProperties: Forbidden: must not be used at the root`]);
    const withStatus = only(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.nullable = false; c.spec.versions[0].schema.openAPIV3Schema.anyOf = [{ required: ['spec'] }]; }));
    assert.ok(withStatus[0]?.startsWith(`${SCHEMA}: Invalid value: `) && withStatus[0].endsWith('fields are allowed at the root of the schema if the status subresource is enabled'), withStatus.join('\n'));
  });

  test('patterns are RE2', () => {
    const pat = (pattern: string) => only(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.cronSpec.pattern = pattern; }));
    assert.deepEqual(pat('(?i)^[a-z]+\\-x$'), []);
    assert.deepEqual(pat('^(?=a)'), [`${SCHEMA}.properties[spec].properties[cronSpec].pattern: Invalid value: "^(?=a)": must be a valid regular expression, but isn't: error parsing regexp: invalid or unsupported Perl syntax: \`(?=\``]);
  });

  test('list and map types', () => {
    const set = (items: unknown, extra: Record<string, unknown> = {}) => only(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.l = { type: 'array', items, ...extra }; }));
    assert.deepEqual(set({ type: 'string' }, { 'x-kubernetes-list-type': 'bag' }), [`${SCHEMA}.properties[spec].properties[l].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "set", "map"`]);
    assert.deepEqual(set({ type: 'object', properties: { name: { type: 'string' } } }, { 'x-kubernetes-list-type': 'map' }), [`${SCHEMA}.properties[spec].properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`]);
    assert.deepEqual(set({ type: 'object', properties: { name: { type: 'string' } } }, { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }), [
      `${SCHEMA}.properties[spec].properties[l].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
    ]);
    assert.deepEqual(set({ type: 'object', required: ['id'], properties: { id: { type: 'string' } } }, { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }), [
      `${SCHEMA}.properties[spec].properties[l].x-kubernetes-list-map-keys: Invalid value: ["name"]: entries must all be names of item properties`,
    ]);
    assert.deepEqual(set({ type: 'object', properties: { a: { type: 'string' } } }, { 'x-kubernetes-list-type': 'set' }), [
      `${SCHEMA}.properties[spec].properties[l].items.x-kubernetes-map-type: Invalid value: null: must be atomic as item of a list with x-kubernetes-list-type=set`,
    ]);
  });

  test('defaults must validate and be pruned', () => {
    assert.deepEqual(only(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.replicas.default = -1; })), [
      `${SCHEMA}.properties[spec].properties[replicas].default: Invalid value: -1: ${SCHEMA}.properties[spec].properties[replicas].default in body should be greater than or equal to 0`,
    ]);
    assert.deepEqual(only(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.o = { type: 'object', properties: { a: { type: 'string' } }, default: { a: 'x', b: 'y' } }; })), [
      `${SCHEMA}.properties[spec].properties[o].default: Invalid value: {"a":"x","b":"y"}: must not have unknown fields`,
    ]);
    assert.deepEqual(only(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema.properties.metadata = { type: 'object', default: {} }; })).slice(-1), [
      `${SCHEMA}.properties[metadata].default: Forbidden: must not be set in top-level metadata`,
    ]);
  });

  test('x-kubernetes-validations: compile errors, oldSelf placement, reason, fieldPath, messages', () => {
    const rules = (list: unknown[], where: (c: any) => any = (c) => c.spec.versions[0].schema.openAPIV3Schema.properties.spec) => only(crd((c) => { where(c)['x-kubernetes-validations'] = list; }));
    assert.deepEqual(rules([{ rule: 'self.replicas >' }]), [
      `${SCHEMA}.properties[spec].x-kubernetes-validations[0].rule: Invalid value: {"rule":"self.replicas >"}: compilation failed: ERROR: <input>:1:15: Syntax error: found > but expecting end of input\n | self.replicas >\n | ..............^`,
    ]);
    assert.deepEqual(rules([{ rule: 'replicas > 1' }]), [
      `${SCHEMA}.properties[spec].x-kubernetes-validations[0].rule: Invalid value: {"rule":"replicas > 1"}: compilation failed: ERROR: <input>:1:1: undeclared reference to 'replicas' (in container '')\n | replicas > 1\n | ^`,
    ]);
    assert.deepEqual(rules([{ rule: 'self.replicas > 0', messageExpression: 'nope(self)' }]), [
      `${SCHEMA}.properties[spec].x-kubernetes-validations[0].messageExpression: Invalid value: {"rule":"self.replicas > 0","messageExpression":"nope(self)"}: messageExpression compilation failed: ERROR: <input>:1:5: undeclared reference to 'nope' (in container '')\n | nope(self)\n | ....^`,
    ]);
    assert.deepEqual(rules([{ rule: '' }, { rule: 'true', message: ' ' }, { rule: 'true', reason: 'Bad' }, { rule: 'true', fieldPath: '.missing' }]), [
      `${SCHEMA}.properties[spec].x-kubernetes-validations[0].rule: Required value: rule is not specified`,
      `${SCHEMA}.properties[spec].x-kubernetes-validations[1].message: Invalid value: " ": message must be non-empty if specified`,
      `${SCHEMA}.properties[spec].x-kubernetes-validations[2].reason: Unsupported value: "Bad": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`,
      `${SCHEMA}.properties[spec].x-kubernetes-validations[3].fieldPath: Invalid value: ".missing": fieldPath must be a valid path`,
    ]);
    assert.deepEqual(rules([{ rule: 'true', fieldPath: '.cronSpec' }, { rule: 'self == oldSelf' }]), []);
    assert.deepEqual(rules([{ rule: 'self.replica > 0' }, { rule: 'self.cronSpec.size() > 0 && self.replicas.value > 0' }]), [
      `${SCHEMA}.properties[spec].x-kubernetes-validations[0].rule: Invalid value: {"rule":"self.replica > 0"}: compilation failed: ERROR: <input>:1:5: undefined field 'replica'\n | self.replica > 0\n | ....^`,
      `${SCHEMA}.properties[spec].x-kubernetes-validations[1].rule: Invalid value: {"rule":"self.cronSpec.size() > 0 && self.replicas.value > 0"}: compilation failed: ERROR: <input>:1:42: type 'int' does not support field selection\n | self.cronSpec.size() > 0 && self.replicas.value > 0\n | .........................................^`,
    ]);
    assert.deepEqual(rules([{ rule: 'self.replicas' }, { rule: 'self.replicas + 1' }, { rule: "self.cronSpec == 'x' ? true : false", messageExpression: 'self.replicas * 2' }, { rule: "has(self.cronSpec)", messageExpression: "'bad ' + self.cronSpec" }]), [
      `${SCHEMA}.properties[spec].x-kubernetes-validations[0].rule: Invalid value: {"rule":"self.replicas"}: cel expression must evaluate to a bool`,
      `${SCHEMA}.properties[spec].x-kubernetes-validations[1].rule: Invalid value: {"rule":"self.replicas + 1"}: cel expression must evaluate to a bool`,
      `${SCHEMA}.properties[spec].x-kubernetes-validations[2].messageExpression: Invalid value: {"rule":"self.cronSpec == 'x' ? true : false","messageExpression":"self.replicas * 2"}: messageExpression must evaluate to a string`,
    ]);
    // Kubernetes 1.33's libraries compile, the optional syntax included.
    assert.deepEqual(rules([
      { rule: "sets.contains(['a', 'b'], [self.cronSpec])" },
      { rule: "quantity('1Gi').isGreaterThan(quantity('1Mi')) && sign(quantity('1')) == 1" },
      { rule: "[1, 2].all(i, v, v > 0)" },
      { rule: "url('https://x').getScheme() == 'https' && cidr('10.0.0.0/8').containsIP(ip('10.0.0.1'))" },
      { rule: "self.?cronSpec.orValue('') != 'x'" },
      { rule: "optional.of(self.replicas).hasValue() && !format.named('dns1123Label').value().validate(self.cronSpec).hasValue()" },
      { rule: "ip.isCanonical('::1') && strings.quote(self.cronSpec) != ''" },
    ]), []);
    // Libraries Kubernetes 1.33 does not offer new rules: semver (introduced in 1.33, usable from 1.34), math.
    assert.deepEqual(rules([{ rule: "isSemver(self.cronSpec)" }, { rule: 'math.greatest(1, 2) == 2' }, { rule: "quantity('1')" }]), [
      `${SCHEMA}.properties[spec].x-kubernetes-validations[0].rule: Invalid value: {"rule":"isSemver(self.cronSpec)"}: compilation failed: ERROR: <input>:1:9: undeclared reference to 'isSemver' (in container '')\n | isSemver(self.cronSpec)\n | ........^`,
      `${SCHEMA}.properties[spec].x-kubernetes-validations[1].rule: Invalid value: {"rule":"math.greatest(1, 2) == 2"}: compilation failed: ERROR: <input>:1:1: undeclared reference to 'math' (in container '')\n | math.greatest(1, 2) == 2\n | ^\nERROR: <input>:1:14: undeclared reference to 'greatest' (in container '')\n | math.greatest(1, 2) == 2\n | .............^`,
      `${SCHEMA}.properties[spec].x-kubernetes-validations[2].rule: Invalid value: {"rule":"quantity('1')"}: cel expression must evaluate to a bool`,
    ]);
    // Library calls whose argument or receiver types are evidently wrong fail to compile, as cel-go's checker reports.
    assert.deepEqual(rules([{ rule: 'quantity(self.replicas).isInteger()' }, { rule: "self.cronSpec.getScheme() == 'https'" }, { rule: "quantity('1').isLessThan(1)" }, { rule: "quantity('1').add(1).isLessThan(quantity(self.cronSpec))" }]), [
      `${SCHEMA}.properties[spec].x-kubernetes-validations[0].rule: Invalid value: {"rule":"quantity(self.replicas).isInteger()"}: compilation failed: ERROR: <input>:1:9: found no matching overload for 'quantity' applied to '(int)'\n | quantity(self.replicas).isInteger()\n | ........^`,
      `${SCHEMA}.properties[spec].x-kubernetes-validations[1].rule: Invalid value: {"rule":"self.cronSpec.getScheme() == 'https'"}: compilation failed: ERROR: <input>:1:24: found no matching overload for 'getScheme' applied to 'string.()'\n | self.cronSpec.getScheme() == 'https'\n | .......................^`,
      `${SCHEMA}.properties[spec].x-kubernetes-validations[2].rule: Invalid value: {"rule":"quantity('1').isLessThan(1)"}: compilation failed: ERROR: <input>:1:25: found no matching overload for 'isLessThan' applied to 'kubernetes.Quantity.(int)'\n | quantity('1').isLessThan(1)\n | ........................^`,
    ]);
    assert.deepEqual(rules([{ rule: "quantity('1').sign() == 1" }]), [
      `${SCHEMA}.properties[spec].x-kubernetes-validations[0].rule: Invalid value: {"rule":"quantity('1').sign() == 1"}: compilation failed: ERROR: <input>:1:19: found no matching overload for 'sign' applied to 'kubernetes.Quantity.()'\n | quantity('1').sign() == 1\n | ..................^`,
    ]);
    const root = (rule: string) => rules([{ rule }], (c) => c.spec.versions[0].schema.openAPIV3Schema);
    assert.deepEqual(root("self.metadata.name.startsWith('x') && self.kind == 'CronTab' && self.spec.replicas > 0"), []);
    assert.match(root('has(self.metadata.labels)')[0] ?? '', /undefined field 'labels'/);
    const inList = only(crd((c) => {
      c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.l = { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] } };
    }));
    assert.deepEqual(inList, [`${SCHEMA}.properties[spec].properties[l].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within ${SCHEMA}.properties[spec].properties[l]`]);
  });

  test('estimated rule cost: nested iteration over unbounded lists is refused, bounded lists pass', () => {
    const withList = (maxItems: number | undefined, rule: string, itemRule?: string) => only(crd((c) => {
      const items: any = { type: 'string' };
      if (itemRule) items['x-kubernetes-validations'] = [{ rule: itemRule }];
      c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.l = { type: 'array', items, ...(maxItems ? { maxItems } : {}) };
      c.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'] = [{ rule }];
    }));
    assert.deepEqual(withList(undefined, 'self.l.all(x, x.size() < 10)'), []);
    assert.deepEqual(withList(undefined, 'self.l.all(x, self.l.exists_one(y, y == x))'), [
      `${SCHEMA}.properties[spec].x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`,
    ]);
    assert.deepEqual(withList(100, 'self.l.all(x, self.l.exists_one(y, y == x))'), []);
    assert.deepEqual(withList(undefined, 'self.l.all(i, x, self.l.existsOne(j, y, y == x))'), [
      `${SCHEMA}.properties[spec].x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`,
    ]);
    assert.deepEqual(withList(100, 'self.l.all(i, x, self.l.existsOne(j, y, y == x))'), []);
  });

  test('subresources, printer columns, conversion', () => {
    assert.deepEqual(only(crd((c) => { c.spec.versions[0].subresources.scale = { specReplicasPath: '.status.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: '.metadata.labels' }; })), [
      'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec',
      'spec.versions[0].subresources.scale.statusReplicasPath: Invalid value: "status.replicas": must be a simple json path starting with .',
      'spec.versions[0].subresources.scale.labelSelectorPath: Invalid value: ".metadata.labels": should be a json path under either .spec or .status',
    ]);
    assert.deepEqual(only(crd((c) => { c.spec.versions[0].additionalPrinterColumns = [{ name: 'X', type: 'text', format: 'weird', jsonPath: '' }]; })), [
      'spec.versions[0].additionalPrinterColumns[0].type: Invalid value: "text": must be one of boolean,date,integer,number,string',
      'spec.versions[0].additionalPrinterColumns[0].format: Invalid value: "weird": must be one of byte,date,date-time,double,float,int32,int64,password',
      'spec.versions[0].additionalPrinterColumns[0].JSONPath: Required value',
    ]);
    assert.deepEqual(only(crd((c) => { c.spec.conversion = { strategy: 'Magic' }; })), ['spec.conversion.strategy: Unsupported value: "Magic": supported values: "None", "Webhook"']);
    assert.deepEqual(only(crd((c) => { c.spec.conversion = { strategy: 'None', webhook: { conversionReviewVersions: ['v1'] } }; })), ['spec.conversion.conversionReviewVersions: Forbidden: should not be set when strategy is not set to Webhook']);
    const webhook = (clientConfig: object) => only(crd((c) => { c.spec.conversion = { strategy: 'Webhook', webhook: { clientConfig, conversionReviewVersions: ['v1'] } }; }));
    assert.deepEqual(webhook({ url: 'https://conv.example.com/convert' }), []);
    assert.deepEqual(webhook({ url: 'http://u:p@conv.example.com/convert?x=1#frag' }), [
      'spec.conversion.webhookClientConfig.url: Invalid value: "http": \'https\' is the only allowed URL scheme; desired format: https://host[/path]',
      'spec.conversion.webhookClientConfig.url: Invalid value: "u:p": user information is not permitted in the URL',
      'spec.conversion.webhookClientConfig.url: Invalid value: "frag": fragments are not permitted in the URL',
      'spec.conversion.webhookClientConfig.url: Invalid value: "x=1": query parameters are not permitted in the URL',
    ]);
    assert.deepEqual(webhook({ url: 'conv' }), [
      'spec.conversion.webhookClientConfig.url: Invalid value: "": \'https\' is the only allowed URL scheme; desired format: https://host[/path]',
      'spec.conversion.webhookClientConfig.url: Invalid value: "": host must be specified; desired format: https://host[/path]',
    ]);
    assert.deepEqual(webhook({ service: { namespace: 'ns', name: 'svc', path: '/convert/Bad', port: 70000 } }), [
      'spec.conversion.webhookClientConfig.service.port: Invalid value: 70000: port is not valid: must be between 1 and 65535, inclusive',
      "spec.conversion.webhookClientConfig.service.path: Invalid value: \"/convert/Bad\": segment[1]: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    assert.deepEqual(webhook({ url: 'https://conv.example.com:port/x' }), ['spec.conversion.webhookClientConfig.url: Required value: url must be a valid URL: parse "https://conv.example.com:port/x": invalid port ":port" after host; desired format: https://host[/path]']);
    // Upstream swaps the two fields' names in these messages.
    assert.deepEqual(webhook({ service: { namespace: 'ns' } }), ['spec.conversion.webhookClientConfig.service.namespace: Required value']);
    assert.deepEqual(only(crd((c) => { c.spec.preserveUnknownFields = true; })), ['spec.preserveUnknownFields: Invalid value: true: cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead']);
  });

  test('protected groups need the api-approved.kubernetes.io annotation', () => {
    const k8s = (annotations?: Record<string, string>) => crd((c) => {
      c.spec.group = 'gateway.networking.k8s.io';
      c.metadata.name = 'crontabs.gateway.networking.k8s.io';
      if (annotations) c.metadata.annotations = annotations;
    });
    assert.deepEqual(only(k8s()), ['metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111']);
    assert.deepEqual(only(k8s({ 'api-approved.kubernetes.io': 'maybe' })), ['metadata.annotations[api-approved.kubernetes.io]: Invalid value: "maybe": protected groups must have approval annotation "api-approved.kubernetes.io" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111']);
    assert.deepEqual(only(k8s({ 'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/1538' })), []);
    assert.deepEqual(only(k8s({ 'api-approved.kubernetes.io': 'unapproved, experimental' })), []);
  });

  test('selectableFields', () => {
    const sel = (fields: unknown[]) => only(crd((c) => {
      c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.tags = { type: 'array', items: { type: 'string' } };
      c.spec.versions[0].selectableFields = fields;
    }));
    assert.deepEqual(sel([{ jsonPath: '.spec.cronSpec' }, { jsonPath: '.spec.replicas' }]), []);
    assert.deepEqual(sel([{ jsonPath: '.spec.tags' }, { jsonPath: '.spec.nope' }, { jsonPath: '.spec.cronSpec' }, { jsonPath: '.spec.cronSpec' }, {}]), [
      'spec.versions[0].selectableFields[0].jsonPath: Invalid value: ".spec.tags": must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.',
      'spec.versions[0].selectableFields[1].jsonPath: Invalid value: ".spec.nope": is an invalid path: does not refer to a valid field',
      'spec.versions[0].selectableFields[3].jsonPath: Duplicate value: ".spec.cronSpec"',
      'spec.versions[0].selectableFields[4].jsonPath: Required value',
    ]);
  });

  test('malformed CRDs get errors, never exceptions', () => {
    for (const bad of [{}, { spec: 5 }, { spec: { versions: 'x' } }, { spec: { versions: [null, 5] } }, { metadata: 5, status: { conditions: 5, storedVersions: 'x' } }] as unknown[]) {
      const errs = validateCustomResourceDefinition(bad as CustomResourceDefinition, bad as CustomResourceDefinition);
      assert.ok(errs.length > 0);
    }
  });

  test('updates: group and plural are immutable; kind and scope once established; stored versions stay', () => {
    const old = crd((c) => { c.metadata.resourceVersion = '1'; c.status = { storedVersions: ['v1'], conditions: [{ type: 'Established', status: 'True' }] }; });
    const next = crd((c) => { c.metadata.resourceVersion = '1'; c.spec.names.kind = 'Cron'; c.spec.scope = 'Cluster'; c.status = { storedVersions: ['v1'] }; });
    assert.deepEqual(only(next, old), ['spec.scope: Invalid value: "Cluster": field is immutable', 'spec.names.kind: Invalid value: "Cron": field is immutable']);
    const renamed = crd((c) => { c.metadata.resourceVersion = '1'; c.spec.versions[0].name = 'v2'; c.status = { storedVersions: ['v1'] }; });
    assert.deepEqual(only(renamed, old), [
      'status.storedVersions: Invalid value: ["v1"]: must have the storage version v2',
      'status.storedVersions[0]: Invalid value: "v1": missing from spec.versions; v1 was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in v1 and removes v1 from status.storedVersions',
    ]);
  });
});
