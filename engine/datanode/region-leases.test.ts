import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegionLeases } from './region-leases.ts';

test('before any answer carries region leases, the node lease alone decides', () => {
  const leases = new RegionLeases();
  assert.equal(leases.holds(7, 1000), true);
  leases.applyHeartbeat(500, undefined);
  assert.equal(leases.holds(7, 1000), true);
});

test('granted regions hold a lease from when the heartbeat was sent; it expires', () => {
  const leases = new RegionLeases();
  leases.applyHeartbeat(1000, { regionIds: [1, 2], leaseMs: 500 });
  assert.equal(leases.holds(1, 1499), true);
  assert.equal(leases.holds(2, 1000), true);
  assert.equal(leases.until(1), 1500);
  assert.equal(leases.holds(1, 1500), false, 'expired at sentAt + leaseMs');
  assert.equal(leases.holds(3, 1000), false, 'never granted');
  leases.applyHeartbeat(1400, { regionIds: [1, 2], leaseMs: 500 });
  assert.equal(leases.holds(1, 1800), true, 'renewed');
});

test('a region left out of an answer loses its lease at once; an answer without leases changes nothing', () => {
  const leases = new RegionLeases();
  leases.applyHeartbeat(1000, { regionIds: [1, 2], leaseMs: 500 });
  leases.applyHeartbeat(1100, { regionIds: [2], leaseMs: 500 });
  assert.equal(leases.holds(1, 1200), false);
  assert.equal(leases.until(1), 0);
  assert.equal(leases.holds(2, 1200), true);
  leases.applyHeartbeat(1200, undefined);
  assert.equal(leases.holds(2, 1599), true, 'kept, not renewed');
  assert.equal(leases.holds(2, 1600), false);
});

test('a created region holds a lease until the node lease ends; only an answer sent after the create can revoke it', () => {
  const leases = new RegionLeases();
  leases.applyHeartbeat(1000, { regionIds: [], leaseMs: 500 });
  assert.equal(leases.holds(9, 1100), false);
  leases.grantCreated(9, 1500, 1100);
  assert.equal(leases.holds(9, 1100), true);
  assert.equal(leases.holds(9, 1500), false, 'no further than the node lease');
  // The answer to a heartbeat sent before the create may predate the route: it does not revoke.
  leases.applyHeartbeat(1050, { regionIds: [], leaseMs: 500 });
  assert.equal(leases.holds(9, 1200), true);
  // A heartbeat sent after the create that leaves the region out does.
  leases.applyHeartbeat(1200, { regionIds: [], leaseMs: 500 });
  assert.equal(leases.holds(9, 1300), false);
  // Granted by a later answer, the region's lease is an ordinary one.
  leases.grantCreated(10, 1500, 1300);
  leases.applyHeartbeat(1400, { regionIds: [10], leaseMs: 500 });
  assert.equal(leases.until(10), 1900);
  leases.applyHeartbeat(1500, { regionIds: [], leaseMs: 500 });
  assert.equal(leases.holds(10, 1600), false);
});
