import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  fargateSizeFor, fargateHourlyCost, fargatePrice, FARGATE_COMBINATIONS, InvalidQuantityError, spotAdvice, spotPriceEstimate,
} from '../../src/cloud/index.js';

describe('Fargate sizing', () => {
  test('has the documented 74 combinations from 0.25 vCPU / 0.5 GB to 16 vCPU / 120 GB', () => {
    assert.equal(FARGATE_COMBINATIONS.length, 74);
    assert.deepEqual(FARGATE_COMBINATIONS[0], { vcpu: 0.25, memoryGB: 0.5 });
    assert.deepEqual(FARGATE_COMBINATIONS.at(-1), { vcpu: 16, memoryGB: 120 });
  });

  test('nothing requested gets the smallest combination', () => {
    assert.equal(fargateSizeFor({})?.capacityProvisioned, '0.25vCPU 0.5GB');
    assert.equal(fargateSizeFor({ containers: [{}] })?.capacityProvisioned, '0.25vCPU 0.5GB');
  });

  test('256 MiB are added for the Kubernetes components', () => {
    assert.equal(fargateSizeFor({ cpu: '250m', memory: '256Mi' })?.capacityProvisioned, '0.25vCPU 0.5GB');
    assert.equal(fargateSizeFor({ cpu: '250m', memory: '257Mi' })?.capacityProvisioned, '0.25vCPU 1GB');
    assert.equal(fargateSizeFor({ cpu: '250m', memory: '1792Mi' })?.capacityProvisioned, '0.25vCPU 2GB');
    assert.equal(fargateSizeFor({ cpu: '250m', memory: '1793Mi' })?.capacityProvisioned, '0.5vCPU 3GB');
  });

  test("the user guide's example: 1 vCPU + 8 GB becomes 2 vCPU / 9 GB", () => {
    assert.deepEqual(fargateSizeFor({ cpu: '1', memory: '8Gi' }), { vcpu: 2, memoryGB: 9, capacityProvisioned: '2vCPU 9GB' });
  });

  test('CPU rounds up to the next vCPU step; 8 and 16 vCPU step memory by 4 and 8 GB', () => {
    assert.equal(fargateSizeFor({ cpu: '1001m' })?.capacityProvisioned, '2vCPU 4GB');
    assert.equal(fargateSizeFor({ cpu: '5' , memory: '20Gi' })?.capacityProvisioned, '8vCPU 24GB');
    assert.equal(fargateSizeFor({ cpu: '16', memory: '100Gi' })?.capacityProvisioned, '16vCPU 104GB');
  });

  test('init containers count by their maximum, app containers by their sum', () => {
    const size = fargateSizeFor({
      initContainers: [{ resources: { requests: { cpu: '2', memory: '1Gi' } } }],
      containers: [{ resources: { requests: { cpu: '500m', memory: '3Gi' } } }, { resources: { requests: { memory: '2Gi' } } }],
    });
    assert.equal(size?.capacityProvisioned, '2vCPU 6GB');
  });

  test('too large for Fargate gives undefined; a bad quantity is a typed error', () => {
    assert.equal(fargateSizeFor({ cpu: '17' }), undefined);
    assert.equal(fargateSizeFor({ cpu: '16', memory: '120Gi' }), undefined); // + 256 MiB no longer fits
    assert.throws(() => fargateSizeFor({ cpu: 'lots' }), InvalidQuantityError);
    assert.throws(() => fargateSizeFor({ memory: '-1Gi' }), InvalidQuantityError);
  });

  test('hourly cost from the regional price', () => {
    const cost = fargateHourlyCost({ vcpu: 1, memoryGB: 2 }, 'us-east-1');
    assert.ok(cost !== undefined && Math.abs(cost - (0.04048 + 2 * 0.004445)) < 1e-12);
    const withDisk = fargateHourlyCost({ vcpu: 1, memoryGB: 2 }, 'us-east-1', 30);
    assert.ok(withDisk !== undefined && Math.abs(withDisk - cost - 10 * 0.000111) < 1e-12);
    assert.equal(fargateHourlyCost({ vcpu: 1, memoryGB: 2 }, 'eu-west-1'), undefined);
    assert.ok(fargatePrice('ap-northeast-1')?.confidence.startsWith('UNCERTAIN'));
  });
});

describe('spot advisor', () => {
  test('savings and interruption bucket per region', () => {
    assert.deepEqual(spotAdvice('m5.large', 'us-east-1'), {
      instanceType: 'm5.large', region: 'us-east-1', savingsPct: 66, interruptionFrequency: '15-20%', interruptionRank: 3,
    });
    assert.equal(spotAdvice('m5.large', 'ap-northeast-1')?.interruptionFrequency, '>20%');
    assert.equal(spotAdvice('m5.large', 'eu-west-1'), undefined);
  });

  test('spot price estimate is on-demand less the savings', () => {
    const p = spotPriceEstimate('m5.large', 'us-east-1');
    assert.ok(p !== undefined && Math.abs(p - 0.096 * 0.34) < 1e-12);
    assert.equal(spotPriceEstimate('m5.large', 'eu-west-1'), undefined);
  });
});
