import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  fieldSelectorFields,
  fieldSelectorFor,
  labelSelectorFor,
  matchesFieldSelector,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  labelSelectorString,
  matchesSelectors,
} from '../../src/apiserver/fieldselectors/index.js';
import { ApiError } from '../../src/api/status.js';
import { formatLabelSelector, labelSelectorFromObject, matchesLabels as utilMatches } from '../../src/util/label-selector.js';

describe('label selector strings', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'web' }, true],
    ['app!=web', { app: 'db' }, true],
    ['app!=web', {}, true],
    ['app=web,tier=front', { app: 'web' }, false],
    ['env in (prod, staging)', { env: 'staging' }, true],
    ['env notin (prod,staging)', { env: 'dev' }, true],
    ['env notin (prod,staging)', {}, true],
    ['env', { env: '' }, true],
    ['!env', { env: 'x' }, false],
    ['!env', {}, true],
    ['app=', { app: '' }, true],
    ['in=notin', { in: 'notin' }, true],
    ['x>5', { x: '7' }, true],
    ['x<5', { x: '7' }, false],
    ['', { a: 'b' }, true],
  ];
  for (const [sel, labels, want] of cases) {
    test(`${JSON.stringify(sel)} on ${JSON.stringify(labels)} -> ${want}`, () => {
      assert.equal(matchesLabels(parseLabelSelector(sel), labels), want);
    });
  }

  test('String() sorts requirements by key and values', () => {
    assert.equal(labelSelectorString(parseLabelSelector('z=1,a in (c,b),!m')), 'a in (b,c),!m,z=1');
  });

  test('upstream parse errors', () => {
    const err = (s: string) => {
      try {
        parseLabelSelector(s);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    assert.equal(err('a b'), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
    assert.equal(err('a=b c'), "found 'c', expected: ',' or 'end of string'");
    assert.equal(err('a=b,'), "found '', expected: identifier after ','");
    assert.equal(err('env in prod'), "unable to parse requirement: found 'prod' expected: '('");
    assert.equal(err('x>a'), `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`);
    assert.equal(
      err('app=-bad'),
      `unable to parse requirement: values[0][app]: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
    assert.match(err('a/b/c=d'), /^unable to parse requirement: <nil>: Invalid value: "a\/b\/c": a qualified name must consist of/);
    assert.equal(
      err('a:'),
      `unable to parse requirement: <nil>: Invalid value: "a:": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
    assert.equal(err('env IN (a)'), "unable to parse requirement: found 'IN', expected: in, notin, =, ==, !=, gt, lt");
  });

  test('labelSelectorFor answers 400 BadRequest', () => {
    assert.throws(() => labelSelectorFor('a b'), (e: unknown) => e instanceof ApiError && e.code === 400 && e.reason === 'BadRequest');
  });
});

describe('metav1.LabelSelector objects', () => {
  test('matchLabels and matchExpressions', () => {
    const sel = labelSelectorFromObject({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'legacy', operator: 'DoesNotExist' }] });
    assert.equal(utilMatches(sel, { app: 'web', tier: 'b' }), true);
    assert.equal(utilMatches(sel, { app: 'web', tier: 'b', legacy: 'y' }), false);
    assert.equal(utilMatches(sel, { app: 'web' }), false);
  });
  test('empty selector matches everything, missing one nothing', () => {
    assert.equal(utilMatches(labelSelectorFromObject({}), { a: 'b' }), true);
    assert.equal(utilMatches(labelSelectorFromObject(undefined), { a: 'b' }), false);
  });
  test('bad operator', () => {
    assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Has' }] }), /"Has" is not a valid label selector operator/);
  });
  test('FormatLabelSelector', () => {
    assert.equal(formatLabelSelector({ matchLabels: { b: '2', a: '1' } }), 'a=1,b=2');
    assert.equal(formatLabelSelector({}), '<none>');
    assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['q', 'p'] }] }), 'x notin (p,q)');
  });
});

describe('field selectors', () => {
  const pod = {
    metadata: { name: 'web-1', namespace: 'default' },
    spec: { nodeName: 'node-a', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default', hostNetwork: false },
    status: { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }] },
  };
  test('pod fields', () => {
    const f = fieldSelectorFields('', 'pods', pod);
    assert.equal(f['spec.nodeName'], 'node-a');
    assert.equal(f['spec.hostNetwork'], 'false');
    assert.equal(f['status.podIP'], '10.0.0.5');
    assert.equal(f['status.nominatedNodeName'], '');
    assert.equal(matchesFieldSelector(fieldSelectorFor('', 'pods', 'spec.nodeName=node-a,status.phase!=Failed'), f), true);
    assert.equal(matchesFieldSelector(fieldSelectorFor('', 'pods', 'spec.nodeName='), f), false);
  });
  test('escaped values', () => {
    assert.deepEqual(parseFieldSelector('metadata.name=a\\,b'), [{ field: 'metadata.name', operator: '=', value: 'a,b' }]);
  });
  test('unsupported fields answer like upstream', () => {
    assert.throws(() => fieldSelectorFor('', 'pods', 'spec.foo=x'), (e: unknown) => e instanceof ApiError && e.code === 400 && e.message === 'field label not supported: spec.foo');
    assert.throws(
      () => fieldSelectorFor('apps', 'deployments', 'spec.replicas=1'),
      (e: unknown) => e instanceof ApiError && e.message === '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    assert.throws(() => fieldSelectorFor('', 'pods', 'nonsense'), (e: unknown) => e instanceof ApiError && e.message === "invalid selector: 'nonsense'; can't understand 'nonsense'");
  });
  test('kinds with their own fields', () => {
    assert.equal(fieldSelectorFields('', 'secrets', { metadata: { name: 's' }, type: 'kubernetes.io/tls' }).type, 'kubernetes.io/tls');
    assert.equal(fieldSelectorFields('', 'nodes', { metadata: { name: 'n' }, spec: { unschedulable: true } })['spec.unschedulable'], 'true');
    assert.equal(fieldSelectorFields('batch', 'jobs', { metadata: { name: 'j' }, status: { succeeded: 2 } })['status.successful'], '2');
    const ev = fieldSelectorFields('', 'events', { metadata: { name: 'e', namespace: 'ns' }, involvedObject: { kind: 'Pod', name: 'p' }, reason: 'Scheduled', source: { component: 'default-scheduler' } });
    assert.equal(ev['involvedObject.kind'], 'Pod');
    assert.equal(ev.source, 'default-scheduler');
    assert.throws(() => fieldSelectorFor('', 'nodes', 'metadata.namespace=x'), /field label not supported: metadata.namespace/);
  });
  test('both selectors together', () => {
    const f = fieldSelectorFields('', 'pods', pod);
    assert.equal(matchesSelectors(labelSelectorFor('app=web'), fieldSelectorFor('', 'pods', 'metadata.name=web-1'), { app: 'web' }, f), true);
    assert.equal(matchesSelectors(labelSelectorFor('app=web'), undefined, { app: 'db' }, f), false);
  });
});
