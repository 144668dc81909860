// The Auto Scaling decisions of a managed node group: zone balance on launch, the default
// termination policy on scale-in, instance types per capacity type, update batch sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  instanceTypeForLaunch, kubernetesTaintEffect, managedNodeLabels, maxUnavailableOf, pickTerminations, placeInstances, surgeOf,
} from '../../src/cloud/nodegroup-plan.js';

const subnets = [
  { subnetId: 'subnet-a', zone: 'us-east-1a' },
  { subnetId: 'subnet-b', zone: 'us-east-1b' },
  { subnetId: 'subnet-c', zone: 'us-east-1c' },
];

test('launches fill the zones with the fewest instances first', () => {
  assert.deepEqual(placeInstances([], subnets, 4).map((s) => s.zone), ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1a']);
  const existing = [{ subnetId: 'subnet-a', zone: 'us-east-1a' }, { subnetId: 'subnet-a', zone: 'us-east-1a' }, { subnetId: 'subnet-b', zone: 'us-east-1b' }];
  assert.deepEqual(placeInstances(existing, subnets, 2).map((s) => s.subnetId), ['subnet-c', 'subnet-b']);
  // Two subnets in one zone share its instances.
  const twoInA = [...subnets, { subnetId: 'subnet-a2', zone: 'us-east-1a' }];
  assert.deepEqual(placeInstances([{ subnetId: 'subnet-a', zone: 'us-east-1a' }, { subnetId: 'subnet-b', zone: 'us-east-1b' }, { subnetId: 'subnet-c', zone: 'us-east-1c' }], twoInA, 1)
    .map((s) => s.subnetId), ['subnet-a2']);
});

test('scale-in terminates from the fullest zone, old configuration first, then the oldest', () => {
  const i = (instanceId: string, zone: string, launchedAt: number, current = true) => ({ instanceId, zone, subnetId: zone, launchedAt, current });
  const group = [i('i-1', 'a', 1), i('i-2', 'a', 2), i('i-3', 'b', 3), i('i-4', 'b', 4, false), i('i-5', 'b', 5), i('i-6', 'c', 6)];
  assert.deepEqual(pickTerminations(group, 1), ['i-4']);
  assert.deepEqual(pickTerminations(group, 3), ['i-4', 'i-1', 'i-3']);
  assert.deepEqual(pickTerminations(group, 10).length, 6);
});

test('instance types, update batches and surge, taint effects, managed labels', () => {
  assert.deepEqual([0, 1, 2, 3].map((n) => instanceTypeForLaunch(['m5.large', 'm5a.large'], 'SPOT', n)), ['m5.large', 'm5a.large', 'm5.large', 'm5a.large']);
  assert.deepEqual([0, 1].map((n) => instanceTypeForLaunch(['m5.large', 'm5a.large'], 'ON_DEMAND', n)), ['m5.large', 'm5.large']);
  assert.equal(maxUnavailableOf({}, 10), 1);
  assert.equal(maxUnavailableOf({ maxUnavailable: 3 }, 10), 3);
  assert.equal(maxUnavailableOf({ maxUnavailablePercentage: 25 }, 10), 2);
  assert.equal(maxUnavailableOf({ maxUnavailablePercentage: 1 }, 10), 1);
  assert.equal(surgeOf(3, 1), 3);
  assert.equal(surgeOf(3, 20), 20);
  assert.equal(kubernetesTaintEffect('NO_EXECUTE'), 'NoExecute');
  assert.equal(kubernetesTaintEffect('PREFER_NO_SCHEDULE'), 'PreferNoSchedule');
  assert.equal(kubernetesTaintEffect('NO_SCHEDULE'), 'NoSchedule');
  assert.deepEqual(managedNodeLabels({ nodegroupName: 'ng', capacityType: 'SPOT', labels: { role: 'x' } }, 'ami-1'), {
    role: 'x', 'eks.amazonaws.com/nodegroup': 'ng', 'eks.amazonaws.com/nodegroup-image': 'ami-1', 'eks.amazonaws.com/capacityType': 'SPOT',
  });
});
