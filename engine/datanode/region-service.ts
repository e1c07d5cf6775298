/**
 * Serves the region channel (engine/rpc/api/region-api.ts) from this datanode's region
 * engine. Writes and region changes need a live lease from metasrv: a datanode that has
 * lost touch with metasrv stops changing its regions, so metasrv can hand them elsewhere
 * without two writers (no split brain). Reads do not need the lease.
 */
import { ErrorCode, TesseraError } from '../common/index.ts';
import type { RpcServer } from '../rpc/index.ts';
import { regionHandle, regionQuery, regionScan, regionStatistics } from '../rpc/index.ts';
import type { RegionEngine } from '../storage/index.ts';
import { runRegionQuery } from './region-query.ts';
import { regionRequestFromWire, scanRequestFromWire } from './region-wire.ts';

export interface RegionServiceContext {
  engine: RegionEngine;
  /** Whether this datanode holds its lease right now. */
  hasLease(): boolean;
  nodeId(): number | undefined;
}

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
    return context.engine.handle(request);
  });

  server.handleStream(regionScan, (wire) => context.engine.scan(wire.regionId, scanRequestFromWire(wire)));

  server.handleStream(regionQuery, (wire, call) => runRegionQuery(context.engine, wire, call.signal));

  server.handle(regionStatistics, async ({ regionIds }) => ({
    regions: (regionIds ?? context.engine.regionIds()).map((regionId) => context.engine.statistics(regionId)),
  }));
}
