import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger } from '../../common/index.ts';
import type { HeartbeatRequest } from '../../rpc/index.ts';
import { EmbeddedKvBackend } from '../kv/index.ts';
import type { KvBackend } from '../kv/index.ts';
import { NodeRegistry } from '../node-registry.ts';
import { runHeartbeatChain } from './heartbeat-handler.ts';
import { ProcedureHolds } from './procedure-holds.ts';
import { RegionAssignments } from './region-assignments.ts';
import { regionLeaseHandler } from './region-lease.ts';

const quiet = createLogger({ role: 'test', level: 'error' });
const leaseMs = 1000;
const region = (tableId: number, number: number) => tableId * 2 ** 32 + number;
const [a0, a1, b0] = [region(1024, 0), region(1024, 1), region(1025, 0)];
const stray = region(2000, 0);
const stats = { regionCount: 0, rssBytes: 0, heapUsedBytes: 0, uptimeMs: 0, cpuUsage: 0 };

let dir: string;
let kv: KvBackend;
let registry: NodeRegistry;
let clock = 1_000_000;
let assignments: RegionAssignments;
let holds: ProcedureHolds;

const putRoute = (tableId: number, route: Record<string, number>) =>
  kv.put(`__meta/table-route/${tableId}`, new TextEncoder().encode(JSON.stringify(route)));

function beat(nodeId: number, regionIds?: number[], role: HeartbeatRequest['role'] = 'datanode') {
  const request: HeartbeatRequest = { role, nodeId, startedAt: 1, stats, ...(regionIds ? { regionIds } : {}) };
  // Only the region-lease handler: liveness is another handler's concern.
  return runHeartbeatChain([regionLeaseHandler(assignments, holds)], { registry, leaseMs, now: clock }, request);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-region-lease-'));
  kv = await EmbeddedKvBackend.open(dir, { logger: quiet });
  registry = await NodeRegistry.load(kv, quiet);
  await putRoute(1024, { [a0]: 1, [a1]: 2 });
  await putRoute(1025, { [b0]: 1 });
  assignments = await RegionAssignments.load(kv, { logger: quiet, settleMs: leaseMs, now: () => clock });
  holds = await ProcedureHolds.load(kv);
});

after(async () => {
  assignments?.close();
  holds?.close();
  await kv?.close();
  await rm(dir, { recursive: true, force: true });
});

test('grants every region routed to the node, opens the unreported ones and closes the strays', () => {
  const response = beat(1, [a0, a1, stray]);
  assert.deepEqual(response.regionLeases, { regionIds: [a0, b0], leaseMs });
  assert.deepEqual(response.instructions, [
    { type: 'open', regionId: b0 },
    { type: 'close', regionId: a1 },
    { type: 'close', regionId: stray },
  ]);
  assert.deepEqual(beat(2, [a1]), { leaseMs: 0, known: false, regionLeases: { regionIds: [a1], leaseMs } });
  assert.deepEqual(beat(3, []).regionLeases, { regionIds: [], leaseMs });
});

test('frontends get no region leases; a datanode that reports no regions gets leases but no instructions', () => {
  assert.deepEqual(beat(1, undefined, 'frontend'), { leaseMs: 0, known: false });
  const response = beat(1);
  assert.deepEqual(response.regionLeases, { regionIds: [a0, b0], leaseMs });
  assert.equal(response.instructions, undefined);
});

test('the index follows route puts and deletes; a region that just moved gets no instruction for a lease', async () => {
  await putRoute(1025, { [b0]: 2 });
  assert.deepEqual(
    beat(1, [a0, b0]).regionLeases?.regionIds,
    [a0],
    'node 1 loses the lease of the moved region at once',
  );
  assert.equal(beat(1, [a0, b0]).instructions, undefined, 'no close while the move is fresh');
  assert.deepEqual(beat(2, [a1]).regionLeases?.regionIds, [a1, b0]);
  assert.equal(beat(2, [a1]).instructions, undefined, 'no open while the move is fresh');

  clock += leaseMs;
  assert.deepEqual(beat(1, [a0, b0]).instructions, [{ type: 'close', regionId: b0 }]);
  assert.deepEqual(beat(2, [a1]).instructions, [{ type: 'open', regionId: b0 }]);

  // A dropped table: its regions lose their leases at once and are closed a lease later.
  await kv.delete('__meta/table-route/1024');
  assert.deepEqual(beat(1, [a0]).regionLeases?.regionIds, []);
  assert.equal(beat(1, [a0]).instructions, undefined);
  clock += leaseMs;
  assert.deepEqual(beat(1, [a0]).instructions, [{ type: 'close', regionId: a0 }]);

  // A new table's regions are granted at once (the region may be created any moment), opened only once settled.
  await putRoute(1030, { [region(1030, 0)]: 1 });
  const fresh = beat(1, []);
  assert.deepEqual(fresh.regionLeases?.regionIds, [region(1030, 0)]);
  assert.equal(fresh.instructions, undefined);
});

test('a region a pending procedure names gets no instructions until the procedure ends', async () => {
  const putProcedure = (id: string, data: unknown) =>
    kv.put(`__meta/procedure/${id}`, new TextEncoder().encode(JSON.stringify({ id, kind: 'k', state: 's', data })));
  await putRoute(1050, { [region(1050, 0)]: 1, [region(1050, 1)]: 2 });
  clock += leaseMs;
  assert.deepEqual(beat(1, [stray]).instructions, [
    { type: 'open', regionId: region(1030, 0) },
    { type: 'open', regionId: region(1050, 0) },
    { type: 'close', regionId: stray },
  ]);
  // By table id (a CREATE or DROP), by region id (a migration), by the regions of a recorded route (an ALTER).
  await putProcedure('create-1', { tableId: 1050, route: {} });
  await putProcedure('migrate-1', { regionId: stray, tableId: 1 });
  await putProcedure('alter-1', { route: { [region(1030, 0)]: 1 } });
  const held = beat(1, [stray]);
  assert.equal(held.instructions, undefined);
  assert.deepEqual(
    held.regionLeases?.regionIds,
    [region(1030, 0), region(1050, 0)],
    'leases follow the route regardless',
  );
  await kv.delete('__meta/procedure/create-1');
  await kv.delete('__meta/procedure/alter-1');
  assert.deepEqual(beat(1, [stray]).instructions, [
    { type: 'open', regionId: region(1030, 0) },
    { type: 'open', regionId: region(1050, 0) },
  ]);
  await kv.delete('__meta/procedure/migrate-1');
  assert.deepEqual(beat(1, [stray, region(1030, 0), region(1050, 0)]).instructions, [
    { type: 'close', regionId: stray },
  ]);
});

test('a route that does not parse is ignored, not fatal', async () => {
  await kv.put('__meta/table-route/1040', new TextEncoder().encode('{"x": "y"}'));
  assert.deepEqual(beat(2, []).regionLeases?.regionIds, [b0, region(1050, 1)]);
});

test('grants and instructs nothing once the index is closed (not loaded)', async () => {
  const closed = await RegionAssignments.load(kv, { logger: quiet, settleMs: leaseMs });
  closed.close();
  const response = runHeartbeatChain(
    [regionLeaseHandler(closed)],
    { registry, leaseMs, now: clock },
    {
      role: 'datanode',
      nodeId: 1,
      startedAt: 1,
      stats,
      regionIds: [stray],
    },
  );
  assert.deepEqual(response, { leaseMs: 0, known: false });
});
