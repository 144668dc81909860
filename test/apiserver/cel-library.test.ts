// Edge cases of the CEL libraries CRD rules use, against upstream's documented results
// (k8s.io/apiserver/pkg/cel/library *_test.go, cel-go ext sets/optional tests).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isCelError, isCelList, isCelMap } from '@bufbuild/cel';
import { compileExpr } from '../../src/apiserver/crd/cel-compile.js';

function plain(v: unknown): unknown {
  if (isCelList(v)) return [...v].map(plain);
  if (isCelMap(v)) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  return v;
}

function evaluate(src: string): unknown {
  const c = compileExpr(src);
  if (!c.ok) throw new Error(c.detail);
  const out = c.expr.run({ self: null });
  return isCelError(out) ? { error: out.message } : plain(out);
}

function cases(table: Array<[string, unknown]>): void {
  for (const [src, want] of table) assert.deepEqual(evaluate(src), want, src);
}

describe('CEL libraries', () => {
  test('quantity', () => {
    cases([
      ["quantity('200M').compareTo(quantity('0.2G'))", 0n],
      ["quantity('50M').compareTo(quantity('50Mi'))", -1n],
      ["quantity('150Mi').isGreaterThan(quantity('100Mi'))", true],
      ["quantity('50M').isLessThan(quantity('100M'))", true],
      ["quantity('1') == quantity('1000m')", true],
      ["quantity('1') != quantity('1001m')", true],
      ["quantity('50k').add(quantity('20k')) == quantity('70k')", true],
      ["quantity('50k').sub(20000) == quantity('30k')", true],
      ["quantity('50k').add(20).sub(quantity('100k')).sub(-50000) == quantity('20')", true],
      ["quantity('50000000G').isInteger()", true],
      ["quantity('9999999999999999999999999999999999999G').isInteger()", false],
      ["quantity('9999999999999999999999999999999999999G').asInteger()", { error: 'cannot convert value to integer' }],
      ["quantity('50k').asInteger()", 50000n],
      ["quantity('50k').sub(20000).asApproximateFloat()", 30000],
      ["sign(quantity('-50k'))", -1n],
      ["sign(quantity('0'))", 0n],
      ["isQuantity('1,3G')", false],
      ["isQuantity('200K')", false],
      ["quantity('Mi')", { error: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" }],
      ["quantity('5').sign()", { error: "found no matching overload for 'sign' applied to 'kubernetes.Quantity.()'" }],
      ["quantity('1') in [quantity('2'), quantity('1000m')]", true],
    ]);
  });

  test('url', () => {
    cases([
      ["url('https://user:pass@example.com:80/path?query=val#fragment').getHost()", 'example.com:80'],
      ["url('https://example.com:80/').getHostname()", 'example.com'],
      ["url('https://[::1]:80/').getHostname()", '::1'],
      ["url('https://[::1]/').getPort()", ''],
      ["url('https://example.com/path with spaces/').getEscapedPath()", '/path%20with%20spaces/'],
      ["url('https://example.com/path?k1=a&k2=b&k2=c&k3').getQuery()", { k1: ['a'], k2: ['b', 'c'], k3: [''] }],
      ["url('/absolute-path').getScheme()", ''],
      ["url('HTTPS://example.com').getScheme()", 'https'],
      ["isURL('../relative-path')", false],
      ["isURL('https://example.com/#frag')", true],
      ["url('../relative-path')", { error: 'URL parse error during conversion from string: parse "../relative-path": invalid URI for request' }],
      ["url('http://x.com:8x/')", { error: 'URL parse error during conversion from string: parse "http://x.com:8x/": invalid port ":8x" after host' }],
      ["url('https://a.com/x') == url('https://a.com/x')", true],
    ]);
  });

  test('ip', () => {
    cases([
      ["ip('127.0.0.1').family()", 4n],
      ["ip('::1').family()", 6n],
      ["isIP('::ffff:1.2.3.4')", false],
      ["isIP('fe80::1%eth0')", false],
      ["isIP('127.0.0.01')", false],
      ["ip('127.0.0.256')", { error: 'IP Address "127.0.0.256" parse error during conversion from string: ParseAddr("127.0.0.256"): IPv4 field has value >255' }],
      ["ip(':::1')", { error: 'IP Address ":::1" parse error during conversion from string: ParseAddr(":::1"): each colon-separated field must have at least one digit (at ":1")' }],
      ["ip('::ffff:1.2.3.4')", { error: 'IPv4-mapped IPv6 address "::ffff:1.2.3.4" is not allowed' }],
      ["ip('fe80::1%eth0')", { error: 'IP address "fe80::1%eth0" with zone value is not allowed' }],
      ["ip.isCanonical('2001:db8::abcd')", true],
      ["ip.isCanonical('2001:DB8::ABCD')", false],
      ["ip.isCanonical('2001:db8::0:0:0:abcd')", false],
      ["string(ip('2001:db8:0:0:1:0:0:1'))", '2001:db8::1:0:0:1'],
      ["ip('0.0.0.0').isUnspecified() && ip('::').isUnspecified()", true],
      ["ip('127.0.0.1').isLoopback() && !ip('2001:db8::abcd').isLoopback()", true],
      ["ip('224.0.0.1').isLinkLocalMulticast() && !ip('224.0.1.1').isLinkLocalMulticast()", true],
      ["ip('ff02::1').isLinkLocalMulticast() && !ip('fd00::1').isLinkLocalMulticast()", true],
      ["ip('169.254.169.254').isLinkLocalUnicast() && ip('fe80::1').isLinkLocalUnicast() && !ip('fd80::1').isLinkLocalUnicast()", true],
      ["ip('192.168.0.1').isGlobalUnicast() && ip('2001:db8::abcd').isGlobalUnicast()", true],
      ["ip('255.255.255.255').isGlobalUnicast() || ip('ff00::1').isGlobalUnicast()", false],
      ["ip('::1') == ip('0:0::1')", true],
      ["type(ip('::1')) == net.IP && type(cidr('::1/128')) == net.CIDR && type(ip('::1')) != net.CIDR", true],
    ]);
  });

  test('cidr', () => {
    cases([
      ["cidr('192.168.0.0/24').containsIP(ip('192.168.0.1'))", true],
      ["cidr('192.168.0.0/24').containsIP('192.168.1.1')", false],
      ["cidr('192.168.0.0/24').containsIP('::1')", false],
      ["cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/25'))", true],
      ["cidr('192.168.0.0/24').containsCIDR('192.168.0.0/23')", false],
      ["cidr('2001:db8::/32').containsCIDR('2001:db8::/33')", true],
      ["cidr('2001:db8::/32').containsIP('2001:dc8::1')", false],
      ["string(cidr('192.168.0.1/24').ip())", '192.168.0.1'],
      ["cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')", true],
      ["cidr('192.168.0.1/24') == cidr('192.168.0.1/24').masked()", false],
      ["string(cidr('2001:db8:1::/32').masked())", '2001:db8::/32'],
      ["cidr('::1/128').prefixLength()", 128n],
      ["isCIDR('192.168.0.0/33') || isCIDR('::1/129') || isCIDR('10.0.0.0/08') || isCIDR('10.0.0.0')", false],
      ["cidr('2001:db8::/')", { error: 'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("2001:db8::/"): bad bits after slash: ""' }],
      ["cidr('::ffff:1.2.3.4/120')", { error: 'network address parse error during conversion from string: IPv4-mapped IPv6 address "::ffff:1.2.3.4/120" is not allowed' }],
    ]);
  });

  test('sets, optional values and the format library', () => {
    cases([
      ['sets.contains([1, 2, 3], [1.0, 2.0])', true],
      ['sets.contains([[1], [2]], [[2]])', true],
      ['sets.contains([], [1])', false],
      ['sets.equivalent([1, 2, 2], [2, 1])', true],
      ['sets.equivalent([1], [1, 2])', false],
      ['sets.intersects([1, 2], [3.0, 2.0])', true],
      ['sets.intersects([1], [])', false],
      ["'a' in {'a': 1} && 2 in [1, 2] && !(3 in [1, 2]) && [1, 2] == [1.0, 2.0]", true],
      ["timestamp('2020-01-01T00:00:00Z') == timestamp('2020-01-01T00:00:00Z') && duration('1h') == duration('60m') && null == null && {'a': [1]} == {'a': [1]}", true],
      ['optional.of(1).value()', 1n],
      ['optional.none().hasValue()', false],
      ['optional.none().orValue(5)', 5n],
      ['optional.none().value()', { error: 'optional.none() dereference' }],
      ["optional.ofNonZeroValue('').or(optional.of('x')).value()", 'x'],
      ['optional.of(1) == optional.of(1.0) && optional.none() == optional.none()', true],
      ['optional.unwrap([optional.of(1), optional.none(), optional.of(3)])', [1n, 3n]],
      ["format.dns1123Label().validate('my-label-name').hasValue()", false],
      ["format.dns1035Label().validate('1abc').value().size()", 1n],
      ["format.qualifiedName().validate('apiextensions.k8s.io/v1beta1').hasValue()", false],
      ["format.dns1123SubdomainPrefix().validate('mysubdomain.prefix.-').hasValue()", false],
      ["format.uuid().validate('nope').value()", ['does not match the UUID format']],
      ["format.uri().validate('foo').value()", ['parse "foo": invalid URI for request']],
      ["format.named('labelValue').value().validate('ok').hasValue()", false],
      ["format.named('unknown').hasValue()", false],
    ]);
  });

  test('two-variable comprehensions', () => {
    cases([
      ['[1, 2].all(i, v, v > i)', true],
      ["{'a': 1, 'b': 2}.exists(k, v, k == 'b' && v == 2)", true],
      ['[5, 6].existsOne(i, v, v == 6) && ![5, 6].exists_one(i, v, v > 0)', true],
      ['[1, 2, 3].transformList(i, v, v * i)', [0n, 2n, 6n]],
      ['[1, 2, 3].transformList(i, v, i > 0, v * 2)', [4n, 6n]],
      ["{'a': 1, 'b': 2}.transformMap(k, v, v + 1)", { a: 2n, b: 3n }],
      ['[10, 20].transformMap(i, v, i > 0, v)', { 1: 20n }],
      ["{'a': 1}.transformMapEntry(k, v, {k + 'x': v})", { ax: 1n }],
      ['[1, 1].transformMapEntry(i, v, {v: i})', { error: 'insert failed: key 1 already exists' }],
      ["{'a': [1, 2]}.all(k, v, v.all(i, x, x > i && k == 'a'))", true],
      ['[[1, 2]].all(i, v, v.exists(j, w, w == i + 2))', true],
    ]);
  });

  test('literal validators: homogeneous aggregates, duration/timestamp/regex constants', () => {
    const detail = (src: string) => {
      const c = compileExpr(src);
      return c.ok ? 'ok' : c.detail.split('\n')[0];
    };
    assert.equal(detail("[1, 'a'].size() > 0"), "ERROR: <input>:1:5: expected type 'int' but found 'string'");
    assert.equal(detail('[1, 2.0].size() > 0'), "ERROR: <input>:1:5: expected type 'int' but found 'double'");
    assert.equal(detail("{'a': 1, 2: 3}.size() > 0"), "ERROR: <input>:1:10: expected type 'string' but found 'int'");
    assert.equal(detail("[[1], ['a']].size() > 0"), "ERROR: <input>:1:7: expected type 'list(int)' but found 'list(string)'");
    assert.equal(detail("'%s %d'.format(['a', 1]) != ''"), 'ok');
    assert.equal(detail("duration('1x') > duration('1s')"), 'ERROR: <input>:1:10: invalid duration argument');
    assert.equal(detail("timestamp('nope') > timestamp('2020-01-01T00:00:00Z')"), 'ERROR: <input>:1:11: invalid timestamp argument');
    assert.equal(detail("'a'.matches('[')"), 'ERROR: <input>:1:13: invalid matches argument');
  });
});
