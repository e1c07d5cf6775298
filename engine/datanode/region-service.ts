/**
 * Serves the region channel (engine/rpc/api/region-api.ts) from this datanode's region
 * engine. Every change needs the node's live lease from metasrv: a datanode that has lost
 * touch with metasrv stops changing its regions, so metasrv can hand them elsewhere without
 * two writers (no split brain). Data writes (put, delete, truncate, flush, compact) need the
 * region's own lease too, which metasrv grants only to the node its route names; metasrv's own
 * region requests (create, open, close, drop, alter, downgrade, upgrade) need only the node lease;
 * create and upgrade lease the region to this node. Reads need neither.
 */
import { ErrorCode, TesseraError } from '../common/index.ts';
import type { RpcServer, WireRegionRequest } from '../rpc/index.ts';
import { regionHandle, regionQuery, regionScan, regionStatistics } from '../rpc/index.ts';
import type { RegionEngine } from '../storage/index.ts';
import type { RegionLeases } from './region-leases.ts';
import { runRegionQuery } from './region-query.ts';
import { regionRequestFromWire, scanRequestFromWire } from './region-wire.ts';

export interface RegionServiceContext {
  engine: RegionEngine;
  /** Whether this datanode holds its lease right now. */
  hasLease(): boolean;
  /** Epoch ms the node lease ends: a region created here is leased until then. */
  leaseUntil(): number;
  regionLeases: RegionLeases;
  nodeId(): number | undefined;
}

/** Requests that change a region's data, and so need the region's lease. */
const dataWrites: ReadonlySet<WireRegionRequest['type']> = new Set(['put', 'delete', 'truncate', 'flush', 'compact']);

export function serveRegions(server: RpcServer, context: RegionServiceContext): void {
  server.handle(regionHandle, async (wire, call) => {
    const request = regionRequestFromWire(wire, call.data);
    if (!context.hasLease()) {
      throw new TesseraError(
        ErrorCode.LeaseExpired,
        `Datanode ${context.nodeId() ?? '(unregistered)'} holds no lease from metasrv: region ${wire.regionId} refuses '${wire.type}'`,
        { retryable: true },
      );
    }
    if (dataWrites.has(wire.type) && !context.regionLeases.holds(wire.regionId)) {
      throw new TesseraError(
        ErrorCode.LeaseExpired,
        `Datanode ${context.nodeId() ?? '(unregistered)'} holds no lease from metasrv on region ${wire.regionId}: it refuses '${wire.type}' (the region is not routed here, or its lease was not renewed)`,
        { retryable: true },
      );
    }
    const response = await context.engine.handle(request);
    // Only metasrv creates regions (right after writing their route) and upgrades them (once
    // the route names this node), so both lease the region here until the node lease ends.
    if (wire.type === 'create' || wire.type === 'upgrade') {
      context.regionLeases.grantCreated(wire.regionId, context.leaseUntil());
    }
    return response;
  });

  server.handleStream(regionScan, (wire) => context.engine.scan(wire.regionId, scanRequestFromWire(wire)));

  server.handleStream(regionQuery, (wire, call) => runRegionQuery(context.engine, wire, call.signal));

  server.handle(regionStatistics, async ({ regionIds }) => ({
    regions: (regionIds ?? context.engine.regionIds()).map((regionId) => context.engine.statistics(regionId)),
  }));
}
