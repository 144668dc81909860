// Decode-time parsing of resource.Quantity fields (Quantity.UnmarshalJSON and ParseQuantity's errors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinCatalog } from '../../../src/apiserver/schema/catalog.js';
import { checkQuantities, quantityDecodeError } from '../../../src/apiserver/server/quantities.js';
import { ApiError } from '../../../src/api/status.js';

const FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const SUFFIX = "unable to parse quantity's suffix";

test('ParseQuantity errors as upstream classifies them', () => {
  for (const ok of ['1', '100m', '1.5Gi', '1e3', '2E-2', '0', ' 250m ', '+1k', null, 3, 0.5]) assert.equal(quantityDecodeError(ok), undefined, String(ok));
  for (const bad of ['abc', '', '1GB', '1.5.5', '1m.', true, {}, ['1']]) assert.equal(quantityDecodeError(bad), FORMAT, JSON.stringify(bad));
  for (const bad of ['192i', '5ee', '1Ki2', '1mi', 'm1']) assert.equal(quantityDecodeError(bad), SUFFIX, bad);
});

test('the first malformed quantity of a body fails its decode with 400', () => {
  const catalog = builtinCatalog();
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labels: { cpu: 'abc' } },
    spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1' }, limits: { cpu: '1x', memory: 'abc' } } }], overhead: { cpu: 'bad' } },
  };
  assert.throws(
    () => checkQuantities(catalog, 'k8s.io/api/core/v1.Pod', pod),
    (err: unknown) => err instanceof ApiError && err.status.code === 400 && err.status.reason === 'BadRequest' && err.status.message === `Pod in version "v1" cannot be handled as a Pod: ${FORMAT}`,
  );
  // Labels and annotations are plain strings; quantities elsewhere are fine.
  assert.doesNotThrow(() => checkQuantities(catalog, 'k8s.io/api/core/v1.Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { cpu: 'abc' } }, spec: { containers: [{ resources: { limits: { cpu: '2' } } }] } }));
  const quota = { apiVersion: 'v1', kind: 'ResourceQuota', spec: { hard: { 'requests.memory': '10Mo' } } };
  assert.throws(() => checkQuantities(catalog, 'k8s.io/api/core/v1.ResourceQuota', quota), /ResourceQuota in version "v1" cannot be handled as a ResourceQuota: quantities must match/);
});
