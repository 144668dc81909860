import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQuantity, compareQuantities, milliValue, parseQuantity } from '../../src/util/quantity.js';

describe('resource.Quantity', () => {
  const canonical: Array<[string, string]> = [
    ['1000m', '1'],
    ['0.5', '500m'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['1200', '1200'],
    ['12000', '12k'],
    ['100Mi', '100Mi'],
    ['0.1', '100m'],
    ['1e3', '1e3'],
    ['512', '512'],
    ['500Ki', '500Ki'],
    ['1Ki', '1Ki'],
    ['0', '0'],
    ['-1.5', '-1500m'],
    ['+2', '2'],
    ['.5', '500m'],
    ['1.', '1'],
    ['0.5Ki', '512'],
    ['1n', '1n'],
    ['0.0000000001', '1n'],
  ];
  for (const [input, want] of canonical) {
    test(`${input} -> ${want}`, () => assert.equal(canonicalQuantity(input), want));
  }
  test('values in base units', () => {
    assert.equal(parseQuantity('250m')?.value, 0.25);
    assert.equal(parseQuantity('1Gi')?.value, 1073741824);
    assert.equal(parseQuantity('2k')?.value, 2000);
    assert.equal(parseQuantity('1.5e2')?.value, 150);
    assert.equal(milliValue(parseQuantity('0.25')!), 250);
    assert.equal(compareQuantities(parseQuantity('1')!, parseQuantity('1000m')!), 0);
    assert.ok(compareQuantities(parseQuantity('1Gi')!, parseQuantity('1G')!) > 0);
  });
  for (const bad of ['', 'abc', '1.2.3', '1 Gi', '1Gb', 'Mi', '1e', '--1', '1K']) {
    test(`rejects ${JSON.stringify(bad)}`, () => assert.equal(parseQuantity(bad), undefined));
  }
});
